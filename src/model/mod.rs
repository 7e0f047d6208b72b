//! GPT-2: configuration, checkpoints, and the forward graph.

mod backward;
mod config;
mod gpt2;
pub mod memory;
mod weights;

#[cfg(not(target_arch = "wasm32"))]
mod files;

pub use backward::{Grads, LoraGrads};
pub use config::{merged_config_json, Gpt2Config};
#[cfg(not(target_arch = "wasm32"))]
pub use files::{load_adapter, load_training_state, save_adapter, save_checkpoint, ModelDir, TRAINING_STATE};
pub use gpt2::{
    shift_labels, Activations, Gpt2, GpuLora, KvCache, LayerActs, LossSum, ModelDropout, IGNORE_INDEX,
};
pub use weights::{
    expected_tensors, read_slice, Checkpoint, HostTensor, LayerWeights, ReadBytes, ReadFuture,
    SafetensorsFile, TensorSource, WeightDtype, Weights,
};
