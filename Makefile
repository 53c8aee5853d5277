# The README's commands. Scripts under scripts/ do the work.
.PHONY: dev test build fmt lint lint-template clean-local

dev:            ## emulator + table + demo users + API on http://127.0.0.1:3000
	@scripts/dev.sh

test:           ## local stack on free ports, then unit and integration tests
	@scripts/test.sh

build:
	cargo build --workspace --bins

fmt:
	cargo fmt --all

lint: lint-template
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

lint-template:  ## cfn-lint and sam validate --lint on template.yaml (offline)
	@scripts/lint-template.sh

clean-local:    ## forget the venvs and local state
	rm -rf .venv .venv-fuzz .venv-deploy .local
