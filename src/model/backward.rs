//! The backward pass: gradients for LoRA's A and B only (the base is frozen), recorded as the
//! forward's list of launches in reverse (llm.c's gpt2_backward). Frozen weights get no
//! gradients; activations get input gradients through them. Embeddings need none.

use std::collections::BTreeMap;

use super::gpt2::{shift_labels, Activations, Gpt2, LossSum, IGNORE_INDEX};
use crate::error::{Error, Result};
use crate::gpu::{DType, Gpu, Tensor};
use crate::kernels::attention::encode_attention_backward;
use crate::kernels::crossentropy::{encode_crossentropy_backward, encode_crossentropy_forward};
use crate::kernels::elementwise::{encode_dropout_backward, encode_gelu_backward};
use crate::kernels::layernorm::encode_layernorm_backward;
use crate::kernels::matmul::{encode_gemm, encode_matmul_backward_input, Gemm};
use crate::lora::Module;

/// d(loss)/dA (r, in) and d(loss)/dB (out, r) per LoRA module, accumulated over micro-batches
/// until zeroed.
pub struct LoraGrads {
    pub tensors: BTreeMap<(usize, Module), (Tensor, Tensor)>,
}

impl LoraGrads {
    /// GPU memory of the gradients.
    pub fn bytes(&self) -> u64 {
        self.tensors.values().map(|(a, b)| a.bytes() + b.bytes()).sum()
    }

    pub async fn new(gpu: &Gpu, model: &Gpt2) -> Result<LoraGrads> {
        let lora =
            model.lora.as_ref().ok_or_else(|| Error::data("the model has no LoRA adapter to train"))?;
        let mut tensors = BTreeMap::new();
        for (&(layer, m), (a, b)) in &lora.modules {
            let name = format!("h.{layer}.{}", m.path());
            let ga = Tensor::zeros(gpu, &format!("{name}.lora_A.grad"), &a.shape, DType::F32).await?;
            let gb = Tensor::zeros(gpu, &format!("{name}.lora_B.grad"), &b.shape, DType::F32).await?;
            tensors.insert((layer, m), (ga, gb));
        }
        Ok(LoraGrads { tensors })
    }

    /// Zero them (at the start of an optimizer step).
    pub fn zero(&self, gpu: &Gpu) -> Result<()> {
        for (a, b) in self.tensors.values() {
            a.write(gpu, &vec![0f32; a.numel()])?;
            b.write(gpu, &vec![0f32; b.numel()])?;
        }
        Ok(())
    }
}

/// Activation-gradient buffers for one batch shape (B, T).
pub struct Grads {
    pub dres: Tensor,      // (B, T, C): gradient of the residual stream, updated in place
    pub dln: Tensor,       // (B, T, C): of ln_f, ln_2 or ln_1's output, in turn
    pub datty: Tensor,     // (B, T, C)
    pub dqkv: Tensor,      // (B, T, 3C)
    pub dfch_gelu: Tensor, // (B, T, F)
    pub dfch: Tensor,      // (B, T, F)
    pub att_d: Tensor,     // (B, NH, T): attention backward's D_t
    pub lora_dxa: Tensor,  // (B·T, r)
    pub lora_dx: Tensor,   // (B·T, max(C, F)): LoRA's input gradient before its dropout mask
    pub dbranch: Tensor,   // (B, T, C): a residual branch's gradient after its dropout mask
}

impl Grads {
    /// GPU memory the activation gradients hold.
    pub fn bytes(&self) -> u64 {
        [
            &self.dres,
            &self.dln,
            &self.datty,
            &self.dqkv,
            &self.dfch_gelu,
            &self.dfch,
            &self.att_d,
            &self.lora_dxa,
            &self.lora_dx,
            &self.dbranch,
        ]
        .into_iter()
        .map(Tensor::bytes)
        .sum()
    }

    pub async fn new(gpu: &Gpu, model: &Gpt2, b: usize, t: usize) -> Result<Grads> {
        let lora =
            model.lora.as_ref().ok_or_else(|| Error::data("the model has no LoRA adapter to train"))?;
        let cfg = &model.config;
        let (c, f, nh) = (cfg.n_embd, cfg.n_inner, cfg.n_head);
        let z = |label: String, shape: Vec<usize>| async move {
            Tensor::zeros(gpu, &label, &shape, DType::F32).await
        };
        Ok(Grads {
            dres: z("dres".into(), vec![b, t, c]).await?,
            dln: z("dln".into(), vec![b, t, c]).await?,
            datty: z("datty".into(), vec![b, t, c]).await?,
            dqkv: z("dqkv".into(), vec![b, t, 3 * c]).await?,
            dfch_gelu: z("dfch_gelu".into(), vec![b, t, f]).await?,
            dfch: z("dfch".into(), vec![b, t, f]).await?,
            att_d: z("att_d".into(), vec![b, nh, t]).await?,
            lora_dxa: z("lora_dxa".into(), vec![b * t, lora.r]).await?,
            lora_dx: z("lora_dx".into(), vec![b * t, c.max(f)]).await?,
            dbranch: z("dbranch".into(), vec![b, t, c]).await?,
        })
    }
}

impl Gpt2 {
    /// Record y's LoRA backward for `(layer, module)`: with xd = dropout(x) (the forward's mask,
    /// regenerated) and xa = xd·Aᵀ recomputed, dB += s·dyᵀ·xa, dxa = s·dy·B, dA += dxaᵀ·xd,
    /// dx += mask ⊙ (dxa·A).
    #[allow(clippy::too_many_arguments)]
    fn encode_lora_backward(
        &self,
        gpu: &Gpu,
        pass: &mut wgpu::ComputePass<'_>,
        acts: &Activations,
        grads: &Grads,
        lora_grads: &LoraGrads,
        seed: Option<u32>,
        layer: usize,
        module: Module,
        x: &Tensor,
        dy: &Tensor,
        dx: &Tensor,
    ) -> Result<()> {
        let Some(lora) = self.lora.as_ref().filter(|_| self.lora_enabled) else { return Ok(()) };
        let Some((a, b)) = lora.modules.get(&(layer, module)) else { return Ok(()) };
        let (da, db) = &lora_grads.tensors[&(layer, module)];
        let xa = acts.lora_xa.as_ref().ok_or_else(|| Error::data("activations lack LoRA scratch"))?;
        let dxa = &grads.lora_dxa;
        let (r, fan_in, out, m, s, v) =
            (lora.r, a.shape[1], b.shape[0], acts.b * acts.t, lora.scale, self.variant);
        let mask = self.lora_mask(seed, layer, module);
        let x = self.lora_input(gpu, pass, acts, mask, x)?;
        let gemm = |m, n, k, a_strides, b_strides, alpha, accumulate| Gemm {
            alpha,
            accumulate,
            ..Gemm::contiguous(m, n, k, a_strides, b_strides, v)
        };
        encode_gemm(gpu, pass, gemm(m, r, fan_in, (fan_in, 1), (1, fan_in), 1.0, false), x, a, None, xa)?;
        encode_gemm(gpu, pass, gemm(out, r, m, (1, out), (r, 1), s, true), dy, xa, None, db)?;
        encode_gemm(gpu, pass, gemm(m, r, out, (out, 1), (r, 1), s, false), dy, b, None, dxa)?;
        encode_gemm(gpu, pass, gemm(r, fan_in, m, (1, r), (fan_in, 1), 1.0, true), dxa, x, None, da)?;
        match mask {
            None => {
                encode_gemm(gpu, pass, gemm(m, fan_in, r, (r, 1), (fan_in, 1), 1.0, true), dxa, a, None, dx)?
            }
            Some(mask) => {
                let tmp = &grads.lora_dx;
                encode_gemm(
                    gpu,
                    pass,
                    gemm(m, fan_in, r, (r, 1), (fan_in, 1), 1.0, false),
                    dxa,
                    a,
                    None,
                    tmp,
                )?;
                encode_dropout_backward(gpu, pass, mask, m * fan_in, tmp, dx)?;
            }
        }
        Ok(())
    }

    /// Forward, loss, and backward for one batch: adds `dloss_scale` · d(mean loss)/dA and /dB
    /// into `lora_grads` (zero them first for a fresh step) and returns the loss. `acts` must
    /// keep every layer (`keep_layers`) and have LoRA scratch of the adapter's rank. `seed` makes
    /// it a training pass with lora_dropout (masks from the seed); None runs without dropout.
    #[allow(clippy::too_many_arguments)]
    pub async fn forward_backward(
        &self,
        gpu: &Gpu,
        acts: &Activations,
        grads: &Grads,
        lora_grads: &LoraGrads,
        ids: &[u32],
        labels: &[i32],
        dloss_scale: f32,
        seed: Option<u32>,
    ) -> Result<LossSum> {
        let cfg = &self.config;
        if acts.layers.len() != cfg.n_layer {
            return Err(Error::data("backward needs activations that keep every layer"));
        }
        self.check_batch(acts, ids, labels)?;
        let targets = shift_labels(labels, acts.b, acts.t);
        let count = targets.iter().filter(|&&t| t != IGNORE_INDEX).count();
        if count == 0 {
            return Err(Error::data("the batch has no position with a target (all labels are -100)"));
        }
        acts.ids.write(gpu, ids)?;
        acts.targets.write(gpu, &targets)?;
        grads.dres.write(gpu, &vec![0f32; grads.dres.numel()])?;
        let (bt, c, v) = (acts.b * acts.t, cfg.n_embd, cfg.vocab_size);
        let dloss = dloss_scale / count as f32;
        let w = &self.weights;

        gpu.run("gpt2 forward + backward", |pass| {
            self.encode_forward(gpu, pass, acts, seed)?;
            // Loss and d(loss)/d(ln_f), R rows of logits at a time.
            for r0 in (0..bt).step_by(acts.logit_rows) {
                let rows = acts.logit_rows.min(bt - r0);
                self.encode_lm_head(gpu, pass, &acts.ln_f, r0, rows, &acts.logits)?;
                encode_crossentropy_forward(gpu, pass, &acts.logits, rows, &acts.targets, r0, &acts.losses)?;
                encode_crossentropy_backward(
                    gpu,
                    pass,
                    &acts.logits,
                    rows,
                    &acts.targets,
                    r0,
                    dloss,
                    &acts.losses,
                )?;
                for (v0, chunk) in &w.wte {
                    // dln_f[r0 + r, :] (+)= Σ_v dlogits[r, v0 + v] · wte[v0 + v, :]
                    let g = Gemm {
                        m: rows,
                        n: c,
                        k: chunk.shape[0],
                        a_off: *v0,
                        a_strides: (v, 1),
                        b_strides: (c, 1),
                        c_off: r0 * c,
                        c_rs: c,
                        alpha: 1.0,
                        accumulate: *v0 != 0,
                        variant: self.variant,
                    };
                    encode_gemm(gpu, pass, g, &acts.logits, chunk, None, &grads.dln)?;
                }
            }
            let last = &acts.layers[cfg.n_layer - 1].residual3;
            encode_layernorm_backward(
                gpu,
                pass,
                last,
                &w.ln_f_w,
                &acts.ln_f_mean,
                &acts.ln_f_rstd,
                &grads.dln,
                &grads.dres,
            )?;

            // The blocks in reverse. grads.dres holds d(loss)/d(this block's output) on entry
            // and d(loss)/d(its input) on exit.
            for l in (0..cfg.n_layer).rev() {
                let (a, lw) = (&acts.layers[l], &w.layers[l]);
                let input = if l == 0 { self.embeddings(acts, seed) } else { &acts.layers[l - 1].residual3 };
                let g = grads;
                // residual3 = residual2 + dropout(fcproj): dfcproj = mask ⊙ dres.
                let dy = self.masked(gpu, pass, self.resid_mask(seed, l, 1), &g.dres, Some(&g.dbranch))?;
                encode_matmul_backward_input(gpu, pass, dy, &lw.mlp_proj_w, &g.dfch_gelu, self.variant)?;
                self.encode_lora_backward(
                    gpu,
                    pass,
                    acts,
                    g,
                    lora_grads,
                    seed,
                    l,
                    Module::MlpCProj,
                    &a.fch_gelu,
                    dy,
                    &g.dfch_gelu,
                )?;
                encode_gelu_backward(gpu, pass, &a.fch, &g.dfch_gelu, &g.dfch)?;
                encode_matmul_backward_input(gpu, pass, &g.dfch, &lw.c_fc_w, &g.dln, self.variant)?;
                self.encode_lora_backward(
                    gpu,
                    pass,
                    acts,
                    g,
                    lora_grads,
                    seed,
                    l,
                    Module::MlpCFc,
                    &a.ln_2,
                    &g.dfch,
                    &g.dln,
                )?;
                // dres becomes d(loss)/d(residual2).
                encode_layernorm_backward(
                    gpu,
                    pass,
                    &a.residual2,
                    &lw.ln_2_w,
                    &a.ln_2_mean,
                    &a.ln_2_rstd,
                    &g.dln,
                    &g.dres,
                )?;
                // residual2 = input + dropout(attproj): dattproj = mask ⊙ dres.
                let dy = self.masked(gpu, pass, self.resid_mask(seed, l, 0), &g.dres, Some(&g.dbranch))?;
                encode_matmul_backward_input(gpu, pass, dy, &lw.attn_proj_w, &g.datty, self.variant)?;
                self.encode_lora_backward(
                    gpu,
                    pass,
                    acts,
                    g,
                    lora_grads,
                    seed,
                    l,
                    Module::AttnCProj,
                    &a.atty,
                    dy,
                    &g.datty,
                )?;
                let scale = cfg.attn_scale(l);
                encode_attention_backward(
                    gpu,
                    pass,
                    &a.qkv,
                    &a.atty,
                    &a.att_lse,
                    &g.datty,
                    cfg.n_head,
                    scale,
                    self.attn_mask(seed, l),
                    &g.att_d,
                    &g.dqkv,
                )?;
                encode_matmul_backward_input(gpu, pass, &g.dqkv, &lw.c_attn_w, &g.dln, self.variant)?;
                self.encode_lora_backward(
                    gpu,
                    pass,
                    acts,
                    g,
                    lora_grads,
                    seed,
                    l,
                    Module::AttnCAttn,
                    &a.ln_1,
                    &g.dqkv,
                    &g.dln,
                )?;
                // dres becomes d(loss)/d(input).
                encode_layernorm_backward(
                    gpu,
                    pass,
                    input,
                    &lw.ln_1_w,
                    &a.ln_1_mean,
                    &a.ln_1_rstd,
                    &g.dln,
                    &g.dres,
                )?;
            }
            Ok::<(), Error>(())
        })?;

        acts.read_loss(gpu, &targets).await
    }
}
