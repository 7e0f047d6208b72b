//! `webtune merge`: W' = W + s·(B·A)ᵀ into a plain GPT-2 folder that transformers loads.

use std::path::PathBuf;

use clap::Args;
use webtune::lora::load_adapter;
use webtune::model::ModelDir;

use crate::cli::{print_line, AnyResult};

#[derive(Args)]
pub struct MergeArgs {
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

pub fn run(args: MergeArgs) -> AnyResult {
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
