//! Causal multi-head self-attention (shaders/attention.wgsl).

use super::elementwise::DropoutMask;
use super::{expect, grid64, u32_of};
use crate::gpu::{Access, DType, Gpu, GpuError, Kernel, Result, Shader, Tensor};

pub static SHADER: Shader =
    Shader { name: "attention.wgsl", source: include_str!("../../shaders/attention.wgsl"), defines: &[] };

static FORWARD: Kernel = Kernel::new::<Params>(
    &SHADER,
    "attention_forward",
    &[Access::Read, Access::ReadWrite, Access::ReadWrite],
);

crate::uniform_struct! {
    struct Params {
        b: u32,
        t: u32,
        c: u32,
        nh: u32,
        scale: f32,
        p_drop: f32,
        seed: u32,
        site: u32,
    }
}

/// The uniforms for qkv (B, T, 3C), after checking it; also returns [B, T, C].
fn params(
    qkv: &Tensor,
    n_head: usize,
    scale: f32,
    dropout: Option<DropoutMask>,
) -> Result<(Params, [usize; 3])> {
    let (b, t, c3) = match qkv.shape[..] {
        [b, t, c3] if c3 % 3 == 0 && qkv.dtype == DType::F32 => (b, t, c3),
        _ => return Err(GpuError::Shape(format!("attention: qkv {:?} is not (B, T, 3C) f32", qkv.shape))),
    };
    let c = c3 / 3;
    if n_head == 0 || c % n_head != 0 {
        return Err(GpuError::Shape(format!("attention: C = {c} is not a multiple of n_head = {n_head}")));
    }
    let params = Params {
        b: u32_of(b, "B")?,
        t: u32_of(t, "T")?,
        c: u32_of(c, "C")?,
        nh: u32_of(n_head, "n_head")?,
        scale,
        p_drop: dropout.map_or(0.0, |m| m.p),
        seed: dropout.map_or(0, |m| m.seed),
        site: dropout.map_or(0, |m| m.site),
    };
    Ok((params, [b, t, c]))
}

/// out (B, T, C) = causal softmax(q·kᵀ · scale) · v per head, from qkv (B, T, 3C);
/// lse (B, NH, T) keeps each row's log-sum-exp for the backward pass. `dropout` masks the
/// probabilities (training passes).
#[allow(clippy::too_many_arguments)]
pub fn encode_attention_forward(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    qkv: &Tensor,
    n_head: usize,
    scale: f32,
    dropout: Option<DropoutMask>,
    out: &Tensor,
    lse: &Tensor,
) -> Result<()> {
    let (params, [b, t, c]) = params(qkv, n_head, scale, dropout)?;
    expect(out, "attention", DType::F32, &[b, t, c])?;
    expect(lse, "attention", DType::F32, &[b, n_head, t])?;
    gpu.dispatch(
        pass,
        &FORWARD,
        &params,
        &[qkv.binding(), out.binding(), lse.binding()],
        grid64(b * n_head * t),
    )
}

/// The backward pass's kernels (shaders/attention_backward.wgsl).
pub static BACKWARD_SHADER: Shader = Shader {
    name: "attention_backward.wgsl",
    source: include_str!("../../shaders/attention_backward.wgsl"),
    defines: &[],
};

const BACKWARD_STORAGE: &[Access] =
    &[Access::Read, Access::Read, Access::Read, Access::Read, Access::ReadWrite, Access::ReadWrite];
static BACKWARD_DQ: Kernel =
    Kernel::new::<Params>(&BACKWARD_SHADER, "attention_backward_dq", BACKWARD_STORAGE);
static BACKWARD_DKV: Kernel =
    Kernel::new::<Params>(&BACKWARD_SHADER, "attention_backward_dkv", BACKWARD_STORAGE);

pub(crate) static KERNELS: [&Kernel; 3] = [&FORWARD, &BACKWARD_DQ, &BACKWARD_DKV];

/// dqkv (B, T, 3C) from dout (B, T, C), given the forward's qkv, out and lse; `scratch`
/// (B, NH, T) holds D_t = dout_t·out_t between the two dispatches.
#[allow(clippy::too_many_arguments)]
pub fn encode_attention_backward(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    qkv: &Tensor,
    out: &Tensor,
    lse: &Tensor,
    dout: &Tensor,
    n_head: usize,
    scale: f32,
    dropout: Option<DropoutMask>,
    scratch: &Tensor,
    dqkv: &Tensor,
) -> Result<()> {
    let (params, [b, t, c]) = params(qkv, n_head, scale, dropout)?;
    for (tensor, shape) in [
        (out, vec![b, t, c]),
        (dout, vec![b, t, c]),
        (lse, vec![b, n_head, t]),
        (scratch, vec![b, n_head, t]),
        (dqkv, vec![b, t, 3 * c]),
    ] {
        expect(tensor, "attention_backward", DType::F32, &shape)?;
    }
    let bindings =
        [qkv.binding(), out.binding(), dout.binding(), lse.binding(), scratch.binding(), dqkv.binding()];
    gpu.dispatch(pass, &BACKWARD_DQ, &params, &bindings, grid64(b * n_head * t))?;
    gpu.dispatch(pass, &BACKWARD_DKV, &params, &bindings, grid64(b * n_head * t))
}
