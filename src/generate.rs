//! Text generation: prefill the prompt into a KV cache, then decode one token per forward pass.
//!
//! [`Generator`] is a loop the caller drives: each [`Generator::next_token`] feeds the previous
//! token through the model (one position, attention over the cache) and samples the next. The
//! caller streams each token as it comes and cancels by not asking for another; nothing runs
//! ahead. The same code serves the CLI and the web worker.
//!
//! Stopping, as transformers' `generate` does: after `<|endoftext|>` (which is returned, as it
//! is in transformers' output ids) or after max_new_tokens. The context rule: the model sees at
//! most n_positions tokens (GPT-2 has learned absolute positions); the token sampled from the
//! last position ends the sequence, at n_positions + 1 tokens, with [`Stop::ContextFull`], as
//! transformers' `generate` would end there. No sliding window: shifting absolute positions
//! would recompute the whole cache for every token.

use crate::error::{Error, Result};
use crate::gpu::Gpu;
use crate::model::{Activations, Gpt2, GpuLora, KvCache};
use crate::sample::{Sampler, Sampling};

/// Generation settings as a person gives them: `webtune generate`'s flags (clap, natively) and
/// the page's form (serde), one type for both, with the defaults in one place. They follow the
/// issue's command line, not transformers' GenerationConfig: top-k is off (transformers samples
/// with top_k 50 unless told otherwise) and the temperature is 0.7.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(not(target_arch = "wasm32"), derive(clap::Args))]
pub struct GenerateSettings {
    /// Tokens to generate at most (fewer if <|endoftext|> comes or the context fills)
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, default_value_t = GenerateSettings::default().max_new_tokens))]
    pub max_new_tokens: usize,
    /// Divides the logits before sampling; 0 is greedy decoding
    #[cfg_attr(
        not(target_arch = "wasm32"),
        arg(long, default_value_t = GenerateSettings::default().temperature, allow_negative_numbers = true)
    )]
    pub temperature: f32,
    /// Sample among the k most likely tokens only (0 = all)
    #[cfg_attr(not(target_arch = "wasm32"), arg(long, default_value_t = GenerateSettings::default().top_k))]
    pub top_k: usize,
    /// Sample from the smallest set of tokens whose probability reaches p (1 = all)
    #[cfg_attr(
        not(target_arch = "wasm32"),
        arg(long, default_value_t = GenerateSettings::default().top_p, allow_negative_numbers = true)
    )]
    pub top_p: f32,
    /// Penalise tokens already in the text (CTRL's rule, as transformers; 1 = off)
    #[cfg_attr(
        not(target_arch = "wasm32"),
        arg(long, default_value_t = GenerateSettings::default().repetition_penalty, allow_negative_numbers = true)
    )]
    pub repetition_penalty: f32,
    /// RNG seed: the same seed gives the same text (default: a fresh one)
    #[cfg_attr(not(target_arch = "wasm32"), arg(long))]
    pub seed: Option<u64>,
}

/// A seed for a run that was given none: from the clock natively, from Math.random in the page.
pub fn fresh_seed() -> u64 {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        now.as_nanos() as u64 ^ u64::from(std::process::id()).rotate_left(32)
    }
    #[cfg(target_arch = "wasm32")]
    {
        (js_sys::Math::random() * 2f64.powi(53)) as u64
    }
}

/// The most tokens one generation may ask for.
pub const MAX_NEW_TOKENS: usize = 1_000_000;

impl Default for GenerateSettings {
    fn default() -> Self {
        GenerateSettings {
            max_new_tokens: 50,
            temperature: 0.7,
            top_k: 0,
            top_p: 1.0,
            repetition_penalty: 1.0,
            seed: None,
        }
    }
}

impl GenerateSettings {
    /// Check the settings and give the generator's config for a model that ends text with
    /// `eos`; without a seed, `fresh_seed` draws one (the config's sampling.seed says which).
    pub fn to_config(&self, eos: Option<u32>, fresh_seed: impl FnOnce() -> u64) -> Result<GenerateConfig> {
        if !(1..=MAX_NEW_TOKENS).contains(&self.max_new_tokens) {
            return Err(Error::data(format!(
                "max-new-tokens must be in 1 ..= {MAX_NEW_TOKENS}, not {}",
                self.max_new_tokens
            )));
        }
        let sampling = Sampling {
            temperature: self.temperature,
            top_k: self.top_k,
            top_p: self.top_p,
            repetition_penalty: self.repetition_penalty,
            seed: self.seed.unwrap_or_else(fresh_seed),
        };
        sampling.validate()?;
        Ok(GenerateConfig { max_new_tokens: self.max_new_tokens, sampling, eos })
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GenerateConfig {
    pub max_new_tokens: usize,
    pub sampling: Sampling,
    /// Stop after this token (GPT-2's `<|endoftext|>`, 50256); None never stops early.
    pub eos: Option<u32>,
}

/// Why a generation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The end-of-text token was generated (it is the last of the ids).
    Eos,
    /// max_new_tokens were generated.
    MaxNewTokens,
    /// The sequence filled the model's context: every one of its n_positions positions was fed,
    /// and the token sampled from the last one ends it (n_positions + 1 tokens, prompt included).
    ContextFull(usize),
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::Eos => write!(f, "end of text"),
            Stop::MaxNewTokens => write!(f, "max new tokens reached"),
            Stop::ContextFull(n) => write!(f, "the model's context of {n} tokens is full"),
        }
    }
}

pub struct Generator {
    cache: KvCache,
    /// One-token activations for the decode steps.
    step: Activations,
    sampler: Sampler,
    config: GenerateConfig,
    tokens: Vec<u32>,
    prompt_len: usize,
    /// Logits for the next position, when the last token has been fed through the model.
    logits: Option<Vec<f32>>,
    stop: Option<Stop>,
    /// The adapter the cache was filled with ([`GpuLora::id`]; None without one).
    adapter: Option<u64>,
}

impl Generator {
    /// Check the settings and prefill the cache with `prompt` (one forward pass over it).
    /// `lora` is applied unmerged if given; every later call must pass the same adapter.
    pub async fn new(
        gpu: &Gpu,
        model: &Gpt2,
        lora: Option<&GpuLora>,
        prompt: &[u32],
        config: GenerateConfig,
    ) -> Result<Generator> {
        let cfg = &model.config;
        let sampler = Sampler::new(config.sampling)?;
        if config.max_new_tokens == 0 {
            return Err(Error::data("max new tokens must be at least 1"));
        }
        if prompt.is_empty() {
            return Err(Error::data(
                "the prompt is empty: GPT-2 needs at least one token (start from <|endoftext|> for none)",
            ));
        }
        if prompt.len() > cfg.n_positions {
            return Err(Error::data(format!(
                "the prompt is {} tokens; the model's context is {} (n_positions)",
                prompt.len(),
                cfg.n_positions
            )));
        }
        model.check_token_ids(prompt)?;
        // Every position but the last token's is fed through the model.
        let capacity = prompt.len().saturating_add(config.max_new_tokens - 1).min(cfg.n_positions);
        let cache = KvCache::new(gpu, cfg, 1, capacity).await?;
        let r = lora.map_or(0, |l| l.r);
        let logits = {
            let prefill = Activations::for_generation(gpu, cfg, prompt.len(), r).await?;
            model.forward_cached(gpu, &prefill, lora, &cache, 0, prompt).await?
        };
        let step = Activations::for_generation(gpu, cfg, 1, r).await?;
        Ok(Generator {
            cache,
            step,
            sampler,
            config,
            tokens: prompt.to_vec(),
            prompt_len: prompt.len(),
            logits: Some(logits),
            stop: None,
            adapter: lora.map(GpuLora::id),
        })
    }

    /// The next token, or None once generation has stopped ([`Generator::stop`] says why).
    pub async fn next_token(
        &mut self,
        gpu: &Gpu,
        model: &Gpt2,
        lora: Option<&GpuLora>,
    ) -> Result<Option<u32>> {
        if self.stop.is_some() {
            return Ok(None);
        }
        self.peek_logits(gpu, model, lora).await?;
        let mut logits = self.logits.take().expect("peek_logits fills them");
        let token = self.sampler.pick(&mut logits, &self.tokens)?;
        self.tokens.push(token);
        let n_positions = model.config.n_positions;
        self.stop = if Some(token) == self.config.eos {
            Some(Stop::Eos)
        } else if self.generated().len() >= self.config.max_new_tokens {
            Some(Stop::MaxNewTokens)
        } else if self.tokens.len() > n_positions {
            // Positions 0 .. n_positions - 1 have all been fed; this last token needed none.
            Some(Stop::ContextFull(n_positions))
        } else {
            None
        };
        Ok(Some(token))
    }

    /// The logits (V) the next token will be sampled from, before any sampling processor:
    /// they feed the last token through the model first if that has not happened yet.
    pub async fn peek_logits(&mut self, gpu: &Gpu, model: &Gpt2, lora: Option<&GpuLora>) -> Result<&[f32]> {
        if self.stop.is_some() {
            return Err(Error::data("generation has stopped: there is no next token"));
        }
        if lora.map(GpuLora::id) != self.adapter {
            return Err(Error::data("the adapter was switched during a generation; start a new one"));
        }
        if self.logits.is_none() {
            let pos = self.tokens.len() - 1;
            let last = self.tokens[pos];
            self.logits = Some(model.forward_cached(gpu, &self.step, lora, &self.cache, pos, &[last]).await?);
        }
        Ok(self.logits.as_deref().expect("filled above"))
    }

    /// Why generation stopped, once it has.
    pub fn stop(&self) -> Option<Stop> {
        self.stop
    }

    /// The tokens generated so far (the prompt excluded).
    pub fn generated(&self) -> &[u32] {
        &self.tokens[self.prompt_len..]
    }

    /// Prompt and generated tokens.
    pub fn tokens(&self) -> &[u32] {
        &self.tokens
    }

    /// Positions the KV cache was allocated for.
    pub fn capacity(&self) -> usize {
        self.cache.capacity
    }
}

/// Generate to the end in one call: the new token ids (the prompt excluded) and why it stopped.
pub async fn generate(
    gpu: &Gpu,
    model: &Gpt2,
    lora: Option<&GpuLora>,
    prompt: &[u32],
    config: GenerateConfig,
) -> Result<(Vec<u32>, Stop)> {
    let mut generator = Generator::new(gpu, model, lora, prompt, config).await?;
    while generator.next_token(gpu, model, lora).await?.is_some() {}
    let stop = generator.stop().expect("the loop ends when generation stops");
    Ok((generator.generated().to_vec(), stop))
}
