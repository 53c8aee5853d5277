#!/usr/bin/env bash
# `deploy-python.sh SCRIPT [ARGS]`: a Python script run with .venv-deploy (SAM CLI, boto3),
# installed first if need be: `make alarms`, `make teardown`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_deploy_venv
exec .venv-deploy/bin/python "$@"
