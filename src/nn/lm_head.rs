//! lm_head, tied to wte: logits = h·wteᵀ. wte may be larger than one storage binding (GPT-2's is
//! 154 MB in f32), so it is bound in row ranges and every product loops over them: this is the
//! one place that loop is written.

use super::Rec;
use crate::gpu::{GpuError, Result, Tensor};
use crate::kernels::matmul::{encode_gemm, Gemm, Variant};

pub struct LmHead<'a> {
    /// wte (V, C) as row ranges (first row, (rows, C)).
    pub wte: &'a [(usize, Tensor)],
}

/// Which rows of a (.., C) activation a product reads or writes: `count` rows, the first at
/// element `offset`, each `stride` elements after the previous.
#[derive(Debug, Clone, Copy)]
pub struct Rows {
    pub offset: usize,
    pub stride: usize,
    pub count: usize,
}

impl Rows {
    /// Rows r0 .. r0 + count of a contiguous (rows, C) tensor.
    pub fn contiguous(r0: usize, count: usize, c: usize) -> Rows {
        Rows { offset: r0 * c, stride: c, count }
    }
}

impl<'a> LmHead<'a> {
    fn dims(&self) -> Result<(usize, usize)> {
        let c = self
            .wte
            .first()
            .map(|(_, t)| t.shape[1])
            .ok_or_else(|| GpuError::Shape("lm_head: no wte".into()))?;
        Ok((self.wte.iter().map(|(_, t)| t.shape[0]).sum(), c))
    }

    /// The forward products, one per wte range: logits[i, v0 + j] = Σ_c h[i, c] · wte[v0 + j, c].
    /// B is the range read transposed, C a column range of the logits block. (Unlike the
    /// backward, the forward is not sliced: slicing it measured no faster on lavapipe.)
    fn forward_gemms(&self, rows: Rows, stride: usize, variant: Variant) -> Result<Vec<(Gemm, &'a Tensor)>> {
        let c = self.dims()?.1;
        let gemm = |v0: usize, chunk: &Tensor| Gemm {
            m: rows.count,
            n: chunk.shape[0],
            k: c,
            a_off: rows.offset,
            a_strides: (rows.stride, 1),
            b_off: 0,
            b_strides: (1, c),
            c_off: v0,
            c_rs: stride,
            alpha: 1.0,
            accumulate: false,
            variant: variant.for_rows(rows.count),
        };
        Ok(self.wte.iter().map(|(v0, chunk)| (gemm(*v0, chunk), chunk)).collect())
    }

    /// The backward products: dh[i, :] (+)= Σ_j dlogits[i, v0 + j] · wte[v0 + j, :], over wte in
    /// slices of at most `slice` rows (K), the first writing and the others adding.
    fn backward_gemms(
        &self,
        rows: Rows,
        stride: usize,
        slice: usize,
        variant: Variant,
    ) -> Result<Vec<(Gemm, &'a Tensor)>> {
        let c = self.dims()?.1;
        let mut out = Vec::new();
        for (v0, chunk) in self.wte {
            for k0 in (0..chunk.shape[0]).step_by(slice.max(1)) {
                let g = Gemm {
                    m: rows.count,
                    n: c,
                    k: slice.min(chunk.shape[0] - k0),
                    a_off: v0 + k0,
                    a_strides: (stride, 1),
                    b_off: k0 * c,
                    b_strides: (c, 1),
                    c_off: rows.offset,
                    c_rs: rows.stride,
                    alpha: 1.0,
                    accumulate: v0 + k0 != 0,
                    variant,
                };
                out.push((g, chunk));
            }
        }
        Ok(out)
    }

    /// Rows of wte per backward product. On a CPU adapter (lavapipe) a product over all V rows
    /// streams the dlogits block and wte (2 x 51 MB for GPT-2 at 256 rows) through every 32x32
    /// tile from L3; in slices of about 1 MiB of wte the tiles that run one after another find
    /// their operands in L2, and the slices add up in order: lm_head backward went from 10-15 to
    /// 27 GFLOP/s. A GPU's caches are another matter, so elsewhere one product per range.
    fn slice(&self, gpu: &crate::gpu::Gpu) -> Result<usize> {
        let c = self.dims()?.1;
        Ok(if gpu.report.device_type == "Cpu" {
            ((1 << 20) / (4 * c.max(1))).max(256) / 4 * 4
        } else {
            usize::MAX
        })
    }

    /// Every product a training step runs over `rows` logit rows at a time into a block with
    /// rows `stride` apart, with its B operand (for the autotuner).
    pub fn products(
        &self,
        gpu: &crate::gpu::Gpu,
        rows: usize,
        stride: usize,
        variant: Variant,
    ) -> Result<Vec<(Gemm, &'a Tensor)>> {
        let c = self.dims()?.1;
        let rows = Rows::contiguous(0, rows, c);
        let slice = self.slice(gpu)?;
        Ok([self.forward_gemms(rows, stride, variant)?, self.backward_gemms(rows, stride, slice, variant)?]
            .concat())
    }

    /// The row stride of a (R, S) logits block, S >= V.
    fn stride(&self, logits: &Tensor) -> Result<usize> {
        let v = self.dims()?.0;
        match logits.shape[..] {
            [_, s] if s >= v => Ok(s),
            _ => Err(GpuError::Shape(format!(
                "lm_head: logits '{}' {:?} is not (rows, >= {v})",
                logits.label, logits.shape
            ))),
        }
    }

    /// logits[i, ..V] (the first rows.count rows of a (R, S >= V) block) = h[row i] · wteᵀ.
    pub fn forward(&self, r: &mut Rec, h: &Tensor, rows: Rows, logits: &Tensor) -> Result<()> {
        for (g, chunk) in self.forward_gemms(rows, self.stride(logits)?, r.variant)? {
            encode_gemm(r.gpu, r.pass, g, h, chunk, None, logits)?;
        }
        Ok(())
    }

    /// dh[row i] = dlogits[i, ..V] · wte, for the first rows.count rows of a (R, S >= V) block
    /// of logit gradients.
    pub fn backward(&self, r: &mut Rec, dlogits: &Tensor, rows: Rows, dh: &Tensor) -> Result<()> {
        let slice = self.slice(r.gpu)?;
        for (g, chunk) in self.backward_gemms(rows, self.stride(dlogits)?, slice, r.variant)? {
            encode_gemm(r.gpu, r.pass, g, dlogits, chunk, None, dh)?;
        }
        Ok(())
    }
}
