//! shaders/matmul.wgsl against the f64 CPU reference: Y = X·W + b and dX = dY·Wᵀ with every
//! variant the adapter has (naive, tiled, small, rows, shared, subgroup, subgroup-wide and subgroup4 in each of their layouts, and Auto), at
//! awkward sizes, GPT-2's shapes and lm_head's strided, offset products; f32, f16 and 4-bit
//! (nf4, fp4) weights.
//! Runs natively and in headless Chromium.

mod common;

use webtune::cpu;
use webtune::gpu::{DType, Gpu, GpuError, Tensor};
use webtune::kernels::matmul::{
    encode_gemm, encode_matmul_backward_input, encode_matmul_forward, Gemm, Variant,
};
use webtune::model::quant::{Q4Kind, Quant4};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Norm-wise relative error bar (see `cpu::Comparison::rel`).
const TOL: f64 = 1e-5;

/// Rows of GPT-2's products in the tests: one sequence of the tutorial's length 128.
/// (`webtune bench matmul` runs the benchmark size, BT = 512.)
const BT: usize = 128;

/// (M, K, N): Y (M, N) = X (M, K) · W (K, N). Besides edges that fit no tile, they reach each
/// subgroup layout: (40, 64, 36) forward vec4 A and B, backward both along k; (20, 13, 8)
/// forward vec4 B with A one value at a time; (33, 65, 17) strided both ways; (21, 16, 100)
/// forward in the 4-lane kernel's wide form (64-column tiles, the second one partly past N).
const SMALL: [(usize, usize, usize); 7] =
    [(1, 1, 1), (7, 13, 5), (33, 65, 17), (1, 70, 130), (40, 64, 36), (20, 13, 8), (21, 16, 100)];

/// Every variant this adapter runs, and Auto (what the model uses).
fn variants(gpu: &webtune::Gpu) -> Vec<Variant> {
    Variant::ALL.into_iter().filter(|v| v.available(gpu)).chain([Variant::Auto]).collect()
}
const GPT2: [(usize, usize, usize); 3] = [(BT, 768, 2304), (BT, 768, 3072), (BT, 3072, 768)];

async fn check_forward(gpu: &Gpu, m: usize, k: usize, n: usize, seed: u64) {
    let (xv, wv, bv) =
        (common::uniform(m * k, seed), common::uniform(k * n, seed + 1), common::uniform(n, seed + 2));
    let want = cpu::matmul_forward(&xv, &wv, Some(&bv), m, k, n);
    let x = Tensor::from_f32(gpu, "x", &[m, k], &xv).await.unwrap();
    let w = Tensor::from_f32(gpu, "w", &[k, n], &wv).await.unwrap();
    let b = Tensor::from_f32(gpu, "b", &[n], &bv).await.unwrap();
    for variant in variants(gpu) {
        let y = Tensor::zeros(gpu, "y", &[m, n], DType::F32).await.unwrap();
        gpu.run("test", |pass| encode_matmul_forward(gpu, pass, &x, &w, Some(&b), &y, variant)).unwrap();
        let got = y.to_vec_f32(gpu).await.unwrap();
        let c = cpu::compare(&got, &want);
        assert!(c.rel <= TOL, "matmul_forward {variant:?} {m}x{k}x{n}: {c}");
    }
}

async fn check_backward_input(gpu: &Gpu, m: usize, k: usize, n: usize, seed: u64) {
    let (dyv, wv) = (common::uniform(m * n, seed), common::uniform(k * n, seed + 1));
    let want = cpu::matmul_backward_input(&dyv, &wv, m, k, n);
    let dy = Tensor::from_f32(gpu, "dy", &[m, n], &dyv).await.unwrap();
    let w = Tensor::from_f32(gpu, "w", &[k, n], &wv).await.unwrap();
    for variant in variants(gpu) {
        let dx = Tensor::zeros(gpu, "dx", &[m, k], DType::F32).await.unwrap();
        gpu.run("test", |pass| encode_matmul_backward_input(gpu, pass, &dy, &w, &dx, variant)).unwrap();
        let got = dx.to_vec_f32(gpu).await.unwrap();
        let c = cpu::compare(&got, &want);
        assert!(c.rel <= TOL, "matmul_backward_input {variant:?} {m}x{k}x{n}: {c}");
    }
}

gpu_test!(forward_small_sizes(gpu) {
    for (i, &(m, k, n)) in SMALL.iter().enumerate() {
        check_forward(gpu, m, k, n, 10 * i as u64).await;
    }
});

gpu_test!(backward_input_small_sizes(gpu) {
    for (i, &(m, k, n)) in SMALL.iter().enumerate() {
        check_backward_input(gpu, m, k, n, 100 + 10 * i as u64).await;
    }
});

gpu_test!(forward_gpt2_shapes(gpu) {
    for (i, &(m, k, n)) in GPT2.iter().enumerate() {
        check_forward(gpu, m, k, n, 200 + 10 * i as u64).await;
    }
});

gpu_test!(backward_input_gpt2_shapes(gpu) {
    for (i, &(m, k, n)) in GPT2.iter().enumerate() {
        check_backward_input(gpu, m, k, n, 300 + 10 * i as u64).await;
    }
});

// Leading dimensions of X flatten into rows: (B, T, C) works as (B·T, C).
gpu_test!(forward_flattens_batch_dims(gpu) {
    let (b, t, k, n) = (2, 5, 9, 6);
    let (xv, wv) = (common::uniform(b * t * k, 7), common::uniform(k * n, 8));
    let want = cpu::matmul_forward(&xv, &wv, None, b * t, k, n);
    let x = Tensor::from_f32(gpu, "x", &[b, t, k], &xv).await.unwrap();
    let w = Tensor::from_f32(gpu, "w", &[k, n], &wv).await.unwrap();
    let y = Tensor::zeros(gpu, "y", &[b, t, n], DType::F32).await.unwrap();
    gpu.run("test", |pass| encode_matmul_forward(gpu, pass, &x, &w, None, &y, Variant::Tiled)).unwrap();
    let c = cpu::compare(&y.to_vec_f32(gpu).await.unwrap(), &want);
    assert!(c.rel <= TOL, "{c}");
});

// Shapes that do not fit are an error before anything reaches the GPU.
gpu_test!(mismatched_shapes_are_errors(gpu) {
    let x = Tensor::zeros(gpu, "x", &[4, 8], DType::F32).await.unwrap();
    let w = Tensor::zeros(gpu, "w", &[9, 3], DType::F32).await.unwrap();
    let y = Tensor::zeros(gpu, "y", &[4, 3], DType::F32).await.unwrap();
    let r = gpu.run("test", |pass| encode_matmul_forward(gpu, pass, &x, &w, None, &y, Variant::Tiled));
    assert!(matches!(r, Err(GpuError::Shape(_))), "{r:?}");
});

// wgpu's validation errors come back as `Err`, not as the default handler's panic: a buffer
// without STORAGE usage bound as storage is rejected by the device.
gpu_test!(validation_errors_are_results(gpu) {
    let x = Tensor::zeros(gpu, "x", &[2, 2], DType::F32).await.unwrap();
    let w = Tensor::zeros(gpu, "w", &[2, 2], DType::F32).await.unwrap();
    let buffer = gpu.device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("not storage"),
        size: 16,
        usage: wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let bad = Tensor::from_buffer(gpu, buffer, &[2, 2], DType::F32, "not storage");
    let r = gpu
        .scoped("binding a non-storage buffer", || {
            gpu.run("test", |pass| encode_matmul_forward(gpu, pass, &x, &w, None, &bad, Variant::Tiled))
        })
        .await;
    let r = r.and_then(|inner| inner);
    assert!(matches!(r, Err(GpuError::Validation { .. })), "{r:?}");
    // The device is still usable afterwards.
    let y = Tensor::zeros(gpu, "y", &[2, 2], DType::F32).await.unwrap();
    gpu.run("test", |pass| encode_matmul_forward(gpu, pass, &x, &w, None, &y, Variant::Tiled)).unwrap();
    assert_eq!(y.to_vec_f32(gpu).await.unwrap(), vec![0.0; 4]);
});

// A buffer over the device's limit is refused with the limit's name, before wgpu sees it.
gpu_test!(oversized_tensor_is_an_error(gpu) {
    let too_big = (gpu.limits.max_buffer_size / 4 + 1) as usize;
    let r = Tensor::zeros(gpu, "huge", &[too_big], DType::F32).await;
    assert!(matches!(r, Err(GpuError::TooLarge { limit: "max_buffer_size", .. })), "{:?}", r.err());
});

/// C = alpha·A·B (+ C) through `g`'s offsets and strides, in f64.
fn strided_reference(g: &Gemm, a: &[f32], b: &[f32], c: &[f32]) -> Vec<f64> {
    let mut out: Vec<f64> = c.iter().map(|&x| x as f64).collect();
    for m in 0..g.m {
        for n in 0..g.n {
            let mut acc = 0.0f64;
            for k in 0..g.k {
                let av = a[g.a_off + m * g.a_strides.0 + k * g.a_strides.1] as f64;
                acc += av * b[g.b_off + k * g.b_strides.0 + n * g.b_strides.1] as f64;
            }
            let i = g.c_off + m * g.c_rs + n;
            let prev = if g.accumulate { c[i] as f64 } else { 0.0 };
            out[i] = g.alpha as f64 * acc + prev;
        }
    }
    out
}

// lm_head's products: logits = h·wteᵀ into a column range of a (rows, V) block, and dh (+)=
// dlogits·wte reading a column range of it, with V odd (GPT-2's 50257) so rows are not
// vec4-aligned, and with an aligned V too; B a slice 4 rows into its tensor (b_off), stored f32
// and (where the adapter has it) f16. The backward's A is NaN outside the chunk's columns.
gpu_test!(lm_head_style_strided_products(gpu) {
    let (rows, c) = (24, 16);
    // (V, first row, rows): odd V; aligned; aligned with 2, 1 and 3 rows past the last vec4.
    for (v, v0, chunk) in [(41, 7, 30), (44, 8, 32), (44, 8, 30), (44, 12, 29), (48, 4, 43)] {
        let fwd = Gemm {
            m: rows, n: chunk, k: c, a_off: 0, a_strides: (c, 1), b_strides: (1, c),
            c_off: v0, c_rs: v, alpha: 1.0, accumulate: false, variant: Variant::Auto, b_off: 4 * c,
        };
        let bwd = Gemm {
            m: rows, n: c, k: chunk, a_off: v0, a_strides: (v, 1), b_strides: (c, 1),
            c_off: 0, c_rs: c, alpha: 0.5, accumulate: true, variant: Variant::Auto, b_off: 4 * c,
        };
        // The forward again, scaled, then scaled and accumulating into C: without accumulation
        // (or bias) the 4-lane kernel runs its store-only form (STORE_ONLY), with it the general one.
        let fwd_scaled = Gemm { alpha: 0.5, ..fwd };
        let fwd_acc = Gemm { alpha: 0.5, accumulate: true, ..fwd };
        let dtypes: &[DType] = if gpu.has_f16() { &[DType::F32, DType::F16] } else { &[DType::F32] };
        let products = [
            (fwd, rows * c, rows * v),
            (bwd, rows * v, rows * c),
            (fwd_scaled, rows * c, rows * v),
            (fwd_acc, rows * c, rows * v),
        ];
        for (i, (g, a_len, c_len)) in products.into_iter().enumerate() {
            let mut av = common::uniform(a_len, 40 + i as u64);
            if i == 1 {
                // dlogits outside the chunk (other columns, a padded row's tail) are NaN here: a
                // kernel that reads past K must not let them into C.
                for (j, x) in av.iter_mut().enumerate() {
                    if !(v0..v0 + chunk).contains(&(j % v)) {
                        *x = f32::NAN;
                    }
                }
            }
            let mut bv = common::uniform((chunk + 4) * c, 50 + i as u64);
            let cv = common::uniform(c_len, 60 + i as u64);
            for &dtype in dtypes {
                if dtype == DType::F16 {
                    // The reference multiplies the values the GPU sees.
                    bv = bv.iter().map(|&x| half::f16::from_f32(x).to_f32()).collect();
                }
                let want = strided_reference(&g, &av, &bv, &cv);
                let a = Tensor::from_f32(gpu, "a", &[a_len], &av).await.unwrap();
                let b = match dtype {
                    DType::F16 => {
                        let bits: Vec<u16> = bv.iter().map(|&x| half::f16::from_f32(x).to_bits()).collect();
                        Tensor::from_slice(gpu, "b", &[chunk + 4, c], DType::F16, &bits).await.unwrap()
                    }
                    _ => Tensor::from_f32(gpu, "b", &[chunk + 4, c], &bv).await.unwrap(),
                };
                for variant in variants(gpu) {
                    let out = Tensor::from_f32(gpu, "c", &[c_len], &cv).await.unwrap();
                    let g = Gemm { variant, ..g };
                    gpu.run("test", |pass| encode_gemm(gpu, pass, g, &a, &b, None, &out)).unwrap();
                    let got = out.to_vec_f32(gpu).await.unwrap();
                    let cmp = cpu::compare(&got, &want);
                    let what = ["forward", "backward", "scaled forward", "accumulating forward"][i];
                    assert!(cmp.rel <= TOL, "{what} {variant:?} {dtype:?} V={v}: {cmp}");
                }
            }
        }
    }
});

// The autotuner times the candidates, records a choice per shape that Auto then runs, and
// says what it timed; where the adapter has subgroups (lavapipe: CI's adapter) both candidates
// are timed.
#[cfg(not(target_arch = "wasm32"))]
gpu_test!(autotuner_records_a_choice_per_shape(gpu) {
    let w = Tensor::zeros(gpu, "w", &[64, 96], DType::F32).await.unwrap();
    let products = [
        (Gemm::forward(128, 64, 96, DType::F32, Variant::Auto), &w),
        (Gemm::backward_input(128, 64, 96, DType::F32, Variant::Auto), &w),
        (Gemm::forward(4, 64, 96, DType::F32, Variant::Auto), &w), // few rows: Rows, not tuned
    ];
    let tuned = webtune::kernels::matmul::tune(gpu, &products).await.unwrap();
    if std::env::var_os("WEBTUNE_MATMUL").is_some() {
        return;
    }
    assert_eq!(tuned.len(), 2, "{tuned:?}");
    for t in &tuned {
        assert_eq!(gpu.tuning.get(&t.key).as_deref(), Some(t.choice.name()), "{t:?}");
        if Variant::Subgroup.available(gpu) && !t.times.is_empty() {
            assert_eq!(t.times.len(), 3, "{t:?}");
        }
    }
    // The choices carried to another Gpu on this adapter (as the page carries them through
    // IndexedDB) are used there, not timed again; under another key they would not be offered.
    let other = common::gpu().await;
    assert_eq!(webtune::kernels::matmul::tuning_key(&other), webtune::kernels::matmul::tuning_key(gpu));
    other.tuning.merge_json(&gpu.tuning.to_json());
    let w2 = Tensor::zeros(&other, "w", &[64, 96], DType::F32).await.unwrap();
    let again = webtune::kernels::matmul::tune(&other, &[(Gemm::forward(128, 64, 96, DType::F32, Variant::Auto), &w2)]).await.unwrap();
    assert!(again.iter().all(|t| t.times.is_empty()), "restored choices were timed again: {again:?}");
    if std::env::var("CI").as_deref() == Ok("true") && gpu.report.name.contains("llvmpipe") {
        assert!(Variant::Subgroup.available(gpu), "lavapipe reports subgroups of 8; CI must run the subgroup kernels");
    }
    // In the browser the device has subgroups wherever the adapter offers them (Chromium's
    // SwiftShader does, of 4 lanes), so these tests run the subgroup kernels there too.
    #[cfg(target_arch = "wasm32")]
    if common::adapter_has("subgroups").await {
        assert!(Variant::Subgroup4.available(gpu), "the browser offers subgroups, but the device has none");
    }
});

/// A 4-bit Conv1D weight (K, N) quantized as bitsandbytes does, on the GPU, and its dequantized
/// values in Conv1D order (what every product must see).
async fn q4_weight(
    gpu: &Gpu,
    kind: Q4Kind,
    double_quant: bool,
    k: usize,
    n: usize,
    seed: u64,
) -> (Tensor, Vec<f32>) {
    let wv = common::uniform(k * n, seed);
    let q = Quant4::conv1d(&wv, k, n, kind, double_quant).unwrap();
    let dtype = match kind {
        Q4Kind::Nf4 => DType::Nf4,
        Q4Kind::Fp4 => DType::Fp4,
    };
    let w = Tensor::from_slice(gpu, "w4", &[k, n], dtype, &q.gpu_words()).await.unwrap();
    let flat = q.dequantize(); // (N, K), as quantized
    let mut dq = vec![0f32; k * n];
    for j in 0..n {
        for i in 0..k {
            dq[i * n + j] = flat[j * k + i];
        }
    }
    (w, dq)
}

/// Sizes for 4-bit weights: blocks of 64 that end mid-row (K = 65, 36, 13), K a multiple of 4
/// and not (vec4 and scalar loads), a partial last block, and GPT-2's shapes.
const Q4_SIZES: [(usize, usize, usize); 9] = [
    (1, 64, 8),
    (7, 13, 5),
    (33, 65, 17),
    (1, 70, 130),
    (40, 64, 36),
    (20, 36, 8),
    (96, 60, 180),
    (96, 240, 60),
    (BT, 768, 2304),
];

// Y = X·W + b and dX = dY·Wᵀ with W in nf4 and fp4, with and without double quantization, for
// every variant, against the f64 reference over the dequantized W.
gpu_test!(q4_weights_in_every_variant(gpu) {
    for (i, &(m, k, n)) in Q4_SIZES.iter().enumerate() {
        for (kind, dq) in [(Q4Kind::Nf4, false), (Q4Kind::Fp4, false), (Q4Kind::Nf4, true)] {
            if k * n > 100_000 && kind != Q4Kind::Nf4 {
                continue; // GPT-2's shape once: the kernels do not depend on the code table
            }
            let seed = 500 + 10 * i as u64;
            let (w, wv) = q4_weight(gpu, kind, dq, k, n, seed).await;
            let (xv, bv, dyv) = (common::uniform(m * k, seed + 1), common::uniform(n, seed + 2), common::uniform(m * n, seed + 3));
            let want_y = cpu::matmul_forward(&xv, &wv, Some(&bv), m, k, n);
            let want_dx = cpu::matmul_backward_input(&dyv, &wv, m, k, n);
            let x = Tensor::from_f32(gpu, "x", &[m, k], &xv).await.unwrap();
            let b = Tensor::from_f32(gpu, "b", &[n], &bv).await.unwrap();
            let dy = Tensor::from_f32(gpu, "dy", &[m, n], &dyv).await.unwrap();
            for variant in variants(gpu) {
                let y = Tensor::zeros(gpu, "y", &[m, n], DType::F32).await.unwrap();
                let dx = Tensor::zeros(gpu, "dx", &[m, k], DType::F32).await.unwrap();
                gpu.run("test", |pass| {
                    encode_matmul_forward(gpu, pass, &x, &w, Some(&b), &y, variant)?;
                    encode_matmul_backward_input(gpu, pass, &dy, &w, &dx, variant)
                })
                .unwrap();
                let c = cpu::compare(&y.to_vec_f32(gpu).await.unwrap(), &want_y);
                assert!(c.rel <= TOL, "q4 forward {kind:?} dq {dq} {variant:?} {m}x{k}x{n}: {c}");
                let c = cpu::compare(&dx.to_vec_f32(gpu).await.unwrap(), &want_dx);
                assert!(c.rel <= TOL, "q4 backward_input {kind:?} dq {dq} {variant:?} {m}x{k}x{n}: {c}");
            }
        }
    }
});

// The values a product reads are exactly bitsandbytes' dequantize_4bit (code · absmax in f32):
// I·W and (I·Wᵀ)ᵀ reproduce the host's dequantized W bit for bit in every variant.
gpu_test!(q4_products_read_exactly_the_dequantized_values(gpu) {
    let (k, n) = (72, 40);
    for kind in [Q4Kind::Nf4, Q4Kind::Fp4] {
        let (w, wv) = q4_weight(gpu, kind, true, k, n, 77).await;
        let eye_k: Vec<f32> = (0..k * k).map(|i| if i / k == i % k { 1.0 } else { 0.0 }).collect();
        let eye_n: Vec<f32> = (0..n * n).map(|i| if i / n == i % n { 1.0 } else { 0.0 }).collect();
        let ik = Tensor::from_f32(gpu, "I", &[k, k], &eye_k).await.unwrap();
        let in_ = Tensor::from_f32(gpu, "I", &[n, n], &eye_n).await.unwrap();
        for variant in variants(gpu) {
            let y = Tensor::zeros(gpu, "y", &[k, n], DType::F32).await.unwrap();
            let dx = Tensor::zeros(gpu, "dx", &[n, k], DType::F32).await.unwrap();
            gpu.run("test", |pass| {
                encode_matmul_forward(gpu, pass, &ik, &w, None, &y, variant)?;
                encode_matmul_backward_input(gpu, pass, &in_, &w, &dx, variant)
            })
            .unwrap();
            let y = y.to_vec_f32(gpu).await.unwrap();
            assert!(y.iter().zip(&wv).all(|(a, b)| a.to_bits() == b.to_bits() || (*a == 0.0 && *b == 0.0)), "{kind:?} {variant:?} forward");
            let dx = dx.to_vec_f32(gpu).await.unwrap(); // (N, K) = Wᵀ
            for i in 0..k {
                for j in 0..n {
                    assert_eq!(dx[j * k + i], wv[i * n + j], "{kind:?} {variant:?} input gradient at ({i}, {j})");
                }
            }
        }
    }
});

// A variant the device cannot run is refused with the lanes it needs, not run. In Chromium on
// SwiftShader (4-lane subgroups) that is `subgroup` and `subgroup-wide`; natively on lavapipe every variant runs, and
// with WEBTUNE_SUBGROUPS=off the three subgroup variants are refused.
gpu_test!(a_variant_the_device_cannot_run_is_refused(gpu) {
    let mut refused = Vec::new();
    for v in Variant::ALL.into_iter().filter(|v| !v.available(gpu)) {
        let g = Gemm::forward(64, 32, 48, DType::F32, v);
        let e = webtune::kernels::matmul::resolve(gpu, &g, DType::F32).unwrap_err().to_string();
        let lanes = if v == Variant::Subgroup4 { "4" } else { "8" };
        assert!(e.contains(&format!("needs subgroups of at least {lanes} lanes")), "{}: {e}", v.name());
        refused.push(v.name());
    }
    common::log(&format!("variants refused on {:?}: {refused:?}", gpu.report.name));
    #[cfg(target_arch = "wasm32")]
    if common::adapter_has("subgroups").await && gpu.report.subgroup_min_size < 8 {
        assert_eq!(refused, ["subgroup", "subgroup-wide"], "SwiftShader's 4-lane subgroups run subgroup4, not the 8-lane variants");
    }
});
