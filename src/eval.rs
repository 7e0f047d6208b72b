//! Evaluation: the mean next-token cross-entropy of a token stream cut into blocks, as
//! transformers computes `model(input_ids=block, labels=block).loss` for each block (every
//! block has T - 1 predictions, so the mean over blocks is the mean over all predictions).

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::gpu::Gpu;
use crate::model::{Activations, Gpt2, GpuLora, LossSum};

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

/// Mean loss over every block, `batch` blocks per forward pass, with `lora` applied unmerged if
/// given. `progress(done, total)` is called after each batch.
pub async fn evaluate(
    gpu: &Gpu,
    model: &Gpt2,
    lora: Option<&GpuLora>,
    tokens: &[u32],
    seq_len: usize,
    batch: usize,
    progress: impl FnMut(usize, usize),
) -> Result<LossSum> {
    let ids: Vec<Vec<u32>> = blocks(tokens, seq_len)?.into_iter().map(<[u32]>::to_vec).collect();
    let labels = ids.iter().map(|b| b.iter().map(|&id| id as i32).collect()).collect();
    evaluate_dataset(gpu, model, lora, &Dataset { seq_len, ids, labels }, batch, progress).await
}

/// Mean loss of a dataset's blocks (with their labels) in eval mode, `batch` blocks at a time.
pub async fn evaluate_dataset(
    gpu: &Gpu,
    model: &Gpt2,
    lora: Option<&GpuLora>,
    data: &Dataset,
    batch: usize,
    mut progress: impl FnMut(usize, usize),
) -> Result<LossSum> {
    if batch == 0 {
        return Err(Error::data("--batch must be at least 1"));
    }
    let mut total = LossSum::default();
    let mut acts: Option<Activations> = None;
    let order: Vec<usize> = (0..data.len()).collect();
    for group in order.chunks(batch) {
        let b = group.len();
        if acts.as_ref().is_none_or(|a| a.b != b) {
            let r = lora.map_or(0, |l| l.r);
            acts = Some(Activations::new(gpu, &model.config, b, data.seq_len, false, r).await?);
        }
        let acts = acts.as_ref().expect("allocated above");
        let ids: Vec<u32> = group.iter().flat_map(|&k| data.ids[k].iter().copied()).collect();
        let labels: Vec<i32> = group.iter().flat_map(|&k| data.labels[k].iter().copied()).collect();
        total.add(model.loss(gpu, acts, lora, &ids, &labels).await?);
        progress(group[b - 1] + 1, data.len());
    }
    Ok(total)
}
