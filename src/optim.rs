//! Optimizers on the GPU (shaders/optim.wgsl) for LoRA's parameters, with global gradient-norm
//! clipping as torch.nn.utils.clip_grad_norm_, and the learning-rate schedules of transformers'
//! get_scheduler.

use crate::error::{Error, Result};
use crate::gpu::{DType, Gpu, Tensor};
use crate::kernels::optim::{encode_optim_step, UpdateRule, UpdateStep};
use crate::model::{GpuLora, LoraGrads};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OptimizerKind {
    /// torch.optim.AdamW.
    AdamW { beta1: f32, beta2: f32, eps: f32 },
    /// torch.optim.SGD without momentum.
    Sgd,
}

impl OptimizerKind {
    pub fn adamw() -> OptimizerKind {
        OptimizerKind::AdamW { beta1: 0.9, beta2: 0.999, eps: 1e-8 }
    }
}

/// The optimizer a run asks for by name (`--optimizer`, the page's setting); TrainSettings gives
/// its hyper-parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(not(target_arch = "wasm32"), derive(clap::ValueEnum))]
pub enum OptimizerName {
    Adamw,
    Sgd,
}

/// Optimizer state on the GPU: AdamW's moments per LoRA tensor, the step count, and the
/// per-tensor squared gradient norms of the last step.
pub struct Optimizer {
    pub kind: OptimizerKind,
    pub weight_decay: f32,
    /// Clip the global gradient norm to this (0: off).
    pub max_norm: f32,
    /// Optimizer steps taken.
    pub step: u64,
    /// (m, v) for each LoRA tensor, in the order of [`Optimizer::params`].
    pub moments: Vec<(Tensor, Tensor)>,
    pub norms: Tensor,
}

/// (parameter, gradient) pairs in a fixed order: each module's A, then B.
pub fn params<'a>(lora: &'a GpuLora, grads: &'a LoraGrads) -> Vec<(&'a Tensor, &'a Tensor)> {
    let mut out = Vec::new();
    for (key, w) in &lora.modules {
        let g = &grads.tensors[key];
        out.push((&w.a, &g.a));
        out.push((&w.b, &g.b));
    }
    out
}

impl Optimizer {
    /// GPU memory of the moments and the norm scratch.
    pub fn bytes(&self) -> u64 {
        self.moments.iter().map(|(m, v)| m.bytes() + v.bytes()).sum::<u64>() + self.norms.bytes()
    }

    pub async fn new(
        gpu: &Gpu,
        lora: &GpuLora,
        kind: OptimizerKind,
        weight_decay: f32,
        max_norm: f32,
    ) -> Result<Optimizer> {
        let mut moments = Vec::new();
        for w in lora.modules.values() {
            for t in [&w.a, &w.b] {
                let m = Tensor::zeros(gpu, &format!("{}.exp_avg", t.label), &t.shape, DType::F32).await?;
                let v = Tensor::zeros(gpu, &format!("{}.exp_avg_sq", t.label), &t.shape, DType::F32).await?;
                moments.push((m, v));
            }
        }
        // Per tensor: its squared gradient norm, and its count of non-finite updated values.
        let norms = Tensor::zeros(gpu, "grad sumsq", &[2 * moments.len().max(1)], DType::F32).await?;
        Ok(Optimizer { kind, weight_decay, max_norm, step: 0, moments, norms })
    }

    /// Record one optimizer step at learning rate `lr` into `pass`: squared norms, then the
    /// clipped update of every LoRA tensor. Call [`Optimizer::grad_norm`] after to check it.
    pub fn encode_step(
        &mut self,
        gpu: &Gpu,
        pass: &mut wgpu::ComputePass<'_>,
        lora: &GpuLora,
        grads: &LoraGrads,
        lr: f32,
    ) -> Result<()> {
        let params = params(lora, grads);
        if params.len() != self.moments.len() {
            return Err(Error::data("optimizer state does not match the adapter"));
        }
        self.step += 1;
        let rule = match self.kind {
            OptimizerKind::AdamW { beta1, beta2, eps } => {
                UpdateRule::AdamW { beta1, beta2, eps, step: self.step }
            }
            OptimizerKind::Sgd => UpdateRule::Sgd,
        };
        let step = UpdateStep { rule, lr, weight_decay: self.weight_decay, max_norm: self.max_norm };
        encode_optim_step(gpu, pass, &params, &self.moments, &self.norms, step)?;
        Ok(())
    }

    /// The last step's global gradient norm (before clipping), read back.
    pub async fn grad_norm(&self, gpu: &Gpu) -> Result<f64> {
        Ok(self.last_step(gpu).await?.grad_norm)
    }

    /// How the last step went, read back: its global gradient norm (before clipping) and how
    /// many updated values would not have been finite. The adapter was updated only when the
    /// norm is finite and the count is 0.
    pub async fn last_step(&self, gpu: &Gpu) -> Result<StepCheck> {
        let slots = self.norms.to_vec_f32(gpu).await?;
        let (sumsq, counts) = slots.split_at(slots.len() / 2);
        Ok(StepCheck {
            grad_norm: sumsq.iter().map(|&s| s as f64).sum::<f64>().sqrt(),
            non_finite_updates: counts.iter().map(|&c| c as f64).sum::<f64>() as u64,
        })
    }
}

/// What [`Optimizer::last_step`] reads back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepCheck {
    pub grad_norm: f64,
    /// Updated values that would not have been finite (a learning rate that overflows).
    pub non_finite_updates: u64,
}

/// Learning-rate schedules as transformers' get_scheduler defines them: the multiplier of the
/// base rate at optimizer step `step` (0-based; the first step uses step 0, so with warmup it
/// runs at lr 0, exactly as the Trainer does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(not(target_arch = "wasm32"), derive(clap::ValueEnum))]
pub enum Schedule {
    /// get_constant_schedule_with_warmup (constant after warmup; no warmup = "constant").
    Constant,
    Linear,
    Cosine,
}

impl Schedule {
    pub fn factor(self, step: u64, warmup: u64, total: u64) -> f64 {
        let (s, w, t) = (step as f64, warmup as f64, total as f64);
        if step < warmup {
            return s / w.max(1.0);
        }
        match self {
            Schedule::Constant => 1.0,
            Schedule::Linear => ((t - s) / (t - w).max(1.0)).max(0.0),
            Schedule::Cosine => {
                let progress = (s - w) / (t - w).max(1.0);
                (0.5 * (1.0 + (std::f64::consts::PI * progress).cos())).max(0.0)
            }
        }
    }
}

/// Warmup steps for `--warmup-ratio`, as transformers' TrainingArguments.get_warmup_steps.
pub fn warmup_steps(ratio: f64, total: u64) -> u64 {
    (ratio * total as f64).ceil() as u64
}

impl Optimizer {
    /// The moments as host tensors named `{param}.exp_avg` / `.exp_avg_sq`, for checkpoints.
    pub async fn state(&self, gpu: &Gpu) -> Result<Vec<(String, Vec<usize>, Vec<f32>)>> {
        let mut out = Vec::new();
        for (m, v) in &self.moments {
            out.push((m.label.clone(), m.shape.clone(), m.to_vec_f32(gpu).await?));
            out.push((v.label.clone(), v.shape.clone(), v.to_vec_f32(gpu).await?));
        }
        Ok(out)
    }

    /// Restore moments saved by [`Optimizer::state`] (found by name) and the step count.
    pub fn load_state(
        &mut self,
        gpu: &Gpu,
        step: u64,
        tensors: &[(String, Vec<usize>, Vec<f32>)],
    ) -> Result<()> {
        for (m, v) in &self.moments {
            for t in [m, v] {
                let (_, shape, data) = tensors
                    .iter()
                    .find(|(n, _, _)| *n == t.label)
                    .ok_or_else(|| Error::data(format!("the training state has no '{}'", t.label)))?;
                if *shape != t.shape {
                    return Err(Error::data(format!(
                        "the training state's '{}' has shape {shape:?}, not {:?}",
                        t.label, t.shape
                    )));
                }
                t.write(gpu, data)?;
            }
        }
        self.step = step;
        Ok(())
    }
}
