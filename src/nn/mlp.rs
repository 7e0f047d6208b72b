//! GPT-2's MLP: c_fc, GELU (tanh form), c_proj.

use super::{BlockRun, BufferPlan, Buffers, Conv1D, Grads, Rec, Sizes};
use crate::gpu::{Result, Tensor};
use crate::kernels::elementwise::{encode_gelu_backward, encode_gelu_forward};

pub struct Mlp {
    pub c_fc: Conv1D,   // (C, F)
    pub c_proj: Conv1D, // (F, C)
}

pub struct MlpActs {
    pub fch: Tensor,      // (B, T, F)
    pub fch_gelu: Tensor, // (B, T, F)
    pub fcproj: Tensor,   // (B, T, C)
}

impl MlpActs {
    pub fn plan(p: &mut BufferPlan, name: &str, s: Sizes) {
        p.f32(format!("{name}.fch"), &[s.b, s.t, s.f])
            .f32(format!("{name}.fch_gelu"), &[s.b, s.t, s.f])
            .f32(format!("{name}.fcproj"), &[s.b, s.t, s.c]);
    }

    pub fn take(bufs: &mut Buffers, name: &str) -> Result<MlpActs> {
        let mut take = |field: &str| bufs.take(&format!("{name}.{field}"));
        Ok(MlpActs { fch: take("fch")?, fch_gelu: take("fch_gelu")?, fcproj: take("fcproj")? })
    }
}

impl Mlp {
    pub fn tensors(&self) -> impl Iterator<Item = &Tensor> {
        self.c_fc.tensors().chain(self.c_proj.tensors())
    }

    pub fn forward(&self, r: &mut Rec, x: &Tensor, a: &MlpActs, run: &BlockRun) -> Result<()> {
        self.c_fc.forward(r, x, &a.fch, run.lora(2))?;
        encode_gelu_forward(r.gpu, r.pass, &a.fch, &a.fch_gelu)?;
        self.c_proj.forward(r, &a.fch_gelu, &a.fcproj, run.lora(3))
    }

    /// g.dln = d(loss)/dx for dy = d(loss)/d(fcproj): the forward's list reversed.
    pub fn backward(
        &self,
        r: &mut Rec,
        x: &Tensor,
        a: &MlpActs,
        dy: &Tensor,
        run: &BlockRun,
        g: &Grads,
    ) -> Result<()> {
        self.c_proj.backward(r, &a.fch_gelu, dy, &g.dfch_gelu, run.lora_backward(3))?;
        encode_gelu_backward(r.gpu, r.pass, &a.fch, &g.dfch_gelu, &g.dfch)?;
        self.c_fc.backward(r, x, &g.dfch, &g.dln, run.lora_backward(2))
    }
}
