//! Causal multi-head self-attention (shaders/attention.wgsl, attention_backward.wgsl).
//!
//! Two implementations of each pass: one invocation per row reading every value it needs
//! itself (any head size, any adapter), and the subgroup kernels (the SUBGROUPS define:
//! flash-style, one row per lane, the lanes sharing each key/value row by broadcast), used where
//! the adapter has subgroups and the head size is a multiple of 4 up to 64 (every GPT-2 size has
//! 64). The subgroup kernels come in two widths, generated from one template: `*_sg`, 8 rows per
//! 8-lane subgroup (lavapipe, desktop and Apple GPUs), and `*_sg4`, 4 rows per 4-lane subgroup
//! (SwiftShader, the browser's CPU WebGPU, whose subgroups have 4 lanes). [`Attention::pick`]
//! says which one a shape gets.

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
static FORWARD_SG4: Kernel =
    Kernel::new::<Params>(&SHADER, "attention_forward_sg4", FORWARD_STORAGE).with(&["SUBGROUPS"]);

/// The largest head the subgroup kernels hold in registers (tools/gen_shaders.py: 4 * HS4).
const SG_MAX_HEAD: usize = 64;

/// Which kernels run attention: one invocation per row, or a subgroup of this many lanes (8 or
/// 4) per as many rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attention {
    Rows,
    Subgroup(u32),
}

impl Attention {
    /// The kernels for qkv (B, T, 3C) with `n_head` heads on this adapter: the widest subgroup
    /// kernels its subgroups hold, where the head fits them; else one invocation per row.
    pub fn pick(gpu: &Gpu, b: usize, c: usize, n_head: usize) -> Attention {
        [8, 4]
            .into_iter()
            .map(Attention::Subgroup)
            .find(|a| a.runs(gpu, b, c, n_head))
            .unwrap_or(Attention::Rows)
    }

    /// Whether these kernels can run that shape on this adapter (the per-row ones run any).
    pub fn runs(self, gpu: &Gpu, b: usize, c: usize, n_head: usize) -> bool {
        let Attention::Subgroup(lanes) = self else { return true };
        let hs = c / n_head.max(1);
        (lanes == 8 || lanes == 4)
            && gpu.has_subgroups_of(lanes)
            && hs.is_multiple_of(4)
            && hs <= SG_MAX_HEAD
            && (b * n_head) as u64 <= gpu.limits.max_compute_workgroups_per_dimension as u64
    }

    /// The grid for `t` rows of b·n_head heads: one workgroup (one subgroup) per `lanes` rows
    /// of a head, or one invocation per row.
    fn grid(self, b: usize, t: usize, n_head: usize) -> [u32; 3] {
        match self {
            Attention::Subgroup(lanes) => [t.div_ceil(lanes as usize) as u32, (b * n_head) as u32, 1],
            Attention::Rows => grid64(b * n_head * t),
        }
    }

    /// The kernel of `kernels` (per-row, 8-lane, 4-lane) these are.
    fn of(self, kernels: [&'static Kernel; 3]) -> &'static Kernel {
        match self {
            Attention::Rows => kernels[0],
            Attention::Subgroup(8) => kernels[1],
            Attention::Subgroup(_) => kernels[2],
        }
    }

    /// The name `bench --profile` and errors use.
    pub fn name(self) -> &'static str {
        match self {
            Attention::Rows => "rows",
            Attention::Subgroup(8) => "subgroup",
            Attention::Subgroup(_) => "subgroup4",
        }
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
/// probabilities (training passes). `kernels`: None for [`Attention::pick`]'s.
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
    kernels: Option<Attention>,
) -> Result<()> {
    let (params, [b, t, c]) = params(qkv, n_head, scale, dropout)?;
    expect(out, "attention", DType::F32, &[b, t, c])?;
    expect(lse, "attention", DType::F32, &[b, n_head, t])?;
    let a = chosen(gpu, kernels, b, c, n_head)?;
    gpu.dispatch(
        pass,
        a.of([&FORWARD, &FORWARD_SG, &FORWARD_SG4]),
        &params,
        &[qkv.binding(), out.binding(), lse.binding()],
        a.grid(b, t, n_head),
    )
}

/// `kernels`, or the adapter's pick where None; an error where they cannot run the shape here.
fn chosen(gpu: &Gpu, kernels: Option<Attention>, b: usize, c: usize, n_head: usize) -> Result<Attention> {
    let a = kernels.unwrap_or_else(|| Attention::pick(gpu, b, c, n_head));
    if !a.runs(gpu, b, c, n_head) {
        return Err(GpuError::Shape(format!(
            "attention: the {} kernels cannot run C = {c} in {n_head} heads on this adapter",
            a.name()
        )));
    }
    Ok(a)
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
static BACKWARD_DQ_SG4: Kernel =
    Kernel::new::<Params>(&BACKWARD_SHADER, "attention_backward_dq_sg4", BACKWARD_STORAGE)
        .with(&["SUBGROUPS"]);
static BACKWARD_DKV_SG4: Kernel =
    Kernel::new::<Params>(&BACKWARD_SHADER, "attention_backward_dkv_sg4", BACKWARD_STORAGE)
        .with(&["SUBGROUPS"]);

pub(crate) static KERNELS: [&Kernel; 9] = [
    &FORWARD,
    &BACKWARD_DQ,
    &BACKWARD_DKV,
    &FORWARD_SG,
    &BACKWARD_DQ_SG,
    &BACKWARD_DKV_SG,
    &FORWARD_SG4,
    &BACKWARD_DQ_SG4,
    &BACKWARD_DKV_SG4,
];

/// dqkv (B, T, 3C) from dout (B, T, C), given the forward's qkv, out and lse; `scratch`
/// (B, NH, T) holds D_t = dout_t·out_t between the two dispatches. `kernels`: None for
/// [`Attention::pick`]'s.
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
    kernels: Option<Attention>,
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
    let a = chosen(gpu, kernels, b, c, n_head)?;
    let grid = a.grid(b, t, n_head);
    gpu.dispatch(pass, a.of([&BACKWARD_DQ, &BACKWARD_DQ_SG, &BACKWARD_DQ_SG4]), &params, &bindings, grid)?;
    gpu.dispatch(pass, a.of([&BACKWARD_DKV, &BACKWARD_DKV_SG, &BACKWARD_DKV_SG4]), &params, &bindings, grid)
}
