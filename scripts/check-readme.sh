#!/usr/bin/env bash
# Runs the README's walk-through verbatim against a running stack, with .local/env pointing at
# it, and checks its output. Called by scripts/test.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
# The first ```sh block after the start marker, without its fences.
block=$(awk '/<!-- walkthrough:start -->/ {armed = 1; next}
             armed && /^```sh$/ {inside = 1; next}
             inside && /^```$/ {exit}
             inside {print}' README.md)
[ -n "$block" ] || die "README.md has no walk-through block"
grep -q '^source .local/env' <<<"$block" || die "the walk-through must start from .local/env"
# Same commands, but the environment of the stack under test instead of make dev's.
: "${ENV_FILE:?ENV_FILE must name the env file of the stack under test}"
block=${block//source .local\/env/source $ENV_FILE}
out=$(bash -euo pipefail -c "$block" 2>&1) || { printf '%s\n' "$out" >&2; die "the README walk-through failed"; }
grep -q '"number":"+1 210-312-4600"' <<<"$out" || die "walk-through: no phone in the output: $out"
[ "$(grep -cx '20[24]' <<<"$out" | tr -d ' ')" = 4 ] || die "walk-through: expected 202, 204, 204, 204: $out"
grep -q '"number":"+1 210-312-4600","verified":true' <<<"$out" || die "walk-through: phone not verified: $out"
grep -q '"name":"My phone","verified":true' <<<"$out" || die "walk-through: OTP device not verified: $out"
grep -q "OS-MF sessionId='" <<<"$out" || die "walk-through: no MFA challenge: $out"
grep -q "\['PASSWORD', 'PASSCODE'\]" <<<"$out" || die "walk-through: no two-factor token: $out"
grep -Eq '<bypassCodes xmlns="http://docs.rackspace.com/identity/api/ext/RAX-AUTH/v1.0" codes="[0-9]{8} [0-9]{8}" validityDuration="P0Y0M0DT1H0M0.000S"/>' <<<"$out" \
  || die "walk-through: no XML bypass codes: $out"
grep -q "\[('bypass.generate', 'success', '127.0.0.1'), ('mfa.verify', 'success', '127.0.0.1'), ('mfa.challenge', 'success', '127.0.0.1')\]" <<<"$out" \
  || die "walk-through: not the security events expected: $out"
say "README walk-through: ok"
