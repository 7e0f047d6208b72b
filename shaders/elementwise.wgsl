// elementwise.wgsl: the pointwise ops of GPT-2's block.
//   gelu_forward      out = 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))   (gelu_new, tanh form)
//   gelu_backward     out = dout · gelu'(x)
//   residual_forward  out = a + b
//   dropout_forward   out = a · mask / (1 - p)          (inverted dropout, as torch's)
//   dropout_backward  out += a · mask / (1 - p)         (the same mask: the gradient's path)
// The mask is prelude.wgsl's counter-based hash of (seed, site, index), so the backward pass
// regenerates the forward's mask instead of storing it; the caller folds the step into the seed.

#include "prelude.wgsl"

struct Params {
    n: u32,
    p: f32,       // dropout probability
    seed: u32,    // dropout: run seed mixed with the optimizer step
    site: u32,    // dropout: which layer/module this mask belongs to
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;           // (n)
@group(0) @binding(2) var<storage, read> b: array<f32>;           // (n); dout in gelu_backward, unused by gelu_forward
@group(0) @binding(3) var<storage, read_write> out: array<f32>;   // (n)

const GELU_SCALE: f32 = 0.7978845608028654;  // √(2/π)

@compute @workgroup_size(64)
fn gelu_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg);
    if (i >= p.n) {
        return;
    }
    let x = a[i];
    // tanh saturates to ±1 in f32 beyond |u| ≈ 9; clamping keeps exp() inside tanh finite on
    // implementations that compute it as (e^2u - 1) / (e^2u + 1).
    let u = clamp(GELU_SCALE * (x + 0.044715 * x * x * x), -15.0, 15.0);
    out[i] = 0.5 * x * (1.0 + tanh(u));
}

@compute @workgroup_size(64)
fn residual_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg);
    if (i >= p.n) {
        return;
    }
    out[i] = a[i] + b[i];
}

// gelu_backward: out = dout · gelu'(x), with a = x (the forward input) and b = dout.
//   gelu'(x) = 0.5 (1 + tanh u) + 0.5 x (1 - tanh² u) √(2/π) (1 + 3·0.044715 x²)
@compute @workgroup_size(64)
fn gelu_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg);
    if (i >= p.n) {
        return;
    }
    let x = a[i];
    let th = tanh(clamp(GELU_SCALE * (x + 0.044715 * x * x * x), -15.0, 15.0));
    let du = GELU_SCALE * (1.0 + 3.0 * 0.044715 * x * x);
    out[i] = b[i] * (0.5 * (1.0 + th) + 0.5 * x * (1.0 - th * th) * du);
}

// 1 / (1 - p) where element i is kept, 0 where it is dropped (prelude.wgsl's mask).
fn keep_scale(i: u32) -> f32 {
    return dropout_keep(i, p.seed, p.site, p.p);
}

@compute @workgroup_size(64)
fn dropout_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg);
    if (i >= p.n) {
        return;
    }
    out[i] = a[i] * keep_scale(i);
}

@compute @workgroup_size(64)
fn dropout_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg);
    if (i >= p.n) {
        return;
    }
    out[i] += a[i] * keep_scale(i);
}
