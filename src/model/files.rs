//! Model folders as the Hugging Face Hub publishes them (native only; the page passes bytes):
//! config.json, model.safetensors, and tokenizer.json or vocab.json + merges.txt.

use std::path::{Path, PathBuf};

use crate::error::{read_file, sync_dir, write_file_atomic, Error, Result};
use crate::gpu::Gpu;
use crate::model::{Checkpoint, Gpt2, Gpt2Config, ReadBytes, SafetensorsFile, WeightDtype};
use crate::tokenizer::Gpt2Tokenizer;

/// Reads byte ranges of a file on disk (opened for each range: a checkpoint is read once, one
/// tensor at a time).
fn read_file_range<'a>(path: PathBuf) -> ReadBytes<'a> {
    Box::new(move |offset, len| {
        let path = path.clone();
        Box::pin(async move {
            use std::io::{Read, Seek, SeekFrom};
            let io = |e: std::io::Error| Error::Io {
                path: path.display().to_string(),
                message: format!("reading bytes {offset}..+{len}: {e}"),
            };
            let mut f = std::fs::File::open(&path).map_err(io)?;
            f.seek(SeekFrom::Start(offset)).map_err(io)?;
            let mut buf = vec![0; len];
            f.read_exact(&mut buf).map_err(io)?;
            Ok(buf)
        })
    })
}

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

    /// model.safetensors's path, or why there is none.
    fn safetensors_path(&self) -> Result<PathBuf> {
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
        Ok(path)
    }

    /// model.safetensors, whole (merging needs every tensor on the host).
    pub fn safetensors(&self) -> Result<Vec<u8>> {
        read_file(&self.safetensors_path()?)
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

    /// Load the model, reading, converting and uploading one tensor at a time: the host holds
    /// one tensor of the checkpoint at once, never the whole file.
    pub async fn load(&self, gpu: &Gpu, dtype: WeightDtype) -> Result<Gpt2> {
        let config = self.config()?;
        let path = self.safetensors_path()?;
        let size = std::fs::metadata(&path).map_err(|e| Error::io(&path, e))?.len();
        let file = SafetensorsFile::open(&config, size, read_file_range(path.clone())).await.map_err(
            |e| match e {
                // A failed read already names the file.
                e @ Error::Io { .. } => e,
                e => Error::model(format!("{}: {e}", path.display())),
            },
        )?;
        Gpt2::from_checkpoint(gpu, config, &file, dtype).await
    }
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
        for f in ["config.json", "model.safetensors"] {
            if out.join(f).exists() {
                return Err(Error::Io {
                    path: out.join(f).display().to_string(),
                    message: "already exists; choose an empty --out folder".into(),
                });
            }
        }
        std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
        let bytes = ck.to_safetensors()?;
        // Every file whole (written to a temporary name, flushed, renamed), config.json last: a
        // folder is a model only once it has one, so an interrupted merge never looks like one.
        let text = super::config::merged_config_json(&self.config_text()?)?;
        write_file_atomic(out, "model.safetensors", &bytes)?;
        let mut tokenizer = false;
        for names in [&["tokenizer.json"][..], &["vocab.json", "merges.txt"]] {
            if names.iter().all(|n| self.file(n).exists()) {
                for n in names {
                    write_file_atomic(out, n, &read_file(&self.file(n))?)?;
                }
                tokenizer = true;
            }
        }
        if !tokenizer {
            write_file_atomic(out, "vocab.json", crate::tokenizer::BUNDLED_VOCAB)?;
            write_file_atomic(out, "merges.txt", crate::tokenizer::BUNDLED_MERGES)?;
        }
        write_file_atomic(out, "config.json", text.as_bytes())?;
        sync_dir(out)?;
        Ok(())
    }
}
