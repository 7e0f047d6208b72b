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

    // Attention: B 2, T 5, C 6, 2 heads of 3.
    let (b, t, c, nh) = (2, 5, 6, 2);
    let scale = 1.0 / 3f64.sqrt();
    let qkv = common::uniform(b * t * 3 * c, 5);
    let dout = common::uniform(b * t * c, 6);
    let f = |x: &[f32]| ops::attention_forward(x, b, t, c, nh, scale).0;
    let r = rel(&ops::attention_backward(&qkv, &dout, b, t, c, nh, scale), &numeric_grad(&qkv, &dout, f));
    assert!(r < 1e-3, "attention_backward vs finite differences: rel {r:e}");
}

gpu_test!(attention_backward_matches_cpu(gpu) {
    use webtune::kernels::attention::{encode_attention_backward, encode_attention_forward, Attention};
    // Head sizes 3 and 12 (not powers of two), 16 and 64 (GPT-2's), T 1 to 33, with every set of
    // kernels this adapter runs for the shape: per row always; the 8-lane and 4-lane subgroup
    // kernels where it has subgroups that wide (lavapipe natively: both; SwiftShader in Chromium:
    // 4) and the head size is a multiple of 4 (T not a multiple of their rows included).
    for (b, t, c, nh, seed) in [
        (1usize, 1usize, 6usize, 2usize, 30u64),
        (2, 33, 24, 2, 31),
        (1, 17, 60, 5, 32),
        (2, 19, 32, 2, 33),
        (1, 21, 128, 2, 34),
    ] {
        let scale = 1.0 / ((c / nh) as f64).sqrt();
        let qv: Vec<f32> = common::uniform(b * t * 3 * c, seed).iter().map(|v| 2.0 * v).collect();
        let dv = common::uniform(b * t * c, seed + 1);
        let (want_out, _) = ops::attention_forward(&qv, b, t, c, nh, scale);
        let want = ops::attention_backward(&qv, &dv, b, t, c, nh, scale);
        let qkv = Tensor::from_f32(gpu, "qkv", &[b, t, 3 * c], &qv).await.unwrap();
        let dout = Tensor::from_f32(gpu, "dout", &[b, t, c], &dv).await.unwrap();
        let runs = [Attention::Rows, Attention::Subgroup(8), Attention::Subgroup(4)]
            .into_iter()
            .filter(|a| a.runs(gpu, b, c, nh));
        for kernels in runs {
            let name = kernels.name();
            let z = |l: &'static str, s: Vec<usize>| async move { Tensor::zeros(gpu, l, &s, DType::F32).await.unwrap() };
            let (out, lse, scratch, dqkv) =
                (z("out", vec![b, t, c]).await, z("lse", vec![b, nh, t]).await, z("D", vec![b, nh, t]).await, z("dqkv", vec![b, t, 3 * c]).await);
            gpu.run("test", |pass| {
                encode_attention_forward(gpu, pass, &qkv, nh, scale as f32, None, &out, &lse, Some(kernels))?;
                encode_attention_backward(gpu, pass, &qkv, &out, &lse, &dout, nh, scale as f32, None, &scratch, &dqkv, Some(kernels))
            })
            .unwrap();
            let c1 = cpu::compare(&out.to_vec_f32(gpu).await.unwrap(), &want_out);
            assert!(c1.rel <= 1e-5, "attention_forward ({name}) b{b} t{t} c{c} nh{nh}: {c1}");
            let c2 = cpu::compare(&dqkv.to_vec_f32(gpu).await.unwrap(), &want);
            assert!(c2.rel <= 1e-5, "attention_backward ({name}) b{b} t{t} c{c} nh{nh}: {c2}");
        }
    }
    // The subgroup kernels refuse a head they cannot hold (3 is not a multiple of 4).
    let qkv = Tensor::zeros(gpu, "qkv", &[1, 2, 18], DType::F32).await.unwrap();
    let (out, lse) = (Tensor::zeros(gpu, "out", &[1, 2, 6], DType::F32).await.unwrap(), Tensor::zeros(gpu, "lse", &[1, 2, 2], DType::F32).await.unwrap());
    let refused = gpu.run("test", |pass| encode_attention_forward(gpu, pass, &qkv, 2, 1.0, None, &out, &lse, Some(Attention::Subgroup(4))));
    assert!(refused.is_err(), "the 4-lane kernels ran a head of 3");
});

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

// Softmax cross-entropy over a block of rows padded past V (as the model's logits block is):
// losses and gradients against f64, ignored targets (-100) give 0, and the padding columns are
// left as they were. V 10 (rows of 12) and 11 (a partial last vec4), and rows longer than a
// workgroup's first pass (1001 and 1003 of 1004: each invocation meets several maxima, which the
// one-pass softmax must rescale); the subgroup kernels where the adapter has them (8 lanes
// natively on lavapipe, 4 in Chromium on SwiftShader), the per-row ones otherwise
// (WEBTUNE_SUBGROUPS=off natively). The backward also writes the losses (a training step runs
// only the backward): each kernel runs alone on fresh logits, the losses start at a sentinel, and
// rows outside the block must keep it.
gpu_test!(crossentropy_matches_cpu_on_padded_rows(gpu) {
    use webtune::kernels::crossentropy::{encode_crossentropy_backward, encode_crossentropy_forward};
    let (rows, row0) = (5usize, 2usize);
    for (v, stride) in [(10usize, 12usize), (11, 12), (1001, 1004), (1003, 1004)] {
        let lv: Vec<f32> = common::uniform(rows * stride, 70 + v as u64).iter().map(|x| 4.0 * x).collect();
        let tv: Vec<i32> = vec![0, 0, 3, -100, v as i32 - 1, 0, 7];
        let dloss = 0.25f32;
        const UNTOUCHED: f32 = 9.0;
        let (mut want_loss, mut want_grad) = (vec![UNTOUCHED as f64; tv.len()], Vec::new());
        for r in 0..rows {
            let x: Vec<f64> = lv[r * stride..r * stride + v].iter().map(|&x| x as f64).collect();
            let m = x.iter().cloned().fold(f64::MIN, f64::max);
            let sum: f64 = x.iter().map(|&xi| (xi - m).exp()).sum();
            let tgt = tv[row0 + r];
            want_loss[row0 + r] = if tgt >= 0 { m + sum.ln() - x[tgt as usize] } else { 0.0 };
            for c in 0..stride {
                want_grad.push(if c >= v {
                    lv[r * stride + c] as f64
                } else if tgt < 0 {
                    0.0
                } else {
                    let onehot = if c == tgt as usize { 1.0 } else { 0.0 };
                    dloss as f64 * ((x[c] - m).exp() / sum - onehot)
                });
            }
        }
        let targets = Tensor::from_slice(gpu, "targets", &[tv.len()], DType::I32, &tv).await.unwrap();
        for backward in [false, true] {
            let which = if backward { "backward" } else { "forward" };
            let logits = Tensor::from_f32(gpu, "logits", &[rows, stride], &lv).await.unwrap();
            let losses = Tensor::from_f32(gpu, "losses", &[tv.len()], &vec![UNTOUCHED; tv.len()]).await.unwrap();
            gpu.run("test", |pass| {
                if backward {
                    encode_crossentropy_backward(gpu, pass, &logits, v, rows, &targets, row0, dloss, &losses)
                } else {
                    encode_crossentropy_forward(gpu, pass, &logits, v, rows, &targets, row0, &losses)
                }
            })
            .unwrap();
            let c1 = cpu::compare(&losses.to_vec_f32(gpu).await.unwrap(), &want_loss);
            assert!(c1.rel <= 1e-6, "crossentropy {which}'s loss V={v}: {c1}");
            if backward {
                let c2 = cpu::compare(&logits.to_vec_f32(gpu).await.unwrap(), &want_grad);
                assert!(c2.rel <= 1e-6, "crossentropy gradient V={v}: {c2}");
            }
        }
    }
});
