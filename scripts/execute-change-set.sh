#!/usr/bin/env bash
# The pipeline's prod deploy, after approval: `execute-change-set.sh ARN...` executes each
# reviewed change set in turn (empty arguments are skipped: nothing to change) and waits for its
# stack to settle; it fails if the execution rolls back.
set -euo pipefail
describe() {
  aws cloudformation describe-stacks --stack-name "$1" --output text \
    --query 'Stacks[0].[StackStatus,LastUpdatedTime]'
}
for arn in "$@"; do
  [ -n "$arn" ] || continue
  stack=$(aws cloudformation describe-change-set --change-set-name "$arn" --query StackId --output text)
  before=$(describe "$stack")
  aws cloudformation execute-change-set --change-set-name "$arn"
  # Execution is asynchronous: until the stack shows it (in progress, or a new update time), its
  # status is the one before — a success or a rollback of an earlier deploy, not this one's.
  started=""
  while :; do
    now=$(describe "$stack")
    status=${now%%[[:space:]]*}
    if [ -z "$started" ] && [ "$now" = "$before" ] && [[ $status != *_IN_PROGRESS ]]; then
      sleep 5
      continue
    fi
    started=1
    case $status in
      *_IN_PROGRESS) sleep 10 ;;
      *ROLLBACK* | *FAILED) echo "error: $stack: $status" >&2; exit 1 ;;
      *) echo "==> $stack: $status" >&2; break ;;
    esac
  done
done
