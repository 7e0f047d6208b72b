//! `webtune bench`: matmul GFLOP/s, LoRA training steps and generation speed on this GPU, with
//! random weights. The measuring and the tables are the library's (webtune::bench).

use clap::Subcommand;
use webtune::{bench, Gpt2Config, Gpu, Requirements};

use crate::cli::{print_line, AnyResult};

#[derive(Subcommand)]
pub enum BenchWhat {
    /// Seconds per LoRA training step (forward, backward, AdamW) on a random-weight GPT-2
    Train {
        /// Model size
        #[arg(long, default_value = "gpt2")]
        preset: String,
        /// Use only this many layers of the preset (to fit a slow adapter)
        #[arg(long)]
        layers: Option<usize>,
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=64))]
        batch: u32,
        #[arg(long, default_value_t = 128, value_parser = clap::value_parser!(u32).range(2..=1024))]
        seq_len: u32,
        /// Timed steps after one warm-up step (the median is reported)
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
        steps: u32,
    },
    /// Prefill and decode tokens/s with the KV cache at each context length, on a random-weight GPT-2
    Generate {
        /// Model size
        #[arg(long, default_value = "gpt2")]
        preset: String,
        /// Use only this many layers of the preset (to fit a slow adapter)
        #[arg(long)]
        layers: Option<usize>,
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
    },
    /// GFLOP/s of the naive and tiled frozen-weight products on GPT-2's shapes
    Matmul {
        /// Rows of the product: batch × sequence length
        #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..=65536))]
        bt: u32,
        /// Timed repetitions per variant (the median is reported)
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
        reps: u32,
    },
}

/// A preset's config, cut to `layers` layers.
fn bench_config(preset: &str, layers: Option<usize>) -> Result<Gpt2Config, String> {
    let mut cfg = Gpt2Config::preset(preset)
        .ok_or_else(|| format!("unknown --preset {preset}; one of {}", Gpt2Config::PRESETS.join(", ")))?;
    if let Some(l) = layers {
        if l == 0 || l > cfg.n_layer {
            return Err(format!("--layers must be 1..={}", cfg.n_layer));
        }
        cfg.n_layer = l;
    }
    Ok(cfg)
}

pub async fn run(what: BenchWhat) -> AnyResult {
    match what {
        BenchWhat::Generate { preset, layers, contexts, tokens, rounds, lora } => {
            let cfg = bench_config(&preset, layers)?;
            if let Some(&bad) = contexts.iter().find(|&&c| c == 0 || c + tokens as usize > cfg.n_positions) {
                return Err(format!(
                    "--contexts {bad}: each context plus --tokens {tokens} must fit in 1..={}",
                    cfg.n_positions
                )
                .into());
            }
            let gpu = Gpu::new(Requirements::default()).await?;
            print_line(&format!(
                "bench generate on {} ({}): {preset} with {} layers, f32, greedy, {}, {rounds} rounds x {tokens} tokens",
                gpu.report.name,
                gpu.report.backend,
                cfg.n_layer,
                if lora { "LoRA r=8 on c_attn unmerged" } else { "no adapter" }
            ))?;
            let rows = bench::generate(&gpu, &cfg, &contexts, tokens as usize, rounds as usize, lora).await?;
            print_line(bench::GenerateBench::table(&rows).trim_end())
        }
        BenchWhat::Train { preset, layers, batch, seq_len, steps } => {
            let cfg = bench_config(&preset, layers)?;
            let gpu = Gpu::new(Requirements::default()).await?;
            print_line(&format!(
                "bench train on {} ({}): {preset} with {} layers, B={batch} T={seq_len}, LoRA r=8 on c_attn, AdamW, f32",
                gpu.report.name, gpu.report.backend, cfg.n_layer
            ))?;
            let (b, t) = (batch as usize, seq_len as usize);
            let r = bench::train(&gpu, &cfg, b, t, steps as usize, |step, took| {
                let what = if step == 0 {
                    "warm-up (compiles pipelines)".to_string()
                } else {
                    format!("step {step}")
                };
                let _ = print_line(&format!("{what}: {:.3} s", took.as_secs_f64()));
            })
            .await?;
            print_line(&r.summary())
        }
        BenchWhat::Matmul { bt, reps } => {
            let gpu = Gpu::new(Requirements::default()).await?;
            print_line(&format!(
                "matmul on {} ({}), M = BT = {bt}, median of {reps}, f32",
                gpu.report.name, gpu.report.backend
            ))?;
            print_line(&bench::MatmulRow::header())?;
            bench::matmul(&gpu, bt as usize, &bench::GPT2_SHAPES, reps as usize, |r| {
                let _ = print_line(&r.line());
            })
            .await?;
            Ok(())
        }
    }
}
