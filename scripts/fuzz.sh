#!/usr/bin/env bash
# Property-based fuzzing of a running gateway against openapi.yaml with schemathesis: no 5xx, and
# every response (status, content type, body) inside the contract. Bounded for CI.
# usage: scripts/fuzz.sh URL   (environment: MFA_ADMIN and the stack's AWS variables)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
url=${1:?usage: scripts/fuzz.sh URL}
ensure_fuzz_venv

# A user-admin whose token the fuzzer sends, so that requests get past authentication.
password="Fuzz-$(python3 -c 'import secrets; print(secrets.token_hex(8))')"
user="fuzz-$(python3 -c 'import secrets; print(secrets.token_hex(4))')"
"$MFA_ADMIN" create-user --username "$user" --password "$password" --domain fuzz \
  --role identity:user-admin >/dev/null
token=$(curl -s "$url/v2.0/tokens" -H 'Content-Type: application/json' \
  -d "{\"auth\":{\"passwordCredentials\":{\"username\":\"$user\",\"password\":\"$password\"}}}" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access"]["token"]["id"])')
[ -n "${SECRETS_FILE:-}" ] && printf '%s\n%s\n' "$password" "$token" >>"$SECRETS_FILE"

say "fuzzing $url against openapi.yaml (${FUZZ_EXAMPLES:-100} examples per operation)"
.venv-fuzz/bin/st --no-color run openapi.yaml --url "$url" \
  --header "X-Auth-Token: $token" \
  --checks not_a_server_error,response_schema_conformance,content_type_conformance \
  --max-examples "${FUZZ_EXAMPLES:-100}" --seed 20261125 --workers 2 \
  --request-timeout 30
