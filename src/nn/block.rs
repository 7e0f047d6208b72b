//! One transformer block (pre-norm, as GPT-2):
//!   x ─ ln_1 ─ attn ─ dropout ─(+ x)= residual2 ─ ln_2 ─ mlp ─ dropout ─(+ residual2)= residual3

use super::{dropout, Attention, AttnActs, LayerNorm, LnActs, LoraDelta, LoraGradsRef, Mlp, MlpActs, Rec};
use crate::gpu::{DType, Gpu, Result, Tensor};
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
    pub fn tensors(&self) -> impl Iterator<Item = &Tensor> {
        let residuals = [&self.residual2, &self.residual3];
        self.ln_1
            .tensors()
            .chain(self.attn.tensors())
            .chain(self.ln_2.tensors())
            .chain(self.mlp.tensors())
            .chain(residuals)
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
}

impl Grads {
    /// For B sequences of T tokens, width C, MLP width F, NH heads, LoRA rank r.
    pub async fn new(gpu: &Gpu, [b, t, c, f, nh, r]: [usize; 6]) -> Result<Grads> {
        let z = |label: &'static str, shape: Vec<usize>| async move {
            Tensor::zeros(gpu, label, &shape, DType::F32).await
        };
        Ok(Grads {
            dres: z("dres", vec![b, t, c]).await?,
            dln: z("dln", vec![b, t, c]).await?,
            datty: z("datty", vec![b, t, c]).await?,
            dqkv: z("dqkv", vec![b, t, 3 * c]).await?,
            dfch_gelu: z("dfch_gelu", vec![b, t, f]).await?,
            dfch: z("dfch", vec![b, t, f]).await?,
            att_d: z("att_d", vec![b, nh, t]).await?,
            lora_dxa: z("lora_dxa", vec![b * t, r]).await?,
            lora_dx: z("lora_dx", vec![b * t, c.max(f)]).await?,
            dbranch: z("dbranch", vec![b, t, c]).await?,
        })
    }

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
}

impl Block {
    pub fn tensors(&self) -> impl Iterator<Item = &Tensor> {
        self.ln_1.tensors().chain(self.attn.tensors()).chain(self.ln_2.tensors()).chain(self.mlp.tensors())
    }

    /// llm.c's block forward, for input x (B, T, C).
    pub fn forward(&self, r: &mut Rec, x: &Tensor, a: &BlockActs, run: &BlockRun) -> Result<()> {
        self.ln_1.forward(r, x, &a.ln_1)?;
        self.attn.forward(r, &a.ln_1.y, &a.attn, run)?;
        let branch = dropout(r, run.resid_drop[0], &a.attn.attproj, run.branch)?;
        encode_residual_forward(r.gpu, r.pass, x, branch, &a.residual2)?;
        self.ln_2.forward(r, &a.residual2, &a.ln_2)?;
        self.mlp.forward(r, &a.ln_2.y, &a.mlp, run)?;
        let branch = dropout(r, run.resid_drop[1], &a.mlp.fcproj, run.branch)?;
        encode_residual_forward(r.gpu, r.pass, &a.residual2, branch, &a.residual3)
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
