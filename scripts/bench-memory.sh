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

start_stack memory
export LOG_LEVEL=info MEMORY_WORK="$WORK"
python3 bench/memory.py
