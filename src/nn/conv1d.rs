//! transformers' Conv1D (a linear layer with W stored [in, out]), with LoRA's optional delta.

use super::{LoraDelta, LoraGradsRef, Rec};
use crate::gpu::{GpuError, Result, Tensor};
use crate::kernels::matmul::{encode_matmul_backward_input, encode_matmul_forward, Gemm, Variant};

/// y = x·W + b, frozen.
pub struct Conv1D {
    pub weight: Tensor, // (in, out), f32 or f16; or 4-bit, stored (out, in) (model/quant.rs)
    pub bias: Tensor,   // (out)
}

impl Conv1D {
    pub fn tensors(&self) -> impl Iterator<Item = &Tensor> {
        [&self.weight, &self.bias].into_iter()
    }

    /// The forward and input-gradient products over `rows` rows, with W (for the autotuner).
    pub fn products(&self, rows: usize, variant: Variant) -> Vec<(Gemm, &Tensor)> {
        let (k, n) = (self.weight.shape[0], self.weight.shape[1]);
        vec![
            (Gemm::forward(rows, k, n, self.weight.dtype, variant), &self.weight),
            (Gemm::backward_input(rows, k, n, self.weight.dtype, variant), &self.weight),
        ]
    }

    /// y = x·W + b (+ the LoRA delta).
    pub fn forward(&self, r: &mut Rec, x: &Tensor, y: &Tensor, lora: Option<&LoraDelta>) -> Result<()> {
        let v = r.variant.for_rows(super::rows(x));
        encode_matmul_forward(r.gpu, r.pass, x, &self.weight, Some(&self.bias), y, v)?;
        match lora {
            Some(delta) => delta.forward(r, x, y),
            None => Ok(()),
        }
    }

    /// dx = dy·Wᵀ (+ the LoRA delta's input gradient, with dA and dB accumulated into `grads`).
    /// No gradient for W or b: they are frozen.
    pub fn backward(
        &self,
        r: &mut Rec,
        x: &Tensor,
        dy: &Tensor,
        dx: &Tensor,
        lora: Option<(&LoraDelta, Option<&LoraGradsRef>)>,
    ) -> Result<()> {
        encode_matmul_backward_input(r.gpu, r.pass, dy, &self.weight, dx, r.variant)?;
        match lora {
            Some((delta, Some(grads))) => delta.backward(r, x, dy, dx, grads),
            Some((_, None)) => Err(GpuError::Shape(format!(
                "'{}' has a LoRA delta but no gradient buffers for it",
                self.weight.label
            ))),
            None => Ok(()),
        }
    }
}
