//! The wasm-bindgen facade: what `www/worker.js` calls. Thin by design: the page's logic lives
//! in [`crate::session`], and this file only converts between JavaScript values and it.
//! Summaries cross as JSON strings. Errors reach JavaScript as `Error` objects with a `kind`
//! property (`no-webgpu`, `limits-too-small`, `out-of-memory`, `device-lost`, `model`, `data`,
//! ...: see `Error::kind`) so the page can choose its words.

use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::generate::GenerateSettings;
use crate::gpu::{Gpu, Requirements};
use crate::model::{memory, Gpt2Config, ReadBytes, WeightDtype};
use crate::session::{Session, TokenizerFiles, TrainingSettings};

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

fn js_error(kind: &str, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    let _ = js_sys::Reflect::set(&err, &"kind".into(), &kind.into());
    err.into()
}

fn to_js(e: Error) -> JsValue {
    js_error(e.kind(), &e.to_string())
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(|e| js_error("internal", &e.to_string()))
}

fn parse<'a, T: serde::Deserialize<'a>>(what: &str, text: &'a str) -> Result<T, JsValue> {
    serde_json::from_str(text).map_err(|e| js_error("data", &format!("{what}: {e}")))
}

/// The crate's version, for the page footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// A published GPT-2's config.json (gpt2, distilgpt2, gpt2-medium, gpt2-large, gpt2-xl), for
/// estimates before anything is downloaded.
#[wasm_bindgen(js_name = presetConfig)]
pub fn preset_config(name: &str) -> Result<String, JsValue> {
    let c = Gpt2Config::preset(name).ok_or_else(|| js_error("data", &format!("no preset {name}")))?;
    Ok(c.to_json())
}

/// Every setting's default and limit (JSON: {training: {lora, train, data}, generate, limits}),
/// so the page's forms start from the values the library checks against.
#[wasm_bindgen]
pub fn defaults() -> Result<String, JsValue> {
    json(&crate::session::defaults())
}

/// The page's "Base weights" choice, as JSON ({matrices, embeddings, double_quant}, as
/// [`WeightDtype`]), checked.
fn weight_dtype(weights_json: &str) -> Result<WeightDtype, JsValue> {
    let w: WeightDtype = parse("weight storage", weights_json)?;
    WeightDtype::new(w.matrices, Some(w.embeddings), w.double_quant).map_err(to_js)
}

/// GPU memory for training a model of `config_json` with `settings_json`
/// ({lora, train, data}, as [`TrainingSettings`]) and weights stored as `weights_json`: a JSON
/// [`memory::MemoryEstimate`] plus the trainable-parameter count.
#[wasm_bindgen(js_name = estimateTraining)]
pub fn estimate_training(
    config_json: &str,
    settings_json: &str,
    weights_json: &str,
) -> Result<String, JsValue> {
    let config = Gpt2Config::from_json(config_json).map_err(to_js)?;
    let settings: TrainingSettings = parse("training settings", settings_json)?;
    // Only what the estimate needs is checked here: the whole form is checked at Start.
    let lora = settings.lora.to_config(&config, "").map_err(to_js)?;
    let trainable = lora.num_parameters(&config).map_err(to_js)?;
    let t = &settings.train;
    let weights = weight_dtype(weights_json)?;
    let e = memory::training(&config, weights, (t.batch, t.seq_len, lora.r), t.recompute, trainable);
    json(&serde_json::json!({ "memory": e, "trainable": trainable, "parameters": config.num_parameters() }))
}

/// Reads byte ranges of a Blob (a File, or a cached download).
fn blob_reader<'a>(blob: web_sys::Blob) -> ReadBytes<'a> {
    Box::new(move |offset, len| {
        let blob = blob.clone();
        Box::pin(async move {
            let end = offset + len as u64;
            let io = |e: JsValue| Error::Io {
                path: "model.safetensors".into(),
                message: format!("could not read bytes {offset}..{end}: {e:?}"),
            };
            let part = blob.slice_with_f64_and_f64(offset as f64, end as f64).map_err(io)?;
            let buffer = wasm_bindgen_futures::JsFuture::from(part.array_buffer()).await.map_err(io)?;
            Ok(js_sys::Uint8Array::new(&buffer).to_vec())
        })
    })
}

/// The page's one session: a GPU, a model, an adapter, a training run, two generations.
/// Calls must not overlap (worker.js queues them).
#[wasm_bindgen]
pub struct WebSession {
    inner: Session,
}

#[wasm_bindgen]
impl WebSession {
    /// Open the GPU. Rejects with an `Error` whose `kind` is `no-webgpu`, `no-adapter`,
    /// `limits-too-small` or `request-device`.
    pub async fn open() -> Result<WebSession, JsValue> {
        let gpu = Gpu::new(Requirements::default()).await.map_err(|e| to_js(e.into()))?;
        Ok(WebSession { inner: Session::new(gpu) })
    }

    /// The adapter report (JSON): name, backend, device type, driver, limits, features.
    pub fn report(&self) -> Result<String, JsValue> {
        json(&self.inner.gpu.report)
    }

    /// The matmul autotuner's choices on this adapter and build, as [key, json]: the page keeps
    /// them (IndexedDB) and gives them back with `restoreTuning`, so a later visit does not time
    /// the candidates again.
    pub fn tuning(&self) -> js_sys::Array {
        let gpu = &self.inner.gpu;
        let key = crate::kernels::matmul::tuning_key(gpu);
        js_sys::Array::of2(&key.into(), &gpu.tuning.to_json().into())
    }

    /// Choices saved by `tuning` on an earlier visit; ignored (false) when `key` is another
    /// adapter's or build's.
    #[wasm_bindgen(js_name = restoreTuning)]
    pub fn restore_tuning(&self, key: &str, json: &str) -> bool {
        let gpu = &self.inner.gpu;
        let ok = key == crate::kernels::matmul::tuning_key(gpu);
        if ok {
            gpu.tuning.merge_json(json);
        }
        ok
    }

    /// Load config.json + model.safetensors (a Blob or File, read one tensor at a time, so it
    /// never has to fit in wasm memory whole) with tokenizer.json, or vocab.json + merges.txt,
    /// or neither (GPT-2's own), its weights stored as `weights_json` ({matrices, embeddings,
    /// double_quant}: f32, f16, or a 4-bit nf4/fp4 base). Resolves to the model summary (JSON).
    #[wasm_bindgen(js_name = loadModel)]
    #[allow(clippy::too_many_arguments)]
    pub async fn load_model(
        &mut self,
        name: String,
        config_json: String,
        safetensors: web_sys::Blob,
        tokenizer_json: Option<Vec<u8>>,
        vocab_json: Option<Vec<u8>>,
        merges_txt: Option<Vec<u8>>,
        weights_json: String,
    ) -> Result<String, JsValue> {
        let weights = weight_dtype(&weights_json)?;
        let tokenizer = match (tokenizer_json, vocab_json, merges_txt) {
            (Some(json), _, _) => TokenizerFiles::Json(json),
            (None, Some(vocab), Some(merges)) => TokenizerFiles::VocabMerges(vocab, merges),
            (None, None, None) => TokenizerFiles::Bundled,
            _ => {
                return Err(js_error(
                    "model",
                    "vocab.json and merges.txt go together: open both, or tokenizer.json",
                ))
            }
        };
        let file_len = safetensors.size() as u64; // f64 holds a file's size exactly up to 2^53
        let read = blob_reader(safetensors);
        let summary = self
            .inner
            .load_model_from(&name, &config_json, file_len, read, tokenizer, weights)
            .await
            .map_err(to_js)?;
        json(&summary)
    }

    /// The offline demo: a tiny random GPT-2 with GPT-2's tokenizer, its weights stored as
    /// `weights_json` (as for loadModel).
    #[wasm_bindgen(js_name = demoModel)]
    pub async fn demo_model(&mut self, seed: u32, weights_json: String) -> Result<String, JsValue> {
        let weights = weight_dtype(&weights_json)?;
        json(&self.inner.demo_model(seed as u64, weights).await.map_err(to_js)?)
    }

    /// Tokenize `text` and prepare a fresh adapter and run from `settings_json` ({lora, train}).
    #[wasm_bindgen(js_name = prepareTraining)]
    pub async fn prepare_training(&mut self, text: String, settings_json: String) -> Result<String, JsValue> {
        let settings: TrainingSettings = parse("training settings", &settings_json)?;
        json(&self.inner.prepare_training(&text, &settings).await.map_err(to_js)?)
    }

    /// One optimizer step: {step, total, loss, lr, grad_norm, tokens, elapsed, eval_loss, done}.
    #[wasm_bindgen(js_name = trainStep)]
    pub async fn train_step(&mut self) -> Result<String, JsValue> {
        json(&self.inner.train_step().await.map_err(to_js)?)
    }

    /// Start generation `slot` (0 or 1) with the adapter on or off; resolves to the prompt's
    /// token count.
    #[wasm_bindgen(js_name = startGeneration)]
    pub async fn start_generation(
        &mut self,
        slot: u32,
        prompt: String,
        settings_json: String,
        adapter: bool,
    ) -> Result<u32, JsValue> {
        let settings: GenerateSettings = parse("generation settings", &settings_json)?;
        let n =
            self.inner.start_generation(slot as usize, &prompt, &settings, adapter).await.map_err(to_js)?;
        Ok(n as u32)
    }

    /// The next piece of generation `slot`: {text, token, done, stop}.
    #[wasm_bindgen(js_name = nextToken)]
    pub async fn next_token(&mut self, slot: u32) -> Result<String, JsValue> {
        json(&self.inner.next_token(slot as usize).await.map_err(to_js)?)
    }

    /// PEFT's adapter_config.json (string) and adapter_model.safetensors (bytes), as [json, bytes].
    #[wasm_bindgen(js_name = exportAdapter)]
    pub async fn export_adapter(&self) -> Result<js_sys::Array, JsValue> {
        let files = self.inner.export_adapter().await.map_err(to_js)?;
        let bytes = js_sys::Uint8Array::from(files.safetensors.as_slice());
        Ok(js_sys::Array::of2(&files.config_json.into(), &bytes.into()))
    }

    /// The merged model's config.json and model.safetensors (f32), as [json, bytes], from the
    /// base model.safetensors (empty for the demo model).
    #[wasm_bindgen(js_name = exportMerged)]
    pub async fn export_merged(&self, base_safetensors: Vec<u8>) -> Result<js_sys::Array, JsValue> {
        let (config, bytes) = self.inner.export_merged(&base_safetensors).await.map_err(to_js)?;
        let bytes = js_sys::Uint8Array::from(bytes.as_slice());
        Ok(js_sys::Array::of2(&config.into(), &bytes.into()))
    }

    /// Apply a PEFT adapter (adapter_config.json, adapter_model.safetensors) unmerged;
    /// resolves to {trainable, r, alpha, targets}.
    #[wasm_bindgen(js_name = importAdapter)]
    pub async fn import_adapter(
        &mut self,
        config_json: String,
        safetensors: Vec<u8>,
    ) -> Result<String, JsValue> {
        let (trainable, config) =
            self.inner.import_adapter(&config_json, &safetensors).await.map_err(to_js)?;
        json(&serde_json::json!({
            "trainable": trainable, "r": config.r, "alpha": config.alpha, "targets": config.target_modules,
        }))
    }
}
