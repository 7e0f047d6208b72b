//! What the web page does, as a library: one model, its tokenizer, an adapter being trained or
//! imported, and up to two generations streaming side by side. Each method is one message of
//! www/worker.js; settings come in and summaries go out as serde types (JSON at the wasm
//! boundary, `src/web.rs`). Nothing here is wasm-specific, so native tests drive the same code
//! the page runs, and the page's training is `webtune train`'s: the same [`Dataset`],
//! [`Adapter::init`], [`Trainer`] and [`Optimizer`].

use serde::{Deserialize, Serialize};

use crate::data::{Dataset, Packing};
use crate::error::{Error, Result};
use crate::generate::{GenerateConfig, Generator};
use crate::gpu::Gpu;
use crate::lora::{Adapter, LoraConfig, LoraInit};
use crate::model::{
    memory, read_slice, Checkpoint, Gpt2, Gpt2Config, GpuLora, ModelDropout, ReadBytes, SafetensorsFile,
    TensorSource, WeightDtype,
};
use crate::optim::{Optimizer, OptimizerKind, Schedule};
use crate::sample::Sampling;
use crate::tokenizer::{Gpt2Tokenizer, TextStream};
use crate::train::{Length, TrainConfig, Trainer, Warmup};

/// The tokenizer files that came with a model.
pub enum TokenizerFiles {
    Json(Vec<u8>),
    VocabMerges(Vec<u8>, Vec<u8>),
    /// GPT-2's own, built into the crate.
    Bundled,
}

impl TokenizerFiles {
    pub fn load(&self) -> Result<Gpt2Tokenizer> {
        match self {
            TokenizerFiles::Json(json) => Gpt2Tokenizer::from_tokenizer_json(json),
            TokenizerFiles::VocabMerges(vocab, merges) => Gpt2Tokenizer::from_vocab_merges(vocab, merges),
            TokenizerFiles::Bundled => Gpt2Tokenizer::bundled(),
        }
    }
}

/// A loaded model, as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ModelSummary {
    pub name: String,
    pub n_layer: usize,
    pub n_embd: usize,
    pub n_head: usize,
    pub n_positions: usize,
    pub vocab_size: usize,
    pub parameters: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InitSetting {
    Kaiming,
    Gaussian,
}

/// LoRA's settings: `webtune train`'s flags, with the tutorial's defaults.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoraSettings {
    pub r: usize,
    pub alpha: f64,
    pub dropout: f32,
    pub targets: Vec<String>,
    pub rslora: bool,
    pub init: InitSetting,
    pub layers: Option<Vec<usize>>,
}

impl Default for LoraSettings {
    fn default() -> Self {
        let d = LoraConfig::default();
        LoraSettings {
            r: d.r,
            alpha: d.alpha,
            dropout: d.dropout,
            targets: d.target_modules,
            rslora: false,
            init: InitSetting::Kaiming,
            layers: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScheduleSetting {
    Constant,
    Linear,
    Cosine,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerSetting {
    Adamw,
    Sgd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PackingSetting {
    Pack,
    Lines,
}

/// Training settings: `webtune train`'s flags, with the tutorial's defaults.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainSettings {
    pub lr: f32,
    pub schedule: ScheduleSetting,
    pub warmup_ratio: f64,
    /// Warmup steps; overrides warmup_ratio.
    pub warmup_steps: Option<u64>,
    pub epochs: u64,
    /// Optimizer steps; overrides epochs.
    pub steps: Option<u64>,
    pub batch: usize,
    pub seq_len: usize,
    pub grad_accum: usize,
    pub clip: f32,
    pub weight_decay: f32,
    pub optimizer: OptimizerSetting,
    pub seed: u64,
    pub shuffle: bool,
    pub packing: PackingSetting,
    /// The text is JSON Lines with a "text" field.
    pub jsonl: bool,
    /// Share of the blocks (from the end of the text) held out for evaluation; 0 = none.
    pub eval_fraction: f64,
    /// Evaluate every this many steps (0: at the end only).
    pub eval_every: u64,
    /// The model's own dropout in training passes: None = config.json's.
    pub model_dropout: Option<f32>,
}

impl Default for TrainSettings {
    fn default() -> Self {
        TrainSettings {
            lr: 3e-4,
            schedule: ScheduleSetting::Cosine,
            warmup_ratio: 0.05,
            warmup_steps: None,
            epochs: 3,
            steps: None,
            batch: 4,
            seq_len: 128,
            grad_accum: 1,
            clip: 1.0,
            weight_decay: 0.0,
            optimizer: OptimizerSetting::Adamw,
            seed: 0,
            shuffle: true,
            packing: PackingSetting::Pack,
            jsonl: false,
            eval_fraction: 0.0,
            eval_every: 0,
            model_dropout: None,
        }
    }
}

impl TrainSettings {
    pub fn train_config(&self) -> Result<TrainConfig> {
        if !(self.lr.is_finite() && self.lr >= 0.0) {
            return Err(Error::data(format!("learning rate {} is not a number >= 0", self.lr)));
        }
        if !(0.0..=1.0).contains(&self.warmup_ratio) {
            return Err(Error::data(format!("warmup ratio {} is outside [0, 1]", self.warmup_ratio)));
        }
        if !(0.0..0.9).contains(&self.eval_fraction) {
            return Err(Error::data(format!("held-out share {} is outside [0, 0.9)", self.eval_fraction)));
        }
        Ok(TrainConfig {
            optimizer: match self.optimizer {
                OptimizerSetting::Adamw => OptimizerKind::adamw(),
                OptimizerSetting::Sgd => OptimizerKind::Sgd,
            },
            lr: self.lr,
            weight_decay: self.weight_decay,
            clip: self.clip,
            schedule: match self.schedule {
                ScheduleSetting::Constant => Schedule::Constant,
                ScheduleSetting::Linear => Schedule::Linear,
                ScheduleSetting::Cosine => Schedule::Cosine,
            },
            warmup: self.warmup_steps.map(Warmup::Steps).unwrap_or(Warmup::Ratio(self.warmup_ratio)),
            length: self.steps.map(Length::Steps).unwrap_or(Length::Epochs(self.epochs)),
            batch: self.batch,
            grad_accum: self.grad_accum,
            shuffle: self.shuffle,
            seed: self.seed,
            eval_every: self.eval_every,
            model_dropout: match self.model_dropout {
                Some(p) if (0.0..1.0).contains(&p) => Some(ModelDropout::all(p)),
                Some(p) => {
                    return Err(Error::data(format!("model dropout {p} is not a probability in [0, 1)")))
                }
                None => None,
            },
        })
    }
}

/// Everything the training form sends.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainingSettings {
    pub lora: LoraSettings,
    pub train: TrainSettings,
}

impl LoraSettings {
    pub fn lora_config(&self, base: &str) -> Result<LoraConfig> {
        if self.r == 0 {
            return Err(Error::data("LoRA rank r must be at least 1"));
        }
        if self.r > 1024 {
            return Err(Error::data(format!("LoRA rank r = {} is above 1024 (the tutorial uses 8)", self.r)));
        }
        if !(0.0..1.0).contains(&self.dropout) {
            return Err(Error::data(format!("LoRA dropout {} is not a probability in [0, 1)", self.dropout)));
        }
        Ok(LoraConfig {
            r: self.r,
            alpha: self.alpha,
            dropout: self.dropout,
            target_modules: self.targets.clone(),
            use_rslora: self.rslora,
            init: match self.init {
                InitSetting::Kaiming => LoraInit::Kaiming,
                InitSetting::Gaussian => LoraInit::Gaussian,
            },
            layers_to_transform: self.layers.clone(),
            base_model_name_or_path: base.to_string(),
        })
    }
}

/// What the page shows before training starts.
#[derive(Debug, Clone, Serialize)]
pub struct TrainingSummary {
    pub trainable: usize,
    pub all: usize,
    pub total_steps: u64,
    pub warmup_steps: u64,
    pub steps_per_epoch: u64,
    pub train_blocks: usize,
    pub eval_blocks: usize,
    pub memory: memory::MemoryEstimate,
}

/// One optimizer step, as the page plots it.
#[derive(Debug, Clone, Serialize)]
pub struct StepSummary {
    pub step: u64,
    pub total: u64,
    pub loss: f64,
    pub lr: f64,
    pub grad_norm: f64,
    pub tokens: usize,
    /// Seconds spent in steps so far.
    pub elapsed: f64,
    /// The held-out loss, when it was due after this step.
    pub eval_loss: Option<f64>,
    pub done: bool,
}

/// Sampling settings for the generate form.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GenerateSettings {
    pub max_new_tokens: usize,
    pub temperature: f32,
    pub top_k: usize,
    pub top_p: f32,
    pub repetition_penalty: f32,
    pub seed: u64,
}

impl Default for GenerateSettings {
    fn default() -> Self {
        GenerateSettings {
            max_new_tokens: 50,
            temperature: 0.7,
            top_k: 0,
            top_p: 1.0,
            repetition_penalty: 1.0,
            seed: 0,
        }
    }
}

/// One streamed token: its text (empty while a character is incomplete), and the end.
#[derive(Debug, Clone, Serialize)]
pub struct TokenPiece {
    pub text: String,
    pub token: Option<u32>,
    pub done: bool,
    /// Why generation stopped, once it has.
    pub stop: Option<String>,
}

/// The adapter's PEFT files.
pub struct AdapterFiles {
    pub config_json: String,
    pub safetensors: Vec<u8>,
}

/// Where a model came from: what [`Loaded`] keeps beside the uploaded weights.
struct Source {
    name: String,
    config_json: String,
    tokenizer: Gpt2Tokenizer,
    random_seed: Option<u64>,
}

struct Loaded {
    model: Gpt2,
    /// The adapter on the GPU (trained here or imported), applied unmerged when asked.
    lora: Option<GpuLora>,
    tokenizer: Gpt2Tokenizer,
    config_json: String,
    name: String,
    /// The seed of the offline demo's random weights (None for a loaded checkpoint).
    random_seed: Option<u64>,
}

struct Training {
    trainer: Trainer,
    opt: Optimizer,
    data: Dataset,
    eval: Option<Dataset>,
}

struct Generation {
    generator: Generator,
    stream: TextStream,
    adapter: bool,
}

pub struct Session {
    pub gpu: Gpu,
    loaded: Option<Loaded>,
    /// The adapter's config (trained here or imported); its weights live in the model.
    adapter_config: Option<LoraConfig>,
    training: Option<Training>,
    generations: [Option<Generation>; 2],
}

/// The offline demo's model: GPT-2's vocabulary and tokenizer, 2 layers of width 64.
pub fn demo_config() -> Gpt2Config {
    Gpt2Config {
        n_layer: 2,
        n_embd: 64,
        n_head: 4,
        n_positions: 128,
        n_inner: 256,
        ..Gpt2Config::preset("gpt2").expect("a preset")
    }
}

impl Session {
    pub fn new(gpu: Gpu) -> Session {
        Session { gpu, loaded: None, adapter_config: None, training: None, generations: [None, None] }
    }

    fn loaded(&self) -> Result<&Loaded> {
        self.loaded.as_ref().ok_or_else(|| Error::data("no model is loaded yet"))
    }

    /// Load a Hugging Face GPT-2 (config.json, model.safetensors, tokenizer files), replacing
    /// the model, adapter, training run and generations there were.
    pub async fn load_model(
        &mut self,
        name: &str,
        config_json: &str,
        safetensors: &[u8],
        tokenizer: TokenizerFiles,
    ) -> Result<ModelSummary> {
        self.load_model_from(name, config_json, safetensors.len() as u64, read_slice(safetensors), tokenizer)
            .await
    }

    /// The same, with model.safetensors (`file_len` bytes) read through `read` one tensor at a
    /// time: the page reads a File or cached Blob this way, so the checkpoint never has to fit
    /// in wasm memory whole.
    pub async fn load_model_from(
        &mut self,
        name: &str,
        config_json: &str,
        file_len: u64,
        read: ReadBytes<'_>,
        tokenizer: TokenizerFiles,
    ) -> Result<ModelSummary> {
        let config = Gpt2Config::from_json(config_json)?;
        let tokenizer = tokenizer.load()?;
        if tokenizer.vocab_size() > config.vocab_size {
            return Err(Error::model(format!(
                "the tokenizer has {} tokens but the model's vocabulary is {}: they do not belong together",
                tokenizer.vocab_size(),
                config.vocab_size
            )));
        }
        let file = SafetensorsFile::open(&config, file_len, read).await?;
        let source = Source {
            name: name.to_string(),
            config_json: config_json.to_string(),
            tokenizer,
            random_seed: None,
        };
        self.install(config, &file, source).await
    }

    /// The offline demo: a tiny GPT-2 with random weights and GPT-2's tokenizer.
    pub async fn demo_model(&mut self, seed: u64) -> Result<ModelSummary> {
        let config = demo_config();
        let ck = Checkpoint::random(&config, seed);
        let config_json = serde_json::json!({
            "model_type": "gpt2",
            "n_layer": config.n_layer,
            "n_embd": config.n_embd,
            "n_head": config.n_head,
            "n_positions": config.n_positions,
            "n_inner": config.n_inner,
            "vocab_size": config.vocab_size,
            "bos_token_id": 50256,
            "eos_token_id": 50256,
            "activation_function": "gelu_new",
            "architectures": ["GPT2LMHeadModel"],
        })
        .to_string();
        let tokenizer = Gpt2Tokenizer::bundled()?;
        let name = "webtune-demo (random weights)".to_string();
        let source = Source { name, config_json, tokenizer, random_seed: Some(seed) };
        self.install(config, &ck, source).await
    }

    async fn install(
        &mut self,
        config: Gpt2Config,
        ck: &impl TensorSource,
        source: Source,
    ) -> Result<ModelSummary> {
        // Free the old model's GPU memory before uploading the new one.
        self.loaded = None;
        self.adapter_config = None;
        self.training = None;
        self.generations = [None, None];
        let model = Gpt2::from_checkpoint(&self.gpu, config, ck, WeightDtype::F32).await?;
        let c = &model.config;
        let summary = ModelSummary {
            name: source.name.clone(),
            n_layer: c.n_layer,
            n_embd: c.n_embd,
            n_head: c.n_head,
            n_positions: c.n_positions,
            vocab_size: c.vocab_size,
            parameters: c.num_parameters(),
        };
        let Source { name, config_json, tokenizer, random_seed } = source;
        self.loaded = Some(Loaded { model, lora: None, tokenizer, config_json, name, random_seed });
        Ok(summary)
    }

    /// Tokenize `text` into blocks, plan the run, and start a fresh adapter (PEFT's init from
    /// the settings' seed), replacing any adapter the model had.
    pub async fn prepare_training(
        &mut self,
        text: &str,
        settings: &TrainingSettings,
    ) -> Result<TrainingSummary> {
        let loaded = self.loaded.as_mut().ok_or_else(|| Error::data("load a model before training"))?;
        let t = &settings.train;
        let cfg = t.train_config()?;
        let config = loaded.model.config.clone();
        let config = &config;
        if t.seq_len < 2 || t.seq_len > config.n_positions {
            return Err(Error::data(format!(
                "sequence length {} must be within 2 ..= {} (the model's n_positions)",
                t.seq_len, config.n_positions
            )));
        }
        let packing = if t.packing == PackingSetting::Lines { Packing::Lines } else { Packing::Pack };
        let mut data = Dataset::build(&loaded.tokenizer, text, t.jsonl, packing, t.seq_len)?;
        let eval = if t.eval_fraction > 0.0 {
            let n = ((data.len() as f64 * t.eval_fraction).round() as usize).max(1);
            if n >= data.len() {
                return Err(Error::data(format!(
                    "the text gives {} blocks of {} tokens: too few to hold {:.0}% out",
                    data.len(),
                    t.seq_len,
                    100.0 * t.eval_fraction
                )));
            }
            let keep = data.len() - n;
            Some(Dataset {
                seq_len: data.seq_len,
                ids: data.ids.split_off(keep),
                labels: data.labels.split_off(keep),
            })
        } else {
            None
        };
        let lora = settings.lora.lora_config(&loaded.name)?;
        let adapter = Adapter::init(lora.clone(), config, t.seed)?;
        // Everything that can refuse the settings has run: only now replace the adapter (a
        // rejected Start keeps a trained or imported one), the run and the generations.
        crate::train::Plan::new(&cfg, &data)?;
        self.training = None;
        self.generations = [None, None];
        let gpu_lora = loaded.lora.insert(adapter.upload(&self.gpu, config).await?);
        self.adapter_config = Some(lora.clone());
        let trainer = Trainer::new(&self.gpu, gpu_lora, &cfg, &data).await?;
        let opt = Optimizer::new(&self.gpu, gpu_lora, cfg.optimizer, cfg.weight_decay, cfg.clip).await?;
        let trainable = adapter.num_parameters();
        let summary = TrainingSummary {
            trainable,
            all: config.num_parameters() + trainable,
            total_steps: trainer.plan.total,
            warmup_steps: trainer.plan.warmup,
            steps_per_epoch: trainer.plan.steps_per_epoch,
            train_blocks: data.len(),
            eval_blocks: eval.as_ref().map_or(0, Dataset::len),
            // The page uploads f32 weights (shader-f16 is optional, and SwiftShader lacks it).
            memory: memory::training(config, WeightDtype::F32, t.batch, t.seq_len, lora.r, trainable),
        };
        self.training = Some(Training { trainer, opt, data, eval });
        Ok(summary)
    }

    /// GPU memory the model and the run hold now, measured from their buffers, in the
    /// categories of [`memory::MemoryEstimate`] (largest_buffer and host_peak left at 0).
    pub fn allocated(&self) -> Result<memory::MemoryEstimate> {
        let loaded = self.loaded()?;
        let weights = loaded.model.weights.bytes();
        let lora = loaded.lora.as_ref().map_or(0, GpuLora::bytes);
        let (activations, gradients, lora_grads, opt) = match &self.training {
            Some(t) => {
                let (a, g, lg) = t.trainer.bytes();
                (a, g, lg, t.opt.bytes())
            }
            None => (0, 0, 0, 0),
        };
        let adapter = lora + lora_grads + opt;
        Ok(memory::MemoryEstimate {
            weights,
            activations,
            gradients,
            adapter,
            total: weights + activations + gradients + adapter,
            ..Default::default()
        })
    }

    /// The next optimizer step of the prepared run (with the held-out loss when due).
    pub async fn train_step(&mut self) -> Result<StepSummary> {
        let training = self.training.as_mut().ok_or_else(|| Error::data("no training run is prepared"))?;
        let loaded = self.loaded.as_mut().ok_or_else(|| Error::data("no model is loaded"))?;
        // A step changes the adapter under any generation's KV cache: those generations end.
        self.generations = [None, None];
        let (model, lora) =
            (&loaded.model, loaded.lora.as_ref().ok_or_else(|| Error::data("there is no adapter to train"))?);
        let r = training.trainer.step(&self.gpu, model, lora, &training.data, &mut training.opt).await?;
        let eval_loss = match &training.eval {
            Some(eval) if training.trainer.eval_due(r.step) => {
                let batch = training.trainer.cfg.batch;
                Some(
                    crate::eval::evaluate_dataset(&self.gpu, model, Some(lora), eval, batch, |_, _| {})
                        .await?
                        .mean(),
                )
            }
            _ => None,
        };
        Ok(StepSummary {
            step: r.step,
            total: r.total,
            loss: r.loss.mean(),
            lr: r.lr,
            grad_norm: r.grad_norm,
            tokens: r.tokens,
            elapsed: r.elapsed.as_secs_f64(),
            eval_loss,
            done: training.trainer.done(&training.opt),
        })
    }

    /// Start generation `slot` (0 or 1) from `prompt`, with the adapter on or off.
    pub async fn start_generation(
        &mut self,
        slot: usize,
        prompt: &str,
        settings: &GenerateSettings,
        adapter: bool,
    ) -> Result<usize> {
        if slot >= self.generations.len() {
            return Err(Error::data(format!("generation slot {slot} does not exist")));
        }
        self.generations[slot] = None;
        let loaded = self.loaded.as_mut().ok_or_else(|| Error::data("load a model before generating"))?;
        if adapter && loaded.lora.is_none() {
            return Err(Error::data("there is no adapter yet: train one or load one"));
        }
        let ids = loaded.tokenizer.encode(prompt)?;
        let config = GenerateConfig {
            max_new_tokens: settings.max_new_tokens,
            sampling: Sampling {
                temperature: settings.temperature,
                top_k: settings.top_k,
                top_p: settings.top_p,
                repetition_penalty: settings.repetition_penalty,
                seed: settings.seed,
            },
            eos: loaded.model.config.eos_token_id,
        };
        let lora = loaded.lora.as_ref().filter(|_| adapter);
        let generator = Generator::new(&self.gpu, &loaded.model, lora, &ids, config).await?;
        self.generations[slot] = Some(Generation { generator, stream: TextStream::new(true), adapter });
        Ok(ids.len())
    }

    /// The next token of generation `slot`, as text.
    pub async fn next_token(&mut self, slot: usize) -> Result<TokenPiece> {
        let loaded = self.loaded.as_mut().ok_or_else(|| Error::data("no model is loaded"))?;
        let generation = self.generations.get_mut(slot).and_then(Option::as_mut).ok_or_else(|| {
            Error::data(format!(
                "generation {slot} is not running (not started, or ended by training or a new adapter)"
            ))
        })?;
        let lora = loaded.lora.as_ref().filter(|_| generation.adapter);
        let token = generation.generator.next_token(&self.gpu, &loaded.model, lora).await?;
        let mut text = match token {
            Some(id) => generation.stream.push(&loaded.tokenizer, id)?,
            None => String::new(),
        };
        let stop = generation.generator.stop();
        if stop.is_some() {
            text.push_str(&generation.stream.finish());
        }
        Ok(TokenPiece { text, token, done: stop.is_some(), stop: stop.map(|s| s.to_string()) })
    }

    fn current_adapter_config(&self) -> Result<&LoraConfig> {
        self.adapter_config
            .as_ref()
            .ok_or_else(|| Error::data("there is no adapter yet: train one or load one"))
    }

    /// The adapter as PEFT's two files.
    pub async fn export_adapter(&self) -> Result<AdapterFiles> {
        let loaded = self.loaded()?;
        let config = self.current_adapter_config()?;
        let lora = loaded.lora.as_ref().ok_or_else(|| Error::data("there is no adapter yet"))?;
        let adapter = Adapter::download(&self.gpu, lora, config).await?;
        Ok(AdapterFiles { config_json: config.to_peft_json(), safetensors: adapter.to_safetensors()? })
    }

    /// The merged model (config.json, model.safetensors in f32) from the base checkpoint the
    /// model was loaded from (the page keeps the file; the GPU keeps only its upload). The demo
    /// model's base is rebuilt from its seed, and `base_safetensors` is ignored.
    pub async fn export_merged(&self, base_safetensors: &[u8]) -> Result<(String, Vec<u8>)> {
        let loaded = self.loaded()?;
        let config = self.current_adapter_config()?;
        let lora = loaded.lora.as_ref().ok_or_else(|| Error::data("there is no adapter yet"))?;
        let adapter = Adapter::download(&self.gpu, lora, config).await?;
        let mut ck = match loaded.random_seed {
            Some(seed) => Checkpoint::random(&loaded.model.config, seed),
            None => Checkpoint::from_safetensors(&loaded.model.config, base_safetensors)?,
        };
        adapter.merge_into(&mut ck)?;
        Ok((crate::model::merged_config_json(&loaded.config_json)?, ck.to_safetensors()?))
    }

    /// Apply a PEFT adapter trained elsewhere (unmerged), replacing the current one.
    pub async fn import_adapter(
        &mut self,
        config_json: &str,
        safetensors: &[u8],
    ) -> Result<(usize, LoraConfig)> {
        let loaded = self.loaded.as_mut().ok_or_else(|| Error::data("load a model before an adapter"))?;
        let adapter = Adapter::from_peft(config_json, safetensors, &loaded.model.config)?;
        self.training = None;
        self.generations = [None, None];
        loaded.lora = Some(adapter.upload(&self.gpu, &loaded.model.config).await?);
        self.adapter_config = Some(adapter.config.clone());
        Ok((adapter.num_parameters(), adapter.config))
    }
}
