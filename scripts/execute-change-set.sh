#!/usr/bin/env bash
# The pipeline's prod deploy, after approval: `execute-change-set.sh ARN...` executes each
# reviewed change set in turn (empty arguments are skipped: nothing to change) and waits for its
# stack to settle; it fails if a stack rolls back.
set -euo pipefail
for arn in "$@"; do
  [ -n "$arn" ] || continue
  stack=$(aws cloudformation describe-change-set --change-set-name "$arn" --query StackId --output text)
  aws cloudformation execute-change-set --change-set-name "$arn"
  while :; do
    status=$(aws cloudformation describe-stacks --stack-name "$stack" --query 'Stacks[0].StackStatus' --output text)
    case $status in
      *_IN_PROGRESS | REVIEW_IN_PROGRESS) sleep 10 ;;
      *ROLLBACK* | *FAILED) echo "error: $stack: $status" >&2; exit 1 ;;
      *) echo "==> $stack: $status" >&2; break ;;
    esac
  done
done
