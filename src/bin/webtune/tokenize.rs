//! `webtune tokenize`: GPT-2's token ids of a text file, on one line.

use std::path::PathBuf;

use clap::Args;
use webtune::model::ModelDir;

use crate::cli::{print_line, read_text, AnyResult};

#[derive(Args)]
pub struct TokenizeArgs {
    /// Model folder whose tokenizer to use (tokenizer.json, or vocab.json + merges.txt;
    /// GPT-2's own files when it has neither)
    #[arg(long)]
    model: PathBuf,
    /// UTF-8 text file
    #[arg(long)]
    text: PathBuf,
}

pub fn run(args: TokenizeArgs) -> AnyResult {
    let tokenizer = ModelDir::new(&args.model)?.tokenizer()?;
    let ids = tokenizer.encode(&read_text(&args.text)?)?;
    let line: Vec<String> = ids.iter().map(u32::to_string).collect();
    print_line(&line.join(" "))
}
