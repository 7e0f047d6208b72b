//! Training checkpoints on disk (native only): PEFT's adapter files plus the optimizer state
//! that `--resume` needs, and the Trainer-style log beside them.

use std::path::Path;

use super::log::{TrainerState, TRAINER_STATE};
use crate::error::{read_file, Error, Result};
use crate::lora::Adapter;

/// Named host tensors: (name, shape, data).
pub type NamedTensors = Vec<(String, Vec<usize>, Vec<f32>)>;

/// The file beside the adapter that makes a checkpoint resumable.
pub const TRAINING_STATE: &str = "training_state.safetensors";

/// Write a checkpoint into `dir`: PEFT's adapter files and the optimizer state (moments and
/// step). Files are written under temporary names and renamed, so an interrupted write leaves
/// the previous checkpoint whole.
pub fn save_checkpoint(
    dir: &Path,
    adapter: &Adapter,
    step: u64,
    state: &[(String, Vec<usize>, Vec<f32>)],
) -> Result<()> {
    let io =
        |p: &Path, e: std::io::Error| Error::Io { path: p.display().to_string(), message: e.to_string() };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let views = state
        .iter()
        .map(|(n, s, d)| {
            safetensors::tensor::TensorView::new(safetensors::Dtype::F32, s.clone(), bytemuck::cast_slice(d))
                .map(|v| (n.clone(), v))
                .map_err(|e| Error::model(e.to_string()))
        })
        .collect::<Result<Vec<_>>>()?;
    let meta = Some([("step".to_string(), step.to_string())].into_iter().collect());
    let state_bytes = safetensors::serialize(views, meta).map_err(|e| Error::model(e.to_string()))?;
    let files = [
        ("adapter_config.json", adapter.config.to_peft_json().into_bytes()),
        ("adapter_model.safetensors", adapter.to_safetensors()?),
        (TRAINING_STATE, state_bytes),
    ];
    for (name, bytes) in &files {
        let tmp = dir.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, bytes).map_err(|e| io(&tmp, e))?;
    }
    for (name, _) in &files {
        let (tmp, dst) = (dir.join(format!(".{name}.tmp")), dir.join(name));
        std::fs::rename(&tmp, &dst).map_err(|e| io(&dst, e))?;
    }
    Ok(())
}

/// Read a checkpoint's optimizer state: (step, named moments).
pub fn load_training_state(dir: &Path) -> Result<(u64, NamedTensors)> {
    let path = dir.join(TRAINING_STATE);
    let bytes = read_file(&path)?;
    let bad = |m: String| Error::model(format!("{}: {m}", path.display()));
    let (_, meta) = safetensors::SafeTensors::read_metadata(&bytes).map_err(|e| bad(e.to_string()))?;
    let step = meta
        .metadata()
        .as_ref()
        .and_then(|m| m.get("step"))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no step in its metadata".into()))?;
    let st = safetensors::SafeTensors::deserialize(&bytes).map_err(|e| bad(e.to_string()))?;
    let mut out = Vec::new();
    for (name, view) in st.tensors() {
        if view.dtype() != safetensors::Dtype::F32 {
            return Err(bad(format!("'{name}' is not F32")));
        }
        out.push((name, view.shape().to_vec(), bytemuck::pod_collect_to_vec(view.data())));
    }
    Ok((step, out))
}

/// Write `--out`'s trainer_state.json (under a temporary name, then renamed).
pub fn save_trainer_state(dir: &Path, state: &TrainerState) -> Result<()> {
    let io =
        |p: &Path, e: std::io::Error| Error::Io { path: p.display().to_string(), message: e.to_string() };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let (tmp, dst) = (dir.join(format!(".{TRAINER_STATE}.tmp")), dir.join(TRAINER_STATE));
    std::fs::write(&tmp, state.to_json()).map_err(|e| io(&tmp, e))?;
    std::fs::rename(&tmp, &dst).map_err(|e| io(&dst, e))
}

/// Read a folder's trainer_state.json (ours or a transformers Trainer's).
pub fn load_trainer_state(dir: &Path) -> Result<TrainerState> {
    let path = dir.join(TRAINER_STATE);
    let text = String::from_utf8(read_file(&path)?)
        .map_err(|_| Error::data(format!("{}: not UTF-8", path.display())))?;
    TrainerState::from_json(&text).map_err(|e| Error::data(format!("{}: {e}", path.display())))
}
