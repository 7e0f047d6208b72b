//! The training loop, as the transformers Trainer runs it for LoRA: micro-batches with gradient
//! accumulation, global-norm clipping, AdamW or SGD, a warmup + decay schedule, periodic
//! evaluation and checkpoints, and resumption. One optimizer step is recorded as one forward +
//! backward submission per micro-batch and one optimizer submission; only losses and norms
//! come back.

use std::time::Duration;

#[cfg(not(target_arch = "wasm32"))]
mod checkpoint;
#[cfg(not(target_arch = "wasm32"))]
pub use checkpoint::{
    load_checkpoint, load_trainer_state, load_training_state, save_checkpoint, save_trainer_state,
    NamedTensors, OutLock, TRAINING_STATE,
};
mod log;
pub use log::{LogEntry, LogPlan, TrainerState, TRAINER_STATE};
mod settings;
pub use settings::{ModelDropoutSetting, TrainSettings, MAX_BATCH};

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::gpu::Gpu;
use crate::model::{Batch, Gpt2, GpuLora, LoraGrads, LossSum, ModelDropout, Pass, TrainBuffers};
use crate::optim::{Optimizer, OptimizerKind, Schedule};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Length {
    Epochs(u64),
    Steps(u64),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Warmup {
    Steps(u64),
    Ratio(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    pub optimizer: OptimizerKind,
    pub lr: f32,
    pub weight_decay: f32,
    /// Global gradient-norm clip (0: off).
    pub clip: f32,
    pub schedule: Schedule,
    pub warmup: Warmup,
    pub length: Length,
    pub batch: usize,
    pub grad_accum: usize,
    pub shuffle: bool,
    pub seed: u64,
    /// Evaluate on the held-out set every this many steps (0: only at the end).
    pub eval_every: u64,
    /// The model's own dropout in training steps; None: config.json's pdrops.
    pub model_dropout: Option<ModelDropout>,
    /// Gradient checkpointing: each block's activations recomputed in the backward pass.
    pub recompute: bool,
}

impl Default for TrainConfig {
    /// The Hugging Face LoRA tutorial's values ([`TrainSettings`]' defaults).
    fn default() -> Self {
        TrainSettings::default().config()
    }
}

/// What the loop reports as it goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Step(StepReport),
    Eval { step: u64, loss: f64 },
}

/// The deterministic plan of a run: which blocks each optimizer step uses.
pub struct Plan {
    pub batches_per_epoch: usize,
    pub steps_per_epoch: u64,
    pub total: u64,
    pub warmup: u64,
}

impl Plan {
    pub fn new(cfg: &TrainConfig, data: &Dataset) -> Result<Plan> {
        if cfg.batch == 0 || cfg.grad_accum == 0 {
            return Err(Error::data("--batch and --grad-accum must be at least 1"));
        }
        let batches_per_epoch = data.len().div_ceil(cfg.batch);
        let steps_per_epoch = batches_per_epoch.div_ceil(cfg.grad_accum) as u64;
        let total = match cfg.length {
            Length::Epochs(e) => e * steps_per_epoch,
            Length::Steps(s) => s,
        };
        if total == 0 {
            return Err(Error::data("the run has no optimizer step (--epochs or --steps is 0)"));
        }
        let warmup = match cfg.warmup {
            Warmup::Steps(w) => w,
            Warmup::Ratio(r) => crate::optim::warmup_steps(r, total),
        };
        Ok(Plan { batches_per_epoch, steps_per_epoch, total, warmup })
    }

    /// The micro-batches (block indices) of optimizer step `step` (0-based). Epochs repeat
    /// when --steps runs past the data.
    pub fn micro_batches(&self, cfg: &TrainConfig, data: &Dataset, step: u64) -> Vec<Vec<usize>> {
        let epoch = step / self.steps_per_epoch;
        let j = (step % self.steps_per_epoch) as usize;
        let batches = data.batches(epoch, cfg.shuffle, cfg.seed, cfg.batch);
        let lo = j * cfg.grad_accum;
        let hi = (lo + cfg.grad_accum).min(batches.len());
        batches[lo..hi].to_vec()
    }
}

/// One optimizer step's outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepReport {
    /// Optimizer steps done, this one included.
    pub step: u64,
    pub total: u64,
    pub loss: LossSum,
    pub lr: f64,
    /// The global gradient norm before clipping.
    pub grad_norm: f64,
    /// Tokens seen so far, and time spent in steps so far (pauses between steps not counted).
    pub tokens: usize,
    pub elapsed: Duration,
}

/// A training run taken one optimizer step at a time, so that a caller can pause, evaluate,
/// generate or stop between steps (the web page) or loop to the end ([`train`], the CLI).
pub struct Trainer {
    pub cfg: TrainConfig,
    pub plan: Plan,
    /// Activations and activation gradients per batch size (the last batch of an epoch may be
    /// smaller); LoRA gradients are shared, so micro-batches of any shape accumulate into them.
    bufs: Vec<(usize, TrainBuffers)>,
    lora_grads: LoraGrads,
    tokens: usize,
    elapsed: Duration,
}

impl Trainer {
    /// Plan a run that trains `lora` on `data`.
    pub async fn new(gpu: &Gpu, lora: &GpuLora, cfg: &TrainConfig, data: &Dataset) -> Result<Trainer> {
        let plan = Plan::new(cfg, data)?;
        let lora_grads = LoraGrads::new(gpu, lora).await?;
        Ok(Trainer {
            cfg: cfg.clone(),
            plan,
            bufs: Vec::new(),
            lora_grads,
            tokens: 0,
            elapsed: Duration::ZERO,
        })
    }

    /// GPU memory of the run's (activations, activation gradients, LoRA gradients), for every
    /// batch shape allocated so far.
    pub fn bytes(&self) -> (u64, u64, u64) {
        let acts = self.bufs.iter().map(|(_, b)| b.bytes().0).sum();
        let grads = self.bufs.iter().map(|(_, b)| b.bytes().1).sum();
        (acts, grads, self.lora_grads.bytes())
    }

    /// Whether `opt` has done every step of the plan.
    pub fn done(&self, opt: &Optimizer) -> bool {
        opt.step >= self.plan.total
    }

    /// Whether the held-out set is due for evaluation after optimizer step `step`.
    pub fn eval_due(&self, step: u64) -> bool {
        (self.cfg.eval_every > 0 && step.is_multiple_of(self.cfg.eval_every)) || step == self.plan.total
    }

    /// Optimizer step `opt.step` + 1 of `lora` on `model`: forward and backward over its
    /// micro-batches, then the update. A non-finite loss or gradient norm is an error, before
    /// the adapter is touched.
    pub async fn step(
        &mut self,
        gpu: &Gpu,
        model: &Gpt2,
        lora: &GpuLora,
        data: &Dataset,
        opt: &mut Optimizer,
    ) -> Result<StepReport> {
        if self.done(opt) {
            return Err(Error::data(format!("the run is complete ({} steps)", self.plan.total)));
        }
        let started = crate::gpu::clock();
        let (cfg, t) = (&self.cfg, data.seq_len);
        let dropout = cfg.model_dropout.unwrap_or_else(|| ModelDropout::from_config(&model.config));
        let step = opt.step;
        let micro = self.plan.micro_batches(cfg, data, step);
        let mut loss = LossSum::default();
        for (i, blocks) in micro.iter().enumerate() {
            let b = blocks.len();
            if !self.bufs.iter().any(|(bb, _)| *bb == b) {
                let bufs = TrainBuffers::new(gpu, &model.config, b, t, lora.r, cfg.recompute).await?;
                // Times the matmul candidates for these shapes once per adapter (cached).
                model.tune(gpu, &bufs.acts).await?;
                self.bufs.push((b, bufs));
            }
            let (_, bufs) = self.bufs.iter().find(|(bb, _)| *bb == b).expect("allocated above");
            if i == 0 {
                self.lora_grads.zero(gpu)?;
            }
            let ids: Vec<u32> = blocks.iter().flat_map(|&k| data.ids[k].iter().copied()).collect();
            let labels: Vec<i32> = blocks.iter().flat_map(|&k| data.labels[k].iter().copied()).collect();
            let batch = Batch { ids: &ids, labels: &labels, dloss_scale: 1.0 / micro.len() as f32 };
            let pass = Pass::Train { seed: mask_seed(cfg.seed, step, i), dropout };
            let l = model.forward_backward(gpu, bufs, lora, &self.lora_grads, batch, pass).await?;
            if !l.mean().is_finite() {
                return Err(Error::data(format!(
                    "step {}: the loss is not finite ({}); stopped before updating the adapter",
                    step + 1,
                    l.mean()
                )));
            }
            loss.add(l);
            self.tokens += ids.len();
        }
        let lr = cfg.lr as f64 * cfg.schedule.factor(step, self.plan.warmup, self.plan.total);
        let lora_grads = &self.lora_grads;
        gpu.run("optimizer step", |pass| opt.encode_step(gpu, pass, lora, lora_grads, lr as f32))?;
        let check = opt.last_step(gpu).await?;
        let grad_norm = check.grad_norm;
        if !grad_norm.is_finite() {
            return Err(Error::data(format!(
                "step {}: the gradient norm is not finite ({grad_norm}); the adapter was not updated",
                step + 1
            )));
        }
        if check.non_finite_updates > 0 {
            return Err(Error::data(format!(
                "step {}: the update would make {} adapter values non-finite (learning rate {lr:.3e} too large?); \
                 the adapter was not updated",
                step + 1,
                check.non_finite_updates
            )));
        }
        self.elapsed += crate::gpu::clock().saturating_sub(started);
        Ok(StepReport {
            step: opt.step,
            total: self.plan.total,
            loss,
            lr,
            grad_norm,
            tokens: self.tokens,
            elapsed: self.elapsed,
        })
    }
}

/// A whole run, for a caller that loops to the end (the CLI): the model, the adapter it trains,
/// the settings, and the training and held-out data.
pub struct Run<'a> {
    pub gpu: &'a Gpu,
    pub model: &'a Gpt2,
    pub lora: &'a GpuLora,
    pub cfg: &'a TrainConfig,
    pub data: &'a Dataset,
    pub eval: Option<&'a Dataset>,
}

impl Run<'_> {
    /// Train from optimizer step `opt.step` up to the plan's total. `on_event` sees every step
    /// and evaluation; `on_save(opt)` is called whenever `save_every` steps have passed (and not
    /// after a failed step). Returns the last step's loss.
    pub async fn train(
        &self,
        opt: &mut Optimizer,
        save_every: u64,
        mut on_event: impl FnMut(&Event),
        mut on_save: impl FnMut(&Optimizer) -> Result<()>,
    ) -> Result<LossSum> {
        let (gpu, model, lora) = (self.gpu, self.model, self.lora);
        let mut trainer = Trainer::new(gpu, lora, self.cfg, self.data).await?;
        let mut last = LossSum::default();
        while !trainer.done(opt) {
            let r = trainer.step(gpu, model, lora, self.data, opt).await?;
            on_event(&Event::Step(r));
            last = r.loss;
            if let Some(eval) = self.eval.filter(|_| trainer.eval_due(r.step)) {
                let batch = self.cfg.batch;
                let l = crate::eval::evaluate_dataset(gpu, model, Some(lora), eval, batch, |_, _| {}).await?;
                on_event(&Event::Eval { step: r.step, loss: l.mean() });
            }
            if save_every > 0 && r.step.is_multiple_of(save_every) && r.step < r.total {
                on_save(opt)?;
            }
        }
        Ok(last)
    }
}

/// The dropout seed of micro-batch `micro` of optimizer step `step`: a function of the run's
/// seed and position only, so a resumed run draws the same masks as an uninterrupted one.
pub fn mask_seed(seed: u64, step: u64, micro: usize) -> u32 {
    let x =
        seed ^ step.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (micro as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    (x ^ (x >> 32)) as u32
}
