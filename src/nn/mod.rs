//! GPT-2's layers, as transformers' modeling_gpt2.py names them: [`LayerNorm`], [`Conv1D`]
//! (with LoRA's optional low-rank delta), [`Attention`], [`Mlp`], [`Block`] and [`LmHead`].
//!
//! Each is a small struct over its GPU weights with `forward` and `backward` methods that record
//! kernels (kernels/) into a [`Rec`]. A layer's activations are a struct beside it (`LnActs`,
//! `AttnActs`, `MlpActs`, `BlockActs`) with their shapes in comments; what differs between
//! passes (dropout masks, the adapter, a KV cache) comes in as a [`BlockRun`] that model/ builds
//! per layer. Backward passes compute input gradients through the frozen weights and gradients
//! for LoRA's A and B only (the base is frozen; llm.c's gpt2_backward without weight gradients).
//!
//! This layer knows shapes and kernels. It knows nothing of checkpoints, config.json or adapter
//! files: model/ builds these structs, lora/ reads and writes adapters.

mod attention;
mod block;
mod conv1d;
mod layernorm;
mod lm_head;
mod lora;
mod mlp;

pub use crate::gpu::{BufferPlan, Buffers};
pub use attention::{Attention, AttnActs};
pub use block::{Block, BlockActs, BlockRun, Grads, LoraSite};
pub use conv1d::Conv1D;
pub use layernorm::{LayerNorm, LnActs};
pub use lm_head::{LmHead, Rows};
pub use lora::{LoraDelta, LoraGradsRef, LoraWeights};
pub use mlp::{Mlp, MlpActs};

use crate::gpu::{Gpu, Result, Tensor};

/// The sizes activation buffers are planned from: B sequences of T tokens, width C, MLP width
/// F, NH heads, and the LoRA rank r (0 without an adapter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    pub b: usize,
    pub t: usize,
    pub c: usize,
    pub f: usize,
    pub nh: usize,
    pub r: usize,
}

impl Sizes {
    pub fn bt(&self) -> usize {
        self.b * self.t
    }
}
use crate::kernels::elementwise::{encode_dropout_forward, DropoutMask};
use crate::kernels::matmul::Variant;

/// Where a pass is recorded: the device, the compute pass, and the matmul variant the model
/// uses for its products.
pub struct Rec<'a, 'p> {
    pub gpu: &'a Gpu,
    pub pass: &'a mut wgpu::ComputePass<'p>,
    pub variant: Variant,
}

impl<'a, 'p> Rec<'a, 'p> {
    pub fn new(gpu: &'a Gpu, pass: &'a mut wgpu::ComputePass<'p>, variant: Variant) -> Self {
        Rec { gpu, pass, variant }
    }
}

/// `x` after inverted dropout with `mask`, recorded into `scratch`; `x` itself without a mask.
/// (The same product with the same mask is dropout's backward for a gradient.)
pub fn dropout<'t>(
    r: &mut Rec,
    mask: Option<DropoutMask>,
    x: &'t Tensor,
    scratch: Option<&'t Tensor>,
) -> Result<&'t Tensor> {
    let Some(mask) = mask else { return Ok(x) };
    let out = scratch.ok_or_else(|| {
        crate::gpu::GpuError::Shape(format!("dropout of '{}' needs training activations (scratch)", x.label))
    })?;
    encode_dropout_forward(r.gpu, r.pass, mask, x.numel(), x, out)?;
    Ok(out)
}

/// Rows of a (rows, cols) or (B, T, cols) tensor: every dimension but the last.
fn rows(t: &Tensor) -> usize {
    t.shape[..t.shape.len().saturating_sub(1)].iter().product()
}
