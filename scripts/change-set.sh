#!/usr/bin/env bash
# The pipeline's prod step (.github/workflows/pipeline.yml): `change-set.sh ENV [sam deploy
# options]` creates the change set of samconfig's ENV without executing it, writes its changes
# into the run's summary for the reviewers who approve the deploy job, and gives its ARN as the
# step output `change-set` (empty when there is nothing to change).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
env=$1
shift
out=$(.venv-deploy/bin/sam deploy --config-env "$env" --no-execute-changeset --no-confirm-changeset \
  "$@" 2>&1 | tee /dev/stderr)
arn=$(grep -oE 'arn:aws[a-z-]*:cloudformation:[^ ]+:changeSet/[^ ]+' <<<"$out" | tail -n1 || true)
echo "change-set=$arn" >>"${GITHUB_OUTPUT:-/dev/null}"
{
  echo "### $env"
  if [ -z "$arn" ]; then
    echo "No changes."
  else
    echo "Change set \`$arn\` (Replacement True: the resource is replaced; its data is not carried over):"
    echo '```'
    aws cloudformation describe-change-set --change-set-name "$arn" --output table \
      --query 'Changes[].ResourceChange.{Action:Action,Resource:LogicalResourceId,Type:ResourceType,Replacement:Replacement}'
    echo '```'
  fi
} >>"${GITHUB_STEP_SUMMARY:-/dev/stdout}"
