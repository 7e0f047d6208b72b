//! The training log as the transformers Trainer keeps it: `trainer_state.json`, whose
//! `log_history` holds one entry per logged step (loss, grad_norm, learning_rate, epoch, step),
//! one per evaluation (eval_loss) and a closing summary (train_loss, train_runtime, ...). Tools
//! that read a Trainer's output folder (TrainerState.load_from_json, notebooks, `webtune plot`)
//! read ours, and `webtune plot` reads theirs.
//!
//! Every field of transformers' TrainerState is written, so that `TrainerState(**json)` accepts
//! the file; fields webtune has no value for keep the Trainer's defaults. Keys are in sorted
//! order, as the Trainer writes them (`json.dumps(..., indent=2, sort_keys=True)`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::StepReport;

/// The file name, as the Trainer names it.
pub const TRAINER_STATE: &str = "trainer_state.json";

/// One entry of `log_history`. Keys webtune does not write (a Trainer's eval_runtime, ...) are
/// kept in `other` when a Trainer's file is read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    #[serde(default)]
    pub epoch: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eval_loss: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grad_norm: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learning_rate: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loss: Option<f64>,
    #[serde(default)]
    pub step: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub train_loss: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub train_runtime: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub train_samples_per_second: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub train_steps_per_second: Option<f64>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// transformers' `TrainerState`, field for field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainerState {
    pub best_global_step: Option<u64>,
    pub best_metric: Option<f64>,
    pub best_model_checkpoint: Option<String>,
    pub epoch: f64,
    pub eval_steps: u64,
    pub global_step: u64,
    pub is_hyper_param_search: bool,
    pub is_local_process_zero: bool,
    pub is_world_process_zero: bool,
    pub log_history: Vec<LogEntry>,
    pub logging_steps: u64,
    pub max_steps: u64,
    pub num_input_tokens_seen: u64,
    pub num_train_epochs: u64,
    pub save_steps: u64,
    pub stateful_callbacks: Map<String, Value>,
    pub total_flos: f64,
    pub train_batch_size: Option<u64>,
    pub trial_name: Option<String>,
    pub trial_params: Option<Map<String, Value>>,
    /// Tokens seen before this session (a resumed run's): StepReport counts from the session's start.
    #[serde(skip)]
    tokens_before: u64,
}

impl Default for TrainerState {
    /// The Trainer's defaults.
    fn default() -> Self {
        TrainerState {
            best_global_step: None,
            best_metric: None,
            best_model_checkpoint: None,
            epoch: 0.0,
            eval_steps: 500,
            global_step: 0,
            is_hyper_param_search: false,
            is_local_process_zero: true,
            is_world_process_zero: true,
            log_history: Vec::new(),
            logging_steps: 500,
            max_steps: 0,
            num_input_tokens_seen: 0,
            num_train_epochs: 0,
            save_steps: 500,
            stateful_callbacks: Map::new(),
            total_flos: 0.0,
            train_batch_size: None,
            trial_name: None,
            trial_params: None,
            tokens_before: 0,
        }
    }
}

/// What a run's log needs to know of its plan.
#[derive(Debug, Clone, Copy)]
pub struct LogPlan {
    pub max_steps: u64,
    pub steps_per_epoch: u64,
    pub batch: u64,
    /// Evaluation every this many steps (0: only at the end).
    pub eval_every: u64,
    /// Checkpoint every this many steps (0: only at the end).
    pub save_every: u64,
}

impl TrainerState {
    /// A fresh log for a run with this plan; every step is logged (logging_steps 1).
    pub fn new(plan: LogPlan) -> TrainerState {
        TrainerState {
            max_steps: plan.max_steps,
            num_train_epochs: plan.max_steps.div_ceil(plan.steps_per_epoch.max(1)),
            train_batch_size: Some(plan.batch),
            logging_steps: 1,
            eval_steps: if plan.eval_every > 0 { plan.eval_every } else { plan.max_steps },
            save_steps: if plan.save_every > 0 { plan.save_every } else { plan.max_steps },
            ..TrainerState::default()
        }
    }

    /// The log of a run resumed at `step`: `previous` (read from the checkpoint folder) without
    /// anything logged after `step` or any closing summary, under this run's plan.
    pub fn resumed(previous: TrainerState, plan: LogPlan, step: u64) -> TrainerState {
        let mut state = TrainerState::new(plan);
        state.log_history = previous
            .log_history
            .into_iter()
            .filter(|e| e.step <= step && e.train_runtime.is_none())
            .collect();
        state.num_input_tokens_seen = previous.num_input_tokens_seen;
        state.tokens_before = previous.num_input_tokens_seen;
        state.global_step = step;
        state.epoch = epoch(step, plan.steps_per_epoch);
        state
    }

    fn steps_per_epoch(&self) -> u64 {
        self.max_steps.div_ceil(self.num_train_epochs.max(1))
    }

    pub fn record_step(&mut self, r: &StepReport, steps_per_epoch: u64) {
        self.global_step = r.step;
        self.epoch = epoch(r.step, steps_per_epoch);
        self.num_input_tokens_seen = self.tokens_before + r.tokens as u64;
        self.log_history.push(LogEntry {
            epoch: self.epoch,
            grad_norm: Some(r.grad_norm),
            learning_rate: Some(r.lr),
            loss: Some(r.loss.mean()),
            step: r.step,
            ..LogEntry::default()
        });
    }

    pub fn record_eval(&mut self, step: u64, loss: f64, steps_per_epoch: u64) {
        self.log_history.push(LogEntry {
            epoch: epoch(step, steps_per_epoch),
            eval_loss: Some(loss),
            step,
            ..LogEntry::default()
        });
    }

    /// Tokens seen in this session's steps.
    pub fn session_tokens(&self) -> u64 {
        self.num_input_tokens_seen - self.tokens_before
    }

    /// The closing summary: train_loss is the mean of every logged step's loss (the resumed
    /// part's too, as the Trainer's), runtime and throughput are this session's.
    pub fn record_end(&mut self, runtime_s: f64, steps_this_session: u64, samples_this_session: u64) {
        let losses: Vec<f64> = self.log_history.iter().filter_map(|e| e.loss).collect();
        let train_loss = losses.iter().sum::<f64>() / losses.len().max(1) as f64;
        let per_s = |n: u64| Some(n as f64 / runtime_s.max(1e-9));
        self.log_history.push(LogEntry {
            epoch: self.epoch,
            step: self.global_step,
            train_loss: Some(train_loss),
            train_runtime: Some(runtime_s),
            train_samples_per_second: per_s(samples_this_session),
            train_steps_per_second: per_s(steps_this_session),
            ..LogEntry::default()
        });
    }

    /// The file's text: pretty, two-space indent, as the Trainer writes it.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a TrainerState always serializes");
        text.push('\n');
        text
    }

    pub fn from_json(text: &str) -> Result<TrainerState, String> {
        serde_json::from_str(text).map_err(|e| format!("not a trainer_state.json: {e}"))
    }

    /// (step, loss) of every logged training step.
    pub fn train_losses(&self) -> Vec<(u64, f64)> {
        self.log_history.iter().filter_map(|e| Some((e.step, e.loss?))).collect()
    }

    /// (step, eval_loss) of every evaluation.
    pub fn eval_losses(&self) -> Vec<(u64, f64)> {
        self.log_history.iter().filter_map(|e| Some((e.step, e.eval_loss?))).collect()
    }

    /// The epoch at this state's global step (for a log read back).
    pub fn current_epoch(&self) -> f64 {
        epoch(self.global_step, self.steps_per_epoch())
    }
}

/// The Trainer's fractional epoch after `step` optimizer steps.
fn epoch(step: u64, steps_per_epoch: u64) -> f64 {
    step as f64 / steps_per_epoch.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_trainers_file_and_keeps_what_it_does_not_know() {
        let text = r#"{"epoch": 1.0, "global_step": 2, "log_history": [
            {"epoch": 0.5, "grad_norm": 1.5, "learning_rate": 0.0003, "loss": 3.25, "step": 1},
            {"epoch": 1.0, "eval_loss": 3.0, "eval_runtime": 0.5, "step": 2}],
            "max_steps": 2, "num_train_epochs": 1, "stateful_callbacks": {"TrainerControl": {"args": {}}}}"#;
        let state = TrainerState::from_json(text).unwrap();
        assert_eq!(state.train_losses(), vec![(1, 3.25)]);
        assert_eq!(state.eval_losses(), vec![(2, 3.0)]);
        assert_eq!(state.log_history[1].other["eval_runtime"], 0.5);
        assert_eq!(state.logging_steps, 500, "missing fields take the Trainer's defaults");
        let again = TrainerState::from_json(&state.to_json()).unwrap();
        assert_eq!(again, state);
    }

    #[test]
    fn resuming_drops_what_came_after_the_checkpoint() {
        let plan = LogPlan { max_steps: 4, steps_per_epoch: 2, batch: 4, eval_every: 0, save_every: 1 };
        let mut state = TrainerState::new(plan);
        for step in 1..=3 {
            state.log_history.push(LogEntry { step, loss: Some(step as f64), ..LogEntry::default() });
        }
        state.global_step = 3;
        state.record_end(1.0, 3, 12);
        let resumed = TrainerState::resumed(state, plan, 2);
        assert_eq!(resumed.train_losses(), vec![(1, 1.0), (2, 2.0)]);
        assert_eq!(resumed.epoch, 1.0);
        assert!(resumed.log_history.iter().all(|e| e.train_runtime.is_none()));
    }
}
