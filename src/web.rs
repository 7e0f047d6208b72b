//! The wasm-bindgen facade: what `www/worker.js` calls. Thin by design: no model logic here, only
//! conversion between JavaScript values and the library's types. Errors reach JavaScript as
//! `Error` objects with a `kind` property (see `GpuError::kind`) so the page can choose its words.

use wasm_bindgen::prelude::*;

use crate::gpu::{Gpu, GpuError, Requirements};

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

fn js_error(e: &GpuError) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    let _ = js_sys::Reflect::set(&err, &"kind".into(), &e.kind().into());
    err.into()
}

/// Open the GPU and describe it: a JSON string with name, backend, device_type, driver, limits
/// (as [name, value] pairs) and features. Rejects with an `Error` whose `kind` is `no-webgpu`,
/// `no-adapter`, `limits-too-small` or `request-device`.
#[wasm_bindgen(js_name = adapterInfo)]
pub async fn adapter_info() -> Result<String, JsValue> {
    let gpu = Gpu::new(Requirements::default()).await.map_err(|e| js_error(&e))?;
    serde_json::to_string(&gpu.report).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// The crate's version, for the page footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
