#!/usr/bin/env bash
# `make test`: the local stack on free ports, then unit and integration tests; everything it
# started is stopped again, also when tests fail or the run is interrupted.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_venv
build_binaries

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rax-mfa-test.XXXXXX")
EMULATOR_PIDS=()
LOCAL_API_PIDS=()
cleanup() {
  stop_pids "${LOCAL_API_PIDS[@]}" "${EMULATOR_PIDS[@]}"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

dynamodb_port=$(free_port)
sns_port=$(free_port)
start_emulator "$dynamodb_port" "$sns_port" "$WORK/emulator.log"
export_aws_env "$dynamodb_port" "$sns_port"
export TABLE_NAME="rax-mfa-test"
"$BIN/mfa-admin" create-table >/dev/null

# Three gateways over one table, differing only in configuration, so that time rules are
# tested by shortening durations instead of waiting or faking the clock:
#   LOCAL_API_URL      production defaults
#   FAST_API_URL       1 s between verification sends (re-send and hourly-limit tests)
#   SHORT_TTL_API_URL  PINs, tokens and login sessions live 2 s, locks release after 2 s
export LOG_DIR="$WORK/logs"
mkdir -p "$LOG_DIR"
say "starting three local-api gateways"
p1=$(free_port); start_local_api "$p1" "$LOG_DIR/default.log"
p2=$(free_port); start_local_api "$p2" "$LOG_DIR/fast.log" SEND_MIN_INTERVAL_SECONDS=1
p3=$(free_port); start_local_api "$p3" "$LOG_DIR/short.log" PIN_TTL_SECONDS=2 TOKEN_TTL_SECONDS=2 \
  SESSION_TTL_SECONDS=2 LOCKOUT_RELEASE_SECONDS=2
export LOCAL_API_URL="http://127.0.0.1:$p1" FAST_API_URL="http://127.0.0.1:$p2" \
  SHORT_TTL_API_URL="http://127.0.0.1:$p3" MFA_ADMIN="$BIN/mfa-admin"

say "running unit and integration tests"
cargo test --workspace --no-fail-fast "$@"

# The README's walk-through, verbatim, against the default gateway.
write_env_file "$WORK/env" "$LOCAL_API_URL"
ENV_FILE="$WORK/env" scripts/check-readme.sh
