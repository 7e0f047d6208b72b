//! What the web page does, as a library: one model, its tokenizer, an adapter being trained or
//! imported, and up to two generations streaming side by side. Each method is one message of
//! www/worker.js; settings come in and summaries go out as serde types (JSON at the wasm
//! boundary, `src/web.rs`). Nothing here is wasm-specific, so native tests drive the same code
//! the page runs, and the page's training is `webtune train`'s: the same [`Dataset`],
//! [`Adapter::init`], [`Trainer`] and [`Optimizer`].

use serde::{Deserialize, Serialize};

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::generate::{GenerateSettings, Generator};
use crate::gpu::Gpu;
use crate::lora::{Adapter, LoraConfig, LoraSettings};
use crate::model::{
    memory, read_slice, Checkpoint, Gpt2, Gpt2Config, GpuLora, ReadBytes, SafetensorsFile, TensorSource,
    WeightDtype,
};
use crate::optim::Optimizer;
use crate::tokenizer::{Gpt2Tokenizer, TextStream};
use crate::train::{TrainConfig, TrainSettings, Trainer};

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
    pub parameters: u64,
}

/// What the page adds to a run's settings: how its text is read and how much is held out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DataSettings {
    /// The text is JSON Lines with a "text" field.
    pub jsonl: bool,
    /// Share of the blocks (from the end of the text) held out for evaluation; 0 = none.
    pub eval_fraction: f64,
}

impl Default for DataSettings {
    fn default() -> Self {
        DataSettings { jsonl: false, eval_fraction: 0.1 }
    }
}

/// The largest held-out share.
pub const MAX_EVAL_FRACTION: f64 = 0.9;

/// Everything the training form sends: the library's LoRA and training settings (the same
/// types as `webtune train`'s flags) and the page's data settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainingSettings {
    pub lora: LoraSettings,
    pub train: TrainSettings,
    pub data: DataSettings,
}

impl TrainingSettings {
    /// Check every setting against a model of `model` named `base`.
    pub fn check(&self, model: &Gpt2Config, base: &str) -> Result<(LoraConfig, TrainConfig)> {
        if !(0.0..MAX_EVAL_FRACTION).contains(&self.data.eval_fraction) {
            return Err(Error::data(format!(
                "held-out share {} is outside [0, {MAX_EVAL_FRACTION})",
                self.data.eval_fraction
            )));
        }
        Ok((self.lora.to_config(model, base)?, self.train.to_config(model)?))
    }
}

/// The page's forms start from these: every setting's default and limit, from the types that
/// check them (so index.html repeats none of them).
pub fn defaults() -> serde_json::Value {
    serde_json::json!({
        "training": TrainingSettings::default(),
        "generate": GenerateSettings::default(),
        "limits": {
            "max_rank": crate::lora::MAX_RANK,
            "max_batch": crate::train::MAX_BATCH,
            "max_new_tokens": crate::generate::MAX_NEW_TOKENS,
            "max_eval_fraction": MAX_EVAL_FRACTION,
        },
    })
}

/// What the page shows before training starts.
#[derive(Debug, Clone, Serialize)]
pub struct TrainingSummary {
    pub trainable: usize,
    pub all: u64,
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
    /// How the weights are stored on the GPU (the page's "Base weights" choice).
    weights: WeightDtype,
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
        weights: WeightDtype,
    ) -> Result<ModelSummary> {
        let read = read_slice(safetensors);
        self.load_model_from(name, config_json, safetensors.len() as u64, read, tokenizer, weights).await
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
        weights: WeightDtype,
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
        self.install(config, &file, source, weights).await
    }

    /// The offline demo: a tiny GPT-2 with random weights and GPT-2's tokenizer.
    pub async fn demo_model(&mut self, seed: u64, weights: WeightDtype) -> Result<ModelSummary> {
        let config = demo_config();
        let ck = Checkpoint::random(&config, seed);
        let config_json = config.to_json();
        let tokenizer = Gpt2Tokenizer::bundled()?;
        let name = "webtune-demo (random weights)".to_string();
        let source = Source { name, config_json, tokenizer, random_seed: Some(seed) };
        self.install(config, &ck, source, weights).await
    }

    async fn install(
        &mut self,
        config: Gpt2Config,
        ck: &impl TensorSource,
        source: Source,
        weights: WeightDtype,
    ) -> Result<ModelSummary> {
        // Free the old model's GPU memory before uploading the new one.
        self.loaded = None;
        self.adapter_config = None;
        self.training = None;
        self.generations = [None, None];
        let model = Gpt2::from_checkpoint(&self.gpu, config, ck, weights).await?;
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
        self.loaded = Some(Loaded { model, lora: None, tokenizer, config_json, name, random_seed, weights });
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
        let config = loaded.model.config.clone();
        let config = &config;
        let (mut lora, cfg) = settings.check(config, &loaded.name)?;
        // adapter_config.json says which kind of base it trains on, as PEFT's does.
        lora.fan_in_fan_out = loaded.weights.matrices.q4().is_none();
        let (t, d) = (&settings.train, &settings.data);
        let mut data = Dataset::build(&loaded.tokenizer, text, d.jsonl, t.packing, t.seq_len)?;
        let eval = if d.eval_fraction > 0.0 {
            let n = ((data.len() as f64 * d.eval_fraction).round() as usize).max(1);
            if n >= data.len() {
                return Err(Error::data(format!(
                    "the text gives {} blocks of {} tokens: too few to hold {:.0}% out",
                    data.len(),
                    t.seq_len,
                    100.0 * d.eval_fraction
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
        let adapter = Adapter::init(lora.clone(), config, t.seed)?;
        crate::train::Plan::new(&cfg, &data)?;
        // A run past the adapter's limits is refused with the numbers, before it allocates.
        let batch = t.batch.min(data.len().max(1));
        let estimate = memory::training(
            config,
            loaded.weights,
            (batch, t.seq_len, lora.r),
            t.recompute,
            adapter.num_parameters(),
        );
        estimate.check_limits(&self.gpu, &format!("training {batch} x {} tokens a step", t.seq_len))?;
        // Everything that can refuse the settings has run: only now replace the adapter (a
        // rejected Start keeps a trained or imported one), the run and the generations.
        self.training = None;
        self.generations = [None, None];
        let gpu_lora = loaded.lora.insert(adapter.upload(&self.gpu, config).await?);
        self.adapter_config = Some(lora.clone());
        let trainer = Trainer::new(&self.gpu, gpu_lora, &cfg, &data).await?;
        let opt = Optimizer::new(&self.gpu, gpu_lora, cfg.optimizer, cfg.weight_decay, cfg.clip).await?;
        let trainable = adapter.num_parameters();
        let summary = TrainingSummary {
            trainable,
            all: config.num_parameters() + trainable as u64,
            total_steps: trainer.plan.total,
            warmup_steps: trainer.plan.warmup,
            steps_per_epoch: trainer.plan.steps_per_epoch,
            train_blocks: data.len(),
            eval_blocks: eval.as_ref().map_or(0, Dataset::len),
            memory: memory::training(
                config,
                loaded.weights,
                (t.batch, t.seq_len, lora.r),
                t.recompute,
                trainable,
            ),
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
        let config = settings.to_config(loaded.model.config.eos_token_id, crate::generate::fresh_seed)?;
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
