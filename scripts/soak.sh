#!/usr/bin/env bash
# `make soak`: a fresh local stack on free ports, then scripts/soak.py: SOAK_TRANSACTIONS
# (default 1000) DynamoDB transactions and reads, printing the emulator's memory and the latency
# as the table grows; fails if the emulator's memory grew by more than SOAK_MAX_GROWTH_MB.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

transactions=${SOAK_TRANSACTIONS:-1000}
start_private_stack soak

password=$(python3 -c 'import secrets; print("Soak-" + secrets.token_urlsafe(12))')
"$BIN/mfa-admin" create-user --username soak --password "$password" --domain soak \
  --role identity:default >/dev/null
api_port=$(free_port)
start_local_api "$api_port" "$WORK/functions.log"

say "soak: $transactions transactions and reads against the emulator (DynamoDB pid ${EMULATOR_PIDS[0]})"
"$VENV/bin/python" scripts/soak.py --dynamodb "$AWS_ENDPOINT_URL_DYNAMODB" --table "$TABLE_NAME" \
  --emulator-pid "${EMULATOR_PIDS[0]}" --api "http://127.0.0.1:$api_port" \
  --username soak --password "$password" --transactions "$transactions" \
  ${SOAK_MAX_GROWTH_MB:+--max-growth-mb "$SOAK_MAX_GROWTH_MB"} \
  ${SOAK_RSS_CEILING_MB:+--rss-ceiling-mb "$SOAK_RSS_CEILING_MB"}
