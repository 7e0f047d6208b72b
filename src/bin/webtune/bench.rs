//! `webtune bench`: matmul GFLOP/s, LoRA training steps and generation speed on this GPU, with
//! random weights. The measuring and the tables are the library's (webtune::bench).

use clap::{Args, Subcommand};
use webtune::{bench, Gpt2Config, Gpu, Requirements};

use crate::cli::{print_line, AnyResult, WeightArgs};

#[derive(Subcommand)]
pub enum BenchWhat {
    /// Seconds per LoRA training step (forward, backward, AdamW) on a random-weight GPT-2
    Train {
        #[command(flatten)]
        shape: ModelShape,
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=64))]
        batch: u32,
        #[arg(long, default_value_t = 128, value_parser = clap::value_parser!(u32).range(2..=1024))]
        seq_len: u32,
        /// Timed steps after one warm-up step (the median is reported)
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
        steps: u32,
        #[command(flatten)]
        storage: WeightArgs,
        /// Gradient checkpointing: recompute each block's activations in the backward pass
        #[arg(long)]
        recompute: bool,
        #[command(flatten)]
        out: Output,
    },
    /// Prefill and decode tokens/s with the KV cache at each context length, on a random-weight GPT-2
    Generate {
        #[command(flatten)]
        shape: ModelShape,
        /// Prompt lengths: decoding starts at each of these contexts
        #[arg(long, value_delimiter = ',', default_value = "32,512")]
        contexts: Vec<usize>,
        /// Decoded tokens per context and round (their median time is reported)
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1000))]
        tokens: u32,
        /// Rounds over all contexts, interleaved
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=100))]
        rounds: u32,
        /// Apply the tutorial's LoRA adapter (r 8 on c_attn) unmerged
        #[arg(long)]
        lora: bool,
        #[command(flatten)]
        out: Output,
    },
    /// GFLOP/s of each matmul variant the adapter has (naive, tiled, small, subgroup, subgroup-wide, subgroup4; shared on GPUs) on GPT-2's shapes
    Matmul {
        /// Rows of the product: batch × sequence length
        #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..=65536))]
        bt: u32,
        /// Timed repetitions per variant (the median is reported)
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
        reps: u32,
        /// Print one JSON object instead of the table
        #[arg(long)]
        json: bool,
    },
}

/// A random-weight GPT-2: a preset, optionally resized.
#[derive(Args)]
pub struct ModelShape {
    /// Model size
    #[arg(long, default_value = "gpt2")]
    preset: String,
    /// Use only this many layers of the preset (to fit a slow adapter)
    #[arg(long)]
    layers: Option<usize>,
    /// Width (n_embd) instead of the preset's; the MLP is 4x as wide
    #[arg(long)]
    width: Option<usize>,
    /// Attention heads instead of the preset's
    #[arg(long)]
    heads: Option<usize>,
}

impl ModelShape {
    fn config(&self) -> Result<Gpt2Config, String> {
        let mut cfg = Gpt2Config::preset(&self.preset).ok_or_else(|| {
            format!("unknown --preset {}; one of {}", self.preset, Gpt2Config::PRESETS.join(", "))
        })?;
        if let Some(l) = self.layers {
            if l == 0 || l > cfg.n_layer {
                return Err(format!("--layers must be 1..={}", cfg.n_layer));
            }
            cfg.n_layer = l;
        }
        if let Some(w) = self.width {
            cfg.n_embd = w;
            cfg.n_inner = 4 * w;
        }
        if let Some(h) = self.heads {
            cfg.n_head = h;
        }
        if cfg.n_embd == 0 || cfg.n_head == 0 || cfg.n_embd % cfg.n_head != 0 {
            return Err(format!(
                "--width {} must be a positive multiple of --heads {}",
                cfg.n_embd, cfg.n_head
            ));
        }
        Ok(cfg)
    }

    /// "gpt2 with 4 layers, width 256, 4 heads"
    fn describe(&self, cfg: &Gpt2Config) -> String {
        format!("{} with {} layers, width {}, {} heads", self.preset, cfg.n_layer, cfg.n_embd, cfg.n_head)
    }
}

#[derive(Args)]
pub struct Output {
    /// Also time every kernel with GPU timestamps (where the adapter can write them inside
    /// compute passes) and print the per-kernel table
    #[arg(long)]
    profile: bool,
    /// Print one JSON object instead of the tables
    #[arg(long)]
    json: bool,
}

/// A profile requested on an adapter that cannot time kernels: say so once, and go on with the
/// whole-pass times.
fn profile_wanted(gpu: &Gpu, out: &Output) -> bool {
    if out.profile && !gpu.can_profile() {
        eprintln!(
            "note: '{}' has no timestamps inside compute passes; no per-kernel profile, whole-step times only",
            gpu.report.name
        );
    }
    out.profile && gpu.can_profile()
}

pub async fn run(what: BenchWhat) -> AnyResult {
    match what {
        BenchWhat::Generate { shape, contexts, tokens, rounds, lora, out } => {
            let cfg = shape.config()?;
            if let Some(&bad) = contexts.iter().find(|&&c| c == 0 || c + tokens as usize > cfg.n_positions) {
                return Err(format!(
                    "--contexts {bad}: each context plus --tokens {tokens} must fit in 1..={}",
                    cfg.n_positions
                )
                .into());
            }
            let gpu = Gpu::new(Requirements::default()).await?;
            let title = format!(
                "bench generate on {} ({}): {}, f32, greedy, {}, {rounds} rounds x {tokens} tokens",
                gpu.report.name,
                gpu.report.backend,
                shape.describe(&cfg),
                if lora { "LoRA r=8 on c_attn unmerged" } else { "no adapter" }
            );
            if !out.json {
                print_line(&title)?;
            }
            let profile = profile_wanted(&gpu, &out);
            let (rows, prof) =
                bench::generate(&gpu, &cfg, &contexts, tokens as usize, rounds as usize, lora, profile)
                    .await?;
            let memory = bench::MemoryReport::now(&gpu);
            if out.json {
                let rows: Vec<_> = rows.iter().map(bench::GenerateBench::json).collect();
                let v = serde_json::json!({
                    "bench": "generate", "title": title, "adapter": gpu.report.name, "rows": rows,
                    "memory": memory, "profile": prof,
                });
                return print_line(&v.to_string());
            }
            print_line(bench::GenerateBench::table(&rows).trim_end())?;
            print_line(&memory.line())?;
            if let Some(p) = prof {
                let context = contexts.iter().max().copied().unwrap_or(0);
                print_line(&format!("profile of {} decode steps at context {context}:", p.steps))?;
                print_line(p.table().trim_end())?;
            }
            Ok(())
        }
        BenchWhat::Train { shape, batch, seq_len, steps, storage, recompute, out } => {
            let weights = storage.dtype()?;
            let cfg = shape.config()?;
            let gpu = Gpu::new(Requirements::default()).await?;
            let title = format!(
                "bench train on {} ({}): {}, B={batch} T={seq_len}, LoRA r=8 on c_attn, AdamW, {} weights{}",
                gpu.report.name,
                gpu.report.backend,
                shape.describe(&cfg),
                weights.describe(),
                if recompute { ", --recompute" } else { "" }
            );
            if !out.json {
                print_line(&title)?;
            }
            let profile = profile_wanted(&gpu, &out);
            let json = out.json;
            let run = bench::TrainBenchRun {
                dtype: weights,
                batch: batch as usize,
                seq_len: seq_len as usize,
                recompute,
                steps: steps as usize,
                profile,
            };
            let r = bench::train(&gpu, &cfg, run, |step, took| {
                if !json {
                    let what = if step == 0 {
                        "warm-up (compiles pipelines)".to_string()
                    } else {
                        format!("step {step}")
                    };
                    let _ = print_line(&format!("{what}: {:.3} s", took.as_secs_f64()));
                }
            })
            .await?;
            if json {
                let v = serde_json::json!({ "bench": "train", "title": title, "adapter": gpu.report.name, "result": r });
                return print_line(&v.to_string());
            }
            print_line(&r.summary())?;
            print_line(&r.memory.line())?;
            print_line("matmul kernels (autotuner):")?;
            for t in &r.matmul {
                print_line(&format!("  {}", t.line()))?;
            }
            if let Some(p) = &r.profile {
                print_line(&format!("profile of {} steps:", p.steps))?;
                print_line(p.table().trim_end())?;
            }
            Ok(())
        }
        BenchWhat::Matmul { bt, reps, json } => {
            let gpu = Gpu::new(Requirements::default()).await?;
            let title = format!(
                "matmul on {} ({}), M = BT = {bt}, median of {reps}, f32",
                gpu.report.name, gpu.report.backend
            );
            if !json {
                print_line(&title)?;
                print_line(&bench::MatmulRow::header(&bench::matmul_variants(&gpu)))?;
            }
            let rows = bench::matmul(&gpu, bt as usize, &bench::GPT2_SHAPES, reps as usize, |r| {
                if !json {
                    let _ = print_line(&r.line());
                }
            })
            .await?;
            if json {
                let rows: Vec<_> = rows.iter().map(bench::MatmulRow::json).collect();
                let v = serde_json::json!({ "bench": "matmul", "title": title, "adapter": gpu.report.name, "rows": rows });
                return print_line(&v.to_string());
            }
            Ok(())
        }
    }
}
