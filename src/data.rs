//! Training data: UTF-8 text or JSON Lines ({"text": ...}) -> token blocks -> batches.
//!
//! - Packed (the default): the whole token stream cut into blocks of T, the remainder dropped,
//!   as transformers' group_texts does. A .txt file is one stream (newlines are tokens); a
//!   .jsonl file is its records' texts, tokenized one by one and concatenated.
//! - Lines: one example per line (or record), truncated to T and padded with EOS; padding takes
//!   no part in the loss (label -100), as DataCollatorForLanguageModeling with pad = EOS does.
//!
//! Batches of B blocks come in file order, or shuffled with the seed each epoch.

use std::borrow::Cow;

use rand_chacha::rand_core::{RngCore, SeedableRng};

use crate::error::{Error, Result};
use crate::model::IGNORE_INDEX;
use crate::tokenizer::Gpt2Tokenizer;

/// How text becomes blocks: the token stream packed into blocks of T (run_clm's group_texts),
/// or one example per line (or JSONL record), padded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(not(target_arch = "wasm32"), derive(clap::ValueEnum))]
pub enum Packing {
    Pack,
    Lines,
}

impl Packing {
    /// Lines when `lines` (the `--lines` flag), else Pack.
    pub fn lines_if(lines: bool) -> Packing {
        if lines {
            Packing::Lines
        } else {
            Packing::Pack
        }
    }
}

/// Blocks of exactly T tokens with their labels (-100 where no loss is taken).
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub seq_len: usize,
    pub ids: Vec<Vec<u32>>,
    pub labels: Vec<Vec<i32>>,
}

/// The examples of a file: its lines / records (Lines), or the stream (Pack, .txt).
fn examples(text: &str, jsonl: bool, packing: Packing) -> Result<Vec<Cow<'_, str>>> {
    if !jsonl {
        // Borrowed: a text file is held once, however large.
        return Ok(match packing {
            Packing::Pack => vec![Cow::Borrowed(text)],
            Packing::Lines => text.lines().filter(|l| !l.trim().is_empty()).map(Cow::Borrowed).collect(),
        });
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| Error::data(format!("line {}: not JSON: {e}", i + 1)))?;
        let t = v
            .get("text")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| Error::data(format!("line {}: no \"text\" string field", i + 1)))?;
        out.push(Cow::Owned(t.to_string()));
    }
    Ok(out)
}

impl Dataset {
    /// Tokenize `text` (`jsonl`: JSON Lines) into blocks of `seq_len`.
    pub fn build(
        tok: &Gpt2Tokenizer,
        text: &str,
        jsonl: bool,
        packing: Packing,
        seq_len: usize,
    ) -> Result<Dataset> {
        if seq_len < 2 {
            return Err(Error::data("--seq-len must be at least 2"));
        }
        let examples = examples(text, jsonl, packing)?;
        let (mut ids, mut labels) = (Vec::new(), Vec::new());
        match packing {
            Packing::Pack => {
                let mut stream = Vec::new();
                for e in &examples {
                    stream.extend(tok.encode(e)?);
                }
                for block in stream.chunks_exact(seq_len) {
                    ids.push(block.to_vec());
                    labels.push(block.iter().map(|&t| t as i32).collect());
                }
            }
            Packing::Lines => {
                for e in &examples {
                    let mut t = tok.encode(e)?;
                    t.truncate(seq_len);
                    if t.len() < 2 {
                        continue; // predicts nothing
                    }
                    let mut l: Vec<i32> = t.iter().map(|&x| x as i32).collect();
                    l.resize(seq_len, IGNORE_INDEX);
                    t.resize(seq_len, tok.eos());
                    ids.push(t);
                    labels.push(l);
                }
            }
        }
        if ids.is_empty() {
            return Err(Error::data(format!("the data gives no training block of --seq-len {seq_len}")));
        }
        Ok(Dataset { seq_len, ids, labels })
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Block order of epoch `epoch`: file order, or a seeded Fisher-Yates shuffle.
    pub fn order(&self, epoch: u64, shuffle: bool, seed: u64) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.len()).collect();
        if shuffle {
            let mut rng =
                rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ epoch.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            for i in (1..order.len()).rev() {
                let j = (rng.next_u64() % (i as u64 + 1)) as usize;
                order.swap(i, j);
            }
        }
        order
    }

    /// Batches of up to `batch` block indices for one epoch (the last may be smaller, as the
    /// Trainer's DataLoader keeps it).
    pub fn batches(&self, epoch: u64, shuffle: bool, seed: u64, batch: usize) -> Vec<Vec<usize>> {
        self.order(epoch, shuffle, seed).chunks(batch.max(1)).map(<[usize]>::to_vec).collect()
    }
}
