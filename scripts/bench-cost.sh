#!/usr/bin/env bash
# `make bench-cost`: the cost model. A fresh local stack on free ports (debug builds, as make
# test) whose emulator meters what each request consumes (EMULATOR_METER=1: DynamoDB request
# units, KMS, Secrets Manager, SMS; scripts/emulator.py), a local-api at the template's log level,
# then bench/cost.py: every operation alone, priced, and a month of 1,000 users -> bench/cost.md.
# COST_REPS (default 3) sets the runs per operation.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

export EMULATOR_METER=1
start_private_stack cost
# The runs log in and text the same users many times: lift the per-hour budgets.
export LOGIN_SMS_MAX_PER_HOUR=1000000 SEND_MAX_PER_HOUR=1000000 SMS_DOMAIN_MAX_PER_HOUR=1000000
api_port=$(free_port)
start_local_api "$api_port" "$WORK/functions.log" LOG_LEVEL=info   # template.yaml's LogLevel
LOCAL_API_URL="http://127.0.0.1:$api_port" COST_BIN="$BIN" COST_LOG="$WORK/functions.log" \
  "$VENV/bin/python" bench/cost.py   # the emulator's venv: boto3, and cryptography for softkey.py
