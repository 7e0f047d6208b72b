//! CPU references for the pointwise and normalisation kernels, in f64, forward and backward.

const GELU_SCALE: f64 = 0.797_884_560_802_865_4; // √(2/π)

pub fn gelu_forward(x: &[f32]) -> Vec<f64> {
    x.iter()
        .map(|&x| {
            let x = x as f64;
            0.5 * x * (1.0 + (GELU_SCALE * (x + 0.044715 * x * x * x)).tanh())
        })
        .collect()
}

pub fn gelu_backward(x: &[f32], dout: &[f32]) -> Vec<f64> {
    x.iter()
        .zip(dout)
        .map(|(&x, &d)| {
            let x = x as f64;
            let t = (GELU_SCALE * (x + 0.044715 * x * x * x)).tanh();
            let du = GELU_SCALE * (1.0 + 3.0 * 0.044715 * x * x);
            d as f64 * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du)
        })
        .collect()
}

/// (out, mean, rstd) of layernorm over rows of length c.
pub fn layernorm_forward(
    x: &[f32],
    w: &[f32],
    b: &[f32],
    c: usize,
    eps: f64,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let rows = x.len() / c;
    let (mut out, mut mean, mut rstd) = (vec![0.0; x.len()], vec![0.0; rows], vec![0.0; rows]);
    for r in 0..rows {
        let xr = &x[r * c..(r + 1) * c];
        let m = xr.iter().map(|&v| v as f64).sum::<f64>() / c as f64;
        let var = xr.iter().map(|&v| (v as f64 - m).powi(2)).sum::<f64>() / c as f64;
        let s = 1.0 / (var + eps).sqrt();
        for i in 0..c {
            out[r * c + i] = (xr[i] as f64 - m) * s * w[i] as f64 + b[i] as f64;
        }
        (mean[r], rstd[r]) = (m, s);
    }
    (out, mean, rstd)
}

/// Input gradient of layernorm (weights frozen).
pub fn layernorm_backward(x: &[f32], w: &[f32], dout: &[f32], c: usize, eps: f64) -> Vec<f64> {
    let (_, mean, rstd) = layernorm_forward(x, w, &vec![0.0; c], c, eps);
    let mut dx = vec![0.0; x.len()];
    for r in 0..x.len() / c {
        let (m, s) = (mean[r], rstd[r]);
        let g: Vec<f64> = (0..c).map(|i| dout[r * c + i] as f64 * w[i] as f64).collect();
        let xh: Vec<f64> = (0..c).map(|i| (x[r * c + i] as f64 - m) * s).collect();
        let g_mean = g.iter().sum::<f64>() / c as f64;
        let gx_mean = g.iter().zip(&xh).map(|(a, b)| a * b).sum::<f64>() / c as f64;
        for i in 0..c {
            dx[r * c + i] = s * (g[i] - g_mean - xh[i] * gx_mean);
        }
    }
    dx
}

/// Causal multi-head attention: (out (B, T, C), lse (B, NH, T)) from qkv (B, T, 3C).
pub fn attention_forward(
    qkv: &[f32],
    b: usize,
    t: usize,
    c: usize,
    nh: usize,
    scale: f64,
) -> (Vec<f64>, Vec<f64>) {
    let hs = c / nh;
    let at = |bb: usize, tt: usize, part: usize, h: usize, d: usize| {
        qkv[(bb * t + tt) * 3 * c + part * c + h * hs + d] as f64
    };
    let mut out = vec![0.0; b * t * c];
    let mut lse = vec![0.0; b * nh * t];
    for bb in 0..b {
        for h in 0..nh {
            for tt in 0..t {
                let scores: Vec<f64> = (0..=tt)
                    .map(|s| (0..hs).map(|d| at(bb, tt, 0, h, d) * at(bb, s, 1, h, d)).sum::<f64>() * scale)
                    .collect();
                let m = scores.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let sum: f64 = scores.iter().map(|x| (x - m).exp()).sum();
                lse[(bb * nh + h) * t + tt] = m + sum.ln();
                for d in 0..hs {
                    out[(bb * t + tt) * c + h * hs + d] = scores
                        .iter()
                        .enumerate()
                        .map(|(s, x)| (x - m).exp() / sum * at(bb, s, 2, h, d))
                        .sum();
                }
            }
        }
    }
    (out, lse)
}

/// dqkv (B, T, 3C) of attention_forward for dout (B, T, C).
pub fn attention_backward(
    qkv: &[f32],
    dout: &[f32],
    b: usize,
    t: usize,
    c: usize,
    nh: usize,
    scale: f64,
) -> Vec<f64> {
    let hs = c / nh;
    let (_, lse) = attention_forward(qkv, b, t, c, nh, scale);
    let idx =
        |bb: usize, tt: usize, part: usize, h: usize, d: usize| (bb * t + tt) * 3 * c + part * c + h * hs + d;
    let mut dqkv = vec![0.0; qkv.len()];
    for bb in 0..b {
        for h in 0..nh {
            for tt in 0..t {
                let l = lse[(bb * nh + h) * t + tt];
                let o = |d: usize| dout[(bb * t + tt) * c + h * hs + d] as f64;
                let probs: Vec<f64> = (0..=tt)
                    .map(|s| {
                        ((0..hs)
                            .map(|d| qkv[idx(bb, tt, 0, h, d)] as f64 * qkv[idx(bb, s, 1, h, d)] as f64)
                            .sum::<f64>()
                            * scale
                            - l)
                            .exp()
                    })
                    .collect();
                let dp: Vec<f64> =
                    (0..=tt).map(|s| (0..hs).map(|d| o(d) * qkv[idx(bb, s, 2, h, d)] as f64).sum()).collect();
                let big_d: f64 = probs.iter().zip(&dp).map(|(p, q)| p * q).sum();
                for s in 0..=tt {
                    let ds = probs[s] * (dp[s] - big_d) * scale;
                    for d in 0..hs {
                        dqkv[idx(bb, tt, 0, h, d)] += ds * qkv[idx(bb, s, 1, h, d)] as f64;
                        dqkv[idx(bb, s, 1, h, d)] += ds * qkv[idx(bb, tt, 0, h, d)] as f64;
                        dqkv[idx(bb, s, 2, h, d)] += probs[s] * o(d);
                    }
                }
            }
        }
    }
    dqkv
}
