#!/usr/bin/env bash
# `make lint-template`: cfn-lint, `sam validate --lint` and the stack check (scripts/
# stack_check.py) on template.yaml, offline.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
install_venv "$ROOT/.venv-deploy" "$ROOT/requirements-deploy.txt" "the SAM CLI and cfn-lint"
say "cfn-lint template.yaml"
.venv-deploy/bin/cfn-lint template.yaml
say "sam validate --lint"
# sam reads a region and credentials even to validate offline; nothing is sent to AWS.
AWS_REGION=${AWS_REGION:-us-east-1} AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-offline} \
  AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-offline} SAM_CLI_TELEMETRY=0 \
  .venv-deploy/bin/sam validate --lint --template template.yaml
# The template as CloudFormation (the SAM translator, offline): every route invokes its function,
# every function may be invoked by the API, every policy reference is a resource of the stack.
AWS_DEFAULT_REGION=${AWS_REGION:-us-east-1} .venv-deploy/bin/python scripts/stack_check.py
