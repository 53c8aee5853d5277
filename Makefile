# The README's commands. Scripts under scripts/ do the work.
.PHONY: dev test test-one soak bench bench-memory bench-cost build build-lambda fmt lint lint-template alarms teardown clean-local

dev:            ## emulator + table + demo users + API on http://127.0.0.1:3000
	@scripts/dev.sh

test:           ## local stack on free ports, then unit and integration tests
	@scripts/test.sh

test-one:       ## the same stack and gateways, one integration test file, no other stage: make test-one TEST=events
	@test -n "$(TEST)" || { echo "make test-one TEST=<file in tests/tests, without .rs>" >&2; exit 2; }
	@CARGO_ONLY=1 scripts/test.sh --test $(TEST)

soak:           ## fresh local stack, SOAK_TRANSACTIONS (1000) DynamoDB transactions + reads: emulator memory and latency
	@scripts/soak.sh

bench:          ## release builds + baselines, cold starts, warm latency, round trips -> bench/results.md
	@scripts/bench.sh

bench-memory:   ## (root) cold starts and two warm paths under the CPU share of 128-1769 MB -> bench/memory.md
	@scripts/bench-memory.sh

bench-cost:     ## metered emulator, each operation alone: request units, then a month of 1,000 users priced -> bench/cost.md
	@scripts/bench-cost.sh

build:
	cargo build --workspace --bins

build-lambda:   ## arm64 bootstraps with cargo-lambda, zipped, sizes in target/lambda/sizes.md (SAM_BUILD=1: then sam build)
	@scripts/build-lambda.sh

fmt:
	cargo fmt --all

lint: lint-template
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

lint-template:  ## cfn-lint, sam validate --lint, the stack check (SAM translator) and the redeploy check (moto) of both stacks (offline)
	@scripts/lint-template.sh

alarms:         ## rewrite template.yaml's generated per-function alarms and dashboard (after adding a function)
	@scripts/deploy-python.sh scripts/alarms.py

teardown:       ## delete a stage entirely, its retained state included: make teardown ENV=dev (asks first; never prod)
	@scripts/deploy-python.sh scripts/teardown.py $(ENV)

clean-local:    ## forget the venvs and local state
	rm -rf .venv .venv-fuzz .venv-deploy .venv-clients .venv-browser .local
