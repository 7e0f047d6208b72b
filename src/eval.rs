//! Evaluation: the mean next-token cross-entropy of a token stream cut into blocks, as
//! transformers computes `model(input_ids=block, labels=block).loss` for each block (every
//! block has T - 1 predictions, so the mean over blocks is the mean over all predictions).

use crate::error::{Error, Result};
use crate::gpu::Gpu;
use crate::model::{Activations, Gpt2, LossSum};

/// Cut `tokens` into non-overlapping blocks of `seq_len`; the remainder is dropped.
pub fn blocks(tokens: &[u32], seq_len: usize) -> Result<Vec<&[u32]>> {
    if seq_len < 2 {
        return Err(Error::data("--seq-len must be at least 2 (a block of one token predicts nothing)"));
    }
    let n = tokens.len() / seq_len;
    if n == 0 {
        return Err(Error::data(format!(
            "the text has {} tokens, fewer than one block of --seq-len {seq_len}",
            tokens.len()
        )));
    }
    Ok(tokens.chunks_exact(seq_len).take(n).collect())
}

/// Mean loss over every block, `batch` blocks per forward pass. `progress(done, total)` is
/// called after each batch.
pub async fn evaluate(
    gpu: &Gpu,
    model: &Gpt2,
    tokens: &[u32],
    seq_len: usize,
    batch: usize,
    mut progress: impl FnMut(usize, usize),
) -> Result<LossSum> {
    if batch == 0 {
        return Err(Error::data("--batch must be at least 1"));
    }
    let blocks = blocks(tokens, seq_len)?;
    let mut total = LossSum::default();
    let mut acts: Option<Activations> = None;
    for (i, group) in blocks.chunks(batch).enumerate() {
        let b = group.len();
        if acts.as_ref().is_none_or(|a| a.b != b) {
            acts = Some(Activations::new(gpu, &model.config, b, seq_len, false, model.lora_rank()).await?);
        }
        let acts = acts.as_ref().expect("allocated above");
        let ids: Vec<u32> = group.concat();
        let labels: Vec<i32> = ids.iter().map(|&id| id as i32).collect();
        total.add(model.loss(gpu, acts, &ids, &labels).await?);
        progress((i * batch + b).min(blocks.len()), blocks.len());
    }
    Ok(total)
}
