//! Benchmarks behind `webtune bench` (native only: they time with `std::time::Instant`).
//! Variants run side by side in one process, interleaved per shape, and we report medians, so
//! ratios hold on a shared, noisy machine.

use std::time::{Duration, Instant};

use crate::gpu::{Gpu, Result, Tensor};
use crate::kernels::matmul::{self, Variant};

/// One row of `bench matmul`.
#[derive(Debug, Clone)]
pub struct MatmulRow {
    pub op: &'static str,
    pub m: usize,
    pub k: usize,
    pub n: usize,
    pub naive: Duration,
    pub tiled: Duration,
}

impl MatmulRow {
    pub fn gflops(&self, t: Duration) -> f64 {
        2.0 * (self.m * self.k * self.n) as f64 / t.as_secs_f64() / 1e9
    }

    /// The header of `bench matmul`'s table.
    pub fn header() -> String {
        format!(
            "{:<16} {:>20} {:>14} {:>14} {:>12}",
            "op", "M x K -> N", "naive GFLOP/s", "tiled GFLOP/s", "tiled/naive"
        )
    }

    /// This row of the table.
    pub fn line(&self) -> String {
        format!(
            "{:<16} {:>20} {:>14.2} {:>14.2} {:>11.1}x",
            self.op,
            format!("{} x {} -> {}", self.m, self.k, self.n),
            self.gflops(self.naive),
            self.gflops(self.tiled),
            self.naive.as_secs_f64() / self.tiled.as_secs_f64()
        )
    }
}

/// Deterministic values in [-1, 1): enough for timing, no RNG dependency.
fn fill(len: usize, salt: u64) -> Vec<f32> {
    (0..len as u64)
        .map(|i| {
            let h = (i ^ salt).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29);
            (h >> 40) as f32 / (1u64 << 23) as f32 - 1.0
        })
        .collect()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// GPT-2's frozen-weight products at M = `bt` rows: (in, out) of c_attn, c_fc and mlp.c_proj.
pub const GPT2_SHAPES: [(usize, usize); 3] = [(768, 2304), (768, 3072), (3072, 768)];

/// Time naive and tiled forward and input-gradient products on `shapes`, `reps` times each after
/// one warm-up (which also compiles the pipeline), and report medians.
pub async fn matmul(
    gpu: &Gpu,
    bt: usize,
    shapes: &[(usize, usize)],
    reps: usize,
    mut progress: impl FnMut(&MatmulRow),
) -> Result<Vec<MatmulRow>> {
    let reps = reps.max(1);
    let mut rows = Vec::new();
    for &(k, n) in shapes {
        let x = Tensor::from_f32(gpu, "x", &[bt, k], &fill(bt * k, 1)).await?;
        let w = Tensor::from_f32(gpu, "w", &[k, n], &fill(k * n, 2)).await?;
        let b = Tensor::from_f32(gpu, "b", &[n], &fill(n, 3)).await?;
        let y = Tensor::zeros(gpu, "y", &[bt, n], crate::gpu::DType::F32).await?;
        let dx = Tensor::zeros(gpu, "dx", &[bt, k], crate::gpu::DType::F32).await?;

        for op in ["forward", "backward_input"] {
            let time = |variant: Variant| -> Result<Duration> {
                let start = Instant::now();
                gpu.run("bench matmul", |pass| match op {
                    "forward" => matmul::encode_matmul_forward(gpu, pass, &x, &w, Some(&b), &y, variant),
                    _ => matmul::encode_matmul_backward_input(gpu, pass, &y, &w, &dx, variant),
                })?;
                gpu.wait()?;
                Ok(start.elapsed())
            };
            time(Variant::Naive)?;
            time(Variant::Tiled)?;
            let (mut naive, mut tiled) = (Vec::new(), Vec::new());
            for _ in 0..reps {
                naive.push(time(Variant::Naive)?);
                tiled.push(time(Variant::Tiled)?);
            }
            let (m, kk, nn) = if op == "forward" { (bt, k, n) } else { (bt, n, k) };
            let row = MatmulRow { op, m, k: kk, n: nn, naive: median(naive), tiled: median(tiled) };
            progress(&row);
            rows.push(row);
        }
    }
    Ok(rows)
}

/// A GPT-2 of `cfg` with random weights ([`Checkpoint::random`]), in f32.
async fn random_model(gpu: &Gpu, cfg: &crate::model::Gpt2Config) -> crate::Result<crate::model::Gpt2> {
    use crate::model::{Checkpoint, Gpt2, WeightDtype};
    Gpt2::from_checkpoint(gpu, cfg.clone(), &Checkpoint::random(cfg, 0), WeightDtype::F32).await
}

/// `n` token ids below `vocab`, deterministic.
fn random_ids(n: usize, vocab: usize, salt: u64) -> Vec<u32> {
    fill(n, salt).iter().map(|&x| ((x + 1.0) * 0.5 * (vocab - 1) as f32) as u32).collect()
}

/// One row of `bench generate`: a context length, its prefill times and its decode-step times.
#[derive(Debug, Clone)]
pub struct GenerateBench {
    pub context: usize,
    pub prefills: Vec<Duration>,
    pub steps: Vec<Duration>,
}

impl GenerateBench {
    pub fn prefill(&self) -> Duration {
        median(self.prefills.clone())
    }

    /// Median time of one decode step (a forward pass of one token against the cache, the
    /// logits read back, and the sampling).
    pub fn decode(&self) -> Duration {
        median(self.steps.clone())
    }

    /// `bench generate`'s table: one line per context, then the decode speed at the longest
    /// context relative to the shortest.
    pub fn table(rows: &[GenerateBench]) -> String {
        let mut out = format!(
            "{:>8} {:>12} {:>16} {:>12} {:>16}\n",
            "context", "prefill s", "prefill tok/s", "decode ms", "decode tok/s"
        );
        for r in rows {
            let (p, d) = (r.prefill().as_secs_f64(), r.decode().as_secs_f64());
            let tok_s = r.context as f64 / p;
            out += &format!("{:>8} {p:>12.3} {tok_s:>16.1} {:>12.2} {:>16.2}\n", r.context, d * 1e3, 1.0 / d);
        }
        if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
            if rows.len() > 1 {
                out += &format!(
                    "decode tokens/s at context {} is {:.2}x that at context {}\n",
                    last.context,
                    first.decode().as_secs_f64() / last.decode().as_secs_f64(),
                    first.context
                );
            }
        }
        out
    }
}

/// Greedy generation on a random-weight GPT-2 of `cfg`: for each context length, prefill a
/// prompt of that many tokens, then time `tokens` decode steps one by one. Contexts are
/// interleaved in each of `rounds` rounds, after a warm-up that compiles the pipelines.
pub async fn generate(
    gpu: &Gpu,
    cfg: &crate::model::Gpt2Config,
    contexts: &[usize],
    tokens: usize,
    rounds: usize,
    lora: bool,
) -> crate::Result<Vec<GenerateBench>> {
    use crate::generate::{GenerateConfig, Generator};
    use crate::lora::{Adapter, LoraConfig};
    use crate::sample::Sampling;

    let model = random_model(gpu, cfg).await?;
    let lora = if lora {
        let mut adapter = Adapter::init(LoraConfig::default(), cfg, 0)?;
        // PEFT starts B at zero; give it values so the adapter's products are real work.
        for pair in adapter.weights.values_mut() {
            pair.b = fill(pair.b.len(), 5).into_iter().map(|x| 0.01 * x).collect();
        }
        Some(adapter.upload(gpu, cfg).await?)
    } else {
        None
    };
    let lora = lora.as_ref();
    let config = GenerateConfig { max_new_tokens: tokens + 1, sampling: Sampling::greedy(), eos: None };
    let mut rows: Vec<GenerateBench> =
        contexts.iter().map(|&context| GenerateBench { context, prefills: vec![], steps: vec![] }).collect();
    // Warm-up: every pipeline (prefill and decode shapes) compiles here.
    let mut warm = Generator::new(gpu, &model, lora, &random_ids(20, cfg.vocab_size, 1), config).await?;
    while warm.next_token(gpu, &model, lora).await?.is_some() {}
    for round in 0..rounds {
        for row in rows.iter_mut() {
            let prompt = random_ids(row.context, cfg.vocab_size, 10 + round as u64);
            let start = Instant::now();
            let mut g = Generator::new(gpu, &model, lora, &prompt, config).await?;
            row.prefills.push(start.elapsed());
            // The first token comes from the prefill's logits; each later one is a decode step.
            g.next_token(gpu, &model, lora).await?;
            for _ in 0..tokens {
                let start = Instant::now();
                g.next_token(gpu, &model, lora).await?;
                row.steps.push(start.elapsed());
            }
        }
    }
    Ok(rows)
}

/// One row of `bench train`: the median optimizer-step time of a LoRA run.
#[derive(Debug, Clone)]
pub struct TrainBench {
    pub step_times: Vec<Duration>,
    pub tokens_per_step: usize,
    pub trainable: usize,
}

impl TrainBench {
    pub fn median(&self) -> Duration {
        median(self.step_times.clone())
    }

    /// `bench train`'s last line.
    pub fn summary(&self) -> String {
        let m = self.median().as_secs_f64();
        format!(
            "median {m:.3} s/step, {:.0} tokens/s ({} trainable parameters)",
            self.tokens_per_step as f64 / m,
            self.trainable
        )
    }
}

/// Train the tutorial's LoRA (r 8, α 16, c_attn, AdamW, dropout as config) on a GPT-2 of `cfg`
/// with random weights (std 0.02, as GPT-2's init) for `steps` steps of B×T random tokens, after
/// one warm-up step (pipeline compiles), timing each step end to end (forward, backward,
/// optimizer, loss read-back).
pub async fn train(
    gpu: &Gpu,
    cfg: &crate::model::Gpt2Config,
    b: usize,
    t: usize,
    steps: usize,
    mut progress: impl FnMut(usize, Duration),
) -> crate::Result<TrainBench> {
    use crate::lora::{Adapter, LoraConfig};
    use crate::model::{Batch, LoraGrads, ModelDropout, Pass, TrainBuffers};
    use crate::optim::{Optimizer, OptimizerKind};

    let model = random_model(gpu, cfg).await?;
    let adapter = Adapter::init(LoraConfig::default(), cfg, 0)?;
    let lora = &adapter.upload(gpu, cfg).await?;
    let bufs = TrainBuffers::new(gpu, cfg, b, t, lora.r).await?;
    let lora_grads = LoraGrads::new(gpu, lora).await?;
    let dropout = ModelDropout::from_config(cfg);
    let mut opt = Optimizer::new(gpu, lora, OptimizerKind::adamw(), 0.0, 1.0).await?;
    let ids = random_ids(b * t, cfg.vocab_size, 7);
    let labels: Vec<i32> = ids.iter().map(|&i| i as i32).collect();
    let mut times = Vec::new();
    for step in 0..=steps {
        let start = Instant::now();
        lora_grads.zero(gpu)?;
        let batch = Batch { ids: &ids, labels: &labels, dloss_scale: 1.0 };
        let pass = Pass::Train { seed: step as u32, dropout };
        model.forward_backward(gpu, &bufs, lora, &lora_grads, batch, pass).await?;
        gpu.run("optimizer", |pass| opt.encode_step(gpu, pass, lora, &lora_grads, 3e-4))?;
        opt.grad_norm(gpu).await?;
        let took = start.elapsed();
        progress(step, took);
        if step > 0 {
            times.push(took);
        }
    }
    Ok(TrainBench { step_times: times, tokens_per_step: b * t, trainable: adapter.num_parameters() })
}
