# Shared by scripts/dev.sh and scripts/test.sh: the local stack's pieces.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
BIN="$ROOT/target/debug"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# install_venv DIR REQUIREMENTS WHAT: creates the venv and installs the pinned list once;
# reinstalls only when the list changes.
install_venv() {
  local dir=$1 req=$2 what=$3 stamp
  stamp="$dir/.installed-$(sha256sum "$req" | cut -c1-16)"
  [ -f "$stamp" ] && return 0
  command -v python3 >/dev/null || die "python3 is required"
  say "installing $what into ${dir#"$ROOT"/} (once)"
  [ -x "$dir/bin/python" ] || python3 -m venv "$dir" || die "cannot create $dir"
  "$dir/bin/pip" install --quiet --disable-pip-version-check -r "$req" || die "pip install failed"
  rm -f "$dir"/.installed-* && touch "$stamp"
}

ensure_venv() {
  install_venv "$VENV" "$ROOT/requirements-emulator.txt" "the DynamoDB/SNS emulator (moto)"
}

# The SAM CLI (with boto3 and the SAM translator) and cfn-lint: lint-template, build-lambda,
# alarms, teardown.
ensure_deploy_venv() {
  install_venv "$ROOT/.venv-deploy" "$ROOT/requirements-deploy.txt" "the SAM CLI, cfn-lint and cargo-lambda"
}

# Schemathesis has its own venv: its dependencies overlap moto's.
ensure_fuzz_venv() {
  install_venv "$ROOT/.venv-fuzz" "$ROOT/requirements-fuzz.txt" "the API fuzzer (schemathesis)"
}

# The client libraries of the client stage (tests/clients/): their own venv, as keystone
# brings about a hundred packages that neither moto nor schemathesis should see.
ensure_clients_venv() {
  install_venv "$ROOT/.venv-clients" "$ROOT/requirements-clients.txt" \
    "the client libraries (keystoneauth1, rackspaceauth, keystone-rxt with keystone)"
}

# The browser stage (tests/browser/): Debian's chromium and chromium-driver (the driver matches
# the browser: same source package) and Selenium in its own venv.
ensure_browser() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing chromium and chromium-driver (Debian packages, once)"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null 2>&1 ||
      { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends \
          chromium chromium-driver >/dev/null; } ||
      die "cannot install chromium and chromium-driver"
  fi
  install_venv "$ROOT/.venv-browser" "$ROOT/requirements-browser.txt" "Selenium (the browser stage)"
}

# start_private_stack NAME: a fresh stack of our own on free ports (make test, make soak): the
# binaries built, the emulator started, the table rax-mfa-NAME with its key, pepper and catalog;
# a temporary folder WORK; everything stopped and removed on exit, also on failure or Ctrl-C.
start_private_stack() {
  ensure_venv
  build_binaries
  start_stack "$1"
}

# start_stack NAME: start_private_stack without the build, for the binaries of $BIN as they are
# (make bench-memory's release builds).
start_stack() {
  local name=$1 dynamodb_port sns_port
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/rax-mfa-$name.XXXXXX")
  EMULATOR_PIDS=()
  LOCAL_API_PIDS=()
  trap 'stop_pids "${LOCAL_API_PIDS[@]}" "${EMULATOR_PIDS[@]}"; rm -rf "$WORK"' EXIT
  trap 'exit 130' INT TERM
  dynamodb_port=$(free_port)
  sns_port=$(free_port)
  start_emulator "$dynamodb_port" "$sns_port" "$WORK/emulator.log"
  export_aws_env "$dynamodb_port" "$sns_port"
  export TABLE_NAME="rax-mfa-$name"
  create_table_and_key
}

# Builds every binary once (functions, local-api, mfa-admin); cargo skips what is current.
build_binaries() {
  say "building the functions and tools (cargo build --workspace --bins)"
  cargo build --quiet --workspace --bins || die "cargo build failed"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_for URL SECONDS WHAT
wait_for() {
  local url=$1 seconds=$2 what=$3 i
  for ((i = 0; i < seconds * 10; i++)); do
    curl -s -o /dev/null "$url" && return 0
    sleep 0.1
  done
  die "$what did not come up at $url within ${seconds}s"
}

# start_emulator DYNAMODB_PORT SNS_PORT LOGFILE -> sets EMULATOR_PIDS
# Two moto processes, each serving one request at a time (scripts/emulator.py says why):
# moto's /moto-api/data.json (where tests read the SMS that SNS delivered)
# serialises every object a process ever created, so DynamoDB items would make reading SMS
# slower with every test. The SDK's per-service endpoint variables route each service.
start_emulator() {
  local dynamodb_port=$1 sns_port=$2 log=$3 port
  say "starting the emulator (moto): DynamoDB on 127.0.0.1:$dynamodb_port, SNS on 127.0.0.1:$sns_port"
  EMULATOR_PIDS=()
  for port in "$dynamodb_port" "$sns_port"; do
    "$VENV/bin/python" "$ROOT/scripts/emulator.py" 127.0.0.1 "$port" >>"$log" 2>&1 &
    EMULATOR_PIDS+=("$!")
  done
  for port in "$dynamodb_port" "$sns_port"; do
    wait_for "http://127.0.0.1:$port/moto-api/" 30 "the emulator"
  done
}

# Environment the functions and mfa-admin read (AWS SDK standard variables + ours).
export_aws_env() {
  local dynamodb_port=$1 sns_port=$2
  export AWS_ENDPOINT_URL="http://127.0.0.1:$dynamodb_port"
  export AWS_ENDPOINT_URL_DYNAMODB="$AWS_ENDPOINT_URL"
  export AWS_ENDPOINT_URL_SNS="http://127.0.0.1:$sns_port"
  export EMULATOR_URL="$AWS_ENDPOINT_URL_SNS"
  export AWS_REGION="${AWS_REGION:-us-east-1}"
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
  export TABLE_NAME="${TABLE_NAME:-rax-mfa-local}"
  export CODE_PEPPER="${CODE_PEPPER:-$(python3 -c 'import secrets; print(secrets.token_hex(32))')}"
  export OTP_KMS_KEY_ID="${OTP_KMS_KEY_ID:-alias/rax-mfa-otp}"
  export CODE_PEPPER_SECRET_ID="${CODE_PEPPER_SECRET_ID:-rax-mfa/code-pepper}"
  # The WebAuthn relying party of a local stack (each gateway gets its own origin from
  # start_local_api; these serve `local-api invoke` and the tools).
  export WEBAUTHN_RP_ID="${WEBAUTHN_RP_ID:-localhost}"
  export WEBAUTHN_ORIGINS="${WEBAUTHN_ORIGINS:-http://localhost:${LOCAL_API_PORT:-3000}}"
}

# The table, the KMS key of OTP secrets and API keys, the pepper's secret and the example
# service catalog, in the emulator. The functions read the pepper from Secrets Manager, as in
# AWS; CODE_PEPPER stays in the environment only so that the test run can scan its logs for it.
create_table_and_key() {
  "$BIN/mfa-admin" create-table >/dev/null || die "mfa-admin create-table failed"
  "$BIN/mfa-admin" create-key --alias "$OTP_KMS_KEY_ID" >/dev/null || die "mfa-admin create-key failed"
  "$BIN/mfa-admin" create-pepper-secret --name "$CODE_PEPPER_SECRET_ID" >/dev/null ||
    die "mfa-admin create-pepper-secret failed"
  # A small example service catalog (what `mfa-admin set-catalog` takes in AWS too).
  "$BIN/mfa-admin" set-catalog --file "$ROOT/scripts/catalog.local.json" >/dev/null ||
    die "mfa-admin set-catalog failed"
}

# write_env_file FILE API_URL: shell exports for mfa-admin and curl in another terminal.
write_env_file() {
  cat >"$1" <<ENV
export AWS_ENDPOINT_URL=$AWS_ENDPOINT_URL
export AWS_ENDPOINT_URL_DYNAMODB=$AWS_ENDPOINT_URL_DYNAMODB
export AWS_ENDPOINT_URL_SNS=$AWS_ENDPOINT_URL_SNS
export EMULATOR_URL=$EMULATOR_URL
export AWS_REGION=$AWS_REGION
export AWS_ACCESS_KEY_ID=test
export AWS_SECRET_ACCESS_KEY=test
export TABLE_NAME=$TABLE_NAME
export LOCAL_API_URL=$2
export WEBAUTHN_RP_ID=localhost
export WEBAUTHN_ORIGINS=$(local_origin "$2")
export PATH="$BIN:\$PATH"
ENV
}

# local_origin URL: the WebAuthn origin of a local API URL. Browsers must use localhost (the
# RP id), not 127.0.0.1: http://127.0.0.1:3000 -> http://localhost:3000.
local_origin() {
  echo "http://localhost:${1##*:}"
}

# start_local_api PORT LOGFILE [VAR=VALUE ...] -> appends the pid to LOCAL_API_PIDS
# The WebAuthn relying party is localhost with this gateway's origin unless VAR=VALUE says
# otherwise.
start_local_api() {
  local port=$1 log=$2; shift 2
  env WEBAUTHN_RP_ID=localhost WEBAUTHN_ORIGINS="http://localhost:$port" "$@" \
    "$BIN/local-api" --port "$port" --template "$ROOT/template.yaml" --bin-dir "$BIN" \
    --log-file "$log" >>"$log.out" 2>&1 &
  LOCAL_API_PIDS+=("$!")
  wait_for "http://127.0.0.1:$port/" 30 "local-api"
}

stop_pids() {
  local pid
  for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}
