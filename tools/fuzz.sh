#!/usr/bin/env bash
# Runs every cargo-fuzz target under fuzz/fuzz_targets/ briefly: `tools/fuzz.sh [SECONDS]`
# (default 20 seconds each). Installs cargo-fuzz if it is missing. libFuzzer needs nightly
# compiler flags; on a stable toolchain RUSTC_BOOTSTRAP=1 lets them through.
set -euo pipefail

seconds="${1:-20}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/fuzz"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked
fi

export RUSTC_BOOTSTRAP=1
status=0
for target_file in fuzz_targets/*.rs; do
  target="$(basename "$target_file" .rs)"
  echo "fuzz: $target for ${seconds}s" >&2
  seeds="$root/fuzz/seeds/$target"
  mkdir -p "corpus/$target"
  # Start from the checked-in seeds (if any) rather than from empty input.
  if [ -d "$seeds" ]; then cp -n "$seeds"/* "corpus/$target/" 2>/dev/null || true; fi
  if ! cargo fuzz run "$target" -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048; then
    echo "fuzz: $target FAILED (crash input under fuzz/artifacts/$target/)" >&2
    status=1
  fi
done
exit "$status"
