// prelude.wgsl: helpers every kernel may use; a source pulls them in with
// `#include "prelude.wgsl"` (src/gpu/shader.rs splices this file in its place).

// The linear index of an invocation of a 64-wide workgroup in the 2-D grid that
// src/kernels/mod.rs's grid64 lays out, so that more than 65535 workgroups fit.
fn flat_index(gid: vec3<u32>, nwg: vec3<u32>) -> u32 {
    return gid.x + gid.y * nwg.x * 64u;
}

// Chris Wellons' lowbias32: a well-mixed 32-bit hash.
fn hash(v: u32) -> u32 {
    var x = v;
    x ^= x >> 16u;
    x *= 0x7feb352du;
    x ^= x >> 15u;
    x *= 0x846ca68bu;
    x ^= x >> 16u;
    return x;
}

// Inverted dropout's factor for one element: 1 / (1 - prob) where it is kept, 0 where dropped.
// The mask is a counter-based hash of (seed, site, element), so a backward pass regenerates the
// forward's mask instead of storing it. The top 24 bits give a uniform u in [0, 1); kept when
// u >= prob. Every dropout site (activations, attention probabilities, LoRA inputs) uses this.
fn dropout_keep(element: u32, seed: u32, site: u32, prob: f32) -> f32 {
    let h = hash(element ^ hash(site ^ hash(seed)));
    let u = f32(h >> 8u) * (1.0 / 16777216.0);
    return select(0.0, 1.0 / (1.0 - prob), u >= prob);
}
