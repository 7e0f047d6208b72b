//! Browser-only device set-up that wgpu's WebGPU backend does not do for us: asking for the
//! `subgroups` feature.
//!
//! wgpu 30 maps 16 WebGPU features to its own flags (`FEATURES_MAPPING` in its
//! backend/webgpu.rs) and `subgroups` is not among them, so `Features::SUBGROUP` can neither be
//! seen on a browser's adapter nor requested for its device. Browsers have offered the feature
//! since Chrome 134, and natively the subgroup kernels are the fast ones (on lavapipe the products
//! run at 17-37 GFLOP/s with them against 5-10 without; BENCHMARKS.md). So for the one
//! `requestDevice` call wgpu makes, [`subgroups_for_next_device`] wraps the method to add
//! `subgroups` to the descriptor's features when the adapter has them, and [`has_subgroups`]
//! reads the device's own feature set afterwards. Remove this once wgpu maps the feature.
//!
//! WGSL that uses subgroup builtins must say `enable subgroups;` in the browser, which naga (the
//! native front end) rejects; the pipeline cache adds it on wasm32 only (pipeline.rs).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function subgroupsForNextDevice() {
  const proto = globalThis.GPUAdapter && globalThis.GPUAdapter.prototype;
  if (!proto) return () => {};
  const original = proto.requestDevice;
  const restore = () => { proto.requestDevice = original; };
  proto.requestDevice = function (desc) {
    restore();
    if (this.features.has('subgroups')) {
      const features = Array.from((desc && desc.requiredFeatures) || []);
      if (!features.includes('subgroups')) features.push('subgroups');
      desc = Object.assign({}, desc, { requiredFeatures: features });
    }
    return original.call(this, desc);
  };
  return restore;
}

export function deviceHas(device, feature) {
  return !!(device && device.features && device.features.has(feature));
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = subgroupsForNextDevice)]
    fn subgroups_for_next_device_js() -> js_sys::Function;

    #[wasm_bindgen(js_name = deviceHas)]
    fn device_has(device: &JsValue, feature: &str) -> bool;
}

/// Makes the next `GPUAdapter.requestDevice` call ask for `subgroups` too, where the adapter has
/// them. Call it right before `adapter.request_device(..)` (which calls `requestDevice` at once,
/// before its future is awaited) and drop the guard right after: the wrapper removes itself on
/// its first call, and the guard removes it if no call came.
pub(super) fn subgroups_for_next_device() -> Restore {
    Restore(subgroups_for_next_device_js())
}

pub(super) struct Restore(js_sys::Function);

impl Drop for Restore {
    fn drop(&mut self) {
        // Restoring assigns one property; it cannot throw.
        let _ = self.0.call0(&JsValue::NULL);
    }
}

/// Whether the browser opened `device` with the `subgroups` feature.
pub(super) fn has_subgroups(device: &wgpu::Device) -> bool {
    device.as_webgpu().is_some_and(|d| device_has(d.as_ref(), "subgroups"))
}
