//! Causal multi-head self-attention: c_attn, attention over the sequence (or a KV cache), c_proj.

use super::{BlockRun, BufferPlan, Buffers, Conv1D, Grads, Rec, Sizes};
use crate::gpu::{Result, Tensor};
use crate::kernels::attention::{encode_attention_backward, encode_attention_forward};
use crate::kernels::kv_attention::{encode_kv_append, encode_kv_attention};

pub struct Attention {
    pub c_attn: Conv1D, // (C, 3C)
    pub c_proj: Conv1D, // (C, C)
    pub n_head: usize,
    /// 1/√(head size), divided by layer + 1 with scale_attn_by_inverse_layer_idx.
    pub scale: f32,
}

pub struct AttnActs {
    pub qkv: Tensor,     // (B, T, 3C)
    pub atty: Tensor,    // (B, T, C): attention's output, before c_proj
    pub lse: Tensor,     // (B, NH, T): each query row's log-sum-exp, for the backward pass
    pub attproj: Tensor, // (B, T, C)
}

impl AttnActs {
    pub fn plan(p: &mut BufferPlan, name: &str, s: Sizes) {
        p.f32(format!("{name}.qkv"), &[s.b, s.t, 3 * s.c])
            .f32(format!("{name}.atty"), &[s.b, s.t, s.c])
            .f32(format!("{name}.lse"), &[s.b, s.nh, s.t])
            .f32(format!("{name}.attproj"), &[s.b, s.t, s.c]);
    }

    pub fn take(bufs: &mut Buffers, name: &str) -> Result<AttnActs> {
        let mut take = |field: &str| bufs.take(&format!("{name}.{field}"));
        Ok(AttnActs { qkv: take("qkv")?, atty: take("atty")?, lse: take("lse")?, attproj: take("attproj")? })
    }
}

impl Attention {
    pub fn tensors(&self) -> impl Iterator<Item = &Tensor> {
        self.c_attn.tensors().chain(self.c_proj.tensors())
    }

    pub fn forward(&self, r: &mut Rec, x: &Tensor, a: &AttnActs, run: &BlockRun) -> Result<()> {
        self.c_attn.forward(r, x, &a.qkv, run.lora(0))?;
        let (n_head, scale) = (self.n_head, self.scale);
        match run.kv {
            // Decoding (or a chunk after the first): the new queries attend to the cache.
            Some((kv, pos0)) if pos0 > 0 => {
                encode_kv_append(r.gpu, r.pass, &a.qkv, kv, pos0)?;
                encode_kv_attention(r.gpu, r.pass, &a.qkv, kv, pos0, n_head, scale, &a.atty)?;
            }
            // A prefill from position 0: the cache holds exactly qkv's keys and values, so the
            // training pass's kernel reads them from qkv.
            Some((kv, pos0)) => {
                encode_kv_append(r.gpu, r.pass, &a.qkv, kv, pos0)?;
                encode_attention_forward(r.gpu, r.pass, &a.qkv, n_head, scale, None, &a.atty, &a.lse, None)?;
            }
            None => {
                let drop = run.attn_drop;
                encode_attention_forward(r.gpu, r.pass, &a.qkv, n_head, scale, drop, &a.atty, &a.lse, None)?;
            }
        }
        self.c_proj.forward(r, &a.atty, &a.attproj, run.lora(1))
    }

    /// g.dln = d(loss)/dx for dy = d(loss)/d(attproj): through c_proj, attention, c_attn.
    pub fn backward(
        &self,
        r: &mut Rec,
        x: &Tensor,
        a: &AttnActs,
        dy: &Tensor,
        run: &BlockRun,
        g: &Grads,
    ) -> Result<()> {
        self.c_proj.backward(r, &a.atty, dy, &g.datty, run.lora_backward(1))?;
        encode_attention_backward(
            r.gpu,
            r.pass,
            &a.qkv,
            &a.atty,
            &a.lse,
            &g.datty,
            self.n_head,
            self.scale,
            run.attn_drop,
            &g.att_d,
            &g.dqkv,
            None,
        )?;
        self.c_attn.backward(r, x, &g.dqkv, &g.dln, run.lora_backward(0))
    }
}
