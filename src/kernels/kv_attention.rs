//! Attention over a key/value cache, for generation (shaders/kv_attention.wgsl).

use super::{expect, grid, grid64, u32_of};
use crate::gpu::{Access, DType, Gpu, GpuError, Kernel, Result, Shader, Tensor};

pub static SHADER: Shader = Shader {
    name: "kv_attention.wgsl",
    source: include_str!("../../shaders/kv_attention.wgsl"),
    defines: &[],
};

static APPEND: Kernel = Kernel::new::<Params>(&SHADER, "kv_append", &[Access::Read, Access::ReadWrite]);
static ATTENTION: Kernel =
    Kernel::new::<Params>(&SHADER, "kv_attention", &[Access::Read, Access::ReadWrite, Access::ReadWrite]);

pub(crate) static KERNELS: [&Kernel; 2] = [&APPEND, &ATTENTION];

/// The shader keeps four output channels per invocation of a 64-wide workgroup.
pub const MAX_HEAD_SIZE: usize = 256;

crate::uniform_struct! {
    struct Params {
        b: u32,
        tq: u32,
        c: u32,
        nh: u32,
        scale: f32,
        pos0: u32,
        cap: u32,
        _pad: u32,
    }
}

/// Check qkv (B, Tq, 3C) against the cache kv (B, CAP, 2C) and positions pos0 .. pos0 + Tq.
fn params(qkv: &Tensor, kv: &Tensor, pos0: usize, n_head: usize, scale: f32) -> Result<(Params, [usize; 3])> {
    let (b, tq, c) = match qkv.shape[..] {
        [b, tq, c3] if c3 % 3 == 0 && qkv.dtype == DType::F32 => (b, tq, c3 / 3),
        _ => return Err(GpuError::Shape(format!("kv_attention: qkv {:?} is not (B, T, 3C) f32", qkv.shape))),
    };
    if n_head == 0 || c % n_head != 0 {
        return Err(GpuError::Shape(format!("kv_attention: C = {c} is not a multiple of n_head = {n_head}")));
    }
    let cap = match kv.shape[..] {
        [kb, cap, c2] if kb == b && c2 == 2 * c && kv.dtype == DType::F32 => cap,
        _ => {
            return Err(GpuError::Shape(format!(
                "kv_attention: cache '{}' {:?} is not ({b}, CAP, {}) f32",
                kv.label,
                kv.shape,
                2 * c
            )))
        }
    };
    if pos0 + tq > cap {
        return Err(GpuError::Shape(format!(
            "kv_attention: {tq} new positions after {pos0} overflow a cache of {cap}"
        )));
    }
    let params = Params {
        b: u32_of(b, "B")?,
        tq: u32_of(tq, "T")?,
        c: u32_of(c, "C")?,
        nh: u32_of(n_head, "n_head")?,
        scale,
        pos0: u32_of(pos0, "pos0")?,
        cap: u32_of(cap, "cache positions")?,
        _pad: 0,
    };
    Ok((params, [b, tq, c]))
}

/// Write the keys and values of `qkv` (B, Tq, 3C) into `kv` (B, CAP, 2C) at positions
/// pos0 .. pos0 + Tq.
pub fn encode_kv_append(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    qkv: &Tensor,
    kv: &Tensor,
    pos0: usize,
) -> Result<()> {
    let (params, [b, tq, c]) = params(qkv, kv, pos0, 1, 1.0)?;
    gpu.dispatch(pass, &APPEND, &params, &[qkv.binding(), kv.binding()], grid64(b * tq * 2 * c))
}

/// `out` (B, Tq, C): the causal attention of each query in `qkv` (B, Tq, 3C), at positions
/// pos0 .. pos0 + Tq, over every cached position up to its own. The new tokens' keys and values
/// must already be in the cache ([`encode_kv_append`]).
#[allow(clippy::too_many_arguments)]
pub fn encode_kv_attention(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    qkv: &Tensor,
    kv: &Tensor,
    pos0: usize,
    n_head: usize,
    scale: f32,
    out: &Tensor,
) -> Result<()> {
    let (params, [b, tq, c]) = params(qkv, kv, pos0, n_head, scale)?;
    if c / n_head > MAX_HEAD_SIZE {
        return Err(GpuError::Shape(format!(
            "kv_attention: head size {} is above the kernel's {MAX_HEAD_SIZE}",
            c / n_head
        )));
    }
    expect(out, "kv_attention", DType::F32, &[b, tq, c])?;
    gpu.dispatch(
        pass,
        &ATTENTION,
        &params,
        &[qkv.binding(), kv.binding(), out.binding()],
        grid(b * n_head * tq),
    )
}
