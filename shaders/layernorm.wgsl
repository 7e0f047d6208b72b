// layernorm.wgsl: layer normalisation over the last dimension, as torch.nn.LayerNorm:
//   mean = Σx / C, var = Σ(x - mean)² / C (biased), rstd = 1 / sqrt(var + eps)
//   out = (x - mean) · rstd · w + b
// mean and rstd are kept per row for the backward pass. Two passes over the row (mean, then
// variance) rather than E[x²] - mean², which cancels badly.

#include "prelude.wgsl"

struct Params {
    rows: u32,
    c: u32,
    eps: f32,
    _pad: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;            // (rows, C)
@group(0) @binding(2) var<storage, read> w: array<f32>;            // (C)
@group(0) @binding(3) var<storage, read> b: array<f32>;            // (C); layernorm_backward: dout (rows, C)
@group(0) @binding(4) var<storage, read_write> out: array<f32>;    // (rows, C); layernorm_backward: dx, accumulated
@group(0) @binding(5) var<storage, read_write> mean: array<f32>;   // (rows)
@group(0) @binding(6) var<storage, read_write> rstd: array<f32>;   // (rows)

@compute @workgroup_size(64)
fn layernorm_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let row = flat_index(gid, nwg);
    if (row >= p.rows) {
        return;
    }
    let base = row * p.c;
    var sum = 0.0;
    for (var i = 0u; i < p.c; i++) {
        sum += x[base + i];
    }
    let m = sum / f32(p.c);
    var sq = 0.0;
    for (var i = 0u; i < p.c; i++) {
        let d = x[base + i] - m;
        sq += d * d;
    }
    let s = 1.0 / sqrt(sq / f32(p.c) + p.eps);
    for (var i = 0u; i < p.c; i++) {
        out[base + i] = (x[base + i] - m) * s * w[i] + b[i];
    }
    mean[row] = m;
    rstd[row] = s;
}

// layernorm_backward: dx += rstd · (g - mean(g) - x̂ · mean(g · x̂)), g = dout · w, x̂ = (x - mean) · rstd.
// Only the input gradient: GPT-2's layernorm parameters are frozen under LoRA. It accumulates
// into dx (bound as `out`) because the residual stream's gradient arrives there too.
// Bindings: x = forward input, w = weight, b = dout (rows, C), out = dx, mean, rstd as saved.
@compute @workgroup_size(64)
fn layernorm_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let row = flat_index(gid, nwg);
    if (row >= p.rows) {
        return;
    }
    let base = row * p.c;
    let m = mean[row];
    let s = rstd[row];
    var g_mean = 0.0;
    var gx_mean = 0.0;
    for (var i = 0u; i < p.c; i++) {
        let g = b[base + i] * w[i];
        g_mean += g;
        gx_mean += g * (x[base + i] - m) * s;
    }
    g_mean /= f32(p.c);
    gx_mean /= f32(p.c);
    for (var i = 0u; i < p.c; i++) {
        let g = b[base + i] * w[i];
        let xh = (x[base + i] - m) * s;
        out[base + i] += s * (g - g_mean - xh * gx_mean);
    }
}
