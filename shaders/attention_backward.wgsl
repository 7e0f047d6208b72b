// attention_backward.wgsl: gradients of causal multi-head attention (attention.wgsl) with respect
// to q, k and v, rebuilding the probabilities from the forward's per-row log-sum-exp instead of
// storing (B, NH, T, T) of them. With P[t, s] = exp(q_t·k_s·scale - lse_t) for s ≤ t,
// dP[t, s] = dout_t·v_s and D_t = Σ_s P[t, s] dP[t, s] = dout_t·out_t:
//   dq_t = scale Σ_{s ≤ t} P[t, s] (dP[t, s] - D_t) k_s      (attention_backward_dq, per query)
//   dk_s = scale Σ_{t ≥ s} P[t, s] (dP[t, s] - D_t) q_t      (attention_backward_dkv, per key)
//   dv_s = Σ_{t ≥ s} P[t, s] dout_t
// With attention dropout, P is masked (M/(1-p)) before it meets v: dP[t, s] = M'[t, s] dout_t·v_s,
// dv_s = Σ_t P[t, s] M'[t, s] dout_t, and D_t = dout_t·out_t still (out has the mask in it).
// Each invocation owns the rows it writes, so no atomics are needed. The dq pass also stores
// D_t, which the dkv pass (a separate dispatch, after it) reads.
// A file of its own because its bindings differ from the forward's.

#include "prelude.wgsl"

struct Params {
    b: u32,
    t: u32,
    c: u32,
    nh: u32,
    scale: f32,   // 1/sqrt(hs), times 1/(layer+1) with scale_attn_by_inverse_layer_idx
    p_drop: f32,  // attention dropout (training passes), 0 = off
    seed: u32,
    site: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> qkv: array<f32>;          // (B, T, 3C) forward input
@group(0) @binding(2) var<storage, read> out: array<f32>;          // (B, T, C) forward output
@group(0) @binding(3) var<storage, read> dout: array<f32>;         // (B, T, C)
@group(0) @binding(4) var<storage, read> lse: array<f32>;          // (B, NH, T) from the forward
@group(0) @binding(5) var<storage, read_write> dd: array<f32>;     // (B, NH, T): D_t
@group(0) @binding(6) var<storage, read_write> dqkv: array<f32>;   // (B, T, 3C), written

// Dropout on the probabilities (attn_pdrop), in training passes: prelude.wgsl's counter-based
// hash of (seed, site, element) decides each P[t, s], so the backward pass rebuilds the same mask.
// keep(row, s) is the factor for P[row, s], row = (b·NH + h)·T + t; 1 without dropout.
fn keep(row: u32, s: u32) -> f32 {
    if (p.p_drop <= 0.0) {
        return 1.0;
    }
    return dropout_keep(row * p.t + s, p.seed, p.site, p.p_drop);
}

fn dot_qkv(a: u32, b: u32, hs: u32) -> f32 {
    var s = 0.0;
    for (var d = 0u; d < hs; d++) {
        s += qkv[a + d] * qkv[b + d];
    }
    return s;
}

fn dot_dout_v(o: u32, v: u32, hs: u32) -> f32 {
    var s = 0.0;
    for (var d = 0u; d < hs; d++) {
        s += dout[o + d] * qkv[v + d];
    }
    return s;
}

@compute @workgroup_size(64)
fn attention_backward_dq(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let idx = flat_index(gid, nwg);   // (b * NH + h) * T + t
    if (idx >= p.b * p.nh * p.t) {
        return;
    }
    let t = idx % p.t;
    let h = (idx / p.t) % p.nh;
    let b = idx / (p.t * p.nh);
    let hs = p.c / p.nh;
    let c3 = 3u * p.c;
    let q = (b * p.t + t) * c3 + h * hs;
    let seq = b * p.t * c3 + h * hs;
    let o = (b * p.t + t) * p.c + h * hs;

    var big_d = 0.0;
    for (var d = 0u; d < hs; d++) {
        big_d += dout[o + d] * out[o + d];
    }
    dd[idx] = big_d;

    for (var d = 0u; d < hs; d++) {
        dqkv[q + d] = 0.0;
    }
    let l = lse[idx];
    for (var s = 0u; s <= t; s++) {
        let k = seq + s * c3 + p.c;
        let prob = exp(dot_qkv(q, k, hs) * p.scale - l);
        let ds = prob * (keep(idx, s) * dot_dout_v(o, k + p.c, hs) - big_d) * p.scale;
        for (var d = 0u; d < hs; d++) {
            dqkv[q + d] += ds * qkv[k + d];
        }
    }
}

@compute @workgroup_size(64)
fn attention_backward_dkv(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let idx = flat_index(gid, nwg);   // (b * NH + h) * T + s
    if (idx >= p.b * p.nh * p.t) {
        return;
    }
    let s = idx % p.t;
    let h = (idx / p.t) % p.nh;
    let b = idx / (p.t * p.nh);
    let hs = p.c / p.nh;
    let c3 = 3u * p.c;
    let seq = b * p.t * c3 + h * hs;
    let k = seq + s * c3 + p.c;
    let v = k + p.c;
    let row0 = (b * p.nh + h) * p.t;   // lse / dd index of this head's position 0

    for (var d = 0u; d < hs; d++) {
        dqkv[k + d] = 0.0;
        dqkv[v + d] = 0.0;
    }
    for (var t = s; t < p.t; t++) {
        let q = seq + t * c3;
        let o = (b * p.t + t) * p.c + h * hs;
        let prob = exp(dot_qkv(q, k, hs) * p.scale - lse[row0 + t]);
        let kept = keep(row0 + t, s);
        let ds = prob * (kept * dot_dout_v(o, v, hs) - dd[row0 + t]) * p.scale;
        let pv = prob * kept;
        for (var d = 0u; d < hs; d++) {
            dqkv[k + d] += ds * qkv[q + d];
            dqkv[v + d] += pv * dout[o + d];
        }
    }
}
