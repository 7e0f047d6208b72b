//! CPU references for shaders/matmul.wgsl, in f64. Conv1D layout: W is (K, N) = [in, out].

/// Y (M, N) = X (M, K) · W (K, N) + b (N).
pub fn matmul_forward(x: &[f32], w: &[f32], b: Option<&[f32]>, m: usize, k: usize, n: usize) -> Vec<f64> {
    assert_eq!(x.len(), m * k);
    assert_eq!(w.len(), k * n);
    let mut y = vec![0.0f64; m * n];
    for (row, yr) in y.chunks_mut(n.max(1)).enumerate().take(m) {
        if let Some(b) = b {
            for (o, &bv) in yr.iter_mut().zip(b) {
                *o = bv as f64;
            }
        }
        for kk in 0..k {
            let xv = x[row * k + kk] as f64;
            let wr = &w[kk * n..(kk + 1) * n];
            for (o, &wv) in yr.iter_mut().zip(wr) {
                *o += xv * wv as f64;
            }
        }
    }
    y
}

/// dX (M, K) = dY (M, N) · Wᵀ, with W (K, N).
pub fn matmul_backward_input(dy: &[f32], w: &[f32], m: usize, k: usize, n: usize) -> Vec<f64> {
    assert_eq!(dy.len(), m * n);
    assert_eq!(w.len(), k * n);
    let mut dx = vec![0.0f64; m * k];
    for row in 0..m {
        let dyr = &dy[row * n..(row + 1) * n];
        for kk in 0..k {
            let wr = &w[kk * n..(kk + 1) * n];
            dx[row * k + kk] = dyr.iter().zip(wr).map(|(&a, &b)| a as f64 * b as f64).sum();
        }
    }
    dx
}
