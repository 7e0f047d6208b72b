//! The GPT-2 graph: a straight list of kernel launches (llm.c's gpt2_forward), recorded into one
//! compute pass. Activations live in flat named structs with their shapes beside them.

use std::collections::BTreeMap;

use super::weights::{read_slice, SafetensorsFile, TensorSource};
use super::{Gpt2Config, WeightDtype, Weights};
use crate::error::{Error, Result};
use crate::gpu::{DType, Gpu, Tensor};
use crate::kernels::attention::encode_attention_forward;
use crate::kernels::crossentropy::encode_crossentropy_forward;
use crate::kernels::elementwise::{
    encode_dropout_forward, encode_gelu_forward, encode_residual_forward, DropoutMask,
};
use crate::kernels::encoder::encode_encoder_forward;
use crate::kernels::kv_attention::{encode_kv_append, encode_kv_attention};
use crate::kernels::layernorm::encode_layernorm_forward;
use crate::kernels::matmul::{encode_gemm, encode_matmul_forward, Gemm, Variant};
use crate::lora::{Adapter, Module};

/// Targets that take no part in the loss, as in PyTorch's cross_entropy.
pub const IGNORE_INDEX: i32 = -100;

/// Logit rows computed at once for the loss: at most this many bytes of logits exist.
const LOGITS_BUDGET: u64 = 64 << 20;

pub struct Gpt2 {
    pub config: Gpt2Config,
    pub weights: Weights,
    /// Which matmul entry point the frozen-weight products use.
    pub variant: Variant,
    /// A LoRA adapter applied unmerged, and whether it is on.
    pub lora: Option<GpuLora>,
    pub lora_enabled: bool,
    /// The model's own dropout in training passes (config.json's pdrops unless changed).
    pub dropout: ModelDropout,
}

/// GPT-2's dropout probabilities: after the embeddings, on the attention probabilities, and on
/// each residual branch (attn.c_proj and mlp.c_proj outputs), as in transformers' train mode.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ModelDropout {
    pub embd: f32,
    pub attn: f32,
    pub resid: f32,
}

impl ModelDropout {
    pub fn from_config(cfg: &Gpt2Config) -> ModelDropout {
        ModelDropout { embd: cfg.embd_pdrop, attn: cfg.attn_pdrop, resid: cfg.resid_pdrop }
    }

    pub fn all(p: f32) -> ModelDropout {
        ModelDropout { embd: p, attn: p, resid: p }
    }
}

/// Dropout sites of the model's own masks (LoRA's sites are layer·4 + module, below these).
const SITE_EMBD: u32 = 1 << 20;
const SITE_ATTN: u32 = 2 << 20;
const SITE_RESID: u32 = 3 << 20;

/// A LoRA adapter on the GPU: per targeted (layer, module), A (r, in) and B (out, r).
pub struct GpuLora {
    pub r: usize,
    pub scale: f32,
    /// lora_dropout, applied to the adapter's input in training passes only.
    pub dropout: f32,
    pub modules: BTreeMap<(usize, Module), (Tensor, Tensor)>,
}

impl GpuLora {
    /// GPU memory of A and B.
    pub fn bytes(&self) -> u64 {
        self.modules.values().map(|(a, b)| a.bytes() + b.bytes()).sum()
    }

    /// Read the adapter back from the GPU, with `config` (the one it was made from).
    pub async fn to_adapter(&self, gpu: &Gpu, config: &crate::lora::LoraConfig) -> Result<Adapter> {
        let mut weights = BTreeMap::new();
        for (&key, (a, b)) in &self.modules {
            let pair = crate::lora::LoraPair { a: a.to_vec_f32(gpu).await?, b: b.to_vec_f32(gpu).await? };
            weights.insert(key, pair);
        }
        Ok(Adapter { config: config.clone(), weights })
    }

    pub async fn upload(gpu: &Gpu, adapter: &Adapter, cfg: &Gpt2Config) -> Result<GpuLora> {
        let r = adapter.config.r;
        let mut modules = BTreeMap::new();
        for (&(layer, m), pair) in &adapter.weights {
            let (fan_in, out) = m.dims(cfg);
            let label = |ab: &str| format!("h.{layer}.{}.lora_{ab}", m.path());
            let a = Tensor::from_slice(gpu, &label("A"), &[r, fan_in], DType::F32, &pair.a).await?;
            let b = Tensor::from_slice(gpu, &label("B"), &[out, r], DType::F32, &pair.b).await?;
            modules.insert((layer, m), (a, b));
        }
        Ok(GpuLora { r, scale: adapter.config.scale(), dropout: adapter.config.dropout, modules })
    }
}

/// One block's activations. Shapes use B, T, C, F (MLP width), NH.
pub struct LayerActs {
    pub ln_1: Tensor,      // (B, T, C)
    pub ln_1_mean: Tensor, // (B·T)
    pub ln_1_rstd: Tensor, // (B·T)
    pub qkv: Tensor,       // (B, T, 3C)
    pub atty: Tensor,      // (B, T, C)
    pub att_lse: Tensor,   // (B, NH, T)
    pub attproj: Tensor,   // (B, T, C)
    pub residual2: Tensor, // (B, T, C)
    pub ln_2: Tensor,      // (B, T, C)
    pub ln_2_mean: Tensor, // (B·T)
    pub ln_2_rstd: Tensor, // (B·T)
    pub fch: Tensor,       // (B, T, F)
    pub fch_gelu: Tensor,  // (B, T, F)
    pub fcproj: Tensor,    // (B, T, C)
    pub residual3: Tensor, // (B, T, C)
}

/// Everything a forward pass of B sequences of T tokens writes.
pub struct Activations {
    pub b: usize,
    pub t: usize,
    pub ids: Tensor,     // (B, T) u32
    pub targets: Tensor, // (B·T) i32, -100 = ignored
    pub encoded: Tensor, // (B, T, C)
    /// One set per layer when kept for a backward pass; otherwise two, used in turn.
    pub layers: Vec<LayerActs>,
    pub ln_f: Tensor,      // (B, T, C)
    pub ln_f_mean: Tensor, // (B·T)
    pub ln_f_rstd: Tensor, // (B·T)
    /// LoRA's x·Aᵀ for the module being computed: (B·T, r), when the model has an adapter.
    pub lora_xa: Option<Tensor>,
    /// LoRA's dropped-out input (B·T, max(C, F)), for training passes with lora_dropout.
    pub lora_xd: Option<Tensor>,
    /// Training passes with model dropout: the embeddings after dropout, and the residual
    /// branch after dropout (reused by every layer), both (B, T, C).
    pub encoded_drop: Option<Tensor>,
    pub branch_drop: Option<Tensor>,
    /// Logits for `logit_rows` rows at a time: (R, V).
    pub logits: Tensor,
    pub logit_rows: usize,
    pub losses: Tensor, // (B·T)
}

impl Activations {
    /// GPU memory the activations hold.
    pub fn bytes(&self) -> u64 {
        let layers: u64 = self
            .layers
            .iter()
            .flat_map(|a| {
                [
                    &a.ln_1,
                    &a.ln_1_mean,
                    &a.ln_1_rstd,
                    &a.qkv,
                    &a.atty,
                    &a.att_lse,
                    &a.attproj,
                    &a.residual2,
                    &a.ln_2,
                    &a.ln_2_mean,
                    &a.ln_2_rstd,
                    &a.fch,
                    &a.fch_gelu,
                    &a.fcproj,
                    &a.residual3,
                ]
            })
            .map(Tensor::bytes)
            .sum();
        let optional = [&self.lora_xa, &self.lora_xd, &self.encoded_drop, &self.branch_drop];
        layers
            + [&self.ids, &self.targets, &self.encoded, &self.ln_f, &self.ln_f_mean, &self.ln_f_rstd]
                .into_iter()
                .chain([&self.logits, &self.losses])
                .map(Tensor::bytes)
                .sum::<u64>()
            + optional.into_iter().flatten().map(Tensor::bytes).sum::<u64>()
    }

    /// Read the per-position losses back and sum those with a target.
    pub(crate) async fn read_loss(&self, gpu: &Gpu, targets: &[i32]) -> Result<LossSum> {
        let losses = self.losses.to_vec_f32(gpu).await?;
        let mut out = LossSum::default();
        for (loss, &target) in losses.iter().zip(targets) {
            if target != IGNORE_INDEX {
                out.sum += *loss as f64;
                out.count += 1;
            }
        }
        Ok(out)
    }

    /// Allocate for B sequences of T tokens. `keep_layers` keeps every block's activations (for
    /// a backward pass); without it two sets alternate, which is all a forward pass needs.
    pub async fn new(
        gpu: &Gpu,
        cfg: &Gpt2Config,
        b: usize,
        t: usize,
        keep_layers: bool,
        lora_r: usize,
    ) -> Result<Activations> {
        Activations::alloc(gpu, cfg, b, t, keep_layers, lora_r, usize::MAX).await
    }

    /// For generation: a forward pass over T new tokens whose logits block holds one row (the
    /// last position's, which is all sampling needs).
    pub async fn for_generation(gpu: &Gpu, cfg: &Gpt2Config, t: usize, lora_r: usize) -> Result<Activations> {
        Activations::alloc(gpu, cfg, 1, t, false, lora_r, 1).await
    }

    async fn alloc(
        gpu: &Gpu,
        cfg: &Gpt2Config,
        b: usize,
        t: usize,
        keep_layers: bool,
        lora_r: usize,
        max_logit_rows: usize,
    ) -> Result<Activations> {
        if b == 0 || t == 0 {
            return Err(Error::data("batch size and sequence length must be at least 1"));
        }
        if t > cfg.n_positions {
            return Err(Error::data(format!(
                "sequence length {t} is longer than the model's n_positions = {}",
                cfg.n_positions
            )));
        }
        let (c, f, nh, bt) = (cfg.n_embd, cfg.n_inner, cfg.n_head, b * t);
        let z = |label: &'static str, shape: Vec<usize>| async move {
            Tensor::zeros(gpu, label, &shape, DType::F32).await
        };
        let sets = if keep_layers { cfg.n_layer } else { cfg.n_layer.min(2) };
        let mut layers = Vec::with_capacity(sets);
        for _ in 0..sets {
            layers.push(LayerActs {
                ln_1: z("ln_1", vec![b, t, c]).await?,
                ln_1_mean: z("ln_1_mean", vec![bt]).await?,
                ln_1_rstd: z("ln_1_rstd", vec![bt]).await?,
                qkv: z("qkv", vec![b, t, 3 * c]).await?,
                atty: z("atty", vec![b, t, c]).await?,
                att_lse: z("att_lse", vec![b, nh, t]).await?,
                attproj: z("attproj", vec![b, t, c]).await?,
                residual2: z("residual2", vec![b, t, c]).await?,
                ln_2: z("ln_2", vec![b, t, c]).await?,
                ln_2_mean: z("ln_2_mean", vec![bt]).await?,
                ln_2_rstd: z("ln_2_rstd", vec![bt]).await?,
                fch: z("fch", vec![b, t, f]).await?,
                fch_gelu: z("fch_gelu", vec![b, t, f]).await?,
                fcproj: z("fcproj", vec![b, t, c]).await?,
                residual3: z("residual3", vec![b, t, c]).await?,
            });
        }
        let v = cfg.vocab_size;
        let budget = LOGITS_BUDGET.min(gpu.limits.max_storage_buffer_binding_size) as usize;
        let logit_rows = (budget / (v * 4)).clamp(1, bt).min(max_logit_rows);
        Ok(Activations {
            b,
            t,
            ids: Tensor::zeros(gpu, "ids", &[b, t], DType::U32).await?,
            targets: Tensor::zeros(gpu, "targets", &[bt], DType::I32).await?,
            encoded: z("encoded", vec![b, t, c]).await?,
            layers,
            ln_f: z("ln_f", vec![b, t, c]).await?,
            ln_f_mean: z("ln_f_mean", vec![bt]).await?,
            ln_f_rstd: z("ln_f_rstd", vec![bt]).await?,
            lora_xa: if lora_r > 0 { Some(z("lora_xa", vec![bt, lora_r]).await?) } else { None },
            lora_xd: if lora_r > 0 && keep_layers {
                Some(z("lora_xd", vec![bt, c.max(f)]).await?)
            } else {
                None
            },
            encoded_drop: if keep_layers { Some(z("encoded_drop", vec![b, t, c]).await?) } else { None },
            branch_drop: if keep_layers { Some(z("branch_drop", vec![b, t, c]).await?) } else { None },
            logits: z("logits", vec![logit_rows, v]).await?,
            logit_rows,
            losses: z("losses", vec![bt]).await?,
        })
    }
}

/// The keys and values of every position a generation has seen, per layer: (B, CAP, 2C), k then
/// v for each position (shaders/kv_attention.wgsl). Forward passes append to it; the caller
/// keeps count of the positions filled.
pub struct KvCache {
    pub layers: Vec<Tensor>,
    pub capacity: usize,
}

impl KvCache {
    /// Room for `capacity` positions (at most n_positions) of B sequences.
    pub async fn new(gpu: &Gpu, cfg: &Gpt2Config, b: usize, capacity: usize) -> Result<KvCache> {
        if capacity == 0 || capacity > cfg.n_positions {
            return Err(Error::data(format!(
                "a KV cache of {capacity} positions: the model's context is 1 ..= {}",
                cfg.n_positions
            )));
        }
        let mut layers = Vec::with_capacity(cfg.n_layer);
        for l in 0..cfg.n_layer {
            let label = format!("h.{l}.kv_cache");
            layers.push(Tensor::zeros(gpu, &label, &[b, capacity, 2 * cfg.n_embd], DType::F32).await?);
        }
        Ok(KvCache { layers, capacity })
    }
}

/// Sum of per-token losses and how many tokens counted, so batches can be combined exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LossSum {
    pub sum: f64,
    pub count: usize,
}

impl LossSum {
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.sum / self.count as f64
        }
    }

    pub fn add(&mut self, other: LossSum) {
        self.sum += other.sum;
        self.count += other.count;
    }
}

/// transformers' causal-LM targets: position t predicts labels[t + 1]; the last position of each
/// sequence predicts nothing.
pub fn shift_labels(labels: &[i32], b: usize, t: usize) -> Vec<i32> {
    let mut out = vec![IGNORE_INDEX; b * t];
    for s in 0..b {
        for i in 0..t.saturating_sub(1) {
            out[s * t + i] = labels[s * t + i + 1];
        }
    }
    out
}

impl Gpt2 {
    /// Parse config.json and model.safetensors, validate, and upload the weights (one tensor
    /// converted at a time).
    pub async fn load(gpu: &Gpu, config_json: &str, safetensors: &[u8], dtype: WeightDtype) -> Result<Gpt2> {
        let config = Gpt2Config::from_json(config_json)?;
        let file = SafetensorsFile::open(&config, safetensors.len() as u64, read_slice(safetensors)).await?;
        Gpt2::from_checkpoint(gpu, config, &file, dtype).await
    }

    /// Upload weights from a [`Checkpoint`] or a [`SafetensorsFile`].
    pub async fn from_checkpoint(
        gpu: &Gpu,
        config: Gpt2Config,
        ck: &impl TensorSource,
        dtype: WeightDtype,
    ) -> Result<Gpt2> {
        let weights = Weights::upload(gpu, &config, ck, dtype).await?;
        Ok(Gpt2::new(config, weights))
    }

    /// A model over uploaded weights: tiled products, no adapter, config.json's dropout.
    pub fn new(config: Gpt2Config, weights: Weights) -> Gpt2 {
        let dropout = ModelDropout::from_config(&config);
        Gpt2 { config, weights, variant: Variant::Tiled, lora: None, lora_enabled: false, dropout }
    }

    /// Apply `adapter` unmerged (replacing any other); `lora_enabled` switches it on and off.
    pub async fn set_adapter(&mut self, gpu: &Gpu, adapter: &Adapter) -> Result<()> {
        adapter.config.targets(&self.config)?;
        self.lora = Some(GpuLora::upload(gpu, adapter, &self.config).await?);
        self.lora_enabled = true;
        Ok(())
    }

    /// The rank Activations need scratch for (0 without an active adapter).
    pub fn lora_rank(&self) -> usize {
        match &self.lora {
            Some(l) if self.lora_enabled => l.r,
            _ => 0,
        }
    }

    /// A model-dropout mask at `site` with probability `p` in a training pass (None otherwise).
    pub(crate) fn model_mask(&self, seed: Option<u32>, site: u32, p: f32) -> Option<DropoutMask> {
        seed.filter(|_| p > 0.0).map(|seed| DropoutMask { p, seed, site })
    }

    pub(crate) fn embd_mask(&self, seed: Option<u32>) -> Option<DropoutMask> {
        self.model_mask(seed, SITE_EMBD, self.dropout.embd)
    }

    pub(crate) fn attn_mask(&self, seed: Option<u32>, layer: usize) -> Option<DropoutMask> {
        self.model_mask(seed, SITE_ATTN + layer as u32, self.dropout.attn)
    }

    /// `branch` 0: after attn.c_proj, 1: after mlp.c_proj.
    pub(crate) fn resid_mask(&self, seed: Option<u32>, layer: usize, branch: u32) -> Option<DropoutMask> {
        self.model_mask(seed, SITE_RESID + 2 * layer as u32 + branch, self.dropout.resid)
    }

    /// The tensor a masked value goes to: `x` itself without a mask, else `scratch` holding
    /// x · mask / (1 - p). (The same formula is the backward of dropout for a gradient.)
    pub(crate) fn masked<'a>(
        &self,
        gpu: &Gpu,
        pass: &mut wgpu::ComputePass<'_>,
        mask: Option<DropoutMask>,
        x: &'a Tensor,
        scratch: Option<&'a Tensor>,
    ) -> Result<&'a Tensor> {
        let Some(mask) = mask else { return Ok(x) };
        let out = scratch.ok_or_else(|| Error::data("dropout needs training activations (keep_layers)"))?;
        encode_dropout_forward(gpu, pass, mask, x.numel(), x, out)?;
        Ok(out)
    }

    /// Layer 0's input: the embeddings, after embd dropout in a training pass.
    pub(crate) fn embeddings<'a>(&self, acts: &'a Activations, seed: Option<u32>) -> &'a Tensor {
        match (self.embd_mask(seed), acts.encoded_drop.as_ref()) {
            (Some(_), Some(t)) => t,
            _ => &acts.encoded,
        }
    }

    /// The dropout mask of `(layer, module)` in a training pass seeded `seed` (None outside
    /// training, or without lora_dropout).
    pub(crate) fn lora_mask(&self, seed: Option<u32>, layer: usize, module: Module) -> Option<DropoutMask> {
        let lora = self.lora.as_ref()?;
        let seed = seed.filter(|_| lora.dropout > 0.0)?;
        Some(DropoutMask { p: lora.dropout, seed, site: layer as u32 * 4 + module.index() })
    }

    /// Record x's dropout into acts.lora_xd when `mask` is set; returns the LoRA branch's input.
    pub(crate) fn lora_input<'a>(
        &self,
        gpu: &Gpu,
        pass: &mut wgpu::ComputePass<'_>,
        acts: &'a Activations,
        mask: Option<DropoutMask>,
        x: &'a Tensor,
    ) -> Result<&'a Tensor> {
        let Some(mask) = mask else { return Ok(x) };
        let xd = acts
            .lora_xd
            .as_ref()
            .ok_or_else(|| Error::data("LoRA dropout needs training activations (keep_layers)"))?;
        encode_dropout_forward(gpu, pass, mask, x.numel(), x, xd)?;
        Ok(xd)
    }

    /// Record y (B·T, out) += s·(dropout(x)·Aᵀ)·Bᵀ for `(layer, module)` if the active adapter
    /// targets it; dropout only in a training pass (`seed` set).
    #[allow(clippy::too_many_arguments)]
    fn encode_lora(
        &self,
        gpu: &Gpu,
        pass: &mut wgpu::ComputePass<'_>,
        acts: &Activations,
        seed: Option<u32>,
        layer: usize,
        module: Module,
        x: &Tensor,
        y: &Tensor,
    ) -> Result<()> {
        let Some(lora) = self.lora.as_ref().filter(|_| self.lora_enabled) else { return Ok(()) };
        let Some((a, b)) = lora.modules.get(&(layer, module)) else { return Ok(()) };
        let x = self.lora_input(gpu, pass, acts, self.lora_mask(seed, layer, module), x)?;
        let xa = acts.lora_xa.as_ref().filter(|t| t.shape[1] == lora.r).ok_or_else(|| {
            Error::data("activations were allocated without LoRA scratch for this adapter's rank")
        })?;
        let (r, fan_in, out) = (lora.r, a.shape[1], b.shape[0]);
        let m = acts.b * acts.t;
        let variant = self.variant.for_rows(m);
        // xa (M, r) = x (M, in) · Aᵀ: the product's B operand [k = in, n = r] is A read transposed.
        let g = Gemm::contiguous(m, r, fan_in, (fan_in, 1), (1, fan_in), variant);
        encode_gemm(gpu, pass, g, x, a, None, xa)?;
        // y (M, out) += s · xa · Bᵀ: B operand [k = r, n = out] is lora_B (out, r) transposed.
        let g = Gemm {
            alpha: lora.scale,
            accumulate: true,
            ..Gemm::contiguous(m, out, r, (r, 1), (1, r), variant)
        };
        encode_gemm(gpu, pass, g, xa, b, None, y)?;
        Ok(())
    }

    fn check_ids(&self, acts: &Activations, ids: &[u32]) -> Result<()> {
        if ids.len() != acts.b * acts.t {
            return Err(Error::data(format!(
                "{} token ids for a batch of {} x {}",
                ids.len(),
                acts.b,
                acts.t
            )));
        }
        self.check_token_ids(ids)
    }

    /// Every id must be a row of wte.
    pub fn check_token_ids(&self, ids: &[u32]) -> Result<()> {
        if let Some(&bad) = ids.iter().find(|&&id| id as usize >= self.config.vocab_size) {
            return Err(Error::data(format!(
                "token id {bad} is outside the vocabulary (size {})",
                self.config.vocab_size
            )));
        }
        Ok(())
    }

    /// Record the forward pass up to the final layernorm (acts.ln_f) for ids already in acts.ids.
    /// `seed` makes it a training pass (dropout on, masks from the seed); None is eval mode.
    pub fn encode_forward(
        &self,
        gpu: &Gpu,
        pass: &mut wgpu::ComputePass<'_>,
        acts: &Activations,
        seed: Option<u32>,
    ) -> Result<()> {
        self.encode_forward_at(gpu, pass, acts, seed, None)
    }

    /// The same, for tokens that continue the sequences in a KV cache: `cache` = (the cache,
    /// positions it holds), and acts.ids (B, T) are the next T tokens. Their keys and values are
    /// appended to the cache and attention reads every cached position (eval mode only).
    pub fn encode_forward_at(
        &self,
        gpu: &Gpu,
        pass: &mut wgpu::ComputePass<'_>,
        acts: &Activations,
        seed: Option<u32>,
        cache: Option<(&KvCache, usize)>,
    ) -> Result<()> {
        let cfg = &self.config;
        let w = &self.weights;
        let v = self.variant.for_rows(acts.b * acts.t);
        let eps = cfg.layer_norm_epsilon;
        let sets = acts.layers.len();
        if cache.is_some() && seed.is_some() {
            return Err(Error::data("a KV cache is for generation; training passes run without one"));
        }
        if let Some((kv, _)) = cache.filter(|(kv, _)| kv.layers.len() != cfg.n_layer) {
            return Err(Error::data(format!(
                "a KV cache of {} layers for a model of {}",
                kv.layers.len(),
                cfg.n_layer
            )));
        }
        let pos0 = cache.map_or(0, |(_, pos0)| pos0);
        encode_encoder_forward(gpu, pass, &acts.ids, &w.wte, &w.wpe, pos0, &acts.encoded)?;
        let x0 = self.masked(gpu, pass, self.embd_mask(seed), &acts.encoded, acts.encoded_drop.as_ref())?;
        for (l, lw) in w.layers.iter().enumerate() {
            let input = if l == 0 { x0 } else { &acts.layers[(l - 1) % sets].residual3 };
            let a = &acts.layers[l % sets];
            encode_layernorm_forward(
                gpu,
                pass,
                input,
                &lw.ln_1_w,
                &lw.ln_1_b,
                eps,
                &a.ln_1,
                &a.ln_1_mean,
                &a.ln_1_rstd,
            )?;
            encode_matmul_forward(gpu, pass, &a.ln_1, &lw.c_attn_w, Some(&lw.c_attn_b), &a.qkv, v)?;
            self.encode_lora(gpu, pass, acts, seed, l, Module::AttnCAttn, &a.ln_1, &a.qkv)?;
            if let Some((kv, pos0)) = cache {
                encode_kv_append(gpu, pass, &a.qkv, &kv.layers[l], pos0)?;
            }
            match cache {
                // Decoding (or a chunk after the first): queries attend to the cache.
                Some((kv, pos0)) if pos0 > 0 => {
                    let layer_kv = &kv.layers[l];
                    encode_kv_attention(
                        gpu,
                        pass,
                        &a.qkv,
                        layer_kv,
                        pos0,
                        cfg.n_head,
                        cfg.attn_scale(l),
                        &a.atty,
                    )?
                }
                // Whole sequences, and a prefill from position 0: the cache holds exactly qkv's
                // keys and values, so the training pass's kernel reads them from qkv.
                _ => encode_attention_forward(
                    gpu,
                    pass,
                    &a.qkv,
                    cfg.n_head,
                    cfg.attn_scale(l),
                    self.attn_mask(seed, l),
                    &a.atty,
                    &a.att_lse,
                )?,
            }
            encode_matmul_forward(gpu, pass, &a.atty, &lw.attn_proj_w, Some(&lw.attn_proj_b), &a.attproj, v)?;
            self.encode_lora(gpu, pass, acts, seed, l, Module::AttnCProj, &a.atty, &a.attproj)?;
            let branch =
                self.masked(gpu, pass, self.resid_mask(seed, l, 0), &a.attproj, acts.branch_drop.as_ref())?;
            encode_residual_forward(gpu, pass, input, branch, &a.residual2)?;
            encode_layernorm_forward(
                gpu,
                pass,
                &a.residual2,
                &lw.ln_2_w,
                &lw.ln_2_b,
                eps,
                &a.ln_2,
                &a.ln_2_mean,
                &a.ln_2_rstd,
            )?;
            encode_matmul_forward(gpu, pass, &a.ln_2, &lw.c_fc_w, Some(&lw.c_fc_b), &a.fch, v)?;
            self.encode_lora(gpu, pass, acts, seed, l, Module::MlpCFc, &a.ln_2, &a.fch)?;
            encode_gelu_forward(gpu, pass, &a.fch, &a.fch_gelu)?;
            encode_matmul_forward(
                gpu,
                pass,
                &a.fch_gelu,
                &lw.mlp_proj_w,
                Some(&lw.mlp_proj_b),
                &a.fcproj,
                v,
            )?;
            self.encode_lora(gpu, pass, acts, seed, l, Module::MlpCProj, &a.fch_gelu, &a.fcproj)?;
            let branch =
                self.masked(gpu, pass, self.resid_mask(seed, l, 1), &a.fcproj, acts.branch_drop.as_ref())?;
            encode_residual_forward(gpu, pass, &a.residual2, branch, &a.residual3)?;
        }
        let last = &acts.layers[(cfg.n_layer - 1) % sets].residual3;
        encode_layernorm_forward(
            gpu,
            pass,
            last,
            &w.ln_f_w,
            &w.ln_f_b,
            eps,
            &acts.ln_f,
            &acts.ln_f_mean,
            &acts.ln_f_rstd,
        )?;
        Ok(())
    }

    /// Record lm_head (tied to wte) for rows r0 .. r0 + rows of ln_f into `logits` (R, V).
    pub fn encode_lm_head(
        &self,
        gpu: &Gpu,
        pass: &mut wgpu::ComputePass<'_>,
        ln_f: &Tensor,
        r0: usize,
        rows: usize,
        logits: &Tensor,
    ) -> Result<()> {
        let (c, v) = (self.config.n_embd, self.config.vocab_size);
        for (v0, chunk) in &self.weights.wte {
            // logits[r, v0 + j] = Σ_c ln_f[r0 + r, c] · wte[v0 + j, c]: B is the wte range read
            // transposed, C a column range of the logits block.
            let g = Gemm {
                m: rows,
                n: chunk.shape[0],
                k: c,
                a_off: r0 * c,
                a_strides: (c, 1),
                b_strides: (1, c),
                c_off: *v0,
                c_rs: v,
                alpha: 1.0,
                accumulate: false,
                variant: self.variant.for_rows(rows),
            };
            encode_gemm(gpu, pass, g, ln_f, chunk, None, logits)?;
        }
        Ok(())
    }

    /// Mean-able loss of `ids` (B, T) against `labels` (B, T; -100 = ignored), as transformers'
    /// `model(input_ids, labels=labels).loss` computes it before the mean.
    /// Check ids and labels (-100 or a token id) for a batch of `acts`' shape.
    pub(crate) fn check_batch(&self, acts: &Activations, ids: &[u32], labels: &[i32]) -> Result<()> {
        self.check_ids(acts, ids)?;
        let v = self.config.vocab_size as i32;
        if labels.len() != ids.len() {
            return Err(Error::data(format!("{} labels for {} token ids", labels.len(), ids.len())));
        }
        if let Some(&bad) = labels.iter().find(|&&l| l != IGNORE_INDEX && !(0..v).contains(&l)) {
            return Err(Error::data(format!("label {bad} is neither -100 nor a token id below {v}")));
        }
        Ok(())
    }

    pub async fn loss(&self, gpu: &Gpu, acts: &Activations, ids: &[u32], labels: &[i32]) -> Result<LossSum> {
        self.check_batch(acts, ids, labels)?;
        let targets = shift_labels(labels, acts.b, acts.t);
        acts.ids.write(gpu, ids)?;
        acts.targets.write(gpu, &targets)?;
        let bt = acts.b * acts.t;
        gpu.run("gpt2 forward + loss", |pass| {
            self.encode_forward(gpu, pass, acts, None)?;
            for r0 in (0..bt).step_by(acts.logit_rows) {
                let rows = acts.logit_rows.min(bt - r0);
                self.encode_lm_head(gpu, pass, &acts.ln_f, r0, rows, &acts.logits)?;
                encode_crossentropy_forward(gpu, pass, &acts.logits, rows, &acts.targets, r0, &acts.losses)?;
            }
            Ok::<(), Error>(())
        })?;
        acts.read_loss(gpu, &targets).await
    }

    /// Logits of each sequence's last position (B, V): what generation samples from.
    pub async fn last_logits(&self, gpu: &Gpu, acts: &Activations, ids: &[u32]) -> Result<Vec<f32>> {
        self.check_ids(acts, ids)?;
        acts.ids.write(gpu, ids)?;
        let (b, t, c, v) = (acts.b, acts.t, self.config.n_embd, self.config.vocab_size);
        let out = Tensor::zeros(gpu, "last logits", &[b, v], DType::F32).await?;
        gpu.run("gpt2 forward + last logits", |pass| {
            self.encode_forward(gpu, pass, acts, None)?;
            for (v0, chunk) in &self.weights.wte {
                // Row s of A is ln_f[s, T - 1, :]: offset (T - 1)·C, stride T·C between rows.
                let g = Gemm {
                    m: b,
                    n: chunk.shape[0],
                    k: c,
                    a_off: (t - 1) * c,
                    a_strides: (t * c, 1),
                    b_strides: (1, c),
                    c_off: *v0,
                    c_rs: v,
                    alpha: 1.0,
                    accumulate: false,
                    variant: self.variant.for_rows(b),
                };
                encode_gemm(gpu, pass, g, &acts.ln_f, chunk, None, &out)?;
            }
            Ok::<(), Error>(())
        })?;
        Ok(out.to_vec_f32(gpu).await?)
    }

    /// Feed `ids` (acts' T tokens of one sequence) through the model after the `pos0` positions
    /// already in `cache`, appending theirs; returns the logits of the last one (V).
    pub async fn forward_cached(
        &self,
        gpu: &Gpu,
        acts: &Activations,
        cache: &KvCache,
        pos0: usize,
        ids: &[u32],
    ) -> Result<Vec<f32>> {
        self.check_ids(acts, ids)?;
        if acts.b != 1 || acts.logit_rows != 1 {
            return Err(Error::data("forward_cached needs Activations::for_generation"));
        }
        acts.ids.write(gpu, ids)?;
        gpu.run("gpt2 forward (KV cache) + last logits", |pass| {
            self.encode_forward_at(gpu, pass, acts, None, Some((cache, pos0)))?;
            self.encode_lm_head(gpu, pass, &acts.ln_f, acts.t - 1, 1, &acts.logits)
        })?;
        Ok(acts.logits.to_vec_f32(gpu).await?)
    }

    /// All logits (B, T, V) for `ids`: for tests and small models (B·T·V floats are allocated).
    pub async fn logits(&self, gpu: &Gpu, acts: &Activations, ids: &[u32]) -> Result<Vec<f32>> {
        self.check_ids(acts, ids)?;
        acts.ids.write(gpu, ids)?;
        let bt = acts.b * acts.t;
        let logits = Tensor::zeros(gpu, "logits (all)", &[bt, self.config.vocab_size], DType::F32).await?;
        gpu.run("gpt2 forward + logits", |pass| {
            self.encode_forward(gpu, pass, acts, None)?;
            self.encode_lm_head(gpu, pass, &acts.ln_f, 0, bt, &logits)
        })?;
        Ok(logits.to_vec_f32(gpu).await?)
    }
}
