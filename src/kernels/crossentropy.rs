//! Softmax cross-entropy over row blocks of logits (shaders/crossentropy.wgsl).

use super::{expect, grid, u32_of};
use crate::gpu::{Access, DType, Gpu, GpuError, Kernel, Result, Shader, Tensor};

pub static SHADER: Shader = Shader {
    name: "crossentropy.wgsl",
    source: include_str!("../../shaders/crossentropy.wgsl"),
    defines: &["SUBGROUPS"],
};

const STORAGE: &[Access] = &[Access::ReadWrite, Access::Read, Access::ReadWrite];
static FORWARD: Kernel = Kernel::new::<Params>(&SHADER, "crossentropy_forward", STORAGE);
static BACKWARD: Kernel = Kernel::new::<Params>(&SHADER, "crossentropy_backward", STORAGE);
static FORWARD_SG: Kernel =
    Kernel::new::<Params>(&SHADER, "crossentropy_forward_sg", STORAGE).with(&["SUBGROUPS"]);
static BACKWARD_SG: Kernel =
    Kernel::new::<Params>(&SHADER, "crossentropy_backward_sg", STORAGE).with(&["SUBGROUPS"]);

pub(crate) static KERNELS: [&Kernel; 4] = [&FORWARD, &BACKWARD, &FORWARD_SG, &BACKWARD_SG];

/// The kernel for a block with rows `stride` apart: the subgroup one where the adapter has
/// subgroups of 8 or more lanes and rows start at multiples of 4 (vec4 reads).
fn pick(gpu: &Gpu, stride: usize, scalar: &'static Kernel, sg: &'static Kernel) -> &'static Kernel {
    if gpu.has_subgroups_of_8() && stride.is_multiple_of(4) {
        sg
    } else {
        scalar
    }
}

crate::uniform_struct! {
    struct Params {
        rows: u32,
        v: u32,
        row0: u32,
        dloss: f32,
        stride: u32,
        _pad0: u32,
        _pad1: u32,
        _pad2: u32,
    }
}

/// Check the block and record one of `kernels` (per-row, subgroup) over its first `rows` rows.
#[allow(clippy::too_many_arguments)]
fn encode(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    kernels: (&'static Kernel, &'static Kernel),
    logits: &Tensor,
    vocab: usize,
    rows: usize,
    targets: &Tensor,
    row0: usize,
    dloss: f32,
    losses: &Tensor,
) -> Result<()> {
    let (cap, stride) = match logits.shape[..] {
        [r, s] if s >= vocab => (r, s),
        _ => {
            return Err(GpuError::Shape(format!(
                "crossentropy: logits {:?} is not (R, >= {vocab})",
                logits.shape
            )))
        }
    };
    let n = targets.numel();
    if rows > cap || row0 + rows > n || targets.dtype != DType::I32 {
        return Err(GpuError::Shape(format!(
            "crossentropy: rows {row0}..{} of {n} targets with a logits block of {cap}",
            row0 + rows
        )));
    }
    expect(losses, "crossentropy", DType::F32, &[n])?;
    let params = Params {
        rows: u32_of(rows, "rows")?,
        v: u32_of(vocab, "V")?,
        row0: u32_of(row0, "row")?,
        dloss,
        stride: u32_of(stride, "row stride")?,
        _pad0: 0,
        _pad1: 0,
        _pad2: 0,
    };
    let kernel = pick(gpu, stride, kernels.0, kernels.1);
    gpu.dispatch(pass, kernel, &params, &[logits.binding(), targets.binding(), losses.binding()], grid(rows))
}

/// losses[row0 + r] = logsumexp(logits[r, ..vocab]) - logits[r, targets[row0 + r]] for the
/// first `rows` rows of `logits` (R, S >= vocab: rows may be padded); 0 where the target is -100.
#[allow(clippy::too_many_arguments)]
pub fn encode_crossentropy_forward(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    logits: &Tensor,
    vocab: usize,
    rows: usize,
    targets: &Tensor,
    row0: usize,
    losses: &Tensor,
) -> Result<()> {
    encode(gpu, pass, (&FORWARD, &FORWARD_SG), logits, vocab, rows, targets, row0, 0.0, losses)
}

/// Overwrite the first `rows` rows of `logits` (R, S >= vocab) with dloss · (softmax -
/// onehot(target)) over their first `vocab` columns (0 where the target is -100; padding
/// columns are left as they are). `losses` is bound but not written.
#[allow(clippy::too_many_arguments)]
pub fn encode_crossentropy_backward(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    logits: &Tensor,
    vocab: usize,
    rows: usize,
    targets: &Tensor,
    row0: usize,
    dloss: f32,
    losses: &Tensor,
) -> Result<()> {
    encode(gpu, pass, (&BACKWARD, &BACKWARD_SG), logits, vocab, rows, targets, row0, dloss, losses)
}
