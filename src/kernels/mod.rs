//! One Rust module per WGSL file in `shaders/`: the uniform struct mirrored from WGSL and the
//! `encode_*` functions that check shapes and record dispatches into a compute pass. The
//! optimizer's update is here too (optim.rs): kernels import nothing above `gpu`.

pub mod attention;
pub mod crossentropy;
pub mod elementwise;
pub mod encoder;
pub mod kv_attention;
pub mod layernorm;
pub mod matmul;
pub mod optim;

use crate::gpu::{DType, GpuError, Kernel, Result, Shader, Tensor};

/// Every kernel the crate dispatches (each entry point with each set of defines it is built with).
pub fn kernels() -> Vec<&'static Kernel> {
    [
        &attention::KERNELS[..],
        &crossentropy::KERNELS,
        &elementwise::KERNELS,
        &encoder::KERNELS,
        &kv_attention::KERNELS,
        &layernorm::KERNELS,
        &matmul::KERNELS,
        &optim::KERNELS,
    ]
    .concat()
}

/// Every WGSL file the crate embeds, includes first, for tools that list or validate them.
pub fn shaders() -> Vec<&'static Shader> {
    let mut out: Vec<&'static Shader> = crate::gpu::shader::INCLUDES.to_vec();
    for k in kernels() {
        if !out.iter().any(|s| s.name == k.shader.name) {
            out.push(k.shader);
        }
    }
    out
}

/// Workgroup counts for `groups` workgroups laid out in 2-D, so that more than 65535 of them
/// fit; kernels rebuild the linear index as `gid.x + gid.y * num_workgroups.x * 64`.
pub(crate) fn grid(groups: usize) -> [u32; 3] {
    const MAX: usize = 65535;
    let x = groups.clamp(1, MAX);
    [x as u32, groups.div_ceil(x).max(1) as u32, 1]
}

/// The same for one invocation per item with 64-wide workgroups.
pub(crate) fn grid64(items: usize) -> [u32; 3] {
    if items == 0 {
        return [0, 0, 0];
    }
    grid(items.div_ceil(64))
}

/// f16 storage needs the adapter's shader-f16 feature (SwiftShader, for one, lacks it).
pub(crate) fn require_f16(gpu: &crate::gpu::Gpu, label: &str) -> Result<()> {
    if gpu.has_f16() {
        Ok(())
    } else {
        Err(GpuError::Unsupported(format!(
            "'{label}' is stored as f16, but the adapter '{}' has no shader-f16 feature; use f32 weights",
            gpu.report.name
        )))
    }
}

pub(crate) fn u32_of(v: usize, what: &str) -> Result<u32> {
    u32::try_from(v).map_err(|_| GpuError::Shape(format!("{what} = {v} exceeds u32")))
}

/// Check that `t` is `dtype` with exactly `shape`.
pub(crate) fn expect(t: &Tensor, kernel: &str, dtype: DType, shape: &[usize]) -> Result<()> {
    if t.dtype != dtype || t.shape != shape {
        return Err(GpuError::Shape(format!(
            "{kernel}: '{}' is {:?} {:?}, expected {dtype:?} {shape:?}",
            t.label, t.dtype, t.shape
        )));
    }
    Ok(())
}
