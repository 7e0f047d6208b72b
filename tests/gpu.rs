//! The GPU runtime's own promises: an adapter whose limits are too small is refused with the
//! limit's name, and the report says what the device was opened with. Natively and in Chromium.

mod common;

use webtune::{Gpu, GpuError, Requirements};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

gpu_test!(limits_too_small_is_a_clear_error(gpu) {
    let have = gpu.limits.max_storage_buffer_binding_size;
    let r = Gpu::new(Requirements { storage_binding: have + 1, ..Requirements::default() }).await;
    match r {
        Err(e @ GpuError::LimitsTooSmall { limit: "max_storage_buffer_binding_size", .. }) => {
            assert_eq!(e.kind(), "limits-too-small");
            assert!(e.to_string().contains(&(have + 1).to_string()), "{e}");
        }
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a binding of {} bytes was accepted", have + 1),
    }
});

gpu_test!(report_lists_limits_and_features(gpu) {
    let r = &gpu.report;
    let limit = |name: &str| r.limits.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    assert_eq!(limit("max_storage_buffer_binding_size"), Some(gpu.limits.max_storage_buffer_binding_size));
    assert_eq!(limit("max_buffer_size"), Some(gpu.limits.max_buffer_size));
    assert_eq!(r.features.contains(&"shader-f16".to_string()), gpu.has_f16());
    // The device got the adapter's largest binding, not WebGPU's 128 MiB default.
    assert!(gpu.limits.max_storage_buffer_binding_size >= 128 << 20);
});

// Memory accounting: a tensor counts in while it lives, and the peak remembers it.
gpu_test!(live_and_peak_memory_follow_tensors(gpu) {
    use webtune::gpu::{DType, Tensor};
    let before = gpu.memory();
    let t = Tensor::zeros(gpu, "counted", &[1000, 250], DType::F32).await.unwrap();
    let during = gpu.memory();
    assert_eq!(during.live, before.live + 1_000_000);
    assert!(during.peak >= during.live);
    drop(t);
    let after = gpu.memory();
    assert_eq!(after.live, before.live);
    assert!(after.peak >= before.live + 1_000_000, "the peak keeps the tensor: {after:?}");
});

// The per-kernel profile: where the adapter writes timestamps inside compute passes (lavapipe
// does), a product is timed once with its FLOPs; elsewhere (browsers) starting says why not.
gpu_test!(profiling_times_each_dispatch_or_says_why_not(gpu) {
    use webtune::gpu::{DType, Tensor};
    use webtune::kernels::matmul::{encode_matmul_forward, Variant};
    if !gpu.can_profile() {
        let e = gpu.start_profiling().unwrap_err().to_string();
        assert!(e.contains("TIMESTAMP_QUERY_INSIDE_PASSES"), "{e}");
        return;
    }
    let x = Tensor::from_f32(gpu, "x", &[64, 32], &common::uniform(64 * 32, 1)).await.unwrap();
    let w = Tensor::from_f32(gpu, "w", &[32, 48], &common::uniform(32 * 48, 2)).await.unwrap();
    let y = Tensor::zeros(gpu, "y", &[64, 48], DType::F32).await.unwrap();
    gpu.start_profiling().unwrap();
    for _ in 0..3 {
        gpu.run("profiled", |pass| encode_matmul_forward(gpu, pass, &x, &w, None, &y, Variant::Tiled)).unwrap();
    }
    let (rows, untimed) = gpu.stop_profiling();
    assert_eq!(untimed, 0);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let r = &rows[0];
    assert_eq!((r.kernel.as_str(), r.calls, r.flops), ("matmul.wgsl::matmul_tiled 64x32->48", 3, 3 * 2 * 64 * 32 * 48));
    assert!(r.seconds > 0.0 && r.seconds < 10.0, "{r:?}");
    // Stopped: nothing more is recorded.
    gpu.run("unprofiled", |pass| encode_matmul_forward(gpu, pass, &x, &w, None, &y, Variant::Tiled)).unwrap();
    assert!(gpu.stop_profiling().0.is_empty());
});

// Every kernel the crate dispatches compiles on this adapter: natively through naga and the
// driver, in Chromium through Tint, which is stricter in places (it rejected crossentropy's
// subgroup kernels for a decimal -FLT_MAX literal that naga took). Kernels that need a feature
// the device lacks are not built, and are counted. In the browser the device has subgroups
// wherever the adapter offers them (browser.rs asks for them, which wgpu 30 cannot), so Chromium's
// SwiftShader (4-lane subgroups) compiles every subgroup kernel here, the 8-lane ones included,
// which it does not run.
gpu_test!(every_kernel_compiles_on_this_adapter(gpu) {
    let subgroups = gpu.features.contains(wgpu::Features::SUBGROUP);
    let adapter = if gpu.report.name.is_empty() { "this adapter" } else { &gpu.report.name };
    #[cfg(target_arch = "wasm32")]
    assert_eq!(subgroups, common::adapter_has("subgroups").await, "the device's subgroups differ from the adapter's");
    let (mut built, mut built_sg, mut not_built) = (0, 0, Vec::new());
    for kernel in webtune::kernels::kernels() {
        let needs_sg = kernel.defines.contains(&"SUBGROUPS");
        let needs_f16 = kernel.defines.contains(&"WEIGHTS_F16");
        if (needs_sg && !subgroups) || (needs_f16 && !gpu.has_f16()) {
            not_built.push(kernel.label());
            continue;
        }
        if let Err(e) = gpu.compile(kernel).await {
            panic!("{} does not compile on {adapter:?}: {e}", kernel.label());
        }
        built += 1;
        built_sg += needs_sg as usize;
    }
    common::log(&format!(
        "{built} kernels compiled on {adapter:?} ({built_sg} with subgroups); not built for want of a feature: {not_built:?}"
    ));
    assert!(built >= 40, "only {built} kernels built");
    if subgroups {
        assert!(built_sg >= 10, "only {built_sg} subgroup kernels built");
    }
});
