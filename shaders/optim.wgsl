// optim.wgsl: the optimizer update of LoRA's parameters, as torch.optim does it.
//   grad_sumsq    norms[slot] = Σ grad²  (one workgroup per tensor; every tensor of the step
//                 writes its slot before any update runs)
//   update_check  norms[n_norms + slot] = how many of the tensor's updated values would not be
//                 finite (one workgroup per tensor; a learning rate so large that lr / (1 - β1)
//                 overflows does that with a finite gradient)
//   optim_update  the global norm sqrt(Σ norms) clips as torch.nn.utils.clip_grad_norm_ does
//                 (coef = max_norm / (norm + 1e-6), at most 1), then
//                 AdamW (torch.optim.AdamW): p *= 1 - lr·wd; m += (1 - β1)(g - m);
//                   v = β2 v + (1 - β2) g²; p -= (lr / bc1) · m / (√v / √bc2 + eps)
//                 SGD (torch.optim.SGD, no momentum): g += wd·p; p -= lr·g
// A non-finite global norm, or any non-finite updated value, leaves every parameter and moment
// untouched; the host reads the norms and counts back, sees it, and stops with an error naming
// the step, so the adapter it keeps is the last good one.

#include "prelude.wgsl"

struct Params {
    n: u32,          // elements of this tensor
    n_norms: u32,    // tensors in the step (slots in norms)
    slot: u32,       // this tensor's slot (grad_sumsq)
    mode: u32,       // 0: AdamW, 1: SGD
    lr: f32,
    beta1: f32,
    beta2: f32,
    eps: f32,
    weight_decay: f32,
    bc1: f32,        // 1 - β1^step
    bc2_sqrt: f32,   // √(1 - β2^step)
    max_norm: f32,   // 0: no clipping
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> param: array<f32>;   // (n)
@group(0) @binding(2) var<storage, read> grad: array<f32>;          // (n)
@group(0) @binding(3) var<storage, read_write> m: array<f32>;       // (n) AdamW first moment
@group(0) @binding(4) var<storage, read_write> v: array<f32>;       // (n) AdamW second moment
@group(0) @binding(5) var<storage, read_write> norms: array<f32>;   // (n_norms)

const WG: u32 = 64u;
var<workgroup> red: array<f32, WG>;

@compute @workgroup_size(64)
fn grad_sumsq(@builtin(local_invocation_id) lid: vec3<u32>) {
    var s = 0.0;
    for (var i = lid.x; i < p.n; i += WG) {
        s += grad[i] * grad[i];
    }
    red[lid.x] = s;
    workgroupBarrier();
    for (var k = WG / 2u; k > 0u; k >>= 1u) {
        if (lid.x < k) {
            red[lid.x] += red[lid.x + k];
        }
        workgroupBarrier();
    }
    if (lid.x == 0u) {
        norms[p.slot] = red[0];
    }
}

/// The global gradient norm of the step (the first n_norms slots).
fn global_norm() -> f32 {
    var total = 0.0;
    for (var j = 0u; j < p.n_norms; j++) {
        total += norms[j];
    }
    return sqrt(total);
}

/// Element i after the update, clipped by `clip`: (parameter, m, v).
fn updated(i: u32, clip: f32) -> vec3<f32> {
    var g = grad[i] * clip;
    var x = param[i];
    if (p.mode == 0u) {
        x *= 1.0 - p.lr * p.weight_decay;
        let mi = m[i] + (1.0 - p.beta1) * (g - m[i]);
        let vi = p.beta2 * v[i] + (1.0 - p.beta2) * g * g;
        x -= (p.lr / p.bc1) * mi / (sqrt(vi) / p.bc2_sqrt + p.eps);
        return vec3<f32>(x, mi, vi);
    }
    g += p.weight_decay * x;
    return vec3<f32>(x - p.lr * g, m[i], v[i]);
}

fn clip_of(norm: f32) -> f32 {
    if (p.max_norm > 0.0) {
        return min(1.0, p.max_norm / (norm + 1e-6));
    }
    return 1.0;
}

// NaN fails every comparison; ±inf fails the bound.
fn finite(x: f32) -> bool {
    return abs(x) <= 3.4e38;
}

@compute @workgroup_size(64)
fn update_check(@builtin(local_invocation_id) lid: vec3<u32>) {
    let norm = global_norm();
    var bad = 0.0;
    if (finite(norm)) {
        let clip = clip_of(norm);
        for (var i = lid.x; i < p.n; i += WG) {
            if (!finite(updated(i, clip).x)) {
                bad += 1.0;
            }
        }
    }
    red[lid.x] = bad;
    workgroupBarrier();
    for (var k = WG / 2u; k > 0u; k >>= 1u) {
        if (lid.x < k) {
            red[lid.x] += red[lid.x + k];
        }
        workgroupBarrier();
    }
    if (lid.x == 0u) {
        norms[p.n_norms + p.slot] = red[0];
    }
}

@compute @workgroup_size(64)
fn optim_update(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg);
    if (i >= p.n) {
        return;
    }
    let norm = global_norm();
    var bad = 0.0;
    for (var j = 0u; j < p.n_norms; j++) {
        bad += norms[p.n_norms + j];
    }
    if (!finite(norm) || bad > 0.0) {
        return;
    }
    let u = updated(i, clip_of(norm));
    param[i] = u.x;
    if (p.mode == 0u) {
        m[i] = u.y;
        v[i] = u.z;
    }
}
