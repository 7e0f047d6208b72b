//! Causal multi-head self-attention (shaders/attention.wgsl, attention_backward.wgsl).
//!
//! Two implementations of each pass: one invocation per row reading every value it needs
//! itself (any head size, any adapter), and the subgroup kernels (`*_sg`, the SUBGROUPS define:
//! flash-style, 8 rows per 8-lane subgroup sharing each key/value row by broadcast), used where the
//! adapter has subgroups of at least 8 lanes and the head size is a multiple of 4 up to 64 (every
//! GPT-2 size has 64). [`uses_subgroups`] says which one a shape gets.

use super::elementwise::DropoutMask;
use super::{expect, grid64, u32_of};
use crate::gpu::{Access, DType, Gpu, GpuError, Kernel, Result, Shader, Tensor};

pub static SHADER: Shader = Shader {
    name: "attention.wgsl",
    source: include_str!("../../shaders/attention.wgsl"),
    defines: &["SUBGROUPS"],
};

const FORWARD_STORAGE: &[Access] = &[Access::Read, Access::ReadWrite, Access::ReadWrite];
static FORWARD: Kernel = Kernel::new::<Params>(&SHADER, "attention_forward", FORWARD_STORAGE);
static FORWARD_SG: Kernel =
    Kernel::new::<Params>(&SHADER, "attention_forward_sg", FORWARD_STORAGE).with(&["SUBGROUPS"]);

/// The largest head the subgroup kernels hold in registers (tools/gen_shaders.py: 4 * HS4).
const SG_MAX_HEAD: usize = 64;

/// Whether attention over qkv (B, T, 3C) with `n_head` heads runs the subgroup kernels here.
pub fn uses_subgroups(gpu: &Gpu, b: usize, c: usize, n_head: usize) -> bool {
    let hs = c / n_head.max(1);
    gpu.has_subgroups_of(8)
        && hs.is_multiple_of(4)
        && hs <= SG_MAX_HEAD
        && (b * n_head) as u64 <= gpu.limits.max_compute_workgroups_per_dimension as u64
}

/// The grid for `t` rows of b·n_head heads: one 8-lane workgroup per 8 rows of a head (subgroup
/// kernels), or one invocation per row.
fn rows_grid(sg: bool, b: usize, t: usize, n_head: usize) -> [u32; 3] {
    if sg {
        [t.div_ceil(8) as u32, (b * n_head) as u32, 1]
    } else {
        grid64(b * n_head * t)
    }
}

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
    let sg = uses_subgroups(gpu, b, c, n_head);
    gpu.dispatch(
        pass,
        if sg { &FORWARD_SG } else { &FORWARD },
        &params,
        &[qkv.binding(), out.binding(), lse.binding()],
        rows_grid(sg, b, t, n_head),
    )
}

/// The backward pass's kernels (shaders/attention_backward.wgsl).
pub static BACKWARD_SHADER: Shader = Shader {
    name: "attention_backward.wgsl",
    source: include_str!("../../shaders/attention_backward.wgsl"),
    defines: &["SUBGROUPS"],
};

const BACKWARD_STORAGE: &[Access] =
    &[Access::Read, Access::Read, Access::Read, Access::Read, Access::ReadWrite, Access::ReadWrite];
static BACKWARD_DQ: Kernel =
    Kernel::new::<Params>(&BACKWARD_SHADER, "attention_backward_dq", BACKWARD_STORAGE);
static BACKWARD_DKV: Kernel =
    Kernel::new::<Params>(&BACKWARD_SHADER, "attention_backward_dkv", BACKWARD_STORAGE);
static BACKWARD_DQ_SG: Kernel =
    Kernel::new::<Params>(&BACKWARD_SHADER, "attention_backward_dq_sg", BACKWARD_STORAGE)
        .with(&["SUBGROUPS"]);
static BACKWARD_DKV_SG: Kernel =
    Kernel::new::<Params>(&BACKWARD_SHADER, "attention_backward_dkv_sg", BACKWARD_STORAGE)
        .with(&["SUBGROUPS"]);

pub(crate) static KERNELS: [&Kernel; 6] =
    [&FORWARD, &BACKWARD_DQ, &BACKWARD_DKV, &FORWARD_SG, &BACKWARD_DQ_SG, &BACKWARD_DKV_SG];

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
    let sg = uses_subgroups(gpu, b, c, n_head);
    let (dq, dkv) = if sg { (&BACKWARD_DQ_SG, &BACKWARD_DKV_SG) } else { (&BACKWARD_DQ, &BACKWARD_DKV) };
    gpu.dispatch(pass, dq, &params, &bindings, rows_grid(sg, b, t, n_head))?;
    gpu.dispatch(pass, dkv, &params, &bindings, rows_grid(sg, b, t, n_head))
}
