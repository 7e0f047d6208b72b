//! Hub ids in the CLI (`--model gpt2-tiny`, `--adapter lora/tiny-c_attn`) against a stand-in Hub
//! (tools/serve.py --hub answers the Hub's resolve URLs from tests/fixtures) and against caches
//! laid out as huggingface_hub lays them. tests/reference/check_hub_cache.py checks the same
//! layouts with huggingface_hub and transformers themselves.
#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hub").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `webtune` with a clean Hugging Face environment plus `env`.
fn webtune(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_webtune"));
    for var in ["HF_HOME", "HF_HUB_CACHE", "HF_ENDPOINT", "HF_HUB_OFFLINE", "HF_TOKEN"] {
        cmd.env_remove(var);
    }
    cmd.args(args).envs(env.iter().copied()).output().expect("run webtune")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The last line of a successful run's stdout.
fn result(o: &Output) -> String {
    assert!(o.status.success(), "webtune failed: {}", stderr(o));
    String::from_utf8_lossy(&o.stdout).lines().last().unwrap_or_default().to_string()
}

fn assert_clean_failure(o: &Output, needles: &[&str]) {
    let err = stderr(o);
    assert!(!o.status.success(), "should fail: {err}");
    assert!(!err.contains("panicked"), "panicked: {err}");
    for needle in needles {
        assert!(err.contains(needle), "stderr should mention {needle:?}: {err}");
    }
}

/// tools/serve.py --hub tests/fixtures on a free port; killed on drop.
struct StandInHub {
    child: Child,
    endpoint: String,
}

impl StandInHub {
    fn start(extra: &[&str]) -> StandInHub {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut child = Command::new("python3")
            .arg(root.join("tools/serve.py"))
            .args(["--dir", root.join("www").to_str().unwrap(), "--port", "0", "--quiet"])
            .args(["--hub", fixtures().to_str().unwrap()])
            .args(extra)
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs tools/serve.py (the stand-in Hub)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let url =
            line.split_whitespace().find(|w| w.starts_with("http://")).expect("serve.py prints its URL");
        StandInHub { child, endpoint: format!("{}hub", url) }
    }
}

impl Drop for StandInHub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn eval_args<'a>(model: &'a str, data: &'a str) -> Vec<&'a str> {
    vec!["eval", "--model", model, "--data", data, "--seq-len", "16", "--batch", "4"]
}

/// The commit tools/serve.py reports for a fixture folder, read from the ref webtune wrote.
fn cached_ref(cache: &Path, id: &str) -> String {
    let refs = cache.join(format!("models--{}", id.replace('/', "--"))).join("refs/main");
    std::fs::read_to_string(&refs).unwrap_or_else(|e| panic!("{}: {e}", refs.display()))
}

#[test]
fn hub_ids_download_into_the_hf_cache_then_work_offline() {
    let data = fixtures().join("eval.txt");
    let data = data.to_str().unwrap();
    let local = fixtures().join("gpt2-tiny");
    let want = result(&webtune(&eval_args(local.to_str().unwrap(), data), &[]));

    let home = scratch("download");
    let home_s = home.to_str().unwrap();
    let cache = home.join("hub");
    {
        // model.safetensors is cut off half-way once: the download resumes with a Range request.
        let hub = StandInHub::start(&["--cut-once", "model.safetensors"]);
        let env = [("HF_HOME", home_s), ("HF_ENDPOINT", hub.endpoint.as_str())];
        assert_eq!(result(&webtune(&eval_args("gpt2-tiny", data), &env)), want);

        // huggingface_hub's layout: refs/main -> commit; snapshots/<commit>/<file> -> ../../blobs/<etag>.
        let repo = cache.join("models--gpt2-tiny");
        let commit = cached_ref(&cache, "gpt2-tiny");
        assert_eq!(commit.len(), 40, "{commit:?}");
        for file in ["config.json", "model.safetensors", "vocab.json", "merges.txt"] {
            let link = repo.join("snapshots").join(&commit).join(file);
            let target = std::fs::read_link(&link).unwrap_or_else(|e| panic!("{}: {e}", link.display()));
            assert!(target.starts_with("../../blobs"), "{file} -> {}", target.display());
            assert_eq!(std::fs::read(&link).unwrap(), std::fs::read(local.join(file)).unwrap(), "{file}");
        }
        assert!(!repo.join("snapshots").join(&commit).join("tokenizer.json").exists());

        // The revision may be the commit itself; an unknown one is refused with the Hub's answer.
        let mut args = eval_args("gpt2-tiny", data);
        args.extend(["--revision", commit.as_str()]);
        assert_eq!(result(&webtune(&args, &env)), want);
        let mut args = eval_args("gpt2-tiny", data);
        args.extend(["--revision", "no-such-branch"]);
        assert_clean_failure(&webtune(&args, &env), &["gpt2-tiny", "no-such-branch"]);

        // Adapters too, as PeftModel.from_pretrained("owner/name").
        let adapter = fixtures().join("lora/tiny-c_attn");
        let mut args = eval_args(local.to_str().unwrap(), data);
        args.extend(["--adapter", adapter.to_str().unwrap()]);
        let want_adapter = result(&webtune(&args, &[]));
        let mut args = eval_args("gpt2-tiny", data);
        args.extend(["--adapter", "lora/tiny-c_attn"]);
        assert_eq!(result(&webtune(&args, &env)), want_adapter);
        assert!(cache.join("models--lora--tiny-c_attn/refs/main").is_file());

        // A repo the Hub does not have.
        assert_clean_failure(&webtune(&eval_args("nobody/nothing", data), &env), &["nobody/nothing"]);
    }
    // The stand-in Hub is gone: offline mode reads the cache and never touches the network.
    let offline = [("HF_HOME", home_s), ("HF_HUB_OFFLINE", "1"), ("HF_ENDPOINT", "http://127.0.0.1:9/hub")];
    assert_eq!(result(&webtune(&eval_args("gpt2-tiny", data), &offline)), want);
    assert_clean_failure(
        &webtune(&eval_args("openai-community/gpt2", data), &offline),
        &["openai-community/gpt2", "HF_HUB_OFFLINE", "cache"],
    );
    // Without offline mode and without a Hub, a cached file is used as it is (as transformers).
    let gone = [("HF_HOME", home_s), ("HF_ENDPOINT", "http://127.0.0.1:9/hub")];
    assert_eq!(result(&webtune(&eval_args("gpt2-tiny", data), &gone)), want);
    assert_clean_failure(
        &webtune(&eval_args("someone/else", data), &gone),
        &["someone/else", "HF_HUB_OFFLINE"],
    );
}

/// A cache made by hand as huggingface_hub lays it out (what `transformers` leaves behind), read
/// through HF_HUB_CACHE with HF_HUB_OFFLINE=1: by branch, by tag, and by commit hash.
#[test]
fn a_cache_laid_out_by_huggingface_hub_is_read_offline() {
    let cache = scratch("by-hand");
    let repo = cache.join("models--openai-community--gpt2");
    let commit = "0123456789abcdef0123456789abcdef01234567";
    let snapshot = repo.join("snapshots").join(commit);
    std::fs::create_dir_all(&snapshot).unwrap();
    std::fs::create_dir_all(repo.join("blobs")).unwrap();
    std::fs::create_dir_all(repo.join("refs")).unwrap();
    for (i, file) in ["config.json", "model.safetensors", "vocab.json", "merges.txt"].iter().enumerate() {
        let blob = format!("blob{i}");
        std::fs::copy(fixtures().join("gpt2-tiny").join(file), repo.join("blobs").join(&blob)).unwrap();
        std::os::unix::fs::symlink(format!("../../blobs/{blob}"), snapshot.join(file)).unwrap();
    }
    std::fs::write(repo.join("refs/main"), commit).unwrap();
    std::fs::write(repo.join("refs/v1.0"), commit).unwrap();

    let data = fixtures().join("eval.txt");
    let data = data.to_str().unwrap();
    let want = result(&webtune(&eval_args(fixtures().join("gpt2-tiny").to_str().unwrap(), data), &[]));
    let env = [("HF_HUB_CACHE", cache.to_str().unwrap()), ("HF_HUB_OFFLINE", "1")];
    for revision in [None, Some("v1.0"), Some(commit)] {
        let mut args = eval_args("openai-community/gpt2", data);
        if let Some(r) = revision {
            args.extend(["--revision", r]);
        }
        assert_eq!(result(&webtune(&args, &env)), want, "revision {revision:?}");
    }
    let mut args = eval_args("openai-community/gpt2", data);
    args.extend(["--revision", "v2.0"]);
    assert_clean_failure(&webtune(&args, &env), &["v2.0", "HF_HUB_OFFLINE"]);

    // A snapshot that lacks a required file is refused, naming it.
    std::fs::remove_file(snapshot.join("model.safetensors")).unwrap();
    assert_clean_failure(
        &webtune(&eval_args("openai-community/gpt2", data), &env),
        &["model.safetensors", "HF_HUB_OFFLINE"],
    );

    // --revision means nothing for a local folder.
    let local = fixtures().join("gpt2-tiny");
    let mut args = eval_args(local.to_str().unwrap(), data);
    args.extend(["--revision", "main"]);
    assert_clean_failure(&webtune(&args, &env), &["--revision", "local folder"]);
}
