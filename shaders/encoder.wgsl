// encoder.wgsl: token + position embedding.
//   out[b, t, :] = wte[ids[b, t], :] + wpe[pos0 + t, :]
// pos0 is 0 for whole sequences and the cache length when decoding with a KV cache.
// wte may be larger than one storage binding (GPT-2's is 154 MB in f32; lavapipe binds 128 MiB),
// so it is bound one row range [v0, v0 + v_len) at a time; each dispatch writes the positions
// whose token falls in its range, and the ranges together cover the vocabulary.

#ifdef WEIGHTS_F16
enable f16;
alias Weight = f16;   // frozen weights stored as f16 (the adapter's shader-f16); math in f32
#else
alias Weight = f32;
#endif

#include "prelude.wgsl"

struct Params {
    bt: u32,      // B * T
    t: u32,       // T (positions restart every T rows)
    c: u32,       // C
    v0: u32,      // first vocabulary row in this wte range
    v_len: u32,   // rows in this wte range
    pos0: u32,    // position of t = 0
    _pad1: u32,
    _pad2: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> ids: array<u32>;         // (B, T)
@group(0) @binding(2) var<storage, read> wte: array<Weight>;      // (v_len, C): rows v0 ..
@group(0) @binding(3) var<storage, read> wpe: array<f32>;         // (n_positions, C)
@group(0) @binding(4) var<storage, read_write> out: array<f32>;   // (B, T, C)

// The one place wte is read: f32, or f16 widened to f32 with WEIGHTS_F16.
fn load_wte(i: u32) -> f32 {
    return f32(wte[i]);
}

@compute @workgroup_size(64)
fn encoder_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg);
    if (i >= p.bt * p.c) {
        return;
    }
    let row = i / p.c;
    let ch = i % p.c;
    let id = ids[row];
    if (id < p.v0 || id >= p.v0 + p.v_len) {
        return;
    }
    out[i] = load_wte((id - p.v0) * p.c + ch) + wpe[(p.pos0 + row % p.t) * p.c + ch];
}
