//! One transformer block (pre-norm, as GPT-2):
//!   x ─ ln_1 ─ attn ─ dropout ─(+ x)= residual2 ─ ln_2 ─ mlp ─ dropout ─(+ residual2)= residual3

use super::{
    dropout, Attention, AttnActs, BufferPlan, Buffers, LayerNorm, LnActs, LoraDelta, LoraGradsRef, Mlp,
    MlpActs, Rec, Sizes,
};
use crate::gpu::{Gpu, Result, Tensor};
use crate::kernels::elementwise::{encode_residual_forward, DropoutMask};

pub struct Block {
    pub ln_1: LayerNorm,
    pub attn: Attention,
    pub ln_2: LayerNorm,
    pub mlp: Mlp,
}

/// One block's activations, kept for the backward pass.
pub struct BlockActs {
    pub ln_1: LnActs,
    pub attn: AttnActs,
    pub residual2: Tensor, // (B, T, C)
    pub ln_2: LnActs,
    pub mlp: MlpActs,
    pub residual3: Tensor, // (B, T, C): the block's output
}

impl BlockActs {
    /// Block `name`'s buffers ("h.0", ...).
    pub fn plan(p: &mut BufferPlan, name: &str, s: Sizes) {
        LnActs::plan(p, &format!("{name}.ln_1"), s);
        AttnActs::plan(p, &format!("{name}.attn"), s);
        p.f32(format!("{name}.residual2"), &[s.b, s.t, s.c]);
        LnActs::plan(p, &format!("{name}.ln_2"), s);
        MlpActs::plan(p, &format!("{name}.mlp"), s);
        p.f32(format!("{name}.residual3"), &[s.b, s.t, s.c]);
    }

    pub fn take(bufs: &mut Buffers, name: &str) -> Result<BlockActs> {
        Ok(BlockActs {
            ln_1: LnActs::take(bufs, &format!("{name}.ln_1"))?,
            attn: AttnActs::take(bufs, &format!("{name}.attn"))?,
            residual2: bufs.take(&format!("{name}.residual2"))?,
            ln_2: LnActs::take(bufs, &format!("{name}.ln_2"))?,
            mlp: MlpActs::take(bufs, &format!("{name}.mlp"))?,
            residual3: bufs.take(&format!("{name}.residual3"))?,
        })
    }
}

/// LoRA on one Conv1D in one pass, and its gradients in a backward pass.
pub struct LoraSite<'a> {
    pub delta: LoraDelta<'a>,
    pub grads: Option<LoraGradsRef<'a>>,
}

/// What one block's pass needs besides its weights and activations; model/ builds one per layer
/// from the kind of pass, the adapter and the scratch buffers.
#[derive(Default)]
pub struct BlockRun<'a> {
    /// LoRA on attn.c_attn, attn.c_proj, mlp.c_fc, mlp.c_proj (in that order: model::Module::ALL),
    /// where the adapter targets them.
    pub lora: [Option<LoraSite<'a>>; 4],
    /// Dropout on the attention probabilities (training passes).
    pub attn_drop: Option<DropoutMask>,
    /// Dropout on the attention and MLP branches before each residual add (training passes).
    pub resid_drop: [Option<DropoutMask>; 2],
    /// (B, T, C) scratch for a dropped-out branch or its gradient, with resid_drop.
    pub branch: Option<&'a Tensor>,
    /// Generation: this layer's KV cache (B, CAP, 2C) and the positions already in it.
    pub kv: Option<(&'a Tensor, usize)>,
}

impl BlockRun<'_> {
    pub(crate) fn lora(&self, site: usize) -> Option<&LoraDelta<'_>> {
        self.lora[site].as_ref().map(|s| &s.delta)
    }

    pub(crate) fn lora_backward(&self, site: usize) -> Option<(&LoraDelta<'_>, Option<&LoraGradsRef<'_>>)> {
        self.lora[site].as_ref().map(|s| (&s.delta, s.grads.as_ref()))
    }
}

/// Activation-gradient scratch for one batch shape, shared by every block in turn.
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
    allocated: u64,
}

impl Grads {
    /// One row per field, named as the field.
    pub fn plan(s: Sizes) -> BufferPlan {
        let (b, t, c, f, bt) = (s.b, s.t, s.c, s.f, s.bt());
        let mut p = BufferPlan::new();
        p.f32("dres", &[b, t, c])
            .f32("dln", &[b, t, c])
            .f32("datty", &[b, t, c])
            .f32("dqkv", &[b, t, 3 * c])
            .f32("dfch_gelu", &[b, t, f])
            .f32("dfch", &[b, t, f])
            .f32("att_d", &[b, s.nh, t])
            .f32("lora_dxa", &[bt, s.r])
            .f32("lora_dx", &[bt, c.max(f)])
            .f32("dbranch", &[b, t, c]);
        p
    }

    pub async fn new(gpu: &Gpu, s: Sizes) -> Result<Grads> {
        let mut bufs = Grads::plan(s).alloc(gpu).await?;
        let mut take = |label: &str| bufs.take(label);
        Ok(Grads {
            dres: take("dres")?,
            dln: take("dln")?,
            datty: take("datty")?,
            dqkv: take("dqkv")?,
            dfch_gelu: take("dfch_gelu")?,
            dfch: take("dfch")?,
            att_d: take("att_d")?,
            lora_dxa: take("lora_dxa")?,
            lora_dx: take("lora_dx")?,
            dbranch: take("dbranch")?,
            allocated: bufs.allocated,
        })
    }

    /// GPU memory the activation gradients hold (measured from the buffers).
    pub fn bytes(&self) -> u64 {
        self.allocated
    }
}

impl Block {
    pub fn tensors(&self) -> impl Iterator<Item = &Tensor> {
        self.ln_1.tensors().chain(self.attn.tensors()).chain(self.ln_2.tensors()).chain(self.mlp.tensors())
    }

    /// llm.c's block forward, for input x (B, T, C), into a.residual3.
    pub fn forward(&self, r: &mut Rec, x: &Tensor, a: &BlockActs, run: &BlockRun) -> Result<()> {
        self.forward_to(r, x, a, run, &a.residual3)
    }

    /// The forward with the block's output written to `out` (B, T, C) instead of a.residual3:
    /// gradient checkpointing keeps each block's output in a tensor of its own and the rest of
    /// `a` in one set shared by every block.
    pub fn forward_to(
        &self,
        r: &mut Rec,
        x: &Tensor,
        a: &BlockActs,
        run: &BlockRun,
        out: &Tensor,
    ) -> Result<()> {
        self.ln_1.forward(r, x, &a.ln_1)?;
        self.attn.forward(r, &a.ln_1.y, &a.attn, run)?;
        let branch = dropout(r, run.resid_drop[0], &a.attn.attproj, run.branch)?;
        encode_residual_forward(r.gpu, r.pass, x, branch, &a.residual2)?;
        self.ln_2.forward(r, &a.residual2, &a.ln_2)?;
        self.mlp.forward(r, &a.ln_2.y, &a.mlp, run)?;
        let branch = dropout(r, run.resid_drop[1], &a.mlp.fcproj, run.branch)?;
        encode_residual_forward(r.gpu, r.pass, &a.residual2, branch, out)
    }

    /// The forward's list reversed. g.dres holds d(loss)/d(residual3) on entry and d(loss)/d(x)
    /// on exit (a residual add passes its gradient through; each layernorm adds its own).
    pub fn backward(&self, r: &mut Rec, x: &Tensor, a: &BlockActs, run: &BlockRun, g: &Grads) -> Result<()> {
        let dy = dropout(r, run.resid_drop[1], &g.dres, Some(&g.dbranch))?;
        self.mlp.backward(r, &a.ln_2.y, &a.mlp, dy, run, g)?;
        self.ln_2.backward(r, &a.residual2, &a.ln_2, &g.dln, &g.dres)?;
        let dy = dropout(r, run.resid_drop[0], &g.dres, Some(&g.dbranch))?;
        self.attn.backward(r, &a.ln_1.y, &a.attn, dy, run, g)?;
        self.ln_1.backward(r, x, &a.ln_1, &g.dln, &g.dres)
    }
}
