//! Hostile input, end to end: every case of the reliability issue (broken model and adapter
//! files, configs, tokenizer files, training data and flags) goes through the `webtune` binary,
//! which must refuse it with exit code 1 (2 for flags clap refuses) and an error that names what is wrong, without a panic
//! and without hanging. Each group first runs its unbroken input, which must succeed, so a
//! refusal is the broken input's doing. The tally at the end is the README's Reliability row.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A broken file: its name, how to break a copy, and what the error must say.
type FileCase = (&'static str, Box<dyn Fn(&Path)>, &'static str);
/// A broken config.json: its name, the edit, and what the error must say.
type ConfigCase = (&'static str, Box<dyn Fn(&mut Value)>, &'static str);

/// A case that neither succeeds nor fails within this is a hang.
const HANG: Duration = Duration::from_secs(120);

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

enum Outcome {
    Succeeded,
    Refused(String),
    Panicked(String),
    Hung,
}

/// Run `webtune` with a deadline, offline (a path that is not a folder is never looked up on the
/// network), its output in files so that a long error cannot block it. `wrap` is a command line
/// that runs it (empty: run it directly).
fn webtune(wrap: &[String], args: &[String], dir: &Path) -> Outcome {
    let (out, err) = (dir.join("stdout"), dir.join("stderr"));
    let bin = env!("CARGO_BIN_EXE_webtune").to_string();
    let (program, wrapped) = match wrap.split_first() {
        Some((program, rest)) => (program.clone(), rest.iter().chain([&bin]).cloned().collect()),
        None => (bin, vec![]),
    };
    let mut child = Command::new(program)
        .args(wrapped)
        .args(args)
        .env("HF_HUB_OFFLINE", "1")
        .env("HF_HOME", dir.join("hf-home"))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + HANG;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            child.wait().unwrap();
            return Outcome::Hung;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stderr = String::from_utf8_lossy(&std::fs::read(&err).unwrap()).into_owned();
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
        Outcome::Panicked(stderr)
    } else if status.success() {
        Outcome::Succeeded
    } else {
        // 1: webtune's errors; 2: a flag clap itself refuses (a usage error).
        assert!(matches!(status.code(), Some(1 | 2)), "a refusal exits with 1 or 2, not {status}: {stderr}");
        Outcome::Refused(stderr)
    }
}

#[derive(Default)]
struct Tally {
    tried: usize,
    refused: usize,
    panics: usize,
    hangs: usize,
    wrong: Vec<String>,
}

impl Tally {
    /// The unbroken input of a group: it must work.
    fn works(&mut self, what: &str, args: Vec<String>) {
        let dir = scratch(&format!("ok-{}", what.replace(' ', "-")));
        match webtune(&[], &args, &dir) {
            Outcome::Succeeded => {}
            Outcome::Refused(e) | Outcome::Panicked(e) => panic!("{what}, unbroken, fails: {e}"),
            Outcome::Hung => panic!("{what}, unbroken, hangs"),
        }
    }

    /// A broken input: refused, with an error that contains `needle` (case-insensitive).
    fn refused(&mut self, case: &str, args: Vec<String>, needle: &str) {
        self.refused_in(&[], case, args, needle)
    }

    /// [`Tally::refused`], with `webtune` run by the command line `wrap`.
    fn refused_in(&mut self, wrap: &[String], case: &str, args: Vec<String>, needle: &str) {
        self.tried += 1;
        let dir = scratch(&format!("run-{}", self.tried));
        match webtune(wrap, &args, &dir) {
            Outcome::Refused(e) if e.to_lowercase().contains(&needle.to_lowercase()) => self.refused += 1,
            Outcome::Refused(e) => {
                self.wrong.push(format!("{case}: the error does not say '{needle}':\n{e}"))
            }
            Outcome::Succeeded => self.wrong.push(format!("{case}: accepted")),
            Outcome::Panicked(e) => {
                self.panics += 1;
                self.wrong.push(format!("{case}: panicked:\n{e}"));
            }
            Outcome::Hung => {
                self.hangs += 1;
                self.wrong.push(format!("{case}: still running after {HANG:?}"));
            }
        }
    }
}

/// A command line under which `file` (mode 000) cannot be read: none for an ordinary user; for
/// root, who reads any file, `setpriv` dropping the two capabilities that let it
/// (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) from the bounding set, so webtune runs as a root
/// that honours permissions. `None` where that cannot be arranged.
#[cfg(unix)]
fn without_root_reads(file: &Path) -> Option<Vec<String>> {
    if std::fs::read(file).is_err() {
        return Some(vec![]);
    }
    let wrap = args(&["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]);
    let check = Command::new(&wrap[0])
        .args(&wrap[1..])
        .arg("cat")
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    // `cat` must fail for the file's permissions, with setpriv itself working.
    let works = Command::new(&wrap[0]).args(&wrap[1..]).arg("true").status();
    match (check, works) {
        (Ok(c), Ok(w)) if !c.success() && w.success() => Some(wrap),
        _ => None,
    }
}

fn s(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|x| x.to_string()).collect()
}

/// A copy of gpt2-tiny (config, weights, tokenizer files) to break.
fn model_copy(root: &Path, name: &str) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["config.json", "model.safetensors", "vocab.json", "merges.txt"] {
        std::fs::copy(fixtures().join("gpt2-tiny").join(f), dir.join(f)).unwrap();
    }
    dir
}

/// A copy of the tiny-c_attn PEFT adapter (for gpt2-tiny) to break.
fn adapter_copy(root: &Path, name: &str) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["adapter_config.json", "adapter_model.safetensors"] {
        std::fs::copy(fixtures().join("lora/tiny-c_attn").join(f), dir.join(f)).unwrap();
    }
    dir
}

/// A safetensors file as (header, data).
fn split(bytes: &[u8]) -> (Value, Vec<u8>) {
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    (serde_json::from_slice(&bytes[8..8 + n]).unwrap(), bytes[8 + n..].to_vec())
}

fn join(header: &str, data: &[u8]) -> Vec<u8> {
    let mut out = (header.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(data);
    out
}

/// Rewrite a safetensors file's header.
fn edit_header(file: &Path, edit: impl FnOnce(&mut Value)) {
    let (mut h, data) = split(&std::fs::read(file).unwrap());
    edit(&mut h);
    std::fs::write(file, join(&h.to_string(), &data)).unwrap();
}

/// Overwrite element `i` of tensor `name` with the bytes of `value` (its dtype's width).
fn poke(file: &Path, name: &str, i: usize, value: &[u8]) {
    let bytes = std::fs::read(file).unwrap();
    let (h, mut data) = split(&bytes);
    let start = h[name]["data_offsets"][0].as_u64().unwrap() as usize + i * value.len();
    data[start..start + value.len()].copy_from_slice(value);
    std::fs::write(file, join(&split_header_text(&bytes), &data)).unwrap();
}

fn split_header_text(bytes: &[u8]) -> String {
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    String::from_utf8(bytes[8..8 + n].to_vec()).unwrap()
}

fn edit_json(file: &Path, edit: impl FnOnce(&mut Value)) {
    let mut v: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    edit(&mut v);
    std::fs::write(file, v.to_string()).unwrap();
}

#[test]
fn hostile_input_is_refused_cleanly() {
    let root = scratch("inputs");
    let text = std::fs::read_to_string(fixtures().join("eval.txt")).unwrap();
    let data = root.join("train.txt");
    std::fs::write(&data, &text).unwrap();
    let mut t = Tally::default();
    let eval = |model: &Path| args(&["eval", "--model", &s(model), "--data", &s(&data), "--seq-len", "16"]);

    // ---- model.safetensors ----
    let st = |case: &str, edit: &dyn Fn(&Path)| {
        let m = model_copy(&root, case);
        edit(&m.join("model.safetensors"));
        m
    };
    t.works("eval", eval(&model_copy(&root, "unbroken")));
    let w = "transformer.h.0.attn.c_attn.weight";
    let cases: Vec<FileCase> = vec![
        ("zero-byte model.safetensors", Box::new(|f| std::fs::write(f, b"").unwrap()), "model.safetensors"),
        (
            "truncated model.safetensors",
            Box::new(|f| {
                let b = std::fs::read(f).unwrap();
                std::fs::write(f, &b[..b.len() / 2]).unwrap()
            }),
            "model.safetensors",
        ),
        (
            "header length past the end of the file",
            Box::new(|f| {
                let mut b = std::fs::read(f).unwrap();
                let n = b.len() as u64;
                b[..8].copy_from_slice(&n.to_le_bytes());
                std::fs::write(f, b).unwrap()
            }),
            "model.safetensors",
        ),
        (
            "absurd header length",
            Box::new(|f| {
                let mut b = std::fs::read(f).unwrap();
                b[..8].copy_from_slice(&u64::MAX.to_le_bytes());
                std::fs::write(f, b).unwrap()
            }),
            "model.safetensors",
        ),
        (
            "header not JSON",
            Box::new(|f| {
                let b = std::fs::read(f).unwrap();
                let (h, data) = (split_header_text(&b), split(&b).1);
                std::fs::write(f, join(&"x".repeat(h.len()), &data)).unwrap()
            }),
            "model.safetensors",
        ),
        (
            "duplicate keys in the header",
            Box::new(move |f| {
                let b = std::fs::read(f).unwrap();
                let (h, data) = split(&b);
                let text = h.to_string();
                let dup = format!("{{\"{w}\":{},", h[w]);
                std::fs::write(f, join(&format!("{dup}{}", &text[1..]), &data)).unwrap()
            }),
            "model.safetensors",
        ),
        (
            "offsets reversed",
            Box::new(move |f| {
                edit_header(f, |h| {
                    let o = h[w]["data_offsets"].clone();
                    h[w]["data_offsets"] = json!([o[1], o[0]]);
                })
            }),
            "model.safetensors",
        ),
        (
            "offsets out of bounds",
            Box::new(move |f| edit_header(f, |h| h[w]["data_offsets"][1] = json!(1u64 << 40))),
            "model.safetensors",
        ),
        (
            "offsets overlapping",
            Box::new(move |f| {
                edit_header(f, |h| {
                    let len =
                        h[w]["data_offsets"][1].as_u64().unwrap() - h[w]["data_offsets"][0].as_u64().unwrap();
                    h[w]["data_offsets"] = json!([0, len]);
                })
            }),
            "model.safetensors",
        ),
        (
            "shape product overflows",
            Box::new(move |f| {
                edit_header(f, |h| h[w]["shape"] = json!([1u64 << 40, 1u64 << 40, 1u64 << 40]))
            }),
            "model.safetensors",
        ),
        ("non-float dtype", Box::new(move |f| edit_header(f, |h| h[w]["dtype"] = json!("I16"))), w),
        (
            "NaN weight",
            Box::new(|f| poke(f, "transformer.h.1.mlp.c_fc.weight", 17, &half::f16::NAN.to_le_bytes())),
            "transformer.h.1.mlp.c_fc.weight",
        ),
        (
            "Inf weight",
            Box::new(|f| poke(f, "transformer.wte.weight", 3, &half::f16::INFINITY.to_le_bytes())),
            "transformer.wte.weight",
        ),
    ];
    for (case, edit, needle) in &cases {
        let m = st(case, edit.as_ref());
        t.refused(case, eval(&m), needle);
    }

    // ---- config.json ----
    let cfg_cases: Vec<ConfigCase> = vec![
        ("n_layer 0", Box::new(|c| c["n_layer"] = json!(0)), "n_layer"),
        ("n_embd negative", Box::new(|c| c["n_embd"] = json!(-32)), "n_embd"),
        ("n_layer absurd", Box::new(|c| c["n_layer"] = json!(1_000_000_000_000u64)), "n_layer"),
        ("n_head mistyped", Box::new(|c| c["n_head"] = json!("four")), "n_head"),
        ("n_head does not divide n_embd", Box::new(|c| c["n_head"] = json!(5)), "n_head"),
        ("vocab_size 0", Box::new(|c| c["vocab_size"] = json!(0)), "vocab_size"),
        ("n_positions 0", Box::new(|c| c["n_positions"] = json!(0)), "n_positions"),
        ("n_embd fractional", Box::new(|c| c["n_embd"] = json!(32.5)), "n_embd"),
        (
            "saved quantized by bitsandbytes",
            Box::new(|c| {
                c["quantization_config"] = json!({"quant_method": "bitsandbytes", "load_in_4bit": true})
            }),
            "unquantized base",
        ),
    ];
    for (case, edit, needle) in &cfg_cases {
        let m = model_copy(&root, case);
        edit_json(&m.join("config.json"), edit.as_ref());
        t.refused(case, eval(&m), needle);
    }
    for (case, bytes) in [("config.json not JSON", &b"{\"n_layer\": 2,"[..]), ("config.json zero bytes", b"")]
    {
        let m = model_copy(&root, case);
        std::fs::write(m.join("config.json"), bytes).unwrap();
        t.refused(case, eval(&m), "config.json");
    }

    // ---- the model's path ----
    t.refused("model path missing", eval(&root.join("no/such/folder")), "no/such/folder");
    t.refused("model path a file", eval(&fixtures().join("gpt2-tiny/config.json")), "config.json");
    #[cfg(unix)]
    {
        let m = model_copy(&root, "symlink-loop");
        std::fs::remove_file(m.join("model.safetensors")).unwrap();
        std::os::unix::fs::symlink(m.join("loop-b"), m.join("model.safetensors")).unwrap();
        std::os::unix::fs::symlink(m.join("model.safetensors"), m.join("loop-b")).unwrap();
        t.refused("model.safetensors a symlink loop", eval(&m), "model.safetensors");
    }
    let m = model_copy(&root, "unreadable");
    std::fs::remove_file(m.join("model.safetensors")).unwrap();
    std::fs::create_dir(m.join("model.safetensors")).unwrap();
    t.refused("model.safetensors a folder", eval(&m), "model.safetensors");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let m = model_copy(&root, "no-permission");
        std::fs::set_permissions(m.join("model.safetensors"), std::fs::Permissions::from_mode(0o000))
            .unwrap();
        match without_root_reads(&m.join("model.safetensors")) {
            Some(wrap) => {
                t.refused_in(&wrap, "model.safetensors unreadable (mode 000)", eval(&m), "permission denied")
            }
            None => {
                assert!(
                    std::env::var("CI").as_deref() != Ok("true"),
                    "CI must be able to drop root's read override"
                );
                eprintln!("SKIPPED: model.safetensors unreadable: running as root without setpriv; CI runs this case");
            }
        }
    }

    // ---- tokenizer files ----
    for (case, file, bytes) in [
        ("vocab.json not JSON", "vocab.json", &b"{\"a\": "[..]),
        ("vocab.json zero bytes", "vocab.json", b""),
        ("merges.txt not UTF-8", "merges.txt", b"#version: 0.2\n\xff\xfe x\n"),
        ("tokenizer.json not JSON", "tokenizer.json", b"{\"model\": [1, 2"),
    ] {
        let m = model_copy(&root, case);
        std::fs::write(m.join(file), bytes).unwrap();
        t.refused(case, eval(&m), file);
    }

    // ---- adapters ----
    let tiny = model_copy(&root, "for-adapters");
    let with_adapter = |a: &Path| {
        let mut v = eval(&tiny);
        v.extend(["--adapter".into(), s(a)]);
        v
    };
    t.works("eval --adapter", with_adapter(&adapter_copy(&root, "adapter-unbroken")));
    let b0 = "base_model.model.transformer.h.0.attn.c_attn.lora_B.weight";
    let a0 = "base_model.model.transformer.h.0.attn.c_attn.lora_A.weight";
    let ad_cases: Vec<FileCase> = vec![
        (
            "adapter r disagrees with its tensors",
            Box::new(|a| edit_json(&a.join("adapter_config.json"), |c| c["r"] = json!(4))),
            "lora_A",
        ),
        (
            "adapter targets disagree with its tensors",
            Box::new(|a| {
                edit_json(&a.join("adapter_config.json"), |c| c["target_modules"] = json!(["c_fc"]))
            }),
            "c_attn",
        ),
        ("adapter r 0", Box::new(|a| edit_json(&a.join("adapter_config.json"), |c| c["r"] = json!(0))), "r"),
        (
            "lora_A without lora_B",
            Box::new(move |a| {
                let f = a.join("adapter_model.safetensors");
                let bytes = std::fs::read(&f).unwrap();
                let st = safetensors::SafeTensors::deserialize(&bytes).unwrap();
                let kept: Vec<_> = st.tensors().into_iter().filter(|(n, _)| n != b0).collect();
                std::fs::write(&f, safetensors::serialize(kept, None).unwrap()).unwrap();
            }),
            "lora_B",
        ),
        (
            "NaN in an adapter",
            Box::new(move |a| poke(&a.join("adapter_model.safetensors"), a0, 5, &f32::NAN.to_le_bytes())),
            a0,
        ),
        (
            "adapter for a wider model",
            Box::new(move |a| {
                let f = a.join("adapter_model.safetensors");
                let bytes = std::fs::read(&f).unwrap();
                let st = safetensors::SafeTensors::deserialize(&bytes).unwrap();
                let wide = vec![0u8; 8 * 60 * 4];
                let mut views: Vec<_> = st.tensors().into_iter().filter(|(n, _)| n != a0).collect();
                views.push((
                    a0.to_string(),
                    safetensors::tensor::TensorView::new(safetensors::Dtype::F32, vec![8, 60], &wide)
                        .unwrap(),
                ));
                std::fs::write(&f, safetensors::serialize(views, None).unwrap()).unwrap();
            }),
            a0,
        ),
        (
            "adapter_config.json not JSON",
            Box::new(|a| std::fs::write(a.join("adapter_config.json"), "{\"r\": 8,").unwrap()),
            "adapter_config.json",
        ),
        (
            "adapter_model.safetensors truncated",
            Box::new(|a| {
                let f = a.join("adapter_model.safetensors");
                let b = std::fs::read(&f).unwrap();
                std::fs::write(&f, &b[..b.len() - 100]).unwrap()
            }),
            "adapter_model.safetensors",
        ),
        (
            "adapter folder empty",
            Box::new(|a| {
                std::fs::remove_file(a.join("adapter_config.json")).unwrap();
                std::fs::remove_file(a.join("adapter_model.safetensors")).unwrap();
            }),
            "adapter_config.json",
        ),
    ];
    for (case, edit, needle) in &ad_cases {
        let a = adapter_copy(&root, case);
        edit(&a);
        t.refused(case, with_adapter(&a), needle);
    }

    // ---- training data and flags ----
    let train = |data: &Path, out: &Path, extra: &[&str]| {
        let mut v = args(&["train", "--model", &s(&tiny), "--data", &s(data), "--out", &s(out)]);
        for (flag, value) in [("--seq-len", "16"), ("--steps", "1"), ("--batch", "2")] {
            if !extra.contains(&flag) {
                v.extend(args(&[flag, value]));
            }
        }
        v.extend(args(extra));
        v
    };
    let out = root.join("out");
    t.works("train", train(&data, &out, &["--save-every", "1"]));
    let data_cases: Vec<(&str, &str, Vec<u8>, &str)> = vec![
        ("data empty", "empty.txt", vec![], "empty.txt"),
        ("data whitespace only", "blank.txt", b" \n\t\n  \n".to_vec(), "blank.txt"),
        ("data shorter than one block", "short.txt", b"Hello there.".to_vec(), "short.txt"),
        ("data not UTF-8", "latin1.txt", b"caf\xe9 au lait\n".repeat(40), "UTF-8"),
        (
            "JSONL with a broken line",
            "broken.jsonl",
            format!("{}\n{}\n{{\"text\": \"unfinished\n", json!({"text": text}), json!({"text": text}))
                .into_bytes(),
            "line 3",
        ),
        (
            "JSONL with non-string text",
            "number.jsonl",
            format!("{}\n{}\n", json!({"text": text}), json!({"text": 42})).into_bytes(),
            "line 2",
        ),
    ];
    for (case, name, bytes, needle) in &data_cases {
        let f = root.join(name);
        std::fs::write(&f, bytes).unwrap();
        t.refused(case, train(&f, &root.join(format!("out-{name}")), &[]), needle);
    }
    t.refused("data a folder", train(&root, &root.join("out-folder"), &[]), &s(&root));

    let fresh = root.join("out-flags");
    let flag_cases: Vec<(&str, Vec<&str>, &str)> = vec![
        ("--batch 0", vec!["--batch", "0"], "batch"),
        ("--batch -1", vec!["--batch", "-1"], "batch"),
        ("--seq-len 0", vec!["--seq-len", "0"], "sequence length"),
        ("--steps 0", vec!["--steps", "0"], "steps"),
        ("--epochs 0", vec!["--epochs", "0"], "epochs"),
        ("--grad-accum 0", vec!["--grad-accum", "0"], "gradient accumulation"),
        ("--r 0", vec!["--r", "0"], "r"),
        ("--r -4", vec!["--r", "-4"], "r"),
        ("--lr 0", vec!["--lr", "0"], "learning rate"),
        ("--lr -0.001", vec!["--lr", "-0.001"], "learning rate"),
        ("--lr NaN", vec!["--lr", "NaN"], "learning rate"),
        ("--lr inf", vec!["--lr", "inf"], "learning rate"),
        ("--alpha NaN", vec!["--alpha", "NaN"], "alpha"),
        ("--dropout 1", vec!["--dropout", "1"], "dropout"),
        ("--dropout -0.1", vec!["--dropout", "-0.1"], "dropout"),
        ("--model-dropout 1", vec!["--model-dropout", "1"], "model dropout"),
        ("--warmup-ratio 1.5", vec!["--warmup-ratio", "1.5"], "warmup ratio"),
        ("--weight-decay -1", vec!["--weight-decay", "-1"], "weight decay"),
        ("--clip -1", vec!["--clip", "-1"], "gradient clip"),
        ("--adam-beta1 1", vec!["--adam-beta1", "1"], "beta1"),
        ("--layers beyond the model", vec!["--layers", "0,5"], "5"),
        ("--seq-len above n_positions", vec!["--seq-len", "65"], "n_positions"),
        ("--double-quant with f32 weights", vec!["--double-quant"], "double quantization"),
        ("--embeddings nf4", vec!["--weights", "nf4", "--embeddings", "nf4"], "embeddings"),
    ];
    for (i, (case, extra, needle)) in flag_cases.iter().enumerate() {
        t.refused(case, train(&data, &fresh.join(i.to_string()), extra), needle);
    }
    let file = root.join("a-file");
    std::fs::write(&file, "x").unwrap();
    t.refused("--out a file", train(&data, &file, &[]), "a-file");
    let empty = root.join("empty-out");
    std::fs::create_dir_all(&empty).unwrap();
    t.refused("--resume with no checkpoint", train(&data, &empty, &["--resume"]), "training_state");
    // A checkpoint of gpt2-tiny (width 32) resumed on a width-60 model.
    let wide = root.join("wide-model");
    std::fs::create_dir_all(&wide).unwrap();
    for f in ["config.json", "model.safetensors"] {
        std::fs::copy(fixtures().join("gpt2-odd").join(f), wide.join(f)).unwrap();
    }
    for f in ["vocab.json", "merges.txt"] {
        std::fs::copy(fixtures().join("gpt2-tiny").join(f), wide.join(f)).unwrap();
    }
    let mut other = train(&data, &out, &["--resume", "--steps", "3"]);
    other[2] = s(&wide);
    t.refused("--resume with another model's checkpoint", other, "lora_A");
    t.refused(
        "--resume with another rank",
        train(&data, &out, &["--resume", "--steps", "3", "--r", "4"]),
        "r",
    );

    // ---- generate's flags ----
    let generate = |extra: &[&str]| {
        let mut v = args(&["generate", "--model", &s(&tiny), "--prompt", "Hello", "--max-new-tokens", "4"]);
        v.extend(args(extra));
        v
    };
    t.works("generate", generate(&[]));
    for (case, extra, needle) in [
        ("--temperature NaN", vec!["--temperature", "NaN"], "temperature"),
        ("--temperature -1", vec!["--temperature", "-1"], "temperature"),
        ("--top-p 1.5", vec!["--top-p", "1.5"], "top-p"),
    ] {
        t.refused(case, generate(&extra), needle);
    }

    eprintln!(
        "hostile inputs: {} tried, {} refused cleanly, {} panics, {} hangs",
        t.tried, t.refused, t.panics, t.hangs
    );
    assert!(
        t.wrong.is_empty(),
        "{} of {} cases were not refused cleanly:\n\n{}",
        t.wrong.len(),
        t.tried,
        t.wrong.join("\n\n")
    );
}
