// matmul.wgsl: products with frozen weights, in f32 (weights stored as f32, or f16 with WEIGHTS_F16).
//
// One strided product serves every orientation GPT-2 needs:
//   C[c_off + m*c_rs + n] = alpha * sum_k A[a_off + m*a_rs + k*a_cs] * B[k*b_rs + n*b_cs]
//                           (+ bias[n]) (+ the C value already there)
// The Rust side (src/kernels/matmul.rs) sets the strides:
//   forward         Y = X·W + b     A = X (M, K),  B = W (K, N) as stored (Conv1D: W is [in, out])
//   input gradient  dX = dY·Wᵀ      A = dY (M, N), B = Wᵀ, read from W (K, N) with swapped strides
//   lm_head         logits = H·wteᵀ  B = a row range of wte (V, C) read transposed; C is a column
//                                    range of a (rows, V) logits block (c_off, c_rs)
//
// Three entry points compute the same thing:
//   matmul_naive  one output per invocation; the reference for speed.
//   matmul_rows   one output per invocation, 64 invocations along a row: for products with few
//                 rows (decoding one token: M = 1), where a tile would sit mostly idle.
//   matmul_tiled  a 16x8 register tile per invocation, no workgroup memory. Loads clamp their row
//                 and column to the last valid one, so every size (edges included) is read in
//                 bounds without branches; only the stores are guarded.
// On lavapipe (LLVM on the CPU) register tiles win and workgroup-memory tiles lose (barriers are
// costly there); a shared-memory variant for real GPUs can sit beside these as a third entry.

#ifdef WEIGHTS_F16
enable f16;
alias Weight = f16;   // frozen weights stored as f16 (the adapter's shader-f16); math in f32
#else
alias Weight = f32;
#endif

#include "prelude.wgsl"

struct Params {
    m: u32,
    n: u32,
    k: u32,
    flags: u32,     // bit 0: add bias[n]; bit 1: accumulate into C
    a_rs: u32,      // A stride between rows m
    a_cs: u32,      // A stride along k
    b_rs: u32,      // B stride along k
    b_cs: u32,      // B stride between columns n
    alpha: f32,
    a_off: u32,     // A element offset
    c_off: u32,     // C element offset
    c_rs: u32,      // C stride between rows m
}

const FLAG_BIAS: u32 = 1u;
const FLAG_ACCUMULATE: u32 = 2u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;        // (M, K) through a_off, a_rs, a_cs
@group(0) @binding(2) var<storage, read> b: array<Weight>;     // (K, N) through b_rs, b_cs
@group(0) @binding(3) var<storage, read> bias: array<f32>;     // (N), or a dummy without FLAG_BIAS
@group(0) @binding(4) var<storage, read_write> c: array<f32>;  // (M, N) through c_off, c_rs

// The one place B is read: f32, or f16 widened to f32 with WEIGHTS_F16.
fn load_b(i: u32) -> f32 {
    return f32(b[i]);
}

fn finish(row: u32, col: u32, acc: f32) {
    var v = p.alpha * acc;
    if ((p.flags & FLAG_BIAS) != 0u) {
        v += bias[col];
    }
    let i = p.c_off + row * p.c_rs + col;
    if ((p.flags & FLAG_ACCUMULATE) != 0u) {
        v += c[i];
    }
    c[i] = v;
}

@compute @workgroup_size(8, 8)
fn matmul_naive(@builtin(global_invocation_id) gid: vec3<u32>) {
    let row = gid.y;
    let col = gid.x;
    if (row >= p.m || col >= p.n) {
        return;
    }
    var acc = 0.0;
    for (var k = 0u; k < p.k; k++) {
        acc += a[p.a_off + row * p.a_rs + k * p.a_cs] * load_b(k * p.b_rs + col * p.b_cs);
    }
    finish(row, col, acc);
}

// matmul_rows: a workgroup is 64 consecutive columns of one row, so with M = 1 every invocation
// has work, and neighbouring invocations read neighbouring columns of B (W's rows are contiguous
// in Conv1D layout). Dispatched as (ceil(N / 64), M) workgroups.
@compute @workgroup_size(64)
fn matmul_rows(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let row = wg.y;
    let col = wg.x * 64u + lid.x;
    if (row >= p.m || col >= p.n) {
        return;
    }
    let a0 = p.a_off + row * p.a_rs;
    let b0 = col * p.b_cs;
    // Four partial sums, so consecutive multiply-adds do not wait on each other.
    var acc0 = 0.0;
    var acc1 = 0.0;
    var acc2 = 0.0;
    var acc3 = 0.0;
    let k4 = p.k & ~3u;
    for (var k = 0u; k < k4; k += 4u) {
        acc0 += a[a0 + k * p.a_cs] * load_b(k * p.b_rs + b0);
        acc1 += a[a0 + (k + 1u) * p.a_cs] * load_b((k + 1u) * p.b_rs + b0);
        acc2 += a[a0 + (k + 2u) * p.a_cs] * load_b((k + 2u) * p.b_rs + b0);
        acc3 += a[a0 + (k + 3u) * p.a_cs] * load_b((k + 3u) * p.b_rs + b0);
    }
    for (var k = k4; k < p.k; k++) {
        acc0 += a[a0 + k * p.a_cs] * load_b(k * p.b_rs + b0);
    }
    finish(row, col, (acc0 + acc1) + (acc2 + acc3));
}

// matmul_tiled: each invocation owns a 16 x 8 tile of outputs, strided by the 8 x 8 workgroup:
// invocation (lx, ly) of workgroup (wx, wy) computes rows wy*128 + ly + 8i (i < 16) and columns
// wx*64 + lx + 8j (j < 8). Neighbouring invocations read neighbouring columns of B and write
// neighbouring outputs, and each value of B loaded serves 16 rows. Of the tiles tried on
// lavapipe at GPT-2's shapes (1x8 .. 32x4), 16 x 8 was fastest (README, "Benchmarks"). It is
// tuned for lavapipe; on a discrete GPU 128 accumulators per invocation is too many registers,
// and a workgroup-memory variant belongs beside this one for those.
//
// The tile is written out in scalars by tools/gen_shaders.py (arrays indexed in loops
// stayed in memory on lavapipe and ran 4x slower); edit the script, not the section.
// BEGIN GENERATED matmul_tiled
// Generated by tools/gen_shaders.py: TILE_M = 16, TILE_N = 8.
@compute @workgroup_size(8, 8)
fn matmul_tiled(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let m0 = wg.y * 128u + lid.y;
    let n0 = wg.x * 64u + lid.x;
    if (m0 >= p.m || n0 >= p.n) {
        return;
    }
    // Clamped starts of the rows of A and columns of B this invocation reads.
    let last_m = p.m - 1u;
    let last_n = p.n - 1u;
    let ar0 = p.a_off + min(m0 + 0u, last_m) * p.a_rs;
    let ar1 = p.a_off + min(m0 + 8u, last_m) * p.a_rs;
    let ar2 = p.a_off + min(m0 + 16u, last_m) * p.a_rs;
    let ar3 = p.a_off + min(m0 + 24u, last_m) * p.a_rs;
    let ar4 = p.a_off + min(m0 + 32u, last_m) * p.a_rs;
    let ar5 = p.a_off + min(m0 + 40u, last_m) * p.a_rs;
    let ar6 = p.a_off + min(m0 + 48u, last_m) * p.a_rs;
    let ar7 = p.a_off + min(m0 + 56u, last_m) * p.a_rs;
    let ar8 = p.a_off + min(m0 + 64u, last_m) * p.a_rs;
    let ar9 = p.a_off + min(m0 + 72u, last_m) * p.a_rs;
    let ar10 = p.a_off + min(m0 + 80u, last_m) * p.a_rs;
    let ar11 = p.a_off + min(m0 + 88u, last_m) * p.a_rs;
    let ar12 = p.a_off + min(m0 + 96u, last_m) * p.a_rs;
    let ar13 = p.a_off + min(m0 + 104u, last_m) * p.a_rs;
    let ar14 = p.a_off + min(m0 + 112u, last_m) * p.a_rs;
    let ar15 = p.a_off + min(m0 + 120u, last_m) * p.a_rs;
    let bc0 = min(n0 + 0u, last_n) * p.b_cs;
    let bc1 = min(n0 + 8u, last_n) * p.b_cs;
    let bc2 = min(n0 + 16u, last_n) * p.b_cs;
    let bc3 = min(n0 + 24u, last_n) * p.b_cs;
    let bc4 = min(n0 + 32u, last_n) * p.b_cs;
    let bc5 = min(n0 + 40u, last_n) * p.b_cs;
    let bc6 = min(n0 + 48u, last_n) * p.b_cs;
    let bc7 = min(n0 + 56u, last_n) * p.b_cs;
    // c{i}_{j}: row m0 + 8i, column n0 + 8j.
    var c0_0 = 0.0; var c0_1 = 0.0; var c0_2 = 0.0; var c0_3 = 0.0; var c0_4 = 0.0; var c0_5 = 0.0; var c0_6 = 0.0; var c0_7 = 0.0;
    var c1_0 = 0.0; var c1_1 = 0.0; var c1_2 = 0.0; var c1_3 = 0.0; var c1_4 = 0.0; var c1_5 = 0.0; var c1_6 = 0.0; var c1_7 = 0.0;
    var c2_0 = 0.0; var c2_1 = 0.0; var c2_2 = 0.0; var c2_3 = 0.0; var c2_4 = 0.0; var c2_5 = 0.0; var c2_6 = 0.0; var c2_7 = 0.0;
    var c3_0 = 0.0; var c3_1 = 0.0; var c3_2 = 0.0; var c3_3 = 0.0; var c3_4 = 0.0; var c3_5 = 0.0; var c3_6 = 0.0; var c3_7 = 0.0;
    var c4_0 = 0.0; var c4_1 = 0.0; var c4_2 = 0.0; var c4_3 = 0.0; var c4_4 = 0.0; var c4_5 = 0.0; var c4_6 = 0.0; var c4_7 = 0.0;
    var c5_0 = 0.0; var c5_1 = 0.0; var c5_2 = 0.0; var c5_3 = 0.0; var c5_4 = 0.0; var c5_5 = 0.0; var c5_6 = 0.0; var c5_7 = 0.0;
    var c6_0 = 0.0; var c6_1 = 0.0; var c6_2 = 0.0; var c6_3 = 0.0; var c6_4 = 0.0; var c6_5 = 0.0; var c6_6 = 0.0; var c6_7 = 0.0;
    var c7_0 = 0.0; var c7_1 = 0.0; var c7_2 = 0.0; var c7_3 = 0.0; var c7_4 = 0.0; var c7_5 = 0.0; var c7_6 = 0.0; var c7_7 = 0.0;
    var c8_0 = 0.0; var c8_1 = 0.0; var c8_2 = 0.0; var c8_3 = 0.0; var c8_4 = 0.0; var c8_5 = 0.0; var c8_6 = 0.0; var c8_7 = 0.0;
    var c9_0 = 0.0; var c9_1 = 0.0; var c9_2 = 0.0; var c9_3 = 0.0; var c9_4 = 0.0; var c9_5 = 0.0; var c9_6 = 0.0; var c9_7 = 0.0;
    var c10_0 = 0.0; var c10_1 = 0.0; var c10_2 = 0.0; var c10_3 = 0.0; var c10_4 = 0.0; var c10_5 = 0.0; var c10_6 = 0.0; var c10_7 = 0.0;
    var c11_0 = 0.0; var c11_1 = 0.0; var c11_2 = 0.0; var c11_3 = 0.0; var c11_4 = 0.0; var c11_5 = 0.0; var c11_6 = 0.0; var c11_7 = 0.0;
    var c12_0 = 0.0; var c12_1 = 0.0; var c12_2 = 0.0; var c12_3 = 0.0; var c12_4 = 0.0; var c12_5 = 0.0; var c12_6 = 0.0; var c12_7 = 0.0;
    var c13_0 = 0.0; var c13_1 = 0.0; var c13_2 = 0.0; var c13_3 = 0.0; var c13_4 = 0.0; var c13_5 = 0.0; var c13_6 = 0.0; var c13_7 = 0.0;
    var c14_0 = 0.0; var c14_1 = 0.0; var c14_2 = 0.0; var c14_3 = 0.0; var c14_4 = 0.0; var c14_5 = 0.0; var c14_6 = 0.0; var c14_7 = 0.0;
    var c15_0 = 0.0; var c15_1 = 0.0; var c15_2 = 0.0; var c15_3 = 0.0; var c15_4 = 0.0; var c15_5 = 0.0; var c15_6 = 0.0; var c15_7 = 0.0;
    for (var k = 0u; k < p.k; k++) {
        let bk = k * p.b_rs;
        let ak = k * p.a_cs;
        let b0 = load_b(bk + bc0); let b1 = load_b(bk + bc1); let b2 = load_b(bk + bc2); let b3 = load_b(bk + bc3); let b4 = load_b(bk + bc4); let b5 = load_b(bk + bc5); let b6 = load_b(bk + bc6); let b7 = load_b(bk + bc7);
        let a0 = a[ar0 + ak]; c0_0 += a0 * b0; c0_1 += a0 * b1; c0_2 += a0 * b2; c0_3 += a0 * b3; c0_4 += a0 * b4; c0_5 += a0 * b5; c0_6 += a0 * b6; c0_7 += a0 * b7;
        let a1 = a[ar1 + ak]; c1_0 += a1 * b0; c1_1 += a1 * b1; c1_2 += a1 * b2; c1_3 += a1 * b3; c1_4 += a1 * b4; c1_5 += a1 * b5; c1_6 += a1 * b6; c1_7 += a1 * b7;
        let a2 = a[ar2 + ak]; c2_0 += a2 * b0; c2_1 += a2 * b1; c2_2 += a2 * b2; c2_3 += a2 * b3; c2_4 += a2 * b4; c2_5 += a2 * b5; c2_6 += a2 * b6; c2_7 += a2 * b7;
        let a3 = a[ar3 + ak]; c3_0 += a3 * b0; c3_1 += a3 * b1; c3_2 += a3 * b2; c3_3 += a3 * b3; c3_4 += a3 * b4; c3_5 += a3 * b5; c3_6 += a3 * b6; c3_7 += a3 * b7;
        let a4 = a[ar4 + ak]; c4_0 += a4 * b0; c4_1 += a4 * b1; c4_2 += a4 * b2; c4_3 += a4 * b3; c4_4 += a4 * b4; c4_5 += a4 * b5; c4_6 += a4 * b6; c4_7 += a4 * b7;
        let a5 = a[ar5 + ak]; c5_0 += a5 * b0; c5_1 += a5 * b1; c5_2 += a5 * b2; c5_3 += a5 * b3; c5_4 += a5 * b4; c5_5 += a5 * b5; c5_6 += a5 * b6; c5_7 += a5 * b7;
        let a6 = a[ar6 + ak]; c6_0 += a6 * b0; c6_1 += a6 * b1; c6_2 += a6 * b2; c6_3 += a6 * b3; c6_4 += a6 * b4; c6_5 += a6 * b5; c6_6 += a6 * b6; c6_7 += a6 * b7;
        let a7 = a[ar7 + ak]; c7_0 += a7 * b0; c7_1 += a7 * b1; c7_2 += a7 * b2; c7_3 += a7 * b3; c7_4 += a7 * b4; c7_5 += a7 * b5; c7_6 += a7 * b6; c7_7 += a7 * b7;
        let a8 = a[ar8 + ak]; c8_0 += a8 * b0; c8_1 += a8 * b1; c8_2 += a8 * b2; c8_3 += a8 * b3; c8_4 += a8 * b4; c8_5 += a8 * b5; c8_6 += a8 * b6; c8_7 += a8 * b7;
        let a9 = a[ar9 + ak]; c9_0 += a9 * b0; c9_1 += a9 * b1; c9_2 += a9 * b2; c9_3 += a9 * b3; c9_4 += a9 * b4; c9_5 += a9 * b5; c9_6 += a9 * b6; c9_7 += a9 * b7;
        let a10 = a[ar10 + ak]; c10_0 += a10 * b0; c10_1 += a10 * b1; c10_2 += a10 * b2; c10_3 += a10 * b3; c10_4 += a10 * b4; c10_5 += a10 * b5; c10_6 += a10 * b6; c10_7 += a10 * b7;
        let a11 = a[ar11 + ak]; c11_0 += a11 * b0; c11_1 += a11 * b1; c11_2 += a11 * b2; c11_3 += a11 * b3; c11_4 += a11 * b4; c11_5 += a11 * b5; c11_6 += a11 * b6; c11_7 += a11 * b7;
        let a12 = a[ar12 + ak]; c12_0 += a12 * b0; c12_1 += a12 * b1; c12_2 += a12 * b2; c12_3 += a12 * b3; c12_4 += a12 * b4; c12_5 += a12 * b5; c12_6 += a12 * b6; c12_7 += a12 * b7;
        let a13 = a[ar13 + ak]; c13_0 += a13 * b0; c13_1 += a13 * b1; c13_2 += a13 * b2; c13_3 += a13 * b3; c13_4 += a13 * b4; c13_5 += a13 * b5; c13_6 += a13 * b6; c13_7 += a13 * b7;
        let a14 = a[ar14 + ak]; c14_0 += a14 * b0; c14_1 += a14 * b1; c14_2 += a14 * b2; c14_3 += a14 * b3; c14_4 += a14 * b4; c14_5 += a14 * b5; c14_6 += a14 * b6; c14_7 += a14 * b7;
        let a15 = a[ar15 + ak]; c15_0 += a15 * b0; c15_1 += a15 * b1; c15_2 += a15 * b2; c15_3 += a15 * b3; c15_4 += a15 * b4; c15_5 += a15 * b5; c15_6 += a15 * b6; c15_7 += a15 * b7;
    }
    let col0 = n0 + 0u < p.n;
    let col1 = n0 + 8u < p.n;
    let col2 = n0 + 16u < p.n;
    let col3 = n0 + 24u < p.n;
    let col4 = n0 + 32u < p.n;
    let col5 = n0 + 40u < p.n;
    let col6 = n0 + 48u < p.n;
    let col7 = n0 + 56u < p.n;
    if (col0) { finish(m0 + 0u, n0 + 0u, c0_0); } if (col1) { finish(m0 + 0u, n0 + 8u, c0_1); } if (col2) { finish(m0 + 0u, n0 + 16u, c0_2); } if (col3) { finish(m0 + 0u, n0 + 24u, c0_3); } if (col4) { finish(m0 + 0u, n0 + 32u, c0_4); } if (col5) { finish(m0 + 0u, n0 + 40u, c0_5); } if (col6) { finish(m0 + 0u, n0 + 48u, c0_6); } if (col7) { finish(m0 + 0u, n0 + 56u, c0_7); }
    if (m0 + 8u < p.m) { if (col0) { finish(m0 + 8u, n0 + 0u, c1_0); } if (col1) { finish(m0 + 8u, n0 + 8u, c1_1); } if (col2) { finish(m0 + 8u, n0 + 16u, c1_2); } if (col3) { finish(m0 + 8u, n0 + 24u, c1_3); } if (col4) { finish(m0 + 8u, n0 + 32u, c1_4); } if (col5) { finish(m0 + 8u, n0 + 40u, c1_5); } if (col6) { finish(m0 + 8u, n0 + 48u, c1_6); } if (col7) { finish(m0 + 8u, n0 + 56u, c1_7); } }
    if (m0 + 16u < p.m) { if (col0) { finish(m0 + 16u, n0 + 0u, c2_0); } if (col1) { finish(m0 + 16u, n0 + 8u, c2_1); } if (col2) { finish(m0 + 16u, n0 + 16u, c2_2); } if (col3) { finish(m0 + 16u, n0 + 24u, c2_3); } if (col4) { finish(m0 + 16u, n0 + 32u, c2_4); } if (col5) { finish(m0 + 16u, n0 + 40u, c2_5); } if (col6) { finish(m0 + 16u, n0 + 48u, c2_6); } if (col7) { finish(m0 + 16u, n0 + 56u, c2_7); } }
    if (m0 + 24u < p.m) { if (col0) { finish(m0 + 24u, n0 + 0u, c3_0); } if (col1) { finish(m0 + 24u, n0 + 8u, c3_1); } if (col2) { finish(m0 + 24u, n0 + 16u, c3_2); } if (col3) { finish(m0 + 24u, n0 + 24u, c3_3); } if (col4) { finish(m0 + 24u, n0 + 32u, c3_4); } if (col5) { finish(m0 + 24u, n0 + 40u, c3_5); } if (col6) { finish(m0 + 24u, n0 + 48u, c3_6); } if (col7) { finish(m0 + 24u, n0 + 56u, c3_7); } }
    if (m0 + 32u < p.m) { if (col0) { finish(m0 + 32u, n0 + 0u, c4_0); } if (col1) { finish(m0 + 32u, n0 + 8u, c4_1); } if (col2) { finish(m0 + 32u, n0 + 16u, c4_2); } if (col3) { finish(m0 + 32u, n0 + 24u, c4_3); } if (col4) { finish(m0 + 32u, n0 + 32u, c4_4); } if (col5) { finish(m0 + 32u, n0 + 40u, c4_5); } if (col6) { finish(m0 + 32u, n0 + 48u, c4_6); } if (col7) { finish(m0 + 32u, n0 + 56u, c4_7); } }
    if (m0 + 40u < p.m) { if (col0) { finish(m0 + 40u, n0 + 0u, c5_0); } if (col1) { finish(m0 + 40u, n0 + 8u, c5_1); } if (col2) { finish(m0 + 40u, n0 + 16u, c5_2); } if (col3) { finish(m0 + 40u, n0 + 24u, c5_3); } if (col4) { finish(m0 + 40u, n0 + 32u, c5_4); } if (col5) { finish(m0 + 40u, n0 + 40u, c5_5); } if (col6) { finish(m0 + 40u, n0 + 48u, c5_6); } if (col7) { finish(m0 + 40u, n0 + 56u, c5_7); } }
    if (m0 + 48u < p.m) { if (col0) { finish(m0 + 48u, n0 + 0u, c6_0); } if (col1) { finish(m0 + 48u, n0 + 8u, c6_1); } if (col2) { finish(m0 + 48u, n0 + 16u, c6_2); } if (col3) { finish(m0 + 48u, n0 + 24u, c6_3); } if (col4) { finish(m0 + 48u, n0 + 32u, c6_4); } if (col5) { finish(m0 + 48u, n0 + 40u, c6_5); } if (col6) { finish(m0 + 48u, n0 + 48u, c6_6); } if (col7) { finish(m0 + 48u, n0 + 56u, c6_7); } }
    if (m0 + 56u < p.m) { if (col0) { finish(m0 + 56u, n0 + 0u, c7_0); } if (col1) { finish(m0 + 56u, n0 + 8u, c7_1); } if (col2) { finish(m0 + 56u, n0 + 16u, c7_2); } if (col3) { finish(m0 + 56u, n0 + 24u, c7_3); } if (col4) { finish(m0 + 56u, n0 + 32u, c7_4); } if (col5) { finish(m0 + 56u, n0 + 40u, c7_5); } if (col6) { finish(m0 + 56u, n0 + 48u, c7_6); } if (col7) { finish(m0 + 56u, n0 + 56u, c7_7); } }
    if (m0 + 64u < p.m) { if (col0) { finish(m0 + 64u, n0 + 0u, c8_0); } if (col1) { finish(m0 + 64u, n0 + 8u, c8_1); } if (col2) { finish(m0 + 64u, n0 + 16u, c8_2); } if (col3) { finish(m0 + 64u, n0 + 24u, c8_3); } if (col4) { finish(m0 + 64u, n0 + 32u, c8_4); } if (col5) { finish(m0 + 64u, n0 + 40u, c8_5); } if (col6) { finish(m0 + 64u, n0 + 48u, c8_6); } if (col7) { finish(m0 + 64u, n0 + 56u, c8_7); } }
    if (m0 + 72u < p.m) { if (col0) { finish(m0 + 72u, n0 + 0u, c9_0); } if (col1) { finish(m0 + 72u, n0 + 8u, c9_1); } if (col2) { finish(m0 + 72u, n0 + 16u, c9_2); } if (col3) { finish(m0 + 72u, n0 + 24u, c9_3); } if (col4) { finish(m0 + 72u, n0 + 32u, c9_4); } if (col5) { finish(m0 + 72u, n0 + 40u, c9_5); } if (col6) { finish(m0 + 72u, n0 + 48u, c9_6); } if (col7) { finish(m0 + 72u, n0 + 56u, c9_7); } }
    if (m0 + 80u < p.m) { if (col0) { finish(m0 + 80u, n0 + 0u, c10_0); } if (col1) { finish(m0 + 80u, n0 + 8u, c10_1); } if (col2) { finish(m0 + 80u, n0 + 16u, c10_2); } if (col3) { finish(m0 + 80u, n0 + 24u, c10_3); } if (col4) { finish(m0 + 80u, n0 + 32u, c10_4); } if (col5) { finish(m0 + 80u, n0 + 40u, c10_5); } if (col6) { finish(m0 + 80u, n0 + 48u, c10_6); } if (col7) { finish(m0 + 80u, n0 + 56u, c10_7); } }
    if (m0 + 88u < p.m) { if (col0) { finish(m0 + 88u, n0 + 0u, c11_0); } if (col1) { finish(m0 + 88u, n0 + 8u, c11_1); } if (col2) { finish(m0 + 88u, n0 + 16u, c11_2); } if (col3) { finish(m0 + 88u, n0 + 24u, c11_3); } if (col4) { finish(m0 + 88u, n0 + 32u, c11_4); } if (col5) { finish(m0 + 88u, n0 + 40u, c11_5); } if (col6) { finish(m0 + 88u, n0 + 48u, c11_6); } if (col7) { finish(m0 + 88u, n0 + 56u, c11_7); } }
    if (m0 + 96u < p.m) { if (col0) { finish(m0 + 96u, n0 + 0u, c12_0); } if (col1) { finish(m0 + 96u, n0 + 8u, c12_1); } if (col2) { finish(m0 + 96u, n0 + 16u, c12_2); } if (col3) { finish(m0 + 96u, n0 + 24u, c12_3); } if (col4) { finish(m0 + 96u, n0 + 32u, c12_4); } if (col5) { finish(m0 + 96u, n0 + 40u, c12_5); } if (col6) { finish(m0 + 96u, n0 + 48u, c12_6); } if (col7) { finish(m0 + 96u, n0 + 56u, c12_7); } }
    if (m0 + 104u < p.m) { if (col0) { finish(m0 + 104u, n0 + 0u, c13_0); } if (col1) { finish(m0 + 104u, n0 + 8u, c13_1); } if (col2) { finish(m0 + 104u, n0 + 16u, c13_2); } if (col3) { finish(m0 + 104u, n0 + 24u, c13_3); } if (col4) { finish(m0 + 104u, n0 + 32u, c13_4); } if (col5) { finish(m0 + 104u, n0 + 40u, c13_5); } if (col6) { finish(m0 + 104u, n0 + 48u, c13_6); } if (col7) { finish(m0 + 104u, n0 + 56u, c13_7); } }
    if (m0 + 112u < p.m) { if (col0) { finish(m0 + 112u, n0 + 0u, c14_0); } if (col1) { finish(m0 + 112u, n0 + 8u, c14_1); } if (col2) { finish(m0 + 112u, n0 + 16u, c14_2); } if (col3) { finish(m0 + 112u, n0 + 24u, c14_3); } if (col4) { finish(m0 + 112u, n0 + 32u, c14_4); } if (col5) { finish(m0 + 112u, n0 + 40u, c14_5); } if (col6) { finish(m0 + 112u, n0 + 48u, c14_6); } if (col7) { finish(m0 + 112u, n0 + 56u, c14_7); } }
    if (m0 + 120u < p.m) { if (col0) { finish(m0 + 120u, n0 + 0u, c15_0); } if (col1) { finish(m0 + 120u, n0 + 8u, c15_1); } if (col2) { finish(m0 + 120u, n0 + 16u, c15_2); } if (col3) { finish(m0 + 120u, n0 + 24u, c15_3); } if (col4) { finish(m0 + 120u, n0 + 32u, c15_4); } if (col5) { finish(m0 + 120u, n0 + 40u, c15_5); } if (col6) { finish(m0 + 120u, n0 + 48u, c15_6); } if (col7) { finish(m0 + 120u, n0 + 56u, c15_7); } }
}
// END GENERATED matmul_tiled
