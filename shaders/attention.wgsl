// attention.wgsl: causal multi-head self-attention, any head size, any T.
//   qkv (B, T, 3C) holds q | k | v for each position; head h uses channels h*hs .. (h+1)*hs.
//   out[b, t, h*hs + d] = Σ_{s ≤ t} softmax_s(q_t · k_s · scale) v_s[d]
// One invocation per (b, h, t) query row. The first pass finds the row's max and softmax
// denominator online; the second accumulates the output. The row's log-sum-exp is kept so the
// backward pass can rebuild the probabilities without storing (B, NH, T, T) of them.

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
@group(0) @binding(1) var<storage, read> qkv: array<f32>;          // (B, T, 3C)
@group(0) @binding(2) var<storage, read_write> out: array<f32>;    // (B, T, C)
@group(0) @binding(3) var<storage, read_write> lse: array<f32>;    // (B, NH, T)

// Dropout on the probabilities (attn_pdrop), in training passes: prelude.wgsl's counter-based
// hash of (seed, site, element) decides each P[t, s], so the backward pass rebuilds the same mask.
// keep(row, s) is the factor for P[row, s], row = (b·NH + h)·T + t; 1 without dropout.
fn keep(row: u32, s: u32) -> f32 {
    if (p.p_drop <= 0.0) {
        return 1.0;
    }
    return dropout_keep(row * p.t + s, p.seed, p.site, p.p_drop);
}

fn score(q_base: u32, k_base: u32, hs: u32) -> f32 {
    var s = 0.0;
    for (var d = 0u; d < hs; d++) {
        s += qkv[q_base + d] * qkv[k_base + d];
    }
    return s * p.scale;
}

@compute @workgroup_size(64)
fn attention_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let idx = flat_index(gid, nwg);   // (b * NH + h) * T + t
    if (idx >= p.b * p.nh * p.t) {
        return;
    }
    let t = idx % p.t;
    let h = (idx / p.t) % p.nh;
    let b = idx / (p.t * p.nh);
    let hs = p.c / p.nh;
    let c3 = 3u * p.c;
    let q_base = (b * p.t + t) * c3 + h * hs;
    let seq = b * p.t * c3 + h * hs;           // position 0 of this sequence and head

    var m = bitcast<f32>(0xff7fffffu);  // -FLT_MAX (the literal trips Tint)
    var l = 0.0;
    for (var s = 0u; s <= t; s++) {
        let x = score(q_base, seq + s * c3 + p.c, hs);
        let m_new = max(m, x);
        l = l * exp(m - m_new) + exp(x - m_new);
        m = m_new;
    }

    let o_base = (b * p.t + t) * p.c + h * hs;
    for (var d = 0u; d < hs; d++) {
        out[o_base + d] = 0.0;
    }
    let inv_l = 1.0 / l;
    for (var s = 0u; s <= t; s++) {
        let k_base = seq + s * c3 + p.c;
        let w = exp(score(q_base, k_base, hs) - m) * inv_l * keep(idx, s);
        let v_base = k_base + p.c;
        for (var d = 0u; d < hs; d++) {
            out[o_base + d] += w * qkv[v_base + d];
        }
    }
    lse[idx] = m + log(l);
}
