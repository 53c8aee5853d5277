#!/usr/bin/env bash
# `make dev`: emulator + table + demo users + the API on http://127.0.0.1:${LOCAL_API_PORT:-3000}.
# Writes .local/env for other terminals. Ctrl-C stops everything it started.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

LOCAL_API_PORT=${LOCAL_API_PORT:-3000}
EMULATOR_PORT=${EMULATOR_PORT:-5000}
SNS_EMULATOR_PORT=${SNS_EMULATOR_PORT:-$((EMULATOR_PORT + 1))}
ensure_venv
build_binaries

mkdir -p .local
EMULATOR_PIDS=()
LOCAL_API_PIDS=()
trap 'stop_pids "${LOCAL_API_PIDS[@]}" "${EMULATOR_PIDS[@]}"; say "stopped"' EXIT
trap 'exit 130' INT TERM

for p in "$EMULATOR_PORT" "$SNS_EMULATOR_PORT"; do
  curl -s -o /dev/null "http://127.0.0.1:$p/" && die "port $p is busy (set EMULATOR_PORT / SNS_EMULATOR_PORT)"
done
curl -s -o /dev/null "http://127.0.0.1:$LOCAL_API_PORT/" && die "port $LOCAL_API_PORT is busy (set LOCAL_API_PORT)"
start_emulator "$EMULATOR_PORT" "$SNS_EMULATOR_PORT" .local/emulator.log
export_aws_env "$EMULATOR_PORT" "$SNS_EMULATOR_PORT"
create_table_and_key

password() { python3 -c 'import secrets; print("Demo-" + secrets.token_urlsafe(9))'; }
admin_pw=$(password)
user_pw=$(password)
"$BIN/mfa-admin" create-user --username demo-admin --password "$admin_pw" --domain demo \
  --role identity:user-admin >/dev/null
"$BIN/mfa-admin" create-user --username demo-user --password "$user_pw" --domain demo \
  --role identity:default >/dev/null

write_env_file .local/env "http://127.0.0.1:$LOCAL_API_PORT"

start_local_api "$LOCAL_API_PORT" .local/functions.log
cat <<MSG

rax-mfa is running.
  API        http://127.0.0.1:$LOCAL_API_PORT
  page       http://localhost:$LOCAL_API_PORT/console   (security keys need the name localhost)
  emulator   DynamoDB $AWS_ENDPOINT_URL_DYNAMODB, SNS $AWS_ENDPOINT_URL_SNS
             (SMS sent: $EMULATOR_URL/moto-api/data.json, sns.SMS)
  users      demo-admin / $admin_pw   (identity:user-admin, domain demo)
             demo-user  / $user_pw   (identity:default, domain demo)
  logs       .local/functions.log
  other terminal: source .local/env && mfa-admin show-user --username demo-user

Press Ctrl-C to stop.
MSG
wait "${LOCAL_API_PIDS[@]}"
