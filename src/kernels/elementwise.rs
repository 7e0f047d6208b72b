//! Pointwise ops (shaders/elementwise.wgsl): GELU (tanh form) and the residual add.

use super::{expect, grid64, u32_of};
use crate::gpu::{Access, DType, Gpu, Kernel, Result, Shader, Tensor};

pub static SHADER: Shader =
    Shader { name: "elementwise.wgsl", source: include_str!("../../shaders/elementwise.wgsl"), defines: &[] };

const STORAGE: &[Access] = &[Access::Read, Access::Read, Access::ReadWrite];
static GELU_FORWARD: Kernel = Kernel::new::<Params>(&SHADER, "gelu_forward", STORAGE);
static RESIDUAL_FORWARD: Kernel = Kernel::new::<Params>(&SHADER, "residual_forward", STORAGE);
static GELU_BACKWARD: Kernel = Kernel::new::<Params>(&SHADER, "gelu_backward", STORAGE);
static DROPOUT_FORWARD: Kernel = Kernel::new::<Params>(&SHADER, "dropout_forward", STORAGE);
static DROPOUT_BACKWARD: Kernel = Kernel::new::<Params>(&SHADER, "dropout_backward", STORAGE);

pub(crate) static KERNELS: [&Kernel; 5] =
    [&GELU_FORWARD, &RESIDUAL_FORWARD, &GELU_BACKWARD, &DROPOUT_FORWARD, &DROPOUT_BACKWARD];

crate::uniform_struct! {
    struct Params {
        n: u32,
        p: f32,
        seed: u32,
        site: u32,
    }
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
    let params = Params { n: u32_of(n, "elements")?, p: 0.0, seed: 0, site: 0 };
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

/// Which dropout mask: the run's seed mixed with the step, and the site (layer, module).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DropoutMask {
    pub p: f32,
    pub seed: u32,
    pub site: u32,
}

fn dropout(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    k: &Kernel,
    mask: DropoutMask,
    n: usize,
    x: &Tensor,
    out: &Tensor,
) -> Result<()> {
    if x.numel() < n || out.numel() < n || x.dtype != DType::F32 || out.dtype != DType::F32 {
        return Err(crate::gpu::GpuError::Shape(format!(
            "{}: {n} elements of '{}' {:?} into '{}' {:?}",
            k.entry, x.label, x.shape, out.label, out.shape
        )));
    }
    if !(0.0..1.0).contains(&mask.p) {
        return Err(crate::gpu::GpuError::Shape(format!("dropout probability {} is not in [0, 1)", mask.p)));
    }
    let params = Params { n: u32_of(n, "elements")?, p: mask.p, seed: mask.seed, site: mask.site };
    gpu.dispatch(pass, k, &params, &[x.binding(), x.binding(), out.binding()], grid64(n))
}

/// out[..n] = x[..n] · mask / (1 - p).
pub fn encode_dropout_forward(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    mask: DropoutMask,
    n: usize,
    x: &Tensor,
    out: &Tensor,
) -> Result<()> {
    dropout(gpu, pass, &DROPOUT_FORWARD, mask, n, x, out)
}

/// out[..n] += g[..n] · mask / (1 - p), with the forward's mask.
pub fn encode_dropout_backward(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    mask: DropoutMask,
    n: usize,
    g: &Tensor,
    out: &Tensor,
) -> Result<()> {
    dropout(gpu, pass, &DROPOUT_BACKWARD, mask, n, g, out)
}
