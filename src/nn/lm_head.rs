//! lm_head, tied to wte: logits = h·wteᵀ. wte may be larger than one storage binding (GPT-2's is
//! 154 MB in f32), so it is bound in row ranges and every product loops over them: this is the
//! one place that loop is written.

use super::Rec;
use crate::gpu::{GpuError, Result, Tensor};
use crate::kernels::matmul::{encode_gemm, Gemm};

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

impl LmHead<'_> {
    fn dims(&self) -> Result<(usize, usize)> {
        let c = self
            .wte
            .first()
            .map(|(_, t)| t.shape[1])
            .ok_or_else(|| GpuError::Shape("lm_head: no wte".into()))?;
        Ok((self.wte.iter().map(|(_, t)| t.shape[0]).sum(), c))
    }

    /// logits[i, :] (the first rows.count rows of a (R, V) block) = h[row i] · wteᵀ.
    pub fn forward(&self, r: &mut Rec, h: &Tensor, rows: Rows, logits: &Tensor) -> Result<()> {
        let (v, c) = self.dims()?;
        for (v0, chunk) in self.wte {
            // logits[i, v0 + j] = Σ_c h[i, c] · wte[v0 + j, c]: B is the wte range read
            // transposed, C a column range of the logits block.
            let g = Gemm {
                m: rows.count,
                n: chunk.shape[0],
                k: c,
                a_off: rows.offset,
                a_strides: (rows.stride, 1),
                b_strides: (1, c),
                c_off: *v0,
                c_rs: v,
                alpha: 1.0,
                accumulate: false,
                variant: r.variant.for_rows(rows.count),
            };
            encode_gemm(r.gpu, r.pass, g, h, chunk, None, logits)?;
        }
        Ok(())
    }

    /// dh[row i] = dlogits[i, :] · wte, for the first rows.count rows of a (R, V) block of
    /// logit gradients.
    pub fn backward(&self, r: &mut Rec, dlogits: &Tensor, rows: Rows, dh: &Tensor) -> Result<()> {
        let (v, c) = self.dims()?;
        for (v0, chunk) in self.wte {
            // dh[i, :] (+)= Σ_j dlogits[i, v0 + j] · wte[v0 + j, :]
            let g = Gemm {
                m: rows.count,
                n: c,
                k: chunk.shape[0],
                a_off: *v0,
                a_strides: (v, 1),
                b_strides: (c, 1),
                c_off: rows.offset,
                c_rs: rows.stride,
                alpha: 1.0,
                accumulate: *v0 != 0,
                variant: r.variant,
            };
            encode_gemm(r.gpu, r.pass, g, dlogits, chunk, None, dh)?;
        }
        Ok(())
    }
}
