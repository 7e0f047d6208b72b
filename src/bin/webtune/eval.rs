//! `webtune eval`: mean next-token cross-entropy and perplexity over blocks of a text file.

use std::path::PathBuf;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use webtune::lora::load_adapter;
use webtune::{eval, Gpu, Requirements};

use crate::cli::{adapter_dir, print_line, read_text, AnyResult, ModelArgs};

#[derive(Args)]
pub struct EvalArgs {
    #[command(flatten)]
    model: ModelArgs,
    /// LoRA adapter (PEFT's adapter_config.json + adapter_model.safetensors): a folder or a Hub
    /// id, applied unmerged
    #[arg(long)]
    adapter: Option<String>,
    /// UTF-8 text file: tokenized whole, cut into blocks of --seq-len (remainder dropped)
    #[arg(long)]
    data: PathBuf,
    /// Tokens per block
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..))]
    seq_len: u32,
    /// Blocks per forward pass
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=4096))]
    batch: u32,
}

pub async fn run(args: EvalArgs) -> AnyResult {
    let dir = args.model.dir()?;
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
    let model = dir.load(&gpu, args.model.storage.dtype()?).await?;
    let lora = match &args.adapter {
        Some(spec) => Some(load_adapter(&adapter_dir(spec)?, &config)?.upload(&gpu, &config).await?),
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
