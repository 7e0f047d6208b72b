//! webtune: fine-tune GPT-2 with LoRA on the user's own GPU, natively (wgpu on Vulkan, Metal,
//! DX12) and in the browser (WebGPU). WGSL compute shaders in `shaders/` do the work; this crate
//! drives them.
//!
//! - [`gpu`]: adapter and device, limits and features, errors as `Result`s, tensors, pipelines.
//! - [`kernels`]: one module per WGSL file, with `encode_*` functions.
//! - [`model`]: GPT-2 config, checkpoints (safetensors), and the forward graph.
//! - [`tokenizer`]: GPT-2's byte-level BPE (tokenizers crate).
//! - `hub` (native only): Hugging Face Hub ids through the shared HF cache (hf-hub crate).
//! - [`cpu`]: f64 CPU references of every kernel, for tests.
//! - `web` (wasm32 only): the wasm-bindgen facade the page's worker calls.

pub mod cpu;
pub mod data;
pub mod error;
pub mod eval;
pub mod generate;
pub mod gpu;
#[cfg(not(target_arch = "wasm32"))]
pub mod hub;
pub mod kernels;
pub mod lora;
pub mod model;
pub mod nn;
pub mod optim;
pub mod sample;
pub mod session;
pub mod tokenizer;
pub mod train;

#[cfg(not(target_arch = "wasm32"))]
pub mod bench;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use error::{Error, Result};
pub use gpu::{Gpu, GpuError, Requirements, Tensor};
pub use model::{Gpt2, Gpt2Config};
pub use tokenizer::Gpt2Tokenizer;
