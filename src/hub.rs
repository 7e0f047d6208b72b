//! Hugging Face Hub ids for models and adapters (native only; the page downloads for itself).
//!
//! `--model openai-community/gpt2` (or `gpt2`, `distilgpt2`, ...) resolves as transformers'
//! `from_pretrained` does: a local folder of that name wins; otherwise the files come from the
//! shared Hugging Face cache, downloaded into it first when missing. The cache is the one
//! huggingface_hub lays out (`models--owner--name/{blobs,refs,snapshots}`), so files that
//! transformers already downloaded are used as they are, and files webtune downloads are found by
//! transformers. The environment means what it means to huggingface_hub:
//!
//! | variable | meaning |
//! |---|---|
//! | `HF_HUB_CACHE` | the cache folder (default `$HF_HOME/hub`) |
//! | `HF_HOME` | default `$XDG_CACHE_HOME/huggingface`, else `~/.cache/huggingface` |
//! | `HF_ENDPOINT` | the Hub's address (default `https://huggingface.co`) |
//! | `HF_HUB_OFFLINE` | `1`/`true`/`yes`/`on`: never touch the network, use the cache only |
//! | `HF_TOKEN` | access token (default: the file `$HF_HOME/token`, as `huggingface-cli login` writes) |
//!
//! Downloads go through the hf-hub crate: resumable `.part` files, a progress bar per file on a
//! terminal, a blob named by the file's ETag and a snapshot symlink to it.

use std::path::{Path, PathBuf};

use hf_hub::api::sync::{ApiBuilder, ApiError};
use hf_hub::{Repo, RepoType};

use crate::error::{Error, Result};

/// The files of a GPT-2 model folder: the required ones, then the optional ones (a tokenizer: the
/// fast tokenizer file, else the BPE pair, else GPT-2's bundled files).
const MODEL_FILES: &[&str] = &["config.json", "model.safetensors"];
const MODEL_OPTIONAL: &[&str] = &["tokenizer.json", "vocab.json", "merges.txt"];
/// A PEFT adapter: PeftModel.from_pretrained reads these two.
const ADAPTER_FILES: &[&str] = &["adapter_config.json", "adapter_model.safetensors"];

/// Where Hub files come from: the cache, the endpoint, and whether the network may be used.
#[derive(Clone, Debug)]
pub struct Hub {
    pub cache: PathBuf,
    pub endpoint: String,
    pub offline: bool,
    pub token: Option<String>,
}

impl Hub {
    /// The settings huggingface_hub would take from this process's environment.
    pub fn from_env() -> Hub {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let home = var("HF_HOME").map(PathBuf::from).unwrap_or_else(|| {
            let cache = var("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(var("HOME").unwrap_or_default()).join(".cache"));
            cache.join("huggingface")
        });
        let token = var("HF_TOKEN").or_else(|| {
            std::fs::read_to_string(home.join("token"))
                .ok()
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
        });
        Hub {
            cache: var("HF_HUB_CACHE").map(PathBuf::from).unwrap_or_else(|| home.join("hub")),
            endpoint: var("HF_ENDPOINT")
                .unwrap_or_else(|| "https://huggingface.co".into())
                .trim_end_matches('/')
                .into(),
            offline: var("HF_HUB_OFFLINE")
                .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on")),
            token,
        }
    }

    /// A model folder: `spec` itself when it is a directory, else the snapshot folder of the Hub
    /// repo `spec` at `revision` (default "main"), with config.json, model.safetensors and
    /// whichever tokenizer files the repo has.
    pub fn model_dir(&self, spec: &str, revision: Option<&str>) -> Result<PathBuf> {
        self.folder(spec, revision, MODEL_FILES, MODEL_OPTIONAL)
    }

    /// An adapter folder (PEFT's two files), local or from the Hub, as PeftModel.from_pretrained.
    pub fn adapter_dir(&self, spec: &str, revision: Option<&str>) -> Result<PathBuf> {
        self.folder(spec, revision, ADAPTER_FILES, &[])
    }

    fn folder(
        &self,
        spec: &str,
        revision: Option<&str>,
        required: &[&str],
        optional: &[&str],
    ) -> Result<PathBuf> {
        let local = Path::new(spec);
        if local.is_dir() || !is_repo_id(spec) {
            // Not a Hub id: the folder loaders give the error if it is not a folder either.
            if revision.is_some() && local.is_dir() {
                return Err(Error::data(format!("--revision is for Hub ids, and {spec} is a local folder")));
            }
            return Ok(local.to_path_buf());
        }
        let revision = revision.unwrap_or("main");
        if revision.is_empty() {
            return Err(Error::data("--revision is empty"));
        }
        let repo = Repo::with_revision(spec.to_string(), RepoType::Model, revision.to_string());
        let snapshot = if self.offline {
            self.cached(spec, revision, required)?
        } else {
            self.download(spec, &repo, required, optional)?
        };
        Ok(snapshot)
    }

    /// The snapshot folder for `revision` (a branch or tag in `refs/`, or a commit hash), when
    /// every required file is in it.
    fn cached(&self, id: &str, revision: &str, required: &[&str]) -> Result<PathBuf> {
        let repo_dir = self.cache.join(format!("models--{}", id.replace('/', "--")));
        let offline = |what: String| {
            Error::data(format!(
                "{id}: HF_HUB_OFFLINE is set and {what} in the Hugging Face cache {} (download it once with the network on)",
                self.cache.display()
            ))
        };
        let commit = if is_commit_hash(revision) && repo_dir.join("snapshots").join(revision).is_dir() {
            revision.to_string()
        } else {
            let refs = repo_dir.join("refs").join(revision);
            let commit = std::fs::read_to_string(&refs)
                .map_err(|_| offline(format!("revision {revision:?} is not")))?;
            commit.trim().to_string()
        };
        let snapshot = repo_dir.join("snapshots").join(&commit);
        for file in required {
            if !snapshot.join(file).is_file() {
                return Err(offline(format!("{file} (commit {commit}) is not")));
            }
        }
        Ok(snapshot)
    }

    fn download(&self, id: &str, repo: &Repo, required: &[&str], optional: &[&str]) -> Result<PathBuf> {
        let api = ApiBuilder::from_cache(hf_hub::Cache::new(self.cache.clone()))
            .with_endpoint(self.endpoint.clone())
            .with_token(self.token.clone())
            .with_progress(true)
            .with_retries(5)
            .with_user_agent("webtune", env!("CARGO_PKG_VERSION"))
            .build()
            .map_err(|e| hub_error(id, None, &e, &self.endpoint))?;
        let api = api.repo(repo.clone());
        let repo_dir = self.cache.join(format!("models--{}", id.replace('/', "--")));
        // One pass: every file's path in the cache. A cached file is taken without asking the
        // Hub (as transformers does when it finds one); a download moves refs/<revision> to the
        // Hub's commit. An optional file the Hub lacks is marked in .no_exist/<commit>/, as
        // huggingface_hub marks it, so that later runs need no network for it either. If the
        // repo moved on since an earlier download, the files land in two snapshot folders; the
        // second pass then fills the newest one.
        let pass = || -> Result<Vec<PathBuf>, Failure> {
            let fetch = |file: &str| match api.get(file) {
                Ok(path) => Ok(Some(path)),
                Err(e) if status(&e) == Some(404) => Ok(None),
                Err(e) => {
                    let error = hub_error(id, Some(file), &e, &self.endpoint);
                    Err(if status(&e).is_none() {
                        Failure::Unreachable(error)
                    } else {
                        Failure::Other(error)
                    })
                }
            };
            let mut found = Vec::new();
            for file in required {
                let Some(path) = fetch(file)? else {
                    let hint = if *file == "model.safetensors" {
                        " (sharded and pytorch_model.bin-only checkpoints are not read)"
                    } else {
                        ""
                    };
                    return Err(Failure::Other(Error::data(format!(
                        "{id}: the Hub has no {file} at revision {:?}, or no such repo{hint}",
                        repo.revision()
                    ))));
                };
                found.push(path);
            }
            let commit = found[0].parent().and_then(Path::file_name).unwrap_or_default();
            let no_exist = repo_dir.join(".no_exist").join(commit);
            // The BPE pair only matters without tokenizer.json.
            let mut have_tokenizer = false;
            for file in optional {
                if no_exist.join(file).exists()
                    || have_tokenizer && matches!(*file, "vocab.json" | "merges.txt")
                {
                    continue;
                }
                match fetch(file)? {
                    Some(path) => {
                        have_tokenizer |= *file == "tokenizer.json";
                        found.push(path);
                    }
                    None => {
                        // Only a hint for later runs: failing to write it changes nothing now.
                        let _ = std::fs::create_dir_all(&no_exist)
                            .and_then(|()| std::fs::write(no_exist.join(file), b""));
                    }
                }
            }
            Ok(found)
        };
        let one_folder = |paths: &[PathBuf]| {
            let first = paths.first().and_then(|p| p.parent())?;
            paths.iter().all(|p| p.parent() == Some(first)).then(|| first.to_path_buf())
        };
        let attempt = || -> Result<PathBuf, Failure> {
            if let Some(folder) = one_folder(&pass()?) {
                return Ok(folder);
            }
            one_folder(&pass()?).ok_or_else(|| {
                Failure::Other(Error::data(format!(
                    "{id}: the repo changed on the Hub while downloading; run again"
                )))
            })
        };
        match attempt() {
            Ok(folder) => Ok(folder),
            // No connection: the cached snapshot, when it is whole (huggingface_hub does the same).
            Err(Failure::Unreachable(e)) => self.cached(id, repo.revision(), required).map_err(|_| e),
            Err(Failure::Other(e)) => Err(e),
        }
    }
}

/// Why a download failed: the Hub could not be reached (the cache may still serve), or it said no.
enum Failure {
    Unreachable(Error),
    Other(Error),
}

/// `name` or `owner/name` as the Hub spells them: letters, digits, `-`, `_`, `.`; not starting
/// or ending with `-` or `.`, no `--` or `..`; at most 96 characters each.
pub fn is_repo_id(spec: &str) -> bool {
    let part = |p: &str| {
        !p.is_empty()
            && p.len() <= 96
            && p.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && !p.starts_with(['-', '.'])
            && !p.ends_with(['-', '.'])
            && !p.contains("--")
            && !p.contains("..")
    };
    let mut parts = spec.split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(a), None, _) => part(a),
        (Some(a), Some(b), None) => part(a) && part(b),
        _ => false,
    }
}

fn is_commit_hash(s: &str) -> bool {
    s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The HTTP status of a failed request, if the server answered.
fn status(e: &ApiError) -> Option<u16> {
    match e {
        ApiError::RequestError(e) => match e.as_ref() {
            ureq::Error::Status(code, _) => Some(*code),
            ureq::Error::Transport(_) => None,
        },
        ApiError::TooManyRetries(e) => status(e),
        _ => None,
    }
}

fn hub_error(id: &str, file: Option<&str>, e: &ApiError, endpoint: &str) -> Error {
    let what = file.map_or_else(|| id.to_string(), |f| format!("{id}/{f}"));
    let hint = match status(e) {
        Some(401 | 403) => " (a gated or private repo: set HF_TOKEN or run `huggingface-cli login`)",
        Some(_) => "",
        None if matches!(e, ApiError::RequestError(_) | ApiError::TooManyRetries(_)) => {
            " (no connection? With the files in the cache, HF_HUB_OFFLINE=1 uses them without the network)"
        }
        None => "",
    };
    Error::Io { path: format!("{endpoint}: {what}"), message: format!("{e}{hint}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_ids() {
        for id in ["gpt2", "openai-community/gpt2", "distilgpt2", "user/my_model.v2", "a/b"] {
            assert!(is_repo_id(id), "{id}");
        }
        for id in
            ["", "/", "a/", "/a", "a/b/c", "./gpt2", "../x", "-a", "a--b", "a..b", "a b", "C:\\x", "a/.b"]
        {
            assert!(!is_repo_id(id), "{id}");
        }
    }
}
