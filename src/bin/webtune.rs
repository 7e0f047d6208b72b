//! The `webtune` command-line tool: a thin front end over the library. It opens the GPU, parses
//! flags, and prints; model logic lives in the library so the web page shares it.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::process::ExitCode;

    use clap::{Args, Parser, Subcommand};
    use webtune::{bench, Gpu, Requirements};

    #[derive(Parser)]
    #[command(
        name = "webtune",
        version,
        about = "Fine-tune GPT-2 with LoRA on your own GPU (wgpu: Vulkan, Metal, DX12)"
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Fine-tune a LoRA adapter on a text or JSONL file (not built yet: issue #4)
        Train(Pending),
        /// Mean cross-entropy and perplexity of a model on a text file (not built yet: issue #3)
        Eval(Pending),
        /// Generate text from a prompt, with or without an adapter (not built yet: issue #5)
        Generate(Pending),
        /// Merge an adapter into the base weights: W' = W + s·(B·A)ᵀ (not built yet: issue #4)
        Merge(Pending),
        /// Print the token ids of a text file (not built yet: issue #3)
        Tokenize(Pending),
        /// Measure kernel speed on this machine's GPU
        Bench {
            #[command(subcommand)]
            what: BenchWhat,
        },
        /// Show the GPU adapter, its limits and its features
        Info,
    }

    /// Accepts any arguments so that `--help` lists the command; running it reports that it is
    /// not built yet.
    #[derive(Args)]
    struct Pending {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        args: Vec<String>,
    }

    #[derive(Subcommand)]
    enum BenchWhat {
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

    pub fn main() -> ExitCode {
        let cli = Cli::parse();
        match pollster::block_on(run(cli)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        }
    }

    type AnyResult = Result<(), Box<dyn std::error::Error>>;

    async fn run(cli: Cli) -> AnyResult {
        let pending = |name: &str, issue: u32| -> AnyResult {
            Err(format!("`webtune {name}` is not built yet (tracked in issue #{issue})").into())
        };
        match cli.command {
            Command::Train(_) => pending("train", 4),
            Command::Eval(_) => pending("eval", 3),
            Command::Generate(_) => pending("generate", 5),
            Command::Merge(_) => pending("merge", 4),
            Command::Tokenize(_) => pending("tokenize", 3),
            Command::Info => {
                let gpu = Gpu::new(Requirements::default()).await?;
                print!("{}", gpu.report);
                Ok(())
            }
            Command::Bench { what: BenchWhat::Matmul { bt, reps } } => {
                let gpu = Gpu::new(Requirements::default()).await?;
                println!(
                    "matmul on {} ({}), M = BT = {bt}, median of {reps}, f32",
                    gpu.report.name, gpu.report.backend
                );
                println!(
                    "{:<16} {:>20} {:>14} {:>14} {:>12}",
                    "op", "M x K -> N", "naive GFLOP/s", "tiled GFLOP/s", "tiled/naive"
                );
                bench::matmul(&gpu, bt as usize, &bench::GPT2_SHAPES, reps as usize, |r| {
                    println!(
                        "{:<16} {:>20} {:>14.2} {:>14.2} {:>11.1}x",
                        r.op,
                        format!("{} x {} -> {}", r.m, r.k, r.n),
                        r.gflops(r.naive),
                        r.gflops(r.tiled),
                        r.naive.as_secs_f64() / r.tiled.as_secs_f64()
                    );
                })
                .await?;
                Ok(())
            }
        }
    }
}
