#!/usr/bin/env bash
# `make build-lambda`: every function's `bootstrap` for AWS Lambda (arm64, provided.al2023),
# built offline with cargo-lambda (zig links for aarch64), zipped as Lambda takes it, checked to be
# aarch64, and its sizes reported (target/lambda/sizes.md). With SAM_BUILD=1 it then runs
# `sam build` on template.yaml, which finds the same binaries current and only copies them.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_deploy_venv
export PATH="$ROOT/.venv-deploy/bin:$PATH"
TARGET=aarch64-unknown-linux-gnu
if ! rustup target list --installed | grep -qx "$TARGET"; then
  say "adding the Rust target $TARGET (once)"
  rustup target add "$TARGET" >/dev/null || die "rustup target add $TARGET failed"
fi

mapfile -t functions < <(ls functions)
packages=()
for f in "${functions[@]}"; do packages+=(-p "$f"); done
# LAMBDA_PROFILE=lambda-check (CI) builds the same code unoptimised: minutes, not half an hour,
# but not the binaries to deploy (Cargo.toml says why).
PROFILE="${LAMBDA_PROFILE:-release}"
say "cargo lambda build --profile $PROFILE --arm64: ${#functions[@]} functions (the first build compiles the SDK for aarch64: minutes; with release, each fat-LTO link about 2 minutes)"
started=$SECONDS
cargo lambda build --profile "$PROFILE" --arm64 "${packages[@]}" || die "cargo lambda build failed"
say "built in $((SECONDS - started)) s"

report="$ROOT/target/lambda/sizes.md"
python3 "$ROOT/scripts/package_lambdas.py" "$ROOT/target/lambda" "$PROFILE" "${functions[@]}" >"$report" ||
  die "packaging failed"
cat "$report"

if [ "${SAM_BUILD:-0}" = 1 ]; then
  [ "$PROFILE" = release ] || die "SAM_BUILD=1 deploys release binaries: unset LAMBDA_PROFILE"
  say "sam build (rust-cargolambda; reuses the binaries above)"
  SAM_CLI_TELEMETRY=0 sam build --beta-features --template template.yaml ||
    die "sam build failed"
fi
