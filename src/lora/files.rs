//! PEFT adapter folders on disk (native only): adapter_config.json + adapter_model.safetensors.

use std::path::Path;

use super::{Adapter, LoraConfig};
use crate::error::{read_file, Error, Result};
use crate::model::Gpt2Config;

/// A PEFT adapter folder: adapter_config.json + adapter_model.safetensors.
pub fn load_adapter(path: &Path, cfg: &Gpt2Config) -> Result<Adapter> {
    if !path.is_dir() {
        return Err(Error::Io { path: path.display().to_string(), message: "not a directory".into() });
    }
    let config_path = path.join("adapter_config.json");
    let config = String::from_utf8(read_file(&config_path)?)
        .map_err(|_| Error::model(format!("{}: not UTF-8", config_path.display())))?;
    // The config's errors first: they say more than a missing weights file.
    LoraConfig::from_peft_json(&config).map_err(|e| Error::model(format!("{}: {e}", path.display())))?;
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
