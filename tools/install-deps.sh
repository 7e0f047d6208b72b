#!/usr/bin/env bash
# Installs what `make serve` or `make test` needs and is missing, and says what it installs.
# Called by both make targets (and so by .ci/run, which runs `make test`). Nothing already present
# is touched, so a second run only checks.
#
#   tools/install-deps.sh serve   the wasm32 target, wasm-pack, the wasm-bindgen-cli that matches
#                                 Cargo.lock, python3, Node.js + npm and binaryen's wasm-opt (npm)
#   tools/install-deps.sh test    the same, plus clippy, rustfmt, a nightly toolchain and
#                                 cargo-fuzz, Mesa's lavapipe (Vulkan on the CPU), Chromium +
#                                 chromedriver, and the page test's playwright-core
#
# System packages come from apt (Debian, Ubuntu), as root or through sudo. Elsewhere the script
# names what is missing and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-test}
case "$what" in
  serve | test) ;;
  *) echo "usage: tools/install-deps.sh serve|test" >&2; exit 2 ;;
esac

say() { echo "install-deps: $*"; }

# --- system packages -----------------------------------------------------------------------------
need_apt=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pkg() { dpkg -s "$1" >/dev/null 2>&1; }
have_cmd python3 || need_apt+=(python3)
have_cmd node || need_apt+=(nodejs)
have_cmd npm || need_apt+=(npm)
if [ "$what" = test ]; then
  if have_cmd dpkg; then
    have_pkg mesa-vulkan-drivers || need_apt+=(mesa-vulkan-drivers)
    have_pkg libvulkan1 || need_apt+=(libvulkan1)
  fi
  have_cmd c++ || need_apt+=(g++) # libfuzzer-sys builds libFuzzer (make test-fuzz)
  have_cmd chromium || need_apt+=(chromium)
  have_cmd chromedriver || need_apt+=(chromium-driver)
fi
if ((${#need_apt[@]})); then
  if ! have_cmd apt-get; then
    echo "install-deps: missing ${need_apt[*]} (Debian package names); install them with your" \
      "package manager, then run make again" >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    have_cmd sudo || { echo "install-deps: need root or sudo to install ${need_apt[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  say "installing ${need_apt[*]} (apt-get)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

# --- Rust tools ----------------------------------------------------------------------------------
have_cmd rustup || { echo "install-deps: needs Rust through rustup (https://rustup.rs)" >&2; exit 1; }
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "installing the wasm32-unknown-unknown target (rustup)"
  rustup target add wasm32-unknown-unknown
fi
if [ "$what" = test ]; then
  for component in clippy rustfmt; do
    if ! rustup component list --installed | grep -q "^$component"; then
      say "installing $component (rustup)"
      rustup component add "$component"
    fi
  done
fi
if [ "$what" = test ]; then
  # The fuzz targets (make test-fuzz) need a nightly toolchain and cargo-fuzz.
  if ! rustup toolchain list | grep -q '^nightly'; then
    say "installing a nightly toolchain for cargo-fuzz (rustup)"
    rustup toolchain install nightly --profile minimal
  fi
  if ! cargo fuzz --version >/dev/null 2>&1; then
    say "installing cargo-fuzz (cargo install, about 3 minutes)"
    cargo install cargo-fuzz --locked
  fi
fi
if ! have_cmd wasm-pack; then
  say "installing wasm-pack (cargo install, about 3 minutes)"
  cargo install wasm-pack --locked
fi
# wasm-bindgen-cli must equal the wasm-bindgen library exactly (Cargo.toml pins it with `=`).
# Without --locked: with it, this version's lock file names a yanked dependency.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -qF "$wb_version"; then
  say "installing wasm-bindgen-cli $wb_version (cargo install, about 3 minutes)"
  cargo install wasm-bindgen-cli --version "$wb_version"
fi

# --- npm packages (versions pinned by each folder's package-lock.json) ---------------------------
npm_ci() { # folder, what it is for
  if [ ! -d "$1/node_modules" ] || [ "$1/package-lock.json" -nt "$1/node_modules" ]; then
    say "installing $2 (npm ci in $1)"
    (cd "$1" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$1/node_modules"
  fi
}
npm_ci tools "binaryen's wasm-opt, which shrinks the page's .wasm"
[ "$what" = test ] && npm_ci tests/page "playwright-core, which drives Chromium in the page test"
exit 0
