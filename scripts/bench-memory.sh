#!/usr/bin/env bash
# `make bench-memory`: every release function's cold start and two warm paths under the CPU
# share Lambda gives at 128-1769 MB (cgroup quotas; needs root), then bench/memory.py writes
# bench/memory.md with each function's size. MEMORY_STARTS (default 5) and MEMORY_WARM
# (default 20) trade time for precision.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
[ "$(id -u)" = 0 ] || die "make bench-memory creates cgroups: run it as root"
ensure_venv
BIN="$ROOT/target/release"   # lib.sh's helpers run the binaries from here

mapfile -t functions < <(ls functions)
packages=(-p local-api -p mfa-admin)
for f in "${functions[@]}"; do packages+=(-p "$f"); done
say "cargo build --release: ${#functions[@]} functions, local-api, mfa-admin (as make bench)"
cargo build --quiet --release "${packages[@]}" || die "release build failed"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/rax-mfa-memory.XXXXXX")"
EMULATOR_PIDS=()
LOCAL_API_PIDS=()
trap 'stop_pids "${LOCAL_API_PIDS[@]}" "${EMULATOR_PIDS[@]}"; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

dynamodb_port=$(free_port)
sns_port=$(free_port)
start_emulator "$dynamodb_port" "$sns_port" "$WORK/emulator.log"
export_aws_env "$dynamodb_port" "$sns_port"
create_table_and_key
export LOG_LEVEL=info MEMORY_WORK="$WORK"
python3 bench/memory.py
