//! The `webtune` command-line tool: a thin front end over the library, one file per command.
//! It opens the GPU, parses flags and prints; the settings types and every piece of model logic
//! are the library's, so the web page shares them.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod bench;
#[cfg(not(target_arch = "wasm32"))]
mod eval;
#[cfg(not(target_arch = "wasm32"))]
mod generate;
#[cfg(not(target_arch = "wasm32"))]
mod merge;
#[cfg(not(target_arch = "wasm32"))]
mod plot;
#[cfg(not(target_arch = "wasm32"))]
mod tokenize;
#[cfg(not(target_arch = "wasm32"))]
mod train;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
    use webtune::hub::Hub;
    use webtune::model::{ModelDir, Storage, WeightDtype};
    use webtune::{Error, Gpu, Requirements};

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
        Train(Box<super::train::TrainArgs>),
        /// Mean cross-entropy and perplexity of a model on a UTF-8 text file
        Eval(super::eval::EvalArgs),
        /// Generate text from a prompt (KV cache, streamed), with or without an adapter
        Generate(super::generate::GenerateArgs),
        /// Merge a PEFT LoRA adapter into the base weights, W' = W + s·(B·A)ᵀ, as a plain GPT-2 folder
        Merge(super::merge::MergeArgs),
        /// Draw a run's loss curves (trainer_state.json in --out) as a PNG
        Plot(super::plot::PlotArgs),
        /// Print the GPT-2 token ids of a UTF-8 text file on one line
        Tokenize(super::tokenize::TokenizeArgs),
        /// Measure kernel speed on this machine's GPU
        Bench {
            #[command(subcommand)]
            what: super::bench::BenchWhat,
        },
        /// Show the GPU adapter, its limits and its features
        Info,
    }

    /// The base model and how its frozen weights are stored on the GPU.
    #[derive(Args)]
    pub struct ModelArgs {
        /// Model: a folder (config.json, model.safetensors, tokenizer.json or vocab.json +
        /// merges.txt) or a Hugging Face Hub id (gpt2, openai-community/gpt2), read from the shared
        /// HF cache and downloaded into it when missing (HF_HOME, HF_HUB_CACHE, HF_ENDPOINT,
        /// HF_HUB_OFFLINE, HF_TOKEN as in huggingface_hub)
        #[arg(long)]
        pub model: String,
        /// Branch, tag or commit of a Hub --model (default main)
        #[arg(long)]
        pub revision: Option<String>,
        #[command(flatten)]
        pub storage: WeightArgs,
    }

    /// How the frozen weights are stored on the GPU.
    #[derive(Args)]
    pub struct WeightArgs {
        /// Storage of the four linear layers of each block: f32, f16 (needs shader-f16), or
        /// 4-bit nf4 / fp4 quantized at load as bitsandbytes does (QLoRA). Compute is f32
        #[arg(long, value_enum, default_value_t = Storage::F32)]
        pub weights: Storage,
        /// Storage of the token embeddings (wte, also lm_head): f32 or f16 (default: f16 with
        /// --weights f16, else f32)
        #[arg(long, value_enum)]
        pub embeddings: Option<Storage>,
        /// With --weights nf4|fp4: quantize the block scales too (bnb_4bit_use_double_quant)
        #[arg(long)]
        pub double_quant: bool,
    }

    impl WeightArgs {
        pub fn dtype(&self) -> Result<WeightDtype, Error> {
            WeightDtype::new(self.weights, self.embeddings, self.double_quant)
        }
    }

    impl ModelArgs {
        /// The model's folder: --model itself, or its snapshot in the Hugging Face cache.
        pub fn dir(&self) -> Result<ModelDir, Error> {
            model_dir(&self.model, self.revision.as_deref())
        }
    }

    pub fn model_dir(spec: &str, revision: Option<&str>) -> Result<ModelDir, Error> {
        ModelDir::new(&Hub::from_env().model_dir(spec, revision)?)
    }

    /// An adapter folder, or a Hub id of one (as PeftModel.from_pretrained takes either).
    pub fn adapter_dir(spec: &str) -> Result<PathBuf, Error> {
        Hub::from_env().adapter_dir(spec, None)
    }

    pub type AnyResult = Result<(), Box<dyn std::error::Error>>;

    /// Let every flag that takes a value take a negative number (`--lr -1` is then refused by
    /// the flag's own check, with its name, instead of read as an unknown flag `-1`).
    fn negative_numbers(c: clap::Command) -> clap::Command {
        c.mut_args(|a| if a.get_action().takes_values() { a.allow_negative_numbers(true) } else { a })
            .mut_subcommands(negative_numbers)
    }

    pub fn main() -> ExitCode {
        let matches = negative_numbers(Cli::command()).get_matches();
        let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
        match pollster::block_on(run(cli)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        }
    }

    async fn run(cli: Cli) -> AnyResult {
        match cli.command {
            Command::Train(args) => super::train::run(*args).await,
            Command::Eval(args) => super::eval::run(args).await,
            Command::Generate(args) => super::generate::run(args).await,
            Command::Merge(args) => super::merge::run(args),
            Command::Plot(args) => super::plot::run(args),
            Command::Tokenize(args) => super::tokenize::run(args),
            Command::Bench { what } => super::bench::run(what).await,
            Command::Info => {
                let gpu = Gpu::new(Requirements::default()).await?;
                print!("{}", gpu.report);
                Ok(())
            }
        }
    }

    /// println! panics when stdout is closed (`webtune tokenize ... | head`); end quietly instead.
    pub fn print_line(line: &str) -> AnyResult {
        use std::io::Write;
        match writeln!(std::io::stdout(), "{line}") {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            r => Ok(r?),
        }
    }

    pub fn read_text(path: &Path) -> Result<String, Error> {
        let bytes = webtune::error::read_file(path)?;
        String::from_utf8(bytes).map_err(|e| {
            Error::data(format!(
                "{}: not UTF-8 text (invalid byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ))
        })
    }
}
