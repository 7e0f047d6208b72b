//! The backward pass: gradients for LoRA's A and B only (the base is frozen), recorded as the
//! forward's list of layers in reverse (llm.c's gpt2_backward). Frozen weights get no
//! gradients; activations get input gradients through them. Embeddings need none.

use super::gpt2::{shift_labels, ActShape, Activations, Gpt2, LossSum, Pass, IGNORE_INDEX};
use super::{Gpt2Config, GpuLora, LoraGrads};
use crate::error::{Error, Result};
use crate::gpu::Gpu;
use crate::kernels::crossentropy::encode_crossentropy_backward;
use crate::nn::{BufferPlan, Grads, Rows};

/// What one micro-batch of training holds on the GPU for one batch shape (B, T): every
/// layer's activations and the activation-gradient scratch.
pub struct TrainBuffers {
    pub acts: Activations,
    pub grads: Grads,
}

impl TrainBuffers {
    /// For B sequences of T tokens of a model of `cfg`, with an adapter of rank `r`; with
    /// `recompute`, gradient checkpointing (each block's output kept, its other activations
    /// recomputed in the backward pass, as transformers' gradient_checkpointing_enable()).
    pub async fn new(
        gpu: &Gpu,
        cfg: &Gpt2Config,
        b: usize,
        t: usize,
        r: usize,
        recompute: bool,
    ) -> Result<TrainBuffers> {
        let shape = ActShape { b, t, keep_layers: true, recompute, lora_r: r, max_logit_rows: usize::MAX };
        let acts = Activations::alloc(gpu, cfg, shape).await?;
        let grads = Grads::new(gpu, cfg.sizes(b, t, r)).await?;
        Ok(TrainBuffers { acts, grads })
    }

    /// What [`TrainBuffers::new`] allocates, as (activations, activation gradients), with logit
    /// rows for a device whose storage bindings reach `binding_limit` bytes.
    pub fn plan(
        cfg: &Gpt2Config,
        (b, t, r): (usize, usize, usize),
        recompute: bool,
        binding_limit: u64,
    ) -> (BufferPlan, BufferPlan) {
        let shape = ActShape { b, t, keep_layers: true, recompute, lora_r: r, max_logit_rows: usize::MAX };
        (Activations::plan(cfg, &shape, binding_limit), Grads::plan(cfg.sizes(b, t, r)))
    }

    /// GPU memory of (activations, activation gradients).
    pub fn bytes(&self) -> (u64, u64) {
        (self.acts.bytes(), self.grads.bytes())
    }
}

/// One micro-batch: ids and labels (-100 = ignored), both (B, T), and the factor d(loss) is
/// scaled by (1 / micro-batches per step when accumulating).
#[derive(Clone, Copy)]
pub struct Batch<'a> {
    pub ids: &'a [u32],
    pub labels: &'a [i32],
    pub dloss_scale: f32,
}

impl Gpt2 {
    /// Forward, loss, and backward for one batch: adds `dloss_scale` · d(mean loss)/dA and /dB
    /// into `lora_grads` (zero them first for a fresh step) and returns the loss. `pass` is
    /// [`Pass::Train`] (dropout on) or [`Pass::Eval`] (no dropout, for gradient checks).
    pub async fn forward_backward(
        &self,
        gpu: &Gpu,
        bufs: &TrainBuffers,
        lora: &GpuLora,
        lora_grads: &LoraGrads,
        batch: Batch<'_>,
        pass: Pass<'_>,
    ) -> Result<LossSum> {
        let (cfg, acts, grads) = (&self.config, &bufs.acts, &bufs.grads);
        if matches!(pass, Pass::Decode { .. }) {
            return Err(Error::data("a KV cache is for generation; training passes run without one"));
        }
        if acts.layers.len() != cfg.n_layer && !acts.recomputes() {
            return Err(Error::data(
                "backward needs activations that keep every layer (or each block's output, to recompute)",
            ));
        }
        self.check_batch(acts, batch.ids, batch.labels)?;
        let targets = shift_labels(batch.labels, acts.b, acts.t);
        let count = targets.iter().filter(|&&t| t != IGNORE_INDEX).count();
        if count == 0 {
            return Err(Error::data("the batch has no position with a target (all labels are -100)"));
        }
        acts.ids.write(gpu, batch.ids)?;
        acts.targets.write(gpu, &targets)?;
        grads.dres.write(gpu, &vec![0f32; grads.dres.numel()])?;
        let (bt, c) = (acts.b * acts.t, cfg.n_embd);
        let dloss = batch.dloss_scale / count as f32;
        let (w, lm_head) = (&self.weights, self.weights.lm_head());

        self.record(gpu, "gpt2 forward + backward", |r| {
            self.encode_forward(r, acts, Some(lora), &pass)?;
            // Loss and d(loss)/d(ln_f), R rows of logits at a time.
            for r0 in (0..bt).step_by(acts.logit_rows) {
                let rows = acts.logit_rows.min(bt - r0);
                let (logits, ce) = (&acts.logits, (&acts.targets, r0, &acts.losses));
                lm_head.forward(r, &acts.ln_f.y, Rows::contiguous(r0, rows, c), logits)?;
                let v = cfg.vocab_size;
                // The losses and the logits' gradient (in place), in one pass.
                encode_crossentropy_backward(r.gpu, r.pass, logits, v, rows, ce.0, ce.1, dloss, ce.2)?;
                lm_head.backward(r, logits, Rows::contiguous(r0, rows, c), &grads.dln)?;
            }
            let last = acts.block_output(cfg.n_layer - 1);
            w.ln_f.backward(r, last, &acts.ln_f, &grads.dln, &grads.dres)?;
            // The blocks in reverse. grads.dres holds d(loss)/d(this block's output) on entry
            // and d(loss)/d(its input) on exit.
            for (l, block) in w.h.iter().enumerate().rev() {
                let x = if l == 0 { self.layer0_input(acts, &pass) } else { acts.block_output(l - 1) };
                let run = self.block_run(l, acts, Some(lora), Some((lora_grads, grads)), &pass)?;
                if acts.recomputes() {
                    // Refill the shared set with this block's activations: the same inputs and
                    // dropout masks give the same values. (Its output goes to the set's
                    // residual3; the checkpoint is left as it is.)
                    block.forward(r, x, acts.block_acts(l), &run)?;
                }
                block.backward(r, x, acts.block_acts(l), &run, grads)?;
            }
            Ok(())
        })?;
        acts.read_loss(gpu, &targets).await
    }
}
