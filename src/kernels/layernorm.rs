//! Layer normalisation over the last dimension (shaders/layernorm.wgsl).

use super::{expect, grid64, u32_of};
use crate::gpu::{Access, DType, Gpu, Kernel, Result, Shader, Tensor};

pub static SHADER: Shader =
    Shader { name: "layernorm.wgsl", source: include_str!("../../shaders/layernorm.wgsl"), defines: &[] };

static FORWARD: Kernel = Kernel::new::<Params>(
    &SHADER,
    "layernorm_forward",
    &[Access::Read, Access::Read, Access::Read, Access::ReadWrite, Access::ReadWrite, Access::ReadWrite],
);

static BACKWARD: Kernel = Kernel::new::<Params>(
    &SHADER,
    "layernorm_backward",
    &[Access::Read, Access::Read, Access::Read, Access::ReadWrite, Access::ReadWrite, Access::ReadWrite],
);

pub(crate) static KERNELS: [&Kernel; 2] = [&FORWARD, &BACKWARD];

crate::uniform_struct! {
    struct Params {
        rows: u32,
        c: u32,
        eps: f32,
        _pad: u32,
    }
}

/// out (.., C) = layernorm(x) · w + b; mean and rstd (rows) are kept for the backward pass.
#[allow(clippy::too_many_arguments)]
pub fn encode_layernorm_forward(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    x: &Tensor,
    w: &Tensor,
    b: &Tensor,
    eps: f32,
    out: &Tensor,
    mean: &Tensor,
    rstd: &Tensor,
) -> Result<()> {
    let c = *x.shape.last().unwrap_or(&0);
    let rows = x.numel().checked_div(c).unwrap_or(0);
    expect(w, "layernorm", DType::F32, &[c])?;
    expect(b, "layernorm", DType::F32, &[c])?;
    expect(out, "layernorm", DType::F32, &x.shape)?;
    expect(mean, "layernorm", DType::F32, &[rows])?;
    expect(rstd, "layernorm", DType::F32, &[rows])?;
    let params = Params { rows: u32_of(rows, "rows")?, c: u32_of(c, "C")?, eps, _pad: 0 };
    gpu.dispatch(
        pass,
        &FORWARD,
        &params,
        &[x.binding(), w.binding(), b.binding(), out.binding(), mean.binding(), rstd.binding()],
        grid64(rows),
    )
}

/// dx (.., C) += layernorm's input gradient for dout, from the forward's x, w, mean and rstd.
/// (No weight or bias gradients: they are frozen under LoRA.)
#[allow(clippy::too_many_arguments)]
pub fn encode_layernorm_backward(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    x: &Tensor,
    w: &Tensor,
    mean: &Tensor,
    rstd: &Tensor,
    dout: &Tensor,
    dx: &Tensor,
) -> Result<()> {
    let c = *x.shape.last().unwrap_or(&0);
    let rows = x.numel().checked_div(c).unwrap_or(0);
    expect(w, "layernorm_backward", DType::F32, &[c])?;
    expect(dout, "layernorm_backward", DType::F32, &x.shape)?;
    expect(dx, "layernorm_backward", DType::F32, &x.shape)?;
    expect(mean, "layernorm_backward", DType::F32, &[rows])?;
    expect(rstd, "layernorm_backward", DType::F32, &[rows])?;
    let params = Params { rows: u32_of(rows, "rows")?, c: u32_of(c, "C")?, eps: 0.0, _pad: 0 };
    gpu.dispatch(
        pass,
        &BACKWARD,
        &params,
        &[x.binding(), w.binding(), dout.binding(), dx.binding(), mean.binding(), rstd.binding()],
        grid64(rows),
    )
}
