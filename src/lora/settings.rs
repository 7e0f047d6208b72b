//! LoRA's settings as a person gives them: `webtune train`'s flags (clap, natively) and the page's
//! form (serde), one type for both, with the Hugging Face LoRA tutorial's defaults in one place.

use serde::{Deserialize, Serialize};

use super::{LoraConfig, LoraInit};
use crate::error::{Error, Result};
use crate::model::Gpt2Config;

/// The largest rank accepted (PEFT sets none; past this an adapter is no longer low-rank for any
/// GPT-2, and its memory is the user's surprise).
pub const MAX_RANK: usize = 1024;

/// LoraConfig(r=8, lora_alpha=16, lora_dropout=0.05, target_modules=["c_attn"]) by default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(not(target_arch = "wasm32"), derive(clap::Args))]
pub struct LoraSettings {
    /// LoRA rank
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, default_value_t = LoraSettings::default().r))]
    pub r: usize,
    /// lora_alpha (scale = alpha / r, or alpha / √r with --rslora)
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, default_value_t = LoraSettings::default().alpha))]
    pub alpha: f64,
    /// LoRA dropout on the adapter's input (training passes only)
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, default_value_t = LoraSettings::default().dropout))]
    pub dropout: f32,
    /// Target modules, matched as PEFT matches them (c_attn, c_proj, c_fc, attn.c_proj, mlp.c_proj, mlp.c_fc)
    #[cfg_attr(
        not(target_arch = "wasm32"),
        arg(long, value_delimiter = ',', default_values_t = LoraSettings::default().targets)
    )]
    pub targets: Vec<String>,
    /// Scale by alpha / √r (rsLoRA)
    #[cfg_attr(not(target_arch = "wasm32"), arg(long))]
    pub rslora: bool,
    /// Initialisation of A (B starts at zero)
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, value_enum, default_value_t = LoraSettings::default().init))]
    pub init: LoraInit,
    /// Only these layers (comma-separated indices), as PEFT's layers_to_transform
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, value_delimiter = ','))]
    pub layers: Option<Vec<usize>>,
}

impl Default for LoraSettings {
    fn default() -> Self {
        LoraSettings {
            r: 8,
            alpha: 16.0,
            dropout: 0.05,
            targets: vec!["c_attn".into()],
            rslora: false,
            init: LoraInit::Kaiming,
            layers: None,
        }
    }
}

impl LoraSettings {
    /// Check the settings against a model of `model` and give PEFT's config, naming `base` as
    /// the base model.
    pub fn to_config(&self, model: &Gpt2Config, base: &str) -> Result<LoraConfig> {
        if !(1..=MAX_RANK).contains(&self.r) {
            return Err(Error::data(format!(
                "LoRA rank r = {} is outside 1 ..= {MAX_RANK} (the tutorial uses 8)",
                self.r
            )));
        }
        if !self.alpha.is_finite() {
            return Err(Error::data(format!("lora_alpha {} is not a number", self.alpha)));
        }
        if !(0.0..1.0).contains(&self.dropout) {
            return Err(Error::data(format!("LoRA dropout {} is not a probability in [0, 1)", self.dropout)));
        }
        let config = LoraConfig {
            r: self.r,
            alpha: self.alpha,
            dropout: self.dropout,
            target_modules: self.targets.clone(),
            use_rslora: self.rslora,
            init: self.init,
            layers_to_transform: self.layers.clone(),
            base_model_name_or_path: base.to_string(),
            fan_in_fan_out: true,
        };
        config.targets(model)?;
        Ok(config)
    }
}
