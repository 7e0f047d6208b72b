//! LayerNorm over the last dimension (kernels/layernorm.rs).

use super::{BufferPlan, Buffers, Rec, Sizes};
use crate::gpu::{Result, Tensor};
use crate::kernels::layernorm::{encode_layernorm_backward, encode_layernorm_forward};

/// y = (x - mean) · rstd · weight + bias, per row.
pub struct LayerNorm {
    pub weight: Tensor, // (C)
    pub bias: Tensor,   // (C)
    pub eps: f32,
}

/// A layernorm's output and what its backward pass needs.
pub struct LnActs {
    pub y: Tensor,    // (B, T, C)
    pub mean: Tensor, // (B·T)
    pub rstd: Tensor, // (B·T)
}

impl LnActs {
    pub fn plan(p: &mut BufferPlan, name: &str, s: Sizes) {
        p.f32(name, &[s.b, s.t, s.c])
            .f32(format!("{name}.mean"), &[s.bt()])
            .f32(format!("{name}.rstd"), &[s.bt()]);
    }

    pub fn take(bufs: &mut Buffers, name: &str) -> Result<LnActs> {
        let (mean, rstd) = (format!("{name}.mean"), format!("{name}.rstd"));
        Ok(LnActs { y: bufs.take(name)?, mean: bufs.take(&mean)?, rstd: bufs.take(&rstd)? })
    }
}

impl LayerNorm {
    pub fn tensors(&self) -> impl Iterator<Item = &Tensor> {
        [&self.weight, &self.bias].into_iter()
    }

    pub fn forward(&self, r: &mut Rec, x: &Tensor, out: &LnActs) -> Result<()> {
        let (w, b) = (&self.weight, &self.bias);
        encode_layernorm_forward(r.gpu, r.pass, x, w, b, self.eps, &out.y, &out.mean, &out.rstd)
    }

    /// dx += the input gradient for dy, from the forward's x and saved statistics.
    pub fn backward(&self, r: &mut Rec, x: &Tensor, saved: &LnActs, dy: &Tensor, dx: &Tensor) -> Result<()> {
        encode_layernorm_backward(r.gpu, r.pass, x, &self.weight, &saved.mean, &saved.rstd, dy, dx)
    }
}
