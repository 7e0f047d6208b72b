//! The crate's imports point down its layers (ARCHITECTURE.md):
//! gpu ← kernels ← nn ← model ← lora ← train / generate ← session ← web / bench / the CLI.
//! A module may use modules of lower rank only; a `crate::x` path in code (not in comments)
//! that points up or sideways fails here, naming the file and line. Needs no GPU.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

/// Each top-level module of src/ and its rank: lower ranks never import higher ones.
const RANKS: &[(&str, u32)] = &[
    ("gpu", 0),
    ("cpu", 0),
    ("error", 1),
    ("kernels", 1),
    ("sample", 2),
    ("tokenizer", 2),
    ("hub", 2),
    ("nn", 2),
    ("model", 3),
    ("lora", 4),
    ("data", 4),
    ("optim", 5),
    ("eval", 5),
    ("generate", 5),
    ("train", 6),
    ("session", 7),
    ("web", 8),
    ("bench", 8),
];

fn rank(module: &str) -> Option<u32> {
    RANKS.iter().find(|(m, _)| *m == module).map(|&(_, r)| r)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The modules a line of code names through `crate::` (its comment, if any, cut off).
fn crate_paths(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    code.match_indices("crate::")
        .map(|(i, _)| code[i + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect())
        .collect()
}

#[test]
fn imports_point_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    let mut checked = 0;
    for path in files {
        let rel = path.strip_prefix(&src).unwrap();
        let first = rel.components().next().unwrap().as_os_str().to_string_lossy().to_string();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "bin" {
            continue; // the crate root declares everything; the CLI uses the crate as `webtune::`
        }
        let Some(own) = rank(&module) else {
            violations.push(format!("{}: module '{module}' has no rank in tests/layers.rs", rel.display()));
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            for used in crate_paths(line) {
                checked += 1;
                // Macros exported at the crate root (uniform_struct!) and the crate's Result/Error
                // re-exports are not modules.
                if used == module || matches!(used.as_str(), "uniform_struct" | "Result" | "Error") {
                    continue;
                }
                match rank(&used) {
                    Some(r) if r < own => {}
                    Some(r) => violations.push(format!(
                        "{}:{}: '{module}' (rank {own}) uses crate::{used} (rank {r}): imports must point down",
                        rel.display(),
                        n + 1
                    )),
                    None => violations.push(format!("{}:{}: crate::{used} is not a known module", rel.display(), n + 1)),
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} crate:: paths found: is the scan broken?");
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn the_scan_sees_paths_in_code_and_not_in_comments() {
    assert_eq!(crate_paths("use crate::model::{Gpt2, Pass}; // crate::session"), ["model"]);
    assert_eq!(
        crate_paths("    let x = crate::lora::MAX_RANK + crate::train::MAX_BATCH;"),
        ["lora", "train"]
    );
    assert!(crate_paths("/// see [`crate::session`]").is_empty());
}
