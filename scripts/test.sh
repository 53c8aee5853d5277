#!/usr/bin/env bash
# `make test`: the local stack on free ports, then unit and integration tests; everything it
# started is stopped again, also when tests fail or the run is interrupted.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

start_private_stack test
say "emulator checks: transactions roll back what they touched, no object kept for data.json"
"$VENV/bin/python" scripts/emulator_test.py 2>"$WORK/emulator_test.log" ||
  { cat "$WORK/emulator_test.log" >&2; die "emulator checks failed"; }

# Gateways over one table, differing only in configuration, so that time rules are tested by
# shortening durations instead of waiting or faking the clock, and failures by breaking a path:
#   LOCAL_API_URL      production defaults
#   FAST_API_URL       1 s between verification sends (re-send and hourly-limit tests)
#   SHORT_TTL_API_URL  PINs, tokens, login sessions and WebAuthn registration challenges live
#                      2 s, locks release after 2 s
#   NO_SNS_API_URL / NO_DYNAMODB_API_URL / NO_KMS_API_URL / NO_SECRETS_API_URL
#                                          that dependency unreachable
#   THROTTLED_WRITES_API_URL               DynamoDB transactions throttled, reads fine
#   SMS_BUDGET_API_URL                     3 SMS per domain and hour
#   LIMITS_API_URL                         short attempt limits (passwords, passcodes)
export LOG_DIR="$WORK/logs"
mkdir -p "$LOG_DIR"
say "starting the local-api gateways (one configuration each)"
# Every AWS call is logged with the IAM actions it needs (read by the least-privilege check).
export LOG_LEVEL="info,aws_call=debug"
p1=$(free_port); start_local_api "$p1" "$LOG_DIR/default.log"
p2=$(free_port); start_local_api "$p2" "$LOG_DIR/fast.log" SEND_MIN_INTERVAL_SECONDS=1
p3=$(free_port); start_local_api "$p3" "$LOG_DIR/short.log" PIN_TTL_SECONDS=2 TOKEN_TTL_SECONDS=2 \
  WEBAUTHN_CEREMONY_SECONDS=2 \
  SESSION_TTL_SECONDS=2 LOCKOUT_RELEASE_SECONDS=2
# Two more whose SNS or DynamoDB endpoint is a port nobody listens on (dependency failures).
closed=$(free_port)
p4=$(free_port); start_local_api "$p4" "$LOG_DIR/no-sns.log" AWS_ENDPOINT_URL_SNS="http://127.0.0.1:$closed" \
  SEND_MIN_INTERVAL_SECONDS=1
p5=$(free_port); start_local_api "$p5" "$LOG_DIR/no-dynamodb.log" AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$closed"
# And one whose DynamoDB throttles every transaction (reads pass): a failure half-way.
proxy=$(free_port)
python3 scripts/fault_proxy.py "$proxy" "$AWS_ENDPOINT_URL_DYNAMODB" TransactWriteItems &
LOCAL_API_PIDS+=("$!")
wait_for "http://127.0.0.1:$proxy/" 10 "the fault proxy"
p6=$(free_port); start_local_api "$p6" "$LOG_DIR/throttled.log" AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$proxy"
p7=$(free_port); start_local_api "$p7" "$LOG_DIR/no-kms.log" AWS_ENDPOINT_URL_KMS="http://127.0.0.1:$closed"
p8=$(free_port); start_local_api "$p8" "$LOG_DIR/no-secrets.log" \
  AWS_ENDPOINT_URL_SECRETS_MANAGER="http://127.0.0.1:$closed"
p9=$(free_port); start_local_api "$p9" "$LOG_DIR/sms-budget.log" SMS_DOMAIN_MAX_PER_HOUR=3
p10=$(free_port); start_local_api "$p10" "$LOG_DIR/limits.log" PASSWORD_MAX_FAILURES=3 \
  PASSWORD_FAILURE_WINDOW_SECONDS=2 LOCKOUT_THRESHOLD=2 LOCKOUT_RELEASE_SECONDS=1 \
  MFA_MAX_CONSECUTIVE_FAILURES=5
export LOCAL_API_URL="http://127.0.0.1:$p1" FAST_API_URL="http://127.0.0.1:$p2" \
  SHORT_TTL_API_URL="http://127.0.0.1:$p3" NO_SNS_API_URL="http://127.0.0.1:$p4" \
  NO_DYNAMODB_API_URL="http://127.0.0.1:$p5" THROTTLED_WRITES_API_URL="http://127.0.0.1:$p6" \
  NO_KMS_API_URL="http://127.0.0.1:$p7" NO_SECRETS_API_URL="http://127.0.0.1:$p8" \
  SMS_BUDGET_API_URL="http://127.0.0.1:$p9" LIMITS_API_URL="http://127.0.0.1:$p10" \
  MFA_ADMIN="$BIN/mfa-admin"
# Every password, token, session id, PIN, passcode, bypass code and OTP secret the tests see is
# written here; after the tests, no log line may contain one.
export SECRETS_FILE="$WORK/secrets.txt"
: >"$SECRETS_FILE"

say "running unit and integration tests"
cargo test --workspace --no-fail-fast "$@"
# make test-one: one test file against the stack, and none of the stages below.
[ -z "${CARGO_ONLY:-}" ] || { say "CARGO_ONLY: the other stages are skipped"; exit 0; }

# Real client libraries from PyPI against the same gateway (requirements-clients.txt).
ensure_clients_venv
say "client libraries: keystoneauth1, rackspaceauth and keystone-rxt against the local API"
"$ROOT/.venv-clients/bin/python" -m unittest -v tests/clients/test_clients.py 2>"$WORK/clients.log" ||
  { cat "$WORK/clients.log" >&2; die "client stage failed"; }
grep -E '^Ran |^OK' "$WORK/clients.log" >&2 || true


# The security page in a real browser: headless Chromium (Debian's) driven by Selenium through
# journeys 1-8 against the default gateway; screenshots of each journey's end state at 375 and
# 1280 px go to target/browser/.
ensure_browser
say "browser: the security page in headless Chromium, journeys 1-8 (screenshots in target/browser/)"
BROWSER_SHOTS="$ROOT/target/browser" "$ROOT/.venv-browser/bin/python" -m unittest -v \
  tests/browser/test_console.py 2>"$WORK/browser.log" ||
  { cat "$WORK/browser.log" >&2; die "browser stage failed"; }
grep -E '^Ran |^OK' "$WORK/browser.log" >&2 || true

# The README's walk-through, verbatim, against the default gateway.
write_env_file "$WORK/env" "$LOCAL_API_URL"
ENV_FILE="$WORK/env" scripts/check-readme.sh

# Fuzz the running API against its contract (no 5xx, no response outside openapi.yaml).
scripts/fuzz.sh "$LOCAL_API_URL"

# Every function was granted exactly the AWS actions it used above (template.yaml policies).
say "least privilege: template.yaml policies against the AWS calls of the whole run"
# (--workspace, as above: with -p alone cargo unifies features differently and rebuilds the SDK.)
cargo test --quiet --workspace --test least_privilege -- --ignored ||
  die "least privilege check failed"

# Last: no log line of anything above (tests, walk-through, fuzzing) holds a secret they used.
# (Lines under 6 characters are dropped: an empty pattern would match every line.)
grep -E '^.{6,}$' "$SECRETS_FILE" | sort -u >"$WORK/secrets.sorted" || true
mv "$WORK/secrets.sorted" "$SECRETS_FILE"
[ -s "$SECRETS_FILE" ] || die "log scan: the tests recorded no secrets"
lines=$(cat "$LOG_DIR"/*.log | wc -l)
if grep -w -F -f "$SECRETS_FILE" "$LOG_DIR"/*.log >"$WORK/leaks"; then
  cat "$WORK/leaks" >&2
  die "log scan: $(wc -l <"$WORK/leaks") log lines contain a secret the tests used"
fi
say "log scan: $lines log lines, none contains any of the $(wc -l <"$SECRETS_FILE") secrets the tests used"

# The same list against every security event the run stored (tests/tests/events.rs).
say "event scan: the stored security events against the same secrets"
cargo test --quiet --workspace --test events -- --ignored ||
  die "event scan: a stored security event holds a secret the tests used"
