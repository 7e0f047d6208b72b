//! Softmax cross-entropy over row blocks of logits (shaders/crossentropy.wgsl).

use super::{expect, grid, u32_of};
use crate::gpu::{Access, DType, Gpu, GpuError, Kernel, Result, Shader, Tensor};

pub static SHADER: Shader = Shader {
    name: "crossentropy.wgsl",
    source: include_str!("../../shaders/crossentropy.wgsl"),
    defines: &[],
};

const STORAGE: &[Access] = &[Access::ReadWrite, Access::Read, Access::ReadWrite];
static FORWARD: Kernel = Kernel::new::<Params>(&SHADER, "crossentropy_forward", STORAGE);
static BACKWARD: Kernel = Kernel::new::<Params>(&SHADER, "crossentropy_backward", STORAGE);

pub(crate) static KERNELS: [&Kernel; 2] = [&FORWARD, &BACKWARD];

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

/// Check the block and record `kernel` over its first `rows` rows.
#[allow(clippy::too_many_arguments)]
fn encode(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    kernel: &Kernel,
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
    encode(gpu, pass, &FORWARD, logits, vocab, rows, targets, row0, 0.0, losses)
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
    encode(gpu, pass, &BACKWARD, logits, vocab, rows, targets, row0, dloss, losses)
}
