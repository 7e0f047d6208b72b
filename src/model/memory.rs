//! What a run will allocate on the GPU, before it starts: the page says what fits.
//!
//! Weights, activations and activation gradients are the sums of the buffer plans that their
//! allocations use ([`Weights::plan`], [`TrainBuffers::plan`]), so a new buffer is counted here
//! by being allocated there. The adapter's share is its parameter count four times over (A and
//! B, their gradients, AdamW's two moments). tests/session.rs checks each category against the
//! buffers a run really allocates.
//! WebGPU does not disclose how much memory a GPU has, so the page compares the total with
//! nothing more than what it can know: the largest buffer the adapter allows, and the 4 GiB a
//! wasm32 module can address (each checkpoint tensor passes through it on its way to the GPU).

use serde::Serialize;

use super::{Gpt2Config, TrainBuffers, WeightDtype, Weights};
use crate::error::{Error, Result};
use crate::gpu::Gpu;

/// Bytes, by what they hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct MemoryEstimate {
    /// The frozen weights as uploaded.
    pub weights: u64,
    /// Forward activations of every layer (kept for the backward pass) and the logits block.
    pub activations: u64,
    /// Activation gradients (one layer's at a time, reused).
    pub gradients: u64,
    /// LoRA's A and B, their gradients, and AdamW's two moments.
    pub adapter: u64,
    pub total: u64,
    /// The largest single buffer among them (the adapter's max_buffer_size must allow it).
    pub largest_buffer: u64,
    /// Peak host (wasm) memory while loading, which reads one tensor at a time: the largest
    /// tensor (wte) as stored (at most 4 bytes an element) plus its f32 copy.
    pub host_peak: u64,
}

impl MemoryEstimate {
    /// Refuse, before anything is allocated, a run with a buffer larger than `gpu` allows (its
    /// max_buffer_size, or max_storage_buffer_binding_size if smaller), with the numbers. (Each
    /// allocation checks its own size too; this says it before the weights are uploaded.)
    pub fn check_limits(&self, gpu: &Gpu, what: &str) -> Result<()> {
        let (size, binding) = (gpu.limits.max_buffer_size, gpu.limits.max_storage_buffer_binding_size);
        let (limit, have) = if binding < size {
            ("max_storage_buffer_binding_size", binding)
        } else {
            ("max_buffer_size", size)
        };
        if self.largest_buffer > have {
            // Browsers may not disclose the adapter's name.
            let adapter = match gpu.report.name.as_str() {
                "" => "this adapter".to_string(),
                name => format!("the adapter '{name}'"),
            };
            return Err(Error::data(format!(
                "{what} needs a GPU buffer of {} bytes, over {adapter}'s {limit} of {have} bytes: \
                 lower the batch size or the sequence length",
                self.largest_buffer
            )));
        }
        Ok(())
    }
}

/// A LoRA training run of `b` x `t` tokens per micro-batch, with rank `r` on `lora_params`
/// adapter parameters.
pub fn training(
    cfg: &Gpt2Config,
    dtype: WeightDtype,
    (b, t, r): (usize, usize, usize),
    recompute: bool,
    lora_params: usize,
) -> MemoryEstimate {
    let weights = Weights::plan(cfg, dtype);
    // Logit rows as a device with WebGPU's minimum binding size (128 MiB) gets them.
    let (acts, grads) = TrainBuffers::plan(cfg, (b, t, r), recompute, 128 << 20);
    // Saturating: a config at its largest sizes must give a (huge) number, not an overflow.
    let adapter = (lora_params as u64).saturating_mul(16);
    let (w, a, g) = (weights.bytes(), acts.bytes(), grads.bytes());
    MemoryEstimate {
        weights: w,
        activations: a,
        gradients: g,
        adapter,
        total: w.saturating_add(a).saturating_add(g).saturating_add(adapter),
        largest_buffer: acts.largest().max(grads.largest()),
        // wte as stored (at most 4 bytes an element) plus its f32 copy.
        host_peak: 8 * (cfg.vocab_size as u64 * cfg.n_embd as u64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpt2_small_tutorial_run() {
        let cfg = Gpt2Config::preset("gpt2").unwrap();
        let e = training(&cfg, WeightDtype::F32, (4, 128, 8), false, 294_912);
        assert_eq!(e.weights, 4 * 124_439_808);
        assert_eq!(e.adapter, 16 * 294_912);
        // Per layer: 10·BTC + 2·BTF + 4·BT + B·NH·T floats = 10·512·768 + 2·512·3072 + ...
        let per_layer = 10 * 512 * 768 + 2 * 512 * 3072 + 4 * 512 + 4 * 12 * 128;
        assert!(e.activations > 4 * 12 * per_layer as u64);
        assert_eq!(e.total, e.weights + e.activations + e.gradients + e.adapter);
        // About 1 GB in all: weights 0.5 GB, activations ~0.47 GB.
        assert!((0.9e9..1.2e9).contains(&(e.total as f64)), "{e:?}");
        let half = training(&cfg, WeightDtype::F16, (4, 128, 8), false, 294_912);
        // Gradient checkpointing keeps one layer's set and each block's output (B·T·C).
        let rc = training(&cfg, WeightDtype::F32, (4, 128, 8), true, 294_912);
        assert!(rc.activations < e.activations / 2, "{rc:?} vs {e:?}");
        assert!(rc.activations > 4 * (per_layer + 11 * 512 * 768) as u64, "{rc:?}");
        // gpt2-xl loads through wasm one tensor at a time: wte (321 MB) twice at most.
        let xl = training(&Gpt2Config::preset("gpt2-xl").unwrap(), WeightDtype::F32, (4, 128, 8), false, 0);
        assert_eq!(xl.host_peak, 8 * 50257 * 1600);
        assert!(half.weights < e.weights / 2 + 4_000_000, "{half:?}");
    }
}
