//! GPT-2's hyper-parameters: read from a Hugging Face config.json, or one of the published
//! presets. Only what changes the computation is kept; fields that GPT-2 checkpoints carry for
//! other heads (summary_*) are ignored, and settings we do not implement are refused by name.

use serde_json::Value;

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq)]
pub struct Gpt2Config {
    pub n_layer: usize,
    pub n_embd: usize,
    pub n_head: usize,
    pub n_positions: usize,
    pub vocab_size: usize,
    /// MLP width (n_inner, or 4 · n_embd when null).
    pub n_inner: usize,
    pub layer_norm_epsilon: f32,
    pub resid_pdrop: f32,
    pub embd_pdrop: f32,
    pub attn_pdrop: f32,
    /// Divide attention scores by √(head size) (GPT-2: true).
    pub scale_attn_weights: bool,
    /// Also divide them by (layer index + 1).
    pub scale_attn_by_inverse_layer_idx: bool,
    /// The end-of-text token generation stops at (GPT-2: 50256); None when config.json says null.
    pub eos_token_id: Option<u32>,
}

impl Gpt2Config {
    /// The sizes nn/ plans a pass's buffers from: B sequences of T tokens, LoRA rank r.
    pub fn sizes(&self, b: usize, t: usize, r: usize) -> crate::nn::Sizes {
        crate::nn::Sizes { b, t, c: self.n_embd, f: self.n_inner, nh: self.n_head, r }
    }

    pub fn head_size(&self) -> usize {
        self.n_embd / self.n_head
    }

    /// The published GPT-2 sizes.
    pub fn preset(name: &str) -> Option<Gpt2Config> {
        let (n_layer, n_embd, n_head) = match name {
            "gpt2" => (12, 768, 12),
            "gpt2-medium" => (24, 1024, 16),
            "gpt2-large" => (36, 1280, 20),
            "gpt2-xl" => (48, 1600, 25),
            "distilgpt2" => (6, 768, 12),
            _ => return None,
        };
        Some(Gpt2Config {
            n_layer,
            n_embd,
            n_head,
            n_positions: 1024,
            vocab_size: 50257,
            n_inner: 4 * n_embd,
            layer_norm_epsilon: 1e-5,
            resid_pdrop: 0.1,
            embd_pdrop: 0.1,
            attn_pdrop: 0.1,
            scale_attn_weights: true,
            scale_attn_by_inverse_layer_idx: false,
            eos_token_id: Some(50256),
        })
    }

    pub const PRESETS: [&'static str; 5] = ["gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl", "distilgpt2"];

    /// The largest value [`Gpt2Config::from_json`] accepts for each size field.
    pub const MAX_SIZES: [(&'static str, u64); 6] = [
        ("n_layer", 1024),
        ("n_embd", 1 << 14),
        ("n_head", 1 << 10),
        ("n_positions", 1 << 16),
        ("vocab_size", 1 << 20),
        ("n_inner", 1 << 16),
    ];

    /// Parse a Hugging Face GPT-2 config.json.
    pub fn from_json(text: &str) -> Result<Gpt2Config> {
        let v: Value = serde_json::from_str(text)
            .map_err(|e| Error::model(format!("config.json is not valid JSON: {e}")))?;
        let obj = v.as_object().ok_or_else(|| Error::model("config.json is not a JSON object"))?;
        if let Some(t) = obj.get("model_type").and_then(Value::as_str) {
            if t != "gpt2" {
                return Err(Error::model(format!("config.json: model_type is \"{t}\", not \"gpt2\"")));
            }
        }
        // A checkpoint saved already quantized (bitsandbytes' uint8 codes and absmax tensors) is
        // not read: webtune quantizes an f32/f16/bf16 base at load instead, and merging must go
        // into the unquantized base (as PEFT advises: merging into 4-bit weights rounds the delta).
        if let Some(q) = obj.get("quantization_config").and_then(Value::as_object) {
            let method = q.get("quant_method").and_then(Value::as_str).unwrap_or("an unknown method");
            return Err(Error::model(format!(
                "config.json: this checkpoint is saved quantized (quant_method {method}); webtune reads                  f32, f16 or bf16 weights and quantizes them itself at load (--weights nf4|fp4, as                  bitsandbytes does). Use the unquantized base model; to merge an adapter trained on a                  4-bit base, merge it into that f16/f32 base"
            )));
        }
        // Sizes are bounded far above any GPT-2 (gpt2-xl: 48 layers, width 1600, 1024 positions,
        // 50257 tokens), so that no size derived from them (buffer plans, parameter counts) can
        // overflow or ask for an allocation the file does not justify.
        let uint = |key: &str, default: Option<usize>| -> Result<usize> {
            let max = Self::MAX_SIZES.iter().find(|(k, _)| *k == key).map_or(u32::MAX as u64, |&(_, m)| m);
            match obj.get(key) {
                Some(Value::Number(n)) => {
                    let n = n.as_u64().filter(|&n| n > 0).ok_or_else(|| {
                        Error::model(format!("config.json: {key} = {n} is not a positive integer"))
                    })?;
                    if n > max {
                        return Err(Error::model(format!(
                            "config.json: {key} = {n} is above the largest webtune accepts ({max})"
                        )));
                    }
                    Ok(n as usize)
                }
                None | Some(Value::Null) => {
                    default.ok_or_else(|| Error::model(format!("config.json: {key} is missing")))
                }
                Some(other) => {
                    Err(Error::model(format!("config.json: {key} = {other} is not a positive integer")))
                }
            }
        };
        let float = |key: &str, default: f64, min: f64, max: f64| -> Result<f32> {
            match obj.get(key) {
                None | Some(Value::Null) => Ok(default as f32),
                Some(Value::Number(n)) => match n.as_f64() {
                    Some(x) if (min..=max).contains(&x) => Ok(x as f32),
                    _ => Err(Error::model(format!("config.json: {key} = {n} is outside [{min}, {max}]"))),
                },
                Some(other) => Err(Error::model(format!("config.json: {key} = {other} is not a number"))),
            }
        };
        let flag = |key: &str, default: bool| -> Result<bool> {
            match obj.get(key) {
                None | Some(Value::Null) => Ok(default),
                Some(Value::Bool(b)) => Ok(*b),
                Some(other) => {
                    Err(Error::model(format!("config.json: {key} = {other} is not true or false")))
                }
            }
        };

        let n_embd = uint("n_embd", None)?;
        let n_head = uint("n_head", None)?;
        if n_embd % n_head != 0 {
            return Err(Error::model(format!(
                "config.json: n_embd = {n_embd} is not a multiple of n_head = {n_head}"
            )));
        }
        let activation = obj.get("activation_function").and_then(Value::as_str).unwrap_or("gelu_new");
        if !matches!(activation, "gelu_new" | "gelu_pytorch_tanh") {
            return Err(Error::model(format!(
                "config.json: activation_function \"{activation}\" is not supported (GPT-2 uses gelu_new)"
            )));
        }
        if flag("add_cross_attention", false)? {
            return Err(Error::model("config.json: add_cross_attention is not supported"));
        }
        let cfg = Gpt2Config {
            n_layer: uint("n_layer", None)?,
            n_embd,
            n_head,
            n_positions: uint("n_positions", Some(1024))?,
            vocab_size: uint("vocab_size", None)?,
            n_inner: uint("n_inner", Some(4 * n_embd))?,
            layer_norm_epsilon: float("layer_norm_epsilon", 1e-5, 1e-12, 1e-1)?,
            resid_pdrop: float("resid_pdrop", 0.1, 0.0, 0.99)?,
            embd_pdrop: float("embd_pdrop", 0.1, 0.0, 0.99)?,
            attn_pdrop: float("attn_pdrop", 0.1, 0.0, 0.99)?,
            scale_attn_weights: flag("scale_attn_weights", true)?,
            scale_attn_by_inverse_layer_idx: flag("scale_attn_by_inverse_layer_idx", false)?,
            eos_token_id: match obj.get("eos_token_id") {
                None => Some(50256),
                Some(Value::Null) => None,
                Some(Value::Number(n)) => {
                    Some(n.as_u64().and_then(|n| u32::try_from(n).ok()).ok_or_else(|| {
                        Error::model(format!("config.json: eos_token_id = {n} is not a token id"))
                    })?)
                }
                Some(other) => {
                    return Err(Error::model(format!(
                        "config.json: eos_token_id = {other} is not a token id"
                    )))
                }
            },
        };
        Ok(cfg)
    }

    /// A config.json that transformers' GPT2Config reads and [`Gpt2Config::from_json`] reads
    /// back as this config (the offline demo's model, the page's preset estimates).
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "model_type": "gpt2",
            "architectures": ["GPT2LMHeadModel"],
            "activation_function": "gelu_new",
            "n_layer": self.n_layer,
            "n_embd": self.n_embd,
            "n_head": self.n_head,
            "n_positions": self.n_positions,
            "n_inner": self.n_inner,
            "vocab_size": self.vocab_size,
            "layer_norm_epsilon": self.layer_norm_epsilon,
            "resid_pdrop": self.resid_pdrop,
            "embd_pdrop": self.embd_pdrop,
            "attn_pdrop": self.attn_pdrop,
            "scale_attn_weights": self.scale_attn_weights,
            "scale_attn_by_inverse_layer_idx": self.scale_attn_by_inverse_layer_idx,
            "bos_token_id": self.eos_token_id,
            "eos_token_id": self.eos_token_id,
        })
        .to_string()
    }

    /// The attention score scale of layer `layer`, as transformers' GPT2Attention computes it.
    pub fn attn_scale(&self, layer: usize) -> f32 {
        let mut s = 1.0f64;
        if self.scale_attn_weights {
            s /= (self.head_size() as f64).sqrt();
        }
        if self.scale_attn_by_inverse_layer_idx {
            s /= (layer + 1) as f64;
        }
        s as f32
    }

    /// Parameters of the model (tied lm_head counted once), as PEFT counts them.
    /// (u64: at config.json's largest sizes the count passes 2^32, a wasm32 usize.)
    pub fn num_parameters(&self) -> u64 {
        let (c, f) = (self.n_embd as u64, self.n_inner as u64);
        let per_layer = 2 * c + (c * 3 * c + 3 * c) + (c * c + c) + 2 * c + (c * f + f) + (f * c + c);
        self.vocab_size as u64 * c + self.n_positions as u64 * c + self.n_layer as u64 * per_layer + 2 * c
    }
}

/// The config.json of a merged model: the base's, saying float32, since merged weights are
/// written in f32 and transformers would otherwise load them in the base's dtype (e.g. float16).
pub fn merged_config_json(base: &str) -> Result<String> {
    let mut config: Value =
        serde_json::from_str(base).map_err(|e| Error::model(format!("config.json: {e}")))?;
    for key in ["dtype", "torch_dtype"] {
        if let Some(v) = config.get_mut(key) {
            *v = Value::String("float32".into());
        }
    }
    Ok(serde_json::to_string_pretty(&config).expect("a parsed value serialises") + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_json_reads_back_as_the_same_config() {
        for name in Gpt2Config::PRESETS {
            let c = Gpt2Config::preset(name).unwrap();
            assert_eq!(Gpt2Config::from_json(&c.to_json()).unwrap(), c, "{name}");
        }
        let odd = Gpt2Config {
            eos_token_id: None,
            scale_attn_by_inverse_layer_idx: true,
            n_inner: 7,
            ..Gpt2Config::preset("gpt2").unwrap()
        };
        assert_eq!(Gpt2Config::from_json(&odd.to_json()).unwrap(), odd);
    }
}
