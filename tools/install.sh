#!/usr/bin/env bash
# Installs what building and testing KeyScope needs, and only what is missing, on Debian.
# Every install says what it is for; a machine that already has everything prints one line.
#
#   Rust + wasm32-unknown-unknown target, rustfmt, clippy   (the crate and its checks)
#   wasm-bindgen-cli at the exact version Cargo.toml pins   (the CLI refuses any other)
#   apt: chromium chromium-driver firefox-esr openssl zip xvfb (browsers for the e2e suite,
#        the demo site's certificate, the release zips, a display for headed runs)
#   node_modules via `npm ci` (puppeteer-core, web-ext, binaryen's wasm-opt, axe-core)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

installed_anything=0
say() { printf 'install: %s\n' "$*"; installed_anything=1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "install: need root or sudo to run: $*" >&2; exit 1
  fi
}

# --- apt packages -----------------------------------------------------------------------
apt_updated=0
apt_install() {
  # apt-get update at most once per run, and only when something is actually missing.
  if [ "$apt_updated" -eq 0 ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing_apt=()
for pkg in chromium chromium-driver firefox-esr openssl zip xvfb ca-certificates curl; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing_apt+=("$pkg")
  fi
done
# cargo links native code (tests, the CLI, wasm-bindgen-cli) with the system C toolchain.
command -v cc >/dev/null || missing_apt+=(build-essential)
# Node 18+ runs the build script and the browser tests.
command -v node >/dev/null || missing_apt+=(nodejs npm)
if [ "${#missing_apt[@]}" -gt 0 ]; then
  say "apt packages ${missing_apt[*]}"
  apt_install "${missing_apt[@]}"
fi

# --- Rust ---------------------------------------------------------------------------------
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null; then
  # Debian's packaged Rust is older than the crate's rust-version; rustup is the supported way.
  say "Rust toolchain (rustup, stable)"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -q
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi
if command -v rustup >/dev/null; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  for component in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$component"; then
      say "Rust component $component"
      rustup component add "$component"
    fi
  done
fi

# --- wasm-bindgen-cli, the same version as the crate --------------------------------------
bindgen_version="$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)"
if [ -z "$bindgen_version" ]; then
  echo 'install: Cargo.toml must pin wasm-bindgen exactly (wasm-bindgen = "=X.Y.Z")' >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]; then
  say "wasm-bindgen-cli $bindgen_version (cargo install, a few minutes)"
  # --locked reproduces the CLI's own lockfile; when that pins a crate version the registry
  # no longer serves, resolve afresh instead of failing the whole setup.
  if ! cargo install wasm-bindgen-cli --version "$bindgen_version" --locked --quiet; then
    echo "install: --locked failed; retrying wasm-bindgen-cli $bindgen_version without it"
    cargo install wasm-bindgen-cli --version "$bindgen_version" --quiet
  fi
fi

# --- node packages ------------------------------------------------------------------------
# npm ci when node_modules is missing or was installed from a different package-lock.json.
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp=node_modules/.keyscope-lock-sha256
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  say "node packages (npm ci: puppeteer-core, web-ext, binaryen, axe-core)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > "$stamp"
fi

if [ "$installed_anything" -eq 0 ]; then
  echo "install: everything needed is already present"
fi
