//! LoRA's low-rank delta on one Conv1D: y += s · (dropout(x)·Aᵀ)·Bᵀ, and its backward (PEFT's
//! lora.Linear forward, differentiated by hand).

use super::Rec;
use crate::gpu::{GpuError, Result, Tensor};
use crate::kernels::elementwise::{encode_dropout_backward, encode_dropout_forward, DropoutMask};
use crate::kernels::matmul::{encode_gemm, Gemm};

/// One module's factors on the GPU, in PEFT's layout.
pub struct LoraWeights {
    pub a: Tensor, // (r, in)
    pub b: Tensor, // (out, r)
}

/// The delta in one pass: the factors, the scale α/r (or α/√r), the dropout mask on the
/// delta's input (training passes with lora_dropout), and scratch.
pub struct LoraDelta<'a> {
    pub w: &'a LoraWeights,
    pub scale: f32,
    pub mask: Option<DropoutMask>,
    pub xa: &'a Tensor,         // (B·T, r): dropout(x)·Aᵀ
    pub xd: Option<&'a Tensor>, // (B·T, ≥ in): dropout(x), needed with a mask
}

/// What the delta's backward writes: dA and dB (accumulated across micro-batches) and scratch.
pub struct LoraGradsRef<'a> {
    pub da: &'a Tensor,     // (r, in)
    pub db: &'a Tensor,     // (out, r)
    pub dxa: &'a Tensor,    // (B·T, r)
    pub dx_tmp: &'a Tensor, // (B·T, ≥ in): the input gradient before the dropout mask
}

impl LoraDelta<'_> {
    fn dims(&self) -> (usize, usize, usize) {
        (self.w.a.shape[0], self.w.a.shape[1], self.w.b.shape[0])
    }

    /// The delta's input: x, or dropout(x) recorded into xd.
    fn input<'t>(&'t self, r: &mut Rec, x: &'t Tensor) -> Result<&'t Tensor> {
        let Some(mask) = self.mask else { return Ok(x) };
        let xd = self.xd.ok_or_else(|| GpuError::Shape("LoRA dropout needs training activations".into()))?;
        encode_dropout_forward(r.gpu, r.pass, mask, x.numel(), x, xd)?;
        Ok(xd)
    }

    fn check_scratch(&self, m: usize) -> Result<()> {
        let (rank, _, _) = self.dims();
        if self.xa.numel() < m * rank {
            return Err(GpuError::Shape(format!(
                "activations hold LoRA scratch {:?}, too small for rank {rank} over {m} rows",
                self.xa.shape
            )));
        }
        Ok(())
    }

    /// y (M, out) += s · (dropout(x)·Aᵀ)·Bᵀ for x (M, in).
    pub fn forward(&self, r: &mut Rec, x: &Tensor, y: &Tensor) -> Result<()> {
        let (rank, fan_in, out) = self.dims();
        let m = super::rows(x);
        self.check_scratch(m)?;
        let v = r.variant.for_rows(m);
        let x = self.input(r, x)?;
        // xa (M, r) = x (M, in) · Aᵀ: the product's B operand [k = in, n = r] is A read transposed.
        let g = Gemm::contiguous(m, rank, fan_in, (fan_in, 1), (1, fan_in), v);
        encode_gemm(r.gpu, r.pass, g, x, &self.w.a, None, self.xa)?;
        // y (M, out) += s · xa · Bᵀ: B operand [k = r, n = out] is lora_B (out, r) transposed.
        let g = Gemm {
            alpha: self.scale,
            accumulate: true,
            ..Gemm::contiguous(m, out, rank, (rank, 1), (1, rank), v)
        };
        encode_gemm(r.gpu, r.pass, g, self.xa, &self.w.b, None, y)
    }

    /// With xd = dropout(x) (the forward's mask, regenerated) and xa = xd·Aᵀ recomputed:
    /// dB += s·dyᵀ·xa, dxa = s·dy·B, dA += dxaᵀ·xd, dx += mask ⊙ (dxa·A).
    pub fn backward(
        &self,
        r: &mut Rec,
        x: &Tensor,
        dy: &Tensor,
        dx: &Tensor,
        g: &LoraGradsRef,
    ) -> Result<()> {
        let (rank, fan_in, out) = self.dims();
        let m = super::rows(x);
        self.check_scratch(m)?;
        let (s, v) = (self.scale, r.variant);
        let x = self.input(r, x)?;
        let gemm = |m, n, k, a_strides, b_strides, alpha, accumulate| Gemm {
            alpha,
            accumulate,
            ..Gemm::contiguous(m, n, k, a_strides, b_strides, v)
        };
        let (a, b, xa) = (&self.w.a, &self.w.b, self.xa);
        encode_gemm(
            r.gpu,
            r.pass,
            gemm(m, rank, fan_in, (fan_in, 1), (1, fan_in), 1.0, false),
            x,
            a,
            None,
            xa,
        )?;
        encode_gemm(r.gpu, r.pass, gemm(out, rank, m, (1, out), (rank, 1), s, true), dy, xa, None, g.db)?;
        encode_gemm(r.gpu, r.pass, gemm(m, rank, out, (out, 1), (rank, 1), s, false), dy, b, None, g.dxa)?;
        encode_gemm(
            r.gpu,
            r.pass,
            gemm(rank, fan_in, m, (1, rank), (fan_in, 1), 1.0, true),
            g.dxa,
            x,
            None,
            g.da,
        )?;
        let dx_of_xa = gemm(m, fan_in, rank, (rank, 1), (fan_in, 1), 1.0, self.mask.is_none());
        match self.mask {
            None => encode_gemm(r.gpu, r.pass, dx_of_xa, g.dxa, a, None, dx),
            Some(mask) => {
                encode_gemm(r.gpu, r.pass, dx_of_xa, g.dxa, a, None, g.dx_tmp)?;
                encode_dropout_backward(r.gpu, r.pass, mask, m * fan_in, g.dx_tmp, dx)
            }
        }
    }
}
