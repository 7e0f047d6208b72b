# webtune: the two set-up commands are `make serve` and `make test` (see README.md).
# Everything else here is a step of those two.

PORT ?= 8080
CHROMEDRIVER ?= $(shell command -v chromedriver 2>/dev/null || echo /usr/bin/chromedriver)
WASM_OPT := tools/node_modules/.bin/wasm-opt

.PHONY: serve test deps-serve deps-test lint test-native test-fuzz test-wasm test-page pkg

## Build the wasm package into www/pkg and serve www/ on http://127.0.0.1:$(PORT)
serve: deps-serve pkg
	python3 tools/serve.py --dir www --port $(PORT)

## Formatting and clippy (native and wasm32), native tests (any wgpu adapter: lavapipe without a
## GPU), the same tests in headless Chromium, then the web page itself driven in headless Chromium
test: deps-test lint test-native test-fuzz test-wasm test-page

# What the two commands need and this machine lacks is installed first (tools/install-deps.sh says
# what it installs; a second run only checks).
deps-serve:
	@bash tools/install-deps.sh serve

deps-test:
	@bash tools/install-deps.sh test

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings

# The matmul autotuner's cache is off in tests (WEBTUNE_CACHE_DIR empty): every run times the
# candidates itself, and nothing is written to the user's cache directory.
test-native:
	WEBTUNE_CACHE_DIR= cargo test

# The parsers of untrusted files under libFuzzer (cargo-fuzz, nightly; fuzz/README.md): each
# target for FUZZ_SECONDS from the committed seeds, on a scratch corpus. A crash fails the run,
# and its input is left in fuzz/artifacts/<target>/ (copy it to fuzz/regressions/<target>/).
FUZZ_SECONDS ?= 30
FUZZ_TARGETS := config safetensors adapter
test-fuzz:
	cd fuzz && cargo +nightly fuzz build -s none --debug-assertions
	@mkdir -p target/fuzz
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p target/fuzz/corpus-$$t; \
	  (cd fuzz && cargo +nightly fuzz run -s none --debug-assertions $$t ../target/fuzz/corpus-$$t seeds/$$t -- \
	    -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -malloc_limit_mb=256) > target/fuzz/$$t.log 2>&1 \
	    || { tail -40 target/fuzz/$$t.log; echo "fuzz: $$t crashed (input in fuzz/artifacts/$$t/)"; exit 1; }; \
	  echo "fuzz: $$t: $$(grep -E '^Done' target/fuzz/$$t.log)"; \
	done

test-wasm:
	WASM_BINDGEN_TEST_TIMEOUT=900 wasm-pack test --headless --chrome --chromedriver "$(CHROMEDRIVER)"

# The page test (tests/page/page.test.mjs) compares the page's adapter with `webtune train`'s.
test-page: pkg
	cargo build --bin webtune
	node tests/page/page.test.mjs

# wasm-pack's own wasm-opt step would download binaryen (Cargo.toml turns it off); the npm package
# binaryen (tools/package.json) runs instead: -Oz, since the .wasm's work is the tokenizer and the
# orchestration, while the GPU does the arithmetic.
pkg: deps-serve
	wasm-pack build --target web --release --no-typescript --no-pack --out-dir www/pkg
	@before=$$(wc -c < www/pkg/webtune_bg.wasm); \
	$(WASM_OPT) -Oz www/pkg/webtune_bg.wasm -o www/pkg/webtune_bg.opt.wasm && \
	mv www/pkg/webtune_bg.opt.wasm www/pkg/webtune_bg.wasm && \
	echo "wasm-opt -Oz: webtune_bg.wasm $$before -> $$(wc -c < www/pkg/webtune_bg.wasm) bytes"
