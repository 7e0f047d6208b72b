// crossentropy.wgsl: softmax cross-entropy of a block of logit rows against their targets.
//   loss[row0 + r] = logsumexp(logits[r, :]) - logits[r, target]   or 0 where target = -100
// The caller computes the logits R rows at a time (lm_head on a row range), so all B·T·V of
// them never exist at once. One workgroup of 64 reduces one row: max, then Σ exp(x - max).

struct Params {
    rows: u32,    // R rows in this block
    v: u32,       // vocabulary size (row length)
    row0: u32,    // global row of the block's first row (indexes targets and losses)
    _pad: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;         // (R, V)
@group(0) @binding(2) var<storage, read> targets: array<i32>;        // (B·T), -100 = ignored
@group(0) @binding(3) var<storage, read_write> losses: array<f32>;   // (B·T)

const WG: u32 = 64u;
var<workgroup> red: array<f32, WG>;

@compute @workgroup_size(64)
fn crossentropy_forward(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
                        @builtin(num_workgroups) nwg: vec3<u32>) {
    let r = wg.x + wg.y * nwg.x;
    // Every invocation of the workgroup takes part in the barriers, so none returns early.
    let in_range = r < p.rows;
    let base = min(r, p.rows - 1u) * p.v;

    var m = bitcast<f32>(0xff7fffffu);  // -FLT_MAX (the literal trips Tint)
    for (var i = lid.x; i < p.v; i += WG) {
        m = max(m, logits[base + i]);
    }
    red[lid.x] = m;
    workgroupBarrier();
    for (var s = WG / 2u; s > 0u; s >>= 1u) {
        if (lid.x < s) {
            red[lid.x] = max(red[lid.x], red[lid.x + s]);
        }
        workgroupBarrier();
    }
    m = red[0];
    workgroupBarrier();

    var sum = 0.0;
    for (var i = lid.x; i < p.v; i += WG) {
        sum += exp(logits[base + i] - m);
    }
    red[lid.x] = sum;
    workgroupBarrier();
    for (var s = WG / 2u; s > 0u; s >>= 1u) {
        if (lid.x < s) {
            red[lid.x] += red[lid.x + s];
        }
        workgroupBarrier();
    }

    if (in_range && lid.x == 0u) {
        let row = p.row0 + r;
        let tgt = targets[row];
        if (tgt < 0) {
            losses[row] = 0.0;
        } else {
            losses[row] = m + log(red[0]) - logits[base + u32(tgt)];
        }
    }
}
