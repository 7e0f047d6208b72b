// matmul.wgsl: products with frozen weights, in f32 (weights stored as f32, or f16 with WEIGHTS_F16).
//
// One strided product serves every orientation GPT-2 needs:
//   C[c_off + m*c_rs + n] = alpha * sum_k A[a_off + m*a_rs + k*a_cs] * B[b_off + k*b_rs + n*b_cs]
//                           (+ bias[n]) (+ the C value already there)
// The Rust side (src/kernels/matmul.rs) sets the strides:
//   forward         Y = X·W + b     A = X (M, K),  B = W (K, N) as stored (Conv1D: W is [in, out])
//   input gradient  dX = dY·Wᵀ      A = dY (M, N), B = Wᵀ, read from W (K, N) with swapped strides
//   lm_head         logits = H·wteᵀ  B = a row range of wte (V, C) read transposed; C is a column
//                                    range of a (rows, V) logits block (c_off, c_rs)
//
// Entry points that compute the same thing (src/kernels/matmul.rs picks one; `Variant::Auto`
// takes what the autotuner measured fastest on the adapter for the shape):
//   matmul_naive    one output per invocation; the reference for speed.
//   matmul_rows     one output per invocation, 64 invocations along a row: for products with few
//                   rows (decoding one token: M = 1), where a tile would sit mostly idle;
//                   _nt and _nn read A and B as vec4 where the layout allows (any adapter).
//   matmul_shared[_nt|_nn4]  a 64x64 tile per 16x16 workgroup staged through workgroup memory,
//                   4x4 outputs per invocation: the classic GPU tiling, for discrete and Apple
//                   GPUs; _nt and _nn4 (A_VEC4, B_VEC4) copy the slices as vec4s.
//   matmul_tiled    a 16x8 register tile per invocation, no workgroup memory, no subgroups: runs
//                   everywhere. Loads clamp their row and column to the last valid one, so every
//                   size (edges included) is read in bounds without branches; only stores are
//                   guarded.
//   matmul_small    matmul_tiled with a 4x4 tile and K unrolled 4x: the browser's emulator and
//                   products with few outputs.
//   matmul_subgroup[_nt|_nn|_nn4]  (SUBGROUPS) a workgroup is one subgroup of 8 lanes owning
//                   32 rows x 32 columns; each value of A is loaded by one lane and broadcast to
//                   the others (subgroupBroadcast), and with A_VEC4 / B_VEC4 the operands are
//                   bound as vec4 arrays and read four values at a time where the layout allows:
//                     _nt   A and B both contiguous along k (input gradients, lm_head forward)
//                     _nn4  A along k, B along n (Conv1D forward, lm_head backward)
//                     _nn   B along n, A one value at a time (A's rows not vec4-aligned)
//                     (none) any strides, one value at a time
//   matmul_subgroup4_nt, _nn4, _nn4w  the same for subgroups of 4 lanes (SwiftShader, the browser's
//                   CPU WebGPU): _nt 32 rows x 32 columns, _nn4 8 x 32, _nn4w 16 x 64 (N >= 64)
// Why these shapes, on lavapipe (LLVM on the CPU, 8 lanes per SIMD vector): every storage-buffer
// load is a loop over the 8 lanes with a bounds check per lane, so the number of load
// instructions, not the multiply-adds, sets the speed. Broadcasting A divides its loads by 8, and
// a vec4 load costs about what a scalar one does. On lavapipe workgroup-memory tiles lose
// (barriers are coroutine switches); matmul_shared is the workgroup-memory tile for discrete
// and Apple GPUs, which the autotuner times there.

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
    flags: u32,     // bit 0: add bias[n]; bit 1: accumulate into C; bit 2: B is fp4, not nf4
    a_rs: u32,      // A stride between rows m
    a_cs: u32,      // A stride along k
    b_rs: u32,      // B stride along k
    b_cs: u32,      // B stride between columns n
    alpha: f32,
    a_off: u32,     // A element offset
    c_off: u32,     // C element offset
    c_rs: u32,      // C stride between rows m
    b_off: u32,     // B element offset (a multiple of 4 for the vec4 forms)
    q_off: u32,     // WEIGHTS_Q4: the word where B's 4-bit codes start (after the absmax)
    _pad1: u32,
    _pad2: u32,
}

const FLAG_BIAS: u32 = 1u;
const FLAG_ACCUMULATE: u32 = 2u;
const FLAG_FP4: u32 = 4u;

@group(0) @binding(0) var<uniform> p: Params;
#ifdef A_VEC4
@group(0) @binding(1) var<storage, read> a4: array<vec4<f32>>;
#else
@group(0) @binding(1) var<storage, read> a: array<f32>;        // (M, K) through a_off, a_rs, a_cs
#endif
#ifdef WEIGHTS_Q4
// 4-bit weights (nf4 or fp4) exactly as bitsandbytes stores them for a Linear4bit: W (N, K) as
// nn.Linear holds it, flattened, in blocks of 64 values that share one absmax. The buffer is
// u32 words: absmax (f32 bits) of block j at word j, then the 4-bit codes from word p.q_off,
// eight to a word, element e at bits 4 * (e % 8) of word e / 8. A value is code[q] * absmax,
// the f32 product bitsandbytes' dequantize_4bit computes; nothing is dequantized beforehand.
// (Double quantization is undone on the host at load: absmax arrives here as f32.)
// The Rust side gives B the strides of the transposed layout, so element i of B is element
// b_off + i of the flat (N, K) tensor.
@group(0) @binding(2) var<storage, read> bq: array<u32>;
// bitsandbytes' code tables (functional.get_4bit_type) as f32 bits, four codes to a vec4: nf4,
// then fp4 (FLAG_FP4). model/quant.rs has the same tables. The lookup is a tree of selects, not
// an indexed array: on lavapipe an array indexed at run time becomes a memory access per lane,
// and selects on registers cost far less.
const NF4_0 = vec4<u32>(0xbf800000u, 0xbf3239b1u, 0xbf066b30u, 0xbeca32a0u);
const NF4_1 = vec4<u32>(0xbe91a24du, 0xbe3d353fu, 0xbdba7871u, 0x00000000u);
const NF4_2 = vec4<u32>(0x3da2faffu, 0x3e24cae3u, 0x3e7c04ddu, 0x3ead033au);
const NF4_3 = vec4<u32>(0x3ee1a4b8u, 0x3f1007abu, 0x3f3913b3u, 0x3f800000u);
const FP4_0 = vec4<u32>(0x00000000u, 0x3baaaaabu, 0x3f2aaaabu, 0x3f800000u);
const FP4_1 = vec4<u32>(0x3eaaaaabu, 0x3f000000u, 0x3e2aaaabu, 0x3e800000u);
const FP4_2 = vec4<u32>(0x00000000u, 0xbbaaaaabu, 0xbf2aaaabu, 0xbf800000u);
const FP4_3 = vec4<u32>(0xbeaaaaabu, 0xbf000000u, 0xbe2aaaabu, 0xbe800000u);

// One of the four codes of `t` for each lane, by the low two bits of `q`.
fn q4_pick(t: vec4<u32>, q: vec4<u32>) -> vec4<u32> {
    let b0 = (q & vec4<u32>(1u)) != vec4<u32>(0u);
    let b1 = (q & vec4<u32>(2u)) != vec4<u32>(0u);
    let lo = select(vec4<u32>(t.x), vec4<u32>(t.y), b0);
    let hi = select(vec4<u32>(t.z), vec4<u32>(t.w), b0);
    return select(lo, hi, b1);
}

// The values of four 4-bit codes (each 0..15).
fn q4_codes(q: vec4<u32>) -> vec4<f32> {
    let fp4 = (p.flags & FLAG_FP4) != 0u;
    let t0 = select(NF4_0, FP4_0, fp4);
    let t1 = select(NF4_1, FP4_1, fp4);
    let t2 = select(NF4_2, FP4_2, fp4);
    let t3 = select(NF4_3, FP4_3, fp4);
    let b2 = (q & vec4<u32>(4u)) != vec4<u32>(0u);
    let b3 = (q & vec4<u32>(8u)) != vec4<u32>(0u);
    let low = select(q4_pick(t0, q), q4_pick(t1, q), b2);
    let high = select(q4_pick(t2, q), q4_pick(t3, q), b2);
    return bitcast<vec4<f32>>(select(low, high, b3));
}

fn load_b(i: u32) -> f32 {
    let e = p.b_off + i;
    let q = (bq[p.q_off + (e >> 3u)] >> ((e & 7u) << 2u)) & 15u;
    return q4_codes(vec4<u32>(q)).x * bitcast<f32>(bq[e >> 6u]);
}
// Four consecutive values starting at a multiple of 4: one word, one absmax (64 = 16 vec4s).
fn load_b4(i: u32) -> vec4<f32> {
    let e = p.b_off + 4u * i;
    let w = bq[p.q_off + (e >> 3u)] >> ((e & 4u) << 2u);
    let q = (vec4<u32>(w) >> vec4<u32>(0u, 4u, 8u, 12u)) & vec4<u32>(15u);
    return q4_codes(q) * bitcast<f32>(bq[e >> 6u]);
}
#else
#ifdef B_VEC4
@group(0) @binding(2) var<storage, read> b4: array<vec4<Weight>>;
fn load_b4(i: u32) -> vec4<f32> {
    return vec4<f32>(b4[p.b_off / 4u + i]);
}
#else
@group(0) @binding(2) var<storage, read> b: array<Weight>;     // (K, N) through b_rs, b_cs
// The one place B is read: f32, or f16 widened to f32 with WEIGHTS_F16.
fn load_b(i: u32) -> f32 {
    return f32(b[p.b_off + i]);
}
#endif
#endif
@group(0) @binding(3) var<storage, read> bias: array<f32>;     // (N), or a dummy without FLAG_BIAS
@group(0) @binding(4) var<storage, read_write> c: array<f32>;  // (M, N) through c_off, c_rs

fn finish4(row: u32, col: u32, acc: vec4<f32>) {
    finish(row, col, acc.x);
    finish(row, col + 1u, acc.y);
    finish(row, col + 2u, acc.z);
    finish(row, col + 3u, acc.w);
}

fn finish(row: u32, col: u32, acc: f32) {
#ifdef STORE_ONLY
    // A product without bias or accumulation (src/kernels/matmul.rs sets this define only then):
    // on SwiftShader the flag tests below cost their loads even when the flags are off: a fifth
    // to a third of lm_head's forward there with matmul_subgroup4_nt's former 8 x 8 tile.
    c[p.c_off + row * p.c_rs + col] = p.alpha * acc;
#else
    var v = p.alpha * acc;
    if ((p.flags & FLAG_BIAS) != 0u) {
        v += bias[col];
    }
    let i = p.c_off + row * p.c_rs + col;
    if ((p.flags & FLAG_ACCUMULATE) != 0u) {
        v += c[i];
    }
    c[i] = v;
#endif
}

// The workgroup-memory tile (matmul_shared, matmul_shared_nt, matmul_shared_nn4): a 64 x 64
// tile of C per workgroup of 16 x 16 invocations, each owning 4 x 4 outputs strided by 16 (rows
// ly + 16i, columns lx + 16j). K advances 16 at a time: the workgroup first copies A's 64 x 16
// and B's 16 x 64 slices into workgroup memory, then each invocation reads them from there 16
// times: every value loaded from the buffers serves 64 multiply-adds. This is the shape that
// wins where workgroup memory is fast and registers are many (discrete and Apple GPUs); on CPU
// adapters its barriers are coroutine switches, so the autotuner only times it on other
// adapters. Values outside A, B or K are staged as zeros, so every size works, and B goes
// through load_b / load_b4 (f32, f16 or 4-bit alike). The entry points differ only in how they
// copy the slices.
const SH_TILE: u32 = 64u;
const SH_K: u32 = 16u;
// A's slice [k][m] at sh[k * 64 + m], then B's [k][n] at sh[SH_B + k * 64 + n].
var<workgroup> sh: array<f32, 2048>;
const SH_B: u32 = 1024u;

// One invocation's 4 x 4 outputs (matmul_small, matmul_shared*): rows row0 + s·i are r0 .. r3,
// their columns col0 + s·j the lanes, for the kernel's stride s.
struct Tile4x4 {
    r0: vec4<f32>,
    r1: vec4<f32>,
    r2: vec4<f32>,
    r3: vec4<f32>,
}

// The multiply-adds of one staged slice.
fn shared_slice(lid: vec3<u32>, acc: Tile4x4) -> Tile4x4 {
    var out = acc;
    for (var k = 0u; k < SH_K; k++) {
        let kb = k * SH_TILE + lid.x;
        let b = vec4<f32>(sh[SH_B + kb], sh[SH_B + kb + 16u], sh[SH_B + kb + 32u], sh[SH_B + kb + 48u]);
        let ka = k * SH_TILE + lid.y;
        out.r0 += sh[ka] * b;
        out.r1 += sh[ka + 16u] * b;
        out.r2 += sh[ka + 32u] * b;
        out.r3 += sh[ka + 48u] * b;
    }
    return out;
}

// Write a Tile4x4 (rows row0 + stride·i, columns col0 + stride·j), the outputs inside C.
fn finish_tile(row0: u32, col0: u32, stride: u32, acc: Tile4x4) {
    finish_tile_row(row0, col0, stride, acc.r0);
    finish_tile_row(row0 + stride, col0, stride, acc.r1);
    finish_tile_row(row0 + 2u * stride, col0, stride, acc.r2);
    finish_tile_row(row0 + 3u * stride, col0, stride, acc.r3);
}

fn finish_tile_row(row: u32, col: u32, stride: u32, acc: vec4<f32>) {
    if (row >= p.m) {
        return;
    }
    if (col < p.n) { finish(row, col, acc.x); }
    if (col + stride < p.n) { finish(row, col + stride, acc.y); }
    if (col + 2u * stride < p.n) { finish(row, col + 2u * stride, acc.z); }
    if (col + 3u * stride < p.n) { finish(row, col + 3u * stride, acc.w); }
}

#ifndef A_VEC4
#ifndef B_VEC4
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

// matmul_small: matmul_tiled with a 4 x 4 tile per invocation (32 x 32 outputs per workgroup) and
// the k loop unrolled 4 times. On SwiftShader (the browser's WebGPU on a CPU) every buffer load
// is a branchy per-lane gather, loop-carried values go through memory each iteration, and the
// x86 target has 16 SIMD registers, so 128 accumulators spill; and a product with few outputs
// (lm_head's backward: 64 x 32 outputs over K = 8192) is one 128 x 64 workgroup on one thread.
// This tile spills less, pays the loop once per 4 k, and gives such products 8x the workgroups.
// The autotuner times it against the others (BENCHMARKS.md, "The page"). Written by hand: the
// four columns are one vec4 per row, and small_k is one k.

// One k of matmul_small's tile: A's rows at `ar`, B's columns at `bc`.
fn small_k(k: u32, ar: vec4<u32>, bc: vec4<u32>, acc: Tile4x4) -> Tile4x4 {
    let bk = k * p.b_rs;
    let ak = k * p.a_cs;
    let b = vec4<f32>(load_b(bk + bc.x), load_b(bk + bc.y), load_b(bk + bc.z), load_b(bk + bc.w));
    var out = acc;
    out.r0 += a[ar.x + ak] * b;
    out.r1 += a[ar.y + ak] * b;
    out.r2 += a[ar.z + ak] * b;
    out.r3 += a[ar.w + ak] * b;
    return out;
}

@compute @workgroup_size(8, 8)
fn matmul_small(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let m0 = wg.y * 32u + lid.y;
    let n0 = wg.x * 32u + lid.x;
    if (m0 >= p.m || n0 >= p.n) {
        return;
    }
    // Rows m0 + 8i and columns n0 + 8j, clamped to the last valid one as in matmul_tiled.
    let steps = vec4<u32>(0u, 8u, 16u, 24u);
    let ar = vec4<u32>(p.a_off) + min(vec4<u32>(m0) + steps, vec4<u32>(p.m - 1u)) * p.a_rs;
    let bc = min(vec4<u32>(n0) + steps, vec4<u32>(p.n - 1u)) * p.b_cs;
    var acc = Tile4x4();
    var k = 0u;
    for (; k + 4u <= p.k; k += 4u) {
        acc = small_k(k, ar, bc, acc);
        acc = small_k(k + 1u, ar, bc, acc);
        acc = small_k(k + 2u, ar, bc, acc);
        acc = small_k(k + 3u, ar, bc, acc);
    }
    for (; k < p.k; k++) {
        acc = small_k(k, ar, bc, acc);
    }
    finish_tile(m0, n0, 8u, acc);
}

// matmul_shared (any strides; see "The workgroup-memory tile" above for the shape). Each
// invocation copies 4 values of each slice, one at a time through the strides: neighbouring
// invocations read neighbouring values of A along k and of B along n.
@compute @workgroup_size(16, 16)
fn matmul_shared(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let t = lid.y * 16u + lid.x;
    let m0 = wg.y * SH_TILE;
    let n0 = wg.x * SH_TILE;
    var acc = Tile4x4();
    for (var k0 = 0u; k0 < p.k; k0 += SH_K) {
        for (var j = 0u; j < 4u; j++) {
            let idx = t + 256u * j;
            let am = idx / SH_K;
            let ak = idx % SH_K;
            var av = 0.0;
            if (m0 + am < p.m && k0 + ak < p.k) {
                av = a[p.a_off + (m0 + am) * p.a_rs + (k0 + ak) * p.a_cs];
            }
            sh[ak * SH_TILE + am] = av;
            let bk = idx / SH_TILE;
            let bn = idx % SH_TILE;
            var bv = 0.0;
            if (n0 + bn < p.n && k0 + bk < p.k) {
                bv = load_b((k0 + bk) * p.b_rs + (n0 + bn) * p.b_cs);
            }
            sh[SH_B + bk * SH_TILE + bn] = bv;
        }
        workgroupBarrier();
        acc = shared_slice(lid, acc);
        workgroupBarrier();
    }
    finish_tile(m0 + lid.y, n0 + lid.x, 16u, acc);
}
#endif
#endif

// matmul_rows_nt (A_VEC4, B_VEC4): matmul_rows for A and B both contiguous along k (lm_head's
// logits = h·wteᵀ when decoding, input gradients): each invocation reads its column of B (a row
// of wte) and its row of A four values at a time, where matmul_rows reads one value per k with
// neighbouring invocations C apart. A quarter of the loads; needs no subgroups, so the browser
// runs it too.
#ifdef A_VEC4
#ifdef B_VEC4
@compute @workgroup_size(64)
fn matmul_rows_nt(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let row = wg.y;
    let col = wg.x * 64u + lid.x;
    if (row >= p.m || col >= p.n) {
        return;
    }
    let a0 = (p.a_off + row * p.a_rs) / 4u;
    let b0 = col * p.b_cs / 4u;
    // Two partial sums, so consecutive multiply-adds do not wait on each other.
    var acc0 = vec4<f32>();
    var acc1 = vec4<f32>();
    let k4 = p.k / 4u;
    let k8 = k4 & ~1u;
    for (var k = 0u; k < k8; k += 2u) {
        acc0 += a4[a0 + k] * load_b4(b0 + k);
        acc1 += a4[a0 + k + 1u] * load_b4(b0 + k + 1u);
    }
    if (k8 < k4) {
        acc0 += a4[a0 + k8] * load_b4(b0 + k8);
    }
    let s = acc0 + acc1;
    finish(row, col, (s.x + s.y) + (s.z + s.w));
}

// matmul_shared_nt and matmul_shared_nn4 (A_VEC4, B_VEC4): matmul_shared copying its slices as
// vec4s, one of A and one of B per invocation per slice (a quarter of the load instructions).
// A is read along k in both (Layout::Nt and Nn4 guarantee vec4-aligned rows); B along k in _nt
// (input gradients, lm_head forward, 4-bit forward) and along n in _nn4 (Conv1D forward,
// lm_head backward). Under Nn4 K may end mid-vec4: the row's last vec4 is read whole (the layout
// checks that it lies in A) and its values past K are staged as zeros.

// Four values along k (k's 4q .. 4q + 3) of row or column r, into the slice at `base` of sh.
fn stage_along_k(base: u32, q: u32, r: u32, v: vec4<f32>) {
    sh[base + (4u * q) * SH_TILE + r] = v.x;
    sh[base + (4u * q + 1u) * SH_TILE + r] = v.y;
    sh[base + (4u * q + 2u) * SH_TILE + r] = v.z;
    sh[base + (4u * q + 3u) * SH_TILE + r] = v.w;
}

// A's rows m0 .. m0 + 63, k's k0 .. k0 + 15, into sh: invocation t reads row m0 + t / 4, k's
// 4 (t % 4) .. + 3.
fn stage_a4(m0: u32, k0: u32, t: u32) {
    let r = t / 4u;
    let q = t % 4u;
    let k = k0 + 4u * q;
    var v = vec4<f32>(0.0);
    if (m0 + r < p.m && k < p.k) {
        v = a4[(p.a_off + (m0 + r) * p.a_rs) / 4u + k / 4u];
        v = select(vec4<f32>(0.0), v, vec4<u32>(k) + vec4<u32>(0u, 1u, 2u, 3u) < vec4<u32>(p.k));
    }
    stage_along_k(0u, q, r, v);
}

// B's columns n0 .. n0 + 63, k's k0 .. k0 + 15, into sh at SH_B, B contiguous along k (Nt: K is a
// multiple of 4): invocation t reads column n0 + t / 4, k's 4 (t % 4) .. + 3.
fn stage_b4_along_k(n0: u32, k0: u32, t: u32) {
    let r = t / 4u;
    let q = t % 4u;
    var v = vec4<f32>(0.0);
    if (n0 + r < p.n && k0 + 4u * q < p.k) {
        v = load_b4(((n0 + r) * p.b_cs + k0) / 4u + q);
    }
    stage_along_k(SH_B, q, r, v);
}

// The same slice of B contiguous along n (Nn4: N is a multiple of 4): invocation t reads row
// k0 + t / 16, columns n0 + 4 (t % 16) .. + 3.
fn stage_b4_along_n(n0: u32, k0: u32, t: u32) {
    let bk = t / 16u;
    let bn = 4u * (t % 16u);
    var v = vec4<f32>(0.0);
    if (k0 + bk < p.k && n0 + bn < p.n) {
        v = load_b4(((k0 + bk) * p.b_rs + n0 + bn) / 4u);
    }
    let at = bk * SH_TILE + bn;
    sh[SH_B + at] = v.x;
    sh[SH_B + at + 1u] = v.y;
    sh[SH_B + at + 2u] = v.z;
    sh[SH_B + at + 3u] = v.w;
}

// The tile of workgroup `wg`, B staged along n or along k (a constant at each call: the
// barriers stay in uniform control flow).
fn shared_tile4(wg: vec3<u32>, lid: vec3<u32>, b_along_n: bool) {
    let t = lid.y * 16u + lid.x;
    let m0 = wg.y * SH_TILE;
    let n0 = wg.x * SH_TILE;
    var acc = Tile4x4();
    for (var k0 = 0u; k0 < p.k; k0 += SH_K) {
        stage_a4(m0, k0, t);
        if (b_along_n) {
            stage_b4_along_n(n0, k0, t);
        } else {
            stage_b4_along_k(n0, k0, t);
        }
        workgroupBarrier();
        acc = shared_slice(lid, acc);
        workgroupBarrier();
    }
    finish_tile(m0 + lid.y, n0 + lid.x, 16u, acc);
}

@compute @workgroup_size(16, 16)
fn matmul_shared_nt(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    shared_tile4(wg, lid, false);
}

@compute @workgroup_size(16, 16)
fn matmul_shared_nn4(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    shared_tile4(wg, lid, true);
}
#endif
#endif

// matmul_rows_nn (B_VEC4): matmul_rows for B contiguous along n (Conv1D forward when decoding):
// each invocation owns 4 neighbouring columns and reads them as one vec4 per k.
#ifndef A_VEC4
#ifdef B_VEC4
@compute @workgroup_size(64)
fn matmul_rows_nn(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let row = wg.y;
    let col = (wg.x * 64u + lid.x) * 4u;
    if (row >= p.m || col >= p.n) {
        return;
    }
    let a0 = p.a_off + row * p.a_rs;
    var acc0 = vec4<f32>();
    var acc1 = vec4<f32>();
    let k2 = p.k & ~1u;
    for (var k = 0u; k < k2; k += 2u) {
        acc0 += a[a0 + k * p.a_cs] * load_b4((k * p.b_rs + col) / 4u);
        acc1 += a[a0 + (k + 1u) * p.a_cs] * load_b4(((k + 1u) * p.b_rs + col) / 4u);
    }
    if (k2 < p.k) {
        acc0 += a[a0 + k2 * p.a_cs] * load_b4((k2 * p.b_rs + col) / 4u);
    }
    finish4(row, col, acc0 + acc1);
}
#endif
#endif

// matmul_subgroup*: lanes along N as in matmul_tiled, but a workgroup is one subgroup of 8 lanes
// and A is not read by every lane: lane l reads rows m0 + l + 8i, and subgroupBroadcast hands each
// value to the others. Per k a lane issues 8 loads (4 of A, 4 of B) for its 32 x 4 outputs where
// matmul_tiled issues 24 for 16 x 8; the vec4 forms issue 8 per 4 k. Needs subgroups of >= 8
// lanes (the Rust side checks the adapter's minimum). Generated by tools/gen_shaders.py.
#ifdef SUBGROUPS
#ifndef A_VEC4
#ifndef B_VEC4
// BEGIN GENERATED matmul_subgroup
// Generated by tools/gen_shaders.py: SG_M = 32, SG_N = 4, 8 lanes.
@compute @workgroup_size(8)
fn matmul_subgroup(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let lane = lid.x;
    let m0 = wg.y * 32u;
    let n0 = wg.x * 32u + lane;
    // No early return: every lane takes part in the broadcasts. Loads clamp instead.
    let last_m = p.m - 1u;
    let last_n = p.n - 1u;
    // This lane loads rows m0 + lane + 8i of A and shares them with the others.
    let ar0 = (p.a_off + min(m0 + lane + 0u, last_m) * p.a_rs);
    let ar1 = (p.a_off + min(m0 + lane + 8u, last_m) * p.a_rs);
    let ar2 = (p.a_off + min(m0 + lane + 16u, last_m) * p.a_rs);
    let ar3 = (p.a_off + min(m0 + lane + 24u, last_m) * p.a_rs);
    let bc0 = min(n0 + 0u, last_n) * p.b_cs;
    let bc1 = min(n0 + 8u, last_n) * p.b_cs;
    let bc2 = min(n0 + 16u, last_n) * p.b_cs;
    let bc3 = min(n0 + 24u, last_n) * p.b_cs;
    // c{r}_{j}: row m0 + r, column n0 + 8j.
    var c0_0 = 0.0; var c0_1 = 0.0; var c0_2 = 0.0; var c0_3 = 0.0;
    var c1_0 = 0.0; var c1_1 = 0.0; var c1_2 = 0.0; var c1_3 = 0.0;
    var c2_0 = 0.0; var c2_1 = 0.0; var c2_2 = 0.0; var c2_3 = 0.0;
    var c3_0 = 0.0; var c3_1 = 0.0; var c3_2 = 0.0; var c3_3 = 0.0;
    var c4_0 = 0.0; var c4_1 = 0.0; var c4_2 = 0.0; var c4_3 = 0.0;
    var c5_0 = 0.0; var c5_1 = 0.0; var c5_2 = 0.0; var c5_3 = 0.0;
    var c6_0 = 0.0; var c6_1 = 0.0; var c6_2 = 0.0; var c6_3 = 0.0;
    var c7_0 = 0.0; var c7_1 = 0.0; var c7_2 = 0.0; var c7_3 = 0.0;
    var c8_0 = 0.0; var c8_1 = 0.0; var c8_2 = 0.0; var c8_3 = 0.0;
    var c9_0 = 0.0; var c9_1 = 0.0; var c9_2 = 0.0; var c9_3 = 0.0;
    var c10_0 = 0.0; var c10_1 = 0.0; var c10_2 = 0.0; var c10_3 = 0.0;
    var c11_0 = 0.0; var c11_1 = 0.0; var c11_2 = 0.0; var c11_3 = 0.0;
    var c12_0 = 0.0; var c12_1 = 0.0; var c12_2 = 0.0; var c12_3 = 0.0;
    var c13_0 = 0.0; var c13_1 = 0.0; var c13_2 = 0.0; var c13_3 = 0.0;
    var c14_0 = 0.0; var c14_1 = 0.0; var c14_2 = 0.0; var c14_3 = 0.0;
    var c15_0 = 0.0; var c15_1 = 0.0; var c15_2 = 0.0; var c15_3 = 0.0;
    var c16_0 = 0.0; var c16_1 = 0.0; var c16_2 = 0.0; var c16_3 = 0.0;
    var c17_0 = 0.0; var c17_1 = 0.0; var c17_2 = 0.0; var c17_3 = 0.0;
    var c18_0 = 0.0; var c18_1 = 0.0; var c18_2 = 0.0; var c18_3 = 0.0;
    var c19_0 = 0.0; var c19_1 = 0.0; var c19_2 = 0.0; var c19_3 = 0.0;
    var c20_0 = 0.0; var c20_1 = 0.0; var c20_2 = 0.0; var c20_3 = 0.0;
    var c21_0 = 0.0; var c21_1 = 0.0; var c21_2 = 0.0; var c21_3 = 0.0;
    var c22_0 = 0.0; var c22_1 = 0.0; var c22_2 = 0.0; var c22_3 = 0.0;
    var c23_0 = 0.0; var c23_1 = 0.0; var c23_2 = 0.0; var c23_3 = 0.0;
    var c24_0 = 0.0; var c24_1 = 0.0; var c24_2 = 0.0; var c24_3 = 0.0;
    var c25_0 = 0.0; var c25_1 = 0.0; var c25_2 = 0.0; var c25_3 = 0.0;
    var c26_0 = 0.0; var c26_1 = 0.0; var c26_2 = 0.0; var c26_3 = 0.0;
    var c27_0 = 0.0; var c27_1 = 0.0; var c27_2 = 0.0; var c27_3 = 0.0;
    var c28_0 = 0.0; var c28_1 = 0.0; var c28_2 = 0.0; var c28_3 = 0.0;
    var c29_0 = 0.0; var c29_1 = 0.0; var c29_2 = 0.0; var c29_3 = 0.0;
    var c30_0 = 0.0; var c30_1 = 0.0; var c30_2 = 0.0; var c30_3 = 0.0;
    var c31_0 = 0.0; var c31_1 = 0.0; var c31_2 = 0.0; var c31_3 = 0.0;
    for (var k = 0u; k < p.k; k++) {
        let bk = k * p.b_rs;
        let ak = k * p.a_cs;
        let b0 = load_b(bk + bc0); let b1 = load_b(bk + bc1); let b2 = load_b(bk + bc2); let b3 = load_b(bk + bc3);
        let ra0 = a[ar0 + ak]; let ra1 = a[ar1 + ak]; let ra2 = a[ar2 + ak]; let ra3 = a[ar3 + ak];
        let x0 = subgroupBroadcast(ra0, 0u); c0_0 += x0 * b0; c0_1 += x0 * b1; c0_2 += x0 * b2; c0_3 += x0 * b3;
        let x1 = subgroupBroadcast(ra0, 1u); c1_0 += x1 * b0; c1_1 += x1 * b1; c1_2 += x1 * b2; c1_3 += x1 * b3;
        let x2 = subgroupBroadcast(ra0, 2u); c2_0 += x2 * b0; c2_1 += x2 * b1; c2_2 += x2 * b2; c2_3 += x2 * b3;
        let x3 = subgroupBroadcast(ra0, 3u); c3_0 += x3 * b0; c3_1 += x3 * b1; c3_2 += x3 * b2; c3_3 += x3 * b3;
        let x4 = subgroupBroadcast(ra0, 4u); c4_0 += x4 * b0; c4_1 += x4 * b1; c4_2 += x4 * b2; c4_3 += x4 * b3;
        let x5 = subgroupBroadcast(ra0, 5u); c5_0 += x5 * b0; c5_1 += x5 * b1; c5_2 += x5 * b2; c5_3 += x5 * b3;
        let x6 = subgroupBroadcast(ra0, 6u); c6_0 += x6 * b0; c6_1 += x6 * b1; c6_2 += x6 * b2; c6_3 += x6 * b3;
        let x7 = subgroupBroadcast(ra0, 7u); c7_0 += x7 * b0; c7_1 += x7 * b1; c7_2 += x7 * b2; c7_3 += x7 * b3;
        let x8 = subgroupBroadcast(ra1, 0u); c8_0 += x8 * b0; c8_1 += x8 * b1; c8_2 += x8 * b2; c8_3 += x8 * b3;
        let x9 = subgroupBroadcast(ra1, 1u); c9_0 += x9 * b0; c9_1 += x9 * b1; c9_2 += x9 * b2; c9_3 += x9 * b3;
        let x10 = subgroupBroadcast(ra1, 2u); c10_0 += x10 * b0; c10_1 += x10 * b1; c10_2 += x10 * b2; c10_3 += x10 * b3;
        let x11 = subgroupBroadcast(ra1, 3u); c11_0 += x11 * b0; c11_1 += x11 * b1; c11_2 += x11 * b2; c11_3 += x11 * b3;
        let x12 = subgroupBroadcast(ra1, 4u); c12_0 += x12 * b0; c12_1 += x12 * b1; c12_2 += x12 * b2; c12_3 += x12 * b3;
        let x13 = subgroupBroadcast(ra1, 5u); c13_0 += x13 * b0; c13_1 += x13 * b1; c13_2 += x13 * b2; c13_3 += x13 * b3;
        let x14 = subgroupBroadcast(ra1, 6u); c14_0 += x14 * b0; c14_1 += x14 * b1; c14_2 += x14 * b2; c14_3 += x14 * b3;
        let x15 = subgroupBroadcast(ra1, 7u); c15_0 += x15 * b0; c15_1 += x15 * b1; c15_2 += x15 * b2; c15_3 += x15 * b3;
        let x16 = subgroupBroadcast(ra2, 0u); c16_0 += x16 * b0; c16_1 += x16 * b1; c16_2 += x16 * b2; c16_3 += x16 * b3;
        let x17 = subgroupBroadcast(ra2, 1u); c17_0 += x17 * b0; c17_1 += x17 * b1; c17_2 += x17 * b2; c17_3 += x17 * b3;
        let x18 = subgroupBroadcast(ra2, 2u); c18_0 += x18 * b0; c18_1 += x18 * b1; c18_2 += x18 * b2; c18_3 += x18 * b3;
        let x19 = subgroupBroadcast(ra2, 3u); c19_0 += x19 * b0; c19_1 += x19 * b1; c19_2 += x19 * b2; c19_3 += x19 * b3;
        let x20 = subgroupBroadcast(ra2, 4u); c20_0 += x20 * b0; c20_1 += x20 * b1; c20_2 += x20 * b2; c20_3 += x20 * b3;
        let x21 = subgroupBroadcast(ra2, 5u); c21_0 += x21 * b0; c21_1 += x21 * b1; c21_2 += x21 * b2; c21_3 += x21 * b3;
        let x22 = subgroupBroadcast(ra2, 6u); c22_0 += x22 * b0; c22_1 += x22 * b1; c22_2 += x22 * b2; c22_3 += x22 * b3;
        let x23 = subgroupBroadcast(ra2, 7u); c23_0 += x23 * b0; c23_1 += x23 * b1; c23_2 += x23 * b2; c23_3 += x23 * b3;
        let x24 = subgroupBroadcast(ra3, 0u); c24_0 += x24 * b0; c24_1 += x24 * b1; c24_2 += x24 * b2; c24_3 += x24 * b3;
        let x25 = subgroupBroadcast(ra3, 1u); c25_0 += x25 * b0; c25_1 += x25 * b1; c25_2 += x25 * b2; c25_3 += x25 * b3;
        let x26 = subgroupBroadcast(ra3, 2u); c26_0 += x26 * b0; c26_1 += x26 * b1; c26_2 += x26 * b2; c26_3 += x26 * b3;
        let x27 = subgroupBroadcast(ra3, 3u); c27_0 += x27 * b0; c27_1 += x27 * b1; c27_2 += x27 * b2; c27_3 += x27 * b3;
        let x28 = subgroupBroadcast(ra3, 4u); c28_0 += x28 * b0; c28_1 += x28 * b1; c28_2 += x28 * b2; c28_3 += x28 * b3;
        let x29 = subgroupBroadcast(ra3, 5u); c29_0 += x29 * b0; c29_1 += x29 * b1; c29_2 += x29 * b2; c29_3 += x29 * b3;
        let x30 = subgroupBroadcast(ra3, 6u); c30_0 += x30 * b0; c30_1 += x30 * b1; c30_2 += x30 * b2; c30_3 += x30 * b3;
        let x31 = subgroupBroadcast(ra3, 7u); c31_0 += x31 * b0; c31_1 += x31 * b1; c31_2 += x31 * b2; c31_3 += x31 * b3;
    }
    let col0 = n0 + 0u < p.n;
    let col1 = n0 + 8u < p.n;
    let col2 = n0 + 16u < p.n;
    let col3 = n0 + 24u < p.n;
    if (m0 + 0u < p.m) { if (col0) { finish(m0 + 0u, n0 + 0u, c0_0); } if (col1) { finish(m0 + 0u, n0 + 8u, c0_1); } if (col2) { finish(m0 + 0u, n0 + 16u, c0_2); } if (col3) { finish(m0 + 0u, n0 + 24u, c0_3); } }
    if (m0 + 1u < p.m) { if (col0) { finish(m0 + 1u, n0 + 0u, c1_0); } if (col1) { finish(m0 + 1u, n0 + 8u, c1_1); } if (col2) { finish(m0 + 1u, n0 + 16u, c1_2); } if (col3) { finish(m0 + 1u, n0 + 24u, c1_3); } }
    if (m0 + 2u < p.m) { if (col0) { finish(m0 + 2u, n0 + 0u, c2_0); } if (col1) { finish(m0 + 2u, n0 + 8u, c2_1); } if (col2) { finish(m0 + 2u, n0 + 16u, c2_2); } if (col3) { finish(m0 + 2u, n0 + 24u, c2_3); } }
    if (m0 + 3u < p.m) { if (col0) { finish(m0 + 3u, n0 + 0u, c3_0); } if (col1) { finish(m0 + 3u, n0 + 8u, c3_1); } if (col2) { finish(m0 + 3u, n0 + 16u, c3_2); } if (col3) { finish(m0 + 3u, n0 + 24u, c3_3); } }
    if (m0 + 4u < p.m) { if (col0) { finish(m0 + 4u, n0 + 0u, c4_0); } if (col1) { finish(m0 + 4u, n0 + 8u, c4_1); } if (col2) { finish(m0 + 4u, n0 + 16u, c4_2); } if (col3) { finish(m0 + 4u, n0 + 24u, c4_3); } }
    if (m0 + 5u < p.m) { if (col0) { finish(m0 + 5u, n0 + 0u, c5_0); } if (col1) { finish(m0 + 5u, n0 + 8u, c5_1); } if (col2) { finish(m0 + 5u, n0 + 16u, c5_2); } if (col3) { finish(m0 + 5u, n0 + 24u, c5_3); } }
    if (m0 + 6u < p.m) { if (col0) { finish(m0 + 6u, n0 + 0u, c6_0); } if (col1) { finish(m0 + 6u, n0 + 8u, c6_1); } if (col2) { finish(m0 + 6u, n0 + 16u, c6_2); } if (col3) { finish(m0 + 6u, n0 + 24u, c6_3); } }
    if (m0 + 7u < p.m) { if (col0) { finish(m0 + 7u, n0 + 0u, c7_0); } if (col1) { finish(m0 + 7u, n0 + 8u, c7_1); } if (col2) { finish(m0 + 7u, n0 + 16u, c7_2); } if (col3) { finish(m0 + 7u, n0 + 24u, c7_3); } }
    if (m0 + 8u < p.m) { if (col0) { finish(m0 + 8u, n0 + 0u, c8_0); } if (col1) { finish(m0 + 8u, n0 + 8u, c8_1); } if (col2) { finish(m0 + 8u, n0 + 16u, c8_2); } if (col3) { finish(m0 + 8u, n0 + 24u, c8_3); } }
    if (m0 + 9u < p.m) { if (col0) { finish(m0 + 9u, n0 + 0u, c9_0); } if (col1) { finish(m0 + 9u, n0 + 8u, c9_1); } if (col2) { finish(m0 + 9u, n0 + 16u, c9_2); } if (col3) { finish(m0 + 9u, n0 + 24u, c9_3); } }
    if (m0 + 10u < p.m) { if (col0) { finish(m0 + 10u, n0 + 0u, c10_0); } if (col1) { finish(m0 + 10u, n0 + 8u, c10_1); } if (col2) { finish(m0 + 10u, n0 + 16u, c10_2); } if (col3) { finish(m0 + 10u, n0 + 24u, c10_3); } }
    if (m0 + 11u < p.m) { if (col0) { finish(m0 + 11u, n0 + 0u, c11_0); } if (col1) { finish(m0 + 11u, n0 + 8u, c11_1); } if (col2) { finish(m0 + 11u, n0 + 16u, c11_2); } if (col3) { finish(m0 + 11u, n0 + 24u, c11_3); } }
    if (m0 + 12u < p.m) { if (col0) { finish(m0 + 12u, n0 + 0u, c12_0); } if (col1) { finish(m0 + 12u, n0 + 8u, c12_1); } if (col2) { finish(m0 + 12u, n0 + 16u, c12_2); } if (col3) { finish(m0 + 12u, n0 + 24u, c12_3); } }
    if (m0 + 13u < p.m) { if (col0) { finish(m0 + 13u, n0 + 0u, c13_0); } if (col1) { finish(m0 + 13u, n0 + 8u, c13_1); } if (col2) { finish(m0 + 13u, n0 + 16u, c13_2); } if (col3) { finish(m0 + 13u, n0 + 24u, c13_3); } }
    if (m0 + 14u < p.m) { if (col0) { finish(m0 + 14u, n0 + 0u, c14_0); } if (col1) { finish(m0 + 14u, n0 + 8u, c14_1); } if (col2) { finish(m0 + 14u, n0 + 16u, c14_2); } if (col3) { finish(m0 + 14u, n0 + 24u, c14_3); } }
    if (m0 + 15u < p.m) { if (col0) { finish(m0 + 15u, n0 + 0u, c15_0); } if (col1) { finish(m0 + 15u, n0 + 8u, c15_1); } if (col2) { finish(m0 + 15u, n0 + 16u, c15_2); } if (col3) { finish(m0 + 15u, n0 + 24u, c15_3); } }
    if (m0 + 16u < p.m) { if (col0) { finish(m0 + 16u, n0 + 0u, c16_0); } if (col1) { finish(m0 + 16u, n0 + 8u, c16_1); } if (col2) { finish(m0 + 16u, n0 + 16u, c16_2); } if (col3) { finish(m0 + 16u, n0 + 24u, c16_3); } }
    if (m0 + 17u < p.m) { if (col0) { finish(m0 + 17u, n0 + 0u, c17_0); } if (col1) { finish(m0 + 17u, n0 + 8u, c17_1); } if (col2) { finish(m0 + 17u, n0 + 16u, c17_2); } if (col3) { finish(m0 + 17u, n0 + 24u, c17_3); } }
    if (m0 + 18u < p.m) { if (col0) { finish(m0 + 18u, n0 + 0u, c18_0); } if (col1) { finish(m0 + 18u, n0 + 8u, c18_1); } if (col2) { finish(m0 + 18u, n0 + 16u, c18_2); } if (col3) { finish(m0 + 18u, n0 + 24u, c18_3); } }
    if (m0 + 19u < p.m) { if (col0) { finish(m0 + 19u, n0 + 0u, c19_0); } if (col1) { finish(m0 + 19u, n0 + 8u, c19_1); } if (col2) { finish(m0 + 19u, n0 + 16u, c19_2); } if (col3) { finish(m0 + 19u, n0 + 24u, c19_3); } }
    if (m0 + 20u < p.m) { if (col0) { finish(m0 + 20u, n0 + 0u, c20_0); } if (col1) { finish(m0 + 20u, n0 + 8u, c20_1); } if (col2) { finish(m0 + 20u, n0 + 16u, c20_2); } if (col3) { finish(m0 + 20u, n0 + 24u, c20_3); } }
    if (m0 + 21u < p.m) { if (col0) { finish(m0 + 21u, n0 + 0u, c21_0); } if (col1) { finish(m0 + 21u, n0 + 8u, c21_1); } if (col2) { finish(m0 + 21u, n0 + 16u, c21_2); } if (col3) { finish(m0 + 21u, n0 + 24u, c21_3); } }
    if (m0 + 22u < p.m) { if (col0) { finish(m0 + 22u, n0 + 0u, c22_0); } if (col1) { finish(m0 + 22u, n0 + 8u, c22_1); } if (col2) { finish(m0 + 22u, n0 + 16u, c22_2); } if (col3) { finish(m0 + 22u, n0 + 24u, c22_3); } }
    if (m0 + 23u < p.m) { if (col0) { finish(m0 + 23u, n0 + 0u, c23_0); } if (col1) { finish(m0 + 23u, n0 + 8u, c23_1); } if (col2) { finish(m0 + 23u, n0 + 16u, c23_2); } if (col3) { finish(m0 + 23u, n0 + 24u, c23_3); } }
    if (m0 + 24u < p.m) { if (col0) { finish(m0 + 24u, n0 + 0u, c24_0); } if (col1) { finish(m0 + 24u, n0 + 8u, c24_1); } if (col2) { finish(m0 + 24u, n0 + 16u, c24_2); } if (col3) { finish(m0 + 24u, n0 + 24u, c24_3); } }
    if (m0 + 25u < p.m) { if (col0) { finish(m0 + 25u, n0 + 0u, c25_0); } if (col1) { finish(m0 + 25u, n0 + 8u, c25_1); } if (col2) { finish(m0 + 25u, n0 + 16u, c25_2); } if (col3) { finish(m0 + 25u, n0 + 24u, c25_3); } }
    if (m0 + 26u < p.m) { if (col0) { finish(m0 + 26u, n0 + 0u, c26_0); } if (col1) { finish(m0 + 26u, n0 + 8u, c26_1); } if (col2) { finish(m0 + 26u, n0 + 16u, c26_2); } if (col3) { finish(m0 + 26u, n0 + 24u, c26_3); } }
    if (m0 + 27u < p.m) { if (col0) { finish(m0 + 27u, n0 + 0u, c27_0); } if (col1) { finish(m0 + 27u, n0 + 8u, c27_1); } if (col2) { finish(m0 + 27u, n0 + 16u, c27_2); } if (col3) { finish(m0 + 27u, n0 + 24u, c27_3); } }
    if (m0 + 28u < p.m) { if (col0) { finish(m0 + 28u, n0 + 0u, c28_0); } if (col1) { finish(m0 + 28u, n0 + 8u, c28_1); } if (col2) { finish(m0 + 28u, n0 + 16u, c28_2); } if (col3) { finish(m0 + 28u, n0 + 24u, c28_3); } }
    if (m0 + 29u < p.m) { if (col0) { finish(m0 + 29u, n0 + 0u, c29_0); } if (col1) { finish(m0 + 29u, n0 + 8u, c29_1); } if (col2) { finish(m0 + 29u, n0 + 16u, c29_2); } if (col3) { finish(m0 + 29u, n0 + 24u, c29_3); } }
    if (m0 + 30u < p.m) { if (col0) { finish(m0 + 30u, n0 + 0u, c30_0); } if (col1) { finish(m0 + 30u, n0 + 8u, c30_1); } if (col2) { finish(m0 + 30u, n0 + 16u, c30_2); } if (col3) { finish(m0 + 30u, n0 + 24u, c30_3); } }
    if (m0 + 31u < p.m) { if (col0) { finish(m0 + 31u, n0 + 0u, c31_0); } if (col1) { finish(m0 + 31u, n0 + 8u, c31_1); } if (col2) { finish(m0 + 31u, n0 + 16u, c31_2); } if (col3) { finish(m0 + 31u, n0 + 24u, c31_3); } }
}
// END GENERATED matmul_subgroup
#endif
#endif
#endif
#ifdef SUBGROUPS
#ifdef A_VEC4
#ifdef B_VEC4
// BEGIN GENERATED matmul_subgroup_nt
// Generated by tools/gen_shaders.py: SG_M = 32, SG_N = 4, 8 lanes.
@compute @workgroup_size(8)
fn matmul_subgroup_nt(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let lane = lid.x;
    let m0 = wg.y * 32u;
    let n0 = wg.x * 32u + lane;
    // No early return: every lane takes part in the broadcasts. Loads clamp instead.
    let last_m = p.m - 1u;
    let last_n = p.n - 1u;
    // This lane loads rows m0 + lane + 8i of A and shares them with the others.
    let ar0 = (p.a_off + min(m0 + lane + 0u, last_m) * p.a_rs) / 4u;
    let ar1 = (p.a_off + min(m0 + lane + 8u, last_m) * p.a_rs) / 4u;
    let ar2 = (p.a_off + min(m0 + lane + 16u, last_m) * p.a_rs) / 4u;
    let ar3 = (p.a_off + min(m0 + lane + 24u, last_m) * p.a_rs) / 4u;
    let bc0 = min(n0 + 0u, last_n) * p.b_cs / 4u;
    let bc1 = min(n0 + 8u, last_n) * p.b_cs / 4u;
    let bc2 = min(n0 + 16u, last_n) * p.b_cs / 4u;
    let bc3 = min(n0 + 24u, last_n) * p.b_cs / 4u;
    // c{r}_{j}: row m0 + r, column n0 + 8j.
    var c0_0 = 0.0; var c0_1 = 0.0; var c0_2 = 0.0; var c0_3 = 0.0;
    var c1_0 = 0.0; var c1_1 = 0.0; var c1_2 = 0.0; var c1_3 = 0.0;
    var c2_0 = 0.0; var c2_1 = 0.0; var c2_2 = 0.0; var c2_3 = 0.0;
    var c3_0 = 0.0; var c3_1 = 0.0; var c3_2 = 0.0; var c3_3 = 0.0;
    var c4_0 = 0.0; var c4_1 = 0.0; var c4_2 = 0.0; var c4_3 = 0.0;
    var c5_0 = 0.0; var c5_1 = 0.0; var c5_2 = 0.0; var c5_3 = 0.0;
    var c6_0 = 0.0; var c6_1 = 0.0; var c6_2 = 0.0; var c6_3 = 0.0;
    var c7_0 = 0.0; var c7_1 = 0.0; var c7_2 = 0.0; var c7_3 = 0.0;
    var c8_0 = 0.0; var c8_1 = 0.0; var c8_2 = 0.0; var c8_3 = 0.0;
    var c9_0 = 0.0; var c9_1 = 0.0; var c9_2 = 0.0; var c9_3 = 0.0;
    var c10_0 = 0.0; var c10_1 = 0.0; var c10_2 = 0.0; var c10_3 = 0.0;
    var c11_0 = 0.0; var c11_1 = 0.0; var c11_2 = 0.0; var c11_3 = 0.0;
    var c12_0 = 0.0; var c12_1 = 0.0; var c12_2 = 0.0; var c12_3 = 0.0;
    var c13_0 = 0.0; var c13_1 = 0.0; var c13_2 = 0.0; var c13_3 = 0.0;
    var c14_0 = 0.0; var c14_1 = 0.0; var c14_2 = 0.0; var c14_3 = 0.0;
    var c15_0 = 0.0; var c15_1 = 0.0; var c15_2 = 0.0; var c15_3 = 0.0;
    var c16_0 = 0.0; var c16_1 = 0.0; var c16_2 = 0.0; var c16_3 = 0.0;
    var c17_0 = 0.0; var c17_1 = 0.0; var c17_2 = 0.0; var c17_3 = 0.0;
    var c18_0 = 0.0; var c18_1 = 0.0; var c18_2 = 0.0; var c18_3 = 0.0;
    var c19_0 = 0.0; var c19_1 = 0.0; var c19_2 = 0.0; var c19_3 = 0.0;
    var c20_0 = 0.0; var c20_1 = 0.0; var c20_2 = 0.0; var c20_3 = 0.0;
    var c21_0 = 0.0; var c21_1 = 0.0; var c21_2 = 0.0; var c21_3 = 0.0;
    var c22_0 = 0.0; var c22_1 = 0.0; var c22_2 = 0.0; var c22_3 = 0.0;
    var c23_0 = 0.0; var c23_1 = 0.0; var c23_2 = 0.0; var c23_3 = 0.0;
    var c24_0 = 0.0; var c24_1 = 0.0; var c24_2 = 0.0; var c24_3 = 0.0;
    var c25_0 = 0.0; var c25_1 = 0.0; var c25_2 = 0.0; var c25_3 = 0.0;
    var c26_0 = 0.0; var c26_1 = 0.0; var c26_2 = 0.0; var c26_3 = 0.0;
    var c27_0 = 0.0; var c27_1 = 0.0; var c27_2 = 0.0; var c27_3 = 0.0;
    var c28_0 = 0.0; var c28_1 = 0.0; var c28_2 = 0.0; var c28_3 = 0.0;
    var c29_0 = 0.0; var c29_1 = 0.0; var c29_2 = 0.0; var c29_3 = 0.0;
    var c30_0 = 0.0; var c30_1 = 0.0; var c30_2 = 0.0; var c30_3 = 0.0;
    var c31_0 = 0.0; var c31_1 = 0.0; var c31_2 = 0.0; var c31_3 = 0.0;
    for (var k = 0u; k < p.k / 4u; k++) {
        let b0 = load_b4(bc0 + k); let b1 = load_b4(bc1 + k); let b2 = load_b4(bc2 + k); let b3 = load_b4(bc3 + k);
        let ra0 = a4[ar0 + k]; let ra1 = a4[ar1 + k]; let ra2 = a4[ar2 + k]; let ra3 = a4[ar3 + k];
        let x0 = subgroupBroadcast(ra0, 0u); c0_0 += dot(x0, b0); c0_1 += dot(x0, b1); c0_2 += dot(x0, b2); c0_3 += dot(x0, b3);
        let x1 = subgroupBroadcast(ra0, 1u); c1_0 += dot(x1, b0); c1_1 += dot(x1, b1); c1_2 += dot(x1, b2); c1_3 += dot(x1, b3);
        let x2 = subgroupBroadcast(ra0, 2u); c2_0 += dot(x2, b0); c2_1 += dot(x2, b1); c2_2 += dot(x2, b2); c2_3 += dot(x2, b3);
        let x3 = subgroupBroadcast(ra0, 3u); c3_0 += dot(x3, b0); c3_1 += dot(x3, b1); c3_2 += dot(x3, b2); c3_3 += dot(x3, b3);
        let x4 = subgroupBroadcast(ra0, 4u); c4_0 += dot(x4, b0); c4_1 += dot(x4, b1); c4_2 += dot(x4, b2); c4_3 += dot(x4, b3);
        let x5 = subgroupBroadcast(ra0, 5u); c5_0 += dot(x5, b0); c5_1 += dot(x5, b1); c5_2 += dot(x5, b2); c5_3 += dot(x5, b3);
        let x6 = subgroupBroadcast(ra0, 6u); c6_0 += dot(x6, b0); c6_1 += dot(x6, b1); c6_2 += dot(x6, b2); c6_3 += dot(x6, b3);
        let x7 = subgroupBroadcast(ra0, 7u); c7_0 += dot(x7, b0); c7_1 += dot(x7, b1); c7_2 += dot(x7, b2); c7_3 += dot(x7, b3);
        let x8 = subgroupBroadcast(ra1, 0u); c8_0 += dot(x8, b0); c8_1 += dot(x8, b1); c8_2 += dot(x8, b2); c8_3 += dot(x8, b3);
        let x9 = subgroupBroadcast(ra1, 1u); c9_0 += dot(x9, b0); c9_1 += dot(x9, b1); c9_2 += dot(x9, b2); c9_3 += dot(x9, b3);
        let x10 = subgroupBroadcast(ra1, 2u); c10_0 += dot(x10, b0); c10_1 += dot(x10, b1); c10_2 += dot(x10, b2); c10_3 += dot(x10, b3);
        let x11 = subgroupBroadcast(ra1, 3u); c11_0 += dot(x11, b0); c11_1 += dot(x11, b1); c11_2 += dot(x11, b2); c11_3 += dot(x11, b3);
        let x12 = subgroupBroadcast(ra1, 4u); c12_0 += dot(x12, b0); c12_1 += dot(x12, b1); c12_2 += dot(x12, b2); c12_3 += dot(x12, b3);
        let x13 = subgroupBroadcast(ra1, 5u); c13_0 += dot(x13, b0); c13_1 += dot(x13, b1); c13_2 += dot(x13, b2); c13_3 += dot(x13, b3);
        let x14 = subgroupBroadcast(ra1, 6u); c14_0 += dot(x14, b0); c14_1 += dot(x14, b1); c14_2 += dot(x14, b2); c14_3 += dot(x14, b3);
        let x15 = subgroupBroadcast(ra1, 7u); c15_0 += dot(x15, b0); c15_1 += dot(x15, b1); c15_2 += dot(x15, b2); c15_3 += dot(x15, b3);
        let x16 = subgroupBroadcast(ra2, 0u); c16_0 += dot(x16, b0); c16_1 += dot(x16, b1); c16_2 += dot(x16, b2); c16_3 += dot(x16, b3);
        let x17 = subgroupBroadcast(ra2, 1u); c17_0 += dot(x17, b0); c17_1 += dot(x17, b1); c17_2 += dot(x17, b2); c17_3 += dot(x17, b3);
        let x18 = subgroupBroadcast(ra2, 2u); c18_0 += dot(x18, b0); c18_1 += dot(x18, b1); c18_2 += dot(x18, b2); c18_3 += dot(x18, b3);
        let x19 = subgroupBroadcast(ra2, 3u); c19_0 += dot(x19, b0); c19_1 += dot(x19, b1); c19_2 += dot(x19, b2); c19_3 += dot(x19, b3);
        let x20 = subgroupBroadcast(ra2, 4u); c20_0 += dot(x20, b0); c20_1 += dot(x20, b1); c20_2 += dot(x20, b2); c20_3 += dot(x20, b3);
        let x21 = subgroupBroadcast(ra2, 5u); c21_0 += dot(x21, b0); c21_1 += dot(x21, b1); c21_2 += dot(x21, b2); c21_3 += dot(x21, b3);
        let x22 = subgroupBroadcast(ra2, 6u); c22_0 += dot(x22, b0); c22_1 += dot(x22, b1); c22_2 += dot(x22, b2); c22_3 += dot(x22, b3);
        let x23 = subgroupBroadcast(ra2, 7u); c23_0 += dot(x23, b0); c23_1 += dot(x23, b1); c23_2 += dot(x23, b2); c23_3 += dot(x23, b3);
        let x24 = subgroupBroadcast(ra3, 0u); c24_0 += dot(x24, b0); c24_1 += dot(x24, b1); c24_2 += dot(x24, b2); c24_3 += dot(x24, b3);
        let x25 = subgroupBroadcast(ra3, 1u); c25_0 += dot(x25, b0); c25_1 += dot(x25, b1); c25_2 += dot(x25, b2); c25_3 += dot(x25, b3);
        let x26 = subgroupBroadcast(ra3, 2u); c26_0 += dot(x26, b0); c26_1 += dot(x26, b1); c26_2 += dot(x26, b2); c26_3 += dot(x26, b3);
        let x27 = subgroupBroadcast(ra3, 3u); c27_0 += dot(x27, b0); c27_1 += dot(x27, b1); c27_2 += dot(x27, b2); c27_3 += dot(x27, b3);
        let x28 = subgroupBroadcast(ra3, 4u); c28_0 += dot(x28, b0); c28_1 += dot(x28, b1); c28_2 += dot(x28, b2); c28_3 += dot(x28, b3);
        let x29 = subgroupBroadcast(ra3, 5u); c29_0 += dot(x29, b0); c29_1 += dot(x29, b1); c29_2 += dot(x29, b2); c29_3 += dot(x29, b3);
        let x30 = subgroupBroadcast(ra3, 6u); c30_0 += dot(x30, b0); c30_1 += dot(x30, b1); c30_2 += dot(x30, b2); c30_3 += dot(x30, b3);
        let x31 = subgroupBroadcast(ra3, 7u); c31_0 += dot(x31, b0); c31_1 += dot(x31, b1); c31_2 += dot(x31, b2); c31_3 += dot(x31, b3);
    }
    let col0 = n0 + 0u < p.n;
    let col1 = n0 + 8u < p.n;
    let col2 = n0 + 16u < p.n;
    let col3 = n0 + 24u < p.n;
    if (m0 + 0u < p.m) { if (col0) { finish(m0 + 0u, n0 + 0u, c0_0); } if (col1) { finish(m0 + 0u, n0 + 8u, c0_1); } if (col2) { finish(m0 + 0u, n0 + 16u, c0_2); } if (col3) { finish(m0 + 0u, n0 + 24u, c0_3); } }
    if (m0 + 1u < p.m) { if (col0) { finish(m0 + 1u, n0 + 0u, c1_0); } if (col1) { finish(m0 + 1u, n0 + 8u, c1_1); } if (col2) { finish(m0 + 1u, n0 + 16u, c1_2); } if (col3) { finish(m0 + 1u, n0 + 24u, c1_3); } }
    if (m0 + 2u < p.m) { if (col0) { finish(m0 + 2u, n0 + 0u, c2_0); } if (col1) { finish(m0 + 2u, n0 + 8u, c2_1); } if (col2) { finish(m0 + 2u, n0 + 16u, c2_2); } if (col3) { finish(m0 + 2u, n0 + 24u, c2_3); } }
    if (m0 + 3u < p.m) { if (col0) { finish(m0 + 3u, n0 + 0u, c3_0); } if (col1) { finish(m0 + 3u, n0 + 8u, c3_1); } if (col2) { finish(m0 + 3u, n0 + 16u, c3_2); } if (col3) { finish(m0 + 3u, n0 + 24u, c3_3); } }
    if (m0 + 4u < p.m) { if (col0) { finish(m0 + 4u, n0 + 0u, c4_0); } if (col1) { finish(m0 + 4u, n0 + 8u, c4_1); } if (col2) { finish(m0 + 4u, n0 + 16u, c4_2); } if (col3) { finish(m0 + 4u, n0 + 24u, c4_3); } }
    if (m0 + 5u < p.m) { if (col0) { finish(m0 + 5u, n0 + 0u, c5_0); } if (col1) { finish(m0 + 5u, n0 + 8u, c5_1); } if (col2) { finish(m0 + 5u, n0 + 16u, c5_2); } if (col3) { finish(m0 + 5u, n0 + 24u, c5_3); } }
    if (m0 + 6u < p.m) { if (col0) { finish(m0 + 6u, n0 + 0u, c6_0); } if (col1) { finish(m0 + 6u, n0 + 8u, c6_1); } if (col2) { finish(m0 + 6u, n0 + 16u, c6_2); } if (col3) { finish(m0 + 6u, n0 + 24u, c6_3); } }
    if (m0 + 7u < p.m) { if (col0) { finish(m0 + 7u, n0 + 0u, c7_0); } if (col1) { finish(m0 + 7u, n0 + 8u, c7_1); } if (col2) { finish(m0 + 7u, n0 + 16u, c7_2); } if (col3) { finish(m0 + 7u, n0 + 24u, c7_3); } }
    if (m0 + 8u < p.m) { if (col0) { finish(m0 + 8u, n0 + 0u, c8_0); } if (col1) { finish(m0 + 8u, n0 + 8u, c8_1); } if (col2) { finish(m0 + 8u, n0 + 16u, c8_2); } if (col3) { finish(m0 + 8u, n0 + 24u, c8_3); } }
    if (m0 + 9u < p.m) { if (col0) { finish(m0 + 9u, n0 + 0u, c9_0); } if (col1) { finish(m0 + 9u, n0 + 8u, c9_1); } if (col2) { finish(m0 + 9u, n0 + 16u, c9_2); } if (col3) { finish(m0 + 9u, n0 + 24u, c9_3); } }
    if (m0 + 10u < p.m) { if (col0) { finish(m0 + 10u, n0 + 0u, c10_0); } if (col1) { finish(m0 + 10u, n0 + 8u, c10_1); } if (col2) { finish(m0 + 10u, n0 + 16u, c10_2); } if (col3) { finish(m0 + 10u, n0 + 24u, c10_3); } }
    if (m0 + 11u < p.m) { if (col0) { finish(m0 + 11u, n0 + 0u, c11_0); } if (col1) { finish(m0 + 11u, n0 + 8u, c11_1); } if (col2) { finish(m0 + 11u, n0 + 16u, c11_2); } if (col3) { finish(m0 + 11u, n0 + 24u, c11_3); } }
    if (m0 + 12u < p.m) { if (col0) { finish(m0 + 12u, n0 + 0u, c12_0); } if (col1) { finish(m0 + 12u, n0 + 8u, c12_1); } if (col2) { finish(m0 + 12u, n0 + 16u, c12_2); } if (col3) { finish(m0 + 12u, n0 + 24u, c12_3); } }
    if (m0 + 13u < p.m) { if (col0) { finish(m0 + 13u, n0 + 0u, c13_0); } if (col1) { finish(m0 + 13u, n0 + 8u, c13_1); } if (col2) { finish(m0 + 13u, n0 + 16u, c13_2); } if (col3) { finish(m0 + 13u, n0 + 24u, c13_3); } }
    if (m0 + 14u < p.m) { if (col0) { finish(m0 + 14u, n0 + 0u, c14_0); } if (col1) { finish(m0 + 14u, n0 + 8u, c14_1); } if (col2) { finish(m0 + 14u, n0 + 16u, c14_2); } if (col3) { finish(m0 + 14u, n0 + 24u, c14_3); } }
    if (m0 + 15u < p.m) { if (col0) { finish(m0 + 15u, n0 + 0u, c15_0); } if (col1) { finish(m0 + 15u, n0 + 8u, c15_1); } if (col2) { finish(m0 + 15u, n0 + 16u, c15_2); } if (col3) { finish(m0 + 15u, n0 + 24u, c15_3); } }
    if (m0 + 16u < p.m) { if (col0) { finish(m0 + 16u, n0 + 0u, c16_0); } if (col1) { finish(m0 + 16u, n0 + 8u, c16_1); } if (col2) { finish(m0 + 16u, n0 + 16u, c16_2); } if (col3) { finish(m0 + 16u, n0 + 24u, c16_3); } }
    if (m0 + 17u < p.m) { if (col0) { finish(m0 + 17u, n0 + 0u, c17_0); } if (col1) { finish(m0 + 17u, n0 + 8u, c17_1); } if (col2) { finish(m0 + 17u, n0 + 16u, c17_2); } if (col3) { finish(m0 + 17u, n0 + 24u, c17_3); } }
    if (m0 + 18u < p.m) { if (col0) { finish(m0 + 18u, n0 + 0u, c18_0); } if (col1) { finish(m0 + 18u, n0 + 8u, c18_1); } if (col2) { finish(m0 + 18u, n0 + 16u, c18_2); } if (col3) { finish(m0 + 18u, n0 + 24u, c18_3); } }
    if (m0 + 19u < p.m) { if (col0) { finish(m0 + 19u, n0 + 0u, c19_0); } if (col1) { finish(m0 + 19u, n0 + 8u, c19_1); } if (col2) { finish(m0 + 19u, n0 + 16u, c19_2); } if (col3) { finish(m0 + 19u, n0 + 24u, c19_3); } }
    if (m0 + 20u < p.m) { if (col0) { finish(m0 + 20u, n0 + 0u, c20_0); } if (col1) { finish(m0 + 20u, n0 + 8u, c20_1); } if (col2) { finish(m0 + 20u, n0 + 16u, c20_2); } if (col3) { finish(m0 + 20u, n0 + 24u, c20_3); } }
    if (m0 + 21u < p.m) { if (col0) { finish(m0 + 21u, n0 + 0u, c21_0); } if (col1) { finish(m0 + 21u, n0 + 8u, c21_1); } if (col2) { finish(m0 + 21u, n0 + 16u, c21_2); } if (col3) { finish(m0 + 21u, n0 + 24u, c21_3); } }
    if (m0 + 22u < p.m) { if (col0) { finish(m0 + 22u, n0 + 0u, c22_0); } if (col1) { finish(m0 + 22u, n0 + 8u, c22_1); } if (col2) { finish(m0 + 22u, n0 + 16u, c22_2); } if (col3) { finish(m0 + 22u, n0 + 24u, c22_3); } }
    if (m0 + 23u < p.m) { if (col0) { finish(m0 + 23u, n0 + 0u, c23_0); } if (col1) { finish(m0 + 23u, n0 + 8u, c23_1); } if (col2) { finish(m0 + 23u, n0 + 16u, c23_2); } if (col3) { finish(m0 + 23u, n0 + 24u, c23_3); } }
    if (m0 + 24u < p.m) { if (col0) { finish(m0 + 24u, n0 + 0u, c24_0); } if (col1) { finish(m0 + 24u, n0 + 8u, c24_1); } if (col2) { finish(m0 + 24u, n0 + 16u, c24_2); } if (col3) { finish(m0 + 24u, n0 + 24u, c24_3); } }
    if (m0 + 25u < p.m) { if (col0) { finish(m0 + 25u, n0 + 0u, c25_0); } if (col1) { finish(m0 + 25u, n0 + 8u, c25_1); } if (col2) { finish(m0 + 25u, n0 + 16u, c25_2); } if (col3) { finish(m0 + 25u, n0 + 24u, c25_3); } }
    if (m0 + 26u < p.m) { if (col0) { finish(m0 + 26u, n0 + 0u, c26_0); } if (col1) { finish(m0 + 26u, n0 + 8u, c26_1); } if (col2) { finish(m0 + 26u, n0 + 16u, c26_2); } if (col3) { finish(m0 + 26u, n0 + 24u, c26_3); } }
    if (m0 + 27u < p.m) { if (col0) { finish(m0 + 27u, n0 + 0u, c27_0); } if (col1) { finish(m0 + 27u, n0 + 8u, c27_1); } if (col2) { finish(m0 + 27u, n0 + 16u, c27_2); } if (col3) { finish(m0 + 27u, n0 + 24u, c27_3); } }
    if (m0 + 28u < p.m) { if (col0) { finish(m0 + 28u, n0 + 0u, c28_0); } if (col1) { finish(m0 + 28u, n0 + 8u, c28_1); } if (col2) { finish(m0 + 28u, n0 + 16u, c28_2); } if (col3) { finish(m0 + 28u, n0 + 24u, c28_3); } }
    if (m0 + 29u < p.m) { if (col0) { finish(m0 + 29u, n0 + 0u, c29_0); } if (col1) { finish(m0 + 29u, n0 + 8u, c29_1); } if (col2) { finish(m0 + 29u, n0 + 16u, c29_2); } if (col3) { finish(m0 + 29u, n0 + 24u, c29_3); } }
    if (m0 + 30u < p.m) { if (col0) { finish(m0 + 30u, n0 + 0u, c30_0); } if (col1) { finish(m0 + 30u, n0 + 8u, c30_1); } if (col2) { finish(m0 + 30u, n0 + 16u, c30_2); } if (col3) { finish(m0 + 30u, n0 + 24u, c30_3); } }
    if (m0 + 31u < p.m) { if (col0) { finish(m0 + 31u, n0 + 0u, c31_0); } if (col1) { finish(m0 + 31u, n0 + 8u, c31_1); } if (col2) { finish(m0 + 31u, n0 + 16u, c31_2); } if (col3) { finish(m0 + 31u, n0 + 24u, c31_3); } }
}
// END GENERATED matmul_subgroup_nt
// BEGIN GENERATED matmul_subgroup_nn4
// Generated by tools/gen_shaders.py: NN_M = 32, NN_N4 = 1, 8 lanes.
@compute @workgroup_size(8)
fn matmul_subgroup_nn4(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let lane = lid.x;
    let m0 = wg.y * 32u;
    let n0 = wg.x * 32u + 4u * lane;
    let last_m = p.m - 1u;
    let last_n4 = p.n - 4u;
    let ar0 = (p.a_off + min(m0 + lane + 0u, last_m) * p.a_rs) / 4u;
    let ar1 = (p.a_off + min(m0 + lane + 8u, last_m) * p.a_rs) / 4u;
    let ar2 = (p.a_off + min(m0 + lane + 16u, last_m) * p.a_rs) / 4u;
    let ar3 = (p.a_off + min(m0 + lane + 24u, last_m) * p.a_rs) / 4u;
    let bc0 = min(n0 + 0u, last_n4) / 4u;
    var c0_0 = vec4<f32>();
    var c1_0 = vec4<f32>();
    var c2_0 = vec4<f32>();
    var c3_0 = vec4<f32>();
    var c4_0 = vec4<f32>();
    var c5_0 = vec4<f32>();
    var c6_0 = vec4<f32>();
    var c7_0 = vec4<f32>();
    var c8_0 = vec4<f32>();
    var c9_0 = vec4<f32>();
    var c10_0 = vec4<f32>();
    var c11_0 = vec4<f32>();
    var c12_0 = vec4<f32>();
    var c13_0 = vec4<f32>();
    var c14_0 = vec4<f32>();
    var c15_0 = vec4<f32>();
    var c16_0 = vec4<f32>();
    var c17_0 = vec4<f32>();
    var c18_0 = vec4<f32>();
    var c19_0 = vec4<f32>();
    var c20_0 = vec4<f32>();
    var c21_0 = vec4<f32>();
    var c22_0 = vec4<f32>();
    var c23_0 = vec4<f32>();
    var c24_0 = vec4<f32>();
    var c25_0 = vec4<f32>();
    var c26_0 = vec4<f32>();
    var c27_0 = vec4<f32>();
    var c28_0 = vec4<f32>();
    var c29_0 = vec4<f32>();
    var c30_0 = vec4<f32>();
    var c31_0 = vec4<f32>();
    let k4 = p.k / 4u;
    for (var k = 0u; k < k4; k++) {
        let ra0 = a4[ar0 + k]; let ra1 = a4[ar1 + k]; let ra2 = a4[ar2 + k]; let ra3 = a4[ar3 + k];
        let x0 = subgroupBroadcast(ra0, 0u);
        let x1 = subgroupBroadcast(ra0, 1u);
        let x2 = subgroupBroadcast(ra0, 2u);
        let x3 = subgroupBroadcast(ra0, 3u);
        let x4 = subgroupBroadcast(ra0, 4u);
        let x5 = subgroupBroadcast(ra0, 5u);
        let x6 = subgroupBroadcast(ra0, 6u);
        let x7 = subgroupBroadcast(ra0, 7u);
        let x8 = subgroupBroadcast(ra1, 0u);
        let x9 = subgroupBroadcast(ra1, 1u);
        let x10 = subgroupBroadcast(ra1, 2u);
        let x11 = subgroupBroadcast(ra1, 3u);
        let x12 = subgroupBroadcast(ra1, 4u);
        let x13 = subgroupBroadcast(ra1, 5u);
        let x14 = subgroupBroadcast(ra1, 6u);
        let x15 = subgroupBroadcast(ra1, 7u);
        let x16 = subgroupBroadcast(ra2, 0u);
        let x17 = subgroupBroadcast(ra2, 1u);
        let x18 = subgroupBroadcast(ra2, 2u);
        let x19 = subgroupBroadcast(ra2, 3u);
        let x20 = subgroupBroadcast(ra2, 4u);
        let x21 = subgroupBroadcast(ra2, 5u);
        let x22 = subgroupBroadcast(ra2, 6u);
        let x23 = subgroupBroadcast(ra2, 7u);
        let x24 = subgroupBroadcast(ra3, 0u);
        let x25 = subgroupBroadcast(ra3, 1u);
        let x26 = subgroupBroadcast(ra3, 2u);
        let x27 = subgroupBroadcast(ra3, 3u);
        let x28 = subgroupBroadcast(ra3, 4u);
        let x29 = subgroupBroadcast(ra3, 5u);
        let x30 = subgroupBroadcast(ra3, 6u);
        let x31 = subgroupBroadcast(ra3, 7u);
        let bk0 = (4u * k + 0u) * p.b_rs / 4u;
        let b0_0 = load_b4(bk0 + bc0);
        c0_0 += x0.x * b0_0;
        c1_0 += x1.x * b0_0;
        c2_0 += x2.x * b0_0;
        c3_0 += x3.x * b0_0;
        c4_0 += x4.x * b0_0;
        c5_0 += x5.x * b0_0;
        c6_0 += x6.x * b0_0;
        c7_0 += x7.x * b0_0;
        c8_0 += x8.x * b0_0;
        c9_0 += x9.x * b0_0;
        c10_0 += x10.x * b0_0;
        c11_0 += x11.x * b0_0;
        c12_0 += x12.x * b0_0;
        c13_0 += x13.x * b0_0;
        c14_0 += x14.x * b0_0;
        c15_0 += x15.x * b0_0;
        c16_0 += x16.x * b0_0;
        c17_0 += x17.x * b0_0;
        c18_0 += x18.x * b0_0;
        c19_0 += x19.x * b0_0;
        c20_0 += x20.x * b0_0;
        c21_0 += x21.x * b0_0;
        c22_0 += x22.x * b0_0;
        c23_0 += x23.x * b0_0;
        c24_0 += x24.x * b0_0;
        c25_0 += x25.x * b0_0;
        c26_0 += x26.x * b0_0;
        c27_0 += x27.x * b0_0;
        c28_0 += x28.x * b0_0;
        c29_0 += x29.x * b0_0;
        c30_0 += x30.x * b0_0;
        c31_0 += x31.x * b0_0;
        let bk1 = (4u * k + 1u) * p.b_rs / 4u;
        let b0_1 = load_b4(bk1 + bc0);
        c0_0 += x0.y * b0_1;
        c1_0 += x1.y * b0_1;
        c2_0 += x2.y * b0_1;
        c3_0 += x3.y * b0_1;
        c4_0 += x4.y * b0_1;
        c5_0 += x5.y * b0_1;
        c6_0 += x6.y * b0_1;
        c7_0 += x7.y * b0_1;
        c8_0 += x8.y * b0_1;
        c9_0 += x9.y * b0_1;
        c10_0 += x10.y * b0_1;
        c11_0 += x11.y * b0_1;
        c12_0 += x12.y * b0_1;
        c13_0 += x13.y * b0_1;
        c14_0 += x14.y * b0_1;
        c15_0 += x15.y * b0_1;
        c16_0 += x16.y * b0_1;
        c17_0 += x17.y * b0_1;
        c18_0 += x18.y * b0_1;
        c19_0 += x19.y * b0_1;
        c20_0 += x20.y * b0_1;
        c21_0 += x21.y * b0_1;
        c22_0 += x22.y * b0_1;
        c23_0 += x23.y * b0_1;
        c24_0 += x24.y * b0_1;
        c25_0 += x25.y * b0_1;
        c26_0 += x26.y * b0_1;
        c27_0 += x27.y * b0_1;
        c28_0 += x28.y * b0_1;
        c29_0 += x29.y * b0_1;
        c30_0 += x30.y * b0_1;
        c31_0 += x31.y * b0_1;
        let bk2 = (4u * k + 2u) * p.b_rs / 4u;
        let b0_2 = load_b4(bk2 + bc0);
        c0_0 += x0.z * b0_2;
        c1_0 += x1.z * b0_2;
        c2_0 += x2.z * b0_2;
        c3_0 += x3.z * b0_2;
        c4_0 += x4.z * b0_2;
        c5_0 += x5.z * b0_2;
        c6_0 += x6.z * b0_2;
        c7_0 += x7.z * b0_2;
        c8_0 += x8.z * b0_2;
        c9_0 += x9.z * b0_2;
        c10_0 += x10.z * b0_2;
        c11_0 += x11.z * b0_2;
        c12_0 += x12.z * b0_2;
        c13_0 += x13.z * b0_2;
        c14_0 += x14.z * b0_2;
        c15_0 += x15.z * b0_2;
        c16_0 += x16.z * b0_2;
        c17_0 += x17.z * b0_2;
        c18_0 += x18.z * b0_2;
        c19_0 += x19.z * b0_2;
        c20_0 += x20.z * b0_2;
        c21_0 += x21.z * b0_2;
        c22_0 += x22.z * b0_2;
        c23_0 += x23.z * b0_2;
        c24_0 += x24.z * b0_2;
        c25_0 += x25.z * b0_2;
        c26_0 += x26.z * b0_2;
        c27_0 += x27.z * b0_2;
        c28_0 += x28.z * b0_2;
        c29_0 += x29.z * b0_2;
        c30_0 += x30.z * b0_2;
        c31_0 += x31.z * b0_2;
        let bk3 = (4u * k + 3u) * p.b_rs / 4u;
        let b0_3 = load_b4(bk3 + bc0);
        c0_0 += x0.w * b0_3;
        c1_0 += x1.w * b0_3;
        c2_0 += x2.w * b0_3;
        c3_0 += x3.w * b0_3;
        c4_0 += x4.w * b0_3;
        c5_0 += x5.w * b0_3;
        c6_0 += x6.w * b0_3;
        c7_0 += x7.w * b0_3;
        c8_0 += x8.w * b0_3;
        c9_0 += x9.w * b0_3;
        c10_0 += x10.w * b0_3;
        c11_0 += x11.w * b0_3;
        c12_0 += x12.w * b0_3;
        c13_0 += x13.w * b0_3;
        c14_0 += x14.w * b0_3;
        c15_0 += x15.w * b0_3;
        c16_0 += x16.w * b0_3;
        c17_0 += x17.w * b0_3;
        c18_0 += x18.w * b0_3;
        c19_0 += x19.w * b0_3;
        c20_0 += x20.w * b0_3;
        c21_0 += x21.w * b0_3;
        c22_0 += x22.w * b0_3;
        c23_0 += x23.w * b0_3;
        c24_0 += x24.w * b0_3;
        c25_0 += x25.w * b0_3;
        c26_0 += x26.w * b0_3;
        c27_0 += x27.w * b0_3;
        c28_0 += x28.w * b0_3;
        c29_0 += x29.w * b0_3;
        c30_0 += x30.w * b0_3;
        c31_0 += x31.w * b0_3;
    }
    // K not a multiple of 4: the last vec4 of each row holds 1-3 valid values (the rest
    // is the row's padding, read but not used).
    let tail = p.k - 4u * k4;
    if (tail > 0u) {
        let ra0 = a4[ar0 + k4]; let ra1 = a4[ar1 + k4]; let ra2 = a4[ar2 + k4]; let ra3 = a4[ar3 + k4];
        let x0 = subgroupBroadcast(ra0, 0u);
        let x1 = subgroupBroadcast(ra0, 1u);
        let x2 = subgroupBroadcast(ra0, 2u);
        let x3 = subgroupBroadcast(ra0, 3u);
        let x4 = subgroupBroadcast(ra0, 4u);
        let x5 = subgroupBroadcast(ra0, 5u);
        let x6 = subgroupBroadcast(ra0, 6u);
        let x7 = subgroupBroadcast(ra0, 7u);
        let x8 = subgroupBroadcast(ra1, 0u);
        let x9 = subgroupBroadcast(ra1, 1u);
        let x10 = subgroupBroadcast(ra1, 2u);
        let x11 = subgroupBroadcast(ra1, 3u);
        let x12 = subgroupBroadcast(ra1, 4u);
        let x13 = subgroupBroadcast(ra1, 5u);
        let x14 = subgroupBroadcast(ra1, 6u);
        let x15 = subgroupBroadcast(ra1, 7u);
        let x16 = subgroupBroadcast(ra2, 0u);
        let x17 = subgroupBroadcast(ra2, 1u);
        let x18 = subgroupBroadcast(ra2, 2u);
        let x19 = subgroupBroadcast(ra2, 3u);
        let x20 = subgroupBroadcast(ra2, 4u);
        let x21 = subgroupBroadcast(ra2, 5u);
        let x22 = subgroupBroadcast(ra2, 6u);
        let x23 = subgroupBroadcast(ra2, 7u);
        let x24 = subgroupBroadcast(ra3, 0u);
        let x25 = subgroupBroadcast(ra3, 1u);
        let x26 = subgroupBroadcast(ra3, 2u);
        let x27 = subgroupBroadcast(ra3, 3u);
        let x28 = subgroupBroadcast(ra3, 4u);
        let x29 = subgroupBroadcast(ra3, 5u);
        let x30 = subgroupBroadcast(ra3, 6u);
        let x31 = subgroupBroadcast(ra3, 7u);
        let bk0 = (4u * k4 + 0u) * p.b_rs / 4u;
        let b0_0 = load_b4(bk0 + bc0);
        c0_0 += x0.x * b0_0;
        c1_0 += x1.x * b0_0;
        c2_0 += x2.x * b0_0;
        c3_0 += x3.x * b0_0;
        c4_0 += x4.x * b0_0;
        c5_0 += x5.x * b0_0;
        c6_0 += x6.x * b0_0;
        c7_0 += x7.x * b0_0;
        c8_0 += x8.x * b0_0;
        c9_0 += x9.x * b0_0;
        c10_0 += x10.x * b0_0;
        c11_0 += x11.x * b0_0;
        c12_0 += x12.x * b0_0;
        c13_0 += x13.x * b0_0;
        c14_0 += x14.x * b0_0;
        c15_0 += x15.x * b0_0;
        c16_0 += x16.x * b0_0;
        c17_0 += x17.x * b0_0;
        c18_0 += x18.x * b0_0;
        c19_0 += x19.x * b0_0;
        c20_0 += x20.x * b0_0;
        c21_0 += x21.x * b0_0;
        c22_0 += x22.x * b0_0;
        c23_0 += x23.x * b0_0;
        c24_0 += x24.x * b0_0;
        c25_0 += x25.x * b0_0;
        c26_0 += x26.x * b0_0;
        c27_0 += x27.x * b0_0;
        c28_0 += x28.x * b0_0;
        c29_0 += x29.x * b0_0;
        c30_0 += x30.x * b0_0;
        c31_0 += x31.x * b0_0;
        if (tail > 1u) {
            let bk1 = (4u * k4 + 1u) * p.b_rs / 4u;
            let b0_1 = load_b4(bk1 + bc0);
            c0_0 += x0.y * b0_1;
            c1_0 += x1.y * b0_1;
            c2_0 += x2.y * b0_1;
            c3_0 += x3.y * b0_1;
            c4_0 += x4.y * b0_1;
            c5_0 += x5.y * b0_1;
            c6_0 += x6.y * b0_1;
            c7_0 += x7.y * b0_1;
            c8_0 += x8.y * b0_1;
            c9_0 += x9.y * b0_1;
            c10_0 += x10.y * b0_1;
            c11_0 += x11.y * b0_1;
            c12_0 += x12.y * b0_1;
            c13_0 += x13.y * b0_1;
            c14_0 += x14.y * b0_1;
            c15_0 += x15.y * b0_1;
            c16_0 += x16.y * b0_1;
            c17_0 += x17.y * b0_1;
            c18_0 += x18.y * b0_1;
            c19_0 += x19.y * b0_1;
            c20_0 += x20.y * b0_1;
            c21_0 += x21.y * b0_1;
            c22_0 += x22.y * b0_1;
            c23_0 += x23.y * b0_1;
            c24_0 += x24.y * b0_1;
            c25_0 += x25.y * b0_1;
            c26_0 += x26.y * b0_1;
            c27_0 += x27.y * b0_1;
            c28_0 += x28.y * b0_1;
            c29_0 += x29.y * b0_1;
            c30_0 += x30.y * b0_1;
            c31_0 += x31.y * b0_1;
        }
        if (tail > 2u) {
            let bk2 = (4u * k4 + 2u) * p.b_rs / 4u;
            let b0_2 = load_b4(bk2 + bc0);
            c0_0 += x0.z * b0_2;
            c1_0 += x1.z * b0_2;
            c2_0 += x2.z * b0_2;
            c3_0 += x3.z * b0_2;
            c4_0 += x4.z * b0_2;
            c5_0 += x5.z * b0_2;
            c6_0 += x6.z * b0_2;
            c7_0 += x7.z * b0_2;
            c8_0 += x8.z * b0_2;
            c9_0 += x9.z * b0_2;
            c10_0 += x10.z * b0_2;
            c11_0 += x11.z * b0_2;
            c12_0 += x12.z * b0_2;
            c13_0 += x13.z * b0_2;
            c14_0 += x14.z * b0_2;
            c15_0 += x15.z * b0_2;
            c16_0 += x16.z * b0_2;
            c17_0 += x17.z * b0_2;
            c18_0 += x18.z * b0_2;
            c19_0 += x19.z * b0_2;
            c20_0 += x20.z * b0_2;
            c21_0 += x21.z * b0_2;
            c22_0 += x22.z * b0_2;
            c23_0 += x23.z * b0_2;
            c24_0 += x24.z * b0_2;
            c25_0 += x25.z * b0_2;
            c26_0 += x26.z * b0_2;
            c27_0 += x27.z * b0_2;
            c28_0 += x28.z * b0_2;
            c29_0 += x29.z * b0_2;
            c30_0 += x30.z * b0_2;
            c31_0 += x31.z * b0_2;
        }
    }
    let col0 = n0 + 0u < p.n;
    if (m0 + 0u < p.m) { if (col0) { finish4(m0 + 0u, n0 + 0u, c0_0); } }
    if (m0 + 1u < p.m) { if (col0) { finish4(m0 + 1u, n0 + 0u, c1_0); } }
    if (m0 + 2u < p.m) { if (col0) { finish4(m0 + 2u, n0 + 0u, c2_0); } }
    if (m0 + 3u < p.m) { if (col0) { finish4(m0 + 3u, n0 + 0u, c3_0); } }
    if (m0 + 4u < p.m) { if (col0) { finish4(m0 + 4u, n0 + 0u, c4_0); } }
    if (m0 + 5u < p.m) { if (col0) { finish4(m0 + 5u, n0 + 0u, c5_0); } }
    if (m0 + 6u < p.m) { if (col0) { finish4(m0 + 6u, n0 + 0u, c6_0); } }
    if (m0 + 7u < p.m) { if (col0) { finish4(m0 + 7u, n0 + 0u, c7_0); } }
    if (m0 + 8u < p.m) { if (col0) { finish4(m0 + 8u, n0 + 0u, c8_0); } }
    if (m0 + 9u < p.m) { if (col0) { finish4(m0 + 9u, n0 + 0u, c9_0); } }
    if (m0 + 10u < p.m) { if (col0) { finish4(m0 + 10u, n0 + 0u, c10_0); } }
    if (m0 + 11u < p.m) { if (col0) { finish4(m0 + 11u, n0 + 0u, c11_0); } }
    if (m0 + 12u < p.m) { if (col0) { finish4(m0 + 12u, n0 + 0u, c12_0); } }
    if (m0 + 13u < p.m) { if (col0) { finish4(m0 + 13u, n0 + 0u, c13_0); } }
    if (m0 + 14u < p.m) { if (col0) { finish4(m0 + 14u, n0 + 0u, c14_0); } }
    if (m0 + 15u < p.m) { if (col0) { finish4(m0 + 15u, n0 + 0u, c15_0); } }
    if (m0 + 16u < p.m) { if (col0) { finish4(m0 + 16u, n0 + 0u, c16_0); } }
    if (m0 + 17u < p.m) { if (col0) { finish4(m0 + 17u, n0 + 0u, c17_0); } }
    if (m0 + 18u < p.m) { if (col0) { finish4(m0 + 18u, n0 + 0u, c18_0); } }
    if (m0 + 19u < p.m) { if (col0) { finish4(m0 + 19u, n0 + 0u, c19_0); } }
    if (m0 + 20u < p.m) { if (col0) { finish4(m0 + 20u, n0 + 0u, c20_0); } }
    if (m0 + 21u < p.m) { if (col0) { finish4(m0 + 21u, n0 + 0u, c21_0); } }
    if (m0 + 22u < p.m) { if (col0) { finish4(m0 + 22u, n0 + 0u, c22_0); } }
    if (m0 + 23u < p.m) { if (col0) { finish4(m0 + 23u, n0 + 0u, c23_0); } }
    if (m0 + 24u < p.m) { if (col0) { finish4(m0 + 24u, n0 + 0u, c24_0); } }
    if (m0 + 25u < p.m) { if (col0) { finish4(m0 + 25u, n0 + 0u, c25_0); } }
    if (m0 + 26u < p.m) { if (col0) { finish4(m0 + 26u, n0 + 0u, c26_0); } }
    if (m0 + 27u < p.m) { if (col0) { finish4(m0 + 27u, n0 + 0u, c27_0); } }
    if (m0 + 28u < p.m) { if (col0) { finish4(m0 + 28u, n0 + 0u, c28_0); } }
    if (m0 + 29u < p.m) { if (col0) { finish4(m0 + 29u, n0 + 0u, c29_0); } }
    if (m0 + 30u < p.m) { if (col0) { finish4(m0 + 30u, n0 + 0u, c30_0); } }
    if (m0 + 31u < p.m) { if (col0) { finish4(m0 + 31u, n0 + 0u, c31_0); } }
}
// END GENERATED matmul_subgroup_nn4
// The same two kernels with 64 x 64 tiles (Variant::SubgroupWide): four times the outputs per
// value loaded, for adapters where a load costs far more than a multiply-add (lavapipe on CPUs
// without AVX-512; tools/gen_shaders.py, NT_WIDE_TILE).
// BEGIN GENERATED matmul_subgroup_nt_wide
// Generated by tools/gen_shaders.py: SG_M = 64, SG_N = 8, 8 lanes.
@compute @workgroup_size(8)
fn matmul_subgroup_nt_wide(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let lane = lid.x;
    let m0 = wg.y * 64u;
    let n0 = wg.x * 64u + lane;
    // No early return: every lane takes part in the broadcasts. Loads clamp instead.
    let last_m = p.m - 1u;
    let last_n = p.n - 1u;
    // This lane loads rows m0 + lane + 8i of A and shares them with the others.
    let ar0 = (p.a_off + min(m0 + lane + 0u, last_m) * p.a_rs) / 4u;
    let ar1 = (p.a_off + min(m0 + lane + 8u, last_m) * p.a_rs) / 4u;
    let ar2 = (p.a_off + min(m0 + lane + 16u, last_m) * p.a_rs) / 4u;
    let ar3 = (p.a_off + min(m0 + lane + 24u, last_m) * p.a_rs) / 4u;
    let ar4 = (p.a_off + min(m0 + lane + 32u, last_m) * p.a_rs) / 4u;
    let ar5 = (p.a_off + min(m0 + lane + 40u, last_m) * p.a_rs) / 4u;
    let ar6 = (p.a_off + min(m0 + lane + 48u, last_m) * p.a_rs) / 4u;
    let ar7 = (p.a_off + min(m0 + lane + 56u, last_m) * p.a_rs) / 4u;
    let bc0 = min(n0 + 0u, last_n) * p.b_cs / 4u;
    let bc1 = min(n0 + 8u, last_n) * p.b_cs / 4u;
    let bc2 = min(n0 + 16u, last_n) * p.b_cs / 4u;
    let bc3 = min(n0 + 24u, last_n) * p.b_cs / 4u;
    let bc4 = min(n0 + 32u, last_n) * p.b_cs / 4u;
    let bc5 = min(n0 + 40u, last_n) * p.b_cs / 4u;
    let bc6 = min(n0 + 48u, last_n) * p.b_cs / 4u;
    let bc7 = min(n0 + 56u, last_n) * p.b_cs / 4u;
    // c{r}_{j}: row m0 + r, column n0 + 8j.
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
    var c16_0 = 0.0; var c16_1 = 0.0; var c16_2 = 0.0; var c16_3 = 0.0; var c16_4 = 0.0; var c16_5 = 0.0; var c16_6 = 0.0; var c16_7 = 0.0;
    var c17_0 = 0.0; var c17_1 = 0.0; var c17_2 = 0.0; var c17_3 = 0.0; var c17_4 = 0.0; var c17_5 = 0.0; var c17_6 = 0.0; var c17_7 = 0.0;
    var c18_0 = 0.0; var c18_1 = 0.0; var c18_2 = 0.0; var c18_3 = 0.0; var c18_4 = 0.0; var c18_5 = 0.0; var c18_6 = 0.0; var c18_7 = 0.0;
    var c19_0 = 0.0; var c19_1 = 0.0; var c19_2 = 0.0; var c19_3 = 0.0; var c19_4 = 0.0; var c19_5 = 0.0; var c19_6 = 0.0; var c19_7 = 0.0;
    var c20_0 = 0.0; var c20_1 = 0.0; var c20_2 = 0.0; var c20_3 = 0.0; var c20_4 = 0.0; var c20_5 = 0.0; var c20_6 = 0.0; var c20_7 = 0.0;
    var c21_0 = 0.0; var c21_1 = 0.0; var c21_2 = 0.0; var c21_3 = 0.0; var c21_4 = 0.0; var c21_5 = 0.0; var c21_6 = 0.0; var c21_7 = 0.0;
    var c22_0 = 0.0; var c22_1 = 0.0; var c22_2 = 0.0; var c22_3 = 0.0; var c22_4 = 0.0; var c22_5 = 0.0; var c22_6 = 0.0; var c22_7 = 0.0;
    var c23_0 = 0.0; var c23_1 = 0.0; var c23_2 = 0.0; var c23_3 = 0.0; var c23_4 = 0.0; var c23_5 = 0.0; var c23_6 = 0.0; var c23_7 = 0.0;
    var c24_0 = 0.0; var c24_1 = 0.0; var c24_2 = 0.0; var c24_3 = 0.0; var c24_4 = 0.0; var c24_5 = 0.0; var c24_6 = 0.0; var c24_7 = 0.0;
    var c25_0 = 0.0; var c25_1 = 0.0; var c25_2 = 0.0; var c25_3 = 0.0; var c25_4 = 0.0; var c25_5 = 0.0; var c25_6 = 0.0; var c25_7 = 0.0;
    var c26_0 = 0.0; var c26_1 = 0.0; var c26_2 = 0.0; var c26_3 = 0.0; var c26_4 = 0.0; var c26_5 = 0.0; var c26_6 = 0.0; var c26_7 = 0.0;
    var c27_0 = 0.0; var c27_1 = 0.0; var c27_2 = 0.0; var c27_3 = 0.0; var c27_4 = 0.0; var c27_5 = 0.0; var c27_6 = 0.0; var c27_7 = 0.0;
    var c28_0 = 0.0; var c28_1 = 0.0; var c28_2 = 0.0; var c28_3 = 0.0; var c28_4 = 0.0; var c28_5 = 0.0; var c28_6 = 0.0; var c28_7 = 0.0;
    var c29_0 = 0.0; var c29_1 = 0.0; var c29_2 = 0.0; var c29_3 = 0.0; var c29_4 = 0.0; var c29_5 = 0.0; var c29_6 = 0.0; var c29_7 = 0.0;
    var c30_0 = 0.0; var c30_1 = 0.0; var c30_2 = 0.0; var c30_3 = 0.0; var c30_4 = 0.0; var c30_5 = 0.0; var c30_6 = 0.0; var c30_7 = 0.0;
    var c31_0 = 0.0; var c31_1 = 0.0; var c31_2 = 0.0; var c31_3 = 0.0; var c31_4 = 0.0; var c31_5 = 0.0; var c31_6 = 0.0; var c31_7 = 0.0;
    var c32_0 = 0.0; var c32_1 = 0.0; var c32_2 = 0.0; var c32_3 = 0.0; var c32_4 = 0.0; var c32_5 = 0.0; var c32_6 = 0.0; var c32_7 = 0.0;
    var c33_0 = 0.0; var c33_1 = 0.0; var c33_2 = 0.0; var c33_3 = 0.0; var c33_4 = 0.0; var c33_5 = 0.0; var c33_6 = 0.0; var c33_7 = 0.0;
    var c34_0 = 0.0; var c34_1 = 0.0; var c34_2 = 0.0; var c34_3 = 0.0; var c34_4 = 0.0; var c34_5 = 0.0; var c34_6 = 0.0; var c34_7 = 0.0;
    var c35_0 = 0.0; var c35_1 = 0.0; var c35_2 = 0.0; var c35_3 = 0.0; var c35_4 = 0.0; var c35_5 = 0.0; var c35_6 = 0.0; var c35_7 = 0.0;
    var c36_0 = 0.0; var c36_1 = 0.0; var c36_2 = 0.0; var c36_3 = 0.0; var c36_4 = 0.0; var c36_5 = 0.0; var c36_6 = 0.0; var c36_7 = 0.0;
    var c37_0 = 0.0; var c37_1 = 0.0; var c37_2 = 0.0; var c37_3 = 0.0; var c37_4 = 0.0; var c37_5 = 0.0; var c37_6 = 0.0; var c37_7 = 0.0;
    var c38_0 = 0.0; var c38_1 = 0.0; var c38_2 = 0.0; var c38_3 = 0.0; var c38_4 = 0.0; var c38_5 = 0.0; var c38_6 = 0.0; var c38_7 = 0.0;
    var c39_0 = 0.0; var c39_1 = 0.0; var c39_2 = 0.0; var c39_3 = 0.0; var c39_4 = 0.0; var c39_5 = 0.0; var c39_6 = 0.0; var c39_7 = 0.0;
    var c40_0 = 0.0; var c40_1 = 0.0; var c40_2 = 0.0; var c40_3 = 0.0; var c40_4 = 0.0; var c40_5 = 0.0; var c40_6 = 0.0; var c40_7 = 0.0;
    var c41_0 = 0.0; var c41_1 = 0.0; var c41_2 = 0.0; var c41_3 = 0.0; var c41_4 = 0.0; var c41_5 = 0.0; var c41_6 = 0.0; var c41_7 = 0.0;
    var c42_0 = 0.0; var c42_1 = 0.0; var c42_2 = 0.0; var c42_3 = 0.0; var c42_4 = 0.0; var c42_5 = 0.0; var c42_6 = 0.0; var c42_7 = 0.0;
    var c43_0 = 0.0; var c43_1 = 0.0; var c43_2 = 0.0; var c43_3 = 0.0; var c43_4 = 0.0; var c43_5 = 0.0; var c43_6 = 0.0; var c43_7 = 0.0;
    var c44_0 = 0.0; var c44_1 = 0.0; var c44_2 = 0.0; var c44_3 = 0.0; var c44_4 = 0.0; var c44_5 = 0.0; var c44_6 = 0.0; var c44_7 = 0.0;
    var c45_0 = 0.0; var c45_1 = 0.0; var c45_2 = 0.0; var c45_3 = 0.0; var c45_4 = 0.0; var c45_5 = 0.0; var c45_6 = 0.0; var c45_7 = 0.0;
    var c46_0 = 0.0; var c46_1 = 0.0; var c46_2 = 0.0; var c46_3 = 0.0; var c46_4 = 0.0; var c46_5 = 0.0; var c46_6 = 0.0; var c46_7 = 0.0;
    var c47_0 = 0.0; var c47_1 = 0.0; var c47_2 = 0.0; var c47_3 = 0.0; var c47_4 = 0.0; var c47_5 = 0.0; var c47_6 = 0.0; var c47_7 = 0.0;
    var c48_0 = 0.0; var c48_1 = 0.0; var c48_2 = 0.0; var c48_3 = 0.0; var c48_4 = 0.0; var c48_5 = 0.0; var c48_6 = 0.0; var c48_7 = 0.0;
    var c49_0 = 0.0; var c49_1 = 0.0; var c49_2 = 0.0; var c49_3 = 0.0; var c49_4 = 0.0; var c49_5 = 0.0; var c49_6 = 0.0; var c49_7 = 0.0;
    var c50_0 = 0.0; var c50_1 = 0.0; var c50_2 = 0.0; var c50_3 = 0.0; var c50_4 = 0.0; var c50_5 = 0.0; var c50_6 = 0.0; var c50_7 = 0.0;
    var c51_0 = 0.0; var c51_1 = 0.0; var c51_2 = 0.0; var c51_3 = 0.0; var c51_4 = 0.0; var c51_5 = 0.0; var c51_6 = 0.0; var c51_7 = 0.0;
    var c52_0 = 0.0; var c52_1 = 0.0; var c52_2 = 0.0; var c52_3 = 0.0; var c52_4 = 0.0; var c52_5 = 0.0; var c52_6 = 0.0; var c52_7 = 0.0;
    var c53_0 = 0.0; var c53_1 = 0.0; var c53_2 = 0.0; var c53_3 = 0.0; var c53_4 = 0.0; var c53_5 = 0.0; var c53_6 = 0.0; var c53_7 = 0.0;
    var c54_0 = 0.0; var c54_1 = 0.0; var c54_2 = 0.0; var c54_3 = 0.0; var c54_4 = 0.0; var c54_5 = 0.0; var c54_6 = 0.0; var c54_7 = 0.0;
    var c55_0 = 0.0; var c55_1 = 0.0; var c55_2 = 0.0; var c55_3 = 0.0; var c55_4 = 0.0; var c55_5 = 0.0; var c55_6 = 0.0; var c55_7 = 0.0;
    var c56_0 = 0.0; var c56_1 = 0.0; var c56_2 = 0.0; var c56_3 = 0.0; var c56_4 = 0.0; var c56_5 = 0.0; var c56_6 = 0.0; var c56_7 = 0.0;
    var c57_0 = 0.0; var c57_1 = 0.0; var c57_2 = 0.0; var c57_3 = 0.0; var c57_4 = 0.0; var c57_5 = 0.0; var c57_6 = 0.0; var c57_7 = 0.0;
    var c58_0 = 0.0; var c58_1 = 0.0; var c58_2 = 0.0; var c58_3 = 0.0; var c58_4 = 0.0; var c58_5 = 0.0; var c58_6 = 0.0; var c58_7 = 0.0;
    var c59_0 = 0.0; var c59_1 = 0.0; var c59_2 = 0.0; var c59_3 = 0.0; var c59_4 = 0.0; var c59_5 = 0.0; var c59_6 = 0.0; var c59_7 = 0.0;
    var c60_0 = 0.0; var c60_1 = 0.0; var c60_2 = 0.0; var c60_3 = 0.0; var c60_4 = 0.0; var c60_5 = 0.0; var c60_6 = 0.0; var c60_7 = 0.0;
    var c61_0 = 0.0; var c61_1 = 0.0; var c61_2 = 0.0; var c61_3 = 0.0; var c61_4 = 0.0; var c61_5 = 0.0; var c61_6 = 0.0; var c61_7 = 0.0;
    var c62_0 = 0.0; var c62_1 = 0.0; var c62_2 = 0.0; var c62_3 = 0.0; var c62_4 = 0.0; var c62_5 = 0.0; var c62_6 = 0.0; var c62_7 = 0.0;
    var c63_0 = 0.0; var c63_1 = 0.0; var c63_2 = 0.0; var c63_3 = 0.0; var c63_4 = 0.0; var c63_5 = 0.0; var c63_6 = 0.0; var c63_7 = 0.0;
    for (var k = 0u; k < p.k / 4u; k++) {
        let b0 = load_b4(bc0 + k); let b1 = load_b4(bc1 + k); let b2 = load_b4(bc2 + k); let b3 = load_b4(bc3 + k); let b4 = load_b4(bc4 + k); let b5 = load_b4(bc5 + k); let b6 = load_b4(bc6 + k); let b7 = load_b4(bc7 + k);
        let ra0 = a4[ar0 + k]; let ra1 = a4[ar1 + k]; let ra2 = a4[ar2 + k]; let ra3 = a4[ar3 + k]; let ra4 = a4[ar4 + k]; let ra5 = a4[ar5 + k]; let ra6 = a4[ar6 + k]; let ra7 = a4[ar7 + k];
        let x0 = subgroupBroadcast(ra0, 0u); c0_0 += dot(x0, b0); c0_1 += dot(x0, b1); c0_2 += dot(x0, b2); c0_3 += dot(x0, b3); c0_4 += dot(x0, b4); c0_5 += dot(x0, b5); c0_6 += dot(x0, b6); c0_7 += dot(x0, b7);
        let x1 = subgroupBroadcast(ra0, 1u); c1_0 += dot(x1, b0); c1_1 += dot(x1, b1); c1_2 += dot(x1, b2); c1_3 += dot(x1, b3); c1_4 += dot(x1, b4); c1_5 += dot(x1, b5); c1_6 += dot(x1, b6); c1_7 += dot(x1, b7);
        let x2 = subgroupBroadcast(ra0, 2u); c2_0 += dot(x2, b0); c2_1 += dot(x2, b1); c2_2 += dot(x2, b2); c2_3 += dot(x2, b3); c2_4 += dot(x2, b4); c2_5 += dot(x2, b5); c2_6 += dot(x2, b6); c2_7 += dot(x2, b7);
        let x3 = subgroupBroadcast(ra0, 3u); c3_0 += dot(x3, b0); c3_1 += dot(x3, b1); c3_2 += dot(x3, b2); c3_3 += dot(x3, b3); c3_4 += dot(x3, b4); c3_5 += dot(x3, b5); c3_6 += dot(x3, b6); c3_7 += dot(x3, b7);
        let x4 = subgroupBroadcast(ra0, 4u); c4_0 += dot(x4, b0); c4_1 += dot(x4, b1); c4_2 += dot(x4, b2); c4_3 += dot(x4, b3); c4_4 += dot(x4, b4); c4_5 += dot(x4, b5); c4_6 += dot(x4, b6); c4_7 += dot(x4, b7);
        let x5 = subgroupBroadcast(ra0, 5u); c5_0 += dot(x5, b0); c5_1 += dot(x5, b1); c5_2 += dot(x5, b2); c5_3 += dot(x5, b3); c5_4 += dot(x5, b4); c5_5 += dot(x5, b5); c5_6 += dot(x5, b6); c5_7 += dot(x5, b7);
        let x6 = subgroupBroadcast(ra0, 6u); c6_0 += dot(x6, b0); c6_1 += dot(x6, b1); c6_2 += dot(x6, b2); c6_3 += dot(x6, b3); c6_4 += dot(x6, b4); c6_5 += dot(x6, b5); c6_6 += dot(x6, b6); c6_7 += dot(x6, b7);
        let x7 = subgroupBroadcast(ra0, 7u); c7_0 += dot(x7, b0); c7_1 += dot(x7, b1); c7_2 += dot(x7, b2); c7_3 += dot(x7, b3); c7_4 += dot(x7, b4); c7_5 += dot(x7, b5); c7_6 += dot(x7, b6); c7_7 += dot(x7, b7);
        let x8 = subgroupBroadcast(ra1, 0u); c8_0 += dot(x8, b0); c8_1 += dot(x8, b1); c8_2 += dot(x8, b2); c8_3 += dot(x8, b3); c8_4 += dot(x8, b4); c8_5 += dot(x8, b5); c8_6 += dot(x8, b6); c8_7 += dot(x8, b7);
        let x9 = subgroupBroadcast(ra1, 1u); c9_0 += dot(x9, b0); c9_1 += dot(x9, b1); c9_2 += dot(x9, b2); c9_3 += dot(x9, b3); c9_4 += dot(x9, b4); c9_5 += dot(x9, b5); c9_6 += dot(x9, b6); c9_7 += dot(x9, b7);
        let x10 = subgroupBroadcast(ra1, 2u); c10_0 += dot(x10, b0); c10_1 += dot(x10, b1); c10_2 += dot(x10, b2); c10_3 += dot(x10, b3); c10_4 += dot(x10, b4); c10_5 += dot(x10, b5); c10_6 += dot(x10, b6); c10_7 += dot(x10, b7);
        let x11 = subgroupBroadcast(ra1, 3u); c11_0 += dot(x11, b0); c11_1 += dot(x11, b1); c11_2 += dot(x11, b2); c11_3 += dot(x11, b3); c11_4 += dot(x11, b4); c11_5 += dot(x11, b5); c11_6 += dot(x11, b6); c11_7 += dot(x11, b7);
        let x12 = subgroupBroadcast(ra1, 4u); c12_0 += dot(x12, b0); c12_1 += dot(x12, b1); c12_2 += dot(x12, b2); c12_3 += dot(x12, b3); c12_4 += dot(x12, b4); c12_5 += dot(x12, b5); c12_6 += dot(x12, b6); c12_7 += dot(x12, b7);
        let x13 = subgroupBroadcast(ra1, 5u); c13_0 += dot(x13, b0); c13_1 += dot(x13, b1); c13_2 += dot(x13, b2); c13_3 += dot(x13, b3); c13_4 += dot(x13, b4); c13_5 += dot(x13, b5); c13_6 += dot(x13, b6); c13_7 += dot(x13, b7);
        let x14 = subgroupBroadcast(ra1, 6u); c14_0 += dot(x14, b0); c14_1 += dot(x14, b1); c14_2 += dot(x14, b2); c14_3 += dot(x14, b3); c14_4 += dot(x14, b4); c14_5 += dot(x14, b5); c14_6 += dot(x14, b6); c14_7 += dot(x14, b7);
        let x15 = subgroupBroadcast(ra1, 7u); c15_0 += dot(x15, b0); c15_1 += dot(x15, b1); c15_2 += dot(x15, b2); c15_3 += dot(x15, b3); c15_4 += dot(x15, b4); c15_5 += dot(x15, b5); c15_6 += dot(x15, b6); c15_7 += dot(x15, b7);
        let x16 = subgroupBroadcast(ra2, 0u); c16_0 += dot(x16, b0); c16_1 += dot(x16, b1); c16_2 += dot(x16, b2); c16_3 += dot(x16, b3); c16_4 += dot(x16, b4); c16_5 += dot(x16, b5); c16_6 += dot(x16, b6); c16_7 += dot(x16, b7);
        let x17 = subgroupBroadcast(ra2, 1u); c17_0 += dot(x17, b0); c17_1 += dot(x17, b1); c17_2 += dot(x17, b2); c17_3 += dot(x17, b3); c17_4 += dot(x17, b4); c17_5 += dot(x17, b5); c17_6 += dot(x17, b6); c17_7 += dot(x17, b7);
        let x18 = subgroupBroadcast(ra2, 2u); c18_0 += dot(x18, b0); c18_1 += dot(x18, b1); c18_2 += dot(x18, b2); c18_3 += dot(x18, b3); c18_4 += dot(x18, b4); c18_5 += dot(x18, b5); c18_6 += dot(x18, b6); c18_7 += dot(x18, b7);
        let x19 = subgroupBroadcast(ra2, 3u); c19_0 += dot(x19, b0); c19_1 += dot(x19, b1); c19_2 += dot(x19, b2); c19_3 += dot(x19, b3); c19_4 += dot(x19, b4); c19_5 += dot(x19, b5); c19_6 += dot(x19, b6); c19_7 += dot(x19, b7);
        let x20 = subgroupBroadcast(ra2, 4u); c20_0 += dot(x20, b0); c20_1 += dot(x20, b1); c20_2 += dot(x20, b2); c20_3 += dot(x20, b3); c20_4 += dot(x20, b4); c20_5 += dot(x20, b5); c20_6 += dot(x20, b6); c20_7 += dot(x20, b7);
        let x21 = subgroupBroadcast(ra2, 5u); c21_0 += dot(x21, b0); c21_1 += dot(x21, b1); c21_2 += dot(x21, b2); c21_3 += dot(x21, b3); c21_4 += dot(x21, b4); c21_5 += dot(x21, b5); c21_6 += dot(x21, b6); c21_7 += dot(x21, b7);
        let x22 = subgroupBroadcast(ra2, 6u); c22_0 += dot(x22, b0); c22_1 += dot(x22, b1); c22_2 += dot(x22, b2); c22_3 += dot(x22, b3); c22_4 += dot(x22, b4); c22_5 += dot(x22, b5); c22_6 += dot(x22, b6); c22_7 += dot(x22, b7);
        let x23 = subgroupBroadcast(ra2, 7u); c23_0 += dot(x23, b0); c23_1 += dot(x23, b1); c23_2 += dot(x23, b2); c23_3 += dot(x23, b3); c23_4 += dot(x23, b4); c23_5 += dot(x23, b5); c23_6 += dot(x23, b6); c23_7 += dot(x23, b7);
        let x24 = subgroupBroadcast(ra3, 0u); c24_0 += dot(x24, b0); c24_1 += dot(x24, b1); c24_2 += dot(x24, b2); c24_3 += dot(x24, b3); c24_4 += dot(x24, b4); c24_5 += dot(x24, b5); c24_6 += dot(x24, b6); c24_7 += dot(x24, b7);
        let x25 = subgroupBroadcast(ra3, 1u); c25_0 += dot(x25, b0); c25_1 += dot(x25, b1); c25_2 += dot(x25, b2); c25_3 += dot(x25, b3); c25_4 += dot(x25, b4); c25_5 += dot(x25, b5); c25_6 += dot(x25, b6); c25_7 += dot(x25, b7);
        let x26 = subgroupBroadcast(ra3, 2u); c26_0 += dot(x26, b0); c26_1 += dot(x26, b1); c26_2 += dot(x26, b2); c26_3 += dot(x26, b3); c26_4 += dot(x26, b4); c26_5 += dot(x26, b5); c26_6 += dot(x26, b6); c26_7 += dot(x26, b7);
        let x27 = subgroupBroadcast(ra3, 3u); c27_0 += dot(x27, b0); c27_1 += dot(x27, b1); c27_2 += dot(x27, b2); c27_3 += dot(x27, b3); c27_4 += dot(x27, b4); c27_5 += dot(x27, b5); c27_6 += dot(x27, b6); c27_7 += dot(x27, b7);
        let x28 = subgroupBroadcast(ra3, 4u); c28_0 += dot(x28, b0); c28_1 += dot(x28, b1); c28_2 += dot(x28, b2); c28_3 += dot(x28, b3); c28_4 += dot(x28, b4); c28_5 += dot(x28, b5); c28_6 += dot(x28, b6); c28_7 += dot(x28, b7);
        let x29 = subgroupBroadcast(ra3, 5u); c29_0 += dot(x29, b0); c29_1 += dot(x29, b1); c29_2 += dot(x29, b2); c29_3 += dot(x29, b3); c29_4 += dot(x29, b4); c29_5 += dot(x29, b5); c29_6 += dot(x29, b6); c29_7 += dot(x29, b7);
        let x30 = subgroupBroadcast(ra3, 6u); c30_0 += dot(x30, b0); c30_1 += dot(x30, b1); c30_2 += dot(x30, b2); c30_3 += dot(x30, b3); c30_4 += dot(x30, b4); c30_5 += dot(x30, b5); c30_6 += dot(x30, b6); c30_7 += dot(x30, b7);
        let x31 = subgroupBroadcast(ra3, 7u); c31_0 += dot(x31, b0); c31_1 += dot(x31, b1); c31_2 += dot(x31, b2); c31_3 += dot(x31, b3); c31_4 += dot(x31, b4); c31_5 += dot(x31, b5); c31_6 += dot(x31, b6); c31_7 += dot(x31, b7);
        let x32 = subgroupBroadcast(ra4, 0u); c32_0 += dot(x32, b0); c32_1 += dot(x32, b1); c32_2 += dot(x32, b2); c32_3 += dot(x32, b3); c32_4 += dot(x32, b4); c32_5 += dot(x32, b5); c32_6 += dot(x32, b6); c32_7 += dot(x32, b7);
        let x33 = subgroupBroadcast(ra4, 1u); c33_0 += dot(x33, b0); c33_1 += dot(x33, b1); c33_2 += dot(x33, b2); c33_3 += dot(x33, b3); c33_4 += dot(x33, b4); c33_5 += dot(x33, b5); c33_6 += dot(x33, b6); c33_7 += dot(x33, b7);
        let x34 = subgroupBroadcast(ra4, 2u); c34_0 += dot(x34, b0); c34_1 += dot(x34, b1); c34_2 += dot(x34, b2); c34_3 += dot(x34, b3); c34_4 += dot(x34, b4); c34_5 += dot(x34, b5); c34_6 += dot(x34, b6); c34_7 += dot(x34, b7);
        let x35 = subgroupBroadcast(ra4, 3u); c35_0 += dot(x35, b0); c35_1 += dot(x35, b1); c35_2 += dot(x35, b2); c35_3 += dot(x35, b3); c35_4 += dot(x35, b4); c35_5 += dot(x35, b5); c35_6 += dot(x35, b6); c35_7 += dot(x35, b7);
        let x36 = subgroupBroadcast(ra4, 4u); c36_0 += dot(x36, b0); c36_1 += dot(x36, b1); c36_2 += dot(x36, b2); c36_3 += dot(x36, b3); c36_4 += dot(x36, b4); c36_5 += dot(x36, b5); c36_6 += dot(x36, b6); c36_7 += dot(x36, b7);
        let x37 = subgroupBroadcast(ra4, 5u); c37_0 += dot(x37, b0); c37_1 += dot(x37, b1); c37_2 += dot(x37, b2); c37_3 += dot(x37, b3); c37_4 += dot(x37, b4); c37_5 += dot(x37, b5); c37_6 += dot(x37, b6); c37_7 += dot(x37, b7);
        let x38 = subgroupBroadcast(ra4, 6u); c38_0 += dot(x38, b0); c38_1 += dot(x38, b1); c38_2 += dot(x38, b2); c38_3 += dot(x38, b3); c38_4 += dot(x38, b4); c38_5 += dot(x38, b5); c38_6 += dot(x38, b6); c38_7 += dot(x38, b7);
        let x39 = subgroupBroadcast(ra4, 7u); c39_0 += dot(x39, b0); c39_1 += dot(x39, b1); c39_2 += dot(x39, b2); c39_3 += dot(x39, b3); c39_4 += dot(x39, b4); c39_5 += dot(x39, b5); c39_6 += dot(x39, b6); c39_7 += dot(x39, b7);
        let x40 = subgroupBroadcast(ra5, 0u); c40_0 += dot(x40, b0); c40_1 += dot(x40, b1); c40_2 += dot(x40, b2); c40_3 += dot(x40, b3); c40_4 += dot(x40, b4); c40_5 += dot(x40, b5); c40_6 += dot(x40, b6); c40_7 += dot(x40, b7);
        let x41 = subgroupBroadcast(ra5, 1u); c41_0 += dot(x41, b0); c41_1 += dot(x41, b1); c41_2 += dot(x41, b2); c41_3 += dot(x41, b3); c41_4 += dot(x41, b4); c41_5 += dot(x41, b5); c41_6 += dot(x41, b6); c41_7 += dot(x41, b7);
        let x42 = subgroupBroadcast(ra5, 2u); c42_0 += dot(x42, b0); c42_1 += dot(x42, b1); c42_2 += dot(x42, b2); c42_3 += dot(x42, b3); c42_4 += dot(x42, b4); c42_5 += dot(x42, b5); c42_6 += dot(x42, b6); c42_7 += dot(x42, b7);
        let x43 = subgroupBroadcast(ra5, 3u); c43_0 += dot(x43, b0); c43_1 += dot(x43, b1); c43_2 += dot(x43, b2); c43_3 += dot(x43, b3); c43_4 += dot(x43, b4); c43_5 += dot(x43, b5); c43_6 += dot(x43, b6); c43_7 += dot(x43, b7);
        let x44 = subgroupBroadcast(ra5, 4u); c44_0 += dot(x44, b0); c44_1 += dot(x44, b1); c44_2 += dot(x44, b2); c44_3 += dot(x44, b3); c44_4 += dot(x44, b4); c44_5 += dot(x44, b5); c44_6 += dot(x44, b6); c44_7 += dot(x44, b7);
        let x45 = subgroupBroadcast(ra5, 5u); c45_0 += dot(x45, b0); c45_1 += dot(x45, b1); c45_2 += dot(x45, b2); c45_3 += dot(x45, b3); c45_4 += dot(x45, b4); c45_5 += dot(x45, b5); c45_6 += dot(x45, b6); c45_7 += dot(x45, b7);
        let x46 = subgroupBroadcast(ra5, 6u); c46_0 += dot(x46, b0); c46_1 += dot(x46, b1); c46_2 += dot(x46, b2); c46_3 += dot(x46, b3); c46_4 += dot(x46, b4); c46_5 += dot(x46, b5); c46_6 += dot(x46, b6); c46_7 += dot(x46, b7);
        let x47 = subgroupBroadcast(ra5, 7u); c47_0 += dot(x47, b0); c47_1 += dot(x47, b1); c47_2 += dot(x47, b2); c47_3 += dot(x47, b3); c47_4 += dot(x47, b4); c47_5 += dot(x47, b5); c47_6 += dot(x47, b6); c47_7 += dot(x47, b7);
        let x48 = subgroupBroadcast(ra6, 0u); c48_0 += dot(x48, b0); c48_1 += dot(x48, b1); c48_2 += dot(x48, b2); c48_3 += dot(x48, b3); c48_4 += dot(x48, b4); c48_5 += dot(x48, b5); c48_6 += dot(x48, b6); c48_7 += dot(x48, b7);
        let x49 = subgroupBroadcast(ra6, 1u); c49_0 += dot(x49, b0); c49_1 += dot(x49, b1); c49_2 += dot(x49, b2); c49_3 += dot(x49, b3); c49_4 += dot(x49, b4); c49_5 += dot(x49, b5); c49_6 += dot(x49, b6); c49_7 += dot(x49, b7);
        let x50 = subgroupBroadcast(ra6, 2u); c50_0 += dot(x50, b0); c50_1 += dot(x50, b1); c50_2 += dot(x50, b2); c50_3 += dot(x50, b3); c50_4 += dot(x50, b4); c50_5 += dot(x50, b5); c50_6 += dot(x50, b6); c50_7 += dot(x50, b7);
        let x51 = subgroupBroadcast(ra6, 3u); c51_0 += dot(x51, b0); c51_1 += dot(x51, b1); c51_2 += dot(x51, b2); c51_3 += dot(x51, b3); c51_4 += dot(x51, b4); c51_5 += dot(x51, b5); c51_6 += dot(x51, b6); c51_7 += dot(x51, b7);
        let x52 = subgroupBroadcast(ra6, 4u); c52_0 += dot(x52, b0); c52_1 += dot(x52, b1); c52_2 += dot(x52, b2); c52_3 += dot(x52, b3); c52_4 += dot(x52, b4); c52_5 += dot(x52, b5); c52_6 += dot(x52, b6); c52_7 += dot(x52, b7);
        let x53 = subgroupBroadcast(ra6, 5u); c53_0 += dot(x53, b0); c53_1 += dot(x53, b1); c53_2 += dot(x53, b2); c53_3 += dot(x53, b3); c53_4 += dot(x53, b4); c53_5 += dot(x53, b5); c53_6 += dot(x53, b6); c53_7 += dot(x53, b7);
        let x54 = subgroupBroadcast(ra6, 6u); c54_0 += dot(x54, b0); c54_1 += dot(x54, b1); c54_2 += dot(x54, b2); c54_3 += dot(x54, b3); c54_4 += dot(x54, b4); c54_5 += dot(x54, b5); c54_6 += dot(x54, b6); c54_7 += dot(x54, b7);
        let x55 = subgroupBroadcast(ra6, 7u); c55_0 += dot(x55, b0); c55_1 += dot(x55, b1); c55_2 += dot(x55, b2); c55_3 += dot(x55, b3); c55_4 += dot(x55, b4); c55_5 += dot(x55, b5); c55_6 += dot(x55, b6); c55_7 += dot(x55, b7);
        let x56 = subgroupBroadcast(ra7, 0u); c56_0 += dot(x56, b0); c56_1 += dot(x56, b1); c56_2 += dot(x56, b2); c56_3 += dot(x56, b3); c56_4 += dot(x56, b4); c56_5 += dot(x56, b5); c56_6 += dot(x56, b6); c56_7 += dot(x56, b7);
        let x57 = subgroupBroadcast(ra7, 1u); c57_0 += dot(x57, b0); c57_1 += dot(x57, b1); c57_2 += dot(x57, b2); c57_3 += dot(x57, b3); c57_4 += dot(x57, b4); c57_5 += dot(x57, b5); c57_6 += dot(x57, b6); c57_7 += dot(x57, b7);
        let x58 = subgroupBroadcast(ra7, 2u); c58_0 += dot(x58, b0); c58_1 += dot(x58, b1); c58_2 += dot(x58, b2); c58_3 += dot(x58, b3); c58_4 += dot(x58, b4); c58_5 += dot(x58, b5); c58_6 += dot(x58, b6); c58_7 += dot(x58, b7);
        let x59 = subgroupBroadcast(ra7, 3u); c59_0 += dot(x59, b0); c59_1 += dot(x59, b1); c59_2 += dot(x59, b2); c59_3 += dot(x59, b3); c59_4 += dot(x59, b4); c59_5 += dot(x59, b5); c59_6 += dot(x59, b6); c59_7 += dot(x59, b7);
        let x60 = subgroupBroadcast(ra7, 4u); c60_0 += dot(x60, b0); c60_1 += dot(x60, b1); c60_2 += dot(x60, b2); c60_3 += dot(x60, b3); c60_4 += dot(x60, b4); c60_5 += dot(x60, b5); c60_6 += dot(x60, b6); c60_7 += dot(x60, b7);
        let x61 = subgroupBroadcast(ra7, 5u); c61_0 += dot(x61, b0); c61_1 += dot(x61, b1); c61_2 += dot(x61, b2); c61_3 += dot(x61, b3); c61_4 += dot(x61, b4); c61_5 += dot(x61, b5); c61_6 += dot(x61, b6); c61_7 += dot(x61, b7);
        let x62 = subgroupBroadcast(ra7, 6u); c62_0 += dot(x62, b0); c62_1 += dot(x62, b1); c62_2 += dot(x62, b2); c62_3 += dot(x62, b3); c62_4 += dot(x62, b4); c62_5 += dot(x62, b5); c62_6 += dot(x62, b6); c62_7 += dot(x62, b7);
        let x63 = subgroupBroadcast(ra7, 7u); c63_0 += dot(x63, b0); c63_1 += dot(x63, b1); c63_2 += dot(x63, b2); c63_3 += dot(x63, b3); c63_4 += dot(x63, b4); c63_5 += dot(x63, b5); c63_6 += dot(x63, b6); c63_7 += dot(x63, b7);
    }
    let col0 = n0 + 0u < p.n;
    let col1 = n0 + 8u < p.n;
    let col2 = n0 + 16u < p.n;
    let col3 = n0 + 24u < p.n;
    let col4 = n0 + 32u < p.n;
    let col5 = n0 + 40u < p.n;
    let col6 = n0 + 48u < p.n;
    let col7 = n0 + 56u < p.n;
    if (m0 + 0u < p.m) { if (col0) { finish(m0 + 0u, n0 + 0u, c0_0); } if (col1) { finish(m0 + 0u, n0 + 8u, c0_1); } if (col2) { finish(m0 + 0u, n0 + 16u, c0_2); } if (col3) { finish(m0 + 0u, n0 + 24u, c0_3); } if (col4) { finish(m0 + 0u, n0 + 32u, c0_4); } if (col5) { finish(m0 + 0u, n0 + 40u, c0_5); } if (col6) { finish(m0 + 0u, n0 + 48u, c0_6); } if (col7) { finish(m0 + 0u, n0 + 56u, c0_7); } }
    if (m0 + 1u < p.m) { if (col0) { finish(m0 + 1u, n0 + 0u, c1_0); } if (col1) { finish(m0 + 1u, n0 + 8u, c1_1); } if (col2) { finish(m0 + 1u, n0 + 16u, c1_2); } if (col3) { finish(m0 + 1u, n0 + 24u, c1_3); } if (col4) { finish(m0 + 1u, n0 + 32u, c1_4); } if (col5) { finish(m0 + 1u, n0 + 40u, c1_5); } if (col6) { finish(m0 + 1u, n0 + 48u, c1_6); } if (col7) { finish(m0 + 1u, n0 + 56u, c1_7); } }
    if (m0 + 2u < p.m) { if (col0) { finish(m0 + 2u, n0 + 0u, c2_0); } if (col1) { finish(m0 + 2u, n0 + 8u, c2_1); } if (col2) { finish(m0 + 2u, n0 + 16u, c2_2); } if (col3) { finish(m0 + 2u, n0 + 24u, c2_3); } if (col4) { finish(m0 + 2u, n0 + 32u, c2_4); } if (col5) { finish(m0 + 2u, n0 + 40u, c2_5); } if (col6) { finish(m0 + 2u, n0 + 48u, c2_6); } if (col7) { finish(m0 + 2u, n0 + 56u, c2_7); } }
    if (m0 + 3u < p.m) { if (col0) { finish(m0 + 3u, n0 + 0u, c3_0); } if (col1) { finish(m0 + 3u, n0 + 8u, c3_1); } if (col2) { finish(m0 + 3u, n0 + 16u, c3_2); } if (col3) { finish(m0 + 3u, n0 + 24u, c3_3); } if (col4) { finish(m0 + 3u, n0 + 32u, c3_4); } if (col5) { finish(m0 + 3u, n0 + 40u, c3_5); } if (col6) { finish(m0 + 3u, n0 + 48u, c3_6); } if (col7) { finish(m0 + 3u, n0 + 56u, c3_7); } }
    if (m0 + 4u < p.m) { if (col0) { finish(m0 + 4u, n0 + 0u, c4_0); } if (col1) { finish(m0 + 4u, n0 + 8u, c4_1); } if (col2) { finish(m0 + 4u, n0 + 16u, c4_2); } if (col3) { finish(m0 + 4u, n0 + 24u, c4_3); } if (col4) { finish(m0 + 4u, n0 + 32u, c4_4); } if (col5) { finish(m0 + 4u, n0 + 40u, c4_5); } if (col6) { finish(m0 + 4u, n0 + 48u, c4_6); } if (col7) { finish(m0 + 4u, n0 + 56u, c4_7); } }
    if (m0 + 5u < p.m) { if (col0) { finish(m0 + 5u, n0 + 0u, c5_0); } if (col1) { finish(m0 + 5u, n0 + 8u, c5_1); } if (col2) { finish(m0 + 5u, n0 + 16u, c5_2); } if (col3) { finish(m0 + 5u, n0 + 24u, c5_3); } if (col4) { finish(m0 + 5u, n0 + 32u, c5_4); } if (col5) { finish(m0 + 5u, n0 + 40u, c5_5); } if (col6) { finish(m0 + 5u, n0 + 48u, c5_6); } if (col7) { finish(m0 + 5u, n0 + 56u, c5_7); } }
    if (m0 + 6u < p.m) { if (col0) { finish(m0 + 6u, n0 + 0u, c6_0); } if (col1) { finish(m0 + 6u, n0 + 8u, c6_1); } if (col2) { finish(m0 + 6u, n0 + 16u, c6_2); } if (col3) { finish(m0 + 6u, n0 + 24u, c6_3); } if (col4) { finish(m0 + 6u, n0 + 32u, c6_4); } if (col5) { finish(m0 + 6u, n0 + 40u, c6_5); } if (col6) { finish(m0 + 6u, n0 + 48u, c6_6); } if (col7) { finish(m0 + 6u, n0 + 56u, c6_7); } }
    if (m0 + 7u < p.m) { if (col0) { finish(m0 + 7u, n0 + 0u, c7_0); } if (col1) { finish(m0 + 7u, n0 + 8u, c7_1); } if (col2) { finish(m0 + 7u, n0 + 16u, c7_2); } if (col3) { finish(m0 + 7u, n0 + 24u, c7_3); } if (col4) { finish(m0 + 7u, n0 + 32u, c7_4); } if (col5) { finish(m0 + 7u, n0 + 40u, c7_5); } if (col6) { finish(m0 + 7u, n0 + 48u, c7_6); } if (col7) { finish(m0 + 7u, n0 + 56u, c7_7); } }
    if (m0 + 8u < p.m) { if (col0) { finish(m0 + 8u, n0 + 0u, c8_0); } if (col1) { finish(m0 + 8u, n0 + 8u, c8_1); } if (col2) { finish(m0 + 8u, n0 + 16u, c8_2); } if (col3) { finish(m0 + 8u, n0 + 24u, c8_3); } if (col4) { finish(m0 + 8u, n0 + 32u, c8_4); } if (col5) { finish(m0 + 8u, n0 + 40u, c8_5); } if (col6) { finish(m0 + 8u, n0 + 48u, c8_6); } if (col7) { finish(m0 + 8u, n0 + 56u, c8_7); } }
    if (m0 + 9u < p.m) { if (col0) { finish(m0 + 9u, n0 + 0u, c9_0); } if (col1) { finish(m0 + 9u, n0 + 8u, c9_1); } if (col2) { finish(m0 + 9u, n0 + 16u, c9_2); } if (col3) { finish(m0 + 9u, n0 + 24u, c9_3); } if (col4) { finish(m0 + 9u, n0 + 32u, c9_4); } if (col5) { finish(m0 + 9u, n0 + 40u, c9_5); } if (col6) { finish(m0 + 9u, n0 + 48u, c9_6); } if (col7) { finish(m0 + 9u, n0 + 56u, c9_7); } }
    if (m0 + 10u < p.m) { if (col0) { finish(m0 + 10u, n0 + 0u, c10_0); } if (col1) { finish(m0 + 10u, n0 + 8u, c10_1); } if (col2) { finish(m0 + 10u, n0 + 16u, c10_2); } if (col3) { finish(m0 + 10u, n0 + 24u, c10_3); } if (col4) { finish(m0 + 10u, n0 + 32u, c10_4); } if (col5) { finish(m0 + 10u, n0 + 40u, c10_5); } if (col6) { finish(m0 + 10u, n0 + 48u, c10_6); } if (col7) { finish(m0 + 10u, n0 + 56u, c10_7); } }
    if (m0 + 11u < p.m) { if (col0) { finish(m0 + 11u, n0 + 0u, c11_0); } if (col1) { finish(m0 + 11u, n0 + 8u, c11_1); } if (col2) { finish(m0 + 11u, n0 + 16u, c11_2); } if (col3) { finish(m0 + 11u, n0 + 24u, c11_3); } if (col4) { finish(m0 + 11u, n0 + 32u, c11_4); } if (col5) { finish(m0 + 11u, n0 + 40u, c11_5); } if (col6) { finish(m0 + 11u, n0 + 48u, c11_6); } if (col7) { finish(m0 + 11u, n0 + 56u, c11_7); } }
    if (m0 + 12u < p.m) { if (col0) { finish(m0 + 12u, n0 + 0u, c12_0); } if (col1) { finish(m0 + 12u, n0 + 8u, c12_1); } if (col2) { finish(m0 + 12u, n0 + 16u, c12_2); } if (col3) { finish(m0 + 12u, n0 + 24u, c12_3); } if (col4) { finish(m0 + 12u, n0 + 32u, c12_4); } if (col5) { finish(m0 + 12u, n0 + 40u, c12_5); } if (col6) { finish(m0 + 12u, n0 + 48u, c12_6); } if (col7) { finish(m0 + 12u, n0 + 56u, c12_7); } }
    if (m0 + 13u < p.m) { if (col0) { finish(m0 + 13u, n0 + 0u, c13_0); } if (col1) { finish(m0 + 13u, n0 + 8u, c13_1); } if (col2) { finish(m0 + 13u, n0 + 16u, c13_2); } if (col3) { finish(m0 + 13u, n0 + 24u, c13_3); } if (col4) { finish(m0 + 13u, n0 + 32u, c13_4); } if (col5) { finish(m0 + 13u, n0 + 40u, c13_5); } if (col6) { finish(m0 + 13u, n0 + 48u, c13_6); } if (col7) { finish(m0 + 13u, n0 + 56u, c13_7); } }
    if (m0 + 14u < p.m) { if (col0) { finish(m0 + 14u, n0 + 0u, c14_0); } if (col1) { finish(m0 + 14u, n0 + 8u, c14_1); } if (col2) { finish(m0 + 14u, n0 + 16u, c14_2); } if (col3) { finish(m0 + 14u, n0 + 24u, c14_3); } if (col4) { finish(m0 + 14u, n0 + 32u, c14_4); } if (col5) { finish(m0 + 14u, n0 + 40u, c14_5); } if (col6) { finish(m0 + 14u, n0 + 48u, c14_6); } if (col7) { finish(m0 + 14u, n0 + 56u, c14_7); } }
    if (m0 + 15u < p.m) { if (col0) { finish(m0 + 15u, n0 + 0u, c15_0); } if (col1) { finish(m0 + 15u, n0 + 8u, c15_1); } if (col2) { finish(m0 + 15u, n0 + 16u, c15_2); } if (col3) { finish(m0 + 15u, n0 + 24u, c15_3); } if (col4) { finish(m0 + 15u, n0 + 32u, c15_4); } if (col5) { finish(m0 + 15u, n0 + 40u, c15_5); } if (col6) { finish(m0 + 15u, n0 + 48u, c15_6); } if (col7) { finish(m0 + 15u, n0 + 56u, c15_7); } }
    if (m0 + 16u < p.m) { if (col0) { finish(m0 + 16u, n0 + 0u, c16_0); } if (col1) { finish(m0 + 16u, n0 + 8u, c16_1); } if (col2) { finish(m0 + 16u, n0 + 16u, c16_2); } if (col3) { finish(m0 + 16u, n0 + 24u, c16_3); } if (col4) { finish(m0 + 16u, n0 + 32u, c16_4); } if (col5) { finish(m0 + 16u, n0 + 40u, c16_5); } if (col6) { finish(m0 + 16u, n0 + 48u, c16_6); } if (col7) { finish(m0 + 16u, n0 + 56u, c16_7); } }
    if (m0 + 17u < p.m) { if (col0) { finish(m0 + 17u, n0 + 0u, c17_0); } if (col1) { finish(m0 + 17u, n0 + 8u, c17_1); } if (col2) { finish(m0 + 17u, n0 + 16u, c17_2); } if (col3) { finish(m0 + 17u, n0 + 24u, c17_3); } if (col4) { finish(m0 + 17u, n0 + 32u, c17_4); } if (col5) { finish(m0 + 17u, n0 + 40u, c17_5); } if (col6) { finish(m0 + 17u, n0 + 48u, c17_6); } if (col7) { finish(m0 + 17u, n0 + 56u, c17_7); } }
    if (m0 + 18u < p.m) { if (col0) { finish(m0 + 18u, n0 + 0u, c18_0); } if (col1) { finish(m0 + 18u, n0 + 8u, c18_1); } if (col2) { finish(m0 + 18u, n0 + 16u, c18_2); } if (col3) { finish(m0 + 18u, n0 + 24u, c18_3); } if (col4) { finish(m0 + 18u, n0 + 32u, c18_4); } if (col5) { finish(m0 + 18u, n0 + 40u, c18_5); } if (col6) { finish(m0 + 18u, n0 + 48u, c18_6); } if (col7) { finish(m0 + 18u, n0 + 56u, c18_7); } }
    if (m0 + 19u < p.m) { if (col0) { finish(m0 + 19u, n0 + 0u, c19_0); } if (col1) { finish(m0 + 19u, n0 + 8u, c19_1); } if (col2) { finish(m0 + 19u, n0 + 16u, c19_2); } if (col3) { finish(m0 + 19u, n0 + 24u, c19_3); } if (col4) { finish(m0 + 19u, n0 + 32u, c19_4); } if (col5) { finish(m0 + 19u, n0 + 40u, c19_5); } if (col6) { finish(m0 + 19u, n0 + 48u, c19_6); } if (col7) { finish(m0 + 19u, n0 + 56u, c19_7); } }
    if (m0 + 20u < p.m) { if (col0) { finish(m0 + 20u, n0 + 0u, c20_0); } if (col1) { finish(m0 + 20u, n0 + 8u, c20_1); } if (col2) { finish(m0 + 20u, n0 + 16u, c20_2); } if (col3) { finish(m0 + 20u, n0 + 24u, c20_3); } if (col4) { finish(m0 + 20u, n0 + 32u, c20_4); } if (col5) { finish(m0 + 20u, n0 + 40u, c20_5); } if (col6) { finish(m0 + 20u, n0 + 48u, c20_6); } if (col7) { finish(m0 + 20u, n0 + 56u, c20_7); } }
    if (m0 + 21u < p.m) { if (col0) { finish(m0 + 21u, n0 + 0u, c21_0); } if (col1) { finish(m0 + 21u, n0 + 8u, c21_1); } if (col2) { finish(m0 + 21u, n0 + 16u, c21_2); } if (col3) { finish(m0 + 21u, n0 + 24u, c21_3); } if (col4) { finish(m0 + 21u, n0 + 32u, c21_4); } if (col5) { finish(m0 + 21u, n0 + 40u, c21_5); } if (col6) { finish(m0 + 21u, n0 + 48u, c21_6); } if (col7) { finish(m0 + 21u, n0 + 56u, c21_7); } }
    if (m0 + 22u < p.m) { if (col0) { finish(m0 + 22u, n0 + 0u, c22_0); } if (col1) { finish(m0 + 22u, n0 + 8u, c22_1); } if (col2) { finish(m0 + 22u, n0 + 16u, c22_2); } if (col3) { finish(m0 + 22u, n0 + 24u, c22_3); } if (col4) { finish(m0 + 22u, n0 + 32u, c22_4); } if (col5) { finish(m0 + 22u, n0 + 40u, c22_5); } if (col6) { finish(m0 + 22u, n0 + 48u, c22_6); } if (col7) { finish(m0 + 22u, n0 + 56u, c22_7); } }
    if (m0 + 23u < p.m) { if (col0) { finish(m0 + 23u, n0 + 0u, c23_0); } if (col1) { finish(m0 + 23u, n0 + 8u, c23_1); } if (col2) { finish(m0 + 23u, n0 + 16u, c23_2); } if (col3) { finish(m0 + 23u, n0 + 24u, c23_3); } if (col4) { finish(m0 + 23u, n0 + 32u, c23_4); } if (col5) { finish(m0 + 23u, n0 + 40u, c23_5); } if (col6) { finish(m0 + 23u, n0 + 48u, c23_6); } if (col7) { finish(m0 + 23u, n0 + 56u, c23_7); } }
    if (m0 + 24u < p.m) { if (col0) { finish(m0 + 24u, n0 + 0u, c24_0); } if (col1) { finish(m0 + 24u, n0 + 8u, c24_1); } if (col2) { finish(m0 + 24u, n0 + 16u, c24_2); } if (col3) { finish(m0 + 24u, n0 + 24u, c24_3); } if (col4) { finish(m0 + 24u, n0 + 32u, c24_4); } if (col5) { finish(m0 + 24u, n0 + 40u, c24_5); } if (col6) { finish(m0 + 24u, n0 + 48u, c24_6); } if (col7) { finish(m0 + 24u, n0 + 56u, c24_7); } }
    if (m0 + 25u < p.m) { if (col0) { finish(m0 + 25u, n0 + 0u, c25_0); } if (col1) { finish(m0 + 25u, n0 + 8u, c25_1); } if (col2) { finish(m0 + 25u, n0 + 16u, c25_2); } if (col3) { finish(m0 + 25u, n0 + 24u, c25_3); } if (col4) { finish(m0 + 25u, n0 + 32u, c25_4); } if (col5) { finish(m0 + 25u, n0 + 40u, c25_5); } if (col6) { finish(m0 + 25u, n0 + 48u, c25_6); } if (col7) { finish(m0 + 25u, n0 + 56u, c25_7); } }
    if (m0 + 26u < p.m) { if (col0) { finish(m0 + 26u, n0 + 0u, c26_0); } if (col1) { finish(m0 + 26u, n0 + 8u, c26_1); } if (col2) { finish(m0 + 26u, n0 + 16u, c26_2); } if (col3) { finish(m0 + 26u, n0 + 24u, c26_3); } if (col4) { finish(m0 + 26u, n0 + 32u, c26_4); } if (col5) { finish(m0 + 26u, n0 + 40u, c26_5); } if (col6) { finish(m0 + 26u, n0 + 48u, c26_6); } if (col7) { finish(m0 + 26u, n0 + 56u, c26_7); } }
    if (m0 + 27u < p.m) { if (col0) { finish(m0 + 27u, n0 + 0u, c27_0); } if (col1) { finish(m0 + 27u, n0 + 8u, c27_1); } if (col2) { finish(m0 + 27u, n0 + 16u, c27_2); } if (col3) { finish(m0 + 27u, n0 + 24u, c27_3); } if (col4) { finish(m0 + 27u, n0 + 32u, c27_4); } if (col5) { finish(m0 + 27u, n0 + 40u, c27_5); } if (col6) { finish(m0 + 27u, n0 + 48u, c27_6); } if (col7) { finish(m0 + 27u, n0 + 56u, c27_7); } }
    if (m0 + 28u < p.m) { if (col0) { finish(m0 + 28u, n0 + 0u, c28_0); } if (col1) { finish(m0 + 28u, n0 + 8u, c28_1); } if (col2) { finish(m0 + 28u, n0 + 16u, c28_2); } if (col3) { finish(m0 + 28u, n0 + 24u, c28_3); } if (col4) { finish(m0 + 28u, n0 + 32u, c28_4); } if (col5) { finish(m0 + 28u, n0 + 40u, c28_5); } if (col6) { finish(m0 + 28u, n0 + 48u, c28_6); } if (col7) { finish(m0 + 28u, n0 + 56u, c28_7); } }
    if (m0 + 29u < p.m) { if (col0) { finish(m0 + 29u, n0 + 0u, c29_0); } if (col1) { finish(m0 + 29u, n0 + 8u, c29_1); } if (col2) { finish(m0 + 29u, n0 + 16u, c29_2); } if (col3) { finish(m0 + 29u, n0 + 24u, c29_3); } if (col4) { finish(m0 + 29u, n0 + 32u, c29_4); } if (col5) { finish(m0 + 29u, n0 + 40u, c29_5); } if (col6) { finish(m0 + 29u, n0 + 48u, c29_6); } if (col7) { finish(m0 + 29u, n0 + 56u, c29_7); } }
    if (m0 + 30u < p.m) { if (col0) { finish(m0 + 30u, n0 + 0u, c30_0); } if (col1) { finish(m0 + 30u, n0 + 8u, c30_1); } if (col2) { finish(m0 + 30u, n0 + 16u, c30_2); } if (col3) { finish(m0 + 30u, n0 + 24u, c30_3); } if (col4) { finish(m0 + 30u, n0 + 32u, c30_4); } if (col5) { finish(m0 + 30u, n0 + 40u, c30_5); } if (col6) { finish(m0 + 30u, n0 + 48u, c30_6); } if (col7) { finish(m0 + 30u, n0 + 56u, c30_7); } }
    if (m0 + 31u < p.m) { if (col0) { finish(m0 + 31u, n0 + 0u, c31_0); } if (col1) { finish(m0 + 31u, n0 + 8u, c31_1); } if (col2) { finish(m0 + 31u, n0 + 16u, c31_2); } if (col3) { finish(m0 + 31u, n0 + 24u, c31_3); } if (col4) { finish(m0 + 31u, n0 + 32u, c31_4); } if (col5) { finish(m0 + 31u, n0 + 40u, c31_5); } if (col6) { finish(m0 + 31u, n0 + 48u, c31_6); } if (col7) { finish(m0 + 31u, n0 + 56u, c31_7); } }
    if (m0 + 32u < p.m) { if (col0) { finish(m0 + 32u, n0 + 0u, c32_0); } if (col1) { finish(m0 + 32u, n0 + 8u, c32_1); } if (col2) { finish(m0 + 32u, n0 + 16u, c32_2); } if (col3) { finish(m0 + 32u, n0 + 24u, c32_3); } if (col4) { finish(m0 + 32u, n0 + 32u, c32_4); } if (col5) { finish(m0 + 32u, n0 + 40u, c32_5); } if (col6) { finish(m0 + 32u, n0 + 48u, c32_6); } if (col7) { finish(m0 + 32u, n0 + 56u, c32_7); } }
    if (m0 + 33u < p.m) { if (col0) { finish(m0 + 33u, n0 + 0u, c33_0); } if (col1) { finish(m0 + 33u, n0 + 8u, c33_1); } if (col2) { finish(m0 + 33u, n0 + 16u, c33_2); } if (col3) { finish(m0 + 33u, n0 + 24u, c33_3); } if (col4) { finish(m0 + 33u, n0 + 32u, c33_4); } if (col5) { finish(m0 + 33u, n0 + 40u, c33_5); } if (col6) { finish(m0 + 33u, n0 + 48u, c33_6); } if (col7) { finish(m0 + 33u, n0 + 56u, c33_7); } }
    if (m0 + 34u < p.m) { if (col0) { finish(m0 + 34u, n0 + 0u, c34_0); } if (col1) { finish(m0 + 34u, n0 + 8u, c34_1); } if (col2) { finish(m0 + 34u, n0 + 16u, c34_2); } if (col3) { finish(m0 + 34u, n0 + 24u, c34_3); } if (col4) { finish(m0 + 34u, n0 + 32u, c34_4); } if (col5) { finish(m0 + 34u, n0 + 40u, c34_5); } if (col6) { finish(m0 + 34u, n0 + 48u, c34_6); } if (col7) { finish(m0 + 34u, n0 + 56u, c34_7); } }
    if (m0 + 35u < p.m) { if (col0) { finish(m0 + 35u, n0 + 0u, c35_0); } if (col1) { finish(m0 + 35u, n0 + 8u, c35_1); } if (col2) { finish(m0 + 35u, n0 + 16u, c35_2); } if (col3) { finish(m0 + 35u, n0 + 24u, c35_3); } if (col4) { finish(m0 + 35u, n0 + 32u, c35_4); } if (col5) { finish(m0 + 35u, n0 + 40u, c35_5); } if (col6) { finish(m0 + 35u, n0 + 48u, c35_6); } if (col7) { finish(m0 + 35u, n0 + 56u, c35_7); } }
    if (m0 + 36u < p.m) { if (col0) { finish(m0 + 36u, n0 + 0u, c36_0); } if (col1) { finish(m0 + 36u, n0 + 8u, c36_1); } if (col2) { finish(m0 + 36u, n0 + 16u, c36_2); } if (col3) { finish(m0 + 36u, n0 + 24u, c36_3); } if (col4) { finish(m0 + 36u, n0 + 32u, c36_4); } if (col5) { finish(m0 + 36u, n0 + 40u, c36_5); } if (col6) { finish(m0 + 36u, n0 + 48u, c36_6); } if (col7) { finish(m0 + 36u, n0 + 56u, c36_7); } }
    if (m0 + 37u < p.m) { if (col0) { finish(m0 + 37u, n0 + 0u, c37_0); } if (col1) { finish(m0 + 37u, n0 + 8u, c37_1); } if (col2) { finish(m0 + 37u, n0 + 16u, c37_2); } if (col3) { finish(m0 + 37u, n0 + 24u, c37_3); } if (col4) { finish(m0 + 37u, n0 + 32u, c37_4); } if (col5) { finish(m0 + 37u, n0 + 40u, c37_5); } if (col6) { finish(m0 + 37u, n0 + 48u, c37_6); } if (col7) { finish(m0 + 37u, n0 + 56u, c37_7); } }
    if (m0 + 38u < p.m) { if (col0) { finish(m0 + 38u, n0 + 0u, c38_0); } if (col1) { finish(m0 + 38u, n0 + 8u, c38_1); } if (col2) { finish(m0 + 38u, n0 + 16u, c38_2); } if (col3) { finish(m0 + 38u, n0 + 24u, c38_3); } if (col4) { finish(m0 + 38u, n0 + 32u, c38_4); } if (col5) { finish(m0 + 38u, n0 + 40u, c38_5); } if (col6) { finish(m0 + 38u, n0 + 48u, c38_6); } if (col7) { finish(m0 + 38u, n0 + 56u, c38_7); } }
    if (m0 + 39u < p.m) { if (col0) { finish(m0 + 39u, n0 + 0u, c39_0); } if (col1) { finish(m0 + 39u, n0 + 8u, c39_1); } if (col2) { finish(m0 + 39u, n0 + 16u, c39_2); } if (col3) { finish(m0 + 39u, n0 + 24u, c39_3); } if (col4) { finish(m0 + 39u, n0 + 32u, c39_4); } if (col5) { finish(m0 + 39u, n0 + 40u, c39_5); } if (col6) { finish(m0 + 39u, n0 + 48u, c39_6); } if (col7) { finish(m0 + 39u, n0 + 56u, c39_7); } }
    if (m0 + 40u < p.m) { if (col0) { finish(m0 + 40u, n0 + 0u, c40_0); } if (col1) { finish(m0 + 40u, n0 + 8u, c40_1); } if (col2) { finish(m0 + 40u, n0 + 16u, c40_2); } if (col3) { finish(m0 + 40u, n0 + 24u, c40_3); } if (col4) { finish(m0 + 40u, n0 + 32u, c40_4); } if (col5) { finish(m0 + 40u, n0 + 40u, c40_5); } if (col6) { finish(m0 + 40u, n0 + 48u, c40_6); } if (col7) { finish(m0 + 40u, n0 + 56u, c40_7); } }
    if (m0 + 41u < p.m) { if (col0) { finish(m0 + 41u, n0 + 0u, c41_0); } if (col1) { finish(m0 + 41u, n0 + 8u, c41_1); } if (col2) { finish(m0 + 41u, n0 + 16u, c41_2); } if (col3) { finish(m0 + 41u, n0 + 24u, c41_3); } if (col4) { finish(m0 + 41u, n0 + 32u, c41_4); } if (col5) { finish(m0 + 41u, n0 + 40u, c41_5); } if (col6) { finish(m0 + 41u, n0 + 48u, c41_6); } if (col7) { finish(m0 + 41u, n0 + 56u, c41_7); } }
    if (m0 + 42u < p.m) { if (col0) { finish(m0 + 42u, n0 + 0u, c42_0); } if (col1) { finish(m0 + 42u, n0 + 8u, c42_1); } if (col2) { finish(m0 + 42u, n0 + 16u, c42_2); } if (col3) { finish(m0 + 42u, n0 + 24u, c42_3); } if (col4) { finish(m0 + 42u, n0 + 32u, c42_4); } if (col5) { finish(m0 + 42u, n0 + 40u, c42_5); } if (col6) { finish(m0 + 42u, n0 + 48u, c42_6); } if (col7) { finish(m0 + 42u, n0 + 56u, c42_7); } }
    if (m0 + 43u < p.m) { if (col0) { finish(m0 + 43u, n0 + 0u, c43_0); } if (col1) { finish(m0 + 43u, n0 + 8u, c43_1); } if (col2) { finish(m0 + 43u, n0 + 16u, c43_2); } if (col3) { finish(m0 + 43u, n0 + 24u, c43_3); } if (col4) { finish(m0 + 43u, n0 + 32u, c43_4); } if (col5) { finish(m0 + 43u, n0 + 40u, c43_5); } if (col6) { finish(m0 + 43u, n0 + 48u, c43_6); } if (col7) { finish(m0 + 43u, n0 + 56u, c43_7); } }
    if (m0 + 44u < p.m) { if (col0) { finish(m0 + 44u, n0 + 0u, c44_0); } if (col1) { finish(m0 + 44u, n0 + 8u, c44_1); } if (col2) { finish(m0 + 44u, n0 + 16u, c44_2); } if (col3) { finish(m0 + 44u, n0 + 24u, c44_3); } if (col4) { finish(m0 + 44u, n0 + 32u, c44_4); } if (col5) { finish(m0 + 44u, n0 + 40u, c44_5); } if (col6) { finish(m0 + 44u, n0 + 48u, c44_6); } if (col7) { finish(m0 + 44u, n0 + 56u, c44_7); } }
    if (m0 + 45u < p.m) { if (col0) { finish(m0 + 45u, n0 + 0u, c45_0); } if (col1) { finish(m0 + 45u, n0 + 8u, c45_1); } if (col2) { finish(m0 + 45u, n0 + 16u, c45_2); } if (col3) { finish(m0 + 45u, n0 + 24u, c45_3); } if (col4) { finish(m0 + 45u, n0 + 32u, c45_4); } if (col5) { finish(m0 + 45u, n0 + 40u, c45_5); } if (col6) { finish(m0 + 45u, n0 + 48u, c45_6); } if (col7) { finish(m0 + 45u, n0 + 56u, c45_7); } }
    if (m0 + 46u < p.m) { if (col0) { finish(m0 + 46u, n0 + 0u, c46_0); } if (col1) { finish(m0 + 46u, n0 + 8u, c46_1); } if (col2) { finish(m0 + 46u, n0 + 16u, c46_2); } if (col3) { finish(m0 + 46u, n0 + 24u, c46_3); } if (col4) { finish(m0 + 46u, n0 + 32u, c46_4); } if (col5) { finish(m0 + 46u, n0 + 40u, c46_5); } if (col6) { finish(m0 + 46u, n0 + 48u, c46_6); } if (col7) { finish(m0 + 46u, n0 + 56u, c46_7); } }
    if (m0 + 47u < p.m) { if (col0) { finish(m0 + 47u, n0 + 0u, c47_0); } if (col1) { finish(m0 + 47u, n0 + 8u, c47_1); } if (col2) { finish(m0 + 47u, n0 + 16u, c47_2); } if (col3) { finish(m0 + 47u, n0 + 24u, c47_3); } if (col4) { finish(m0 + 47u, n0 + 32u, c47_4); } if (col5) { finish(m0 + 47u, n0 + 40u, c47_5); } if (col6) { finish(m0 + 47u, n0 + 48u, c47_6); } if (col7) { finish(m0 + 47u, n0 + 56u, c47_7); } }
    if (m0 + 48u < p.m) { if (col0) { finish(m0 + 48u, n0 + 0u, c48_0); } if (col1) { finish(m0 + 48u, n0 + 8u, c48_1); } if (col2) { finish(m0 + 48u, n0 + 16u, c48_2); } if (col3) { finish(m0 + 48u, n0 + 24u, c48_3); } if (col4) { finish(m0 + 48u, n0 + 32u, c48_4); } if (col5) { finish(m0 + 48u, n0 + 40u, c48_5); } if (col6) { finish(m0 + 48u, n0 + 48u, c48_6); } if (col7) { finish(m0 + 48u, n0 + 56u, c48_7); } }
    if (m0 + 49u < p.m) { if (col0) { finish(m0 + 49u, n0 + 0u, c49_0); } if (col1) { finish(m0 + 49u, n0 + 8u, c49_1); } if (col2) { finish(m0 + 49u, n0 + 16u, c49_2); } if (col3) { finish(m0 + 49u, n0 + 24u, c49_3); } if (col4) { finish(m0 + 49u, n0 + 32u, c49_4); } if (col5) { finish(m0 + 49u, n0 + 40u, c49_5); } if (col6) { finish(m0 + 49u, n0 + 48u, c49_6); } if (col7) { finish(m0 + 49u, n0 + 56u, c49_7); } }
    if (m0 + 50u < p.m) { if (col0) { finish(m0 + 50u, n0 + 0u, c50_0); } if (col1) { finish(m0 + 50u, n0 + 8u, c50_1); } if (col2) { finish(m0 + 50u, n0 + 16u, c50_2); } if (col3) { finish(m0 + 50u, n0 + 24u, c50_3); } if (col4) { finish(m0 + 50u, n0 + 32u, c50_4); } if (col5) { finish(m0 + 50u, n0 + 40u, c50_5); } if (col6) { finish(m0 + 50u, n0 + 48u, c50_6); } if (col7) { finish(m0 + 50u, n0 + 56u, c50_7); } }
    if (m0 + 51u < p.m) { if (col0) { finish(m0 + 51u, n0 + 0u, c51_0); } if (col1) { finish(m0 + 51u, n0 + 8u, c51_1); } if (col2) { finish(m0 + 51u, n0 + 16u, c51_2); } if (col3) { finish(m0 + 51u, n0 + 24u, c51_3); } if (col4) { finish(m0 + 51u, n0 + 32u, c51_4); } if (col5) { finish(m0 + 51u, n0 + 40u, c51_5); } if (col6) { finish(m0 + 51u, n0 + 48u, c51_6); } if (col7) { finish(m0 + 51u, n0 + 56u, c51_7); } }
    if (m0 + 52u < p.m) { if (col0) { finish(m0 + 52u, n0 + 0u, c52_0); } if (col1) { finish(m0 + 52u, n0 + 8u, c52_1); } if (col2) { finish(m0 + 52u, n0 + 16u, c52_2); } if (col3) { finish(m0 + 52u, n0 + 24u, c52_3); } if (col4) { finish(m0 + 52u, n0 + 32u, c52_4); } if (col5) { finish(m0 + 52u, n0 + 40u, c52_5); } if (col6) { finish(m0 + 52u, n0 + 48u, c52_6); } if (col7) { finish(m0 + 52u, n0 + 56u, c52_7); } }
    if (m0 + 53u < p.m) { if (col0) { finish(m0 + 53u, n0 + 0u, c53_0); } if (col1) { finish(m0 + 53u, n0 + 8u, c53_1); } if (col2) { finish(m0 + 53u, n0 + 16u, c53_2); } if (col3) { finish(m0 + 53u, n0 + 24u, c53_3); } if (col4) { finish(m0 + 53u, n0 + 32u, c53_4); } if (col5) { finish(m0 + 53u, n0 + 40u, c53_5); } if (col6) { finish(m0 + 53u, n0 + 48u, c53_6); } if (col7) { finish(m0 + 53u, n0 + 56u, c53_7); } }
    if (m0 + 54u < p.m) { if (col0) { finish(m0 + 54u, n0 + 0u, c54_0); } if (col1) { finish(m0 + 54u, n0 + 8u, c54_1); } if (col2) { finish(m0 + 54u, n0 + 16u, c54_2); } if (col3) { finish(m0 + 54u, n0 + 24u, c54_3); } if (col4) { finish(m0 + 54u, n0 + 32u, c54_4); } if (col5) { finish(m0 + 54u, n0 + 40u, c54_5); } if (col6) { finish(m0 + 54u, n0 + 48u, c54_6); } if (col7) { finish(m0 + 54u, n0 + 56u, c54_7); } }
    if (m0 + 55u < p.m) { if (col0) { finish(m0 + 55u, n0 + 0u, c55_0); } if (col1) { finish(m0 + 55u, n0 + 8u, c55_1); } if (col2) { finish(m0 + 55u, n0 + 16u, c55_2); } if (col3) { finish(m0 + 55u, n0 + 24u, c55_3); } if (col4) { finish(m0 + 55u, n0 + 32u, c55_4); } if (col5) { finish(m0 + 55u, n0 + 40u, c55_5); } if (col6) { finish(m0 + 55u, n0 + 48u, c55_6); } if (col7) { finish(m0 + 55u, n0 + 56u, c55_7); } }
    if (m0 + 56u < p.m) { if (col0) { finish(m0 + 56u, n0 + 0u, c56_0); } if (col1) { finish(m0 + 56u, n0 + 8u, c56_1); } if (col2) { finish(m0 + 56u, n0 + 16u, c56_2); } if (col3) { finish(m0 + 56u, n0 + 24u, c56_3); } if (col4) { finish(m0 + 56u, n0 + 32u, c56_4); } if (col5) { finish(m0 + 56u, n0 + 40u, c56_5); } if (col6) { finish(m0 + 56u, n0 + 48u, c56_6); } if (col7) { finish(m0 + 56u, n0 + 56u, c56_7); } }
    if (m0 + 57u < p.m) { if (col0) { finish(m0 + 57u, n0 + 0u, c57_0); } if (col1) { finish(m0 + 57u, n0 + 8u, c57_1); } if (col2) { finish(m0 + 57u, n0 + 16u, c57_2); } if (col3) { finish(m0 + 57u, n0 + 24u, c57_3); } if (col4) { finish(m0 + 57u, n0 + 32u, c57_4); } if (col5) { finish(m0 + 57u, n0 + 40u, c57_5); } if (col6) { finish(m0 + 57u, n0 + 48u, c57_6); } if (col7) { finish(m0 + 57u, n0 + 56u, c57_7); } }
    if (m0 + 58u < p.m) { if (col0) { finish(m0 + 58u, n0 + 0u, c58_0); } if (col1) { finish(m0 + 58u, n0 + 8u, c58_1); } if (col2) { finish(m0 + 58u, n0 + 16u, c58_2); } if (col3) { finish(m0 + 58u, n0 + 24u, c58_3); } if (col4) { finish(m0 + 58u, n0 + 32u, c58_4); } if (col5) { finish(m0 + 58u, n0 + 40u, c58_5); } if (col6) { finish(m0 + 58u, n0 + 48u, c58_6); } if (col7) { finish(m0 + 58u, n0 + 56u, c58_7); } }
    if (m0 + 59u < p.m) { if (col0) { finish(m0 + 59u, n0 + 0u, c59_0); } if (col1) { finish(m0 + 59u, n0 + 8u, c59_1); } if (col2) { finish(m0 + 59u, n0 + 16u, c59_2); } if (col3) { finish(m0 + 59u, n0 + 24u, c59_3); } if (col4) { finish(m0 + 59u, n0 + 32u, c59_4); } if (col5) { finish(m0 + 59u, n0 + 40u, c59_5); } if (col6) { finish(m0 + 59u, n0 + 48u, c59_6); } if (col7) { finish(m0 + 59u, n0 + 56u, c59_7); } }
    if (m0 + 60u < p.m) { if (col0) { finish(m0 + 60u, n0 + 0u, c60_0); } if (col1) { finish(m0 + 60u, n0 + 8u, c60_1); } if (col2) { finish(m0 + 60u, n0 + 16u, c60_2); } if (col3) { finish(m0 + 60u, n0 + 24u, c60_3); } if (col4) { finish(m0 + 60u, n0 + 32u, c60_4); } if (col5) { finish(m0 + 60u, n0 + 40u, c60_5); } if (col6) { finish(m0 + 60u, n0 + 48u, c60_6); } if (col7) { finish(m0 + 60u, n0 + 56u, c60_7); } }
    if (m0 + 61u < p.m) { if (col0) { finish(m0 + 61u, n0 + 0u, c61_0); } if (col1) { finish(m0 + 61u, n0 + 8u, c61_1); } if (col2) { finish(m0 + 61u, n0 + 16u, c61_2); } if (col3) { finish(m0 + 61u, n0 + 24u, c61_3); } if (col4) { finish(m0 + 61u, n0 + 32u, c61_4); } if (col5) { finish(m0 + 61u, n0 + 40u, c61_5); } if (col6) { finish(m0 + 61u, n0 + 48u, c61_6); } if (col7) { finish(m0 + 61u, n0 + 56u, c61_7); } }
    if (m0 + 62u < p.m) { if (col0) { finish(m0 + 62u, n0 + 0u, c62_0); } if (col1) { finish(m0 + 62u, n0 + 8u, c62_1); } if (col2) { finish(m0 + 62u, n0 + 16u, c62_2); } if (col3) { finish(m0 + 62u, n0 + 24u, c62_3); } if (col4) { finish(m0 + 62u, n0 + 32u, c62_4); } if (col5) { finish(m0 + 62u, n0 + 40u, c62_5); } if (col6) { finish(m0 + 62u, n0 + 48u, c62_6); } if (col7) { finish(m0 + 62u, n0 + 56u, c62_7); } }
    if (m0 + 63u < p.m) { if (col0) { finish(m0 + 63u, n0 + 0u, c63_0); } if (col1) { finish(m0 + 63u, n0 + 8u, c63_1); } if (col2) { finish(m0 + 63u, n0 + 16u, c63_2); } if (col3) { finish(m0 + 63u, n0 + 24u, c63_3); } if (col4) { finish(m0 + 63u, n0 + 32u, c63_4); } if (col5) { finish(m0 + 63u, n0 + 40u, c63_5); } if (col6) { finish(m0 + 63u, n0 + 48u, c63_6); } if (col7) { finish(m0 + 63u, n0 + 56u, c63_7); } }
}
// END GENERATED matmul_subgroup_nt_wide
// BEGIN GENERATED matmul_subgroup_nn4_wide
// Generated by tools/gen_shaders.py: NN_M = 64, NN_N4 = 2, 8 lanes.
@compute @workgroup_size(8)
fn matmul_subgroup_nn4_wide(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let lane = lid.x;
    let m0 = wg.y * 64u;
    let n0 = wg.x * 64u + 4u * lane;
    let last_m = p.m - 1u;
    let last_n4 = p.n - 4u;
    let ar0 = (p.a_off + min(m0 + lane + 0u, last_m) * p.a_rs) / 4u;
    let ar1 = (p.a_off + min(m0 + lane + 8u, last_m) * p.a_rs) / 4u;
    let ar2 = (p.a_off + min(m0 + lane + 16u, last_m) * p.a_rs) / 4u;
    let ar3 = (p.a_off + min(m0 + lane + 24u, last_m) * p.a_rs) / 4u;
    let ar4 = (p.a_off + min(m0 + lane + 32u, last_m) * p.a_rs) / 4u;
    let ar5 = (p.a_off + min(m0 + lane + 40u, last_m) * p.a_rs) / 4u;
    let ar6 = (p.a_off + min(m0 + lane + 48u, last_m) * p.a_rs) / 4u;
    let ar7 = (p.a_off + min(m0 + lane + 56u, last_m) * p.a_rs) / 4u;
    let bc0 = min(n0 + 0u, last_n4) / 4u;
    let bc1 = min(n0 + 32u, last_n4) / 4u;
    var c0_0 = vec4<f32>(); var c0_1 = vec4<f32>();
    var c1_0 = vec4<f32>(); var c1_1 = vec4<f32>();
    var c2_0 = vec4<f32>(); var c2_1 = vec4<f32>();
    var c3_0 = vec4<f32>(); var c3_1 = vec4<f32>();
    var c4_0 = vec4<f32>(); var c4_1 = vec4<f32>();
    var c5_0 = vec4<f32>(); var c5_1 = vec4<f32>();
    var c6_0 = vec4<f32>(); var c6_1 = vec4<f32>();
    var c7_0 = vec4<f32>(); var c7_1 = vec4<f32>();
    var c8_0 = vec4<f32>(); var c8_1 = vec4<f32>();
    var c9_0 = vec4<f32>(); var c9_1 = vec4<f32>();
    var c10_0 = vec4<f32>(); var c10_1 = vec4<f32>();
    var c11_0 = vec4<f32>(); var c11_1 = vec4<f32>();
    var c12_0 = vec4<f32>(); var c12_1 = vec4<f32>();
    var c13_0 = vec4<f32>(); var c13_1 = vec4<f32>();
    var c14_0 = vec4<f32>(); var c14_1 = vec4<f32>();
    var c15_0 = vec4<f32>(); var c15_1 = vec4<f32>();
    var c16_0 = vec4<f32>(); var c16_1 = vec4<f32>();
    var c17_0 = vec4<f32>(); var c17_1 = vec4<f32>();
    var c18_0 = vec4<f32>(); var c18_1 = vec4<f32>();
    var c19_0 = vec4<f32>(); var c19_1 = vec4<f32>();
    var c20_0 = vec4<f32>(); var c20_1 = vec4<f32>();
    var c21_0 = vec4<f32>(); var c21_1 = vec4<f32>();
    var c22_0 = vec4<f32>(); var c22_1 = vec4<f32>();
    var c23_0 = vec4<f32>(); var c23_1 = vec4<f32>();
    var c24_0 = vec4<f32>(); var c24_1 = vec4<f32>();
    var c25_0 = vec4<f32>(); var c25_1 = vec4<f32>();
    var c26_0 = vec4<f32>(); var c26_1 = vec4<f32>();
    var c27_0 = vec4<f32>(); var c27_1 = vec4<f32>();
    var c28_0 = vec4<f32>(); var c28_1 = vec4<f32>();
    var c29_0 = vec4<f32>(); var c29_1 = vec4<f32>();
    var c30_0 = vec4<f32>(); var c30_1 = vec4<f32>();
    var c31_0 = vec4<f32>(); var c31_1 = vec4<f32>();
    var c32_0 = vec4<f32>(); var c32_1 = vec4<f32>();
    var c33_0 = vec4<f32>(); var c33_1 = vec4<f32>();
    var c34_0 = vec4<f32>(); var c34_1 = vec4<f32>();
    var c35_0 = vec4<f32>(); var c35_1 = vec4<f32>();
    var c36_0 = vec4<f32>(); var c36_1 = vec4<f32>();
    var c37_0 = vec4<f32>(); var c37_1 = vec4<f32>();
    var c38_0 = vec4<f32>(); var c38_1 = vec4<f32>();
    var c39_0 = vec4<f32>(); var c39_1 = vec4<f32>();
    var c40_0 = vec4<f32>(); var c40_1 = vec4<f32>();
    var c41_0 = vec4<f32>(); var c41_1 = vec4<f32>();
    var c42_0 = vec4<f32>(); var c42_1 = vec4<f32>();
    var c43_0 = vec4<f32>(); var c43_1 = vec4<f32>();
    var c44_0 = vec4<f32>(); var c44_1 = vec4<f32>();
    var c45_0 = vec4<f32>(); var c45_1 = vec4<f32>();
    var c46_0 = vec4<f32>(); var c46_1 = vec4<f32>();
    var c47_0 = vec4<f32>(); var c47_1 = vec4<f32>();
    var c48_0 = vec4<f32>(); var c48_1 = vec4<f32>();
    var c49_0 = vec4<f32>(); var c49_1 = vec4<f32>();
    var c50_0 = vec4<f32>(); var c50_1 = vec4<f32>();
    var c51_0 = vec4<f32>(); var c51_1 = vec4<f32>();
    var c52_0 = vec4<f32>(); var c52_1 = vec4<f32>();
    var c53_0 = vec4<f32>(); var c53_1 = vec4<f32>();
    var c54_0 = vec4<f32>(); var c54_1 = vec4<f32>();
    var c55_0 = vec4<f32>(); var c55_1 = vec4<f32>();
    var c56_0 = vec4<f32>(); var c56_1 = vec4<f32>();
    var c57_0 = vec4<f32>(); var c57_1 = vec4<f32>();
    var c58_0 = vec4<f32>(); var c58_1 = vec4<f32>();
    var c59_0 = vec4<f32>(); var c59_1 = vec4<f32>();
    var c60_0 = vec4<f32>(); var c60_1 = vec4<f32>();
    var c61_0 = vec4<f32>(); var c61_1 = vec4<f32>();
    var c62_0 = vec4<f32>(); var c62_1 = vec4<f32>();
    var c63_0 = vec4<f32>(); var c63_1 = vec4<f32>();
    let k4 = p.k / 4u;
    for (var k = 0u; k < k4; k++) {
        let ra0 = a4[ar0 + k]; let ra1 = a4[ar1 + k]; let ra2 = a4[ar2 + k]; let ra3 = a4[ar3 + k]; let ra4 = a4[ar4 + k]; let ra5 = a4[ar5 + k]; let ra6 = a4[ar6 + k]; let ra7 = a4[ar7 + k];
        let x0 = subgroupBroadcast(ra0, 0u);
        let x1 = subgroupBroadcast(ra0, 1u);
        let x2 = subgroupBroadcast(ra0, 2u);
        let x3 = subgroupBroadcast(ra0, 3u);
        let x4 = subgroupBroadcast(ra0, 4u);
        let x5 = subgroupBroadcast(ra0, 5u);
        let x6 = subgroupBroadcast(ra0, 6u);
        let x7 = subgroupBroadcast(ra0, 7u);
        let x8 = subgroupBroadcast(ra1, 0u);
        let x9 = subgroupBroadcast(ra1, 1u);
        let x10 = subgroupBroadcast(ra1, 2u);
        let x11 = subgroupBroadcast(ra1, 3u);
        let x12 = subgroupBroadcast(ra1, 4u);
        let x13 = subgroupBroadcast(ra1, 5u);
        let x14 = subgroupBroadcast(ra1, 6u);
        let x15 = subgroupBroadcast(ra1, 7u);
        let x16 = subgroupBroadcast(ra2, 0u);
        let x17 = subgroupBroadcast(ra2, 1u);
        let x18 = subgroupBroadcast(ra2, 2u);
        let x19 = subgroupBroadcast(ra2, 3u);
        let x20 = subgroupBroadcast(ra2, 4u);
        let x21 = subgroupBroadcast(ra2, 5u);
        let x22 = subgroupBroadcast(ra2, 6u);
        let x23 = subgroupBroadcast(ra2, 7u);
        let x24 = subgroupBroadcast(ra3, 0u);
        let x25 = subgroupBroadcast(ra3, 1u);
        let x26 = subgroupBroadcast(ra3, 2u);
        let x27 = subgroupBroadcast(ra3, 3u);
        let x28 = subgroupBroadcast(ra3, 4u);
        let x29 = subgroupBroadcast(ra3, 5u);
        let x30 = subgroupBroadcast(ra3, 6u);
        let x31 = subgroupBroadcast(ra3, 7u);
        let x32 = subgroupBroadcast(ra4, 0u);
        let x33 = subgroupBroadcast(ra4, 1u);
        let x34 = subgroupBroadcast(ra4, 2u);
        let x35 = subgroupBroadcast(ra4, 3u);
        let x36 = subgroupBroadcast(ra4, 4u);
        let x37 = subgroupBroadcast(ra4, 5u);
        let x38 = subgroupBroadcast(ra4, 6u);
        let x39 = subgroupBroadcast(ra4, 7u);
        let x40 = subgroupBroadcast(ra5, 0u);
        let x41 = subgroupBroadcast(ra5, 1u);
        let x42 = subgroupBroadcast(ra5, 2u);
        let x43 = subgroupBroadcast(ra5, 3u);
        let x44 = subgroupBroadcast(ra5, 4u);
        let x45 = subgroupBroadcast(ra5, 5u);
        let x46 = subgroupBroadcast(ra5, 6u);
        let x47 = subgroupBroadcast(ra5, 7u);
        let x48 = subgroupBroadcast(ra6, 0u);
        let x49 = subgroupBroadcast(ra6, 1u);
        let x50 = subgroupBroadcast(ra6, 2u);
        let x51 = subgroupBroadcast(ra6, 3u);
        let x52 = subgroupBroadcast(ra6, 4u);
        let x53 = subgroupBroadcast(ra6, 5u);
        let x54 = subgroupBroadcast(ra6, 6u);
        let x55 = subgroupBroadcast(ra6, 7u);
        let x56 = subgroupBroadcast(ra7, 0u);
        let x57 = subgroupBroadcast(ra7, 1u);
        let x58 = subgroupBroadcast(ra7, 2u);
        let x59 = subgroupBroadcast(ra7, 3u);
        let x60 = subgroupBroadcast(ra7, 4u);
        let x61 = subgroupBroadcast(ra7, 5u);
        let x62 = subgroupBroadcast(ra7, 6u);
        let x63 = subgroupBroadcast(ra7, 7u);
        let bk0 = (4u * k + 0u) * p.b_rs / 4u;
        let b0_0 = load_b4(bk0 + bc0); let b1_0 = load_b4(bk0 + bc1);
        c0_0 += x0.x * b0_0; c0_1 += x0.x * b1_0;
        c1_0 += x1.x * b0_0; c1_1 += x1.x * b1_0;
        c2_0 += x2.x * b0_0; c2_1 += x2.x * b1_0;
        c3_0 += x3.x * b0_0; c3_1 += x3.x * b1_0;
        c4_0 += x4.x * b0_0; c4_1 += x4.x * b1_0;
        c5_0 += x5.x * b0_0; c5_1 += x5.x * b1_0;
        c6_0 += x6.x * b0_0; c6_1 += x6.x * b1_0;
        c7_0 += x7.x * b0_0; c7_1 += x7.x * b1_0;
        c8_0 += x8.x * b0_0; c8_1 += x8.x * b1_0;
        c9_0 += x9.x * b0_0; c9_1 += x9.x * b1_0;
        c10_0 += x10.x * b0_0; c10_1 += x10.x * b1_0;
        c11_0 += x11.x * b0_0; c11_1 += x11.x * b1_0;
        c12_0 += x12.x * b0_0; c12_1 += x12.x * b1_0;
        c13_0 += x13.x * b0_0; c13_1 += x13.x * b1_0;
        c14_0 += x14.x * b0_0; c14_1 += x14.x * b1_0;
        c15_0 += x15.x * b0_0; c15_1 += x15.x * b1_0;
        c16_0 += x16.x * b0_0; c16_1 += x16.x * b1_0;
        c17_0 += x17.x * b0_0; c17_1 += x17.x * b1_0;
        c18_0 += x18.x * b0_0; c18_1 += x18.x * b1_0;
        c19_0 += x19.x * b0_0; c19_1 += x19.x * b1_0;
        c20_0 += x20.x * b0_0; c20_1 += x20.x * b1_0;
        c21_0 += x21.x * b0_0; c21_1 += x21.x * b1_0;
        c22_0 += x22.x * b0_0; c22_1 += x22.x * b1_0;
        c23_0 += x23.x * b0_0; c23_1 += x23.x * b1_0;
        c24_0 += x24.x * b0_0; c24_1 += x24.x * b1_0;
        c25_0 += x25.x * b0_0; c25_1 += x25.x * b1_0;
        c26_0 += x26.x * b0_0; c26_1 += x26.x * b1_0;
        c27_0 += x27.x * b0_0; c27_1 += x27.x * b1_0;
        c28_0 += x28.x * b0_0; c28_1 += x28.x * b1_0;
        c29_0 += x29.x * b0_0; c29_1 += x29.x * b1_0;
        c30_0 += x30.x * b0_0; c30_1 += x30.x * b1_0;
        c31_0 += x31.x * b0_0; c31_1 += x31.x * b1_0;
        c32_0 += x32.x * b0_0; c32_1 += x32.x * b1_0;
        c33_0 += x33.x * b0_0; c33_1 += x33.x * b1_0;
        c34_0 += x34.x * b0_0; c34_1 += x34.x * b1_0;
        c35_0 += x35.x * b0_0; c35_1 += x35.x * b1_0;
        c36_0 += x36.x * b0_0; c36_1 += x36.x * b1_0;
        c37_0 += x37.x * b0_0; c37_1 += x37.x * b1_0;
        c38_0 += x38.x * b0_0; c38_1 += x38.x * b1_0;
        c39_0 += x39.x * b0_0; c39_1 += x39.x * b1_0;
        c40_0 += x40.x * b0_0; c40_1 += x40.x * b1_0;
        c41_0 += x41.x * b0_0; c41_1 += x41.x * b1_0;
        c42_0 += x42.x * b0_0; c42_1 += x42.x * b1_0;
        c43_0 += x43.x * b0_0; c43_1 += x43.x * b1_0;
        c44_0 += x44.x * b0_0; c44_1 += x44.x * b1_0;
        c45_0 += x45.x * b0_0; c45_1 += x45.x * b1_0;
        c46_0 += x46.x * b0_0; c46_1 += x46.x * b1_0;
        c47_0 += x47.x * b0_0; c47_1 += x47.x * b1_0;
        c48_0 += x48.x * b0_0; c48_1 += x48.x * b1_0;
        c49_0 += x49.x * b0_0; c49_1 += x49.x * b1_0;
        c50_0 += x50.x * b0_0; c50_1 += x50.x * b1_0;
        c51_0 += x51.x * b0_0; c51_1 += x51.x * b1_0;
        c52_0 += x52.x * b0_0; c52_1 += x52.x * b1_0;
        c53_0 += x53.x * b0_0; c53_1 += x53.x * b1_0;
        c54_0 += x54.x * b0_0; c54_1 += x54.x * b1_0;
        c55_0 += x55.x * b0_0; c55_1 += x55.x * b1_0;
        c56_0 += x56.x * b0_0; c56_1 += x56.x * b1_0;
        c57_0 += x57.x * b0_0; c57_1 += x57.x * b1_0;
        c58_0 += x58.x * b0_0; c58_1 += x58.x * b1_0;
        c59_0 += x59.x * b0_0; c59_1 += x59.x * b1_0;
        c60_0 += x60.x * b0_0; c60_1 += x60.x * b1_0;
        c61_0 += x61.x * b0_0; c61_1 += x61.x * b1_0;
        c62_0 += x62.x * b0_0; c62_1 += x62.x * b1_0;
        c63_0 += x63.x * b0_0; c63_1 += x63.x * b1_0;
        let bk1 = (4u * k + 1u) * p.b_rs / 4u;
        let b0_1 = load_b4(bk1 + bc0); let b1_1 = load_b4(bk1 + bc1);
        c0_0 += x0.y * b0_1; c0_1 += x0.y * b1_1;
        c1_0 += x1.y * b0_1; c1_1 += x1.y * b1_1;
        c2_0 += x2.y * b0_1; c2_1 += x2.y * b1_1;
        c3_0 += x3.y * b0_1; c3_1 += x3.y * b1_1;
        c4_0 += x4.y * b0_1; c4_1 += x4.y * b1_1;
        c5_0 += x5.y * b0_1; c5_1 += x5.y * b1_1;
        c6_0 += x6.y * b0_1; c6_1 += x6.y * b1_1;
        c7_0 += x7.y * b0_1; c7_1 += x7.y * b1_1;
        c8_0 += x8.y * b0_1; c8_1 += x8.y * b1_1;
        c9_0 += x9.y * b0_1; c9_1 += x9.y * b1_1;
        c10_0 += x10.y * b0_1; c10_1 += x10.y * b1_1;
        c11_0 += x11.y * b0_1; c11_1 += x11.y * b1_1;
        c12_0 += x12.y * b0_1; c12_1 += x12.y * b1_1;
        c13_0 += x13.y * b0_1; c13_1 += x13.y * b1_1;
        c14_0 += x14.y * b0_1; c14_1 += x14.y * b1_1;
        c15_0 += x15.y * b0_1; c15_1 += x15.y * b1_1;
        c16_0 += x16.y * b0_1; c16_1 += x16.y * b1_1;
        c17_0 += x17.y * b0_1; c17_1 += x17.y * b1_1;
        c18_0 += x18.y * b0_1; c18_1 += x18.y * b1_1;
        c19_0 += x19.y * b0_1; c19_1 += x19.y * b1_1;
        c20_0 += x20.y * b0_1; c20_1 += x20.y * b1_1;
        c21_0 += x21.y * b0_1; c21_1 += x21.y * b1_1;
        c22_0 += x22.y * b0_1; c22_1 += x22.y * b1_1;
        c23_0 += x23.y * b0_1; c23_1 += x23.y * b1_1;
        c24_0 += x24.y * b0_1; c24_1 += x24.y * b1_1;
        c25_0 += x25.y * b0_1; c25_1 += x25.y * b1_1;
        c26_0 += x26.y * b0_1; c26_1 += x26.y * b1_1;
        c27_0 += x27.y * b0_1; c27_1 += x27.y * b1_1;
        c28_0 += x28.y * b0_1; c28_1 += x28.y * b1_1;
        c29_0 += x29.y * b0_1; c29_1 += x29.y * b1_1;
        c30_0 += x30.y * b0_1; c30_1 += x30.y * b1_1;
        c31_0 += x31.y * b0_1; c31_1 += x31.y * b1_1;
        c32_0 += x32.y * b0_1; c32_1 += x32.y * b1_1;
        c33_0 += x33.y * b0_1; c33_1 += x33.y * b1_1;
        c34_0 += x34.y * b0_1; c34_1 += x34.y * b1_1;
        c35_0 += x35.y * b0_1; c35_1 += x35.y * b1_1;
        c36_0 += x36.y * b0_1; c36_1 += x36.y * b1_1;
        c37_0 += x37.y * b0_1; c37_1 += x37.y * b1_1;
        c38_0 += x38.y * b0_1; c38_1 += x38.y * b1_1;
        c39_0 += x39.y * b0_1; c39_1 += x39.y * b1_1;
        c40_0 += x40.y * b0_1; c40_1 += x40.y * b1_1;
        c41_0 += x41.y * b0_1; c41_1 += x41.y * b1_1;
        c42_0 += x42.y * b0_1; c42_1 += x42.y * b1_1;
        c43_0 += x43.y * b0_1; c43_1 += x43.y * b1_1;
        c44_0 += x44.y * b0_1; c44_1 += x44.y * b1_1;
        c45_0 += x45.y * b0_1; c45_1 += x45.y * b1_1;
        c46_0 += x46.y * b0_1; c46_1 += x46.y * b1_1;
        c47_0 += x47.y * b0_1; c47_1 += x47.y * b1_1;
        c48_0 += x48.y * b0_1; c48_1 += x48.y * b1_1;
        c49_0 += x49.y * b0_1; c49_1 += x49.y * b1_1;
        c50_0 += x50.y * b0_1; c50_1 += x50.y * b1_1;
        c51_0 += x51.y * b0_1; c51_1 += x51.y * b1_1;
        c52_0 += x52.y * b0_1; c52_1 += x52.y * b1_1;
        c53_0 += x53.y * b0_1; c53_1 += x53.y * b1_1;
        c54_0 += x54.y * b0_1; c54_1 += x54.y * b1_1;
        c55_0 += x55.y * b0_1; c55_1 += x55.y * b1_1;
        c56_0 += x56.y * b0_1; c56_1 += x56.y * b1_1;
        c57_0 += x57.y * b0_1; c57_1 += x57.y * b1_1;
        c58_0 += x58.y * b0_1; c58_1 += x58.y * b1_1;
        c59_0 += x59.y * b0_1; c59_1 += x59.y * b1_1;
        c60_0 += x60.y * b0_1; c60_1 += x60.y * b1_1;
        c61_0 += x61.y * b0_1; c61_1 += x61.y * b1_1;
        c62_0 += x62.y * b0_1; c62_1 += x62.y * b1_1;
        c63_0 += x63.y * b0_1; c63_1 += x63.y * b1_1;
        let bk2 = (4u * k + 2u) * p.b_rs / 4u;
        let b0_2 = load_b4(bk2 + bc0); let b1_2 = load_b4(bk2 + bc1);
        c0_0 += x0.z * b0_2; c0_1 += x0.z * b1_2;
        c1_0 += x1.z * b0_2; c1_1 += x1.z * b1_2;
        c2_0 += x2.z * b0_2; c2_1 += x2.z * b1_2;
        c3_0 += x3.z * b0_2; c3_1 += x3.z * b1_2;
        c4_0 += x4.z * b0_2; c4_1 += x4.z * b1_2;
        c5_0 += x5.z * b0_2; c5_1 += x5.z * b1_2;
        c6_0 += x6.z * b0_2; c6_1 += x6.z * b1_2;
        c7_0 += x7.z * b0_2; c7_1 += x7.z * b1_2;
        c8_0 += x8.z * b0_2; c8_1 += x8.z * b1_2;
        c9_0 += x9.z * b0_2; c9_1 += x9.z * b1_2;
        c10_0 += x10.z * b0_2; c10_1 += x10.z * b1_2;
        c11_0 += x11.z * b0_2; c11_1 += x11.z * b1_2;
        c12_0 += x12.z * b0_2; c12_1 += x12.z * b1_2;
        c13_0 += x13.z * b0_2; c13_1 += x13.z * b1_2;
        c14_0 += x14.z * b0_2; c14_1 += x14.z * b1_2;
        c15_0 += x15.z * b0_2; c15_1 += x15.z * b1_2;
        c16_0 += x16.z * b0_2; c16_1 += x16.z * b1_2;
        c17_0 += x17.z * b0_2; c17_1 += x17.z * b1_2;
        c18_0 += x18.z * b0_2; c18_1 += x18.z * b1_2;
        c19_0 += x19.z * b0_2; c19_1 += x19.z * b1_2;
        c20_0 += x20.z * b0_2; c20_1 += x20.z * b1_2;
        c21_0 += x21.z * b0_2; c21_1 += x21.z * b1_2;
        c22_0 += x22.z * b0_2; c22_1 += x22.z * b1_2;
        c23_0 += x23.z * b0_2; c23_1 += x23.z * b1_2;
        c24_0 += x24.z * b0_2; c24_1 += x24.z * b1_2;
        c25_0 += x25.z * b0_2; c25_1 += x25.z * b1_2;
        c26_0 += x26.z * b0_2; c26_1 += x26.z * b1_2;
        c27_0 += x27.z * b0_2; c27_1 += x27.z * b1_2;
        c28_0 += x28.z * b0_2; c28_1 += x28.z * b1_2;
        c29_0 += x29.z * b0_2; c29_1 += x29.z * b1_2;
        c30_0 += x30.z * b0_2; c30_1 += x30.z * b1_2;
        c31_0 += x31.z * b0_2; c31_1 += x31.z * b1_2;
        c32_0 += x32.z * b0_2; c32_1 += x32.z * b1_2;
        c33_0 += x33.z * b0_2; c33_1 += x33.z * b1_2;
        c34_0 += x34.z * b0_2; c34_1 += x34.z * b1_2;
        c35_0 += x35.z * b0_2; c35_1 += x35.z * b1_2;
        c36_0 += x36.z * b0_2; c36_1 += x36.z * b1_2;
        c37_0 += x37.z * b0_2; c37_1 += x37.z * b1_2;
        c38_0 += x38.z * b0_2; c38_1 += x38.z * b1_2;
        c39_0 += x39.z * b0_2; c39_1 += x39.z * b1_2;
        c40_0 += x40.z * b0_2; c40_1 += x40.z * b1_2;
        c41_0 += x41.z * b0_2; c41_1 += x41.z * b1_2;
        c42_0 += x42.z * b0_2; c42_1 += x42.z * b1_2;
        c43_0 += x43.z * b0_2; c43_1 += x43.z * b1_2;
        c44_0 += x44.z * b0_2; c44_1 += x44.z * b1_2;
        c45_0 += x45.z * b0_2; c45_1 += x45.z * b1_2;
        c46_0 += x46.z * b0_2; c46_1 += x46.z * b1_2;
        c47_0 += x47.z * b0_2; c47_1 += x47.z * b1_2;
        c48_0 += x48.z * b0_2; c48_1 += x48.z * b1_2;
        c49_0 += x49.z * b0_2; c49_1 += x49.z * b1_2;
        c50_0 += x50.z * b0_2; c50_1 += x50.z * b1_2;
        c51_0 += x51.z * b0_2; c51_1 += x51.z * b1_2;
        c52_0 += x52.z * b0_2; c52_1 += x52.z * b1_2;
        c53_0 += x53.z * b0_2; c53_1 += x53.z * b1_2;
        c54_0 += x54.z * b0_2; c54_1 += x54.z * b1_2;
        c55_0 += x55.z * b0_2; c55_1 += x55.z * b1_2;
        c56_0 += x56.z * b0_2; c56_1 += x56.z * b1_2;
        c57_0 += x57.z * b0_2; c57_1 += x57.z * b1_2;
        c58_0 += x58.z * b0_2; c58_1 += x58.z * b1_2;
        c59_0 += x59.z * b0_2; c59_1 += x59.z * b1_2;
        c60_0 += x60.z * b0_2; c60_1 += x60.z * b1_2;
        c61_0 += x61.z * b0_2; c61_1 += x61.z * b1_2;
        c62_0 += x62.z * b0_2; c62_1 += x62.z * b1_2;
        c63_0 += x63.z * b0_2; c63_1 += x63.z * b1_2;
        let bk3 = (4u * k + 3u) * p.b_rs / 4u;
        let b0_3 = load_b4(bk3 + bc0); let b1_3 = load_b4(bk3 + bc1);
        c0_0 += x0.w * b0_3; c0_1 += x0.w * b1_3;
        c1_0 += x1.w * b0_3; c1_1 += x1.w * b1_3;
        c2_0 += x2.w * b0_3; c2_1 += x2.w * b1_3;
        c3_0 += x3.w * b0_3; c3_1 += x3.w * b1_3;
        c4_0 += x4.w * b0_3; c4_1 += x4.w * b1_3;
        c5_0 += x5.w * b0_3; c5_1 += x5.w * b1_3;
        c6_0 += x6.w * b0_3; c6_1 += x6.w * b1_3;
        c7_0 += x7.w * b0_3; c7_1 += x7.w * b1_3;
        c8_0 += x8.w * b0_3; c8_1 += x8.w * b1_3;
        c9_0 += x9.w * b0_3; c9_1 += x9.w * b1_3;
        c10_0 += x10.w * b0_3; c10_1 += x10.w * b1_3;
        c11_0 += x11.w * b0_3; c11_1 += x11.w * b1_3;
        c12_0 += x12.w * b0_3; c12_1 += x12.w * b1_3;
        c13_0 += x13.w * b0_3; c13_1 += x13.w * b1_3;
        c14_0 += x14.w * b0_3; c14_1 += x14.w * b1_3;
        c15_0 += x15.w * b0_3; c15_1 += x15.w * b1_3;
        c16_0 += x16.w * b0_3; c16_1 += x16.w * b1_3;
        c17_0 += x17.w * b0_3; c17_1 += x17.w * b1_3;
        c18_0 += x18.w * b0_3; c18_1 += x18.w * b1_3;
        c19_0 += x19.w * b0_3; c19_1 += x19.w * b1_3;
        c20_0 += x20.w * b0_3; c20_1 += x20.w * b1_3;
        c21_0 += x21.w * b0_3; c21_1 += x21.w * b1_3;
        c22_0 += x22.w * b0_3; c22_1 += x22.w * b1_3;
        c23_0 += x23.w * b0_3; c23_1 += x23.w * b1_3;
        c24_0 += x24.w * b0_3; c24_1 += x24.w * b1_3;
        c25_0 += x25.w * b0_3; c25_1 += x25.w * b1_3;
        c26_0 += x26.w * b0_3; c26_1 += x26.w * b1_3;
        c27_0 += x27.w * b0_3; c27_1 += x27.w * b1_3;
        c28_0 += x28.w * b0_3; c28_1 += x28.w * b1_3;
        c29_0 += x29.w * b0_3; c29_1 += x29.w * b1_3;
        c30_0 += x30.w * b0_3; c30_1 += x30.w * b1_3;
        c31_0 += x31.w * b0_3; c31_1 += x31.w * b1_3;
        c32_0 += x32.w * b0_3; c32_1 += x32.w * b1_3;
        c33_0 += x33.w * b0_3; c33_1 += x33.w * b1_3;
        c34_0 += x34.w * b0_3; c34_1 += x34.w * b1_3;
        c35_0 += x35.w * b0_3; c35_1 += x35.w * b1_3;
        c36_0 += x36.w * b0_3; c36_1 += x36.w * b1_3;
        c37_0 += x37.w * b0_3; c37_1 += x37.w * b1_3;
        c38_0 += x38.w * b0_3; c38_1 += x38.w * b1_3;
        c39_0 += x39.w * b0_3; c39_1 += x39.w * b1_3;
        c40_0 += x40.w * b0_3; c40_1 += x40.w * b1_3;
        c41_0 += x41.w * b0_3; c41_1 += x41.w * b1_3;
        c42_0 += x42.w * b0_3; c42_1 += x42.w * b1_3;
        c43_0 += x43.w * b0_3; c43_1 += x43.w * b1_3;
        c44_0 += x44.w * b0_3; c44_1 += x44.w * b1_3;
        c45_0 += x45.w * b0_3; c45_1 += x45.w * b1_3;
        c46_0 += x46.w * b0_3; c46_1 += x46.w * b1_3;
        c47_0 += x47.w * b0_3; c47_1 += x47.w * b1_3;
        c48_0 += x48.w * b0_3; c48_1 += x48.w * b1_3;
        c49_0 += x49.w * b0_3; c49_1 += x49.w * b1_3;
        c50_0 += x50.w * b0_3; c50_1 += x50.w * b1_3;
        c51_0 += x51.w * b0_3; c51_1 += x51.w * b1_3;
        c52_0 += x52.w * b0_3; c52_1 += x52.w * b1_3;
        c53_0 += x53.w * b0_3; c53_1 += x53.w * b1_3;
        c54_0 += x54.w * b0_3; c54_1 += x54.w * b1_3;
        c55_0 += x55.w * b0_3; c55_1 += x55.w * b1_3;
        c56_0 += x56.w * b0_3; c56_1 += x56.w * b1_3;
        c57_0 += x57.w * b0_3; c57_1 += x57.w * b1_3;
        c58_0 += x58.w * b0_3; c58_1 += x58.w * b1_3;
        c59_0 += x59.w * b0_3; c59_1 += x59.w * b1_3;
        c60_0 += x60.w * b0_3; c60_1 += x60.w * b1_3;
        c61_0 += x61.w * b0_3; c61_1 += x61.w * b1_3;
        c62_0 += x62.w * b0_3; c62_1 += x62.w * b1_3;
        c63_0 += x63.w * b0_3; c63_1 += x63.w * b1_3;
    }
    // K not a multiple of 4: the last vec4 of each row holds 1-3 valid values (the rest
    // is the row's padding, read but not used).
    let tail = p.k - 4u * k4;
    if (tail > 0u) {
        let ra0 = a4[ar0 + k4]; let ra1 = a4[ar1 + k4]; let ra2 = a4[ar2 + k4]; let ra3 = a4[ar3 + k4]; let ra4 = a4[ar4 + k4]; let ra5 = a4[ar5 + k4]; let ra6 = a4[ar6 + k4]; let ra7 = a4[ar7 + k4];
        let x0 = subgroupBroadcast(ra0, 0u);
        let x1 = subgroupBroadcast(ra0, 1u);
        let x2 = subgroupBroadcast(ra0, 2u);
        let x3 = subgroupBroadcast(ra0, 3u);
        let x4 = subgroupBroadcast(ra0, 4u);
        let x5 = subgroupBroadcast(ra0, 5u);
        let x6 = subgroupBroadcast(ra0, 6u);
        let x7 = subgroupBroadcast(ra0, 7u);
        let x8 = subgroupBroadcast(ra1, 0u);
        let x9 = subgroupBroadcast(ra1, 1u);
        let x10 = subgroupBroadcast(ra1, 2u);
        let x11 = subgroupBroadcast(ra1, 3u);
        let x12 = subgroupBroadcast(ra1, 4u);
        let x13 = subgroupBroadcast(ra1, 5u);
        let x14 = subgroupBroadcast(ra1, 6u);
        let x15 = subgroupBroadcast(ra1, 7u);
        let x16 = subgroupBroadcast(ra2, 0u);
        let x17 = subgroupBroadcast(ra2, 1u);
        let x18 = subgroupBroadcast(ra2, 2u);
        let x19 = subgroupBroadcast(ra2, 3u);
        let x20 = subgroupBroadcast(ra2, 4u);
        let x21 = subgroupBroadcast(ra2, 5u);
        let x22 = subgroupBroadcast(ra2, 6u);
        let x23 = subgroupBroadcast(ra2, 7u);
        let x24 = subgroupBroadcast(ra3, 0u);
        let x25 = subgroupBroadcast(ra3, 1u);
        let x26 = subgroupBroadcast(ra3, 2u);
        let x27 = subgroupBroadcast(ra3, 3u);
        let x28 = subgroupBroadcast(ra3, 4u);
        let x29 = subgroupBroadcast(ra3, 5u);
        let x30 = subgroupBroadcast(ra3, 6u);
        let x31 = subgroupBroadcast(ra3, 7u);
        let x32 = subgroupBroadcast(ra4, 0u);
        let x33 = subgroupBroadcast(ra4, 1u);
        let x34 = subgroupBroadcast(ra4, 2u);
        let x35 = subgroupBroadcast(ra4, 3u);
        let x36 = subgroupBroadcast(ra4, 4u);
        let x37 = subgroupBroadcast(ra4, 5u);
        let x38 = subgroupBroadcast(ra4, 6u);
        let x39 = subgroupBroadcast(ra4, 7u);
        let x40 = subgroupBroadcast(ra5, 0u);
        let x41 = subgroupBroadcast(ra5, 1u);
        let x42 = subgroupBroadcast(ra5, 2u);
        let x43 = subgroupBroadcast(ra5, 3u);
        let x44 = subgroupBroadcast(ra5, 4u);
        let x45 = subgroupBroadcast(ra5, 5u);
        let x46 = subgroupBroadcast(ra5, 6u);
        let x47 = subgroupBroadcast(ra5, 7u);
        let x48 = subgroupBroadcast(ra6, 0u);
        let x49 = subgroupBroadcast(ra6, 1u);
        let x50 = subgroupBroadcast(ra6, 2u);
        let x51 = subgroupBroadcast(ra6, 3u);
        let x52 = subgroupBroadcast(ra6, 4u);
        let x53 = subgroupBroadcast(ra6, 5u);
        let x54 = subgroupBroadcast(ra6, 6u);
        let x55 = subgroupBroadcast(ra6, 7u);
        let x56 = subgroupBroadcast(ra7, 0u);
        let x57 = subgroupBroadcast(ra7, 1u);
        let x58 = subgroupBroadcast(ra7, 2u);
        let x59 = subgroupBroadcast(ra7, 3u);
        let x60 = subgroupBroadcast(ra7, 4u);
        let x61 = subgroupBroadcast(ra7, 5u);
        let x62 = subgroupBroadcast(ra7, 6u);
        let x63 = subgroupBroadcast(ra7, 7u);
        let bk0 = (4u * k4 + 0u) * p.b_rs / 4u;
        let b0_0 = load_b4(bk0 + bc0); let b1_0 = load_b4(bk0 + bc1);
        c0_0 += x0.x * b0_0; c0_1 += x0.x * b1_0;
        c1_0 += x1.x * b0_0; c1_1 += x1.x * b1_0;
        c2_0 += x2.x * b0_0; c2_1 += x2.x * b1_0;
        c3_0 += x3.x * b0_0; c3_1 += x3.x * b1_0;
        c4_0 += x4.x * b0_0; c4_1 += x4.x * b1_0;
        c5_0 += x5.x * b0_0; c5_1 += x5.x * b1_0;
        c6_0 += x6.x * b0_0; c6_1 += x6.x * b1_0;
        c7_0 += x7.x * b0_0; c7_1 += x7.x * b1_0;
        c8_0 += x8.x * b0_0; c8_1 += x8.x * b1_0;
        c9_0 += x9.x * b0_0; c9_1 += x9.x * b1_0;
        c10_0 += x10.x * b0_0; c10_1 += x10.x * b1_0;
        c11_0 += x11.x * b0_0; c11_1 += x11.x * b1_0;
        c12_0 += x12.x * b0_0; c12_1 += x12.x * b1_0;
        c13_0 += x13.x * b0_0; c13_1 += x13.x * b1_0;
        c14_0 += x14.x * b0_0; c14_1 += x14.x * b1_0;
        c15_0 += x15.x * b0_0; c15_1 += x15.x * b1_0;
        c16_0 += x16.x * b0_0; c16_1 += x16.x * b1_0;
        c17_0 += x17.x * b0_0; c17_1 += x17.x * b1_0;
        c18_0 += x18.x * b0_0; c18_1 += x18.x * b1_0;
        c19_0 += x19.x * b0_0; c19_1 += x19.x * b1_0;
        c20_0 += x20.x * b0_0; c20_1 += x20.x * b1_0;
        c21_0 += x21.x * b0_0; c21_1 += x21.x * b1_0;
        c22_0 += x22.x * b0_0; c22_1 += x22.x * b1_0;
        c23_0 += x23.x * b0_0; c23_1 += x23.x * b1_0;
        c24_0 += x24.x * b0_0; c24_1 += x24.x * b1_0;
        c25_0 += x25.x * b0_0; c25_1 += x25.x * b1_0;
        c26_0 += x26.x * b0_0; c26_1 += x26.x * b1_0;
        c27_0 += x27.x * b0_0; c27_1 += x27.x * b1_0;
        c28_0 += x28.x * b0_0; c28_1 += x28.x * b1_0;
        c29_0 += x29.x * b0_0; c29_1 += x29.x * b1_0;
        c30_0 += x30.x * b0_0; c30_1 += x30.x * b1_0;
        c31_0 += x31.x * b0_0; c31_1 += x31.x * b1_0;
        c32_0 += x32.x * b0_0; c32_1 += x32.x * b1_0;
        c33_0 += x33.x * b0_0; c33_1 += x33.x * b1_0;
        c34_0 += x34.x * b0_0; c34_1 += x34.x * b1_0;
        c35_0 += x35.x * b0_0; c35_1 += x35.x * b1_0;
        c36_0 += x36.x * b0_0; c36_1 += x36.x * b1_0;
        c37_0 += x37.x * b0_0; c37_1 += x37.x * b1_0;
        c38_0 += x38.x * b0_0; c38_1 += x38.x * b1_0;
        c39_0 += x39.x * b0_0; c39_1 += x39.x * b1_0;
        c40_0 += x40.x * b0_0; c40_1 += x40.x * b1_0;
        c41_0 += x41.x * b0_0; c41_1 += x41.x * b1_0;
        c42_0 += x42.x * b0_0; c42_1 += x42.x * b1_0;
        c43_0 += x43.x * b0_0; c43_1 += x43.x * b1_0;
        c44_0 += x44.x * b0_0; c44_1 += x44.x * b1_0;
        c45_0 += x45.x * b0_0; c45_1 += x45.x * b1_0;
        c46_0 += x46.x * b0_0; c46_1 += x46.x * b1_0;
        c47_0 += x47.x * b0_0; c47_1 += x47.x * b1_0;
        c48_0 += x48.x * b0_0; c48_1 += x48.x * b1_0;
        c49_0 += x49.x * b0_0; c49_1 += x49.x * b1_0;
        c50_0 += x50.x * b0_0; c50_1 += x50.x * b1_0;
        c51_0 += x51.x * b0_0; c51_1 += x51.x * b1_0;
        c52_0 += x52.x * b0_0; c52_1 += x52.x * b1_0;
        c53_0 += x53.x * b0_0; c53_1 += x53.x * b1_0;
        c54_0 += x54.x * b0_0; c54_1 += x54.x * b1_0;
        c55_0 += x55.x * b0_0; c55_1 += x55.x * b1_0;
        c56_0 += x56.x * b0_0; c56_1 += x56.x * b1_0;
        c57_0 += x57.x * b0_0; c57_1 += x57.x * b1_0;
        c58_0 += x58.x * b0_0; c58_1 += x58.x * b1_0;
        c59_0 += x59.x * b0_0; c59_1 += x59.x * b1_0;
        c60_0 += x60.x * b0_0; c60_1 += x60.x * b1_0;
        c61_0 += x61.x * b0_0; c61_1 += x61.x * b1_0;
        c62_0 += x62.x * b0_0; c62_1 += x62.x * b1_0;
        c63_0 += x63.x * b0_0; c63_1 += x63.x * b1_0;
        if (tail > 1u) {
            let bk1 = (4u * k4 + 1u) * p.b_rs / 4u;
            let b0_1 = load_b4(bk1 + bc0); let b1_1 = load_b4(bk1 + bc1);
            c0_0 += x0.y * b0_1; c0_1 += x0.y * b1_1;
            c1_0 += x1.y * b0_1; c1_1 += x1.y * b1_1;
            c2_0 += x2.y * b0_1; c2_1 += x2.y * b1_1;
            c3_0 += x3.y * b0_1; c3_1 += x3.y * b1_1;
            c4_0 += x4.y * b0_1; c4_1 += x4.y * b1_1;
            c5_0 += x5.y * b0_1; c5_1 += x5.y * b1_1;
            c6_0 += x6.y * b0_1; c6_1 += x6.y * b1_1;
            c7_0 += x7.y * b0_1; c7_1 += x7.y * b1_1;
            c8_0 += x8.y * b0_1; c8_1 += x8.y * b1_1;
            c9_0 += x9.y * b0_1; c9_1 += x9.y * b1_1;
            c10_0 += x10.y * b0_1; c10_1 += x10.y * b1_1;
            c11_0 += x11.y * b0_1; c11_1 += x11.y * b1_1;
            c12_0 += x12.y * b0_1; c12_1 += x12.y * b1_1;
            c13_0 += x13.y * b0_1; c13_1 += x13.y * b1_1;
            c14_0 += x14.y * b0_1; c14_1 += x14.y * b1_1;
            c15_0 += x15.y * b0_1; c15_1 += x15.y * b1_1;
            c16_0 += x16.y * b0_1; c16_1 += x16.y * b1_1;
            c17_0 += x17.y * b0_1; c17_1 += x17.y * b1_1;
            c18_0 += x18.y * b0_1; c18_1 += x18.y * b1_1;
            c19_0 += x19.y * b0_1; c19_1 += x19.y * b1_1;
            c20_0 += x20.y * b0_1; c20_1 += x20.y * b1_1;
            c21_0 += x21.y * b0_1; c21_1 += x21.y * b1_1;
            c22_0 += x22.y * b0_1; c22_1 += x22.y * b1_1;
            c23_0 += x23.y * b0_1; c23_1 += x23.y * b1_1;
            c24_0 += x24.y * b0_1; c24_1 += x24.y * b1_1;
            c25_0 += x25.y * b0_1; c25_1 += x25.y * b1_1;
            c26_0 += x26.y * b0_1; c26_1 += x26.y * b1_1;
            c27_0 += x27.y * b0_1; c27_1 += x27.y * b1_1;
            c28_0 += x28.y * b0_1; c28_1 += x28.y * b1_1;
            c29_0 += x29.y * b0_1; c29_1 += x29.y * b1_1;
            c30_0 += x30.y * b0_1; c30_1 += x30.y * b1_1;
            c31_0 += x31.y * b0_1; c31_1 += x31.y * b1_1;
            c32_0 += x32.y * b0_1; c32_1 += x32.y * b1_1;
            c33_0 += x33.y * b0_1; c33_1 += x33.y * b1_1;
            c34_0 += x34.y * b0_1; c34_1 += x34.y * b1_1;
            c35_0 += x35.y * b0_1; c35_1 += x35.y * b1_1;
            c36_0 += x36.y * b0_1; c36_1 += x36.y * b1_1;
            c37_0 += x37.y * b0_1; c37_1 += x37.y * b1_1;
            c38_0 += x38.y * b0_1; c38_1 += x38.y * b1_1;
            c39_0 += x39.y * b0_1; c39_1 += x39.y * b1_1;
            c40_0 += x40.y * b0_1; c40_1 += x40.y * b1_1;
            c41_0 += x41.y * b0_1; c41_1 += x41.y * b1_1;
            c42_0 += x42.y * b0_1; c42_1 += x42.y * b1_1;
            c43_0 += x43.y * b0_1; c43_1 += x43.y * b1_1;
            c44_0 += x44.y * b0_1; c44_1 += x44.y * b1_1;
            c45_0 += x45.y * b0_1; c45_1 += x45.y * b1_1;
            c46_0 += x46.y * b0_1; c46_1 += x46.y * b1_1;
            c47_0 += x47.y * b0_1; c47_1 += x47.y * b1_1;
            c48_0 += x48.y * b0_1; c48_1 += x48.y * b1_1;
            c49_0 += x49.y * b0_1; c49_1 += x49.y * b1_1;
            c50_0 += x50.y * b0_1; c50_1 += x50.y * b1_1;
            c51_0 += x51.y * b0_1; c51_1 += x51.y * b1_1;
            c52_0 += x52.y * b0_1; c52_1 += x52.y * b1_1;
            c53_0 += x53.y * b0_1; c53_1 += x53.y * b1_1;
            c54_0 += x54.y * b0_1; c54_1 += x54.y * b1_1;
            c55_0 += x55.y * b0_1; c55_1 += x55.y * b1_1;
            c56_0 += x56.y * b0_1; c56_1 += x56.y * b1_1;
            c57_0 += x57.y * b0_1; c57_1 += x57.y * b1_1;
            c58_0 += x58.y * b0_1; c58_1 += x58.y * b1_1;
            c59_0 += x59.y * b0_1; c59_1 += x59.y * b1_1;
            c60_0 += x60.y * b0_1; c60_1 += x60.y * b1_1;
            c61_0 += x61.y * b0_1; c61_1 += x61.y * b1_1;
            c62_0 += x62.y * b0_1; c62_1 += x62.y * b1_1;
            c63_0 += x63.y * b0_1; c63_1 += x63.y * b1_1;
        }
        if (tail > 2u) {
            let bk2 = (4u * k4 + 2u) * p.b_rs / 4u;
            let b0_2 = load_b4(bk2 + bc0); let b1_2 = load_b4(bk2 + bc1);
            c0_0 += x0.z * b0_2; c0_1 += x0.z * b1_2;
            c1_0 += x1.z * b0_2; c1_1 += x1.z * b1_2;
            c2_0 += x2.z * b0_2; c2_1 += x2.z * b1_2;
            c3_0 += x3.z * b0_2; c3_1 += x3.z * b1_2;
            c4_0 += x4.z * b0_2; c4_1 += x4.z * b1_2;
            c5_0 += x5.z * b0_2; c5_1 += x5.z * b1_2;
            c6_0 += x6.z * b0_2; c6_1 += x6.z * b1_2;
            c7_0 += x7.z * b0_2; c7_1 += x7.z * b1_2;
            c8_0 += x8.z * b0_2; c8_1 += x8.z * b1_2;
            c9_0 += x9.z * b0_2; c9_1 += x9.z * b1_2;
            c10_0 += x10.z * b0_2; c10_1 += x10.z * b1_2;
            c11_0 += x11.z * b0_2; c11_1 += x11.z * b1_2;
            c12_0 += x12.z * b0_2; c12_1 += x12.z * b1_2;
            c13_0 += x13.z * b0_2; c13_1 += x13.z * b1_2;
            c14_0 += x14.z * b0_2; c14_1 += x14.z * b1_2;
            c15_0 += x15.z * b0_2; c15_1 += x15.z * b1_2;
            c16_0 += x16.z * b0_2; c16_1 += x16.z * b1_2;
            c17_0 += x17.z * b0_2; c17_1 += x17.z * b1_2;
            c18_0 += x18.z * b0_2; c18_1 += x18.z * b1_2;
            c19_0 += x19.z * b0_2; c19_1 += x19.z * b1_2;
            c20_0 += x20.z * b0_2; c20_1 += x20.z * b1_2;
            c21_0 += x21.z * b0_2; c21_1 += x21.z * b1_2;
            c22_0 += x22.z * b0_2; c22_1 += x22.z * b1_2;
            c23_0 += x23.z * b0_2; c23_1 += x23.z * b1_2;
            c24_0 += x24.z * b0_2; c24_1 += x24.z * b1_2;
            c25_0 += x25.z * b0_2; c25_1 += x25.z * b1_2;
            c26_0 += x26.z * b0_2; c26_1 += x26.z * b1_2;
            c27_0 += x27.z * b0_2; c27_1 += x27.z * b1_2;
            c28_0 += x28.z * b0_2; c28_1 += x28.z * b1_2;
            c29_0 += x29.z * b0_2; c29_1 += x29.z * b1_2;
            c30_0 += x30.z * b0_2; c30_1 += x30.z * b1_2;
            c31_0 += x31.z * b0_2; c31_1 += x31.z * b1_2;
            c32_0 += x32.z * b0_2; c32_1 += x32.z * b1_2;
            c33_0 += x33.z * b0_2; c33_1 += x33.z * b1_2;
            c34_0 += x34.z * b0_2; c34_1 += x34.z * b1_2;
            c35_0 += x35.z * b0_2; c35_1 += x35.z * b1_2;
            c36_0 += x36.z * b0_2; c36_1 += x36.z * b1_2;
            c37_0 += x37.z * b0_2; c37_1 += x37.z * b1_2;
            c38_0 += x38.z * b0_2; c38_1 += x38.z * b1_2;
            c39_0 += x39.z * b0_2; c39_1 += x39.z * b1_2;
            c40_0 += x40.z * b0_2; c40_1 += x40.z * b1_2;
            c41_0 += x41.z * b0_2; c41_1 += x41.z * b1_2;
            c42_0 += x42.z * b0_2; c42_1 += x42.z * b1_2;
            c43_0 += x43.z * b0_2; c43_1 += x43.z * b1_2;
            c44_0 += x44.z * b0_2; c44_1 += x44.z * b1_2;
            c45_0 += x45.z * b0_2; c45_1 += x45.z * b1_2;
            c46_0 += x46.z * b0_2; c46_1 += x46.z * b1_2;
            c47_0 += x47.z * b0_2; c47_1 += x47.z * b1_2;
            c48_0 += x48.z * b0_2; c48_1 += x48.z * b1_2;
            c49_0 += x49.z * b0_2; c49_1 += x49.z * b1_2;
            c50_0 += x50.z * b0_2; c50_1 += x50.z * b1_2;
            c51_0 += x51.z * b0_2; c51_1 += x51.z * b1_2;
            c52_0 += x52.z * b0_2; c52_1 += x52.z * b1_2;
            c53_0 += x53.z * b0_2; c53_1 += x53.z * b1_2;
            c54_0 += x54.z * b0_2; c54_1 += x54.z * b1_2;
            c55_0 += x55.z * b0_2; c55_1 += x55.z * b1_2;
            c56_0 += x56.z * b0_2; c56_1 += x56.z * b1_2;
            c57_0 += x57.z * b0_2; c57_1 += x57.z * b1_2;
            c58_0 += x58.z * b0_2; c58_1 += x58.z * b1_2;
            c59_0 += x59.z * b0_2; c59_1 += x59.z * b1_2;
            c60_0 += x60.z * b0_2; c60_1 += x60.z * b1_2;
            c61_0 += x61.z * b0_2; c61_1 += x61.z * b1_2;
            c62_0 += x62.z * b0_2; c62_1 += x62.z * b1_2;
            c63_0 += x63.z * b0_2; c63_1 += x63.z * b1_2;
        }
    }
    let col0 = n0 + 0u < p.n;
    let col1 = n0 + 32u < p.n;
    if (m0 + 0u < p.m) { if (col0) { finish4(m0 + 0u, n0 + 0u, c0_0); } if (col1) { finish4(m0 + 0u, n0 + 32u, c0_1); } }
    if (m0 + 1u < p.m) { if (col0) { finish4(m0 + 1u, n0 + 0u, c1_0); } if (col1) { finish4(m0 + 1u, n0 + 32u, c1_1); } }
    if (m0 + 2u < p.m) { if (col0) { finish4(m0 + 2u, n0 + 0u, c2_0); } if (col1) { finish4(m0 + 2u, n0 + 32u, c2_1); } }
    if (m0 + 3u < p.m) { if (col0) { finish4(m0 + 3u, n0 + 0u, c3_0); } if (col1) { finish4(m0 + 3u, n0 + 32u, c3_1); } }
    if (m0 + 4u < p.m) { if (col0) { finish4(m0 + 4u, n0 + 0u, c4_0); } if (col1) { finish4(m0 + 4u, n0 + 32u, c4_1); } }
    if (m0 + 5u < p.m) { if (col0) { finish4(m0 + 5u, n0 + 0u, c5_0); } if (col1) { finish4(m0 + 5u, n0 + 32u, c5_1); } }
    if (m0 + 6u < p.m) { if (col0) { finish4(m0 + 6u, n0 + 0u, c6_0); } if (col1) { finish4(m0 + 6u, n0 + 32u, c6_1); } }
    if (m0 + 7u < p.m) { if (col0) { finish4(m0 + 7u, n0 + 0u, c7_0); } if (col1) { finish4(m0 + 7u, n0 + 32u, c7_1); } }
    if (m0 + 8u < p.m) { if (col0) { finish4(m0 + 8u, n0 + 0u, c8_0); } if (col1) { finish4(m0 + 8u, n0 + 32u, c8_1); } }
    if (m0 + 9u < p.m) { if (col0) { finish4(m0 + 9u, n0 + 0u, c9_0); } if (col1) { finish4(m0 + 9u, n0 + 32u, c9_1); } }
    if (m0 + 10u < p.m) { if (col0) { finish4(m0 + 10u, n0 + 0u, c10_0); } if (col1) { finish4(m0 + 10u, n0 + 32u, c10_1); } }
    if (m0 + 11u < p.m) { if (col0) { finish4(m0 + 11u, n0 + 0u, c11_0); } if (col1) { finish4(m0 + 11u, n0 + 32u, c11_1); } }
    if (m0 + 12u < p.m) { if (col0) { finish4(m0 + 12u, n0 + 0u, c12_0); } if (col1) { finish4(m0 + 12u, n0 + 32u, c12_1); } }
    if (m0 + 13u < p.m) { if (col0) { finish4(m0 + 13u, n0 + 0u, c13_0); } if (col1) { finish4(m0 + 13u, n0 + 32u, c13_1); } }
    if (m0 + 14u < p.m) { if (col0) { finish4(m0 + 14u, n0 + 0u, c14_0); } if (col1) { finish4(m0 + 14u, n0 + 32u, c14_1); } }
    if (m0 + 15u < p.m) { if (col0) { finish4(m0 + 15u, n0 + 0u, c15_0); } if (col1) { finish4(m0 + 15u, n0 + 32u, c15_1); } }
    if (m0 + 16u < p.m) { if (col0) { finish4(m0 + 16u, n0 + 0u, c16_0); } if (col1) { finish4(m0 + 16u, n0 + 32u, c16_1); } }
    if (m0 + 17u < p.m) { if (col0) { finish4(m0 + 17u, n0 + 0u, c17_0); } if (col1) { finish4(m0 + 17u, n0 + 32u, c17_1); } }
    if (m0 + 18u < p.m) { if (col0) { finish4(m0 + 18u, n0 + 0u, c18_0); } if (col1) { finish4(m0 + 18u, n0 + 32u, c18_1); } }
    if (m0 + 19u < p.m) { if (col0) { finish4(m0 + 19u, n0 + 0u, c19_0); } if (col1) { finish4(m0 + 19u, n0 + 32u, c19_1); } }
    if (m0 + 20u < p.m) { if (col0) { finish4(m0 + 20u, n0 + 0u, c20_0); } if (col1) { finish4(m0 + 20u, n0 + 32u, c20_1); } }
    if (m0 + 21u < p.m) { if (col0) { finish4(m0 + 21u, n0 + 0u, c21_0); } if (col1) { finish4(m0 + 21u, n0 + 32u, c21_1); } }
    if (m0 + 22u < p.m) { if (col0) { finish4(m0 + 22u, n0 + 0u, c22_0); } if (col1) { finish4(m0 + 22u, n0 + 32u, c22_1); } }
    if (m0 + 23u < p.m) { if (col0) { finish4(m0 + 23u, n0 + 0u, c23_0); } if (col1) { finish4(m0 + 23u, n0 + 32u, c23_1); } }
    if (m0 + 24u < p.m) { if (col0) { finish4(m0 + 24u, n0 + 0u, c24_0); } if (col1) { finish4(m0 + 24u, n0 + 32u, c24_1); } }
    if (m0 + 25u < p.m) { if (col0) { finish4(m0 + 25u, n0 + 0u, c25_0); } if (col1) { finish4(m0 + 25u, n0 + 32u, c25_1); } }
    if (m0 + 26u < p.m) { if (col0) { finish4(m0 + 26u, n0 + 0u, c26_0); } if (col1) { finish4(m0 + 26u, n0 + 32u, c26_1); } }
    if (m0 + 27u < p.m) { if (col0) { finish4(m0 + 27u, n0 + 0u, c27_0); } if (col1) { finish4(m0 + 27u, n0 + 32u, c27_1); } }
    if (m0 + 28u < p.m) { if (col0) { finish4(m0 + 28u, n0 + 0u, c28_0); } if (col1) { finish4(m0 + 28u, n0 + 32u, c28_1); } }
    if (m0 + 29u < p.m) { if (col0) { finish4(m0 + 29u, n0 + 0u, c29_0); } if (col1) { finish4(m0 + 29u, n0 + 32u, c29_1); } }
    if (m0 + 30u < p.m) { if (col0) { finish4(m0 + 30u, n0 + 0u, c30_0); } if (col1) { finish4(m0 + 30u, n0 + 32u, c30_1); } }
    if (m0 + 31u < p.m) { if (col0) { finish4(m0 + 31u, n0 + 0u, c31_0); } if (col1) { finish4(m0 + 31u, n0 + 32u, c31_1); } }
    if (m0 + 32u < p.m) { if (col0) { finish4(m0 + 32u, n0 + 0u, c32_0); } if (col1) { finish4(m0 + 32u, n0 + 32u, c32_1); } }
    if (m0 + 33u < p.m) { if (col0) { finish4(m0 + 33u, n0 + 0u, c33_0); } if (col1) { finish4(m0 + 33u, n0 + 32u, c33_1); } }
    if (m0 + 34u < p.m) { if (col0) { finish4(m0 + 34u, n0 + 0u, c34_0); } if (col1) { finish4(m0 + 34u, n0 + 32u, c34_1); } }
    if (m0 + 35u < p.m) { if (col0) { finish4(m0 + 35u, n0 + 0u, c35_0); } if (col1) { finish4(m0 + 35u, n0 + 32u, c35_1); } }
    if (m0 + 36u < p.m) { if (col0) { finish4(m0 + 36u, n0 + 0u, c36_0); } if (col1) { finish4(m0 + 36u, n0 + 32u, c36_1); } }
    if (m0 + 37u < p.m) { if (col0) { finish4(m0 + 37u, n0 + 0u, c37_0); } if (col1) { finish4(m0 + 37u, n0 + 32u, c37_1); } }
    if (m0 + 38u < p.m) { if (col0) { finish4(m0 + 38u, n0 + 0u, c38_0); } if (col1) { finish4(m0 + 38u, n0 + 32u, c38_1); } }
    if (m0 + 39u < p.m) { if (col0) { finish4(m0 + 39u, n0 + 0u, c39_0); } if (col1) { finish4(m0 + 39u, n0 + 32u, c39_1); } }
    if (m0 + 40u < p.m) { if (col0) { finish4(m0 + 40u, n0 + 0u, c40_0); } if (col1) { finish4(m0 + 40u, n0 + 32u, c40_1); } }
    if (m0 + 41u < p.m) { if (col0) { finish4(m0 + 41u, n0 + 0u, c41_0); } if (col1) { finish4(m0 + 41u, n0 + 32u, c41_1); } }
    if (m0 + 42u < p.m) { if (col0) { finish4(m0 + 42u, n0 + 0u, c42_0); } if (col1) { finish4(m0 + 42u, n0 + 32u, c42_1); } }
    if (m0 + 43u < p.m) { if (col0) { finish4(m0 + 43u, n0 + 0u, c43_0); } if (col1) { finish4(m0 + 43u, n0 + 32u, c43_1); } }
    if (m0 + 44u < p.m) { if (col0) { finish4(m0 + 44u, n0 + 0u, c44_0); } if (col1) { finish4(m0 + 44u, n0 + 32u, c44_1); } }
    if (m0 + 45u < p.m) { if (col0) { finish4(m0 + 45u, n0 + 0u, c45_0); } if (col1) { finish4(m0 + 45u, n0 + 32u, c45_1); } }
    if (m0 + 46u < p.m) { if (col0) { finish4(m0 + 46u, n0 + 0u, c46_0); } if (col1) { finish4(m0 + 46u, n0 + 32u, c46_1); } }
    if (m0 + 47u < p.m) { if (col0) { finish4(m0 + 47u, n0 + 0u, c47_0); } if (col1) { finish4(m0 + 47u, n0 + 32u, c47_1); } }
    if (m0 + 48u < p.m) { if (col0) { finish4(m0 + 48u, n0 + 0u, c48_0); } if (col1) { finish4(m0 + 48u, n0 + 32u, c48_1); } }
    if (m0 + 49u < p.m) { if (col0) { finish4(m0 + 49u, n0 + 0u, c49_0); } if (col1) { finish4(m0 + 49u, n0 + 32u, c49_1); } }
    if (m0 + 50u < p.m) { if (col0) { finish4(m0 + 50u, n0 + 0u, c50_0); } if (col1) { finish4(m0 + 50u, n0 + 32u, c50_1); } }
    if (m0 + 51u < p.m) { if (col0) { finish4(m0 + 51u, n0 + 0u, c51_0); } if (col1) { finish4(m0 + 51u, n0 + 32u, c51_1); } }
    if (m0 + 52u < p.m) { if (col0) { finish4(m0 + 52u, n0 + 0u, c52_0); } if (col1) { finish4(m0 + 52u, n0 + 32u, c52_1); } }
    if (m0 + 53u < p.m) { if (col0) { finish4(m0 + 53u, n0 + 0u, c53_0); } if (col1) { finish4(m0 + 53u, n0 + 32u, c53_1); } }
    if (m0 + 54u < p.m) { if (col0) { finish4(m0 + 54u, n0 + 0u, c54_0); } if (col1) { finish4(m0 + 54u, n0 + 32u, c54_1); } }
    if (m0 + 55u < p.m) { if (col0) { finish4(m0 + 55u, n0 + 0u, c55_0); } if (col1) { finish4(m0 + 55u, n0 + 32u, c55_1); } }
    if (m0 + 56u < p.m) { if (col0) { finish4(m0 + 56u, n0 + 0u, c56_0); } if (col1) { finish4(m0 + 56u, n0 + 32u, c56_1); } }
    if (m0 + 57u < p.m) { if (col0) { finish4(m0 + 57u, n0 + 0u, c57_0); } if (col1) { finish4(m0 + 57u, n0 + 32u, c57_1); } }
    if (m0 + 58u < p.m) { if (col0) { finish4(m0 + 58u, n0 + 0u, c58_0); } if (col1) { finish4(m0 + 58u, n0 + 32u, c58_1); } }
    if (m0 + 59u < p.m) { if (col0) { finish4(m0 + 59u, n0 + 0u, c59_0); } if (col1) { finish4(m0 + 59u, n0 + 32u, c59_1); } }
    if (m0 + 60u < p.m) { if (col0) { finish4(m0 + 60u, n0 + 0u, c60_0); } if (col1) { finish4(m0 + 60u, n0 + 32u, c60_1); } }
    if (m0 + 61u < p.m) { if (col0) { finish4(m0 + 61u, n0 + 0u, c61_0); } if (col1) { finish4(m0 + 61u, n0 + 32u, c61_1); } }
    if (m0 + 62u < p.m) { if (col0) { finish4(m0 + 62u, n0 + 0u, c62_0); } if (col1) { finish4(m0 + 62u, n0 + 32u, c62_1); } }
    if (m0 + 63u < p.m) { if (col0) { finish4(m0 + 63u, n0 + 0u, c63_0); } if (col1) { finish4(m0 + 63u, n0 + 32u, c63_1); } }
}
// END GENERATED matmul_subgroup_nn4_wide
#endif
#endif
#endif
#ifdef SUBGROUPS
#ifndef A_VEC4
#ifdef B_VEC4
// BEGIN GENERATED matmul_subgroup_nn
// Generated by tools/gen_shaders.py: NN_M = 32, NN_N4 = 1, 8 lanes.
@compute @workgroup_size(8)
fn matmul_subgroup_nn(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let lane = lid.x;
    let m0 = wg.y * 32u;
    let n0 = wg.x * 32u + 4u * lane;
    let last_m = p.m - 1u;
    let last_n4 = p.n - 4u;
    let ar0 = (p.a_off + min(m0 + lane + 0u, last_m) * p.a_rs);
    let ar1 = (p.a_off + min(m0 + lane + 8u, last_m) * p.a_rs);
    let ar2 = (p.a_off + min(m0 + lane + 16u, last_m) * p.a_rs);
    let ar3 = (p.a_off + min(m0 + lane + 24u, last_m) * p.a_rs);
    let bc0 = min(n0 + 0u, last_n4) / 4u;
    var c0_0 = vec4<f32>();
    var c1_0 = vec4<f32>();
    var c2_0 = vec4<f32>();
    var c3_0 = vec4<f32>();
    var c4_0 = vec4<f32>();
    var c5_0 = vec4<f32>();
    var c6_0 = vec4<f32>();
    var c7_0 = vec4<f32>();
    var c8_0 = vec4<f32>();
    var c9_0 = vec4<f32>();
    var c10_0 = vec4<f32>();
    var c11_0 = vec4<f32>();
    var c12_0 = vec4<f32>();
    var c13_0 = vec4<f32>();
    var c14_0 = vec4<f32>();
    var c15_0 = vec4<f32>();
    var c16_0 = vec4<f32>();
    var c17_0 = vec4<f32>();
    var c18_0 = vec4<f32>();
    var c19_0 = vec4<f32>();
    var c20_0 = vec4<f32>();
    var c21_0 = vec4<f32>();
    var c22_0 = vec4<f32>();
    var c23_0 = vec4<f32>();
    var c24_0 = vec4<f32>();
    var c25_0 = vec4<f32>();
    var c26_0 = vec4<f32>();
    var c27_0 = vec4<f32>();
    var c28_0 = vec4<f32>();
    var c29_0 = vec4<f32>();
    var c30_0 = vec4<f32>();
    var c31_0 = vec4<f32>();
    for (var k = 0u; k < p.k; k++) {
        let bk = k * p.b_rs / 4u;
        let ak = k * p.a_cs;
        let b0 = load_b4(bk + bc0);
        let ra0 = a[ar0 + ak]; let ra1 = a[ar1 + ak]; let ra2 = a[ar2 + ak]; let ra3 = a[ar3 + ak];
        let x0 = subgroupBroadcast(ra0, 0u); c0_0 += x0 * b0;
        let x1 = subgroupBroadcast(ra0, 1u); c1_0 += x1 * b0;
        let x2 = subgroupBroadcast(ra0, 2u); c2_0 += x2 * b0;
        let x3 = subgroupBroadcast(ra0, 3u); c3_0 += x3 * b0;
        let x4 = subgroupBroadcast(ra0, 4u); c4_0 += x4 * b0;
        let x5 = subgroupBroadcast(ra0, 5u); c5_0 += x5 * b0;
        let x6 = subgroupBroadcast(ra0, 6u); c6_0 += x6 * b0;
        let x7 = subgroupBroadcast(ra0, 7u); c7_0 += x7 * b0;
        let x8 = subgroupBroadcast(ra1, 0u); c8_0 += x8 * b0;
        let x9 = subgroupBroadcast(ra1, 1u); c9_0 += x9 * b0;
        let x10 = subgroupBroadcast(ra1, 2u); c10_0 += x10 * b0;
        let x11 = subgroupBroadcast(ra1, 3u); c11_0 += x11 * b0;
        let x12 = subgroupBroadcast(ra1, 4u); c12_0 += x12 * b0;
        let x13 = subgroupBroadcast(ra1, 5u); c13_0 += x13 * b0;
        let x14 = subgroupBroadcast(ra1, 6u); c14_0 += x14 * b0;
        let x15 = subgroupBroadcast(ra1, 7u); c15_0 += x15 * b0;
        let x16 = subgroupBroadcast(ra2, 0u); c16_0 += x16 * b0;
        let x17 = subgroupBroadcast(ra2, 1u); c17_0 += x17 * b0;
        let x18 = subgroupBroadcast(ra2, 2u); c18_0 += x18 * b0;
        let x19 = subgroupBroadcast(ra2, 3u); c19_0 += x19 * b0;
        let x20 = subgroupBroadcast(ra2, 4u); c20_0 += x20 * b0;
        let x21 = subgroupBroadcast(ra2, 5u); c21_0 += x21 * b0;
        let x22 = subgroupBroadcast(ra2, 6u); c22_0 += x22 * b0;
        let x23 = subgroupBroadcast(ra2, 7u); c23_0 += x23 * b0;
        let x24 = subgroupBroadcast(ra3, 0u); c24_0 += x24 * b0;
        let x25 = subgroupBroadcast(ra3, 1u); c25_0 += x25 * b0;
        let x26 = subgroupBroadcast(ra3, 2u); c26_0 += x26 * b0;
        let x27 = subgroupBroadcast(ra3, 3u); c27_0 += x27 * b0;
        let x28 = subgroupBroadcast(ra3, 4u); c28_0 += x28 * b0;
        let x29 = subgroupBroadcast(ra3, 5u); c29_0 += x29 * b0;
        let x30 = subgroupBroadcast(ra3, 6u); c30_0 += x30 * b0;
        let x31 = subgroupBroadcast(ra3, 7u); c31_0 += x31 * b0;
    }
    let col0 = n0 + 0u < p.n;
    if (m0 + 0u < p.m) { if (col0) { finish4(m0 + 0u, n0 + 0u, c0_0); } }
    if (m0 + 1u < p.m) { if (col0) { finish4(m0 + 1u, n0 + 0u, c1_0); } }
    if (m0 + 2u < p.m) { if (col0) { finish4(m0 + 2u, n0 + 0u, c2_0); } }
    if (m0 + 3u < p.m) { if (col0) { finish4(m0 + 3u, n0 + 0u, c3_0); } }
    if (m0 + 4u < p.m) { if (col0) { finish4(m0 + 4u, n0 + 0u, c4_0); } }
    if (m0 + 5u < p.m) { if (col0) { finish4(m0 + 5u, n0 + 0u, c5_0); } }
    if (m0 + 6u < p.m) { if (col0) { finish4(m0 + 6u, n0 + 0u, c6_0); } }
    if (m0 + 7u < p.m) { if (col0) { finish4(m0 + 7u, n0 + 0u, c7_0); } }
    if (m0 + 8u < p.m) { if (col0) { finish4(m0 + 8u, n0 + 0u, c8_0); } }
    if (m0 + 9u < p.m) { if (col0) { finish4(m0 + 9u, n0 + 0u, c9_0); } }
    if (m0 + 10u < p.m) { if (col0) { finish4(m0 + 10u, n0 + 0u, c10_0); } }
    if (m0 + 11u < p.m) { if (col0) { finish4(m0 + 11u, n0 + 0u, c11_0); } }
    if (m0 + 12u < p.m) { if (col0) { finish4(m0 + 12u, n0 + 0u, c12_0); } }
    if (m0 + 13u < p.m) { if (col0) { finish4(m0 + 13u, n0 + 0u, c13_0); } }
    if (m0 + 14u < p.m) { if (col0) { finish4(m0 + 14u, n0 + 0u, c14_0); } }
    if (m0 + 15u < p.m) { if (col0) { finish4(m0 + 15u, n0 + 0u, c15_0); } }
    if (m0 + 16u < p.m) { if (col0) { finish4(m0 + 16u, n0 + 0u, c16_0); } }
    if (m0 + 17u < p.m) { if (col0) { finish4(m0 + 17u, n0 + 0u, c17_0); } }
    if (m0 + 18u < p.m) { if (col0) { finish4(m0 + 18u, n0 + 0u, c18_0); } }
    if (m0 + 19u < p.m) { if (col0) { finish4(m0 + 19u, n0 + 0u, c19_0); } }
    if (m0 + 20u < p.m) { if (col0) { finish4(m0 + 20u, n0 + 0u, c20_0); } }
    if (m0 + 21u < p.m) { if (col0) { finish4(m0 + 21u, n0 + 0u, c21_0); } }
    if (m0 + 22u < p.m) { if (col0) { finish4(m0 + 22u, n0 + 0u, c22_0); } }
    if (m0 + 23u < p.m) { if (col0) { finish4(m0 + 23u, n0 + 0u, c23_0); } }
    if (m0 + 24u < p.m) { if (col0) { finish4(m0 + 24u, n0 + 0u, c24_0); } }
    if (m0 + 25u < p.m) { if (col0) { finish4(m0 + 25u, n0 + 0u, c25_0); } }
    if (m0 + 26u < p.m) { if (col0) { finish4(m0 + 26u, n0 + 0u, c26_0); } }
    if (m0 + 27u < p.m) { if (col0) { finish4(m0 + 27u, n0 + 0u, c27_0); } }
    if (m0 + 28u < p.m) { if (col0) { finish4(m0 + 28u, n0 + 0u, c28_0); } }
    if (m0 + 29u < p.m) { if (col0) { finish4(m0 + 29u, n0 + 0u, c29_0); } }
    if (m0 + 30u < p.m) { if (col0) { finish4(m0 + 30u, n0 + 0u, c30_0); } }
    if (m0 + 31u < p.m) { if (col0) { finish4(m0 + 31u, n0 + 0u, c31_0); } }
}
// END GENERATED matmul_subgroup_nn
#endif
#endif
#endif
#ifdef SUBGROUPS
#ifdef A_VEC4
#ifdef B_VEC4
// BEGIN GENERATED matmul_subgroup4_nt
// Generated by tools/gen_shaders.py: SG_M = 32, SG_N = 8, 4 lanes.
@compute @workgroup_size(4)
fn matmul_subgroup4_nt(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let lane = lid.x;
    // Rows first: consecutive workgroups take the same columns of B (wte, in lm_head's forward)
    // and walk the rows of A, which stay in the CPU's cache; B is read once per pass.
    let m0 = wg.x * 32u;
    let n0 = wg.y * 32u + lane;
    // No early return: every lane takes part in the broadcasts. Loads clamp instead.
    let last_m = p.m - 1u;
    let last_n = p.n - 1u;
    // This lane loads rows m0 + lane + 4i of A and shares them with the others.
    let ar0 = (p.a_off + min(m0 + lane + 0u, last_m) * p.a_rs) / 4u;
    let ar1 = (p.a_off + min(m0 + lane + 4u, last_m) * p.a_rs) / 4u;
    let ar2 = (p.a_off + min(m0 + lane + 8u, last_m) * p.a_rs) / 4u;
    let ar3 = (p.a_off + min(m0 + lane + 12u, last_m) * p.a_rs) / 4u;
    let ar4 = (p.a_off + min(m0 + lane + 16u, last_m) * p.a_rs) / 4u;
    let ar5 = (p.a_off + min(m0 + lane + 20u, last_m) * p.a_rs) / 4u;
    let ar6 = (p.a_off + min(m0 + lane + 24u, last_m) * p.a_rs) / 4u;
    let ar7 = (p.a_off + min(m0 + lane + 28u, last_m) * p.a_rs) / 4u;
    let bc0 = min(n0 + 0u, last_n) * p.b_cs / 4u;
    let bc1 = min(n0 + 4u, last_n) * p.b_cs / 4u;
    let bc2 = min(n0 + 8u, last_n) * p.b_cs / 4u;
    let bc3 = min(n0 + 12u, last_n) * p.b_cs / 4u;
    let bc4 = min(n0 + 16u, last_n) * p.b_cs / 4u;
    let bc5 = min(n0 + 20u, last_n) * p.b_cs / 4u;
    let bc6 = min(n0 + 24u, last_n) * p.b_cs / 4u;
    let bc7 = min(n0 + 28u, last_n) * p.b_cs / 4u;
    // c{r}_{j}: row m0 + r, column n0 + 4j.
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
    var c16_0 = 0.0; var c16_1 = 0.0; var c16_2 = 0.0; var c16_3 = 0.0; var c16_4 = 0.0; var c16_5 = 0.0; var c16_6 = 0.0; var c16_7 = 0.0;
    var c17_0 = 0.0; var c17_1 = 0.0; var c17_2 = 0.0; var c17_3 = 0.0; var c17_4 = 0.0; var c17_5 = 0.0; var c17_6 = 0.0; var c17_7 = 0.0;
    var c18_0 = 0.0; var c18_1 = 0.0; var c18_2 = 0.0; var c18_3 = 0.0; var c18_4 = 0.0; var c18_5 = 0.0; var c18_6 = 0.0; var c18_7 = 0.0;
    var c19_0 = 0.0; var c19_1 = 0.0; var c19_2 = 0.0; var c19_3 = 0.0; var c19_4 = 0.0; var c19_5 = 0.0; var c19_6 = 0.0; var c19_7 = 0.0;
    var c20_0 = 0.0; var c20_1 = 0.0; var c20_2 = 0.0; var c20_3 = 0.0; var c20_4 = 0.0; var c20_5 = 0.0; var c20_6 = 0.0; var c20_7 = 0.0;
    var c21_0 = 0.0; var c21_1 = 0.0; var c21_2 = 0.0; var c21_3 = 0.0; var c21_4 = 0.0; var c21_5 = 0.0; var c21_6 = 0.0; var c21_7 = 0.0;
    var c22_0 = 0.0; var c22_1 = 0.0; var c22_2 = 0.0; var c22_3 = 0.0; var c22_4 = 0.0; var c22_5 = 0.0; var c22_6 = 0.0; var c22_7 = 0.0;
    var c23_0 = 0.0; var c23_1 = 0.0; var c23_2 = 0.0; var c23_3 = 0.0; var c23_4 = 0.0; var c23_5 = 0.0; var c23_6 = 0.0; var c23_7 = 0.0;
    var c24_0 = 0.0; var c24_1 = 0.0; var c24_2 = 0.0; var c24_3 = 0.0; var c24_4 = 0.0; var c24_5 = 0.0; var c24_6 = 0.0; var c24_7 = 0.0;
    var c25_0 = 0.0; var c25_1 = 0.0; var c25_2 = 0.0; var c25_3 = 0.0; var c25_4 = 0.0; var c25_5 = 0.0; var c25_6 = 0.0; var c25_7 = 0.0;
    var c26_0 = 0.0; var c26_1 = 0.0; var c26_2 = 0.0; var c26_3 = 0.0; var c26_4 = 0.0; var c26_5 = 0.0; var c26_6 = 0.0; var c26_7 = 0.0;
    var c27_0 = 0.0; var c27_1 = 0.0; var c27_2 = 0.0; var c27_3 = 0.0; var c27_4 = 0.0; var c27_5 = 0.0; var c27_6 = 0.0; var c27_7 = 0.0;
    var c28_0 = 0.0; var c28_1 = 0.0; var c28_2 = 0.0; var c28_3 = 0.0; var c28_4 = 0.0; var c28_5 = 0.0; var c28_6 = 0.0; var c28_7 = 0.0;
    var c29_0 = 0.0; var c29_1 = 0.0; var c29_2 = 0.0; var c29_3 = 0.0; var c29_4 = 0.0; var c29_5 = 0.0; var c29_6 = 0.0; var c29_7 = 0.0;
    var c30_0 = 0.0; var c30_1 = 0.0; var c30_2 = 0.0; var c30_3 = 0.0; var c30_4 = 0.0; var c30_5 = 0.0; var c30_6 = 0.0; var c30_7 = 0.0;
    var c31_0 = 0.0; var c31_1 = 0.0; var c31_2 = 0.0; var c31_3 = 0.0; var c31_4 = 0.0; var c31_5 = 0.0; var c31_6 = 0.0; var c31_7 = 0.0;
    for (var k = 0u; k < p.k / 4u; k++) {
        let b0 = load_b4(bc0 + k); let b1 = load_b4(bc1 + k); let b2 = load_b4(bc2 + k); let b3 = load_b4(bc3 + k); let b4 = load_b4(bc4 + k); let b5 = load_b4(bc5 + k); let b6 = load_b4(bc6 + k); let b7 = load_b4(bc7 + k);
        let ra0 = a4[ar0 + k]; let ra1 = a4[ar1 + k]; let ra2 = a4[ar2 + k]; let ra3 = a4[ar3 + k]; let ra4 = a4[ar4 + k]; let ra5 = a4[ar5 + k]; let ra6 = a4[ar6 + k]; let ra7 = a4[ar7 + k];
        let x0 = subgroupBroadcast(ra0, 0u); c0_0 += dot(x0, b0); c0_1 += dot(x0, b1); c0_2 += dot(x0, b2); c0_3 += dot(x0, b3); c0_4 += dot(x0, b4); c0_5 += dot(x0, b5); c0_6 += dot(x0, b6); c0_7 += dot(x0, b7);
        let x1 = subgroupBroadcast(ra0, 1u); c1_0 += dot(x1, b0); c1_1 += dot(x1, b1); c1_2 += dot(x1, b2); c1_3 += dot(x1, b3); c1_4 += dot(x1, b4); c1_5 += dot(x1, b5); c1_6 += dot(x1, b6); c1_7 += dot(x1, b7);
        let x2 = subgroupBroadcast(ra0, 2u); c2_0 += dot(x2, b0); c2_1 += dot(x2, b1); c2_2 += dot(x2, b2); c2_3 += dot(x2, b3); c2_4 += dot(x2, b4); c2_5 += dot(x2, b5); c2_6 += dot(x2, b6); c2_7 += dot(x2, b7);
        let x3 = subgroupBroadcast(ra0, 3u); c3_0 += dot(x3, b0); c3_1 += dot(x3, b1); c3_2 += dot(x3, b2); c3_3 += dot(x3, b3); c3_4 += dot(x3, b4); c3_5 += dot(x3, b5); c3_6 += dot(x3, b6); c3_7 += dot(x3, b7);
        let x4 = subgroupBroadcast(ra1, 0u); c4_0 += dot(x4, b0); c4_1 += dot(x4, b1); c4_2 += dot(x4, b2); c4_3 += dot(x4, b3); c4_4 += dot(x4, b4); c4_5 += dot(x4, b5); c4_6 += dot(x4, b6); c4_7 += dot(x4, b7);
        let x5 = subgroupBroadcast(ra1, 1u); c5_0 += dot(x5, b0); c5_1 += dot(x5, b1); c5_2 += dot(x5, b2); c5_3 += dot(x5, b3); c5_4 += dot(x5, b4); c5_5 += dot(x5, b5); c5_6 += dot(x5, b6); c5_7 += dot(x5, b7);
        let x6 = subgroupBroadcast(ra1, 2u); c6_0 += dot(x6, b0); c6_1 += dot(x6, b1); c6_2 += dot(x6, b2); c6_3 += dot(x6, b3); c6_4 += dot(x6, b4); c6_5 += dot(x6, b5); c6_6 += dot(x6, b6); c6_7 += dot(x6, b7);
        let x7 = subgroupBroadcast(ra1, 3u); c7_0 += dot(x7, b0); c7_1 += dot(x7, b1); c7_2 += dot(x7, b2); c7_3 += dot(x7, b3); c7_4 += dot(x7, b4); c7_5 += dot(x7, b5); c7_6 += dot(x7, b6); c7_7 += dot(x7, b7);
        let x8 = subgroupBroadcast(ra2, 0u); c8_0 += dot(x8, b0); c8_1 += dot(x8, b1); c8_2 += dot(x8, b2); c8_3 += dot(x8, b3); c8_4 += dot(x8, b4); c8_5 += dot(x8, b5); c8_6 += dot(x8, b6); c8_7 += dot(x8, b7);
        let x9 = subgroupBroadcast(ra2, 1u); c9_0 += dot(x9, b0); c9_1 += dot(x9, b1); c9_2 += dot(x9, b2); c9_3 += dot(x9, b3); c9_4 += dot(x9, b4); c9_5 += dot(x9, b5); c9_6 += dot(x9, b6); c9_7 += dot(x9, b7);
        let x10 = subgroupBroadcast(ra2, 2u); c10_0 += dot(x10, b0); c10_1 += dot(x10, b1); c10_2 += dot(x10, b2); c10_3 += dot(x10, b3); c10_4 += dot(x10, b4); c10_5 += dot(x10, b5); c10_6 += dot(x10, b6); c10_7 += dot(x10, b7);
        let x11 = subgroupBroadcast(ra2, 3u); c11_0 += dot(x11, b0); c11_1 += dot(x11, b1); c11_2 += dot(x11, b2); c11_3 += dot(x11, b3); c11_4 += dot(x11, b4); c11_5 += dot(x11, b5); c11_6 += dot(x11, b6); c11_7 += dot(x11, b7);
        let x12 = subgroupBroadcast(ra3, 0u); c12_0 += dot(x12, b0); c12_1 += dot(x12, b1); c12_2 += dot(x12, b2); c12_3 += dot(x12, b3); c12_4 += dot(x12, b4); c12_5 += dot(x12, b5); c12_6 += dot(x12, b6); c12_7 += dot(x12, b7);
        let x13 = subgroupBroadcast(ra3, 1u); c13_0 += dot(x13, b0); c13_1 += dot(x13, b1); c13_2 += dot(x13, b2); c13_3 += dot(x13, b3); c13_4 += dot(x13, b4); c13_5 += dot(x13, b5); c13_6 += dot(x13, b6); c13_7 += dot(x13, b7);
        let x14 = subgroupBroadcast(ra3, 2u); c14_0 += dot(x14, b0); c14_1 += dot(x14, b1); c14_2 += dot(x14, b2); c14_3 += dot(x14, b3); c14_4 += dot(x14, b4); c14_5 += dot(x14, b5); c14_6 += dot(x14, b6); c14_7 += dot(x14, b7);
        let x15 = subgroupBroadcast(ra3, 3u); c15_0 += dot(x15, b0); c15_1 += dot(x15, b1); c15_2 += dot(x15, b2); c15_3 += dot(x15, b3); c15_4 += dot(x15, b4); c15_5 += dot(x15, b5); c15_6 += dot(x15, b6); c15_7 += dot(x15, b7);
        let x16 = subgroupBroadcast(ra4, 0u); c16_0 += dot(x16, b0); c16_1 += dot(x16, b1); c16_2 += dot(x16, b2); c16_3 += dot(x16, b3); c16_4 += dot(x16, b4); c16_5 += dot(x16, b5); c16_6 += dot(x16, b6); c16_7 += dot(x16, b7);
        let x17 = subgroupBroadcast(ra4, 1u); c17_0 += dot(x17, b0); c17_1 += dot(x17, b1); c17_2 += dot(x17, b2); c17_3 += dot(x17, b3); c17_4 += dot(x17, b4); c17_5 += dot(x17, b5); c17_6 += dot(x17, b6); c17_7 += dot(x17, b7);
        let x18 = subgroupBroadcast(ra4, 2u); c18_0 += dot(x18, b0); c18_1 += dot(x18, b1); c18_2 += dot(x18, b2); c18_3 += dot(x18, b3); c18_4 += dot(x18, b4); c18_5 += dot(x18, b5); c18_6 += dot(x18, b6); c18_7 += dot(x18, b7);
        let x19 = subgroupBroadcast(ra4, 3u); c19_0 += dot(x19, b0); c19_1 += dot(x19, b1); c19_2 += dot(x19, b2); c19_3 += dot(x19, b3); c19_4 += dot(x19, b4); c19_5 += dot(x19, b5); c19_6 += dot(x19, b6); c19_7 += dot(x19, b7);
        let x20 = subgroupBroadcast(ra5, 0u); c20_0 += dot(x20, b0); c20_1 += dot(x20, b1); c20_2 += dot(x20, b2); c20_3 += dot(x20, b3); c20_4 += dot(x20, b4); c20_5 += dot(x20, b5); c20_6 += dot(x20, b6); c20_7 += dot(x20, b7);
        let x21 = subgroupBroadcast(ra5, 1u); c21_0 += dot(x21, b0); c21_1 += dot(x21, b1); c21_2 += dot(x21, b2); c21_3 += dot(x21, b3); c21_4 += dot(x21, b4); c21_5 += dot(x21, b5); c21_6 += dot(x21, b6); c21_7 += dot(x21, b7);
        let x22 = subgroupBroadcast(ra5, 2u); c22_0 += dot(x22, b0); c22_1 += dot(x22, b1); c22_2 += dot(x22, b2); c22_3 += dot(x22, b3); c22_4 += dot(x22, b4); c22_5 += dot(x22, b5); c22_6 += dot(x22, b6); c22_7 += dot(x22, b7);
        let x23 = subgroupBroadcast(ra5, 3u); c23_0 += dot(x23, b0); c23_1 += dot(x23, b1); c23_2 += dot(x23, b2); c23_3 += dot(x23, b3); c23_4 += dot(x23, b4); c23_5 += dot(x23, b5); c23_6 += dot(x23, b6); c23_7 += dot(x23, b7);
        let x24 = subgroupBroadcast(ra6, 0u); c24_0 += dot(x24, b0); c24_1 += dot(x24, b1); c24_2 += dot(x24, b2); c24_3 += dot(x24, b3); c24_4 += dot(x24, b4); c24_5 += dot(x24, b5); c24_6 += dot(x24, b6); c24_7 += dot(x24, b7);
        let x25 = subgroupBroadcast(ra6, 1u); c25_0 += dot(x25, b0); c25_1 += dot(x25, b1); c25_2 += dot(x25, b2); c25_3 += dot(x25, b3); c25_4 += dot(x25, b4); c25_5 += dot(x25, b5); c25_6 += dot(x25, b6); c25_7 += dot(x25, b7);
        let x26 = subgroupBroadcast(ra6, 2u); c26_0 += dot(x26, b0); c26_1 += dot(x26, b1); c26_2 += dot(x26, b2); c26_3 += dot(x26, b3); c26_4 += dot(x26, b4); c26_5 += dot(x26, b5); c26_6 += dot(x26, b6); c26_7 += dot(x26, b7);
        let x27 = subgroupBroadcast(ra6, 3u); c27_0 += dot(x27, b0); c27_1 += dot(x27, b1); c27_2 += dot(x27, b2); c27_3 += dot(x27, b3); c27_4 += dot(x27, b4); c27_5 += dot(x27, b5); c27_6 += dot(x27, b6); c27_7 += dot(x27, b7);
        let x28 = subgroupBroadcast(ra7, 0u); c28_0 += dot(x28, b0); c28_1 += dot(x28, b1); c28_2 += dot(x28, b2); c28_3 += dot(x28, b3); c28_4 += dot(x28, b4); c28_5 += dot(x28, b5); c28_6 += dot(x28, b6); c28_7 += dot(x28, b7);
        let x29 = subgroupBroadcast(ra7, 1u); c29_0 += dot(x29, b0); c29_1 += dot(x29, b1); c29_2 += dot(x29, b2); c29_3 += dot(x29, b3); c29_4 += dot(x29, b4); c29_5 += dot(x29, b5); c29_6 += dot(x29, b6); c29_7 += dot(x29, b7);
        let x30 = subgroupBroadcast(ra7, 2u); c30_0 += dot(x30, b0); c30_1 += dot(x30, b1); c30_2 += dot(x30, b2); c30_3 += dot(x30, b3); c30_4 += dot(x30, b4); c30_5 += dot(x30, b5); c30_6 += dot(x30, b6); c30_7 += dot(x30, b7);
        let x31 = subgroupBroadcast(ra7, 3u); c31_0 += dot(x31, b0); c31_1 += dot(x31, b1); c31_2 += dot(x31, b2); c31_3 += dot(x31, b3); c31_4 += dot(x31, b4); c31_5 += dot(x31, b5); c31_6 += dot(x31, b6); c31_7 += dot(x31, b7);
    }
    let col0 = n0 + 0u < p.n;
    let col1 = n0 + 4u < p.n;
    let col2 = n0 + 8u < p.n;
    let col3 = n0 + 12u < p.n;
    let col4 = n0 + 16u < p.n;
    let col5 = n0 + 20u < p.n;
    let col6 = n0 + 24u < p.n;
    let col7 = n0 + 28u < p.n;
    if (m0 + 0u < p.m) { if (col0) { finish(m0 + 0u, n0 + 0u, c0_0); } if (col1) { finish(m0 + 0u, n0 + 4u, c0_1); } if (col2) { finish(m0 + 0u, n0 + 8u, c0_2); } if (col3) { finish(m0 + 0u, n0 + 12u, c0_3); } if (col4) { finish(m0 + 0u, n0 + 16u, c0_4); } if (col5) { finish(m0 + 0u, n0 + 20u, c0_5); } if (col6) { finish(m0 + 0u, n0 + 24u, c0_6); } if (col7) { finish(m0 + 0u, n0 + 28u, c0_7); } }
    if (m0 + 1u < p.m) { if (col0) { finish(m0 + 1u, n0 + 0u, c1_0); } if (col1) { finish(m0 + 1u, n0 + 4u, c1_1); } if (col2) { finish(m0 + 1u, n0 + 8u, c1_2); } if (col3) { finish(m0 + 1u, n0 + 12u, c1_3); } if (col4) { finish(m0 + 1u, n0 + 16u, c1_4); } if (col5) { finish(m0 + 1u, n0 + 20u, c1_5); } if (col6) { finish(m0 + 1u, n0 + 24u, c1_6); } if (col7) { finish(m0 + 1u, n0 + 28u, c1_7); } }
    if (m0 + 2u < p.m) { if (col0) { finish(m0 + 2u, n0 + 0u, c2_0); } if (col1) { finish(m0 + 2u, n0 + 4u, c2_1); } if (col2) { finish(m0 + 2u, n0 + 8u, c2_2); } if (col3) { finish(m0 + 2u, n0 + 12u, c2_3); } if (col4) { finish(m0 + 2u, n0 + 16u, c2_4); } if (col5) { finish(m0 + 2u, n0 + 20u, c2_5); } if (col6) { finish(m0 + 2u, n0 + 24u, c2_6); } if (col7) { finish(m0 + 2u, n0 + 28u, c2_7); } }
    if (m0 + 3u < p.m) { if (col0) { finish(m0 + 3u, n0 + 0u, c3_0); } if (col1) { finish(m0 + 3u, n0 + 4u, c3_1); } if (col2) { finish(m0 + 3u, n0 + 8u, c3_2); } if (col3) { finish(m0 + 3u, n0 + 12u, c3_3); } if (col4) { finish(m0 + 3u, n0 + 16u, c3_4); } if (col5) { finish(m0 + 3u, n0 + 20u, c3_5); } if (col6) { finish(m0 + 3u, n0 + 24u, c3_6); } if (col7) { finish(m0 + 3u, n0 + 28u, c3_7); } }
    if (m0 + 4u < p.m) { if (col0) { finish(m0 + 4u, n0 + 0u, c4_0); } if (col1) { finish(m0 + 4u, n0 + 4u, c4_1); } if (col2) { finish(m0 + 4u, n0 + 8u, c4_2); } if (col3) { finish(m0 + 4u, n0 + 12u, c4_3); } if (col4) { finish(m0 + 4u, n0 + 16u, c4_4); } if (col5) { finish(m0 + 4u, n0 + 20u, c4_5); } if (col6) { finish(m0 + 4u, n0 + 24u, c4_6); } if (col7) { finish(m0 + 4u, n0 + 28u, c4_7); } }
    if (m0 + 5u < p.m) { if (col0) { finish(m0 + 5u, n0 + 0u, c5_0); } if (col1) { finish(m0 + 5u, n0 + 4u, c5_1); } if (col2) { finish(m0 + 5u, n0 + 8u, c5_2); } if (col3) { finish(m0 + 5u, n0 + 12u, c5_3); } if (col4) { finish(m0 + 5u, n0 + 16u, c5_4); } if (col5) { finish(m0 + 5u, n0 + 20u, c5_5); } if (col6) { finish(m0 + 5u, n0 + 24u, c5_6); } if (col7) { finish(m0 + 5u, n0 + 28u, c5_7); } }
    if (m0 + 6u < p.m) { if (col0) { finish(m0 + 6u, n0 + 0u, c6_0); } if (col1) { finish(m0 + 6u, n0 + 4u, c6_1); } if (col2) { finish(m0 + 6u, n0 + 8u, c6_2); } if (col3) { finish(m0 + 6u, n0 + 12u, c6_3); } if (col4) { finish(m0 + 6u, n0 + 16u, c6_4); } if (col5) { finish(m0 + 6u, n0 + 20u, c6_5); } if (col6) { finish(m0 + 6u, n0 + 24u, c6_6); } if (col7) { finish(m0 + 6u, n0 + 28u, c6_7); } }
    if (m0 + 7u < p.m) { if (col0) { finish(m0 + 7u, n0 + 0u, c7_0); } if (col1) { finish(m0 + 7u, n0 + 4u, c7_1); } if (col2) { finish(m0 + 7u, n0 + 8u, c7_2); } if (col3) { finish(m0 + 7u, n0 + 12u, c7_3); } if (col4) { finish(m0 + 7u, n0 + 16u, c7_4); } if (col5) { finish(m0 + 7u, n0 + 20u, c7_5); } if (col6) { finish(m0 + 7u, n0 + 24u, c7_6); } if (col7) { finish(m0 + 7u, n0 + 28u, c7_7); } }
    if (m0 + 8u < p.m) { if (col0) { finish(m0 + 8u, n0 + 0u, c8_0); } if (col1) { finish(m0 + 8u, n0 + 4u, c8_1); } if (col2) { finish(m0 + 8u, n0 + 8u, c8_2); } if (col3) { finish(m0 + 8u, n0 + 12u, c8_3); } if (col4) { finish(m0 + 8u, n0 + 16u, c8_4); } if (col5) { finish(m0 + 8u, n0 + 20u, c8_5); } if (col6) { finish(m0 + 8u, n0 + 24u, c8_6); } if (col7) { finish(m0 + 8u, n0 + 28u, c8_7); } }
    if (m0 + 9u < p.m) { if (col0) { finish(m0 + 9u, n0 + 0u, c9_0); } if (col1) { finish(m0 + 9u, n0 + 4u, c9_1); } if (col2) { finish(m0 + 9u, n0 + 8u, c9_2); } if (col3) { finish(m0 + 9u, n0 + 12u, c9_3); } if (col4) { finish(m0 + 9u, n0 + 16u, c9_4); } if (col5) { finish(m0 + 9u, n0 + 20u, c9_5); } if (col6) { finish(m0 + 9u, n0 + 24u, c9_6); } if (col7) { finish(m0 + 9u, n0 + 28u, c9_7); } }
    if (m0 + 10u < p.m) { if (col0) { finish(m0 + 10u, n0 + 0u, c10_0); } if (col1) { finish(m0 + 10u, n0 + 4u, c10_1); } if (col2) { finish(m0 + 10u, n0 + 8u, c10_2); } if (col3) { finish(m0 + 10u, n0 + 12u, c10_3); } if (col4) { finish(m0 + 10u, n0 + 16u, c10_4); } if (col5) { finish(m0 + 10u, n0 + 20u, c10_5); } if (col6) { finish(m0 + 10u, n0 + 24u, c10_6); } if (col7) { finish(m0 + 10u, n0 + 28u, c10_7); } }
    if (m0 + 11u < p.m) { if (col0) { finish(m0 + 11u, n0 + 0u, c11_0); } if (col1) { finish(m0 + 11u, n0 + 4u, c11_1); } if (col2) { finish(m0 + 11u, n0 + 8u, c11_2); } if (col3) { finish(m0 + 11u, n0 + 12u, c11_3); } if (col4) { finish(m0 + 11u, n0 + 16u, c11_4); } if (col5) { finish(m0 + 11u, n0 + 20u, c11_5); } if (col6) { finish(m0 + 11u, n0 + 24u, c11_6); } if (col7) { finish(m0 + 11u, n0 + 28u, c11_7); } }
    if (m0 + 12u < p.m) { if (col0) { finish(m0 + 12u, n0 + 0u, c12_0); } if (col1) { finish(m0 + 12u, n0 + 4u, c12_1); } if (col2) { finish(m0 + 12u, n0 + 8u, c12_2); } if (col3) { finish(m0 + 12u, n0 + 12u, c12_3); } if (col4) { finish(m0 + 12u, n0 + 16u, c12_4); } if (col5) { finish(m0 + 12u, n0 + 20u, c12_5); } if (col6) { finish(m0 + 12u, n0 + 24u, c12_6); } if (col7) { finish(m0 + 12u, n0 + 28u, c12_7); } }
    if (m0 + 13u < p.m) { if (col0) { finish(m0 + 13u, n0 + 0u, c13_0); } if (col1) { finish(m0 + 13u, n0 + 4u, c13_1); } if (col2) { finish(m0 + 13u, n0 + 8u, c13_2); } if (col3) { finish(m0 + 13u, n0 + 12u, c13_3); } if (col4) { finish(m0 + 13u, n0 + 16u, c13_4); } if (col5) { finish(m0 + 13u, n0 + 20u, c13_5); } if (col6) { finish(m0 + 13u, n0 + 24u, c13_6); } if (col7) { finish(m0 + 13u, n0 + 28u, c13_7); } }
    if (m0 + 14u < p.m) { if (col0) { finish(m0 + 14u, n0 + 0u, c14_0); } if (col1) { finish(m0 + 14u, n0 + 4u, c14_1); } if (col2) { finish(m0 + 14u, n0 + 8u, c14_2); } if (col3) { finish(m0 + 14u, n0 + 12u, c14_3); } if (col4) { finish(m0 + 14u, n0 + 16u, c14_4); } if (col5) { finish(m0 + 14u, n0 + 20u, c14_5); } if (col6) { finish(m0 + 14u, n0 + 24u, c14_6); } if (col7) { finish(m0 + 14u, n0 + 28u, c14_7); } }
    if (m0 + 15u < p.m) { if (col0) { finish(m0 + 15u, n0 + 0u, c15_0); } if (col1) { finish(m0 + 15u, n0 + 4u, c15_1); } if (col2) { finish(m0 + 15u, n0 + 8u, c15_2); } if (col3) { finish(m0 + 15u, n0 + 12u, c15_3); } if (col4) { finish(m0 + 15u, n0 + 16u, c15_4); } if (col5) { finish(m0 + 15u, n0 + 20u, c15_5); } if (col6) { finish(m0 + 15u, n0 + 24u, c15_6); } if (col7) { finish(m0 + 15u, n0 + 28u, c15_7); } }
    if (m0 + 16u < p.m) { if (col0) { finish(m0 + 16u, n0 + 0u, c16_0); } if (col1) { finish(m0 + 16u, n0 + 4u, c16_1); } if (col2) { finish(m0 + 16u, n0 + 8u, c16_2); } if (col3) { finish(m0 + 16u, n0 + 12u, c16_3); } if (col4) { finish(m0 + 16u, n0 + 16u, c16_4); } if (col5) { finish(m0 + 16u, n0 + 20u, c16_5); } if (col6) { finish(m0 + 16u, n0 + 24u, c16_6); } if (col7) { finish(m0 + 16u, n0 + 28u, c16_7); } }
    if (m0 + 17u < p.m) { if (col0) { finish(m0 + 17u, n0 + 0u, c17_0); } if (col1) { finish(m0 + 17u, n0 + 4u, c17_1); } if (col2) { finish(m0 + 17u, n0 + 8u, c17_2); } if (col3) { finish(m0 + 17u, n0 + 12u, c17_3); } if (col4) { finish(m0 + 17u, n0 + 16u, c17_4); } if (col5) { finish(m0 + 17u, n0 + 20u, c17_5); } if (col6) { finish(m0 + 17u, n0 + 24u, c17_6); } if (col7) { finish(m0 + 17u, n0 + 28u, c17_7); } }
    if (m0 + 18u < p.m) { if (col0) { finish(m0 + 18u, n0 + 0u, c18_0); } if (col1) { finish(m0 + 18u, n0 + 4u, c18_1); } if (col2) { finish(m0 + 18u, n0 + 8u, c18_2); } if (col3) { finish(m0 + 18u, n0 + 12u, c18_3); } if (col4) { finish(m0 + 18u, n0 + 16u, c18_4); } if (col5) { finish(m0 + 18u, n0 + 20u, c18_5); } if (col6) { finish(m0 + 18u, n0 + 24u, c18_6); } if (col7) { finish(m0 + 18u, n0 + 28u, c18_7); } }
    if (m0 + 19u < p.m) { if (col0) { finish(m0 + 19u, n0 + 0u, c19_0); } if (col1) { finish(m0 + 19u, n0 + 4u, c19_1); } if (col2) { finish(m0 + 19u, n0 + 8u, c19_2); } if (col3) { finish(m0 + 19u, n0 + 12u, c19_3); } if (col4) { finish(m0 + 19u, n0 + 16u, c19_4); } if (col5) { finish(m0 + 19u, n0 + 20u, c19_5); } if (col6) { finish(m0 + 19u, n0 + 24u, c19_6); } if (col7) { finish(m0 + 19u, n0 + 28u, c19_7); } }
    if (m0 + 20u < p.m) { if (col0) { finish(m0 + 20u, n0 + 0u, c20_0); } if (col1) { finish(m0 + 20u, n0 + 4u, c20_1); } if (col2) { finish(m0 + 20u, n0 + 8u, c20_2); } if (col3) { finish(m0 + 20u, n0 + 12u, c20_3); } if (col4) { finish(m0 + 20u, n0 + 16u, c20_4); } if (col5) { finish(m0 + 20u, n0 + 20u, c20_5); } if (col6) { finish(m0 + 20u, n0 + 24u, c20_6); } if (col7) { finish(m0 + 20u, n0 + 28u, c20_7); } }
    if (m0 + 21u < p.m) { if (col0) { finish(m0 + 21u, n0 + 0u, c21_0); } if (col1) { finish(m0 + 21u, n0 + 4u, c21_1); } if (col2) { finish(m0 + 21u, n0 + 8u, c21_2); } if (col3) { finish(m0 + 21u, n0 + 12u, c21_3); } if (col4) { finish(m0 + 21u, n0 + 16u, c21_4); } if (col5) { finish(m0 + 21u, n0 + 20u, c21_5); } if (col6) { finish(m0 + 21u, n0 + 24u, c21_6); } if (col7) { finish(m0 + 21u, n0 + 28u, c21_7); } }
    if (m0 + 22u < p.m) { if (col0) { finish(m0 + 22u, n0 + 0u, c22_0); } if (col1) { finish(m0 + 22u, n0 + 4u, c22_1); } if (col2) { finish(m0 + 22u, n0 + 8u, c22_2); } if (col3) { finish(m0 + 22u, n0 + 12u, c22_3); } if (col4) { finish(m0 + 22u, n0 + 16u, c22_4); } if (col5) { finish(m0 + 22u, n0 + 20u, c22_5); } if (col6) { finish(m0 + 22u, n0 + 24u, c22_6); } if (col7) { finish(m0 + 22u, n0 + 28u, c22_7); } }
    if (m0 + 23u < p.m) { if (col0) { finish(m0 + 23u, n0 + 0u, c23_0); } if (col1) { finish(m0 + 23u, n0 + 4u, c23_1); } if (col2) { finish(m0 + 23u, n0 + 8u, c23_2); } if (col3) { finish(m0 + 23u, n0 + 12u, c23_3); } if (col4) { finish(m0 + 23u, n0 + 16u, c23_4); } if (col5) { finish(m0 + 23u, n0 + 20u, c23_5); } if (col6) { finish(m0 + 23u, n0 + 24u, c23_6); } if (col7) { finish(m0 + 23u, n0 + 28u, c23_7); } }
    if (m0 + 24u < p.m) { if (col0) { finish(m0 + 24u, n0 + 0u, c24_0); } if (col1) { finish(m0 + 24u, n0 + 4u, c24_1); } if (col2) { finish(m0 + 24u, n0 + 8u, c24_2); } if (col3) { finish(m0 + 24u, n0 + 12u, c24_3); } if (col4) { finish(m0 + 24u, n0 + 16u, c24_4); } if (col5) { finish(m0 + 24u, n0 + 20u, c24_5); } if (col6) { finish(m0 + 24u, n0 + 24u, c24_6); } if (col7) { finish(m0 + 24u, n0 + 28u, c24_7); } }
    if (m0 + 25u < p.m) { if (col0) { finish(m0 + 25u, n0 + 0u, c25_0); } if (col1) { finish(m0 + 25u, n0 + 4u, c25_1); } if (col2) { finish(m0 + 25u, n0 + 8u, c25_2); } if (col3) { finish(m0 + 25u, n0 + 12u, c25_3); } if (col4) { finish(m0 + 25u, n0 + 16u, c25_4); } if (col5) { finish(m0 + 25u, n0 + 20u, c25_5); } if (col6) { finish(m0 + 25u, n0 + 24u, c25_6); } if (col7) { finish(m0 + 25u, n0 + 28u, c25_7); } }
    if (m0 + 26u < p.m) { if (col0) { finish(m0 + 26u, n0 + 0u, c26_0); } if (col1) { finish(m0 + 26u, n0 + 4u, c26_1); } if (col2) { finish(m0 + 26u, n0 + 8u, c26_2); } if (col3) { finish(m0 + 26u, n0 + 12u, c26_3); } if (col4) { finish(m0 + 26u, n0 + 16u, c26_4); } if (col5) { finish(m0 + 26u, n0 + 20u, c26_5); } if (col6) { finish(m0 + 26u, n0 + 24u, c26_6); } if (col7) { finish(m0 + 26u, n0 + 28u, c26_7); } }
    if (m0 + 27u < p.m) { if (col0) { finish(m0 + 27u, n0 + 0u, c27_0); } if (col1) { finish(m0 + 27u, n0 + 4u, c27_1); } if (col2) { finish(m0 + 27u, n0 + 8u, c27_2); } if (col3) { finish(m0 + 27u, n0 + 12u, c27_3); } if (col4) { finish(m0 + 27u, n0 + 16u, c27_4); } if (col5) { finish(m0 + 27u, n0 + 20u, c27_5); } if (col6) { finish(m0 + 27u, n0 + 24u, c27_6); } if (col7) { finish(m0 + 27u, n0 + 28u, c27_7); } }
    if (m0 + 28u < p.m) { if (col0) { finish(m0 + 28u, n0 + 0u, c28_0); } if (col1) { finish(m0 + 28u, n0 + 4u, c28_1); } if (col2) { finish(m0 + 28u, n0 + 8u, c28_2); } if (col3) { finish(m0 + 28u, n0 + 12u, c28_3); } if (col4) { finish(m0 + 28u, n0 + 16u, c28_4); } if (col5) { finish(m0 + 28u, n0 + 20u, c28_5); } if (col6) { finish(m0 + 28u, n0 + 24u, c28_6); } if (col7) { finish(m0 + 28u, n0 + 28u, c28_7); } }
    if (m0 + 29u < p.m) { if (col0) { finish(m0 + 29u, n0 + 0u, c29_0); } if (col1) { finish(m0 + 29u, n0 + 4u, c29_1); } if (col2) { finish(m0 + 29u, n0 + 8u, c29_2); } if (col3) { finish(m0 + 29u, n0 + 12u, c29_3); } if (col4) { finish(m0 + 29u, n0 + 16u, c29_4); } if (col5) { finish(m0 + 29u, n0 + 20u, c29_5); } if (col6) { finish(m0 + 29u, n0 + 24u, c29_6); } if (col7) { finish(m0 + 29u, n0 + 28u, c29_7); } }
    if (m0 + 30u < p.m) { if (col0) { finish(m0 + 30u, n0 + 0u, c30_0); } if (col1) { finish(m0 + 30u, n0 + 4u, c30_1); } if (col2) { finish(m0 + 30u, n0 + 8u, c30_2); } if (col3) { finish(m0 + 30u, n0 + 12u, c30_3); } if (col4) { finish(m0 + 30u, n0 + 16u, c30_4); } if (col5) { finish(m0 + 30u, n0 + 20u, c30_5); } if (col6) { finish(m0 + 30u, n0 + 24u, c30_6); } if (col7) { finish(m0 + 30u, n0 + 28u, c30_7); } }
    if (m0 + 31u < p.m) { if (col0) { finish(m0 + 31u, n0 + 0u, c31_0); } if (col1) { finish(m0 + 31u, n0 + 4u, c31_1); } if (col2) { finish(m0 + 31u, n0 + 8u, c31_2); } if (col3) { finish(m0 + 31u, n0 + 12u, c31_3); } if (col4) { finish(m0 + 31u, n0 + 16u, c31_4); } if (col5) { finish(m0 + 31u, n0 + 20u, c31_5); } if (col6) { finish(m0 + 31u, n0 + 24u, c31_6); } if (col7) { finish(m0 + 31u, n0 + 28u, c31_7); } }
}
// END GENERATED matmul_subgroup4_nt
// BEGIN GENERATED matmul_subgroup4_nn4
// Generated by tools/gen_shaders.py: NN_M = 8, NN_N4 = 2, 4 lanes.
@compute @workgroup_size(4)
fn matmul_subgroup4_nn4(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let lane = lid.x;
    let m0 = wg.y * 8u;
    let n0 = wg.x * 32u + 4u * lane;
    let last_m = p.m - 1u;
    let last_n4 = p.n - 4u;
    let ar0 = (p.a_off + min(m0 + lane + 0u, last_m) * p.a_rs) / 4u;
    let ar1 = (p.a_off + min(m0 + lane + 4u, last_m) * p.a_rs) / 4u;
    let bc0 = min(n0 + 0u, last_n4) / 4u;
    let bc1 = min(n0 + 16u, last_n4) / 4u;
    var c0_0 = vec4<f32>(); var c0_1 = vec4<f32>();
    var c1_0 = vec4<f32>(); var c1_1 = vec4<f32>();
    var c2_0 = vec4<f32>(); var c2_1 = vec4<f32>();
    var c3_0 = vec4<f32>(); var c3_1 = vec4<f32>();
    var c4_0 = vec4<f32>(); var c4_1 = vec4<f32>();
    var c5_0 = vec4<f32>(); var c5_1 = vec4<f32>();
    var c6_0 = vec4<f32>(); var c6_1 = vec4<f32>();
    var c7_0 = vec4<f32>(); var c7_1 = vec4<f32>();
    let k4 = p.k / 4u;
    for (var k = 0u; k < k4; k++) {
        let ra0 = a4[ar0 + k]; let ra1 = a4[ar1 + k];
        let x0 = subgroupBroadcast(ra0, 0u);
        let x1 = subgroupBroadcast(ra0, 1u);
        let x2 = subgroupBroadcast(ra0, 2u);
        let x3 = subgroupBroadcast(ra0, 3u);
        let x4 = subgroupBroadcast(ra1, 0u);
        let x5 = subgroupBroadcast(ra1, 1u);
        let x6 = subgroupBroadcast(ra1, 2u);
        let x7 = subgroupBroadcast(ra1, 3u);
        let bk0 = (4u * k + 0u) * p.b_rs / 4u;
        let b0_0 = load_b4(bk0 + bc0); let b1_0 = load_b4(bk0 + bc1);
        c0_0 += x0.x * b0_0; c0_1 += x0.x * b1_0;
        c1_0 += x1.x * b0_0; c1_1 += x1.x * b1_0;
        c2_0 += x2.x * b0_0; c2_1 += x2.x * b1_0;
        c3_0 += x3.x * b0_0; c3_1 += x3.x * b1_0;
        c4_0 += x4.x * b0_0; c4_1 += x4.x * b1_0;
        c5_0 += x5.x * b0_0; c5_1 += x5.x * b1_0;
        c6_0 += x6.x * b0_0; c6_1 += x6.x * b1_0;
        c7_0 += x7.x * b0_0; c7_1 += x7.x * b1_0;
        let bk1 = (4u * k + 1u) * p.b_rs / 4u;
        let b0_1 = load_b4(bk1 + bc0); let b1_1 = load_b4(bk1 + bc1);
        c0_0 += x0.y * b0_1; c0_1 += x0.y * b1_1;
        c1_0 += x1.y * b0_1; c1_1 += x1.y * b1_1;
        c2_0 += x2.y * b0_1; c2_1 += x2.y * b1_1;
        c3_0 += x3.y * b0_1; c3_1 += x3.y * b1_1;
        c4_0 += x4.y * b0_1; c4_1 += x4.y * b1_1;
        c5_0 += x5.y * b0_1; c5_1 += x5.y * b1_1;
        c6_0 += x6.y * b0_1; c6_1 += x6.y * b1_1;
        c7_0 += x7.y * b0_1; c7_1 += x7.y * b1_1;
        let bk2 = (4u * k + 2u) * p.b_rs / 4u;
        let b0_2 = load_b4(bk2 + bc0); let b1_2 = load_b4(bk2 + bc1);
        c0_0 += x0.z * b0_2; c0_1 += x0.z * b1_2;
        c1_0 += x1.z * b0_2; c1_1 += x1.z * b1_2;
        c2_0 += x2.z * b0_2; c2_1 += x2.z * b1_2;
        c3_0 += x3.z * b0_2; c3_1 += x3.z * b1_2;
        c4_0 += x4.z * b0_2; c4_1 += x4.z * b1_2;
        c5_0 += x5.z * b0_2; c5_1 += x5.z * b1_2;
        c6_0 += x6.z * b0_2; c6_1 += x6.z * b1_2;
        c7_0 += x7.z * b0_2; c7_1 += x7.z * b1_2;
        let bk3 = (4u * k + 3u) * p.b_rs / 4u;
        let b0_3 = load_b4(bk3 + bc0); let b1_3 = load_b4(bk3 + bc1);
        c0_0 += x0.w * b0_3; c0_1 += x0.w * b1_3;
        c1_0 += x1.w * b0_3; c1_1 += x1.w * b1_3;
        c2_0 += x2.w * b0_3; c2_1 += x2.w * b1_3;
        c3_0 += x3.w * b0_3; c3_1 += x3.w * b1_3;
        c4_0 += x4.w * b0_3; c4_1 += x4.w * b1_3;
        c5_0 += x5.w * b0_3; c5_1 += x5.w * b1_3;
        c6_0 += x6.w * b0_3; c6_1 += x6.w * b1_3;
        c7_0 += x7.w * b0_3; c7_1 += x7.w * b1_3;
    }
    // K not a multiple of 4: the last vec4 of each row holds 1-3 valid values (the rest
    // is the row's padding, read but not used).
    let tail = p.k - 4u * k4;
    if (tail > 0u) {
        let ra0 = a4[ar0 + k4]; let ra1 = a4[ar1 + k4];
        let x0 = subgroupBroadcast(ra0, 0u);
        let x1 = subgroupBroadcast(ra0, 1u);
        let x2 = subgroupBroadcast(ra0, 2u);
        let x3 = subgroupBroadcast(ra0, 3u);
        let x4 = subgroupBroadcast(ra1, 0u);
        let x5 = subgroupBroadcast(ra1, 1u);
        let x6 = subgroupBroadcast(ra1, 2u);
        let x7 = subgroupBroadcast(ra1, 3u);
        let bk0 = (4u * k4 + 0u) * p.b_rs / 4u;
        let b0_0 = load_b4(bk0 + bc0); let b1_0 = load_b4(bk0 + bc1);
        c0_0 += x0.x * b0_0; c0_1 += x0.x * b1_0;
        c1_0 += x1.x * b0_0; c1_1 += x1.x * b1_0;
        c2_0 += x2.x * b0_0; c2_1 += x2.x * b1_0;
        c3_0 += x3.x * b0_0; c3_1 += x3.x * b1_0;
        c4_0 += x4.x * b0_0; c4_1 += x4.x * b1_0;
        c5_0 += x5.x * b0_0; c5_1 += x5.x * b1_0;
        c6_0 += x6.x * b0_0; c6_1 += x6.x * b1_0;
        c7_0 += x7.x * b0_0; c7_1 += x7.x * b1_0;
        if (tail > 1u) {
            let bk1 = (4u * k4 + 1u) * p.b_rs / 4u;
            let b0_1 = load_b4(bk1 + bc0); let b1_1 = load_b4(bk1 + bc1);
            c0_0 += x0.y * b0_1; c0_1 += x0.y * b1_1;
            c1_0 += x1.y * b0_1; c1_1 += x1.y * b1_1;
            c2_0 += x2.y * b0_1; c2_1 += x2.y * b1_1;
            c3_0 += x3.y * b0_1; c3_1 += x3.y * b1_1;
            c4_0 += x4.y * b0_1; c4_1 += x4.y * b1_1;
            c5_0 += x5.y * b0_1; c5_1 += x5.y * b1_1;
            c6_0 += x6.y * b0_1; c6_1 += x6.y * b1_1;
            c7_0 += x7.y * b0_1; c7_1 += x7.y * b1_1;
        }
        if (tail > 2u) {
            let bk2 = (4u * k4 + 2u) * p.b_rs / 4u;
            let b0_2 = load_b4(bk2 + bc0); let b1_2 = load_b4(bk2 + bc1);
            c0_0 += x0.z * b0_2; c0_1 += x0.z * b1_2;
            c1_0 += x1.z * b0_2; c1_1 += x1.z * b1_2;
            c2_0 += x2.z * b0_2; c2_1 += x2.z * b1_2;
            c3_0 += x3.z * b0_2; c3_1 += x3.z * b1_2;
            c4_0 += x4.z * b0_2; c4_1 += x4.z * b1_2;
            c5_0 += x5.z * b0_2; c5_1 += x5.z * b1_2;
            c6_0 += x6.z * b0_2; c6_1 += x6.z * b1_2;
            c7_0 += x7.z * b0_2; c7_1 += x7.z * b1_2;
        }
    }
    let col0 = n0 + 0u < p.n;
    let col1 = n0 + 16u < p.n;
    if (m0 + 0u < p.m) { if (col0) { finish4(m0 + 0u, n0 + 0u, c0_0); } if (col1) { finish4(m0 + 0u, n0 + 16u, c0_1); } }
    if (m0 + 1u < p.m) { if (col0) { finish4(m0 + 1u, n0 + 0u, c1_0); } if (col1) { finish4(m0 + 1u, n0 + 16u, c1_1); } }
    if (m0 + 2u < p.m) { if (col0) { finish4(m0 + 2u, n0 + 0u, c2_0); } if (col1) { finish4(m0 + 2u, n0 + 16u, c2_1); } }
    if (m0 + 3u < p.m) { if (col0) { finish4(m0 + 3u, n0 + 0u, c3_0); } if (col1) { finish4(m0 + 3u, n0 + 16u, c3_1); } }
    if (m0 + 4u < p.m) { if (col0) { finish4(m0 + 4u, n0 + 0u, c4_0); } if (col1) { finish4(m0 + 4u, n0 + 16u, c4_1); } }
    if (m0 + 5u < p.m) { if (col0) { finish4(m0 + 5u, n0 + 0u, c5_0); } if (col1) { finish4(m0 + 5u, n0 + 16u, c5_1); } }
    if (m0 + 6u < p.m) { if (col0) { finish4(m0 + 6u, n0 + 0u, c6_0); } if (col1) { finish4(m0 + 6u, n0 + 16u, c6_1); } }
    if (m0 + 7u < p.m) { if (col0) { finish4(m0 + 7u, n0 + 0u, c7_0); } if (col1) { finish4(m0 + 7u, n0 + 16u, c7_1); } }
}
// END GENERATED matmul_subgroup4_nn4
// BEGIN GENERATED matmul_subgroup4_nn4w
// Generated by tools/gen_shaders.py: NN_M = 16, NN_N4 = 4, 4 lanes.
@compute @workgroup_size(4)
fn matmul_subgroup4_nn4w(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let lane = lid.x;
    let m0 = wg.y * 16u;
    let n0 = wg.x * 64u + 4u * lane;
    let last_m = p.m - 1u;
    let last_n4 = p.n - 4u;
    let ar0 = (p.a_off + min(m0 + lane + 0u, last_m) * p.a_rs) / 4u;
    let ar1 = (p.a_off + min(m0 + lane + 4u, last_m) * p.a_rs) / 4u;
    let ar2 = (p.a_off + min(m0 + lane + 8u, last_m) * p.a_rs) / 4u;
    let ar3 = (p.a_off + min(m0 + lane + 12u, last_m) * p.a_rs) / 4u;
    let bc0 = min(n0 + 0u, last_n4) / 4u;
    let bc1 = min(n0 + 16u, last_n4) / 4u;
    let bc2 = min(n0 + 32u, last_n4) / 4u;
    let bc3 = min(n0 + 48u, last_n4) / 4u;
    var c0_0 = vec4<f32>(); var c0_1 = vec4<f32>(); var c0_2 = vec4<f32>(); var c0_3 = vec4<f32>();
    var c1_0 = vec4<f32>(); var c1_1 = vec4<f32>(); var c1_2 = vec4<f32>(); var c1_3 = vec4<f32>();
    var c2_0 = vec4<f32>(); var c2_1 = vec4<f32>(); var c2_2 = vec4<f32>(); var c2_3 = vec4<f32>();
    var c3_0 = vec4<f32>(); var c3_1 = vec4<f32>(); var c3_2 = vec4<f32>(); var c3_3 = vec4<f32>();
    var c4_0 = vec4<f32>(); var c4_1 = vec4<f32>(); var c4_2 = vec4<f32>(); var c4_3 = vec4<f32>();
    var c5_0 = vec4<f32>(); var c5_1 = vec4<f32>(); var c5_2 = vec4<f32>(); var c5_3 = vec4<f32>();
    var c6_0 = vec4<f32>(); var c6_1 = vec4<f32>(); var c6_2 = vec4<f32>(); var c6_3 = vec4<f32>();
    var c7_0 = vec4<f32>(); var c7_1 = vec4<f32>(); var c7_2 = vec4<f32>(); var c7_3 = vec4<f32>();
    var c8_0 = vec4<f32>(); var c8_1 = vec4<f32>(); var c8_2 = vec4<f32>(); var c8_3 = vec4<f32>();
    var c9_0 = vec4<f32>(); var c9_1 = vec4<f32>(); var c9_2 = vec4<f32>(); var c9_3 = vec4<f32>();
    var c10_0 = vec4<f32>(); var c10_1 = vec4<f32>(); var c10_2 = vec4<f32>(); var c10_3 = vec4<f32>();
    var c11_0 = vec4<f32>(); var c11_1 = vec4<f32>(); var c11_2 = vec4<f32>(); var c11_3 = vec4<f32>();
    var c12_0 = vec4<f32>(); var c12_1 = vec4<f32>(); var c12_2 = vec4<f32>(); var c12_3 = vec4<f32>();
    var c13_0 = vec4<f32>(); var c13_1 = vec4<f32>(); var c13_2 = vec4<f32>(); var c13_3 = vec4<f32>();
    var c14_0 = vec4<f32>(); var c14_1 = vec4<f32>(); var c14_2 = vec4<f32>(); var c14_3 = vec4<f32>();
    var c15_0 = vec4<f32>(); var c15_1 = vec4<f32>(); var c15_2 = vec4<f32>(); var c15_3 = vec4<f32>();
    let k4 = p.k / 4u;
    for (var k = 0u; k < k4; k++) {
        let ra0 = a4[ar0 + k]; let ra1 = a4[ar1 + k]; let ra2 = a4[ar2 + k]; let ra3 = a4[ar3 + k];
        let x0 = subgroupBroadcast(ra0, 0u);
        let x1 = subgroupBroadcast(ra0, 1u);
        let x2 = subgroupBroadcast(ra0, 2u);
        let x3 = subgroupBroadcast(ra0, 3u);
        let x4 = subgroupBroadcast(ra1, 0u);
        let x5 = subgroupBroadcast(ra1, 1u);
        let x6 = subgroupBroadcast(ra1, 2u);
        let x7 = subgroupBroadcast(ra1, 3u);
        let x8 = subgroupBroadcast(ra2, 0u);
        let x9 = subgroupBroadcast(ra2, 1u);
        let x10 = subgroupBroadcast(ra2, 2u);
        let x11 = subgroupBroadcast(ra2, 3u);
        let x12 = subgroupBroadcast(ra3, 0u);
        let x13 = subgroupBroadcast(ra3, 1u);
        let x14 = subgroupBroadcast(ra3, 2u);
        let x15 = subgroupBroadcast(ra3, 3u);
        let bk0 = (4u * k + 0u) * p.b_rs / 4u;
        let b0_0 = load_b4(bk0 + bc0); let b1_0 = load_b4(bk0 + bc1); let b2_0 = load_b4(bk0 + bc2); let b3_0 = load_b4(bk0 + bc3);
        c0_0 += x0.x * b0_0; c0_1 += x0.x * b1_0; c0_2 += x0.x * b2_0; c0_3 += x0.x * b3_0;
        c1_0 += x1.x * b0_0; c1_1 += x1.x * b1_0; c1_2 += x1.x * b2_0; c1_3 += x1.x * b3_0;
        c2_0 += x2.x * b0_0; c2_1 += x2.x * b1_0; c2_2 += x2.x * b2_0; c2_3 += x2.x * b3_0;
        c3_0 += x3.x * b0_0; c3_1 += x3.x * b1_0; c3_2 += x3.x * b2_0; c3_3 += x3.x * b3_0;
        c4_0 += x4.x * b0_0; c4_1 += x4.x * b1_0; c4_2 += x4.x * b2_0; c4_3 += x4.x * b3_0;
        c5_0 += x5.x * b0_0; c5_1 += x5.x * b1_0; c5_2 += x5.x * b2_0; c5_3 += x5.x * b3_0;
        c6_0 += x6.x * b0_0; c6_1 += x6.x * b1_0; c6_2 += x6.x * b2_0; c6_3 += x6.x * b3_0;
        c7_0 += x7.x * b0_0; c7_1 += x7.x * b1_0; c7_2 += x7.x * b2_0; c7_3 += x7.x * b3_0;
        c8_0 += x8.x * b0_0; c8_1 += x8.x * b1_0; c8_2 += x8.x * b2_0; c8_3 += x8.x * b3_0;
        c9_0 += x9.x * b0_0; c9_1 += x9.x * b1_0; c9_2 += x9.x * b2_0; c9_3 += x9.x * b3_0;
        c10_0 += x10.x * b0_0; c10_1 += x10.x * b1_0; c10_2 += x10.x * b2_0; c10_3 += x10.x * b3_0;
        c11_0 += x11.x * b0_0; c11_1 += x11.x * b1_0; c11_2 += x11.x * b2_0; c11_3 += x11.x * b3_0;
        c12_0 += x12.x * b0_0; c12_1 += x12.x * b1_0; c12_2 += x12.x * b2_0; c12_3 += x12.x * b3_0;
        c13_0 += x13.x * b0_0; c13_1 += x13.x * b1_0; c13_2 += x13.x * b2_0; c13_3 += x13.x * b3_0;
        c14_0 += x14.x * b0_0; c14_1 += x14.x * b1_0; c14_2 += x14.x * b2_0; c14_3 += x14.x * b3_0;
        c15_0 += x15.x * b0_0; c15_1 += x15.x * b1_0; c15_2 += x15.x * b2_0; c15_3 += x15.x * b3_0;
        let bk1 = (4u * k + 1u) * p.b_rs / 4u;
        let b0_1 = load_b4(bk1 + bc0); let b1_1 = load_b4(bk1 + bc1); let b2_1 = load_b4(bk1 + bc2); let b3_1 = load_b4(bk1 + bc3);
        c0_0 += x0.y * b0_1; c0_1 += x0.y * b1_1; c0_2 += x0.y * b2_1; c0_3 += x0.y * b3_1;
        c1_0 += x1.y * b0_1; c1_1 += x1.y * b1_1; c1_2 += x1.y * b2_1; c1_3 += x1.y * b3_1;
        c2_0 += x2.y * b0_1; c2_1 += x2.y * b1_1; c2_2 += x2.y * b2_1; c2_3 += x2.y * b3_1;
        c3_0 += x3.y * b0_1; c3_1 += x3.y * b1_1; c3_2 += x3.y * b2_1; c3_3 += x3.y * b3_1;
        c4_0 += x4.y * b0_1; c4_1 += x4.y * b1_1; c4_2 += x4.y * b2_1; c4_3 += x4.y * b3_1;
        c5_0 += x5.y * b0_1; c5_1 += x5.y * b1_1; c5_2 += x5.y * b2_1; c5_3 += x5.y * b3_1;
        c6_0 += x6.y * b0_1; c6_1 += x6.y * b1_1; c6_2 += x6.y * b2_1; c6_3 += x6.y * b3_1;
        c7_0 += x7.y * b0_1; c7_1 += x7.y * b1_1; c7_2 += x7.y * b2_1; c7_3 += x7.y * b3_1;
        c8_0 += x8.y * b0_1; c8_1 += x8.y * b1_1; c8_2 += x8.y * b2_1; c8_3 += x8.y * b3_1;
        c9_0 += x9.y * b0_1; c9_1 += x9.y * b1_1; c9_2 += x9.y * b2_1; c9_3 += x9.y * b3_1;
        c10_0 += x10.y * b0_1; c10_1 += x10.y * b1_1; c10_2 += x10.y * b2_1; c10_3 += x10.y * b3_1;
        c11_0 += x11.y * b0_1; c11_1 += x11.y * b1_1; c11_2 += x11.y * b2_1; c11_3 += x11.y * b3_1;
        c12_0 += x12.y * b0_1; c12_1 += x12.y * b1_1; c12_2 += x12.y * b2_1; c12_3 += x12.y * b3_1;
        c13_0 += x13.y * b0_1; c13_1 += x13.y * b1_1; c13_2 += x13.y * b2_1; c13_3 += x13.y * b3_1;
        c14_0 += x14.y * b0_1; c14_1 += x14.y * b1_1; c14_2 += x14.y * b2_1; c14_3 += x14.y * b3_1;
        c15_0 += x15.y * b0_1; c15_1 += x15.y * b1_1; c15_2 += x15.y * b2_1; c15_3 += x15.y * b3_1;
        let bk2 = (4u * k + 2u) * p.b_rs / 4u;
        let b0_2 = load_b4(bk2 + bc0); let b1_2 = load_b4(bk2 + bc1); let b2_2 = load_b4(bk2 + bc2); let b3_2 = load_b4(bk2 + bc3);
        c0_0 += x0.z * b0_2; c0_1 += x0.z * b1_2; c0_2 += x0.z * b2_2; c0_3 += x0.z * b3_2;
        c1_0 += x1.z * b0_2; c1_1 += x1.z * b1_2; c1_2 += x1.z * b2_2; c1_3 += x1.z * b3_2;
        c2_0 += x2.z * b0_2; c2_1 += x2.z * b1_2; c2_2 += x2.z * b2_2; c2_3 += x2.z * b3_2;
        c3_0 += x3.z * b0_2; c3_1 += x3.z * b1_2; c3_2 += x3.z * b2_2; c3_3 += x3.z * b3_2;
        c4_0 += x4.z * b0_2; c4_1 += x4.z * b1_2; c4_2 += x4.z * b2_2; c4_3 += x4.z * b3_2;
        c5_0 += x5.z * b0_2; c5_1 += x5.z * b1_2; c5_2 += x5.z * b2_2; c5_3 += x5.z * b3_2;
        c6_0 += x6.z * b0_2; c6_1 += x6.z * b1_2; c6_2 += x6.z * b2_2; c6_3 += x6.z * b3_2;
        c7_0 += x7.z * b0_2; c7_1 += x7.z * b1_2; c7_2 += x7.z * b2_2; c7_3 += x7.z * b3_2;
        c8_0 += x8.z * b0_2; c8_1 += x8.z * b1_2; c8_2 += x8.z * b2_2; c8_3 += x8.z * b3_2;
        c9_0 += x9.z * b0_2; c9_1 += x9.z * b1_2; c9_2 += x9.z * b2_2; c9_3 += x9.z * b3_2;
        c10_0 += x10.z * b0_2; c10_1 += x10.z * b1_2; c10_2 += x10.z * b2_2; c10_3 += x10.z * b3_2;
        c11_0 += x11.z * b0_2; c11_1 += x11.z * b1_2; c11_2 += x11.z * b2_2; c11_3 += x11.z * b3_2;
        c12_0 += x12.z * b0_2; c12_1 += x12.z * b1_2; c12_2 += x12.z * b2_2; c12_3 += x12.z * b3_2;
        c13_0 += x13.z * b0_2; c13_1 += x13.z * b1_2; c13_2 += x13.z * b2_2; c13_3 += x13.z * b3_2;
        c14_0 += x14.z * b0_2; c14_1 += x14.z * b1_2; c14_2 += x14.z * b2_2; c14_3 += x14.z * b3_2;
        c15_0 += x15.z * b0_2; c15_1 += x15.z * b1_2; c15_2 += x15.z * b2_2; c15_3 += x15.z * b3_2;
        let bk3 = (4u * k + 3u) * p.b_rs / 4u;
        let b0_3 = load_b4(bk3 + bc0); let b1_3 = load_b4(bk3 + bc1); let b2_3 = load_b4(bk3 + bc2); let b3_3 = load_b4(bk3 + bc3);
        c0_0 += x0.w * b0_3; c0_1 += x0.w * b1_3; c0_2 += x0.w * b2_3; c0_3 += x0.w * b3_3;
        c1_0 += x1.w * b0_3; c1_1 += x1.w * b1_3; c1_2 += x1.w * b2_3; c1_3 += x1.w * b3_3;
        c2_0 += x2.w * b0_3; c2_1 += x2.w * b1_3; c2_2 += x2.w * b2_3; c2_3 += x2.w * b3_3;
        c3_0 += x3.w * b0_3; c3_1 += x3.w * b1_3; c3_2 += x3.w * b2_3; c3_3 += x3.w * b3_3;
        c4_0 += x4.w * b0_3; c4_1 += x4.w * b1_3; c4_2 += x4.w * b2_3; c4_3 += x4.w * b3_3;
        c5_0 += x5.w * b0_3; c5_1 += x5.w * b1_3; c5_2 += x5.w * b2_3; c5_3 += x5.w * b3_3;
        c6_0 += x6.w * b0_3; c6_1 += x6.w * b1_3; c6_2 += x6.w * b2_3; c6_3 += x6.w * b3_3;
        c7_0 += x7.w * b0_3; c7_1 += x7.w * b1_3; c7_2 += x7.w * b2_3; c7_3 += x7.w * b3_3;
        c8_0 += x8.w * b0_3; c8_1 += x8.w * b1_3; c8_2 += x8.w * b2_3; c8_3 += x8.w * b3_3;
        c9_0 += x9.w * b0_3; c9_1 += x9.w * b1_3; c9_2 += x9.w * b2_3; c9_3 += x9.w * b3_3;
        c10_0 += x10.w * b0_3; c10_1 += x10.w * b1_3; c10_2 += x10.w * b2_3; c10_3 += x10.w * b3_3;
        c11_0 += x11.w * b0_3; c11_1 += x11.w * b1_3; c11_2 += x11.w * b2_3; c11_3 += x11.w * b3_3;
        c12_0 += x12.w * b0_3; c12_1 += x12.w * b1_3; c12_2 += x12.w * b2_3; c12_3 += x12.w * b3_3;
        c13_0 += x13.w * b0_3; c13_1 += x13.w * b1_3; c13_2 += x13.w * b2_3; c13_3 += x13.w * b3_3;
        c14_0 += x14.w * b0_3; c14_1 += x14.w * b1_3; c14_2 += x14.w * b2_3; c14_3 += x14.w * b3_3;
        c15_0 += x15.w * b0_3; c15_1 += x15.w * b1_3; c15_2 += x15.w * b2_3; c15_3 += x15.w * b3_3;
    }
    // K not a multiple of 4: the last vec4 of each row holds 1-3 valid values (the rest
    // is the row's padding, read but not used).
    let tail = p.k - 4u * k4;
    if (tail > 0u) {
        let ra0 = a4[ar0 + k4]; let ra1 = a4[ar1 + k4]; let ra2 = a4[ar2 + k4]; let ra3 = a4[ar3 + k4];
        let x0 = subgroupBroadcast(ra0, 0u);
        let x1 = subgroupBroadcast(ra0, 1u);
        let x2 = subgroupBroadcast(ra0, 2u);
        let x3 = subgroupBroadcast(ra0, 3u);
        let x4 = subgroupBroadcast(ra1, 0u);
        let x5 = subgroupBroadcast(ra1, 1u);
        let x6 = subgroupBroadcast(ra1, 2u);
        let x7 = subgroupBroadcast(ra1, 3u);
        let x8 = subgroupBroadcast(ra2, 0u);
        let x9 = subgroupBroadcast(ra2, 1u);
        let x10 = subgroupBroadcast(ra2, 2u);
        let x11 = subgroupBroadcast(ra2, 3u);
        let x12 = subgroupBroadcast(ra3, 0u);
        let x13 = subgroupBroadcast(ra3, 1u);
        let x14 = subgroupBroadcast(ra3, 2u);
        let x15 = subgroupBroadcast(ra3, 3u);
        let bk0 = (4u * k4 + 0u) * p.b_rs / 4u;
        let b0_0 = load_b4(bk0 + bc0); let b1_0 = load_b4(bk0 + bc1); let b2_0 = load_b4(bk0 + bc2); let b3_0 = load_b4(bk0 + bc3);
        c0_0 += x0.x * b0_0; c0_1 += x0.x * b1_0; c0_2 += x0.x * b2_0; c0_3 += x0.x * b3_0;
        c1_0 += x1.x * b0_0; c1_1 += x1.x * b1_0; c1_2 += x1.x * b2_0; c1_3 += x1.x * b3_0;
        c2_0 += x2.x * b0_0; c2_1 += x2.x * b1_0; c2_2 += x2.x * b2_0; c2_3 += x2.x * b3_0;
        c3_0 += x3.x * b0_0; c3_1 += x3.x * b1_0; c3_2 += x3.x * b2_0; c3_3 += x3.x * b3_0;
        c4_0 += x4.x * b0_0; c4_1 += x4.x * b1_0; c4_2 += x4.x * b2_0; c4_3 += x4.x * b3_0;
        c5_0 += x5.x * b0_0; c5_1 += x5.x * b1_0; c5_2 += x5.x * b2_0; c5_3 += x5.x * b3_0;
        c6_0 += x6.x * b0_0; c6_1 += x6.x * b1_0; c6_2 += x6.x * b2_0; c6_3 += x6.x * b3_0;
        c7_0 += x7.x * b0_0; c7_1 += x7.x * b1_0; c7_2 += x7.x * b2_0; c7_3 += x7.x * b3_0;
        c8_0 += x8.x * b0_0; c8_1 += x8.x * b1_0; c8_2 += x8.x * b2_0; c8_3 += x8.x * b3_0;
        c9_0 += x9.x * b0_0; c9_1 += x9.x * b1_0; c9_2 += x9.x * b2_0; c9_3 += x9.x * b3_0;
        c10_0 += x10.x * b0_0; c10_1 += x10.x * b1_0; c10_2 += x10.x * b2_0; c10_3 += x10.x * b3_0;
        c11_0 += x11.x * b0_0; c11_1 += x11.x * b1_0; c11_2 += x11.x * b2_0; c11_3 += x11.x * b3_0;
        c12_0 += x12.x * b0_0; c12_1 += x12.x * b1_0; c12_2 += x12.x * b2_0; c12_3 += x12.x * b3_0;
        c13_0 += x13.x * b0_0; c13_1 += x13.x * b1_0; c13_2 += x13.x * b2_0; c13_3 += x13.x * b3_0;
        c14_0 += x14.x * b0_0; c14_1 += x14.x * b1_0; c14_2 += x14.x * b2_0; c14_3 += x14.x * b3_0;
        c15_0 += x15.x * b0_0; c15_1 += x15.x * b1_0; c15_2 += x15.x * b2_0; c15_3 += x15.x * b3_0;
        if (tail > 1u) {
            let bk1 = (4u * k4 + 1u) * p.b_rs / 4u;
            let b0_1 = load_b4(bk1 + bc0); let b1_1 = load_b4(bk1 + bc1); let b2_1 = load_b4(bk1 + bc2); let b3_1 = load_b4(bk1 + bc3);
            c0_0 += x0.y * b0_1; c0_1 += x0.y * b1_1; c0_2 += x0.y * b2_1; c0_3 += x0.y * b3_1;
            c1_0 += x1.y * b0_1; c1_1 += x1.y * b1_1; c1_2 += x1.y * b2_1; c1_3 += x1.y * b3_1;
            c2_0 += x2.y * b0_1; c2_1 += x2.y * b1_1; c2_2 += x2.y * b2_1; c2_3 += x2.y * b3_1;
            c3_0 += x3.y * b0_1; c3_1 += x3.y * b1_1; c3_2 += x3.y * b2_1; c3_3 += x3.y * b3_1;
            c4_0 += x4.y * b0_1; c4_1 += x4.y * b1_1; c4_2 += x4.y * b2_1; c4_3 += x4.y * b3_1;
            c5_0 += x5.y * b0_1; c5_1 += x5.y * b1_1; c5_2 += x5.y * b2_1; c5_3 += x5.y * b3_1;
            c6_0 += x6.y * b0_1; c6_1 += x6.y * b1_1; c6_2 += x6.y * b2_1; c6_3 += x6.y * b3_1;
            c7_0 += x7.y * b0_1; c7_1 += x7.y * b1_1; c7_2 += x7.y * b2_1; c7_3 += x7.y * b3_1;
            c8_0 += x8.y * b0_1; c8_1 += x8.y * b1_1; c8_2 += x8.y * b2_1; c8_3 += x8.y * b3_1;
            c9_0 += x9.y * b0_1; c9_1 += x9.y * b1_1; c9_2 += x9.y * b2_1; c9_3 += x9.y * b3_1;
            c10_0 += x10.y * b0_1; c10_1 += x10.y * b1_1; c10_2 += x10.y * b2_1; c10_3 += x10.y * b3_1;
            c11_0 += x11.y * b0_1; c11_1 += x11.y * b1_1; c11_2 += x11.y * b2_1; c11_3 += x11.y * b3_1;
            c12_0 += x12.y * b0_1; c12_1 += x12.y * b1_1; c12_2 += x12.y * b2_1; c12_3 += x12.y * b3_1;
            c13_0 += x13.y * b0_1; c13_1 += x13.y * b1_1; c13_2 += x13.y * b2_1; c13_3 += x13.y * b3_1;
            c14_0 += x14.y * b0_1; c14_1 += x14.y * b1_1; c14_2 += x14.y * b2_1; c14_3 += x14.y * b3_1;
            c15_0 += x15.y * b0_1; c15_1 += x15.y * b1_1; c15_2 += x15.y * b2_1; c15_3 += x15.y * b3_1;
        }
        if (tail > 2u) {
            let bk2 = (4u * k4 + 2u) * p.b_rs / 4u;
            let b0_2 = load_b4(bk2 + bc0); let b1_2 = load_b4(bk2 + bc1); let b2_2 = load_b4(bk2 + bc2); let b3_2 = load_b4(bk2 + bc3);
            c0_0 += x0.z * b0_2; c0_1 += x0.z * b1_2; c0_2 += x0.z * b2_2; c0_3 += x0.z * b3_2;
            c1_0 += x1.z * b0_2; c1_1 += x1.z * b1_2; c1_2 += x1.z * b2_2; c1_3 += x1.z * b3_2;
            c2_0 += x2.z * b0_2; c2_1 += x2.z * b1_2; c2_2 += x2.z * b2_2; c2_3 += x2.z * b3_2;
            c3_0 += x3.z * b0_2; c3_1 += x3.z * b1_2; c3_2 += x3.z * b2_2; c3_3 += x3.z * b3_2;
            c4_0 += x4.z * b0_2; c4_1 += x4.z * b1_2; c4_2 += x4.z * b2_2; c4_3 += x4.z * b3_2;
            c5_0 += x5.z * b0_2; c5_1 += x5.z * b1_2; c5_2 += x5.z * b2_2; c5_3 += x5.z * b3_2;
            c6_0 += x6.z * b0_2; c6_1 += x6.z * b1_2; c6_2 += x6.z * b2_2; c6_3 += x6.z * b3_2;
            c7_0 += x7.z * b0_2; c7_1 += x7.z * b1_2; c7_2 += x7.z * b2_2; c7_3 += x7.z * b3_2;
            c8_0 += x8.z * b0_2; c8_1 += x8.z * b1_2; c8_2 += x8.z * b2_2; c8_3 += x8.z * b3_2;
            c9_0 += x9.z * b0_2; c9_1 += x9.z * b1_2; c9_2 += x9.z * b2_2; c9_3 += x9.z * b3_2;
            c10_0 += x10.z * b0_2; c10_1 += x10.z * b1_2; c10_2 += x10.z * b2_2; c10_3 += x10.z * b3_2;
            c11_0 += x11.z * b0_2; c11_1 += x11.z * b1_2; c11_2 += x11.z * b2_2; c11_3 += x11.z * b3_2;
            c12_0 += x12.z * b0_2; c12_1 += x12.z * b1_2; c12_2 += x12.z * b2_2; c12_3 += x12.z * b3_2;
            c13_0 += x13.z * b0_2; c13_1 += x13.z * b1_2; c13_2 += x13.z * b2_2; c13_3 += x13.z * b3_2;
            c14_0 += x14.z * b0_2; c14_1 += x14.z * b1_2; c14_2 += x14.z * b2_2; c14_3 += x14.z * b3_2;
            c15_0 += x15.z * b0_2; c15_1 += x15.z * b1_2; c15_2 += x15.z * b2_2; c15_3 += x15.z * b3_2;
        }
    }
    let col0 = n0 + 0u < p.n;
    let col1 = n0 + 16u < p.n;
    let col2 = n0 + 32u < p.n;
    let col3 = n0 + 48u < p.n;
    if (m0 + 0u < p.m) { if (col0) { finish4(m0 + 0u, n0 + 0u, c0_0); } if (col1) { finish4(m0 + 0u, n0 + 16u, c0_1); } if (col2) { finish4(m0 + 0u, n0 + 32u, c0_2); } if (col3) { finish4(m0 + 0u, n0 + 48u, c0_3); } }
    if (m0 + 1u < p.m) { if (col0) { finish4(m0 + 1u, n0 + 0u, c1_0); } if (col1) { finish4(m0 + 1u, n0 + 16u, c1_1); } if (col2) { finish4(m0 + 1u, n0 + 32u, c1_2); } if (col3) { finish4(m0 + 1u, n0 + 48u, c1_3); } }
    if (m0 + 2u < p.m) { if (col0) { finish4(m0 + 2u, n0 + 0u, c2_0); } if (col1) { finish4(m0 + 2u, n0 + 16u, c2_1); } if (col2) { finish4(m0 + 2u, n0 + 32u, c2_2); } if (col3) { finish4(m0 + 2u, n0 + 48u, c2_3); } }
    if (m0 + 3u < p.m) { if (col0) { finish4(m0 + 3u, n0 + 0u, c3_0); } if (col1) { finish4(m0 + 3u, n0 + 16u, c3_1); } if (col2) { finish4(m0 + 3u, n0 + 32u, c3_2); } if (col3) { finish4(m0 + 3u, n0 + 48u, c3_3); } }
    if (m0 + 4u < p.m) { if (col0) { finish4(m0 + 4u, n0 + 0u, c4_0); } if (col1) { finish4(m0 + 4u, n0 + 16u, c4_1); } if (col2) { finish4(m0 + 4u, n0 + 32u, c4_2); } if (col3) { finish4(m0 + 4u, n0 + 48u, c4_3); } }
    if (m0 + 5u < p.m) { if (col0) { finish4(m0 + 5u, n0 + 0u, c5_0); } if (col1) { finish4(m0 + 5u, n0 + 16u, c5_1); } if (col2) { finish4(m0 + 5u, n0 + 32u, c5_2); } if (col3) { finish4(m0 + 5u, n0 + 48u, c5_3); } }
    if (m0 + 6u < p.m) { if (col0) { finish4(m0 + 6u, n0 + 0u, c6_0); } if (col1) { finish4(m0 + 6u, n0 + 16u, c6_1); } if (col2) { finish4(m0 + 6u, n0 + 32u, c6_2); } if (col3) { finish4(m0 + 6u, n0 + 48u, c6_3); } }
    if (m0 + 7u < p.m) { if (col0) { finish4(m0 + 7u, n0 + 0u, c7_0); } if (col1) { finish4(m0 + 7u, n0 + 16u, c7_1); } if (col2) { finish4(m0 + 7u, n0 + 32u, c7_2); } if (col3) { finish4(m0 + 7u, n0 + 48u, c7_3); } }
    if (m0 + 8u < p.m) { if (col0) { finish4(m0 + 8u, n0 + 0u, c8_0); } if (col1) { finish4(m0 + 8u, n0 + 16u, c8_1); } if (col2) { finish4(m0 + 8u, n0 + 32u, c8_2); } if (col3) { finish4(m0 + 8u, n0 + 48u, c8_3); } }
    if (m0 + 9u < p.m) { if (col0) { finish4(m0 + 9u, n0 + 0u, c9_0); } if (col1) { finish4(m0 + 9u, n0 + 16u, c9_1); } if (col2) { finish4(m0 + 9u, n0 + 32u, c9_2); } if (col3) { finish4(m0 + 9u, n0 + 48u, c9_3); } }
    if (m0 + 10u < p.m) { if (col0) { finish4(m0 + 10u, n0 + 0u, c10_0); } if (col1) { finish4(m0 + 10u, n0 + 16u, c10_1); } if (col2) { finish4(m0 + 10u, n0 + 32u, c10_2); } if (col3) { finish4(m0 + 10u, n0 + 48u, c10_3); } }
    if (m0 + 11u < p.m) { if (col0) { finish4(m0 + 11u, n0 + 0u, c11_0); } if (col1) { finish4(m0 + 11u, n0 + 16u, c11_1); } if (col2) { finish4(m0 + 11u, n0 + 32u, c11_2); } if (col3) { finish4(m0 + 11u, n0 + 48u, c11_3); } }
    if (m0 + 12u < p.m) { if (col0) { finish4(m0 + 12u, n0 + 0u, c12_0); } if (col1) { finish4(m0 + 12u, n0 + 16u, c12_1); } if (col2) { finish4(m0 + 12u, n0 + 32u, c12_2); } if (col3) { finish4(m0 + 12u, n0 + 48u, c12_3); } }
    if (m0 + 13u < p.m) { if (col0) { finish4(m0 + 13u, n0 + 0u, c13_0); } if (col1) { finish4(m0 + 13u, n0 + 16u, c13_1); } if (col2) { finish4(m0 + 13u, n0 + 32u, c13_2); } if (col3) { finish4(m0 + 13u, n0 + 48u, c13_3); } }
    if (m0 + 14u < p.m) { if (col0) { finish4(m0 + 14u, n0 + 0u, c14_0); } if (col1) { finish4(m0 + 14u, n0 + 16u, c14_1); } if (col2) { finish4(m0 + 14u, n0 + 32u, c14_2); } if (col3) { finish4(m0 + 14u, n0 + 48u, c14_3); } }
    if (m0 + 15u < p.m) { if (col0) { finish4(m0 + 15u, n0 + 0u, c15_0); } if (col1) { finish4(m0 + 15u, n0 + 16u, c15_1); } if (col2) { finish4(m0 + 15u, n0 + 32u, c15_2); } if (col3) { finish4(m0 + 15u, n0 + 48u, c15_3); } }
}
// END GENERATED matmul_subgroup4_nn4w
#endif
#endif
#endif
