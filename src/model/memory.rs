//! What a run will allocate on the GPU, before it starts: the page says what fits.
//!
//! The sums mirror the allocations of [`Weights::upload`](super::Weights::upload),
//! [`Activations::new`](super::Activations::new) (with every layer kept for the backward pass),
//! [`Grads::new`](super::Grads::new), the LoRA tensors and the optimizer state, so a change there
//! belongs here too: tests/session.rs checks each category against the buffers a run allocates
//! (within 1%).
//! WebGPU does not disclose how much memory a GPU has, so the page compares the total with
//! nothing more than what it can know: the largest buffer the adapter allows, and the 4 GiB a
//! wasm32 module can address (each checkpoint tensor passes through it on its way to the GPU).

use serde::Serialize;

use super::{Gpt2Config, WeightDtype};

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

/// Logit rows computed at once: as [`Activations`](super::Activations) chooses them.
fn logit_rows(cfg: &Gpt2Config, bt: u64) -> u64 {
    let budget = (64u64 << 20) / (cfg.vocab_size as u64 * 4);
    budget.clamp(1, bt.max(1))
}

/// A LoRA training run of `b` x `t` tokens per micro-batch, with rank `r` on `lora_params`
/// adapter parameters.
pub fn training(
    cfg: &Gpt2Config,
    dtype: WeightDtype,
    b: usize,
    t: usize,
    r: usize,
    lora_params: usize,
) -> MemoryEstimate {
    // u64 throughout: on wasm32 a usize product of a big preset's sizes would wrap.
    let [c, f, nh, v, b, t, r] =
        [cfg.n_embd, cfg.n_inner, cfg.n_head, cfg.vocab_size, b, t, r].map(|x| x as u64);
    let lora_params = lora_params as u64;
    let bt = b * t;
    let f32s = |n: u64| 4 * n;
    let params = cfg.num_parameters() as u64;
    // f16 storage halves the four weight matrices of each layer and wte.
    let halved = cfg.n_layer as u64 * (c * 3 * c + c * c + c * f + f * c) + v * c;
    let weights = match dtype {
        WeightDtype::F32 => f32s(params),
        WeightDtype::F16 => f32s(params) - 2 * halved,
    };
    let per_layer = 10 * bt * c + 2 * bt * f + 4 * bt + b * nh * t;
    let rows = logit_rows(cfg, bt);
    let activations = f32s(
        cfg.n_layer as u64 * per_layer
            + 2 * bt // ids, targets
            + 4 * bt * c // encoded, ln_f, encoded_drop, branch_drop
            + 2 * bt // ln_f mean, rstd
            + bt * r + bt * c.max(f) // lora_xa, lora_xd
            + rows * v
            + bt, // losses
    );
    // Per token: dres, dln, datty, dbranch (C each), dqkv (3C), dfch_gelu, dfch (F each), att_d
    // (NH per sequence position), lora_dxa (r), lora_dx (max(C, F)).
    let gradients = f32s(7 * bt * c + 2 * bt * f + b * nh * t + bt * r + bt * c.max(f));
    let adapter = f32s(4 * lora_params);
    let largest_buffer =
        [f32s(bt * f), f32s(rows * v), f32s(bt * c.max(f)), f32s(bt * 3 * c)].into_iter().max().unwrap_or(0);
    MemoryEstimate {
        weights,
        activations,
        gradients,
        adapter,
        total: weights + activations + gradients + adapter,
        largest_buffer,
        host_peak: 2 * f32s(v * c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpt2_small_tutorial_run() {
        let cfg = Gpt2Config::preset("gpt2").unwrap();
        let e = training(&cfg, WeightDtype::F32, 4, 128, 8, 294_912);
        assert_eq!(e.weights, 4 * 124_439_808);
        assert_eq!(e.adapter, 16 * 294_912);
        // Per layer: 10·BTC + 2·BTF + 4·BT + B·NH·T floats = 10·512·768 + 2·512·3072 + ...
        let per_layer = 10 * 512 * 768 + 2 * 512 * 3072 + 4 * 512 + 4 * 12 * 128;
        assert!(e.activations > 4 * 12 * per_layer as u64);
        assert_eq!(e.total, e.weights + e.activations + e.gradients + e.adapter);
        // About 1 GB in all: weights 0.5 GB, activations ~0.47 GB.
        assert!((0.9e9..1.2e9).contains(&(e.total as f64)), "{e:?}");
        let half = training(&cfg, WeightDtype::F16, 4, 128, 8, 294_912);
        // gpt2-xl loads through wasm one tensor at a time: wte (321 MB) twice at most.
        let xl = training(&Gpt2Config::preset("gpt2-xl").unwrap(), WeightDtype::F32, 4, 128, 8, 0);
        assert_eq!(xl.host_peak, 8 * 50257 * 1600);
        assert!(half.weights < e.weights / 2 + 4_000_000, "{half:?}");
    }
}
