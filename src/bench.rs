//! Benchmarks behind `webtune bench` (native only: they time with `std::time::Instant`).
//! Variants run side by side in one process, interleaved per shape, and we report medians, so
//! ratios hold on a shared, noisy machine.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::gpu::{Gpu, KernelTime, Result, Tensor};
use crate::kernels::matmul::{self, Variant};

/// One row of `bench matmul`: one product, each variant's median time.
#[derive(Debug, Clone)]
pub struct MatmulRow {
    pub op: &'static str,
    pub m: usize,
    pub k: usize,
    pub n: usize,
    pub times: Vec<(Variant, Duration)>,
}

impl MatmulRow {
    pub fn gflops(&self, t: Duration) -> f64 {
        2.0 * (self.m * self.k * self.n) as f64 / t.as_secs_f64() / 1e9
    }

    /// As JSON: the product and each variant's median seconds and GFLOP/s.
    pub fn json(&self) -> serde_json::Value {
        let variants: serde_json::Map<String, serde_json::Value> = self
            .times
            .iter()
            .map(|&(v, t)| {
                let x = serde_json::json!({ "seconds": t.as_secs_f64(), "gflops": self.gflops(t) });
                (v.name().to_string(), x)
            })
            .collect();
        serde_json::json!({ "op": self.op, "m": self.m, "k": self.k, "n": self.n, "variants": variants })
    }

    /// The header of `bench matmul`'s table for `variants`.
    pub fn header(variants: &[Variant]) -> String {
        let cols: String =
            variants.iter().map(|v| format!(" {:>17}", format!("{} GFLOP/s", v.name()))).collect();
        format!("{:<16} {:>20}{cols} {:>14}", "op", "M x K -> N", "best/tiled")
    }

    /// This row of the table.
    pub fn line(&self) -> String {
        let cols: String = self.times.iter().map(|&(_, t)| format!(" {:>17.2}", self.gflops(t))).collect();
        let tiled = self.times.iter().find(|(v, _)| *v == Variant::Tiled).map(|&(_, t)| t);
        let best = self.times.iter().map(|&(_, t)| t).min();
        let ratio = match (tiled, best) {
            (Some(t), Some(b)) => format!("{:.1}x", t.as_secs_f64() / b.as_secs_f64()),
            _ => "-".into(),
        };
        format!(
            "{:<16} {:>20}{cols} {:>14}",
            self.op,
            format!("{} x {} -> {}", self.m, self.k, self.n),
            ratio
        )
    }
}

/// The variants `bench matmul` times on this adapter: every one it has but rows (made for a
/// handful of rows, not `--bt`), with naive as the reference, and the workgroup-memory tile only on
/// adapters that are not CPUs (on a CPU its barriers are coroutine switches, as the autotuner knows).
pub fn matmul_variants(gpu: &Gpu) -> Vec<Variant> {
    let not_cpu = gpu.report.device_type != "Cpu";
    Variant::ALL
        .into_iter()
        .filter(|v| *v != Variant::Rows && v.available(gpu) && (*v != Variant::Shared || not_cpu))
        .collect()
}

/// Deterministic values in [-1, 1): enough for timing, no RNG dependency (benches/ use it too).
pub fn fill(len: usize, salt: u64) -> Vec<f32> {
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

/// Time every variant of [`matmul_variants`] on forward and input-gradient products on `shapes`,
/// `reps` times each after one warm-up (which also compiles the pipeline), interleaved, and
/// report medians.
pub async fn matmul(
    gpu: &Gpu,
    bt: usize,
    shapes: &[(usize, usize)],
    reps: usize,
    mut progress: impl FnMut(&MatmulRow),
) -> Result<Vec<MatmulRow>> {
    let reps = reps.max(1);
    let variants = matmul_variants(gpu);
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
            let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); variants.len()];
            for rep in 0..=reps {
                for (i, &v) in variants.iter().enumerate() {
                    let t = time(v)?;
                    if rep > 0 {
                        samples[i].push(t);
                    }
                }
            }
            let (m, kk, nn) = if op == "forward" { (bt, k, n) } else { (bt, n, k) };
            let times = variants.iter().zip(samples).map(|(&v, s)| (v, median(s))).collect();
            let row = MatmulRow { op, m, k: kk, n: nn, times };
            progress(&row);
            rows.push(row);
        }
    }
    Ok(rows)
}

/// Random GPT-2 weights made one tensor at a time when the upload asks for it (uniform with
/// GPT-2's init std 0.02; layernorm weights 1, biases 0), so that a benchmark's host memory holds
/// one tensor of the checkpoint at once, as [`crate::model::ModelDir::load`] does.
struct RandomWeights {
    shapes: std::collections::BTreeMap<String, Vec<usize>>,
}

impl crate::model::TensorSource for RandomWeights {
    async fn tensor(&self, name: &str) -> crate::Result<std::borrow::Cow<'_, crate::model::HostTensor>> {
        let shape =
            self.shapes.get(name).ok_or_else(|| crate::Error::model(format!("no tensor '{name}'")))?;
        let n: usize = shape.iter().product();
        let salt = name.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64));
        let data = crate::model::init_tensor(name, n, || {
            fill(n, salt).into_iter().map(|x| 0.02 * 3f32.sqrt() * x).collect()
        });
        Ok(std::borrow::Cow::Owned(crate::model::HostTensor { shape: shape.clone(), data }))
    }
}

/// A GPT-2 of `cfg` with random weights, stored as `dtype`.
async fn random_model(
    gpu: &Gpu,
    cfg: &crate::model::Gpt2Config,
    dtype: crate::model::WeightDtype,
) -> crate::Result<crate::model::Gpt2> {
    let shapes = crate::model::expected_tensors(cfg).into_iter().collect();
    crate::model::Gpt2::from_checkpoint(gpu, cfg.clone(), &RandomWeights { shapes }, dtype).await
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

    /// As JSON: context, median prefill and decode-step seconds, tokens/s.
    pub fn json(&self) -> serde_json::Value {
        let (p, d) = (self.prefill().as_secs_f64(), self.decode().as_secs_f64());
        serde_json::json!({
            "context": self.context, "prefill_seconds": p, "prefill_tokens_per_second": self.context as f64 / p,
            "decode_seconds": d, "decode_tokens_per_second": 1.0 / d,
        })
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
    profile: bool,
) -> crate::Result<(Vec<GenerateBench>, Option<Profile>)> {
    use crate::generate::{GenerateConfig, Generator};
    use crate::lora::{Adapter, LoraConfig};
    use crate::sample::Sampling;

    let model = random_model(gpu, cfg, crate::model::WeightDtype::F32).await?;
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
    // The profile: `tokens` decode steps at the longest context.
    let profile = match (profile, contexts.iter().max()) {
        (true, Some(&context)) => {
            let prompt = random_ids(context, cfg.vocab_size, 99);
            let mut g = Generator::new(gpu, &model, lora, &prompt, config).await?;
            g.next_token(gpu, &model, lora).await?;
            let started = Profile::start(gpu)?;
            let mut result = Ok(());
            for _ in 0..tokens {
                if let Err(e) = g.next_token(gpu, &model, lora).await {
                    result = Err(e);
                    break;
                }
            }
            let profile = Profile::finish(gpu, started, tokens);
            result?;
            Some(profile)
        }
        _ => None,
    };
    Ok((rows, profile))
}

/// Per-kernel GPU time of the profiled steps (or passes), per step, slowest first.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    /// Steps the kernel times are averaged over.
    pub steps: usize,
    /// Wall time of one profiled step (timestamps and their readback slow it a little).
    pub step_seconds: f64,
    pub kernels: Vec<KernelTime>,
    /// Dispatches in a submission past the query capacity, not timed (0 in a complete profile).
    pub untimed: u64,
}

impl Profile {
    /// Start timing every kernel; [`Profile::finish`] after `steps` steps gives the profile.
    pub fn start(gpu: &Gpu) -> crate::Result<Instant> {
        gpu.start_profiling()?;
        Ok(Instant::now())
    }

    /// The kernel times since [`Profile::start`] returned `started`, divided per step.
    pub fn finish(gpu: &Gpu, started: Instant, steps: usize) -> Profile {
        let steps = steps.max(1);
        let wall = started.elapsed().as_secs_f64() / steps as f64;
        let (mut kernels, untimed) = gpu.stop_profiling();
        for k in &mut kernels {
            k.calls = k.calls.div_ceil(steps as u64);
            k.seconds /= steps as f64;
            k.flops /= steps as u64;
            k.bytes /= steps as u64;
        }
        Profile { steps, step_seconds: wall, kernels, untimed: untimed.div_ceil(steps as u64) }
    }

    /// The table: kernel, calls per step, ms per step, share of the step's wall time, GFLOP/s
    /// (products) and GB/s of bound buffers.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:<52} {:>7} {:>10} {:>7} {:>9} {:>9}\n",
            "kernel", "calls", "ms/step", "share", "GFLOP/s", "GB/s"
        );
        let mut total = 0.0;
        for k in &self.kernels {
            total += k.seconds;
            let rate = |x: u64| if k.seconds > 0.0 { x as f64 / k.seconds / 1e9 } else { 0.0 };
            let gflops = if k.flops > 0 { format!("{:.2}", rate(k.flops)) } else { "-".into() };
            out += &format!(
                "{:<52} {:>7} {:>10.2} {:>6.1}% {:>9} {:>9.2}\n",
                k.kernel,
                k.calls,
                k.seconds * 1e3,
                100.0 * k.seconds / self.step_seconds,
                gflops,
                rate(k.bytes)
            );
        }
        out += &format!(
            "all kernels {:.1} ms of a {:.1} ms step ({:.1}%; the rest is recording, submission and readback)\n",
            total * 1e3,
            self.step_seconds * 1e3,
            100.0 * total / self.step_seconds
        );
        if self.untimed > 0 {
            out += &format!("{} dispatches per step past the query capacity were not timed\n", self.untimed);
        }
        out
    }
}

/// Memory a benchmark held: GPU buffers (live tensors' peak, as allocated) and, natively on
/// Linux, the process's peak resident set (on CPU adapters such as lavapipe GPU buffers are host
/// memory and count in it).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct MemoryReport {
    pub gpu_peak: u64,
    pub rss_peak: Option<u64>,
}

impl MemoryReport {
    pub fn now(gpu: &Gpu) -> MemoryReport {
        MemoryReport { gpu_peak: gpu.memory().peak, rss_peak: rss_peak() }
    }

    pub fn line(&self) -> String {
        let mb = |b: u64| b as f64 / 1e6;
        match self.rss_peak {
            Some(rss) => format!(
                "memory: GPU buffers peak {:.1} MB, process peak RSS {:.1} MB",
                mb(self.gpu_peak),
                mb(rss)
            ),
            None => format!("memory: GPU buffers peak {:.1} MB (no RSS on this platform)", mb(self.gpu_peak)),
        }
    }
}

/// VmHWM from /proc/self/status (Linux), in bytes.
fn rss_peak() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// `bench train`'s result: the median optimizer-step time of a LoRA run, its memory, and the
/// per-kernel profile when asked for.
#[derive(Debug, Clone, Serialize)]
pub struct TrainBench {
    pub step_seconds: Vec<f64>,
    pub median_seconds: f64,
    pub tokens_per_step: usize,
    pub tokens_per_second: f64,
    pub trainable: usize,
    /// GPU memory of the frozen weights (4-bit ones with their block scales).
    pub weight_bytes: u64,
    pub memory: MemoryReport,
    pub profile: Option<Profile>,
    /// The matmul kernel chosen for each product shape (the autotuner's, before the warm-up).
    pub matmul: Vec<crate::kernels::matmul::Tuned>,
}

impl TrainBench {
    /// `bench train`'s last line.
    pub fn summary(&self) -> String {
        format!(
            "median {:.3} s/step, {:.0} tokens/s ({} trainable parameters; weights {:.1} MB on the GPU)",
            self.median_seconds,
            self.tokens_per_second,
            self.trainable,
            self.weight_bytes as f64 / 1e6
        )
    }
}

/// How `bench train` runs: weights stored as `dtype`, B×T tokens a step, gradient
/// checkpointing or not, `steps` timed steps, and a per-kernel profile or not.
#[derive(Debug, Clone, Copy)]
pub struct TrainBenchRun {
    pub dtype: crate::model::WeightDtype,
    pub batch: usize,
    pub seq_len: usize,
    pub recompute: bool,
    pub steps: usize,
    pub profile: bool,
}

/// Train the tutorial's LoRA (r 8, α 16, c_attn, AdamW, dropout as config) on a GPT-2 of `cfg`
/// with random weights (std 0.02, as GPT-2's init) for `steps` steps of B×T random tokens, after
/// one warm-up step (pipeline compiles), timing each step end to end (forward, backward,
/// optimizer, loss read-back). With `profile`, `steps` more steps are run with per-kernel
/// timestamps (after the timed ones, so they do not slow them).
pub async fn train(
    gpu: &Gpu,
    cfg: &crate::model::Gpt2Config,
    run: TrainBenchRun,
    mut progress: impl FnMut(usize, Duration),
) -> crate::Result<TrainBench> {
    let TrainBenchRun { dtype, batch: b, seq_len: t, recompute, steps, profile } = run;
    use crate::lora::{Adapter, LoraConfig};
    use crate::model::{Batch, LoraGrads, ModelDropout, Pass, TrainBuffers};
    use crate::optim::{Optimizer, OptimizerKind};

    let model = random_model(gpu, cfg, dtype).await?;
    let adapter = Adapter::init(LoraConfig::default(), cfg, 0)?;
    let lora = &adapter.upload(gpu, cfg).await?;
    let bufs = TrainBuffers::new(gpu, cfg, b, t, lora.r, recompute).await?;
    let matmul = model.tune(gpu, &bufs.acts).await?;
    let lora_grads = LoraGrads::new(gpu, lora).await?;
    let dropout = ModelDropout::from_config(cfg);
    let mut opt = Optimizer::new(gpu, lora, OptimizerKind::adamw(), 0.0, 1.0).await?;
    let ids = random_ids(b * t, cfg.vocab_size, 7);
    let labels: Vec<i32> = ids.iter().map(|&i| i as i32).collect();
    let mut times = Vec::new();
    let mut profiled = None;
    // A warm-up, the timed steps, then (with `profile`) as many profiled steps.
    let total = if profile { 2 * steps + 1 } else { steps + 1 };
    for i in 0..total {
        if i == steps + 1 {
            profiled = Some(Profile::start(gpu)?);
        }
        let start = Instant::now();
        lora_grads.zero(gpu)?;
        let batch = Batch { ids: &ids, labels: &labels, dloss_scale: 1.0 };
        let pass = Pass::Train { seed: i as u32, dropout };
        let step = model.forward_backward(gpu, &bufs, lora, &lora_grads, batch, pass).await;
        let step =
            step.and_then(|_| gpu.run("optimizer", |p| opt.encode_step(gpu, p, lora, &lora_grads, 3e-4)));
        if let Err(e) = step {
            gpu.stop_profiling();
            return Err(e);
        }
        opt.grad_norm(gpu).await?;
        let took = start.elapsed();
        if i <= steps {
            progress(i, took);
            if i > 0 {
                times.push(took);
            }
        }
    }
    let profile = profiled.map(|started| Profile::finish(gpu, started, steps));
    let m = median(times.clone()).as_secs_f64();
    Ok(TrainBench {
        step_seconds: times.iter().map(Duration::as_secs_f64).collect(),
        median_seconds: m,
        tokens_per_step: b * t,
        tokens_per_second: (b * t) as f64 / m,
        trainable: adapter.num_parameters(),
        weight_bytes: model.weights.bytes(),
        memory: MemoryReport::now(gpu),
        profile,
        matmul,
    })
}
