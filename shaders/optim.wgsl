// optim.wgsl: the optimizer update of LoRA's parameters, as torch.optim does it.
//   grad_sumsq    norms[slot] = Σ grad²  (one workgroup per tensor; every tensor of the step
//                 writes its slot before any update runs)
//   optim_update  the global norm sqrt(Σ norms) clips as torch.nn.utils.clip_grad_norm_ does
//                 (coef = max_norm / (norm + 1e-6), at most 1), then
//                 AdamW (torch.optim.AdamW): p *= 1 - lr·wd; m += (1 - β1)(g - m);
//                   v = β2 v + (1 - β2) g²; p -= (lr / bc1) · m / (√v / √bc2 + eps)
//                 SGD (torch.optim.SGD, no momentum): g += wd·p; p -= lr·g
// A non-finite global norm leaves every parameter untouched; the host reads the norms back,
// sees it, and stops with an error naming the step.

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

@compute @workgroup_size(64)
fn optim_update(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg);
    if (i >= p.n) {
        return;
    }
    var total = 0.0;
    for (var j = 0u; j < p.n_norms; j++) {
        total += norms[j];
    }
    let norm = sqrt(total);
    // NaN fails every comparison; +inf fails the bound.
    if (!(norm <= 3.4e38)) {
        return;
    }
    var clip = 1.0;
    if (p.max_norm > 0.0) {
        clip = min(1.0, p.max_norm / (norm + 1e-6));
    }
    var g = grad[i] * clip;
    var x = param[i];
    if (p.mode == 0u) {
        x *= 1.0 - p.lr * p.weight_decay;
        let mi = m[i] + (1.0 - p.beta1) * (g - m[i]);
        let vi = p.beta2 * v[i] + (1.0 - p.beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        x -= (p.lr / p.bc1) * mi / (sqrt(vi) / p.bc2_sqrt + p.eps);
    } else {
        g += p.weight_decay * x;
        x -= p.lr * g;
    }
    param[i] = x;
}
