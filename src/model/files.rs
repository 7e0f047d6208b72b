//! Model folders as the Hugging Face Hub publishes them (native only; the page passes bytes):
//! config.json, model.safetensors, and tokenizer.json or vocab.json + merges.txt.

use std::path::{Path, PathBuf};

use crate::error::{read_file, Error, Result};
use crate::gpu::Gpu;
use crate::lora::Adapter;
use crate::model::{read_slice, Checkpoint, Gpt2, Gpt2Config, SafetensorsFile, WeightDtype};
use crate::tokenizer::Gpt2Tokenizer;

pub struct ModelDir {
    pub path: PathBuf,
}

impl ModelDir {
    pub fn new(path: &Path) -> Result<ModelDir> {
        if !path.is_dir() {
            return Err(Error::Io { path: path.display().to_string(), message: "not a directory".into() });
        }
        Ok(ModelDir { path: path.to_path_buf() })
    }

    fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    pub fn config_text(&self) -> Result<String> {
        let path = self.file("config.json");
        String::from_utf8(read_file(&path)?)
            .map_err(|_| Error::model(format!("{}: not UTF-8", path.display())))
    }

    pub fn config(&self) -> Result<Gpt2Config> {
        Gpt2Config::from_json(&self.config_text()?)
            .map_err(|e| Error::model(format!("{}: {e}", self.file("config.json").display())))
    }

    pub fn safetensors(&self) -> Result<Vec<u8>> {
        let path = self.file("model.safetensors");
        if !path.exists() {
            let hint = if self.file("model.safetensors.index.json").exists() {
                "sharded checkpoints are not supported"
            } else if self.file("pytorch_model.bin").exists() {
                "only safetensors checkpoints are read (convert pytorch_model.bin with save_pretrained(safe_serialization=True))"
            } else {
                "no model.safetensors"
            };
            return Err(Error::model(format!("{}: {hint}", self.path.display())));
        }
        read_file(&path)
    }

    /// tokenizer.json if present, else vocab.json + merges.txt, else GPT-2's bundled files.
    pub fn tokenizer(&self) -> Result<Gpt2Tokenizer> {
        let json = self.file("tokenizer.json");
        if json.exists() {
            return Gpt2Tokenizer::from_tokenizer_json(&read_file(&json)?);
        }
        let (vocab, merges) = (self.file("vocab.json"), self.file("merges.txt"));
        if vocab.exists() && merges.exists() {
            return Gpt2Tokenizer::from_vocab_merges(&read_file(&vocab)?, &read_file(&merges)?);
        }
        Gpt2Tokenizer::bundled()
    }

    /// Load the model, converting and uploading one tensor at a time.
    pub async fn load(&self, gpu: &Gpu, dtype: WeightDtype) -> Result<Gpt2> {
        let config = self.config()?;
        let bytes = self.safetensors()?;
        let path = self.file("model.safetensors");
        let file = SafetensorsFile::open(&config, bytes.len() as u64, read_slice(&bytes))
            .await
            .map_err(|e| Error::model(format!("{}: {e}", path.display())))?;
        Gpt2::from_checkpoint(gpu, config, &file, dtype).await
    }
}

/// A PEFT adapter folder: adapter_config.json + adapter_model.safetensors.
pub fn load_adapter(path: &Path, cfg: &Gpt2Config) -> Result<Adapter> {
    if !path.is_dir() {
        return Err(Error::Io { path: path.display().to_string(), message: "not a directory".into() });
    }
    let config_path = path.join("adapter_config.json");
    let config = String::from_utf8(read_file(&config_path)?)
        .map_err(|_| Error::model(format!("{}: not UTF-8", config_path.display())))?;
    // The config's errors first: they say more than a missing weights file.
    crate::lora::LoraConfig::from_peft_json(&config)
        .map_err(|e| Error::model(format!("{}: {e}", path.display())))?;
    let weights_path = path.join("adapter_model.safetensors");
    if !weights_path.exists() && path.join("adapter_model.bin").exists() {
        return Err(Error::model(format!(
            "{}: only adapter_model.safetensors is read (PEFT writes it by default)",
            path.display()
        )));
    }
    let weights = read_file(&weights_path)?;
    Adapter::from_peft(&config, &weights, cfg).map_err(|e| Error::model(format!("{}: {e}", path.display())))
}

/// Write PEFT's two adapter files into `path` (created if needed).
pub fn save_adapter(path: &Path, adapter: &Adapter) -> Result<()> {
    let io =
        |p: &Path, e: std::io::Error| Error::Io { path: p.display().to_string(), message: e.to_string() };
    std::fs::create_dir_all(path).map_err(|e| io(path, e))?;
    let config = path.join("adapter_config.json");
    std::fs::write(&config, adapter.config.to_peft_json()).map_err(|e| io(&config, e))?;
    let weights = path.join("adapter_model.safetensors");
    std::fs::write(&weights, adapter.to_safetensors()?).map_err(|e| io(&weights, e))
}

impl ModelDir {
    /// Parse and validate the checkpoint on the host.
    pub fn checkpoint(&self, config: &Gpt2Config) -> Result<Checkpoint> {
        Checkpoint::from_safetensors(config, &self.safetensors()?)
            .map_err(|e| Error::model(format!("{}: {e}", self.file("model.safetensors").display())))
    }

    /// Write a plain GPT-2 folder to `out`: config.json (this folder's), model.safetensors
    /// (`ck` in f32, save_pretrained's names, lm_head tied) and this folder's tokenizer files
    /// (GPT-2's bundled ones if it has none). Refuses to overwrite an existing model.
    pub fn write_merged(&self, out: &Path, ck: &Checkpoint) -> Result<()> {
        let io =
            |p: &Path, e: std::io::Error| Error::Io { path: p.display().to_string(), message: e.to_string() };
        for f in ["config.json", "model.safetensors"] {
            if out.join(f).exists() {
                return Err(Error::Io {
                    path: out.join(f).display().to_string(),
                    message: "already exists; choose an empty --out folder".into(),
                });
            }
        }
        std::fs::create_dir_all(out).map_err(|e| io(out, e))?;
        let bytes = ck.to_safetensors()?;
        let copy = |name: &str| -> Result<bool> {
            let src = self.file(name);
            if src.exists() {
                std::fs::copy(&src, out.join(name)).map_err(|e| io(&src, e))?;
                Ok(true)
            } else {
                Ok(false)
            }
        };
        let text = super::config::merged_config_json(&self.config_text()?)?;
        std::fs::write(out.join("config.json"), text).map_err(|e| io(&out.join("config.json"), e))?;
        std::fs::write(out.join("model.safetensors"), bytes)
            .map_err(|e| io(&out.join("model.safetensors"), e))?;
        let has_json = copy("tokenizer.json")?;
        let has_bpe = copy("vocab.json")? & copy("merges.txt")?;
        if !has_json && !has_bpe {
            std::fs::write(out.join("vocab.json"), crate::tokenizer::BUNDLED_VOCAB)
                .map_err(|e| io(out, e))?;
            std::fs::write(out.join("merges.txt"), crate::tokenizer::BUNDLED_MERGES)
                .map_err(|e| io(out, e))?;
        }
        Ok(())
    }
}

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
