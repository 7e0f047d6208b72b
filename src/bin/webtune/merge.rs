//! `webtune merge`: W' = W + s·(B·A)ᵀ into a plain GPT-2 folder that transformers loads.

use std::path::PathBuf;

use clap::Args;
use webtune::lora::load_adapter;

use crate::cli::{adapter_dir, model_dir, print_line, AnyResult};

#[derive(Args)]
pub struct MergeArgs {
    /// Base model: a folder or a Hugging Face Hub id (as for train)
    #[arg(long)]
    model: String,
    /// Branch, tag or commit of a Hub --model (default main)
    #[arg(long)]
    revision: Option<String>,
    /// PEFT adapter: a folder or a Hub id
    #[arg(long)]
    adapter: String,
    /// Output folder (must not already hold a model): config.json, model.safetensors (f32), tokenizer files
    #[arg(long)]
    out: PathBuf,
}

pub fn run(args: MergeArgs) -> AnyResult {
    let dir = model_dir(&args.model, args.revision.as_deref())?;
    let config = dir.config()?;
    let adapter = load_adapter(&adapter_dir(&args.adapter)?, &config)?;
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
