//! Pointwise ops (shaders/elementwise.wgsl): GELU (tanh form) and the residual add.

use super::{expect, grid64, u32_of};
use crate::gpu::{Access, DType, Gpu, Kernel, Result, Shader, Tensor};

pub static SHADER: Shader =
    Shader { name: "elementwise.wgsl", source: include_str!("../../shaders/elementwise.wgsl") };

const STORAGE: &[Access] = &[Access::Read, Access::Read, Access::ReadWrite];
static GELU_FORWARD: Kernel = Kernel { shader: &SHADER, entry: "gelu_forward", storage: STORAGE };
static RESIDUAL_FORWARD: Kernel = Kernel { shader: &SHADER, entry: "residual_forward", storage: STORAGE };
static GELU_BACKWARD: Kernel = Kernel { shader: &SHADER, entry: "gelu_backward", storage: STORAGE };

#[repr(C)]
#[derive(Debug, Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct Params {
    n: u32,
    _pad: [u32; 3],
}

fn run(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    k: &Kernel,
    a: &Tensor,
    b: &Tensor,
    out: &Tensor,
) -> Result<()> {
    let name = k.entry;
    expect(b, name, DType::F32, &a.shape)?;
    expect(out, name, DType::F32, &a.shape)?;
    let n = a.numel();
    let params = Params { n: u32_of(n, "elements")?, _pad: [0; 3] };
    gpu.dispatch(pass, k, &params, &[a.binding(), b.binding(), out.binding()], grid64(n))
}

/// out = gelu_new(x), elementwise.
pub fn encode_gelu_forward(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    x: &Tensor,
    out: &Tensor,
) -> Result<()> {
    // `b` is not read by gelu; bind x twice rather than keep a dummy of the right size.
    run(gpu, pass, &GELU_FORWARD, x, x, out)
}

/// out = a + b, elementwise.
pub fn encode_residual_forward(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    a: &Tensor,
    b: &Tensor,
    out: &Tensor,
) -> Result<()> {
    run(gpu, pass, &RESIDUAL_FORWARD, a, b, out)
}

/// dx = dout · gelu'(x), elementwise (x is gelu_forward's input).
pub fn encode_gelu_backward(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    x: &Tensor,
    dout: &Tensor,
    dx: &Tensor,
) -> Result<()> {
    run(gpu, pass, &GELU_BACKWARD, x, dout, dx)
}
