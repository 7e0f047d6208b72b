//! LoRA as the model sees it: the four Conv1D sites of a block that an adapter can target
//! ([`Module`]), an adapter's factors on the GPU ([`GpuLora`]) and their gradients
//! ([`LoraGrads`]). Reading, writing, initialising and merging adapters is lora/'s work; the
//! low-rank products are nn/'s.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Gpt2Config;
use crate::error::Result;
use crate::gpu::{DType, Gpu, Tensor};
use crate::nn::LoraWeights;

/// The four Conv1D layers of a GPT-2 block that LoRA can target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Module {
    AttnCAttn,
    AttnCProj,
    MlpCFc,
    MlpCProj,
}

impl Module {
    /// In the order of nn::BlockRun's LoRA sites.
    pub const ALL: [Module; 4] = [Module::AttnCAttn, Module::AttnCProj, Module::MlpCFc, Module::MlpCProj];

    /// The module's path inside a block, as in checkpoint names.
    pub fn path(self) -> &'static str {
        match self {
            Module::AttnCAttn => "attn.c_attn",
            Module::AttnCProj => "attn.c_proj",
            Module::MlpCFc => "mlp.c_fc",
            Module::MlpCProj => "mlp.c_proj",
        }
    }

    /// The module whose path is `path` ("attn.c_attn", ...).
    pub fn from_path(path: &str) -> Option<Module> {
        Module::ALL.into_iter().find(|m| m.path() == path)
    }

    /// (in, out) features.
    pub fn dims(self, cfg: &Gpt2Config) -> (usize, usize) {
        let (c, f) = (cfg.n_embd, cfg.n_inner);
        match self {
            Module::AttnCAttn => (c, 3 * c),
            Module::AttnCProj => (c, c),
            Module::MlpCFc => (c, f),
            Module::MlpCProj => (f, c),
        }
    }

    /// Index among [`Module::ALL`] (dropout masks are keyed by layer and module).
    pub fn index(self) -> u32 {
        Module::ALL.iter().position(|&m| m == self).expect("listed") as u32
    }
}

/// A LoRA adapter on the GPU: per targeted (layer, module), A (r, in) and B (out, r).
pub struct GpuLora {
    pub r: usize,
    /// α/r (or α/√r with rsLoRA).
    pub scale: f32,
    /// lora_dropout, applied to the adapter's input in training passes only.
    pub dropout: f32,
    pub modules: BTreeMap<(usize, Module), LoraWeights>,
    id: u64,
}

impl GpuLora {
    pub fn new(
        r: usize,
        scale: f32,
        dropout: f32,
        modules: BTreeMap<(usize, Module), LoraWeights>,
    ) -> GpuLora {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        GpuLora { r, scale, dropout, modules, id: NEXT.fetch_add(1, Ordering::Relaxed) }
    }

    /// Tells one upload from another: a generation checks that it runs with the adapter it
    /// started with (its KV cache holds keys and values computed with it).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// GPU memory of A and B.
    pub fn bytes(&self) -> u64 {
        self.modules.values().map(|w| w.a.bytes() + w.b.bytes()).sum()
    }
}

/// d(loss)/dA (r, in) and d(loss)/dB (out, r) per LoRA module, accumulated over micro-batches
/// until zeroed.
pub struct LoraGrads {
    pub tensors: BTreeMap<(usize, Module), LoraWeights>,
}

impl LoraGrads {
    pub async fn new(gpu: &Gpu, lora: &GpuLora) -> Result<LoraGrads> {
        let mut tensors = BTreeMap::new();
        for (&(layer, m), w) in &lora.modules {
            let name = format!("h.{layer}.{}", m.path());
            let a = Tensor::zeros(gpu, &format!("{name}.lora_A.grad"), &w.a.shape, DType::F32).await?;
            let b = Tensor::zeros(gpu, &format!("{name}.lora_B.grad"), &w.b.shape, DType::F32).await?;
            tensors.insert((layer, m), LoraWeights { a, b });
        }
        Ok(LoraGrads { tensors })
    }

    /// GPU memory of the gradients.
    pub fn bytes(&self) -> u64 {
        self.tensors.values().map(|w| w.a.bytes() + w.b.bytes()).sum()
    }

    /// Zero them (at the start of an optimizer step).
    pub fn zero(&self, gpu: &Gpu) -> Result<()> {
        for w in self.tensors.values() {
            w.a.write(gpu, &vec![0f32; w.a.numel()])?;
            w.b.write(gpu, &vec![0f32; w.b.numel()])?;
        }
        Ok(())
    }
}
