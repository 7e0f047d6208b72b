//! LoRA with Hugging Face PEFT's semantics, for GPT-2's Conv1D layers.
//!
//! - [`LoraConfig`]: r, lora_alpha, lora_dropout, target_modules (matched as PEFT matches module
//!   names: a target equals the module's full name or is a dot-separated suffix of it, so
//!   "c_proj" is both attn.c_proj and mlp.c_proj), use_rslora (α/√r instead of α/r),
//!   layers_to_transform, init (kaiming-uniform A with a = √5 and zero B, or "gaussian").
//! - [`Adapter`]: lora_A.weight (r, in) and lora_B.weight (out, r) per targeted module (nn.Linear
//!   layouts), read from and written to PEFT's adapter_config.json + adapter_model.safetensors.
//! - y = x·W + b + s·(x·Aᵀ)·Bᵀ; merged, W' = W + s·(B·A)ᵀ (W is [in, out]).
//! - [`Adapter::upload`] puts an adapter on the GPU ([`GpuLora`], which the model's passes take)
//!   and [`Adapter::download`] reads one back; `files` (native) reads and writes PEFT folders.

use std::collections::BTreeMap;

use rand_chacha::rand_core::{RngCore, SeedableRng};
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::gpu::{DType, Gpu, Tensor};
pub use crate::model::Module;
use crate::model::{Checkpoint, Gpt2Config, GpuLora};
use crate::nn::LoraWeights;

#[cfg(not(target_arch = "wasm32"))]
mod files;
mod settings;
#[cfg(not(target_arch = "wasm32"))]
pub use files::{load_adapter, save_adapter};
pub use settings::{LoraSettings, MAX_RANK};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(not(target_arch = "wasm32"), derive(clap::ValueEnum))]
pub enum LoraInit {
    /// PEFT's default: A kaiming-uniform with a = √5 (U(±1/√in)), B zero.
    Kaiming,
    /// A ~ N(0, (1/r)²) as PEFT's init_lora_weights="gaussian", B zero.
    Gaussian,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LoraConfig {
    pub r: usize,
    pub alpha: f64,
    pub dropout: f32,
    pub target_modules: Vec<String>,
    pub use_rslora: bool,
    pub init: LoraInit,
    pub layers_to_transform: Option<Vec<usize>>,
    pub base_model_name_or_path: String,
    /// PEFT's fan_in_fan_out: true for GPT-2's Conv1D layers (PEFT sets it when it wraps one),
    /// false for a 4-bit base, whose layers bitsandbytes makes nn.Linear-shaped (Linear4bit).
    /// The tensors are the same either way; only adapter_config.json says which base it was.
    pub fan_in_fan_out: bool,
}

impl Default for LoraConfig {
    /// The Hugging Face LoRA tutorial's values for GPT-2 ([`LoraSettings`]' defaults).
    fn default() -> Self {
        let s = LoraSettings::default();
        LoraConfig {
            r: s.r,
            alpha: s.alpha,
            dropout: s.dropout,
            target_modules: s.targets,
            use_rslora: s.rslora,
            init: s.init,
            layers_to_transform: s.layers,
            fan_in_fan_out: true,
            base_model_name_or_path: "gpt2".into(),
        }
    }
}

fn bad(msg: impl Into<String>) -> Error {
    Error::model(format!("adapter_config.json: {}", msg.into()))
}

impl LoraConfig {
    /// The factor on B·A: α/r, or α/√r with use_rslora.
    pub fn scale(&self) -> f32 {
        if self.use_rslora {
            (self.alpha / (self.r as f64).sqrt()) as f32
        } else {
            (self.alpha / self.r as f64) as f32
        }
    }

    /// Trainable parameters on a model of `cfg` (A and B of every target), without building
    /// the adapter: what the page shows before training.
    pub fn num_parameters(&self, cfg: &Gpt2Config) -> Result<usize> {
        let too_many =
            || Error::model(format!("LoRA r {} on this model has more parameters than can be held", self.r));
        self.targets(cfg)?.into_iter().map(|(_, m)| m.dims(cfg)).try_fold(0usize, |sum, (fan_in, out)| {
            self.r.checked_mul(fan_in + out).and_then(|n| sum.checked_add(n)).ok_or_else(too_many)
        })
    }

    /// The (layer, module) pairs this config adapts in a model of `cfg`, as PEFT selects them.
    pub fn targets(&self, cfg: &Gpt2Config) -> Result<Vec<(usize, Module)>> {
        if self.r == 0 {
            return Err(Error::model("LoRA r must be at least 1"));
        }
        if self.target_modules.is_empty() {
            return Err(Error::model("target_modules is empty"));
        }
        if let Some(layers) = &self.layers_to_transform {
            if let Some(&l) = layers.iter().find(|&&l| l >= cfg.n_layer) {
                return Err(Error::model(format!(
                    "layers_to_transform names layer {l}; the model has {} layers",
                    cfg.n_layer
                )));
            }
        }
        let mut out = Vec::new();
        let mut matched = vec![false; self.target_modules.len()];
        for layer in 0..cfg.n_layer {
            if self.layers_to_transform.as_ref().is_some_and(|ls| !ls.contains(&layer)) {
                continue;
            }
            for m in Module::ALL {
                let full = format!("transformer.h.{layer}.{}", m.path());
                let mut hit = false;
                for (i, t) in self.target_modules.iter().enumerate() {
                    if full == *t || full.ends_with(&format!(".{t}")) {
                        matched[i] = true;
                        hit = true;
                    }
                }
                if hit {
                    out.push((layer, m));
                }
            }
        }
        if let Some(i) = matched.iter().position(|m| !m) {
            return Err(Error::model(format!(
                "target module \"{}\" matches no layer of GPT-2 (targets are c_attn, c_proj, c_fc, \
                 attn.c_proj, mlp.c_proj, mlp.c_fc, or full names such as transformer.h.0.attn.c_attn)",
                self.target_modules[i]
            )));
        }
        Ok(out)
    }

    /// Parse PEFT's adapter_config.json. Settings PEFT has that we do not implement (DoRA, bias
    /// training, rank or alpha patterns, modules_to_save, regex targets) are refused by name.
    pub fn from_peft_json(text: &str) -> Result<LoraConfig> {
        let v: Value = serde_json::from_str(text).map_err(|e| bad(format!("not valid JSON: {e}")))?;
        let o = v.as_object().ok_or_else(|| bad("not a JSON object"))?;
        let get = |k: &str| o.get(k).filter(|v| !v.is_null());
        match get("peft_type").and_then(Value::as_str) {
            Some("LORA") => {}
            Some(other) => return Err(bad(format!("peft_type is {other}, not LORA"))),
            None => return Err(bad("peft_type is missing")),
        }
        let r = get("r")
            .and_then(Value::as_u64)
            .filter(|&r| r > 0)
            .ok_or_else(|| bad("r must be a positive integer"))? as usize;
        let alpha = match get("lora_alpha") {
            None => 8.0,
            Some(a) => {
                a.as_f64().filter(|a| a.is_finite()).ok_or_else(|| bad("lora_alpha is not a number"))?
            }
        };
        let dropout = match get("lora_dropout") {
            None => 0.0,
            Some(d) => d
                .as_f64()
                .filter(|d| (0.0..1.0).contains(d))
                .ok_or_else(|| bad("lora_dropout must be in [0, 1)"))? as f32,
        };
        let target_modules = match get("target_modules") {
            Some(Value::Array(a)) => a
                .iter()
                .map(|t| {
                    t.as_str().map(str::to_string).ok_or_else(|| bad("target_modules holds a non-string"))
                })
                .collect::<Result<Vec<_>>>()?,
            Some(Value::String(s))
                if s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') =>
            {
                vec![s.clone()]
            }
            Some(Value::String(s)) => {
                return Err(bad(format!(
                    "target_modules \"{s}\" is a regular expression, which is not supported"
                )))
            }
            _ => return Err(bad("target_modules is missing")),
        };
        let layers_to_transform = match get("layers_to_transform") {
            None => None,
            Some(Value::Number(n)) => {
                Some(vec![n.as_u64().ok_or_else(|| bad("layers_to_transform"))? as usize])
            }
            Some(Value::Array(a)) => Some(
                a.iter()
                    .map(|l| {
                        l.as_u64()
                            .map(|l| l as usize)
                            .ok_or_else(|| bad("layers_to_transform holds a non-integer"))
                    })
                    .collect::<Result<Vec<_>>>()?,
            ),
            Some(_) => return Err(bad("layers_to_transform is not an integer or a list")),
        };
        let flag = |k: &str| get(k).and_then(Value::as_bool).unwrap_or(false);
        if flag("use_dora") {
            return Err(bad("use_dora (DoRA) is not supported"));
        }
        if get("bias").and_then(Value::as_str).is_some_and(|b| b != "none") {
            return Err(bad("bias training is not supported (bias must be \"none\")"));
        }
        for k in ["rank_pattern", "alpha_pattern"] {
            if get(k).and_then(Value::as_object).is_some_and(|p| !p.is_empty()) {
                return Err(bad(format!("{k} is not supported")));
            }
        }
        if get("modules_to_save").and_then(Value::as_array).is_some_and(|m| !m.is_empty()) {
            return Err(bad("modules_to_save is not supported"));
        }
        let init = match get("init_lora_weights") {
            None | Some(Value::Bool(true)) => LoraInit::Kaiming,
            Some(Value::String(s)) if s == "gaussian" => LoraInit::Gaussian,
            Some(other) => return Err(bad(format!("init_lora_weights {other} is not supported"))),
        };
        Ok(LoraConfig {
            r,
            alpha,
            dropout,
            target_modules,
            use_rslora: flag("use_rslora"),
            init,
            layers_to_transform,
            base_model_name_or_path: get("base_model_name_or_path")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            fan_in_fan_out: get("fan_in_fan_out").and_then(Value::as_bool).unwrap_or(true),
        })
    }

    /// PEFT's adapter_config.json for this config (the fields PEFT reads; the rest default).
    pub fn to_peft_json(&self) -> String {
        let v = json!({
            "peft_type": "LORA",
            "task_type": "CAUSAL_LM",
            "base_model_name_or_path": self.base_model_name_or_path,
            "r": self.r,
            "lora_alpha": self.alpha,
            "lora_dropout": self.dropout,
            "target_modules": self.target_modules,
            "fan_in_fan_out": self.fan_in_fan_out,
            "bias": "none",
            "use_rslora": self.use_rslora,
            "use_dora": false,
            "init_lora_weights": match self.init { LoraInit::Kaiming => json!(true), LoraInit::Gaussian => json!("gaussian") },
            "layers_to_transform": self.layers_to_transform,
            "layers_pattern": null,
            "modules_to_save": null,
            "rank_pattern": {},
            "alpha_pattern": {},
            "inference_mode": true,
            "revision": null,
        });
        serde_json::to_string_pretty(&v).expect("serialisable") + "\n"
    }
}

/// One module's LoRA weights on the host, in nn.Linear layouts.
#[derive(Debug, Clone, PartialEq)]
pub struct LoraPair {
    pub a: Vec<f32>, // (r, in)
    pub b: Vec<f32>, // (out, r)
}

/// A LoRA adapter on the host: its config and weights for every targeted (layer, module).
#[derive(Debug, Clone, PartialEq)]
pub struct Adapter {
    pub config: LoraConfig,
    pub weights: BTreeMap<(usize, Module), LoraPair>,
}

fn key(layer: usize, m: Module, ab: char) -> String {
    format!("base_model.model.transformer.h.{layer}.{}.lora_{ab}.weight", m.path())
}

fn to_f32(name: &str, view: &safetensors::tensor::TensorView<'_>) -> Result<Vec<f32>> {
    let b = view.data();
    crate::model::finite(
        name,
        match view.dtype() {
            Dtype::F32 => bytemuck::pod_collect_to_vec::<u8, f32>(b),
            Dtype::F16 => {
                b.chunks_exact(2).map(|x| half::f16::from_le_bytes([x[0], x[1]]).to_f32()).collect()
            }
            Dtype::BF16 => {
                b.chunks_exact(2).map(|x| half::bf16::from_le_bytes([x[0], x[1]]).to_f32()).collect()
            }
            other => {
                return Err(Error::model(format!("adapter tensor '{name}' has dtype {other:?}, not a float")))
            }
        },
    )
}

/// Parse `base_model.model.[transformer.]h.{i}.{module}.lora_{A|B}[.default].weight`.
fn parse_key(k: &str) -> Option<(usize, Module, char)> {
    let rest = k.strip_prefix("base_model.model.")?;
    let rest = rest.strip_prefix("transformer.").unwrap_or(rest);
    let rest = rest.strip_prefix("h.")?;
    let (layer, rest) = rest.split_once('.')?;
    let layer = layer.parse().ok()?;
    let rest = rest.strip_suffix(".weight")?;
    let rest = rest.strip_suffix(".default").unwrap_or(rest);
    let (path, ab) = rest.rsplit_once(".lora_")?;
    let ab = match ab {
        "A" => 'A',
        "B" => 'B',
        _ => return None,
    };
    Some((layer, Module::from_path(path)?, ab))
}

impl Adapter {
    /// A fresh adapter for a model of `cfg`, initialised as PEFT does (B = 0), from `seed`.
    pub fn init(config: LoraConfig, cfg: &Gpt2Config, seed: u64) -> Result<Adapter> {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut uniform = move || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let r = config.r;
        let mut weights = BTreeMap::new();
        for (layer, m) in config.targets(cfg)? {
            let (fan_in, out) = m.dims(cfg);
            let a = match config.init {
                LoraInit::Kaiming => {
                    let bound = 1.0 / (fan_in as f64).sqrt();
                    (0..r * fan_in).map(|_| ((2.0 * uniform() - 1.0) * bound) as f32).collect()
                }
                LoraInit::Gaussian => (0..r * fan_in)
                    .map(|_| {
                        // Box-Muller; std 1/r as PEFT's nn.init.normal_(std=1/r).
                        let (u1, u2) = (uniform().max(f64::MIN_POSITIVE), uniform());
                        ((-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos() / r as f64) as f32
                    })
                    .collect(),
            };
            weights.insert((layer, m), LoraPair { a, b: vec![0.0; out * r] });
        }
        Ok(Adapter { config, weights })
    }

    /// Read PEFT's two files for a model of `cfg`. Keys may carry `.default` (older PEFT);
    /// an adapter that does not fit the model is refused, naming the tensor.
    pub fn from_peft(config_json: &str, safetensors: &[u8], cfg: &Gpt2Config) -> Result<Adapter> {
        let config = LoraConfig::from_peft_json(config_json)?;
        let targets = config.targets(cfg)?;
        let st = SafeTensors::deserialize(safetensors).map_err(|e| {
            Error::model(format!("adapter_model.safetensors is not a valid safetensors file: {e}"))
        })?;
        // Deserialized above, so the header's length is within the bytes.
        let header = safetensors
            .get(..8)
            .and_then(|n| usize::try_from(u64::from_le_bytes(n.try_into().ok()?)).ok())
            .and_then(|n| safetensors.get(8..8usize.checked_add(n)?))
            .unwrap_or_default();
        crate::model::unique_keys(header).map_err(|e| {
            Error::model(format!("adapter_model.safetensors is not a valid safetensors file: header: {e}"))
        })?;
        // A and B as they are found, per module.
        type Halves = (Option<Vec<f32>>, Option<Vec<f32>>);
        let mut found: BTreeMap<(usize, Module), Halves> = BTreeMap::new();
        // In name order, so the first error reported does not depend on hash order.
        let mut tensors = st.tensors();
        tensors.sort_by(|a, b| a.0.cmp(&b.0));
        for (k, view) in tensors {
            let (layer, m, ab) = parse_key(&k).ok_or_else(|| {
                Error::model(format!("adapter tensor '{k}' is not a LoRA weight of a GPT-2 Conv1D layer"))
            })?;
            if !targets.contains(&(layer, m)) {
                return Err(Error::model(format!(
                    "adapter tensor '{k}' is for a module adapter_config.json does not target (or a layer the model lacks)"
                )));
            }
            let (fan_in, out) = m.dims(cfg);
            let want = if ab == 'A' { vec![config.r, fan_in] } else { vec![out, config.r] };
            if view.shape() != want.as_slice() {
                return Err(Error::model(format!(
                    "adapter tensor '{k}' has shape {:?}; this model and r = {} need {want:?}",
                    view.shape(),
                    config.r
                )));
            }
            let slot = found.entry((layer, m)).or_default();
            let data = Some(to_f32(&k, &view)?);
            if ab == 'A' {
                slot.0 = data
            } else {
                slot.1 = data
            }
        }
        let mut weights = BTreeMap::new();
        for (layer, m) in targets {
            match found.remove(&(layer, m)) {
                Some((Some(a), Some(b))) => {
                    weights.insert((layer, m), LoraPair { a, b });
                }
                _ => {
                    return Err(Error::model(format!(
                        "adapter_model.safetensors lacks lora_A or lora_B for transformer.h.{layer}.{}",
                        m.path()
                    )))
                }
            }
        }
        Ok(Adapter { config, weights })
    }

    /// adapter_model.safetensors as PEFT writes it (f32, metadata {"format": "pt"}).
    pub fn to_safetensors(&self) -> Result<Vec<u8>> {
        let r = self.config.r;
        let mut tensors: Vec<(String, Vec<usize>, Vec<u8>)> = Vec::new();
        for (&(layer, m), pair) in &self.weights {
            let (fan_in, out) = (pair.a.len() / r, pair.b.len() / r);
            tensors.push((key(layer, m, 'A'), vec![r, fan_in], bytemuck::cast_slice(&pair.a).to_vec()));
            tensors.push((key(layer, m, 'B'), vec![out, r], bytemuck::cast_slice(&pair.b).to_vec()));
        }
        let views = tensors
            .iter()
            .map(|(k, s, b)| {
                Ok((
                    k.clone(),
                    TensorView::new(Dtype::F32, s.clone(), b).map_err(|e| Error::model(e.to_string()))?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let meta = Some([("format".to_string(), "pt".to_string())].into_iter().collect());
        safetensors::serialize(views, meta).map_err(|e| Error::model(format!("writing the adapter: {e}")))
    }

    /// Fold the adapter into a checkpoint: W' = W + s·(B·A)ᵀ for each target (W is [in, out]).
    pub fn merge_into(&self, ck: &mut Checkpoint) -> Result<()> {
        let s = self.config.scale() as f64;
        let r = self.config.r;
        for (&(layer, m), pair) in &self.weights {
            let name = format!("h.{layer}.{}.weight", m.path());
            let w = ck
                .tensors
                .get_mut(&name)
                .ok_or_else(|| Error::model(format!("the model has no '{name}' to merge into")))?;
            let (fan_in, out) = (w.shape[0], w.shape[1]);
            if pair.a.len() != r * fan_in || pair.b.len() != out * r {
                return Err(Error::model(format!(
                    "adapter for '{name}' does not fit its shape {:?}",
                    w.shape
                )));
            }
            for i in 0..fan_in {
                for o in 0..out {
                    let delta: f64 =
                        (0..r).map(|j| pair.b[o * r + j] as f64 * pair.a[j * fan_in + i] as f64).sum();
                    w.data[i * out + o] = (w.data[i * out + o] as f64 + s * delta) as f32;
                }
            }
        }
        Ok(())
    }

    /// Trainable parameters: Σ r·(in + out) over targets.
    pub fn num_parameters(&self) -> usize {
        self.weights.values().map(|p| p.a.len() + p.b.len()).sum()
    }

    /// Put the adapter on the GPU for `cfg`'s model (its targets checked against it).
    pub async fn upload(&self, gpu: &Gpu, cfg: &Gpt2Config) -> Result<GpuLora> {
        self.config.targets(cfg)?;
        let r = self.config.r;
        let mut modules = BTreeMap::new();
        for (&(layer, m), pair) in &self.weights {
            let (fan_in, out) = m.dims(cfg);
            let label = |ab: &str| format!("h.{layer}.{}.lora_{ab}", m.path());
            let a = Tensor::from_slice(gpu, &label("A"), &[r, fan_in], DType::F32, &pair.a).await?;
            let b = Tensor::from_slice(gpu, &label("B"), &[out, r], DType::F32, &pair.b).await?;
            modules.insert((layer, m), LoraWeights { a, b });
        }
        Ok(GpuLora::new(r, self.config.scale(), self.config.dropout, modules))
    }

    /// Read an adapter back from the GPU, with `config` (the one it was made from).
    pub async fn download(gpu: &Gpu, lora: &GpuLora, config: &LoraConfig) -> Result<Adapter> {
        let mut weights = BTreeMap::new();
        for (&key, w) in &lora.modules {
            weights.insert(key, LoraPair { a: w.a.to_vec_f32(gpu).await?, b: w.b.to_vec_f32(gpu).await? });
        }
        Ok(Adapter { config: config.clone(), weights })
    }
}
