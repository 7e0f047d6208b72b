//! What each fuzz target does with its input, shared by the fuzz targets (fuzz_targets/) and by
//! the regression test that replays every kept crash (tests/fuzz_regressions.rs): any input may
//! be refused with an error, none may panic, hang or allocate more than its size justifies.

use webtune::lora::{Adapter, LoraConfig};
use webtune::model::{
    expected_tensors, read_slice, Checkpoint, Gpt2Config, SafetensorsFile, TensorSource, WeightDtype,
};

/// The model the safetensors and adapter inputs are read against: one layer, width 8, 2 heads,
/// vocabulary 16, 4 positions (the seeds in fuzz/seeds/ are checkpoints and adapters of it).
pub const TINY: &str = r#"{"model_type": "gpt2", "n_layer": 1, "n_embd": 8, "n_head": 2,
    "n_positions": 4, "vocab_size": 16}"#;

pub fn tiny() -> Gpt2Config {
    Gpt2Config::from_json(TINY).expect("the tiny config parses")
}

/// config.json and adapter_config.json parsers; what follows from a config that parses (its
/// parameter count, the tensors it implies, a training run's memory) must not overflow either.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(cfg) = Gpt2Config::from_json(text) {
        let _ = cfg.num_parameters();
        let _ = expected_tensors(&cfg);
        let _ = webtune::model::memory::training(&cfg, WeightDtype::F32, (4, 16, 8), false, 1 << 20);
    }
    if let Ok(lora) = LoraConfig::from_peft_json(text) {
        let _ = lora.num_parameters(&tiny());
        let _ = lora.scale();
    }
}

/// model.safetensors, read whole (merge) and tensor by tensor (loading onto the GPU).
pub fn safetensors(data: &[u8]) {
    let cfg = tiny();
    let _ = Checkpoint::from_safetensors(&cfg, data);
    pollster::block_on(async {
        if let Ok(file) = SafetensorsFile::open(&cfg, data.len() as u64, read_slice(data)).await {
            for (name, _) in expected_tensors(&cfg) {
                let _ = file.tensor(&name).await;
            }
        }
    });
}

/// PEFT's two adapter files: the first two bytes give the config's length, the config follows,
/// then adapter_model.safetensors.
pub fn adapter(data: &[u8]) {
    let Some((len, rest)) = data.split_first_chunk::<2>() else { return };
    let len = (u16::from_le_bytes(*len) as usize).min(rest.len());
    let (config, weights) = rest.split_at(len);
    let Ok(config) = std::str::from_utf8(config) else { return };
    if let Ok(adapter) = Adapter::from_peft(config, weights, &tiny()) {
        let _ = adapter.to_safetensors();
        let _ = adapter.num_parameters();
    }
}
