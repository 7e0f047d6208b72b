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
