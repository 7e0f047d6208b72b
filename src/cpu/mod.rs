//! Plain CPU references of the GPU kernels, with the kernels' names and arguments, accumulating
//! in f64. Tests compare the GPU against these; nothing on the training path uses them.

pub mod matmul;
pub mod ops;

pub use matmul::{matmul_backward_input, matmul_forward};

/// How far a GPU result is from a reference.
#[derive(Debug, Clone, Copy)]
pub struct Comparison {
    /// Largest |got - want|.
    pub max_abs: f64,
    /// Largest |want|: the scale `rel` is measured against.
    pub max_ref: f64,
    /// max_abs / max_ref: the norm-wise (∞-norm) relative error. Element-wise relative error is
    /// meaningless where an output is near zero by cancellation, so we do not use it.
    pub rel: f64,
    /// Where max_abs occurs, with both values.
    pub worst: usize,
    pub got: f64,
    pub want: f64,
}

impl std::fmt::Display for Comparison {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "rel {:.3e} (max abs {:.3e} / max ref {:.3e}); worst at [{}]: got {} want {}",
            self.rel, self.max_abs, self.max_ref, self.worst, self.got, self.want
        )
    }
}

/// Compare `got` with `want`. A NaN anywhere, or a length mismatch, gives rel = infinity.
pub fn compare(got: &[f32], want: &[f64]) -> Comparison {
    let mut c = Comparison { max_abs: 0.0, max_ref: 0.0, rel: 0.0, worst: 0, got: 0.0, want: 0.0 };
    if got.len() != want.len() {
        c.rel = f64::INFINITY;
        return c;
    }
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        let d = (g as f64 - w).abs();
        if d > c.max_abs || d.is_nan() {
            c.max_abs = if d.is_nan() { f64::INFINITY } else { d };
            c.worst = i;
            c.got = g as f64;
            c.want = w;
        }
        c.max_ref = c.max_ref.max(w.abs());
    }
    c.rel = if c.max_abs == 0.0 { 0.0 } else { c.max_abs / c.max_ref };
    c
}
