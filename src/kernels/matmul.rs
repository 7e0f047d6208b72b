//! Products with frozen weights (shaders/matmul.wgsl), in GPT-2's Conv1D layout: W is [in, out].
//!
//! - [`encode_matmul_forward`]: Y = X·W + b
//! - [`encode_matmul_backward_input`]: dX = dY·Wᵀ
//!
//! Both are one strided product ([`Gemm`]); the variant ([`Variant::Naive`], [`Variant::Tiled`]
//! or [`Variant::Rows`]) picks the entry point.

use crate::gpu::{Access, DType, Gpu, GpuError, Kernel, Result, Shader, Tensor};

pub static SHADER: Shader = Shader {
    name: "matmul.wgsl",
    source: include_str!("../../shaders/matmul.wgsl"),
    defines: &["WEIGHTS_F16"],
};

const STORAGE: &[Access] = &[Access::Read, Access::Read, Access::Read, Access::ReadWrite];

static NAIVE: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_naive", STORAGE);
static TILED: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_tiled", STORAGE);
static ROWS: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_rows", STORAGE);
static ROWS_F16: Kernel = Kernel::new::<MatmulParams>(&SHADER, "matmul_rows", STORAGE).with(&["WEIGHTS_F16"]);
static NAIVE_F16: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_naive", STORAGE).with(&["WEIGHTS_F16"]);
static TILED_F16: Kernel =
    Kernel::new::<MatmulParams>(&SHADER, "matmul_tiled", STORAGE).with(&["WEIGHTS_F16"]);

pub(crate) static KERNELS: [&Kernel; 6] = [&NAIVE, &TILED, &ROWS, &NAIVE_F16, &TILED_F16, &ROWS_F16];

crate::uniform_struct! {
    /// Mirrors `Params` in matmul.wgsl (48 bytes, a multiple of 16).
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
    }
}

const FLAG_BIAS: u32 = 1;
const FLAG_ACCUMULATE: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// One output per invocation: the speed reference.
    Naive,
    /// 16x8 register tile per invocation (tuned on lavapipe).
    Tiled,
    /// One output per invocation, 64 along a row: for a handful of rows (decoding).
    Rows,
}

/// Below this many rows the 128-row tile would be mostly idle; [`Variant::for_rows`] switches.
const TILED_MIN_ROWS: usize = 16;

impl Variant {
    fn kernel(self, b: DType) -> &'static Kernel {
        match (self, b) {
            (Variant::Naive, DType::F16) => &NAIVE_F16,
            (Variant::Tiled, DType::F16) => &TILED_F16,
            (Variant::Rows, DType::F16) => &ROWS_F16,
            (Variant::Naive, _) => &NAIVE,
            (Variant::Tiled, _) => &TILED,
            (Variant::Rows, _) => &ROWS,
        }
    }

    /// The entry point to use for a product with `m` rows: Tiled gives way to Rows for
    /// fewer than 16 (one decoded token has m = 1); the others stay as chosen.
    pub fn for_rows(self, m: usize) -> Variant {
        match self {
            Variant::Tiled if m < TILED_MIN_ROWS => Variant::Rows,
            v => v,
        }
    }

    /// Outputs per workgroup (rows, columns); the WGSL workgroup is 8 x 8 invocations.
    fn block(self) -> (u32, u32) {
        match self {
            Variant::Naive => (8, 8),
            Variant::Tiled => (128, 64),
            Variant::Rows => (1, 64),
        }
    }
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
        DType::F32 => {}
        DType::F16 => crate::kernels::require_f16(gpu, &b.label)?,
        other => return Err(GpuError::Shape(format!("matmul: '{}' is {other:?}, not F32 or F16", b.label))),
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
    let need_b = last(g.k, g.b_strides.0, g.n, g.b_strides.1);
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
        flags: if bias.is_some() { FLAG_BIAS } else { 0 } | if g.accumulate { FLAG_ACCUMULATE } else { 0 },
        a_rs: u32_of(g.a_strides.0, "A row stride")?,
        a_cs: u32_of(g.a_strides.1, "A k stride")?,
        b_rs: u32_of(g.b_strides.0, "B k stride")?,
        b_cs: u32_of(g.b_strides.1, "B column stride")?,
        alpha: g.alpha,
        a_off: u32_of(g.a_off, "A offset")?,
        c_off: u32_of(g.c_off, "C offset")?,
        c_rs: u32_of(g.c_rs, "C row stride")?,
    };
    let bias_binding = bias.map(|t| t.binding()).unwrap_or(gpu.dummy.as_entire_buffer_binding());
    let (bm, bn) = g.variant.block();
    let groups = [params.n.div_ceil(bn), params.m.div_ceil(bm), 1];
    gpu.note_work(2 * g.m as u64 * g.n as u64 * g.k as u64, || format!("{}x{}->{}", g.m, g.k, g.n));
    gpu.dispatch(
        pass,
        g.variant.kernel(b.dtype),
        &params,
        &[a.binding(), b.binding(), bias_binding, c.binding()],
        groups,
    )
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
    let g = Gemm::contiguous(m, n, k, (k, 1), (n, 1), variant);
    encode_gemm(gpu, pass, g, x, w, b, y)
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
    // dX[m, k'] = Σ_n dY[m, n] · W[k', n]: the product's k runs over N, its columns over K.
    let g = Gemm::contiguous(m, k, n, (n, 1), (1, n), variant);
    encode_gemm(gpu, pass, g, dy, w, None, dx)
}
