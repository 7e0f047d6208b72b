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

    use std::path::{Path, PathBuf};

    use clap::{Args, Parser, Subcommand, ValueEnum};
    use indicatif::{ProgressBar, ProgressStyle};
    use webtune::model::{load_adapter, ModelDir, WeightDtype};
    use webtune::{bench, eval, Error, Gpu, Requirements};

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
        /// Mean cross-entropy and perplexity of a model on a UTF-8 text file
        Eval(EvalArgs),
        /// Generate text from a prompt, with or without an adapter (not built yet: issue #5)
        Generate(Pending),
        /// Merge a PEFT LoRA adapter into the base weights, W' = W + s·(B·A)ᵀ, as a plain GPT-2 folder
        Merge(MergeArgs),
        /// Print the GPT-2 token ids of a UTF-8 text file on one line
        Tokenize(TokenizeArgs),
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

    #[derive(Args)]
    struct EvalArgs {
        /// Model folder: config.json, model.safetensors, tokenizer.json or vocab.json + merges.txt
        #[arg(long)]
        model: PathBuf,
        /// LoRA adapter folder (PEFT's adapter_config.json + adapter_model.safetensors), applied unmerged
        #[arg(long)]
        adapter: Option<PathBuf>,
        /// UTF-8 text file: tokenized whole, cut into blocks of --seq-len (remainder dropped)
        #[arg(long)]
        data: PathBuf,
        /// Tokens per block
        #[arg(long, value_parser = clap::value_parser!(u32).range(2..))]
        seq_len: u32,
        /// Blocks per forward pass
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=4096))]
        batch: u32,
        /// Storage of the frozen weight matrices on the GPU (f16 needs shader-f16; compute is f32)
        #[arg(long, value_enum, default_value_t = WeightsArg::F32)]
        weights: WeightsArg,
    }

    #[derive(Args)]
    struct MergeArgs {
        /// Base model folder
        #[arg(long)]
        model: PathBuf,
        /// PEFT adapter folder
        #[arg(long)]
        adapter: PathBuf,
        /// Output folder (must not already hold a model): config.json, model.safetensors (f32), tokenizer files
        #[arg(long)]
        out: PathBuf,
    }

    #[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
    enum WeightsArg {
        F32,
        F16,
    }

    #[derive(Args)]
    struct TokenizeArgs {
        /// Model folder whose tokenizer to use (tokenizer.json, or vocab.json + merges.txt;
        /// GPT-2's own files when it has neither)
        #[arg(long)]
        model: PathBuf,
        /// UTF-8 text file
        #[arg(long)]
        text: PathBuf,
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
            Command::Eval(args) => run_eval(args).await,
            Command::Generate(_) => pending("generate", 5),
            Command::Merge(args) => {
                let dir = ModelDir::new(&args.model)?;
                let config = dir.config()?;
                let adapter = load_adapter(&args.adapter, &config)?;
                let mut ck = dir.checkpoint(&config)?;
                adapter.merge_into(&mut ck)?;
                dir.write_merged(&args.out, &ck)?;
                print_line(&format!(
                    "merged {} LoRA modules (scale {}) into {}",
                    adapter.weights.len(),
                    adapter.config.scale(),
                    args.out.display()
                ))
            }
            Command::Tokenize(args) => {
                let tokenizer = ModelDir::new(&args.model)?.tokenizer()?;
                let ids = tokenizer.encode(&read_text(&args.text)?)?;
                let line: Vec<String> = ids.iter().map(u32::to_string).collect();
                print_line(&line.join(" "))
            }
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

    /// println! panics when stdout is closed (`webtune tokenize ... | head`); end quietly instead.
    fn print_line(line: &str) -> AnyResult {
        use std::io::Write;
        match writeln!(std::io::stdout(), "{line}") {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            r => Ok(r?),
        }
    }

    fn read_text(path: &Path) -> Result<String, Error> {
        let bytes = webtune::error::read_file(path)?;
        String::from_utf8(bytes).map_err(|e| {
            Error::data(format!(
                "{}: not UTF-8 text (invalid byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ))
        })
    }

    async fn run_eval(args: EvalArgs) -> AnyResult {
        let dir = ModelDir::new(&args.model)?;
        let config = dir.config()?;
        let tokenizer = dir.tokenizer()?;
        let text = read_text(&args.data)?;
        let seq_len = args.seq_len as usize;
        if seq_len > config.n_positions {
            return Err(format!(
                "--seq-len {seq_len} is longer than the model's n_positions = {}",
                config.n_positions
            )
            .into());
        }
        let tokens = tokenizer.encode(&text)?;
        let n_blocks = eval::blocks(&tokens, seq_len)?.len();

        let gpu = Gpu::new(Requirements::default()).await?;
        let dtype = match args.weights {
            WeightsArg::F32 => WeightDtype::F32,
            WeightsArg::F16 => WeightDtype::F16,
        };
        let mut model = dir.load(&gpu, dtype).await?;
        if let Some(path) = &args.adapter {
            let adapter = load_adapter(path, &config)?;
            model.set_adapter(&gpu, &adapter).await?;
        }
        let bar = ProgressBar::new(n_blocks as u64).with_style(
            ProgressStyle::with_template("eval {bar:30} {pos}/{len} blocks  {elapsed} (ETA {eta})")
                .expect("static template"),
        );
        let total = eval::evaluate(&gpu, &model, &tokens, seq_len, args.batch as usize, |done, _| {
            bar.set_position(done as u64)
        })
        .await?;
        bar.finish_and_clear();
        let loss = total.mean();
        print_line(&format!("loss={loss:.6} ppl={:.4} tokens={}", loss.exp(), n_blocks * seq_len))
    }
}
