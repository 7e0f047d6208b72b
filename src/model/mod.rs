//! GPT-2: configuration, checkpoints, the forward graph over nn/'s layers, the backward pass
//! for LoRA, and LoRA's place in it (which modules, its factors and gradients on the GPU).

mod adapter;
mod backward;
mod config;
mod gpt2;
pub mod memory;
pub mod quant;
mod weights;

#[cfg(not(target_arch = "wasm32"))]
mod files;

pub use adapter::{GpuLora, LoraGrads, Module};
pub use backward::{Batch, TrainBuffers};
pub use config::{merged_config_json, Gpt2Config};
#[cfg(not(target_arch = "wasm32"))]
pub use files::ModelDir;
pub use gpt2::{
    shift_labels, ActShape, Activations, Gpt2, KvCache, LossSum, ModelDropout, Pass, IGNORE_INDEX,
};
pub use weights::{
    expected_tensors, init_tensor, read_slice, Checkpoint, HostTensor, ReadBytes, ReadFuture,
    SafetensorsFile, Storage, TensorSource, WeightDtype, Weights,
};
pub(crate) use weights::{finite, unique_keys};
