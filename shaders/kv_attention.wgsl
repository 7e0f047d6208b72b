// kv_attention.wgsl: attention over a key/value cache, for generation.
//
// The cache holds, per sequence, the keys and values of every position seen so far:
//   kv (B, CAP, 2C): kv[b, s, 0 .. C] = k_s and kv[b, s, C .. 2C] = v_s
// A forward pass over Tq new tokens at positions pos0 .. pos0 + Tq (the prompt when prefilling,
// one token when decoding) first appends their k and v (kv_append), then each new query attends
// to every cached position up to its own (kv_attention):
//   out[b, t, h*hs + d] = Σ_{s ≤ pos0 + t} softmax_s(q_t · k_s · scale) v_s[d]
// So decoding one token reads the cache once: O(context), not a forward pass over the context.
// Eval mode only (no dropout, no log-sum-exp kept): training uses attention.wgsl.

#include "prelude.wgsl"

struct Params {
    b: u32,
    tq: u32,      // new tokens per sequence
    c: u32,
    nh: u32,
    scale: f32,   // 1/sqrt(hs), times 1/(layer+1) with scale_attn_by_inverse_layer_idx
    pos0: u32,    // position of the first new token = cached positions before this pass
    cap: u32,     // positions the cache holds per sequence
    _pad: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> qkv: array<f32>;          // (B, Tq, 3C) of the new tokens
@group(0) @binding(2) var<storage, read_write> kv: array<f32>;     // (B, CAP, 2C)
@group(0) @binding(3) var<storage, read_write> out: array<f32>;    // (B, Tq, C)

// kv[b, pos0 + t, :] = qkv[b, t, C .. 3C]: one invocation per copied value.
@compute @workgroup_size(64)
fn kv_append(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg);
    let c2 = 2u * p.c;
    if (i >= p.b * p.tq * c2) {
        return;
    }
    let j = i % c2;
    let row = i / c2;                 // b * Tq + t
    let t = row % p.tq;
    let b = row / p.tq;
    kv[(b * p.cap + p.pos0 + t) * c2 + j] = qkv[row * 3u * p.c + p.c + j];
}

// Scores are computed CHUNK keys at a time into workgroup memory, with the softmax kept online
// across chunks (running max m and sum l; the output is rescaled when m grows), so any context
// length fits in 4 KiB. Each invocation owns up to four output channels d = lid + 64i, which
// bounds the head size at 256 (GPT-2's is 64 at every size); the Rust side checks it.
const CHUNK: u32 = 1024u;
const WG: u32 = 64u;

var<workgroup> scores: array<f32, 1024>;
var<workgroup> red: array<f32, 64>;

fn reduce_max(v: f32, lid: u32) -> f32 {
    red[lid] = v;
    workgroupBarrier();
    for (var s = WG / 2u; s > 0u; s >>= 1u) {
        if (lid < s) {
            red[lid] = max(red[lid], red[lid + s]);
        }
        workgroupBarrier();
    }
    let r = red[0];
    workgroupBarrier();
    return r;
}

fn reduce_sum(v: f32, lid: u32) -> f32 {
    red[lid] = v;
    workgroupBarrier();
    for (var s = WG / 2u; s > 0u; s >>= 1u) {
        if (lid < s) {
            red[lid] += red[lid + s];
        }
        workgroupBarrier();
    }
    let r = red[0];
    workgroupBarrier();
    return r;
}

// One workgroup per (b, h, t) query row: its 64 invocations share the keys of each chunk, then
// the values.
@compute @workgroup_size(64)
fn kv_attention(
    @builtin(workgroup_id) wg: vec3<u32>,
    @builtin(num_workgroups) nwg: vec3<u32>,
    @builtin(local_invocation_id) lid3: vec3<u32>,
) {
    let row = wg.x + wg.y * nwg.x;    // (b * NH + h) * Tq + t
    if (row >= p.b * p.nh * p.tq) {
        return;
    }
    let lid = lid3.x;
    let t = row % p.tq;
    let h = (row / p.tq) % p.nh;
    let b = row / (p.tq * p.nh);
    let hs = p.c / p.nh;
    let c2 = 2u * p.c;
    let q0 = (b * p.tq + t) * 3u * p.c + h * hs;
    let k0 = b * p.cap * c2 + h * hs;     // k_s of this head at k0 + s*2C, v_s at k0 + s*2C + C
    let n = p.pos0 + t + 1u;              // keys this query sees

    var m = bitcast<f32>(0xff7fffffu);    // -FLT_MAX (the literal trips Tint)
    var l = 0.0;
    var acc0 = 0.0;
    var acc1 = 0.0;
    var acc2 = 0.0;
    var acc3 = 0.0;
    for (var c0 = 0u; c0 < n; c0 += CHUNK) {
        let len = min(CHUNK, n - c0);
        var local_max = bitcast<f32>(0xff7fffffu);
        for (var s = lid; s < len; s += WG) {
            let k = k0 + (c0 + s) * c2;
            var dot = 0.0;
            for (var d = 0u; d < hs; d++) {
                dot += qkv[q0 + d] * kv[k + d];
            }
            scores[s] = dot * p.scale;
            local_max = max(local_max, dot * p.scale);
        }
        let m_new = max(m, reduce_max(local_max, lid));
        var local_sum = 0.0;
        for (var s = lid; s < len; s += WG) {
            let e = exp(scores[s] - m_new);
            scores[s] = e;
            local_sum += e;
        }
        // reduce_sum's barriers also make every score visible to every invocation.
        let chunk_sum = reduce_sum(local_sum, lid);
        let corr = exp(m - m_new);
        l = l * corr + chunk_sum;
        acc0 *= corr;
        acc1 *= corr;
        acc2 *= corr;
        acc3 *= corr;
        for (var s = 0u; s < len; s++) {
            let w = scores[s];
            let v = k0 + (c0 + s) * c2 + p.c + lid;
            if (lid < hs) { acc0 += w * kv[v]; }
            if (lid + 64u < hs) { acc1 += w * kv[v + 64u]; }
            if (lid + 128u < hs) { acc2 += w * kv[v + 128u]; }
            if (lid + 192u < hs) { acc3 += w * kv[v + 192u]; }
        }
        m = m_new;
        workgroupBarrier();   // before the next chunk overwrites the scores
    }
    let o = (b * p.tq + t) * p.c + h * hs + lid;
    let inv_l = 1.0 / l;
    if (lid < hs) { out[o] = acc0 * inv_l; }
    if (lid + 64u < hs) { out[o + 64u] = acc1 * inv_l; }
    if (lid + 128u < hs) { out[o + 128u] = acc2 * inv_l; }
    if (lid + 192u < hs) { out[o + 192u] = acc3 * inv_l; }
}
