//! Softmax cross-entropy over row blocks of logits (shaders/crossentropy.wgsl).

use super::{expect, grid, u32_of};
use crate::gpu::{Access, DType, Gpu, GpuError, Kernel, Result, Shader, Tensor};

pub static SHADER: Shader = Shader {
    name: "crossentropy.wgsl",
    source: include_str!("../../shaders/crossentropy.wgsl"),
    defines: &["SUBGROUPS", "LANES4"],
};

const STORAGE: &[Access] = &[Access::ReadWrite, Access::Read, Access::ReadWrite];
static FORWARD: Kernel = Kernel::new::<Params>(&SHADER, "crossentropy_forward", STORAGE);
static BACKWARD: Kernel = Kernel::new::<Params>(&SHADER, "crossentropy_backward", STORAGE);
static FORWARD_SG: Kernel =
    Kernel::new::<Params>(&SHADER, "crossentropy_forward_sg", STORAGE).with(&["SUBGROUPS"]);
static BACKWARD_SG: Kernel =
    Kernel::new::<Params>(&SHADER, "crossentropy_backward_sg", STORAGE).with(&["SUBGROUPS"]);
static FORWARD_SG4: Kernel =
    Kernel::new::<Params>(&SHADER, "crossentropy_forward_sg", STORAGE).with(&["SUBGROUPS", "LANES4"]);
static BACKWARD_SG4: Kernel =
    Kernel::new::<Params>(&SHADER, "crossentropy_backward_sg", STORAGE).with(&["SUBGROUPS", "LANES4"]);

pub(crate) static KERNELS: [&Kernel; 6] =
    [&FORWARD, &BACKWARD, &FORWARD_SG, &BACKWARD_SG, &FORWARD_SG4, &BACKWARD_SG4];

/// The kernel for a block with rows `stride` apart: where rows start at multiples of 4 (vec4
/// reads), the subgroup one for the adapter's subgroups (8 lanes or more, else 4: SwiftShader's);
/// otherwise, or without subgroups, the per-row one.
fn pick(gpu: &Gpu, stride: usize, kernels: [&'static Kernel; 3]) -> &'static Kernel {
    let [scalar, sg, sg4] = kernels;
    if !stride.is_multiple_of(4) {
        scalar
    } else if gpu.has_subgroups_of(8) {
        sg
    } else if gpu.has_subgroups_of(4) {
        sg4
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

/// Check the block and record one of `kernels` (per-row, subgroup, 4-lane subgroup) over its first
/// `rows` rows.
#[allow(clippy::too_many_arguments)]
fn encode(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    kernels: [&'static Kernel; 3],
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
    let kernel = pick(gpu, stride, kernels);
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
    encode(gpu, pass, [&FORWARD, &FORWARD_SG, &FORWARD_SG4], logits, vocab, rows, targets, row0, 0.0, losses)
}

/// Overwrite the first `rows` rows of `logits` (R, S >= vocab) with dloss · (softmax -
/// onehot(target)) over their first `vocab` columns (0 where the target is -100; padding
/// columns are left as they are), and write their losses as [`encode_crossentropy_forward`]
/// does, from the same pass: a training step needs only this one.
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
    encode(
        gpu,
        pass,
        [&BACKWARD, &BACKWARD_SG, &BACKWARD_SG4],
        logits,
        vocab,
        rows,
        targets,
        row0,
        dloss,
        losses,
    )
}
