//! Backward kernels (groundwork for LoRA training): each CPU reference is checked against
//! central finite differences of its CPU forward, and each GPU kernel against its CPU reference.
//! Runs natively and in headless Chromium.

mod common;

use webtune::cpu::{self, ops};
use webtune::gpu::{DType, Tensor};
use webtune::kernels::elementwise::encode_gelu_backward;
use webtune::kernels::layernorm::encode_layernorm_backward;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const EPS: f64 = 1e-5;

/// d/dx_i of Σ_j dout_j · f(x)_j by central differences, in f64 (f is evaluated on f32 inputs,
/// so steps are taken in f32 and the actual step is used).
fn numeric_grad(x: &[f32], dout: &[f32], f: impl Fn(&[f32]) -> Vec<f64>) -> Vec<f64> {
    let loss = |x: &[f32]| f(x).iter().zip(dout).map(|(y, &d)| y * d as f64).sum::<f64>();
    (0..x.len())
        .map(|i| {
            let h = 1e-2f32 * x[i].abs().max(1.0);
            let (mut xp, mut xm) = (x.to_vec(), x.to_vec());
            xp[i] += h;
            xm[i] -= h;
            (loss(&xp) - loss(&xm)) / (xp[i] as f64 - xm[i] as f64)
        })
        .collect()
}

fn rel(got: &[f64], want: &[f64]) -> f64 {
    let g: Vec<f32> = got.iter().map(|&v| v as f32).collect();
    cpu::compare(&g, want).rel
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn cpu_backward_references_match_finite_differences() {
    let x: Vec<f32> = common::uniform(7 * 33, 1).iter().map(|v| 3.0 * v).collect();
    let dout = common::uniform(7 * 33, 2);
    let r = rel(&ops::gelu_backward(&x, &dout), &numeric_grad(&x, &dout, ops::gelu_forward));
    assert!(r < 1e-3, "gelu_backward vs finite differences: rel {r:e}");

    let c = 33;
    let w: Vec<f32> = common::uniform(c, 3).iter().map(|v| 1.0 + 0.5 * v).collect();
    let b = common::uniform(c, 4);
    let f = |x: &[f32]| ops::layernorm_forward(x, &w, &b, c, EPS).0;
    let r = rel(&ops::layernorm_backward(&x, &w, &dout, c, EPS), &numeric_grad(&x, &dout, f));
    assert!(r < 1e-3, "layernorm_backward vs finite differences: rel {r:e}");
}

gpu_test!(gelu_backward_matches_cpu(gpu) {
    for (n, seed) in [(1usize, 10u64), (1000, 11), (128 * 3072, 12)] {
        let xv: Vec<f32> = common::uniform(n, seed).iter().map(|v| 4.0 * v).collect();
        let dv = common::uniform(n, seed + 100);
        let want = ops::gelu_backward(&xv, &dv);
        let x = Tensor::from_f32(gpu, "x", &[n], &xv).await.unwrap();
        let d = Tensor::from_f32(gpu, "dout", &[n], &dv).await.unwrap();
        let dx = Tensor::zeros(gpu, "dx", &[n], DType::F32).await.unwrap();
        gpu.run("test", |pass| encode_gelu_backward(gpu, pass, &x, &d, &dx)).unwrap();
        let c = cpu::compare(&dx.to_vec_f32(gpu).await.unwrap(), &want);
        assert!(c.rel <= 1e-5, "gelu_backward n={n}: {c}");
    }
});

gpu_test!(layernorm_backward_accumulates_and_matches_cpu(gpu) {
    for (rows, c, seed) in [(1usize, 1usize, 20u64), (7, 33, 21), (128, 768, 22)] {
        let xv: Vec<f32> = common::uniform(rows * c, seed).iter().map(|v| 2.0 * v + 0.3).collect();
        let wv: Vec<f32> = common::uniform(c, seed + 1).iter().map(|v| 1.0 + 0.5 * v).collect();
        let bv = common::uniform(c, seed + 2);
        let dv = common::uniform(rows * c, seed + 3);
        let prior = common::uniform(rows * c, seed + 4);
        let grad = ops::layernorm_backward(&xv, &wv, &dv, c, EPS);
        let want: Vec<f64> = grad.iter().zip(&prior).map(|(g, &p)| g + p as f64).collect();

        let t = |label: &str, shape: &[usize], v: &[f32]| {
            let (label, shape, v) = (label.to_string(), shape.to_vec(), v.to_vec());
            async move { Tensor::from_f32(gpu, &label, &shape, &v).await.unwrap() }
        };
        let (x, w, b) = (t("x", &[rows, c], &xv).await, t("w", &[c], &wv).await, t("b", &[c], &bv).await);
        let dout = t("dout", &[rows, c], &dv).await;
        let dx = t("dx", &[rows, c], &prior).await;
        let out = Tensor::zeros(gpu, "out", &[rows, c], DType::F32).await.unwrap();
        let mean = Tensor::zeros(gpu, "mean", &[rows], DType::F32).await.unwrap();
        let rstd = Tensor::zeros(gpu, "rstd", &[rows], DType::F32).await.unwrap();
        gpu.run("test", |pass| {
            webtune::kernels::layernorm::encode_layernorm_forward(gpu, pass, &x, &w, &b, EPS as f32, &out, &mean, &rstd)?;
            encode_layernorm_backward(gpu, pass, &x, &w, &mean, &rstd, &dout, &dx)
        })
        .unwrap();
        let c_ = cpu::compare(&dx.to_vec_f32(gpu).await.unwrap(), &want);
        assert!(c_.rel <= 1e-5, "layernorm_backward {rows}x{c}: {c_}");
    }
});
