//! Model folders as the Hugging Face Hub publishes them (native only; the page passes bytes):
//! config.json, model.safetensors, and tokenizer.json or vocab.json + merges.txt.

use std::path::{Path, PathBuf};

use crate::error::{read_file, Error, Result};
use crate::gpu::Gpu;
use crate::model::{Gpt2, Gpt2Config, WeightDtype};
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

    pub async fn load(&self, gpu: &Gpu, dtype: WeightDtype) -> Result<Gpt2> {
        let config = self.config()?;
        let ck = crate::model::Checkpoint::from_safetensors(&config, &self.safetensors()?)
            .map_err(|e| Error::model(format!("{}: {e}", self.file("model.safetensors").display())))?;
        Gpt2::from_checkpoint(gpu, config, &ck, dtype).await
    }
}
