//! One Rust module per WGSL file in `shaders/`: the uniform struct mirrored from WGSL and the
//! `encode_*` functions that check shapes and record dispatches into a compute pass.

pub mod matmul;

use crate::gpu::Shader;

/// Every WGSL file the crate embeds, for tools that list or pre-compile them.
pub fn shaders() -> &'static [&'static Shader] {
    static SHADERS: [&Shader; 1] = [&matmul::SHADER];
    &SHADERS
}
