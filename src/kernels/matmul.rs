//! Products with frozen weights (shaders/matmul.wgsl), in GPT-2's Conv1D layout: W is [in, out].
//!
//! - [`encode_matmul_forward`]: Y = X·W + b
//! - [`encode_matmul_backward_input`]: dX = dY·Wᵀ
//!
//! Both are one strided product ([`Gemm`]); the [`Variant`] picks the kernel, and [`tune`] times
//! the candidates on the adapter so that [`Variant::Auto`] runs the fastest for each shape.

use crate::gpu::{Access, DType, Gpu, GpuError, Kernel, Result, Shader, Tensor};

pub static SHADER: Shader = Shader {
    name: "matmul.wgsl",
    source: include_str!("../../shaders/matmul.wgsl"),
    defines: &["WEIGHTS_F16", "WEIGHTS_Q4", "SUBGROUPS", "A_VEC4", "B_VEC4", "STORE_ONLY"],
};

const STORAGE: &[Access] = &[Access::Read, Access::Read, Access::Read, Access::ReadWrite];

static NAIVE: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_naive", STORAGE);
static TILED: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_tiled", STORAGE);
static ROWS: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_rows", STORAGE);
static SMALL: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_small", STORAGE);
static SMALL_F16: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_small", STORAGE).with(&["WEIGHTS_F16"]);
static SMALL_Q4: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_small", STORAGE).with(&["WEIGHTS_Q4"]);
static SHARED: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_shared", STORAGE);
static SHARED_F16: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_shared", STORAGE).with(&["WEIGHTS_F16"]);
static SHARED_Q4: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_shared", STORAGE).with(&["WEIGHTS_Q4"]);
static SHARED_NT: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_shared_nt", STORAGE).with(&["A_VEC4", "B_VEC4"]);
static SHARED_NT_F16: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_shared_nt", STORAGE).with(&[
    "A_VEC4",
    "B_VEC4",
    "WEIGHTS_F16",
]);
static SHARED_NT_Q4: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_shared_nt", STORAGE).with(&[
    "A_VEC4",
    "B_VEC4",
    "WEIGHTS_Q4",
]);
static SHARED_NN4: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_shared_nn4", STORAGE).with(&["A_VEC4", "B_VEC4"]);
static SHARED_NN4_F16: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_shared_nn4", STORAGE).with(&[
    "A_VEC4",
    "B_VEC4",
    "WEIGHTS_F16",
]);
static SHARED_NN4_Q4: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_shared_nn4", STORAGE).with(&[
    "A_VEC4",
    "B_VEC4",
    "WEIGHTS_Q4",
]);
static ROWS_NT: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_rows_nt", STORAGE).with(&["A_VEC4", "B_VEC4"]);
static ROWS_NN: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_rows_nn", STORAGE).with(&["B_VEC4"]);
static ROWS_NT_F16: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_rows_nt", STORAGE).with(&[
    "A_VEC4",
    "B_VEC4",
    "WEIGHTS_F16",
]);
static ROWS_NN_F16: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_rows_nn", STORAGE).with(&["B_VEC4", "WEIGHTS_F16"]);
static SUBGROUP: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup", STORAGE).with(&["SUBGROUPS"]);
static SUBGROUP_NN: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup_nn", STORAGE).with(&["SUBGROUPS", "B_VEC4"]);
static SUBGROUP_NN4: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup_nn4", STORAGE).with(&[
    "SUBGROUPS",
    "A_VEC4",
    "B_VEC4",
]);
static SUBGROUP_NT: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup_nt", STORAGE).with(&[
    "SUBGROUPS",
    "A_VEC4",
    "B_VEC4",
]);

// The vec4 subgroup kernels with 64 x 64 tiles (Variant::SubgroupWide; tools/gen_shaders.py, NT_WIDE_TILE).
static SUBGROUP_NT_WIDE: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup_nt_wide", STORAGE)
    .with(&["SUBGROUPS", "A_VEC4", "B_VEC4"]);
static SUBGROUP_NT_WIDE_F16: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup_nt_wide", STORAGE).with(&[
        "SUBGROUPS",
        "A_VEC4",
        "B_VEC4",
        "WEIGHTS_F16",
    ]);
static SUBGROUP_NT_WIDE_Q4: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup_nt_wide", STORAGE)
    .with(&["SUBGROUPS", "A_VEC4", "B_VEC4", "WEIGHTS_Q4"]);
static SUBGROUP_NN4_WIDE: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup_nn4_wide", STORAGE)
    .with(&["SUBGROUPS", "A_VEC4", "B_VEC4"]);
static SUBGROUP_NN4_WIDE_F16: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup_nn4_wide", STORAGE).with(&[
        "SUBGROUPS",
        "A_VEC4",
        "B_VEC4",
        "WEIGHTS_F16",
    ]);
static SUBGROUP_NN4_WIDE_Q4: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup_nn4_wide", STORAGE).with(&[
        "SUBGROUPS",
        "A_VEC4",
        "B_VEC4",
        "WEIGHTS_Q4",
    ]);

static SUBGROUP4_NT: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup4_nt", STORAGE).with(&[
    "SUBGROUPS",
    "A_VEC4",
    "B_VEC4",
]);
static SUBGROUP4_NN4: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup4_nn4", STORAGE).with(&[
    "SUBGROUPS",
    "A_VEC4",
    "B_VEC4",
]);
static SUBGROUP4_NT_F16: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup4_nt", STORAGE)
    .with(&["SUBGROUPS", "A_VEC4", "B_VEC4", "WEIGHTS_F16"]);
static SUBGROUP4_NN4_F16: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup4_nn4", STORAGE)
    .with(&["SUBGROUPS", "A_VEC4", "B_VEC4", "WEIGHTS_F16"]);
static SUBGROUP4_NT_Q4: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup4_nt", STORAGE)
    .with(&["SUBGROUPS", "A_VEC4", "B_VEC4", "WEIGHTS_Q4"]);
// matmul_subgroup4_nn4 with 16 x 64 tiles, for products at least 64 columns wide
// (tools/gen_shaders.py, NN44W_TILE).
static SUBGROUP4_NN4W: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup4_nn4w", STORAGE)
    .with(&["SUBGROUPS", "A_VEC4", "B_VEC4"]);
static SUBGROUP4_NN4W_F16: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup4_nn4w", STORAGE)
    .with(&["SUBGROUPS", "A_VEC4", "B_VEC4", "WEIGHTS_F16"]);
static SUBGROUP4_NN4W_Q4: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup4_nn4w", STORAGE)
    .with(&["SUBGROUPS", "A_VEC4", "B_VEC4", "WEIGHTS_Q4"]);
// matmul_subgroup4_nt for products without bias or accumulation (lm_head's forward): C is only
// stored (STORE_ONLY in shaders/matmul.wgsl says why).
static SUBGROUP4_NT_STORE: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup4_nt", STORAGE)
    .with(&["SUBGROUPS", "A_VEC4", "B_VEC4", "STORE_ONLY"]);
static SUBGROUP4_NT_F16_STORE: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup4_nt", STORAGE)
    .with(&["SUBGROUPS", "A_VEC4", "B_VEC4", "WEIGHTS_F16", "STORE_ONLY"]);
static SUBGROUP4_NT_Q4_STORE: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup4_nt", STORAGE)
    .with(&["SUBGROUPS", "A_VEC4", "B_VEC4", "WEIGHTS_Q4", "STORE_ONLY"]);
static SUBGROUP4_NN4_Q4: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup4_nn4", STORAGE)
    .with(&["SUBGROUPS", "A_VEC4", "B_VEC4", "WEIGHTS_Q4"]);

static NAIVE_F16: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_naive", STORAGE).with(&["WEIGHTS_F16"]);
static TILED_F16: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_tiled", STORAGE).with(&["WEIGHTS_F16"]);
static ROWS_F16: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_rows", STORAGE).with(&["WEIGHTS_F16"]);
static SUBGROUP_F16: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup", STORAGE).with(&["SUBGROUPS", "WEIGHTS_F16"]);
static SUBGROUP_NN_F16: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup_nn", STORAGE).with(&[
    "SUBGROUPS",
    "B_VEC4",
    "WEIGHTS_F16",
]);
static SUBGROUP_NN4_F16: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup_nn4", STORAGE)
    .with(&["SUBGROUPS", "A_VEC4", "B_VEC4", "WEIGHTS_F16"]);
static SUBGROUP_NT_F16: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup_nt", STORAGE).with(&[
    "SUBGROUPS",
    "A_VEC4",
    "B_VEC4",
    "WEIGHTS_F16",
]);

/// The same entry points over 4-bit weights (nf4 and fp4 share them: a flag picks the code).
static NAIVE_Q4: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_naive", STORAGE).with(&["WEIGHTS_Q4"]);
static TILED_Q4: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_tiled", STORAGE).with(&["WEIGHTS_Q4"]);
static ROWS_Q4: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_rows", STORAGE).with(&["WEIGHTS_Q4"]);
static ROWS_NT_Q4: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_rows_nt", STORAGE).with(&["A_VEC4", "B_VEC4", "WEIGHTS_Q4"]);
static ROWS_NN_Q4: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_rows_nn", STORAGE).with(&["B_VEC4", "WEIGHTS_Q4"]);
static SUBGROUP_Q4: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup", STORAGE).with(&["SUBGROUPS", "WEIGHTS_Q4"]);
static SUBGROUP_NN_Q4: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup_nn", STORAGE).with(&[
    "SUBGROUPS",
    "B_VEC4",
    "WEIGHTS_Q4",
]);
static SUBGROUP_NN4_Q4: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup_nn4", STORAGE)
    .with(&["SUBGROUPS", "A_VEC4", "B_VEC4", "WEIGHTS_Q4"]);
static SUBGROUP_NT_Q4: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_subgroup_nt", STORAGE).with(&[
    "SUBGROUPS",
    "A_VEC4",
    "B_VEC4",
    "WEIGHTS_Q4",
]);

pub(crate) static KERNELS: [&Kernel; 57] = [
    &SUBGROUP_NT_WIDE,
    &SUBGROUP_NT_WIDE_F16,
    &SUBGROUP_NT_WIDE_Q4,
    &SUBGROUP_NN4_WIDE,
    &SUBGROUP_NN4_WIDE_F16,
    &SUBGROUP_NN4_WIDE_Q4,
    &SUBGROUP4_NT,
    &SUBGROUP4_NN4W,
    &SUBGROUP4_NN4W_F16,
    &SUBGROUP4_NN4W_Q4,
    &SUBGROUP4_NT_STORE,
    &SUBGROUP4_NT_F16_STORE,
    &SUBGROUP4_NT_Q4_STORE,
    &SUBGROUP4_NN4,
    &SUBGROUP4_NT_F16,
    &SUBGROUP4_NN4_F16,
    &SUBGROUP4_NT_Q4,
    &SUBGROUP4_NN4_Q4,
    &SMALL,
    &SMALL_F16,
    &SMALL_Q4,
    &SHARED,
    &SHARED_F16,
    &SHARED_Q4,
    &SHARED_NT,
    &SHARED_NT_F16,
    &SHARED_NT_Q4,
    &SHARED_NN4,
    &SHARED_NN4_F16,
    &SHARED_NN4_Q4,
    &ROWS_NT,
    &ROWS_NN,
    &ROWS_NT_F16,
    &ROWS_NN_F16,
    &NAIVE,
    &TILED,
    &ROWS,
    &SUBGROUP,
    &SUBGROUP_NN,
    &SUBGROUP_NN4,
    &SUBGROUP_NT,
    &NAIVE_F16,
    &TILED_F16,
    &ROWS_F16,
    &SUBGROUP_F16,
    &SUBGROUP_NN_F16,
    &SUBGROUP_NN4_F16,
    &SUBGROUP_NT_F16,
    &NAIVE_Q4,
    &TILED_Q4,
    &ROWS_Q4,
    &ROWS_NT_Q4,
    &ROWS_NN_Q4,
    &SUBGROUP_Q4,
    &SUBGROUP_NN_Q4,
    &SUBGROUP_NN4_Q4,
    &SUBGROUP_NT_Q4,
];

crate::uniform_struct! {
    /// Mirrors `Params` in matmul.wgsl (64 bytes, a multiple of 16).
    pub struct MatmulParams {
        pub m: u32,
        pub n: u32,
        pub k: u32,
        pub flags: u32,
        pub a_rs: u32,
        pub a_cs: u32,
        pub b_rs: u32,
        pub b_cs: u32,
        pub alpha: f32,
        pub a_off: u32,
        pub c_off: u32,
        pub c_rs: u32,
        pub b_off: u32,
        pub q_off: u32,
        pub _pad1: u32,
        pub _pad2: u32,
    }
}

const FLAG_BIAS: u32 = 1;
const FLAG_ACCUMULATE: u32 = 2;
const FLAG_FP4: u32 = 4;

/// Which kernel runs a product. [`Variant::Auto`] is what the model uses: the autotuner's choice
/// for the product's shape on this adapter ([`tune`]), else the adapter's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Variant {
    /// The tuned choice for the shape; without one, Subgroup where the adapter has subgroups of
    /// 8 or more lanes, else Tiled. `WEBTUNE_MATMUL=naive|tiled|small|rows|subgroup|subgroup-wide|subgroup4|shared`
    /// forces one (natively). Resolved by [`resolve`] when a product is recorded.
    Auto,
    /// One output per invocation: the speed reference.
    Naive,
    /// 16x8 register tile per invocation, 8x8 invocations, no workgroup memory or subgroups: runs
    /// on every adapter.
    Tiled,
    /// Tiled with a 4x4 tile (32x32 outputs per workgroup) and K unrolled 4x: 8x the workgroups
    /// for products with few outputs, and few enough accumulators for SwiftShader (the browser's
    /// emulator), where Tiled's 128 spill. Runs on every adapter.
    Small,
    /// One output per invocation, 64 along a row: for a handful of rows (decoding); reads A and
    /// B as vec4 where their layout allows (`_nt`, `_nn`), on any adapter.
    Rows,
    /// A workgroup is one 8-lane subgroup that owns 32 rows x 32 columns; each value of A is read
    /// by one lane and broadcast to the others, and A and B are read as vec4 where their layout
    /// allows (a variant per layout, picked in [`Variant::kernel`]). Needs subgroups of >= 8 lanes.
    Subgroup,
    /// Subgroup with 64 x 64 tiles in the vec4 layouts (`_nt`, `_nn4`; the others run Subgroup's
    /// kernels): four times the outputs per value loaded, and four times the accumulators. It
    /// wins where a load costs far more than a multiply-add: on lavapipe on a CPU without
    /// AVX-512, 1.5-1.8x over Subgroup (tools/gen_shaders.py, NT_WIDE_TILE); the autotuner
    /// times both. Needs subgroups of >= 8 lanes.
    #[serde(rename = "subgroup-wide")]
    SubgroupWide,
    /// Subgroup for subgroups of 4 lanes (SwiftShader's, the browser's CPU WebGPU): a 4-lane
    /// workgroup owns 32 rows x 32 columns where A and B are both contiguous along k (`_nt`), 8 x 32
    /// where B is along n (`_nn4`; 16 x 64 in `_nn4w` for products at least 64 columns wide), the
    /// tiles that won sweeps on SwiftShader (BENCHMARKS.md, "The page");
    /// other layouts run Small's kernel. Needs subgroups of >= 4 lanes.
    Subgroup4,
    /// A 64x64 tile per 16x16 workgroup, A's and B's slices staged through workgroup memory, 4x4
    /// outputs per invocation: the classic GPU tiling, for discrete and Apple GPUs. Runs on every
    /// adapter; the autotuner times it only on adapters that are not CPUs.
    Shared,
}

/// Below this many rows the 128-row tile would be mostly idle; [`Variant::for_rows`] switches.
const TILED_MIN_ROWS: usize = 16;

/// The variants the autotuner times on this adapter, in order of preference on a tie: subgroup,
/// subgroup-wide and tiled where the adapter has subgroups of 8; otherwise (the browser) tiled,
/// small and rows, which win at different shapes there (small models' products have few rows for
/// the 128-row tile, and on SwiftShader the 4x4 tile beats the 16x8 one: BENCHMARKS.md, "The page").
/// On adapters that are not CPUs the workgroup-memory tile joins them (on a CPU adapter its
/// barriers are coroutine switches: it cannot win, and timing it would only slow start-up).
fn candidates(gpu: &Gpu) -> Vec<Variant> {
    let mut c = if Variant::Subgroup.available(gpu) {
        vec![Variant::Subgroup, Variant::SubgroupWide, Variant::Tiled]
    } else {
        vec![Variant::Tiled, Variant::Small, Variant::Rows]
    };
    if !Variant::Subgroup.available(gpu) && Variant::Subgroup4.available(gpu) {
        c.push(Variant::Subgroup4);
    }
    if gpu.report.device_type != "Cpu" {
        c.push(Variant::Shared);
    }
    c
}

/// How a product's operands lie in memory, as far as the kernel choice is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// A and B both contiguous along k, vec4-aligned (input gradients, lm_head forward).
    Nt,
    /// A contiguous along k and B along n, both vec4-aligned (Conv1D forward; lm_head backward,
    /// whose K, a range of the vocabulary, may end mid-vec4).
    Nn4,
    /// B contiguous along n and vec4-aligned; A read one value at a time.
    Nn,
    /// Anything else: one value at a time through the strides.
    Strided,
}

impl Layout {
    /// The layout of `g`, with A `a_len` elements long (None: assume A has room for the padding
    /// a K-tail reads, as a logits block with rows padded to 4 has).
    fn of(g: &Gemm, a_len: Option<usize>) -> Layout {
        let aligned = |x: usize| x.is_multiple_of(4);
        let a_rows_vec4 = g.a_strides.1 == 1 && aligned(g.a_off) && aligned(g.a_strides.0);
        // With K not a multiple of 4, Nn4 reads each row's last vec4 whole: it must be in A.
        let tail_fits = a_len.is_none_or(|len| {
            g.m == 0 || g.a_off + (g.m - 1) * g.a_strides.0 + g.k.next_multiple_of(4) <= len
        });
        let b_nt = g.b_strides.0 == 1 && aligned(g.b_strides.1) && aligned(g.b_off);
        let b_nn =
            g.b_strides.1 == 1 && aligned(g.b_strides.0) && aligned(g.n) && g.n >= 4 && aligned(g.b_off);
        match (a_rows_vec4, aligned(g.k), b_nt, b_nn) {
            (true, true, true, _) => Layout::Nt,
            (true, true, _, true) => Layout::Nn4,
            (true, false, _, true) if tail_fits => Layout::Nn4,
            (_, _, _, true) => Layout::Nn,
            _ => Layout::Strided,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Layout::Nt => "nt",
            Layout::Nn4 => "nn4",
            Layout::Nn => "nn",
            Layout::Strided => "strided",
        }
    }
}

impl Tuned {
    /// One line for people: the key, the choice, and what each candidate took.
    pub fn line(&self) -> String {
        let times: Vec<String> =
            self.times.iter().map(|(v, t)| format!("{} {:.1} ms", v.name(), t * 1e3)).collect();
        let how = if self.times.is_empty() { "(cached or forced)".to_string() } else { times.join(", ") };
        format!("{:<28} -> {:<9} {how}", self.key, self.choice.name())
    }
}

impl Variant {
    /// Every variant but Auto.
    pub const ALL: [Variant; 8] = [
        Variant::Naive,
        Variant::Tiled,
        Variant::Small,
        Variant::Rows,
        Variant::Subgroup,
        Variant::SubgroupWide,
        Variant::Subgroup4,
        Variant::Shared,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Variant::Auto => "auto",
            Variant::Naive => "naive",
            Variant::Tiled => "tiled",
            Variant::Small => "small",
            Variant::Rows => "rows",
            Variant::Subgroup => "subgroup",
            Variant::SubgroupWide => "subgroup-wide",
            Variant::Subgroup4 => "subgroup4",
            Variant::Shared => "shared",
        }
    }

    pub fn parse(name: &str) -> Option<Variant> {
        [Variant::Auto].into_iter().chain(Variant::ALL).find(|v| v.name() == name)
    }

    /// The fewest subgroup lanes it needs, if it uses subgroups.
    fn lanes(self) -> Option<u32> {
        match self {
            Variant::Subgroup | Variant::SubgroupWide => Some(8),
            Variant::Subgroup4 => Some(4),
            _ => None,
        }
    }

    /// Whether this adapter can run it.
    pub fn available(self, gpu: &Gpu) -> bool {
        self.lanes().is_none_or(|lanes| gpu.has_subgroups_of(lanes))
    }

    /// The entry point to use for a product with `m` rows: Tiled and Subgroup give way to Rows
    /// for fewer than 16 (one decoded token has m = 1); the others stay as chosen. (Auto resolves
    /// the same way when the product is recorded.)
    pub fn for_rows(self, m: usize) -> Variant {
        match self {
            Variant::Tiled
            | Variant::Small
            | Variant::Subgroup
            | Variant::SubgroupWide
            | Variant::Subgroup4
            | Variant::Shared
                if m < TILED_MIN_ROWS =>
            {
                Variant::Rows
            }
            v => v,
        }
    }

    /// The kernel for `g` with B stored as `b`, and its outputs per workgroup (rows, columns).
    /// Every kernel's grid has the column tiles along x and the row tiles along y but
    /// matmul_subgroup4_nt's ([`rows_first`]).
    /// `store_only`: the product has no bias and does not accumulate (C is only stored).
    fn kernel(self, g: &Gemm, a_len: usize, b: DType, store_only: bool) -> (&'static Kernel, (u32, u32)) {
        let pick = |f32k: &'static Kernel, f16k: &'static Kernel, q4k: &'static Kernel| match b {
            DType::F16 => f16k,
            DType::Nf4 | DType::Fp4 => q4k,
            _ => f32k,
        };
        match self {
            // (Auto never gets here: `resolve` replaces it first.)
            Variant::Naive | Variant::Auto => (pick(&NAIVE, &NAIVE_F16, &NAIVE_Q4), (8, 8)),
            Variant::Tiled => (pick(&TILED, &TILED_F16, &TILED_Q4), (128, 64)),
            Variant::Small => (pick(&SMALL, &SMALL_F16, &SMALL_Q4), (32, 32)),
            Variant::Shared => match Layout::of(g, Some(a_len)) {
                Layout::Nt => (pick(&SHARED_NT, &SHARED_NT_F16, &SHARED_NT_Q4), (64, 64)),
                Layout::Nn4 => (pick(&SHARED_NN4, &SHARED_NN4_F16, &SHARED_NN4_Q4), (64, 64)),
                Layout::Nn | Layout::Strided => (pick(&SHARED, &SHARED_F16, &SHARED_Q4), (64, 64)),
            },
            Variant::Rows => match Layout::of(g, Some(a_len)) {
                Layout::Nt => (pick(&ROWS_NT, &ROWS_NT_F16, &ROWS_NT_Q4), (1, 64)),
                Layout::Nn4 | Layout::Nn => (pick(&ROWS_NN, &ROWS_NN_F16, &ROWS_NN_Q4), (1, 256)),
                Layout::Strided => (pick(&ROWS, &ROWS_F16, &ROWS_Q4), (1, 64)),
            },
            Variant::Subgroup => match Layout::of(g, Some(a_len)) {
                Layout::Nt => (pick(&SUBGROUP_NT, &SUBGROUP_NT_F16, &SUBGROUP_NT_Q4), (32, 32)),
                Layout::Nn4 => (pick(&SUBGROUP_NN4, &SUBGROUP_NN4_F16, &SUBGROUP_NN4_Q4), (32, 32)),
                Layout::Nn => (pick(&SUBGROUP_NN, &SUBGROUP_NN_F16, &SUBGROUP_NN_Q4), (32, 32)),
                Layout::Strided => (pick(&SUBGROUP, &SUBGROUP_F16, &SUBGROUP_Q4), (32, 32)),
            },
            Variant::SubgroupWide => match Layout::of(g, Some(a_len)) {
                Layout::Nt => {
                    (pick(&SUBGROUP_NT_WIDE, &SUBGROUP_NT_WIDE_F16, &SUBGROUP_NT_WIDE_Q4), (64, 64))
                }
                Layout::Nn4 => {
                    (pick(&SUBGROUP_NN4_WIDE, &SUBGROUP_NN4_WIDE_F16, &SUBGROUP_NN4_WIDE_Q4), (64, 64))
                }
                Layout::Nn | Layout::Strided => Variant::Subgroup.kernel(g, a_len, b, store_only),
            },
            Variant::Subgroup4 => match Layout::of(g, Some(a_len)) {
                Layout::Nt if store_only => {
                    (pick(&SUBGROUP4_NT_STORE, &SUBGROUP4_NT_F16_STORE, &SUBGROUP4_NT_Q4_STORE), (32, 32))
                }
                Layout::Nt => (pick(&SUBGROUP4_NT, &SUBGROUP4_NT_F16, &SUBGROUP4_NT_Q4), (32, 32)),
                Layout::Nn4 if g.n >= 64 => {
                    (pick(&SUBGROUP4_NN4W, &SUBGROUP4_NN4W_F16, &SUBGROUP4_NN4W_Q4), (16, 64))
                }
                Layout::Nn4 => (pick(&SUBGROUP4_NN4, &SUBGROUP4_NN4_F16, &SUBGROUP4_NN4_Q4), (8, 32)),
                Layout::Nn | Layout::Strided => (pick(&SMALL, &SMALL_F16, &SMALL_Q4), (32, 32)),
            },
        }
    }
}

/// The variant forced by `WEBTUNE_MATMUL`, if set (natively; read once per process, since every
/// product asks).
fn forced() -> Result<Option<Variant>> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        static FORCED: std::sync::OnceLock<std::result::Result<Option<Variant>, String>> =
            std::sync::OnceLock::new();
        let forced = FORCED.get_or_init(|| match std::env::var("WEBTUNE_MATMUL") {
            Err(_) => Ok(None),
            Ok(name) => match Variant::parse(&name) {
                Some(Variant::Auto) => Ok(None),
                Some(v) => Ok(Some(v)),
                None => Err(format!(
                    "WEBTUNE_MATMUL={name:?}: not one of auto, naive, tiled, small, rows, subgroup, subgroup-wide, subgroup4, shared"
                )),
            },
        });
        forced.clone().map_err(GpuError::Shape)
    }
    #[cfg(target_arch = "wasm32")]
    Ok(None)
}

/// Whether `kernel`'s grid walks the row tiles along x (consecutive workgroups share B's
/// columns): matmul_subgroup4_nt's, in every weight format (tools/gen_shaders.py says why).
fn rows_first(kernel: &Kernel) -> bool {
    [
        &SUBGROUP4_NT,
        &SUBGROUP4_NT_F16,
        &SUBGROUP4_NT_Q4,
        &SUBGROUP4_NT_STORE,
        &SUBGROUP4_NT_F16_STORE,
        &SUBGROUP4_NT_Q4_STORE,
    ]
    .iter()
    .any(|k| std::ptr::eq(*k, kernel))
}

/// The autotuner's key for `g` with B stored as `b`: the layout class and the two sizes that
/// do not grow with the batch (K and N). Rows are left out: the choice is made at up to
/// [`TUNE_ROWS`] rows and holds for more.
fn tune_key(g: &Gemm, b: DType) -> String {
    format!("{} k{} n{} {:?}", Layout::of(g, None).name(), g.k, g.n, b)
}

/// The concrete variant for `g` on this adapter: Auto resolved (forced, tuned or default),
/// few rows sent to Rows, and an unavailable variant refused.
pub fn resolve(gpu: &Gpu, g: &Gemm, b: DType) -> Result<Variant> {
    let v = match g.variant {
        Variant::Auto => match forced()? {
            Some(v) => v,
            None => gpu
                .tuning
                .get(&tune_key(g, b))
                .and_then(|name| Variant::parse(&name))
                .filter(|v| *v != Variant::Auto && v.available(gpu))
                .unwrap_or(if Variant::Subgroup.available(gpu) { Variant::Subgroup } else { Variant::Tiled }),
        },
        v => v,
    };
    if let (false, Some(lanes)) = (v.available(gpu), v.lanes()) {
        return Err(GpuError::Shape(format!(
            "matmul variant '{}' needs subgroups of at least {lanes} lanes, which {} does not have",
            v.name(),
            gpu.report.name
        )));
    }
    Ok(if g.variant == Variant::Auto { v.for_rows(g.m) } else { v })
}

/// The most rows the autotuner runs a product at: enough to fill every variant's tiles, few
/// enough that timing all candidates on all of a model's shapes costs less than one step.
pub const TUNE_ROWS: usize = 128;

/// What the autotuner did for one product shape.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Tuned {
    /// The shape's key: layout class, K, N and B's dtype.
    pub key: String,
    /// The choice, and each candidate's best time in seconds (empty when the choice came from
    /// the cache or there was one candidate).
    pub choice: Variant,
    pub times: Vec<(Variant, f64)>,
}

/// A fingerprint of what the autotuner's choices depend on: the matmul source and the candidates
/// timed (a device that newly has subgroups, as browsers' have since webtune asks for them, must
/// time the subgroup kernels, not keep a choice made without them). Saved choices made under
/// another fingerprint are not read.
fn tune_fingerprint(gpu: &Gpu) -> u64 {
    let names: Vec<&str> = candidates(gpu).iter().map(|v| v.name()).collect();
    crate::gpu::fnv1a(SHADER.source.as_bytes())
        ^ crate::gpu::fnv1a(names.join(",").as_bytes()).rotate_left(29)
}

/// Where this adapter's matmul choices are kept ([`Tuning::storage_key`](crate::gpu::Tuning) for
/// the matmul source): the page stores `gpu.tuning.to_json()` under it and gives it back.
pub fn tuning_key(gpu: &Gpu) -> String {
    gpu.tuning.storage_key(tune_fingerprint(gpu))
}

/// Time every candidate variant for this adapter on each product in `products` (B operand
/// given, A and C scratch at up to [`TUNE_ROWS`] rows) and record the fastest for its shape in
/// `gpu.tuning`, where [`Variant::Auto`] finds it. Shapes already chosen (in this process or in
/// the cache file from an earlier run on this adapter and build) are not timed again; with
/// `WEBTUNE_MATMUL` set nothing is. Natively, choices are saved; in the browser they last for
/// the page's session.
pub async fn tune(gpu: &Gpu, products: &[(Gemm, &Tensor)]) -> Result<Vec<Tuned>> {
    let fingerprint = tune_fingerprint(gpu);
    gpu.tuning.load(fingerprint);
    let candidates = candidates(gpu);
    let mut out: Vec<Tuned> = Vec::new();
    let mut timed = false;
    for &(g, b) in products {
        let key = tune_key(&g, b.dtype);
        if out.iter().any(|t| t.key == key) || g.m < TILED_MIN_ROWS {
            continue;
        }
        if let Some(v) = forced()? {
            out.push(Tuned { key, choice: v, times: Vec::new() });
            continue;
        }
        if let Some(v) =
            gpu.tuning.get(&key).and_then(|n| Variant::parse(&n)).filter(|v| candidates.contains(v))
        {
            out.push(Tuned { key, choice: v, times: Vec::new() });
            continue;
        }
        let times = match candidates.len() {
            0 | 1 => Vec::new(),
            _ => time_candidates(gpu, g, b, &candidates).await?,
        };
        timed |= !times.is_empty();
        // The fastest; on a tie (or untimed) the first candidate.
        let choice = times
            .iter()
            .min_by(|x, y| x.1.total_cmp(&y.1))
            .map(|&(v, _)| v)
            .or(candidates.first().copied())
            .unwrap_or(Variant::Tiled);
        gpu.tuning.set(&key, choice.name());
        out.push(Tuned { key, choice, times });
    }
    if timed {
        gpu.tuning.save(fingerprint);
    }
    Ok(out)
}

/// The best of two timed runs of `g` (at up to TUNE_ROWS rows, on scratch A and C) with each
/// candidate, after one untimed run that builds its pipeline. A run ends when 4 bytes of its
/// output have been read back: that waits for the GPU natively and in the browser alike.
async fn time_candidates(
    gpu: &Gpu,
    g: Gemm,
    b: &Tensor,
    candidates: &[Variant],
) -> Result<Vec<(Variant, f64)>> {
    let m = g.m.min(TUNE_ROWS);
    let last = |rows: usize, rs: usize, cols: usize, cs: usize| (rows - 1) * rs + (cols - 1) * cs + 1;
    // (+ 3: room for the last row's K-tail vec4, as the model's padded logits rows have.)
    let a_len = g.a_off + last(m, g.a_strides.0, g.k, g.a_strides.1) + 3;
    let a = Tensor::zeros(gpu, "tune A", &[a_len], DType::F32).await?;
    let c = Tensor::zeros(gpu, "tune C", &[g.c_off + last(m, g.c_rs, g.n, 1)], DType::F32).await?;
    let mut times = Vec::new();
    for &v in candidates {
        let g = Gemm { m, variant: v, ..g };
        let mut best = f64::INFINITY;
        for rep in 0..3 {
            let start = crate::gpu::clock();
            gpu.run("matmul autotune", |pass| encode_gemm(gpu, pass, g, &a, b, None, &c))?;
            crate::gpu::read_buffer(gpu, &c.buffer, "matmul autotune", 4).await?;
            if rep > 0 {
                best = best.min((crate::gpu::clock() - start).as_secs_f64());
            }
        }
        times.push((v, best));
    }
    Ok(times)
}

/// C (M, N) = alpha · A·B (+ bias) (+ C), with A, B and C addressed through offsets and strides.
#[derive(Debug, Clone, Copy)]
pub struct Gemm {
    pub m: usize,
    pub n: usize,
    pub k: usize,
    /// A's element offset.
    pub a_off: usize,
    /// A's strides between rows and along k.
    pub a_strides: (usize, usize),
    /// B's element offset.
    pub b_off: usize,
    /// B's strides along k and between columns.
    pub b_strides: (usize, usize),
    /// C's element offset and stride between rows (N for a contiguous C).
    pub c_off: usize,
    pub c_rs: usize,
    pub alpha: f32,
    pub accumulate: bool,
    pub variant: Variant,
}

impl Gemm {
    /// Y (M, N) = X (M, K) · W (K, N), W in Conv1D layout, stored as `w` (a 4-bit W is stored
    /// transposed, as bitsandbytes keeps it: W[k, n] at n·K + k).
    pub fn forward(m: usize, k: usize, n: usize, w: DType, variant: Variant) -> Gemm {
        let b_strides = if w.is_q4() { (1, k) } else { (n, 1) };
        Gemm::contiguous(m, n, k, (k, 1), b_strides, variant)
    }

    /// dX (M, K) = dY (M, N) · Wᵀ, W (K, N) as stored: dX[m, k'] = Σ_n dY[m, n] · W[k', n], so
    /// the product's k runs over N and its columns over K.
    pub fn backward_input(m: usize, k: usize, n: usize, w: DType, variant: Variant) -> Gemm {
        let b_strides = if w.is_q4() { (k, 1) } else { (1, n) };
        Gemm::contiguous(m, k, n, (n, 1), b_strides, variant)
    }

    /// C (M, N) = A·B with C contiguous, no offsets, alpha 1, no accumulation.
    pub fn contiguous(
        m: usize,
        n: usize,
        k: usize,
        a_strides: (usize, usize),
        b_strides: (usize, usize),
        variant: Variant,
    ) -> Gemm {
        Gemm {
            m,
            n,
            k,
            a_off: 0,
            a_strides,
            b_off: 0,
            b_strides,
            c_off: 0,
            c_rs: n,
            alpha: 1.0,
            accumulate: false,
            variant,
        }
    }
}

/// Record C = alpha·A·B (+ bias) (+ C) into `pass`. Tensors are f32 and contiguous; the strides
/// in `g` say how A and B are read.
pub fn encode_gemm(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    g: Gemm,
    a: &Tensor,
    b: &Tensor,
    bias: Option<&Tensor>,
    c: &Tensor,
) -> Result<()> {
    for t in [Some(a), bias, Some(c)].into_iter().flatten() {
        if t.dtype != DType::F32 {
            return Err(GpuError::Shape(format!("matmul: '{}' is {:?}, not F32", t.label, t.dtype)));
        }
    }
    match b.dtype {
        DType::F32 | DType::Nf4 | DType::Fp4 => {}
        DType::F16 => crate::kernels::require_f16(gpu, &b.label)?,
        other => {
            return Err(GpuError::Shape(format!(
                "matmul: '{}' is {other:?}, not F32, F16, Nf4 or Fp4",
                b.label
            )))
        }
    }
    // The largest index each operand is read at must be inside it.
    let last = |rows: usize, rs: usize, cols: usize, cs: usize| {
        if rows == 0 || cols == 0 {
            0
        } else {
            (rows - 1) * rs + (cols - 1) * cs + 1
        }
    };
    let need_a = g.a_off + last(g.m, g.a_strides.0, g.k, g.a_strides.1);
    let need_b = g.b_off + last(g.k, g.b_strides.0, g.n, g.b_strides.1);
    let need_c = g.c_off + last(g.m, g.c_rs, g.n, 1);
    if a.numel() < need_a || b.numel() < need_b || c.numel() < need_c || (g.m > 1 && g.c_rs < g.n) {
        return Err(GpuError::Shape(format!(
            "matmul {}x{}x{}: '{}' {:?}, '{}' {:?}, '{}' {:?} do not fit",
            g.m, g.k, g.n, a.label, a.shape, b.label, b.shape, c.label, c.shape
        )));
    }
    if let Some(bias) = bias {
        if bias.numel() != g.n {
            return Err(GpuError::Shape(format!(
                "matmul: bias '{}' {:?} is not ({})",
                bias.label, bias.shape, g.n
            )));
        }
    }
    let u32_of = |v: usize, what: &str| {
        u32::try_from(v).map_err(|_| GpuError::Shape(format!("matmul: {what} = {v} exceeds u32")))
    };
    let params = MatmulParams {
        m: u32_of(g.m, "M")?,
        n: u32_of(g.n, "N")?,
        k: u32_of(g.k, "K")?,
        flags: if bias.is_some() { FLAG_BIAS } else { 0 }
            | if g.accumulate { FLAG_ACCUMULATE } else { 0 }
            | if b.dtype == DType::Fp4 { FLAG_FP4 } else { 0 },
        a_rs: u32_of(g.a_strides.0, "A row stride")?,
        a_cs: u32_of(g.a_strides.1, "A k stride")?,
        b_rs: u32_of(g.b_strides.0, "B k stride")?,
        b_cs: u32_of(g.b_strides.1, "B column stride")?,
        alpha: g.alpha,
        a_off: u32_of(g.a_off, "A offset")?,
        c_off: u32_of(g.c_off, "C offset")?,
        c_rs: u32_of(g.c_rs, "C row stride")?,
        b_off: u32_of(g.b_off, "B offset")?,
        q_off: u32_of(crate::gpu::q4_words(b.numel() as u64).0 as usize, "B's 4-bit code offset")?,
        _pad1: 0,
        _pad2: 0,
    };
    let bias_binding = bias.map(|t| t.binding()).unwrap_or(gpu.dummy.as_entire_buffer_binding());
    let store_only = bias.is_none() && !g.accumulate;
    let (kernel, (bm, bn)) = resolve(gpu, &g, b.dtype)?.kernel(&g, a.numel(), b.dtype, store_only);
    let (cols, rows) = (params.n.div_ceil(bn), params.m.div_ceil(bm));
    let groups = if rows_first(kernel) { [rows, cols, 1] } else { [cols, rows, 1] };
    gpu.note_work(2 * g.m as u64 * g.n as u64 * g.k as u64, || format!("{}x{}->{}", g.m, g.k, g.n));
    gpu.dispatch(pass, kernel, &params, &[a.binding(), b.binding(), bias_binding, c.binding()], groups)
}

/// Rows of an activation: every dimension but the last.
fn rows_cols(t: &Tensor) -> (usize, usize) {
    let cols = t.shape.last().copied().unwrap_or(1);
    (t.numel().checked_div(cols).unwrap_or(0), cols)
}

fn weight_dims(w: &Tensor) -> Result<(usize, usize)> {
    match w.shape[..] {
        [k, n] => Ok((k, n)),
        _ => Err(GpuError::Shape(format!("matmul: weight '{}' {:?} is not 2-D", w.label, w.shape))),
    }
}

/// Y (.., N) = X (.., K) · W (K, N) + b (N). X's leading dimensions are flattened into rows.
pub fn encode_matmul_forward(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    x: &Tensor,
    w: &Tensor,
    b: Option<&Tensor>,
    y: &Tensor,
    variant: Variant,
) -> Result<()> {
    let (k, n) = weight_dims(w)?;
    let (m, xk) = rows_cols(x);
    let (ym, yn) = rows_cols(y);
    if xk != k || ym != m || yn != n {
        return Err(GpuError::Shape(format!(
            "matmul_forward: x '{}' {:?} · w '{}' {:?} -> y '{}' {:?} do not fit",
            x.label, x.shape, w.label, w.shape, y.label, y.shape
        )));
    }
    encode_gemm(gpu, pass, Gemm::forward(m, k, n, w.dtype, variant), x, w, b, y)
}

/// dX (.., K) = dY (.., N) · Wᵀ, with W (K, N) as stored.
pub fn encode_matmul_backward_input(
    gpu: &Gpu,
    pass: &mut wgpu::ComputePass<'_>,
    dy: &Tensor,
    w: &Tensor,
    dx: &Tensor,
    variant: Variant,
) -> Result<()> {
    let (k, n) = weight_dims(w)?;
    let (m, dyn_) = rows_cols(dy);
    let (xm, xk) = rows_cols(dx);
    if dyn_ != n || xm != m || xk != k {
        return Err(GpuError::Shape(format!(
            "matmul_backward_input: dy '{}' {:?} · wᵀ '{}' {:?} -> dx '{}' {:?} do not fit",
            dy.label, dy.shape, w.label, w.shape, dx.label, dx.shape
        )));
    }
    encode_gemm(gpu, pass, Gemm::backward_input(m, k, n, w.dtype, variant), dy, w, None, dx)
}
