#!/usr/bin/env bash
# `make bench`: release builds of every function and the two baselines, the emulator and a
# release local-api on free ports, then bench/bench.py, which writes bench/results.md.
# BENCH_STARTS (cold starts per binary, default 20) and BENCH_WARM (timed requests per
# operation, default 100) trade time for precision.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_venv
BIN="$ROOT/target/release"   # lib.sh's helpers run the binaries from here

mapfile -t functions < <(ls functions)
packages=(-p local-api -p mfa-admin -p baseline-hello -p baseline-dynamodb)
for f in "${functions[@]}"; do packages+=(-p "$f"); done
say "cargo build --release: ${#functions[@]} functions, 2 baselines, local-api, mfa-admin"
cargo build --quiet --release "${packages[@]}" || die "release build failed"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/rax-mfa-bench.XXXXXX")"
EMULATOR_PIDS=()
LOCAL_API_PIDS=()
cleanup() {
  stop_pids "${LOCAL_API_PIDS[@]}" "${EMULATOR_PIDS[@]}"
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

dynamodb_port=$(free_port)
sns_port=$(free_port)
start_emulator "$dynamodb_port" "$sns_port" "$WORK/emulator.log"
export_aws_env "$dynamodb_port" "$sns_port"
create_table_and_key
# The warm scenarios log in and text one user many times: lift the per-hour budgets.
export LOGIN_SMS_MAX_PER_HOUR=1000000 SEND_MAX_PER_HOUR=1000000 SMS_DOMAIN_MAX_PER_HOUR=1000000 \
  LOG_LEVEL=info
api_port=$(free_port)
start_local_api "$api_port" "$WORK/functions.log" LOG_LEVEL="info,aws_call=debug"
LOCAL_API_URL="http://127.0.0.1:$api_port" BENCH_LOG="$WORK/functions.log" \
  "$VENV/bin/python" bench/bench.py   # the emulator's venv: cryptography for bench/softkey.py
