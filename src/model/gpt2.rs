//! The GPT-2 model: its weights as nn/ layers and the forward graph as a straight list of them
//! (llm.c's gpt2_forward), recorded into one compute pass. The kind of pass (evaluation,
//! training with dropout, decoding against a KV cache) is a [`Pass`], and an adapter is passed
//! in, so one immutable model serves base and tuned runs alike. Activations live in flat named
//! structs with their shapes beside them.

use super::weights::{read_slice, SafetensorsFile, TensorSource};
use super::{Gpt2Config, GpuLora, LoraGrads, Module, WeightDtype, Weights};
use crate::error::{Error, Result};
use crate::gpu::{DType, Gpu, Tensor};
use crate::kernels::crossentropy::encode_crossentropy_forward;
use crate::kernels::elementwise::DropoutMask;
use crate::kernels::encoder::encode_encoder_forward;
use crate::kernels::matmul::{Tuned, Variant};
use crate::nn::{
    self, BlockActs, BlockRun, BufferPlan, Grads, LnActs, LoraDelta, LoraGradsRef, LoraSite, Rec, Rows,
};

/// Targets that take no part in the loss, as in PyTorch's cross_entropy.
pub const IGNORE_INDEX: i32 = -100;

/// Logit rows computed at once for the loss: at most this many bytes of logits exist.
const LOGITS_BUDGET: u64 = 64 << 20;

pub struct Gpt2 {
    pub config: Gpt2Config,
    pub weights: Weights,
    /// Which matmul entry point the frozen-weight products use.
    pub variant: Variant,
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

/// What kind of forward pass to record.
#[derive(Clone, Copy)]
pub enum Pass<'a> {
    /// No dropout (transformers' `model.eval()`).
    Eval,
    /// Training: the model's dropout and the adapter's lora_dropout on, with masks drawn from
    /// `seed` (the run's seed mixed with the step and micro-batch: train::mask_seed).
    Train { seed: u32, dropout: ModelDropout },
    /// Generation: the new tokens continue sequences whose first `pos` positions are in
    /// `cache`; their keys and values are appended to it. No dropout.
    Decode { cache: &'a KvCache, pos: usize },
}

impl Pass<'_> {
    fn seed(&self) -> Option<u32> {
        match self {
            Pass::Train { seed, .. } => Some(*seed),
            _ => None,
        }
    }

    fn dropout(&self) -> ModelDropout {
        match self {
            Pass::Train { dropout, .. } => *dropout,
            _ => ModelDropout::default(),
        }
    }
}

/// Dropout sites of the model's own masks (LoRA's sites are layer·4 + module, below these).
const SITE_EMBD: u32 = 1 << 20;
const SITE_ATTN: u32 = 2 << 20;
const SITE_RESID: u32 = 3 << 20;

/// Everything a forward pass of B sequences of T tokens writes.
pub struct Activations {
    pub b: usize,
    pub t: usize,
    pub ids: Tensor,     // (B, T) u32
    pub targets: Tensor, // (B·T) i32, -100 = ignored
    pub encoded: Tensor, // (B, T, C)
    /// One set per layer when kept for a backward pass; one with gradient checkpointing;
    /// otherwise two, used in turn.
    pub layers: Vec<BlockActs>,
    /// With gradient checkpointing: each block's output (B, T, C); empty otherwise.
    pub checkpoints: Vec<Tensor>,
    pub ln_f: LnActs,
    /// LoRA's x·Aᵀ for the module being computed: (B·T, r), when the model has an adapter.
    pub lora_xa: Option<Tensor>,
    /// LoRA's dropped-out input (B·T, max(C, F)), for training passes with lora_dropout.
    pub lora_xd: Option<Tensor>,
    /// Training passes with model dropout: the embeddings after dropout, and the residual
    /// branch after dropout (reused by every layer), both (B, T, C).
    pub encoded_drop: Option<Tensor>,
    pub branch_drop: Option<Tensor>,
    /// Logits for `logit_rows` rows at a time: (R, V rounded up to 4; see `logit_stride`).
    pub logits: Tensor,
    pub logit_rows: usize,
    pub losses: Tensor, // (B·T)
    allocated: u64,
}

impl Activations {
    /// Whether the backward pass recomputes each block's activations (gradient checkpointing).
    pub fn recomputes(&self) -> bool {
        !self.checkpoints.is_empty()
    }

    /// Block `l`'s output: its checkpoint, or its activation set's residual3.
    pub fn block_output(&self, l: usize) -> &Tensor {
        match self.checkpoints.get(l) {
            Some(t) => t,
            None => &self.layers[l % self.layers.len()].residual3,
        }
    }

    /// The activation set block `l` uses.
    pub fn block_acts(&self, l: usize) -> &BlockActs {
        &self.layers[l % self.layers.len()]
    }

    /// GPU memory the activations hold (measured from the buffers).
    pub fn bytes(&self) -> u64 {
        self.allocated
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
    /// `lora_r` is the rank of the adapter the passes will run with (0 for none).
    pub async fn new(
        gpu: &Gpu,
        cfg: &Gpt2Config,
        b: usize,
        t: usize,
        keep_layers: bool,
        lora_r: usize,
    ) -> Result<Activations> {
        let shape = ActShape { b, t, keep_layers, recompute: false, lora_r, max_logit_rows: usize::MAX };
        Activations::alloc(gpu, cfg, shape).await
    }

    /// For generation: a forward pass over T new tokens whose logits block holds one row (the
    /// last position's, which is all sampling needs).
    pub async fn for_generation(gpu: &Gpu, cfg: &Gpt2Config, t: usize, lora_r: usize) -> Result<Activations> {
        let shape = ActShape { b: 1, t, keep_layers: false, recompute: false, lora_r, max_logit_rows: 1 };
        Activations::alloc(gpu, cfg, shape).await
    }

    /// Logit rows computed at once: at most as many as fit in 64 MiB (and one storage binding).
    /// The B·T rows are split into equal chunks rather than full chunks and a remainder: the
    /// products run in blocks of rows, and a short last chunk costs nearly a full one (at B·T
    /// = 512 and V = 50257: two chunks of 256 rows, not 333 + 179).
    fn logit_rows(cfg: &Gpt2Config, s: &ActShape, binding_limit: u64) -> usize {
        let budget = LOGITS_BUDGET.min(binding_limit) as usize;
        let (bt, most) = (s.b * s.t, (budget / (Activations::logit_stride(cfg) * 4)).max(1));
        bt.div_ceil(bt.div_ceil(most)).clamp(1, bt).min(s.max_logit_rows)
    }

    /// Elements between rows of the logits block: V rounded up to a multiple of 4, so that the
    /// lm_head backward product reads its rows as vec4 (GPT-2's V = 50257 is odd).
    pub fn logit_stride(cfg: &Gpt2Config) -> usize {
        cfg.vocab_size.next_multiple_of(4)
    }

    /// Every buffer a model of `cfg` allocates for `s`, with logit rows for `binding_limit`
    /// (the device's max_storage_buffer_binding_size): what [`Activations::new`] allocates and
    /// what the memory estimate adds up.
    pub fn plan(cfg: &Gpt2Config, s: &ActShape, binding_limit: u64) -> BufferPlan {
        let (b, t, c, f) = (s.b, s.t, cfg.n_embd, cfg.n_inner);
        let (bt, r, keep) = (b * t, s.lora_r, s.keep_layers);
        let sizes = cfg.sizes(b, t, r);
        let mut p = BufferPlan::new();
        p.push("ids", &[b, t], DType::U32).push("targets", &[bt], DType::I32).f32("encoded", &[b, t, c]);
        for l in 0..s.layer_sets(cfg) {
            BlockActs::plan(&mut p, &format!("h.{l}"), sizes);
        }
        if keep && s.recompute {
            for l in 0..cfg.n_layer {
                p.f32(format!("h.{l}.output"), &[b, t, c]);
            }
        }
        LnActs::plan(&mut p, "ln_f", sizes);
        if r > 0 {
            p.f32("lora_xa", &[bt, r]);
        }
        if r > 0 && keep {
            p.f32("lora_xd", &[bt, c.max(f)]);
        }
        if keep {
            p.f32("encoded_drop", &[b, t, c]).f32("branch_drop", &[b, t, c]);
        }
        p.f32("logits", &[Activations::logit_rows(cfg, s, binding_limit), Activations::logit_stride(cfg)])
            .f32("losses", &[bt]);
        p
    }

    pub(crate) async fn alloc(gpu: &Gpu, cfg: &Gpt2Config, s: ActShape) -> Result<Activations> {
        let (b, t) = (s.b, s.t);
        if b == 0 || t == 0 {
            return Err(Error::data("batch size and sequence length must be at least 1"));
        }
        if t > cfg.n_positions {
            return Err(Error::data(format!(
                "sequence length {t} is longer than the model's n_positions = {}",
                cfg.n_positions
            )));
        }
        let binding_limit = gpu.limits.max_storage_buffer_binding_size;
        let mut bufs = Activations::plan(cfg, &s, binding_limit).alloc(gpu).await?;
        let layers = (0..s.layer_sets(cfg))
            .map(|l| BlockActs::take(&mut bufs, &format!("h.{l}")))
            .collect::<Result<_, _>>()?;
        let checkpoints = match s.keep_layers && s.recompute {
            true => {
                (0..cfg.n_layer).map(|l| bufs.take(&format!("h.{l}.output"))).collect::<Result<_, _>>()?
            }
            false => Vec::new(),
        };
        let (r, keep) = (s.lora_r, s.keep_layers);
        Ok(Activations {
            b,
            t,
            ids: bufs.take("ids")?,
            targets: bufs.take("targets")?,
            encoded: bufs.take("encoded")?,
            layers,
            checkpoints,
            ln_f: LnActs::take(&mut bufs, "ln_f")?,
            lora_xa: bufs.take_if(r > 0, "lora_xa")?,
            lora_xd: bufs.take_if(r > 0 && keep, "lora_xd")?,
            encoded_drop: bufs.take_if(keep, "encoded_drop")?,
            branch_drop: bufs.take_if(keep, "branch_drop")?,
            logit_rows: Activations::logit_rows(cfg, &s, binding_limit),
            logits: bufs.take("logits")?,
            losses: bufs.take("losses")?,
            allocated: bufs.allocated,
        })
    }
}

/// The shape of an [`Activations`]: B sequences of T tokens; every layer's activations kept
/// (for a backward pass) or two sets used in turn; LoRA scratch of rank `lora_r` (0: none); at
/// most `max_logit_rows` rows of logits at once.
#[derive(Debug, Clone, Copy)]
pub struct ActShape {
    pub b: usize,
    pub t: usize,
    pub keep_layers: bool,
    /// Gradient checkpointing (with keep_layers): keep each block's output only, and one set of
    /// block activations that the backward pass refills by running each block's forward again.
    pub recompute: bool,
    pub lora_r: usize,
    pub max_logit_rows: usize,
}

impl ActShape {
    /// The sets of block activations: one per layer when kept, one when recomputed, else two
    /// used in turn.
    fn layer_sets(&self, cfg: &Gpt2Config) -> usize {
        match (self.keep_layers, self.recompute) {
            (true, true) => 1,
            (true, false) => cfg.n_layer,
            (false, _) => cfg.n_layer.min(2),
        }
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

    /// Upload weights from a [`Checkpoint`](super::Checkpoint) or a [`SafetensorsFile`].
    pub async fn from_checkpoint(
        gpu: &Gpu,
        config: Gpt2Config,
        ck: &impl TensorSource,
        dtype: WeightDtype,
    ) -> Result<Gpt2> {
        let weights = Weights::upload(gpu, &config, ck, dtype).await?;
        Ok(Gpt2::new(config, weights))
    }

    /// A model over uploaded weights. Its products run [`Variant::Auto`]: what
    /// [`Gpt2::tune`] chose for each shape on this adapter, else the adapter's default.
    pub fn new(config: Gpt2Config, weights: Weights) -> Gpt2 {
        Gpt2 { config, weights, variant: Variant::Auto }
    }

    /// Run the matmul autotuner on every frozen-weight product a pass over `acts` records (the
    /// four Conv1D weights forward and backward, lm_head's ranges forward and backward): each
    /// candidate kernel is timed once per shape on this adapter, and the fastest is what
    /// [`Variant::Auto`] runs from then on. Choices are cached per adapter (see gpu::Tuning), so
    /// only the first run on a machine pays for the timing.
    pub async fn tune(&self, gpu: &Gpu, acts: &Activations) -> Result<Vec<Tuned>> {
        let bt = acts.b * acts.t;
        let mut products = Vec::new();
        if let Some(block) = self.weights.h.first() {
            for w in [&block.attn.c_attn, &block.attn.c_proj, &block.mlp.c_fc, &block.mlp.c_proj] {
                products.extend(w.products(bt, self.variant));
            }
        }
        products.extend(self.weights.lm_head().products(
            gpu,
            acts.logit_rows,
            acts.logits.shape[1],
            self.variant,
        )?);
        Ok(crate::kernels::matmul::tune(gpu, &products).await?)
    }

    /// Record `f` into one compute pass of a fresh encoder and submit it.
    pub(crate) fn record(
        &self,
        gpu: &Gpu,
        label: &str,
        f: impl FnOnce(&mut Rec) -> Result<()>,
    ) -> Result<()> {
        gpu.run(label, |pass| f(&mut Rec::new(gpu, pass, self.variant)))
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

    /// A model-dropout mask at `site` with probability `p` in a training pass (None otherwise).
    fn mask(pass: &Pass, site: u32, p: f32) -> Option<DropoutMask> {
        pass.seed().filter(|_| p > 0.0).map(|seed| DropoutMask { p, seed, site })
    }

    /// What block `l` needs for `pass`: its masks, its LoRA deltas (with gradient buffers when
    /// `train` is given), its KV cache.
    pub(crate) fn block_run<'a>(
        &self,
        l: usize,
        acts: &'a Activations,
        lora: Option<&'a GpuLora>,
        train: Option<(&'a LoraGrads, &'a Grads)>,
        pass: &Pass<'a>,
    ) -> Result<BlockRun<'a>> {
        let p = pass.dropout();
        let mut run = BlockRun {
            attn_drop: Gpt2::mask(pass, SITE_ATTN + l as u32, p.attn),
            resid_drop: [0, 1].map(|branch| Gpt2::mask(pass, SITE_RESID + 2 * l as u32 + branch, p.resid)),
            branch: acts.branch_drop.as_ref(),
            kv: match pass {
                Pass::Decode { cache, pos } => Some((&cache.layers[l], *pos)),
                _ => None,
            },
            ..Default::default()
        };
        let Some(lora) = lora else { return Ok(run) };
        let xa = acts.lora_xa.as_ref().filter(|xa| xa.shape[1] == lora.r).ok_or_else(|| {
            Error::data("activations were allocated without LoRA scratch for this adapter's rank")
        })?;
        for (site, m) in Module::ALL.into_iter().enumerate() {
            let Some(w) = lora.modules.get(&(l, m)) else { continue };
            let mask = pass.seed().filter(|_| lora.dropout > 0.0).map(|seed| DropoutMask {
                p: lora.dropout,
                seed,
                site: l as u32 * 4 + m.index(),
            });
            let delta = LoraDelta { w, scale: lora.scale, mask, xa, xd: acts.lora_xd.as_ref() };
            let grads = match train {
                Some((lora_grads, g)) => {
                    let gw = lora_grads.tensors.get(&(l, m)).ok_or_else(|| {
                        Error::data("the LoRA gradients were allocated for another adapter")
                    })?;
                    Some(LoraGradsRef { da: &gw.a, db: &gw.b, dxa: &g.lora_dxa, dx_tmp: &g.lora_dx })
                }
                None => None,
            };
            run.lora[site] = Some(LoraSite { delta, grads });
        }
        Ok(run)
    }

    /// Layer 0's input: the embeddings, after embd dropout in a training pass.
    fn embeddings<'a>(&self, r: &mut Rec, acts: &'a Activations, pass: &Pass) -> Result<&'a Tensor> {
        let mask = Gpt2::mask(pass, SITE_EMBD, pass.dropout().embd);
        Ok(nn::dropout(r, mask, &acts.encoded, acts.encoded_drop.as_ref())?)
    }

    /// Record the forward pass up to the final layernorm (acts.ln_f) for ids already in
    /// acts.ids, with `lora` applied unmerged if given.
    pub fn encode_forward(
        &self,
        r: &mut Rec,
        acts: &Activations,
        lora: Option<&GpuLora>,
        pass: &Pass,
    ) -> Result<()> {
        let cfg = &self.config;
        let w = &self.weights;
        let pos0 = match pass {
            Pass::Decode { cache, pos } => {
                if cache.layers.len() != cfg.n_layer {
                    return Err(Error::data(format!(
                        "a KV cache of {} layers for a model of {}",
                        cache.layers.len(),
                        cfg.n_layer
                    )));
                }
                *pos
            }
            _ => 0,
        };
        encode_encoder_forward(r.gpu, r.pass, &acts.ids, &w.wte, &w.wpe, pos0, &acts.encoded)?;
        let x0 = self.embeddings(r, acts, pass)?;
        for (l, block) in w.h.iter().enumerate() {
            let x = if l == 0 { x0 } else { acts.block_output(l - 1) };
            let run = self.block_run(l, acts, lora, None, pass)?;
            block.forward_to(r, x, acts.block_acts(l), &run, acts.block_output(l))?;
        }
        w.ln_f.forward(r, acts.block_output(cfg.n_layer - 1), &acts.ln_f)?;
        Ok(())
    }

    /// The tensor layer 0 reads: the embeddings, or their dropped-out copy in a training pass.
    pub(crate) fn layer0_input<'a>(&self, acts: &'a Activations, pass: &Pass) -> &'a Tensor {
        match (Gpt2::mask(pass, SITE_EMBD, pass.dropout().embd), acts.encoded_drop.as_ref()) {
            (Some(_), Some(t)) => t,
            _ => &acts.encoded,
        }
    }

    /// Summed loss of `ids` (B, T) against `labels` (B, T; -100 = ignored) in eval mode, as
    /// transformers' `model(input_ids, labels=labels).loss` computes it before the mean.
    pub async fn loss(
        &self,
        gpu: &Gpu,
        acts: &Activations,
        lora: Option<&GpuLora>,
        ids: &[u32],
        labels: &[i32],
    ) -> Result<LossSum> {
        self.check_batch(acts, ids, labels)?;
        let targets = shift_labels(labels, acts.b, acts.t);
        acts.ids.write(gpu, ids)?;
        acts.targets.write(gpu, &targets)?;
        let bt = acts.b * acts.t;
        let (c, lm_head) = (self.config.n_embd, self.weights.lm_head());
        self.record(gpu, "gpt2 forward + loss", |r| {
            self.encode_forward(r, acts, lora, &Pass::Eval)?;
            for r0 in (0..bt).step_by(acts.logit_rows) {
                let rows = acts.logit_rows.min(bt - r0);
                lm_head.forward(r, &acts.ln_f.y, Rows::contiguous(r0, rows, c), &acts.logits)?;
                encode_crossentropy_forward(
                    r.gpu,
                    r.pass,
                    &acts.logits,
                    self.config.vocab_size,
                    rows,
                    &acts.targets,
                    r0,
                    &acts.losses,
                )?;
            }
            Ok(())
        })?;
        acts.read_loss(gpu, &targets).await
    }

    /// Logits of each sequence's last position (B, V): what generation samples from.
    pub async fn last_logits(
        &self,
        gpu: &Gpu,
        acts: &Activations,
        lora: Option<&GpuLora>,
        ids: &[u32],
    ) -> Result<Vec<f32>> {
        self.check_ids(acts, ids)?;
        acts.ids.write(gpu, ids)?;
        let (b, t, c, v) = (acts.b, acts.t, self.config.n_embd, self.config.vocab_size);
        let out = Tensor::zeros(gpu, "last logits", &[b, v], DType::F32).await?;
        self.record(gpu, "gpt2 forward + last logits", |r| {
            self.encode_forward(r, acts, lora, &Pass::Eval)?;
            // Row s is ln_f[s, T - 1, :]: offset (T - 1)·C, stride T·C between rows.
            let rows = Rows { offset: (t - 1) * c, stride: t * c, count: b };
            Ok(self.weights.lm_head().forward(r, &acts.ln_f.y, rows, &out)?)
        })?;
        Ok(out.to_vec_f32(gpu).await?)
    }

    /// Feed `ids` (acts' T tokens of one sequence) through the model after the `pos0` positions
    /// already in `cache`, appending theirs; returns the logits of the last one (V).
    pub async fn forward_cached(
        &self,
        gpu: &Gpu,
        acts: &Activations,
        lora: Option<&GpuLora>,
        cache: &KvCache,
        pos0: usize,
        ids: &[u32],
    ) -> Result<Vec<f32>> {
        self.check_ids(acts, ids)?;
        if acts.b != 1 || acts.logit_rows != 1 {
            return Err(Error::data("forward_cached needs Activations::for_generation"));
        }
        acts.ids.write(gpu, ids)?;
        let c = self.config.n_embd;
        self.record(gpu, "gpt2 forward (KV cache) + last logits", |r| {
            self.encode_forward(r, acts, lora, &Pass::Decode { cache, pos: pos0 })?;
            Ok(self.weights.lm_head().forward(
                r,
                &acts.ln_f.y,
                Rows::contiguous(acts.t - 1, 1, c),
                &acts.logits,
            )?)
        })?;
        let mut logits = acts.logits.to_vec_f32(gpu).await?;
        logits.truncate(self.config.vocab_size); // the row's padding
        Ok(logits)
    }

    /// All logits (B, T, V) for `ids`: for tests and small models (B·T·V floats are allocated).
    pub async fn logits(
        &self,
        gpu: &Gpu,
        acts: &Activations,
        lora: Option<&GpuLora>,
        ids: &[u32],
    ) -> Result<Vec<f32>> {
        self.check_ids(acts, ids)?;
        acts.ids.write(gpu, ids)?;
        let bt = acts.b * acts.t;
        let logits = Tensor::zeros(gpu, "logits (all)", &[bt, self.config.vocab_size], DType::F32).await?;
        let c = self.config.n_embd;
        self.record(gpu, "gpt2 forward + logits", |r| {
            self.encode_forward(r, acts, lora, &Pass::Eval)?;
            Ok(self.weights.lm_head().forward(r, &acts.ln_f.y, Rows::contiguous(0, bt, c), &logits)?)
        })?;
        Ok(logits.to_vec_f32(gpu).await?)
    }
}
