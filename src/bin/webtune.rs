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
    use webtune::lora::load_adapter;
    use webtune::model::{ModelDir, WeightDtype};
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
        /// Fine-tune a LoRA adapter on a UTF-8 .txt or .jsonl ({"text": ...}) file; writes PEFT's files
        Train(Box<TrainArgs>),
        /// Mean cross-entropy and perplexity of a model on a UTF-8 text file
        Eval(EvalArgs),
        /// Generate text from a prompt (KV cache, streamed), with or without an adapter
        Generate(GenerateArgs),
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

    #[derive(Args)]
    struct GenerateArgs {
        /// Model folder: config.json, model.safetensors, tokenizer.json or vocab.json + merges.txt
        #[arg(long)]
        model: PathBuf,
        /// LoRA adapter folder (PEFT's files), applied unmerged unless --merge
        #[arg(long)]
        adapter: Option<PathBuf>,
        /// Merge the adapter into the weights when loading (W + s·(B·A)ᵀ): no per-token LoRA cost
        #[arg(long, requires = "adapter")]
        merge: bool,
        /// The text to continue
        #[arg(long)]
        prompt: String,
        /// Tokens to generate at most (fewer if <|endoftext|> comes or the context fills)
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        max_new_tokens: u32,
        /// Divides the logits before sampling; 0 is greedy decoding
        #[arg(long, default_value_t = 0.7, allow_negative_numbers = true)]
        temperature: f32,
        /// Sample among the k most likely tokens only (0 = all)
        #[arg(long, default_value_t = 0)]
        top_k: u32,
        /// Sample from the smallest set of tokens whose probability reaches p (1 = all)
        #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
        top_p: f32,
        /// Penalise tokens already in the text (CTRL's rule, as transformers; 1 = off)
        #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
        repetition_penalty: f32,
        /// RNG seed: the same seed gives the same text (default: a fresh one, printed at the end)
        #[arg(long)]
        seed: Option<u64>,
        /// Print the generated token ids on one line instead of the text (prompt excluded)
        #[arg(long)]
        ids: bool,
        /// Storage of the frozen weight matrices on the GPU (f16 needs shader-f16; compute is f32)
        #[arg(long, value_enum, default_value_t = WeightsArg::F32)]
        weights: WeightsArg,
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
    struct TrainArgs {
        /// Base model folder
        #[arg(long)]
        model: PathBuf,
        /// Training data: .txt, or .jsonl with a "text" field per line
        #[arg(long)]
        data: PathBuf,
        /// Output folder: adapter_config.json, adapter_model.safetensors, training_state.safetensors
        #[arg(long)]
        out: PathBuf,

        // LoRA
        /// LoRA rank
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=4096))]
        r: u32,
        /// lora_alpha (scale = alpha / r, or alpha / √r with --rslora)
        #[arg(long, default_value_t = 16.0)]
        alpha: f64,
        /// LoRA dropout on the adapter's input (training passes only)
        #[arg(long, default_value_t = 0.05)]
        dropout: f64,
        /// Target modules, matched as PEFT matches them (c_attn, c_proj, c_fc, attn.c_proj, mlp.c_proj, mlp.c_fc)
        #[arg(long, value_delimiter = ',', default_value = "c_attn")]
        targets: Vec<String>,
        /// Scale by alpha / √r (rsLoRA)
        #[arg(long)]
        rslora: bool,
        /// Initialisation of A (B starts at zero)
        #[arg(long, value_enum, default_value_t = InitArg::Kaiming)]
        init: InitArg,
        /// Only these layers (comma-separated indices), as PEFT's layers_to_transform
        #[arg(long, value_delimiter = ',')]
        layers: Option<Vec<usize>>,
        /// Start from an existing PEFT adapter; its adapter_config.json gives the LoRA config
        #[arg(long, conflicts_with = "resume")]
        init_adapter: Option<PathBuf>,

        // Optimizer
        #[arg(long, value_enum, default_value_t = OptimArg::Adamw)]
        optimizer: OptimArg,
        #[arg(long, default_value_t = 3e-4)]
        lr: f32,
        #[arg(long, default_value_t = 0.0)]
        weight_decay: f32,
        /// Clip the global gradient norm to this (0 = off)
        #[arg(long, default_value_t = 1.0)]
        clip: f32,
        #[arg(long, value_enum, default_value_t = ScheduleArg::Cosine)]
        schedule: ScheduleArg,
        /// Warmup steps (instead of --warmup-ratio)
        #[arg(long, conflicts_with = "warmup_ratio")]
        warmup: Option<u64>,
        /// Warmup as a fraction of all steps, rounded up
        #[arg(long, default_value_t = 0.05)]
        warmup_ratio: f64,

        // Length and batching
        #[arg(long, default_value_t = 3, conflicts_with = "steps")]
        epochs: u64,
        /// Optimizer steps (instead of --epochs)
        #[arg(long)]
        steps: Option<u64>,
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=4096))]
        batch: u32,
        #[arg(long, default_value_t = 128, value_parser = clap::value_parser!(u32).range(2..))]
        seq_len: u32,
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=4096))]
        grad_accum: u32,
        /// One example per line (or record), padded with EOS, instead of packing the stream
        #[arg(long)]
        lines: bool,
        /// Pack the token stream into blocks (the default)
        #[arg(long, conflicts_with = "lines")]
        pack: bool,
        /// Keep file order instead of shuffling each epoch with the seed
        #[arg(long)]
        no_shuffle: bool,
        /// Shuffle each epoch with the seed (the default)
        #[arg(long, conflicts_with = "no_shuffle")]
        shuffle: bool,
        #[arg(long, default_value_t = 0)]
        seed: u64,

        // Model
        /// The model's own dropout in training (embd, attn, resid): "config" (config.json's pdrops) or a probability for all three
        #[arg(long, default_value = "config")]
        model_dropout: String,
        #[arg(long, value_enum, default_value_t = WeightsArg::F32)]
        weights: WeightsArg,

        // Evaluation and checkpoints
        /// Held-out data (same format) evaluated every --eval-every steps and at the end
        #[arg(long)]
        eval_data: Option<PathBuf>,
        #[arg(long, default_value_t = 0)]
        eval_every: u64,
        /// Write a resumable checkpoint into --out every this many steps (0 = only at the end)
        #[arg(long, default_value_t = 0)]
        save_every: u64,
        /// Continue the run whose checkpoint is in --out, up to the new --steps/--epochs total
        #[arg(long)]
        resume: bool,
    }

    #[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
    enum InitArg {
        Kaiming,
        Gaussian,
    }

    #[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
    enum OptimArg {
        Adamw,
        Sgd,
    }

    #[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
    enum ScheduleArg {
        Constant,
        Linear,
        Cosine,
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
        match cli.command {
            Command::Train(args) => run_train(*args).await,
            Command::Eval(args) => run_eval(args).await,
            Command::Generate(args) => run_generate(args).await,
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
            Command::Bench {
                what: BenchWhat::Generate { preset, layers, contexts, tokens, rounds, lora },
            } => {
                let cfg = bench_config(&preset, layers)?;
                if let Some(&bad) =
                    contexts.iter().find(|&&c| c == 0 || c + tokens as usize > cfg.n_positions)
                {
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
                let rows =
                    bench::generate(&gpu, &cfg, &contexts, tokens as usize, rounds as usize, lora).await?;
                print_line(&format!(
                    "{:>8} {:>12} {:>16} {:>12} {:>16}",
                    "context", "prefill s", "prefill tok/s", "decode ms", "decode tok/s"
                ))?;
                for r in &rows {
                    let (p, d) = (r.prefill().as_secs_f64(), r.decode().as_secs_f64());
                    print_line(&format!(
                        "{:>8} {:>12.3} {:>16.1} {:>12.2} {:>16.2}",
                        r.context,
                        p,
                        r.context as f64 / p,
                        d * 1e3,
                        1.0 / d
                    ))?;
                }
                if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
                    if rows.len() > 1 {
                        print_line(&format!(
                            "decode tokens/s at context {} is {:.2}x that at context {}",
                            last.context,
                            first.decode().as_secs_f64() / last.decode().as_secs_f64(),
                            first.context
                        ))?;
                    }
                }
                Ok(())
            }
            Command::Bench { what: BenchWhat::Train { preset, layers, batch, seq_len, steps } } => {
                let cfg = bench_config(&preset, layers)?;
                let gpu = Gpu::new(Requirements::default()).await?;
                print_line(&format!(
                    "bench train on {} ({}): {preset} with {} layers, B={batch} T={seq_len}, LoRA r=8 on c_attn, AdamW, f32",
                    gpu.report.name, gpu.report.backend, cfg.n_layer
                ))?;
                let r = bench::train(
                    &gpu,
                    &cfg,
                    batch as usize,
                    seq_len as usize,
                    steps as usize,
                    |step, took| {
                        let what = if step == 0 {
                            "warm-up (compiles pipelines)".to_string()
                        } else {
                            format!("step {step}")
                        };
                        let _ = print_line(&format!("{what}: {:.3} s", took.as_secs_f64()));
                    },
                )
                .await?;
                let m = r.median().as_secs_f64();
                print_line(&format!(
                    "median {m:.3} s/step, {:.0} tokens/s ({} trainable parameters)",
                    r.tokens_per_step as f64 / m,
                    r.trainable
                ))
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

    /// A preset's config, cut to `layers` layers.
    fn bench_config(preset: &str, layers: Option<usize>) -> Result<webtune::Gpt2Config, String> {
        let mut cfg = webtune::Gpt2Config::preset(preset).ok_or_else(|| {
            format!("unknown --preset {preset}; one of {}", webtune::Gpt2Config::PRESETS.join(", "))
        })?;
        if let Some(l) = layers {
            if l == 0 || l > cfg.n_layer {
                return Err(format!("--layers must be 1..={}", cfg.n_layer));
            }
            cfg.n_layer = l;
        }
        Ok(cfg)
    }

    async fn run_generate(args: GenerateArgs) -> AnyResult {
        use std::io::Write;
        use webtune::generate::{GenerateConfig, Generator, Stop};
        use webtune::sample::Sampling;
        use webtune::tokenizer::TextStream;

        let seed = args.seed.unwrap_or_else(|| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
            now.as_nanos() as u64 ^ u64::from(std::process::id()).rotate_left(32)
        });
        let sampling = Sampling {
            temperature: args.temperature,
            top_k: args.top_k as usize,
            top_p: args.top_p,
            repetition_penalty: args.repetition_penalty,
            seed,
        };
        sampling.validate()?;
        let dir = ModelDir::new(&args.model)?;
        let config = dir.config()?;
        let tokenizer = dir.tokenizer()?;
        let prompt = tokenizer.encode(&args.prompt)?;
        let adapter = args.adapter.as_deref().map(|p| load_adapter(p, &config)).transpose()?;

        let gpu = Gpu::new(Requirements::default()).await?;
        let dtype = if args.weights == WeightsArg::F16 { WeightDtype::F16 } else { WeightDtype::F32 };
        let model = match (&adapter, args.merge) {
            (Some(adapter), true) => {
                let mut ck = dir.checkpoint(&config)?;
                adapter.merge_into(&mut ck)?;
                webtune::Gpt2::from_checkpoint(&gpu, config.clone(), &ck, dtype).await?
            }
            _ => dir.load(&gpu, dtype).await?,
        };
        let lora = match (&adapter, args.merge) {
            (Some(adapter), false) => Some(adapter.upload(&gpu, &config).await?),
            _ => None,
        };
        let lora = lora.as_ref();
        let cfg = GenerateConfig {
            max_new_tokens: args.max_new_tokens as usize,
            sampling,
            eos: config.eos_token_id,
        };

        let start = std::time::Instant::now();
        let mut generator = Generator::new(&gpu, &model, lora, &prompt, cfg).await?;
        let prefill = start.elapsed();
        let mut stream = TextStream::new(true);
        let mut out = std::io::stdout().lock();
        let mut first = true;
        while let Some(id) = generator.next_token(&gpu, &model, lora).await? {
            let piece = if args.ids {
                format!("{}{id}", if first { "" } else { " " })
            } else {
                stream.push(&tokenizer, id)?
            };
            first = false;
            // A closed stdout (`| head`) ends the generation quietly: the reader has what it wanted.
            match out.write_all(piece.as_bytes()).and_then(|()| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
                r => r?,
            }
        }
        let tail = if args.ids { String::new() } else { stream.finish() };
        match writeln!(out, "{tail}").and_then(|()| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            r => r?,
        }
        let n = generator.generated().len();
        let decode = start.elapsed() - prefill;
        let stop = generator.stop().expect("the loop ends when generation stops");
        if let Stop::ContextFull(_) = stop {
            eprintln!("stopped early: {stop} (the prompt and the text so far fill it; no sliding window)");
        }
        let seed = if sampling.is_greedy() { String::new() } else { format!(", seed {seed}") };
        eprintln!(
            "{} prompt tokens in {:.2} s, {n} generated ({stop}) at {:.1} tokens/s{seed}",
            prompt.len(),
            prefill.as_secs_f64(),
            n as f64 / decode.as_secs_f64().max(1e-9)
        );
        Ok(())
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
        let model = dir.load(&gpu, dtype).await?;
        let lora = match &args.adapter {
            Some(path) => Some(load_adapter(path, &config)?.upload(&gpu, &config).await?),
            None => None,
        };
        let bar = ProgressBar::new(n_blocks as u64).with_style(
            ProgressStyle::with_template("eval {bar:30} {pos}/{len} blocks  {elapsed} (ETA {eta})")
                .expect("static template"),
        );
        let total =
            eval::evaluate(&gpu, &model, lora.as_ref(), &tokens, seq_len, args.batch as usize, |done, _| {
                bar.set_position(done as u64)
            })
            .await?;
        bar.finish_and_clear();
        let loss = total.mean();
        print_line(&format!("loss={loss:.6} ppl={:.4} tokens={}", loss.exp(), n_blocks * seq_len))
    }

    async fn run_train(args: TrainArgs) -> AnyResult {
        use webtune::data::{Dataset, Packing};
        use webtune::lora::{Adapter, LoraConfig, LoraInit};
        use webtune::optim::{Optimizer, OptimizerKind, Schedule};
        use webtune::train::{self, Event, Length, TrainConfig, Warmup};
        use webtune::train::{load_training_state, save_checkpoint};

        if !(0.0..1.0).contains(&args.dropout) {
            return Err(format!("--dropout {} is not a probability in [0, 1)", args.dropout).into());
        }
        let model_dropout = match args.model_dropout.as_str() {
            "config" => None,
            p => match p.parse::<f32>() {
                Ok(p) if (0.0..1.0).contains(&p) => Some(webtune::model::ModelDropout::all(p)),
                _ => {
                    return Err(format!(
                        "--model-dropout {p} is neither \"config\" nor a probability in [0, 1)"
                    )
                    .into())
                }
            },
        };
        if !(args.lr.is_finite() && args.lr >= 0.0 && (0.0..=1.0).contains(&args.warmup_ratio)) {
            return Err("--lr must be a finite number >= 0 and --warmup-ratio within [0, 1]".into());
        }
        let dir = ModelDir::new(&args.model)?;
        let config = dir.config()?;
        let tokenizer = dir.tokenizer()?;
        let seq_len = args.seq_len as usize;
        if seq_len > config.n_positions {
            return Err(format!(
                "--seq-len {seq_len} is longer than the model's n_positions = {}",
                config.n_positions
            )
            .into());
        }
        let packing = if args.lines { Packing::Lines } else { Packing::Pack };
        let load_data = |path: &Path| -> Result<Dataset, Error> {
            let jsonl = path.extension().is_some_and(|e| e == "jsonl");
            Dataset::build(&tokenizer, &read_text(path)?, jsonl, packing, seq_len)
                .map_err(|e| Error::data(format!("{}: {e}", path.display())))
        };
        let data = load_data(&args.data)?;
        let eval = args.eval_data.as_deref().map(load_data).transpose()?;

        // The adapter: resumed from --out, started from --init-adapter, or fresh.
        let (adapter, resume_state) = if args.resume {
            let a = load_adapter(&args.out, &config)?;
            (a, Some(load_training_state(&args.out)?))
        } else if let Some(init) = &args.init_adapter {
            (load_adapter(init, &config)?, None)
        } else {
            if args.out.join("adapter_model.safetensors").exists() {
                return Err(format!(
                    "{} already holds an adapter: pass --resume to continue it, or choose another --out",
                    args.out.display()
                )
                .into());
            }
            let lora = LoraConfig {
                r: args.r as usize,
                alpha: args.alpha,
                dropout: args.dropout as f32,
                target_modules: args.targets.clone(),
                use_rslora: args.rslora,
                init: if args.init == InitArg::Gaussian { LoraInit::Gaussian } else { LoraInit::Kaiming },
                layers_to_transform: args.layers.clone(),
                base_model_name_or_path: args.model.display().to_string(),
            };
            (Adapter::init(lora, &config, args.seed)?, None)
        };

        let gpu = Gpu::new(Requirements::default()).await?;
        let dtype = if args.weights == WeightsArg::F16 { WeightDtype::F16 } else { WeightDtype::F32 };
        let model = dir.load(&gpu, dtype).await?;
        let lora = &adapter.upload(&gpu, &config).await?;
        let trainable = adapter.num_parameters();
        let all = config.num_parameters() + trainable;
        print_line(&format!(
            "trainable params: {} || all params: {} || trainable%: {:.4}",
            thousands(trainable),
            thousands(all),
            100.0 * trainable as f64 / all as f64
        ))?;

        let cfg = TrainConfig {
            optimizer: if args.optimizer == OptimArg::Sgd {
                OptimizerKind::Sgd
            } else {
                OptimizerKind::adamw()
            },
            lr: args.lr,
            weight_decay: args.weight_decay,
            clip: args.clip,
            schedule: match args.schedule {
                ScheduleArg::Constant => Schedule::Constant,
                ScheduleArg::Linear => Schedule::Linear,
                ScheduleArg::Cosine => Schedule::Cosine,
            },
            warmup: args.warmup.map(Warmup::Steps).unwrap_or(Warmup::Ratio(args.warmup_ratio)),
            length: args.steps.map(Length::Steps).unwrap_or(Length::Epochs(args.epochs)),
            batch: args.batch as usize,
            grad_accum: args.grad_accum as usize,
            shuffle: !args.no_shuffle,
            seed: args.seed,
            eval_every: args.eval_every,
            model_dropout,
        };
        let plan = train::Plan::new(&cfg, &data)?;
        let mut opt = Optimizer::new(&gpu, lora, cfg.optimizer, cfg.weight_decay, cfg.clip).await?;
        if let Some((step, state)) = &resume_state {
            opt.load_state(&gpu, *step, state)?;
            if *step >= plan.total {
                return Err(format!(
                    "the checkpoint in {} is at step {step}, already at the total {}",
                    args.out.display(),
                    plan.total
                )
                .into());
            }
        }
        print_line(&format!(
            "{} blocks of {seq_len} tokens, {} steps ({} per epoch), warmup {}, from step {}",
            data.len(),
            plan.total,
            plan.steps_per_epoch,
            plan.warmup,
            opt.step
        ))?;

        let bar = ProgressBar::new(plan.total).with_style(
            ProgressStyle::with_template("train {bar:30} {pos}/{len} {msg} ({elapsed}, ETA {eta})")
                .expect("static template"),
        );
        bar.set_position(opt.step);
        let lora_config = adapter.config.clone();
        let checkpoint = |opt: &Optimizer| -> Result<(), Error> {
            let adapter = pollster::block_on(Adapter::download(&gpu, lora, &lora_config))?;
            let state = pollster::block_on(opt.state(&gpu))?;
            save_checkpoint(&args.out, &adapter, opt.step, &state)
        };
        let result = train::train(
            &gpu,
            &model,
            lora,
            &cfg,
            &data,
            eval.as_ref(),
            &mut opt,
            args.save_every,
            |e| match e {
                Event::Step { step, loss, lr, grad_norm, tokens, elapsed, .. } => {
                    bar.set_position(*step);
                    let tps = *tokens as f64 / elapsed.as_secs_f64().max(1e-9);
                    bar.set_message(format!("loss {loss:.4} lr {lr:.2e} |g| {grad_norm:.3} {tps:.0} tok/s"));
                }
                Event::Eval { step, loss } => {
                    let _ = bar.suspend(|| print_line(&format!("step {step}: eval loss {loss:.6}")));
                }
            },
            checkpoint,
        )
        .await;
        bar.finish_and_clear();
        let last = result?;
        checkpoint(&opt)?;
        print_line(&format!(
            "step {} loss {:.6}; adapter written to {}",
            opt.step,
            last.mean(),
            args.out.display()
        ))
    }

    /// 294912 -> "294,912", as PEFT prints counts.
    fn thousands(n: usize) -> String {
        let s = n.to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }
}
