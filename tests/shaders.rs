//! Every WGSL file in shaders/ parses and validates with naga, and every one is embedded by a
//! kernel module. Needs no GPU. (Native only: it reads the directory.)
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

fn validate(name: &str, source: &str) -> Result<(), String> {
    let module = naga::front::wgsl::parse_str(source).map_err(|e| e.emit_to_string(source))?;
    naga::valid::Validator::new(naga::valid::ValidationFlags::all(), naga::valid::Capabilities::all())
        .validate(&module)
        .map_err(|e| e.emit_to_string(source))
        .map(|_| ())
        .map_err(|e| format!("{name}: {e}"))
}

#[test]
fn every_wgsl_file_validates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("shaders");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wgsl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .wgsl files in {}", dir.display());
    let mut failures = Vec::new();
    for path in &files {
        let source = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if let Err(e) = validate(&name, &source) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_wgsl_file_is_embedded() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("shaders");
    let embedded: Vec<_> = webtune::kernels::shaders().iter().map(|s| s.name).collect();
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name.ends_with(".wgsl") {
            assert!(embedded.contains(&name.as_str()), "{name} is not embedded by any kernel module");
        }
    }
    // And the embedded copies are the files on disk (include_str! keeps them in step).
    for s in webtune::kernels::shaders() {
        validate(s.name, s.source).unwrap();
    }
}

#[test]
fn a_broken_shader_is_caught() {
    // The check itself must be able to fail.
    assert!(validate("broken", "fn f() -> f32 { return 1u; }").is_err());
    assert!(validate("broken", "@compute @workgroup_size(1) fn main() { let x = ; }").is_err());
}

/// The f16-weight twins differ from their f32 files only where tools/gen_shaders.py says.
#[test]
fn f16_twins_are_in_step_with_their_f32_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("shaders");
    for (name, binding, load) in [
        ("matmul.wgsl", "var<storage, read> b: array<f32>;", "return b[i];"),
        ("encoder.wgsl", "var<storage, read> wte: array<f32>;", "return wte[i];"),
    ] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let want = format!(
            "enable f16;\n// Generated from {name} by tools/gen_shaders.py: frozen weights stored as f16.\n{}",
            text.replace(binding, &binding.replace("array<f32>", "array<f16>"))
                .replace(load, &load.replace("return ", "return f32(").replace(';', ");"))
        );
        let twin = name.replace(".wgsl", "_f16.wgsl");
        let got = std::fs::read_to_string(dir.join(&twin)).unwrap();
        assert!(got == want, "{twin} is stale: run python3 tools/gen_shaders.py");
    }
}
