//! Shared test harness: the fixtures, the GPU for a test, seeded random inputs, and `gpu_test!`, which turns
//! one async test body into a native `#[test]` (lavapipe or any wgpu adapter) and a
//! `#[wasm_bindgen_test]` (headless Chromium's WebGPU), so the same checks run in both.
//!
//! A GPU test never skips: without an adapter it fails, with the reason (this is what CI needs,
//! and a local run without a GPU should say so rather than pass).
#![allow(dead_code)]

use rand_chacha::rand_core::{RngCore, SeedableRng};
use webtune::{Gpu, Requirements};

/// A model fixture from tests/fixtures/ (made by tests/reference/make_gpt2_fixtures.py), embedded
/// in the test binary so the same test runs natively and in the browser.
pub struct ModelFixture {
    pub config: &'static str,
    pub weights: &'static [u8],
    /// transformers' inputs, logits and loss for the model (golden.safetensors).
    pub golden: &'static [u8],
}

/// Vocabulary 50257 (GPT-2's tokenizer), width 32.
pub const TINY: ModelFixture = ModelFixture {
    config: include_str!("../fixtures/gpt2-tiny/config.json"),
    weights: include_bytes!("../fixtures/gpt2-tiny/model.safetensors"),
    golden: include_bytes!("../fixtures/gpt2-tiny/golden.safetensors"),
};

/// Awkward sizes: head size 12, 48 positions, a small vocabulary.
pub const ODD: ModelFixture = ModelFixture {
    config: include_str!("../fixtures/gpt2-odd/config.json"),
    weights: include_bytes!("../fixtures/gpt2-odd/model.safetensors"),
    golden: include_bytes!("../fixtures/gpt2-odd/golden.safetensors"),
};

/// `adapter_files!("attn-mlp")`: a PEFT adapter fixture from tests/fixtures/lora/ (made by
/// tests/reference/make_lora_fixtures.py) as (adapter_config.json, adapter_model.safetensors).
#[macro_export]
macro_rules! adapter_files {
    ($name:literal) => {
        (
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/lora/",
                $name,
                "/adapter_config.json"
            )),
            include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/lora/",
                $name,
                "/adapter_model.safetensors"
            ))
            .as_slice(),
        )
    };
}

pub async fn gpu() -> Gpu {
    match Gpu::new(Requirements::default()).await {
        Ok(gpu) => gpu,
        Err(e) => panic!("GPU tests need a GPU adapter and none could be opened: {e}"),
    }
}

/// `n` values uniform in [-1, 1), from a seeded ChaCha8 stream.
pub fn uniform(n: usize, seed: u64) -> Vec<f32> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    (0..n).map(|_| (rng.next_u32() >> 8) as f32 / (1u32 << 23) as f32 - 1.0).collect()
}

/// `gpu_test!(name(gpu) { body })`: `body` runs with `gpu: &Gpu`, natively and in the browser.
#[macro_export]
macro_rules! gpu_test {
    ($name:ident($gpu:ident) $body:block) => {
        #[cfg(not(target_arch = "wasm32"))]
        #[test]
        fn $name() {
            pollster::block_on(async {
                let owned = common::gpu().await;
                let $gpu: &webtune::Gpu = &owned;
                $body
            })
        }

        #[cfg(target_arch = "wasm32")]
        #[wasm_bindgen_test::wasm_bindgen_test]
        async fn $name() {
            let owned = common::gpu().await;
            let $gpu: &webtune::Gpu = &owned;
            $body
        }
    };
}

/// A line for the test's output: stderr natively (`-- --nocapture` shows it), the console in the
/// browser (wasm-bindgen-test prints it).
pub fn log(message: &str) {
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::console_log!("{message}");
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("{message}");
}

/// Whether the browser's default adapter offers `feature` (asked of WebGPU directly, not through
/// wgpu, which does not map every feature).
#[cfg(target_arch = "wasm32")]
pub async fn adapter_has(feature: &str) -> bool {
    #[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export async function adapterHas(feature) {
  const gpu = (globalThis.navigator || {}).gpu;
  const adapter = gpu && await gpu.requestAdapter({ powerPreference: 'high-performance' });
  return !!adapter && adapter.features.has(feature);
}
"#)]
    extern "C" {
        #[wasm_bindgen(js_name = adapterHas)]
        async fn adapter_has_js(feature: &str) -> wasm_bindgen::JsValue;
    }
    adapter_has_js(feature).await.as_bool().unwrap_or(false)
}
