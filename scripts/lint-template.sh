#!/usr/bin/env bash
# `make lint-template`: cfn-lint, `sam validate --lint` and the stack check (scripts/
# stack_check.py) on template.yaml and data.yaml (the state's stack), offline; and the generated
# alarms and dashboard up to date with the functions (scripts/alarms.py).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_deploy_venv
say "cfn-lint template.yaml data.yaml"
.venv-deploy/bin/cfn-lint template.yaml data.yaml
say "alarms and dashboard generated for every function (scripts/alarms.py --check)"
.venv-deploy/bin/python scripts/alarms.py --check
say "sam validate --lint"
# sam reads a region and credentials even to validate offline; nothing is sent to AWS.
AWS_REGION=${AWS_REGION:-us-east-1} AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-offline} \
  AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-offline} SAM_CLI_TELEMETRY=0 \
  .venv-deploy/bin/sam validate --lint --template template.yaml
# The template as CloudFormation (the SAM translator, offline): every route invokes its function,
# every function may be invoked by the API, logs to its group and is alarmed, every policy
# reference is a resource of the stack, every import an export of data.yaml.
translated=$(mktemp -d)
trap 'rm -rf "$translated"' EXIT
AWS_DEFAULT_REGION=${AWS_REGION:-us-east-1} .venv-deploy/bin/python scripts/stack_check.py \
  --translated "$translated"
# Both stacks deployed, deleted and deployed again in moto's CloudFormation (the emulator's venv).
ensure_venv
.venv/bin/python scripts/redeploy_check.py "$translated"
