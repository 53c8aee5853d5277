# The README's commands. Scripts under scripts/ do the work.
.PHONY: dev test soak bench bench-memory build build-lambda fmt lint lint-template clean-local

dev:            ## emulator + table + demo users + API on http://127.0.0.1:3000
	@scripts/dev.sh

test:           ## local stack on free ports, then unit and integration tests
	@scripts/test.sh

soak:           ## fresh local stack, SOAK_TRANSACTIONS (1000) DynamoDB transactions + reads: emulator memory and latency
	@scripts/soak.sh

bench:          ## release builds + baselines, cold starts, warm latency, round trips -> bench/results.md
	@scripts/bench.sh

bench-memory:   ## (root) cold starts and two warm paths under the CPU share of 128-1769 MB -> bench/memory.md
	@scripts/bench-memory.sh

build:
	cargo build --workspace --bins

build-lambda:   ## arm64 bootstraps with cargo-lambda, zipped, sizes in target/lambda/sizes.md (SAM_BUILD=1: then sam build)
	@scripts/build-lambda.sh

fmt:
	cargo fmt --all

lint: lint-template
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

lint-template:  ## cfn-lint, sam validate --lint and the stack check (SAM translator) on template.yaml (offline)
	@scripts/lint-template.sh

clean-local:    ## forget the venvs and local state
	rm -rf .venv .venv-fuzz .venv-deploy .venv-clients .venv-browser .local
