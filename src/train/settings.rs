//! Training settings as a person gives them: `webtune train`'s flags (clap, natively) and the
//! page's form (serde), one type for both, with the tutorial's defaults in one place (lr 3e-4,
//! cosine, 5% warmup, 3 epochs, batch 4, length 128), checked against the model in one place.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{Length, TrainConfig, Warmup};
use crate::data::Packing;
use crate::error::{Error, Result};
use crate::model::{Gpt2Config, ModelDropout};
use crate::optim::{OptimizerKind, OptimizerName, Schedule};

/// The largest batch and gradient accumulation accepted.
pub const MAX_BATCH: usize = 4096;

/// The model's own dropout in training: config.json's pdrops, or one probability for all three.
/// Written `config` or a number on the command line, null or a number in the page's JSON.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(from = "Option<f32>", into = "Option<f32>")]
pub enum ModelDropoutSetting {
    #[default]
    Config,
    All(f32),
}

impl From<Option<f32>> for ModelDropoutSetting {
    fn from(p: Option<f32>) -> Self {
        p.map_or(ModelDropoutSetting::Config, ModelDropoutSetting::All)
    }
}

impl From<ModelDropoutSetting> for Option<f32> {
    fn from(s: ModelDropoutSetting) -> Self {
        match s {
            ModelDropoutSetting::Config => None,
            ModelDropoutSetting::All(p) => Some(p),
        }
    }
}

impl FromStr for ModelDropoutSetting {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "config" => Ok(ModelDropoutSetting::Config),
            p => p
                .parse()
                .map(ModelDropoutSetting::All)
                .map_err(|_| format!("'{p}' is neither \"config\" nor a probability in [0, 1)")),
        }
    }
}

impl fmt::Display for ModelDropoutSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelDropoutSetting::Config => f.write_str("config"),
            ModelDropoutSetting::All(p) => write!(f, "{p}"),
        }
    }
}

/// Everything about a run but its data and files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(not(target_arch = "wasm32"), derive(clap::Args))]
pub struct TrainSettings {
    /// torch.optim.AdamW (betas 0.9, 0.999, eps 1e-8) or SGD without momentum
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, value_enum, default_value_t = TrainSettings::default().optimizer))]
    pub optimizer: OptimizerName,
    /// Peak learning rate
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, default_value_t = TrainSettings::default().lr))]
    pub lr: f32,
    /// AdamW's β1, β2 and ε (transformers' adam_beta1, adam_beta2, adam_epsilon)
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, default_value_t = TrainSettings::default().adam_beta1))]
    pub adam_beta1: f32,
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, default_value_t = TrainSettings::default().adam_beta2))]
    pub adam_beta2: f32,
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, default_value_t = TrainSettings::default().adam_epsilon))]
    pub adam_epsilon: f32,
    /// Decoupled weight decay (AdamW) or L2 (SGD)
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, default_value_t = TrainSettings::default().weight_decay))]
    pub weight_decay: f32,
    /// Clip the global gradient norm to this (0 = off)
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, default_value_t = TrainSettings::default().clip))]
    pub clip: f32,
    /// Learning-rate schedule after warmup, as transformers' get_scheduler
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, value_enum, default_value_t = TrainSettings::default().schedule))]
    pub schedule: Schedule,
    /// Warmup steps (instead of --warmup-ratio)
    #[cfg_attr(not(target_arch = "wasm32"), arg(long = "warmup", conflicts_with = "warmup_ratio"))]
    pub warmup_steps: Option<u64>,
    /// Warmup as a fraction of all steps, rounded up
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, default_value_t = TrainSettings::default().warmup_ratio))]
    pub warmup_ratio: f64,
    /// Passes over the data
    #[cfg_attr(
        not(target_arch = "wasm32"),
        arg(long, default_value_t = TrainSettings::default().epochs, conflicts_with = "steps")
    )]
    pub epochs: u64,
    /// Optimizer steps (instead of --epochs)
    #[cfg_attr(not(target_arch = "wasm32"), arg(long))]
    pub steps: Option<u64>,
    /// Blocks per micro-batch
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, default_value_t = TrainSettings::default().batch))]
    pub batch: usize,
    /// Tokens per block
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, default_value_t = TrainSettings::default().seq_len))]
    pub seq_len: usize,
    /// Micro-batches per optimizer step
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, default_value_t = TrainSettings::default().grad_accum))]
    pub grad_accum: usize,
    /// One example per line (or record), padded with EOS, instead of packing the stream
    #[cfg_attr(
        not(target_arch = "wasm32"),
        arg(long = "lines", action = clap::ArgAction::SetTrue,
            value_parser = clap::builder::TypedValueParser::map(clap::builder::BoolValueParser::new(), Packing::lines_if))
    )]
    pub packing: Packing,
    /// Keep file order instead of shuffling each epoch with the seed (the flag sets shuffle off)
    #[cfg_attr(not(target_arch = "wasm32"), arg(long = "no-shuffle", action = clap::ArgAction::SetFalse))]
    pub shuffle: bool,
    /// Seeds the adapter's init, the shuffle and the dropout masks
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, default_value_t = TrainSettings::default().seed))]
    pub seed: u64,
    /// The model's own dropout in training (embd, attn, resid): "config" (config.json's pdrops) or a probability for all three
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, default_value_t = TrainSettings::default().model_dropout))]
    pub model_dropout: ModelDropoutSetting,
    /// Evaluate the held-out data every this many steps (0 = only at the end)
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, default_value_t = TrainSettings::default().eval_every))]
    pub eval_every: u64,
    /// Gradient checkpointing (as transformers' gradient_checkpointing_enable): keep each block's output only and recompute the rest in the backward pass; less memory, a forward pass more per step
    #[cfg_attr(not(target_arch = "wasm32"), arg(long))]
    pub recompute: bool,
}

impl Default for TrainSettings {
    /// The Hugging Face LoRA tutorial's values.
    fn default() -> Self {
        TrainSettings {
            optimizer: OptimizerName::Adamw,
            adam_beta1: 0.9,
            adam_beta2: 0.999,
            adam_epsilon: 1e-8,
            lr: 3e-4,
            weight_decay: 0.0,
            clip: 1.0,
            schedule: Schedule::Cosine,
            warmup_steps: None,
            warmup_ratio: 0.05,
            epochs: 3,
            steps: None,
            batch: 4,
            seq_len: 128,
            grad_accum: 1,
            packing: Packing::Pack,
            shuffle: true,
            seed: 0,
            model_dropout: ModelDropoutSetting::Config,
            eval_every: 0,
            recompute: false,
        }
    }
}

impl TrainSettings {
    /// Check the settings against a model of `model` and give the training loop's config.
    pub fn to_config(&self, model: &Gpt2Config) -> Result<TrainConfig> {
        let bad = |m: String| Err(Error::data(m));
        if !(self.lr.is_finite() && self.lr > 0.0) {
            return bad(format!("learning rate {} is not a number > 0", self.lr));
        }
        for (what, beta) in [("adam_beta1", self.adam_beta1), ("adam_beta2", self.adam_beta2)] {
            if !(0.0..1.0).contains(&beta) {
                return bad(format!("{what} {beta} is outside [0, 1)"));
            }
        }
        if !(self.adam_epsilon.is_finite() && self.adam_epsilon > 0.0) {
            return bad(format!("adam_epsilon {} is not a number > 0", self.adam_epsilon));
        }
        if !(self.weight_decay.is_finite() && self.weight_decay >= 0.0) {
            return bad(format!("weight decay {} is not a number >= 0", self.weight_decay));
        }
        if !(self.clip.is_finite() && self.clip >= 0.0) {
            return bad(format!("gradient clip {} is not a number >= 0 (0 turns it off)", self.clip));
        }
        if !(0.0..=1.0).contains(&self.warmup_ratio) {
            return bad(format!("warmup ratio {} is outside [0, 1]", self.warmup_ratio));
        }
        if !(2..=model.n_positions).contains(&self.seq_len) {
            return bad(format!(
                "sequence length {} must be within 2 ..= {} (the model's n_positions)",
                self.seq_len, model.n_positions
            ));
        }
        for (what, n) in [("batch", self.batch), ("gradient accumulation", self.grad_accum)] {
            if !(1..=MAX_BATCH).contains(&n) {
                return bad(format!("{what} {n} is outside 1 ..= {MAX_BATCH}"));
            }
        }
        if let ModelDropoutSetting::All(p) = self.model_dropout {
            if !(0.0..1.0).contains(&p) {
                return bad(format!("model dropout {p} is not a probability in [0, 1)"));
            }
        }
        Ok(self.config())
    }

    /// The config these settings give, unchecked.
    pub(super) fn config(&self) -> TrainConfig {
        TrainConfig {
            optimizer: match self.optimizer {
                OptimizerName::Adamw => OptimizerKind::AdamW {
                    beta1: self.adam_beta1,
                    beta2: self.adam_beta2,
                    eps: self.adam_epsilon,
                },
                OptimizerName::Sgd => OptimizerKind::Sgd,
            },
            lr: self.lr,
            weight_decay: self.weight_decay,
            clip: self.clip,
            schedule: self.schedule,
            warmup: self.warmup_steps.map_or(Warmup::Ratio(self.warmup_ratio), Warmup::Steps),
            length: self.steps.map_or(Length::Epochs(self.epochs), Length::Steps),
            batch: self.batch,
            grad_accum: self.grad_accum,
            shuffle: self.shuffle,
            seed: self.seed,
            eval_every: self.eval_every,
            recompute: self.recompute,
            model_dropout: match self.model_dropout {
                ModelDropoutSetting::Config => None,
                ModelDropoutSetting::All(p) => Some(ModelDropout::all(p)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adam_hyper_parameters_reach_the_optimizer_and_are_checked() {
        let gpt2 = Gpt2Config::preset("gpt2").unwrap();
        let d = TrainSettings::default().to_config(&gpt2).unwrap();
        assert_eq!(d.optimizer, OptimizerKind::adamw(), "torch's defaults");
        let s: TrainSettings = serde_json::from_str(r#"{"adam_beta2": 0.95, "adam_epsilon": 1e-6}"#).unwrap();
        let want = OptimizerKind::AdamW { beta1: 0.9, beta2: 0.95, eps: 1e-6 };
        assert_eq!(s.to_config(&gpt2).unwrap().optimizer, want);
        let bad = TrainSettings { adam_beta1: 1.0, ..TrainSettings::default() };
        assert!(bad.to_config(&gpt2).unwrap_err().to_string().contains("adam_beta1"));
        let bad = TrainSettings { adam_epsilon: 0.0, ..TrainSettings::default() };
        assert!(bad.to_config(&gpt2).is_err());
    }
}
