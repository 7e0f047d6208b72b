//! shaders/matmul.wgsl against the f64 CPU reference: Y = X·W + b and dX = dY·Wᵀ, naive and
//! tiled, at awkward sizes and GPT-2's shapes. Runs natively and in headless Chromium.

mod common;

use webtune::cpu;
use webtune::gpu::{DType, Gpu, GpuError, Tensor};
use webtune::kernels::matmul::{encode_matmul_backward_input, encode_matmul_forward, Variant};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Norm-wise relative error bar (see `cpu::Comparison::rel`).
const TOL: f64 = 1e-5;

/// Rows of GPT-2's products in the tests: one sequence of the tutorial's length 128.
/// (`webtune bench matmul` runs the benchmark size, BT = 512.)
const BT: usize = 128;

/// (M, K, N): Y (M, N) = X (M, K) · W (K, N).
const SMALL: [(usize, usize, usize); 4] = [(1, 1, 1), (7, 13, 5), (33, 65, 17), (1, 70, 130)];
const GPT2: [(usize, usize, usize); 3] = [(BT, 768, 2304), (BT, 768, 3072), (BT, 3072, 768)];

async fn check_forward(gpu: &Gpu, m: usize, k: usize, n: usize, seed: u64) {
    let (xv, wv, bv) =
        (common::uniform(m * k, seed), common::uniform(k * n, seed + 1), common::uniform(n, seed + 2));
    let want = cpu::matmul_forward(&xv, &wv, Some(&bv), m, k, n);
    let x = Tensor::from_f32(gpu, "x", &[m, k], &xv).await.unwrap();
    let w = Tensor::from_f32(gpu, "w", &[k, n], &wv).await.unwrap();
    let b = Tensor::from_f32(gpu, "b", &[n], &bv).await.unwrap();
    for variant in [Variant::Naive, Variant::Tiled, Variant::Rows] {
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
    for variant in [Variant::Naive, Variant::Tiled, Variant::Rows] {
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
