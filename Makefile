# webtune: the two set-up commands are `make serve` and `make test` (see README.md).
# Everything else here is a step of those two.

PORT ?= 8080
CHROMEDRIVER ?= $(shell command -v chromedriver 2>/dev/null || echo /usr/bin/chromedriver)
# wasm-bindgen-cli must match the wasm-bindgen library exactly; Cargo.toml pins it with `=`.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

.PHONY: serve test lint test-native test-wasm test-page pkg wasm-tools

## Build the wasm package into www/pkg and serve www/ on http://127.0.0.1:$(PORT)
serve: pkg
	@command -v python3 >/dev/null || { echo "make serve needs python3 (apt-get install python3)"; exit 1; }
	python3 tools/serve.py --dir www --port $(PORT)

## Formatting and clippy (native and wasm32), native tests (any wgpu adapter: lavapipe without a
## GPU), the same tests in headless Chromium, then the web page itself driven in headless Chromium
test: lint test-native test-wasm test-page

lint: wasm-tools
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy
	@rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings

# The matmul autotuner's cache is off in tests (WEBTUNE_CACHE_DIR empty): every run times the
# candidates itself, and nothing is written to the user's cache directory.
test-native:
	WEBTUNE_CACHE_DIR= cargo test

test-wasm: wasm-tools
	@test -x "$(CHROMEDRIVER)" || { echo "browser tests need chromium and chromedriver (apt-get install chromium chromium-driver)"; exit 1; }
	WASM_BINDGEN_TEST_TIMEOUT=900 wasm-pack test --headless --chrome --chromedriver "$(CHROMEDRIVER)"

# The page test (tests/page/page.test.mjs) compares the page's adapter with `webtune train`'s.
test-page: pkg
	@command -v node >/dev/null || { echo "the page test needs Node.js 20+ and npm (apt-get install nodejs npm)"; exit 1; }
	@test -d tests/page/node_modules/playwright-core || (cd tests/page && npm ci --no-audit --no-fund)
	cargo build --bin webtune
	node tests/page/page.test.mjs

pkg: wasm-tools
	wasm-pack build --target web --release --no-typescript --no-pack --out-dir www/pkg

# Installs only what is missing: the wasm32 target, wasm-pack, and the matching wasm-bindgen-cli
# (wasm-pack would otherwise download a prebuilt one).
wasm-tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@command -v wasm-pack >/dev/null || cargo install wasm-pack --locked
	@wasm-bindgen --version 2>/dev/null | grep -qF "$(WASM_BINDGEN_VERSION)" || cargo install wasm-bindgen-cli --version "$(WASM_BINDGEN_VERSION)"
