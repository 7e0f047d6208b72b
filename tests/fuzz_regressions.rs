//! Replays every input the fuzzers ever crashed on (fuzz/regressions/<target>/) and the seed
//! corpus (fuzz/seeds/<target>/) through the fuzz targets' own code (fuzz/harness.rs), so a fixed
//! crash stays fixed without a nightly toolchain. The seeds must also be accepted: a fuzzer
//! that starts from files its parsers refuse explores only the refusals. Needs no GPU.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::Path;

fn inputs(kind: &str, target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(kind).join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn kept_crashes_and_seeds_run_clean() {
    type Target = fn(&[u8]);
    let targets: [(&str, Target); 3] =
        [("config", harness::config), ("safetensors", harness::safetensors), ("adapter", harness::adapter)];
    for (target, run) in targets {
        for kind in ["seeds", "regressions"] {
            for (name, data) in inputs(kind, target) {
                // A panic here names the input through the test's output.
                eprintln!("{name}");
                run(&data);
            }
        }
    }
}

#[test]
fn the_seeds_are_valid_files() {
    use webtune::lora::{Adapter, LoraConfig};
    use webtune::model::{Checkpoint, Gpt2Config};
    let seeds = inputs("seeds", "config");
    assert!(seeds.len() >= 4);
    for (name, data) in seeds {
        let text = String::from_utf8(data).unwrap();
        let ok = Gpt2Config::from_json(&text).is_ok() || LoraConfig::from_peft_json(&text).is_ok();
        assert!(ok, "{name} is refused by both config parsers");
    }
    for (name, data) in inputs("seeds", "safetensors") {
        Checkpoint::from_safetensors(&harness::tiny(), &data).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    for (name, data) in inputs("seeds", "adapter") {
        let len = u16::from_le_bytes([data[0], data[1]]) as usize;
        let config = std::str::from_utf8(&data[2..2 + len]).unwrap();
        Adapter::from_peft(config, &data[2 + len..], &harness::tiny())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
