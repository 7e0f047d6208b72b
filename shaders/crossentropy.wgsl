// crossentropy.wgsl: softmax cross-entropy of a block of logit rows against their targets.
//   crossentropy_forward   loss[row0 + r] = logsumexp(logits[r, :]) - logits[r, target]
//                          (0 where target = -100)
//   crossentropy_backward  logits[r, :] <- dloss · (softmax(logits[r, :]) - onehot(target)),
//                          in place (0 where target = -100); dloss = 1 / (predicted positions)
//                          for a mean loss. It writes the forward's loss as well (from the same
//                          row statistics, so a training step runs only this one): the
//                          invocation whose loop overwrites the target's logit reads it first.
// The caller computes the logits R rows at a time (lm_head on a row range), so all B·T·V of
// them never exist at once. One workgroup of 64 reduces one row: max and Σ exp(x - max) in one
// pass (an online softmax, four values per invocation at a time), merged across the workgroup.
//
// With SUBGROUPS (and rows that start at multiples of 4: the model pads them), the *_sg entry
// points do the same with one 8-lane subgroup per row: the row is read as vec4s, max and sum in
// one pass (an online softmax), and reduced with subgroupMax / subgroupAdd instead of workgroup
// memory and barriers. On lavapipe that is a quarter of the load instructions. With LANES4 as
// well, the subgroup (and workgroup) is 4 lanes: SwiftShader's, where barriers are fiber switches.

#include "prelude.wgsl"

struct Params {
    rows: u32,    // R rows in this block
    v: u32,       // vocabulary size (the logits of a row)
    row0: u32,    // global row of the block's first row (indexes targets and losses)
    dloss: f32,   // crossentropy_backward: the gradient of the total on each row's loss
    stride: u32,  // elements between rows (>= v: rows are padded to a multiple of 4 for vec4 loads)
    _pad0: u32,
    _pad1: u32,
    _pad2: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
#ifdef SUBGROUPS
@group(0) @binding(1) var<storage, read_write> logits4: array<vec4<f32>>;  // (R, stride / 4)
#else
@group(0) @binding(1) var<storage, read_write> logits: array<f32>;   // (R, stride); gradient in place (backward)
#endif
@group(0) @binding(2) var<storage, read> targets: array<i32>;        // (B·T), -100 = ignored
@group(0) @binding(3) var<storage, read_write> losses: array<f32>;   // (B·T)

#ifdef SUBGROUPS
const NEG_MAX: f32 = -0x1.fffffep+127f;  // -FLT_MAX (the decimal literal trips Tint)
#ifdef LANES4
const LANES: u32 = 4u;
#else
const LANES: u32 = 8u;
#endif

// The row's max and Σ exp(x - max) over its first p.v values, the row starting at logits4[base4].
// Every lane of the subgroup gets both.
fn row_stats_sg(base4: u32, lane: u32) -> vec2<f32> {
    // One running max per lane, not per component: five exps per vec4 instead of eight (the
    // exps are most of this pass's arithmetic on CPU adapters).
    var m = NEG_MAX;
    var l = 0.0;
    let n4 = (p.v + 3u) / 4u;
    for (var i = lane; i < n4; i += LANES) {
        let valid = vec4<u32>(4u * i) + vec4<u32>(0u, 1u, 2u, 3u) < vec4<u32>(p.v);
        let x = select(vec4<f32>(NEG_MAX), logits4[base4 + i], valid);
        let m_new = max(m, max(max(x.x, x.y), max(x.z, x.w)));
        let e = select(vec4<f32>(0.0), exp(x - vec4<f32>(m_new)), valid);
        l = l * exp(m - m_new) + dot(e, vec4<f32>(1.0));
        m = m_new;
    }
    let row_max = subgroupMax(m);
    let row_sum = subgroupAdd(l * exp(m - row_max));
    return vec2<f32>(row_max, row_sum);
}

@compute @workgroup_size(LANES)
fn crossentropy_forward_sg(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
                           @builtin(num_workgroups) nwg: vec3<u32>) {
    let r = wg.x + wg.y * nwg.x;
    let base4 = min(r, p.rows - 1u) * p.stride / 4u;
    let stats = row_stats_sg(base4, lid.x);
    if (r < p.rows && lid.x == 0u) {
        let row = p.row0 + r;
        let tgt = targets[row];
        if (tgt < 0) {
            losses[row] = 0.0;
        } else {
            let x = logits4[base4 + u32(tgt) / 4u][u32(tgt) % 4u];
            losses[row] = stats.x + log(stats.y) - x;
        }
    }
}

@compute @workgroup_size(LANES)
fn crossentropy_backward_sg(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
                            @builtin(num_workgroups) nwg: vec3<u32>) {
    let r = wg.x + wg.y * nwg.x;
    let base4 = min(r, p.rows - 1u) * p.stride / 4u;
    let stats = row_stats_sg(base4, lid.x);
    if (r >= p.rows) {
        return;
    }
    let row = p.row0 + r;
    let tgt = targets[row];
    // The loss, by the lane whose loop below overwrites the target's logit (no other lane
    // writes it), before it does.
    if (tgt < 0 && lid.x == 0u) {
        losses[row] = 0.0;
    } else if (tgt >= 0 && lid.x == (u32(tgt) / 4u) % LANES) {
        losses[row] = stats.x + log(stats.y) - logits4[base4 + u32(tgt) / 4u][u32(tgt) % 4u];
    }
    let inv_sum = 1.0 / stats.y;
    let n4 = (p.v + 3u) / 4u;
    for (var i = lid.x; i < n4; i += LANES) {
        let col = vec4<u32>(4u * i) + vec4<u32>(0u, 1u, 2u, 3u);
        let x = logits4[base4 + i];
        var g = exp(x - vec4<f32>(stats.x)) * inv_sum - select(vec4<f32>(0.0), vec4<f32>(1.0), col == vec4<u32>(u32(tgt)));
        g = select(g * p.dloss, vec4<f32>(0.0), tgt < 0);
        // Columns past V (the row's padding) keep what they hold.
        logits4[base4 + i] = select(x, g, col < vec4<u32>(p.v));
    }
}
#else
const WG: u32 = 64u;
var<workgroup> red: array<vec2<f32>, WG>;   // (max, Σ exp(x - max)) of each invocation's values

// (m, l) for the union of two sets of values with maxima m and sums of exp(x - m) l.
fn merge_stats(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
    let m = max(a.x, b.x);
    return vec2<f32>(m, a.y * exp(a.x - m) + b.y * exp(b.x - m));
}

// The row's max and Σ exp(x - max), in one pass over it: each invocation keeps a running max
// and sum over its values, four at a time with one rescale per four (an online softmax), and
// the workgroup merges them. Every invocation gets both, and every invocation of the workgroup
// must call it (it has barriers).
fn row_stats(base: u32, lane: u32) -> vec2<f32> {
    let neg_max = bitcast<f32>(0xff7fffffu);  // -FLT_MAX (the literal trips Tint)
    var m = neg_max;
    var l = 0.0;
    let last = p.v - 1u;
    for (var i = lane; i < p.v; i += 4u * WG) {
        let idx = vec4<u32>(i) + vec4<u32>(0u, WG, 2u * WG, 3u * WG);
        let valid = idx < vec4<u32>(p.v);
        // Past the row's end the reads are clamped to its last value and then masked out.
        let at = min(idx, vec4<u32>(last));
        let read = vec4<f32>(logits[base + at.x], logits[base + at.y], logits[base + at.z], logits[base + at.w]);
        let x = select(vec4<f32>(neg_max), read, valid);
        let m_new = max(m, max(max(x.x, x.y), max(x.z, x.w)));
        let e = select(vec4<f32>(0.0), exp(x - vec4<f32>(m_new)), valid);
        l = l * exp(m - m_new) + (e.x + e.y) + (e.z + e.w);
        m = m_new;
    }
    red[lane] = vec2<f32>(m, l);
    workgroupBarrier();
    for (var s = WG / 2u; s > 0u; s >>= 1u) {
        if (lane < s) {
            red[lane] = merge_stats(red[lane], red[lane + s]);
        }
        workgroupBarrier();
    }
    let stats = red[0];
    workgroupBarrier();
    return stats;
}

@compute @workgroup_size(64)
fn crossentropy_forward(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
                        @builtin(num_workgroups) nwg: vec3<u32>) {
    let r = wg.x + wg.y * nwg.x;
    // Every invocation of the workgroup takes part in the barriers, so none returns early.
    let in_range = r < p.rows;
    let base = min(r, p.rows - 1u) * p.stride;
    let stats = row_stats(base, lid.x);
    let m = stats.x;

    if (in_range && lid.x == 0u) {
        let row = p.row0 + r;
        let tgt = targets[row];
        if (tgt < 0) {
            losses[row] = 0.0;
        } else {
            losses[row] = m + log(stats.y) - logits[base + u32(tgt)];
        }
    }
}

@compute @workgroup_size(64)
fn crossentropy_backward(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
                         @builtin(num_workgroups) nwg: vec3<u32>) {
    let r = wg.x + wg.y * nwg.x;
    let in_range = r < p.rows;
    let base = min(r, p.rows - 1u) * p.stride;
    let stats = row_stats(base, lid.x);
    if (!in_range) {
        return;
    }
    let row = p.row0 + r;
    let tgt = targets[row];
    // The loss, by the invocation whose loop below overwrites the target's logit, before it does.
    if (tgt < 0 && lid.x == 0u) {
        losses[row] = 0.0;
    } else if (tgt >= 0 && lid.x == u32(tgt) % WG) {
        losses[row] = stats.x + log(stats.y) - logits[base + u32(tgt)];
    }
    let inv_sum = 1.0 / stats.y;
    for (var i = lid.x; i < p.v; i += WG) {
        var g = 0.0;
        if (tgt >= 0) {
            g = exp(logits[base + i] - stats.x) * inv_sum;
            if (i == u32(tgt)) {
                g -= 1.0;
            }
        }
        logits[base + i] = g * p.dloss;
    }
}
#endif
