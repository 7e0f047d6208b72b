//! Training checkpoints on disk (native only): PEFT's adapter files plus the optimizer state
//! that `--resume` needs, and the Trainer-style log beside them.

use std::path::Path;

use super::log::{TrainerState, TRAINER_STATE};
use crate::error::{read_file, sync_dir, write_file_atomic, Error, Result};
use crate::lora::Adapter;

/// Named host tensors: (name, shape, data).
pub type NamedTensors = Vec<(String, Vec<usize>, Vec<f32>)>;

/// The file beside the adapter that makes a checkpoint resumable.
pub const TRAINING_STATE: &str = "training_state.safetensors";
/// In the training state, the adapter's own tensors carry this prefix before their PEFT names.
const ADAPTER_PREFIX: &str = "adapter/";
/// In the training state's metadata, the adapter's adapter_config.json.
const ADAPTER_CONFIG_KEY: &str = "adapter_config";

/// Write a checkpoint into `dir`: PEFT's adapter files, and the training state (optimizer
/// moments, step, and a copy of the adapter: its tensors and its adapter_config.json). Each file
/// is written to a temporary name, flushed and renamed, the training state first: it is the
/// checkpoint `--resume` reads, whole by itself, so a crash between two renames (the adapter
/// files one checkpoint behind it, or not there yet) loses nothing.
pub fn save_checkpoint(
    dir: &Path,
    adapter: &Adapter,
    step: u64,
    state: &[(String, Vec<usize>, Vec<f32>)],
) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let adapter_bytes = adapter.to_safetensors()?;
    let adapter_st =
        safetensors::SafeTensors::deserialize(&adapter_bytes).map_err(|e| Error::model(e.to_string()))?;
    let mut views = state
        .iter()
        .map(|(n, s, d)| {
            safetensors::tensor::TensorView::new(safetensors::Dtype::F32, s.clone(), bytemuck::cast_slice(d))
                .map(|v| (n.clone(), v))
                .map_err(|e| Error::model(e.to_string()))
        })
        .collect::<Result<Vec<_>>>()?;
    views.extend(adapter_st.tensors().into_iter().map(|(n, v)| (format!("{ADAPTER_PREFIX}{n}"), v)));
    let peft_json = adapter.config.to_peft_json();
    let meta = Some(
        [("step".to_string(), step.to_string()), (ADAPTER_CONFIG_KEY.to_string(), peft_json.clone())]
            .into_iter()
            .collect(),
    );
    let state_bytes = safetensors::serialize(views, meta).map_err(|e| Error::model(e.to_string()))?;
    write_file_atomic(dir, TRAINING_STATE, &state_bytes)?;
    write_file_atomic(dir, "adapter_config.json", peft_json.as_bytes())?;
    write_file_atomic(dir, "adapter_model.safetensors", &adapter_bytes)?;
    sync_dir(dir)
}

/// A checkpoint to resume from `dir`: the adapter as the training state holds it, the step and
/// the optimizer's tensors. A state written before it held a copy of its adapter falls back to
/// the folder's adapter files.
pub fn load_checkpoint(dir: &Path, cfg: &crate::model::Gpt2Config) -> Result<(Adapter, u64, NamedTensors)> {
    if !dir.is_dir() {
        return Err(Error::Io { path: dir.display().to_string(), message: "not a directory".into() });
    }
    let (step, peft_json, tensors) = read_training_state(dir)?;
    let (own, moments): (NamedTensors, NamedTensors) =
        tensors.into_iter().partition(|(n, _, _)| n.starts_with(ADAPTER_PREFIX));
    let Some(peft_json) = peft_json.filter(|_| !own.is_empty()) else {
        return Ok((crate::lora::load_adapter(dir, cfg)?, step, moments));
    };
    let views = own
        .iter()
        .map(|(n, s, d)| {
            safetensors::tensor::TensorView::new(safetensors::Dtype::F32, s.clone(), bytemuck::cast_slice(d))
                .map(|v| (n[ADAPTER_PREFIX.len()..].to_string(), v))
                .map_err(|e| Error::model(e.to_string()))
        })
        .collect::<Result<Vec<_>>>()?;
    let bytes = safetensors::serialize(views, None).map_err(|e| Error::model(e.to_string()))?;
    let adapter = Adapter::from_peft(&peft_json, &bytes, cfg)
        .map_err(|e| Error::model(format!("{}: {e}", dir.join(TRAINING_STATE).display())))?;
    Ok((adapter, step, moments))
}

/// One run's hold on its output folder: a second `webtune train` on the same --out is refused,
/// not interleaved. The lock is the operating system's (flock / LockFileEx) on `.webtune.lock`,
/// so it goes away with the process however that ends, kill -9 included: no stale lock. The
/// empty file stays: removing it on exit would let a run that opened it just before lock an
/// unlinked file while a third run locks a new one.
pub struct OutLock {
    _file: std::fs::File,
}

impl OutLock {
    pub const FILE: &'static str = ".webtune.lock";

    pub fn acquire(dir: &Path) -> Result<OutLock> {
        if dir.exists() && !dir.is_dir() {
            return Err(Error::Io {
                path: dir.display().to_string(),
                message: "is a file, not a folder".into(),
            });
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let path = dir.join(Self::FILE);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(OutLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Io {
                path: dir.display().to_string(),
                message: "another webtune run is writing into this folder; wait for it to end, or choose another --out"
                    .into(),
            }),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
        }
    }
}

/// Read a checkpoint's training state: (step, named tensors), the adapter's copy included.
pub fn load_training_state(dir: &Path) -> Result<(u64, NamedTensors)> {
    read_training_state(dir).map(|(step, _, tensors)| (step, tensors))
}

/// The training state's step, adapter_config.json (absent in older states) and tensors.
fn read_training_state(dir: &Path) -> Result<(u64, Option<String>, NamedTensors)> {
    let path = dir.join(TRAINING_STATE);
    let bytes = read_file(&path)?;
    let bad = |m: String| Error::model(format!("{}: {m}", path.display()));
    let (_, meta) = safetensors::SafeTensors::read_metadata(&bytes).map_err(|e| bad(e.to_string()))?;
    let meta = meta.metadata().as_ref();
    let step = meta
        .and_then(|m| m.get("step"))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no step in its metadata".into()))?;
    let peft_json = meta.and_then(|m| m.get(ADAPTER_CONFIG_KEY)).cloned();
    let st = safetensors::SafeTensors::deserialize(&bytes).map_err(|e| bad(e.to_string()))?;
    let mut out = Vec::new();
    for (name, view) in st.tensors() {
        if view.dtype() != safetensors::Dtype::F32 {
            return Err(bad(format!("'{name}' is not F32")));
        }
        out.push((name, view.shape().to_vec(), bytemuck::pod_collect_to_vec(view.data())));
    }
    Ok((step, peft_json, out))
}

/// Write `--out`'s trainer_state.json (under a temporary name, flushed, then renamed).
pub fn save_trainer_state(dir: &Path, state: &TrainerState) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    write_file_atomic(dir, TRAINER_STATE, state.to_json().as_bytes())
}

/// Read a folder's trainer_state.json (ours or a transformers Trainer's).
pub fn load_trainer_state(dir: &Path) -> Result<TrainerState> {
    let path = dir.join(TRAINER_STATE);
    let text = String::from_utf8(read_file(&path)?)
        .map_err(|_| Error::data(format!("{}: not UTF-8", path.display())))?;
    TrainerState::from_json(&text).map_err(|e| Error::data(format!("{}: {e}", path.display())))
}
