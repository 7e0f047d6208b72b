//! Token + position embedding (shaders/encoder.wgsl).

use super::{expect, grid64, u32_of};
use crate::gpu::{Access, DType, Gpu, GpuError, Kernel, Result, Shader, Tensor};

pub static SHADER: Shader = Shader {
    name: "encoder.wgsl",
    source: include_str!("../../shaders/encoder.wgsl"),
    defines: &["WEIGHTS_F16"],
};

const STORAGE: &[Access] = &[Access::Read, Access::Read, Access::Read, Access::ReadWrite];
static FORWARD: Kernel = Kernel::new::<Params>(&SHADER, "encoder_forward", STORAGE);
/// The same with wte stored as f16; needs the shader-f16 feature.
static FORWARD_F16: Kernel =
    Kernel::new::<Params>(&SHADER, "encoder_forward", STORAGE).with(&["WEIGHTS_F16"]);

pub(crate) static KERNELS: [&Kernel; 2] = [&FORWARD, &FORWARD_F16];

crate::uniform_struct! {
    struct Params {
        bt: u32,
        t: u32,
        c: u32,
        v0: u32,
        v_len: u32,
        pos0: u32,
        _pad: [u32; 2],
    }
}

/// out (B, T, C) = wte[ids] + wpe[pos0 + t], with wte given as row ranges
/// `(first row, (rows, C))` that together cover the vocabulary. `pos0` is the position of the
/// first token (0 unless appending to a KV cache).
pub fn encode_encoder_forward(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    ids: &Tensor,
    wte: &[(usize, Tensor)],
    wpe: &Tensor,
    pos0: usize,
    out: &Tensor,
) -> Result<()> {
    let (b, t) = match ids.shape[..] {
        [b, t] if ids.dtype == DType::U32 => (b, t),
        _ => return Err(GpuError::Shape(format!("encoder: ids {:?} is not (B, T) u32", ids.shape))),
    };
    let c = wpe.shape.get(1).copied().unwrap_or(0);
    if wpe.shape.len() != 2 || wpe.shape[0] < pos0 + t {
        return Err(GpuError::Shape(format!(
            "encoder: wpe {:?} has fewer than {pos0} + T = {} positions",
            wpe.shape,
            pos0 + t
        )));
    }
    expect(out, "encoder", DType::F32, &[b, t, c])?;
    for (v0, chunk) in wte {
        if chunk.shape.len() != 2 || chunk.shape[1] != c {
            return Err(GpuError::Shape(format!("encoder: wte range {:?} is not (rows, {c})", chunk.shape)));
        }
        let kernel = match chunk.dtype {
            DType::F32 => &FORWARD,
            DType::F16 => {
                crate::kernels::require_f16(gpu, &chunk.label)?;
                &FORWARD_F16
            }
            other => return Err(GpuError::Shape(format!("encoder: wte is {other:?}, not F32 or F16"))),
        };
        let params = Params {
            bt: u32_of(b * t, "B·T")?,
            t: u32_of(t, "T")?,
            c: u32_of(c, "C")?,
            v0: u32_of(*v0, "wte row")?,
            v_len: u32_of(chunk.shape[0], "wte rows")?,
            pos0: u32_of(pos0, "pos0")?,
            _pad: [0; 2],
        };
        gpu.dispatch(
            pass,
            kernel,
            &params,
            &[ids.binding(), chunk.binding(), wpe.binding(), out.binding()],
            grid64(b * t * c),
        )?;
    }
    Ok(())
}
