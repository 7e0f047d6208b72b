//! Choices made by timing kernels on this adapter (the matmul autotuner in
//! `kernels::matmul::tune` fills it), kept for the life of the [`Gpu`](super::Gpu) and, natively,
//! in a small JSON file under the user's cache directory, so that the next run on the same adapter
//! and build does not time them again.
//!
//! The store only holds strings (shape key -> choice): what they mean belongs to the kernels
//! layer. The file is named after the adapter (name, driver, backend) and a fingerprint of the
//! caller's sources, so another GPU, driver or build never reads choices made for this one.
//!
//! Where: `$WEBTUNE_CACHE_DIR`, else `$XDG_CACHE_HOME/webtune`, else `$HOME/.cache/webtune`.
//! `WEBTUNE_CACHE_DIR=` (empty) turns the file off. In the browser the page keeps them in
//! IndexedDB under [`Tuning::storage_key`] ([`Tuning::to_json`] out, [`Tuning::merge_json`] back
//! in: www/worker.js).

use std::collections::BTreeMap;
use std::sync::Mutex;

/// Choices by shape key, and where they persist.
#[derive(Debug, Default)]
pub struct Tuning {
    choices: Mutex<BTreeMap<String, String>>,
    /// The adapter's identity, part of every file name.
    adapter: String,
}

impl Tuning {
    pub(crate) fn new(adapter: String) -> Tuning {
        Tuning { choices: Mutex::default(), adapter }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, String>> {
        self.choices.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The choice recorded for `key`, if any.
    pub fn get(&self, key: &str) -> Option<String> {
        self.lock().get(key).cloned()
    }

    pub fn set(&self, key: &str, choice: &str) {
        self.lock().insert(key.to_string(), choice.to_string());
    }

    /// Every choice, in key order.
    pub fn all(&self) -> Vec<(String, String)> {
        self.lock().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// The name the choices for this adapter and `fingerprint` (a hash of the sources the
    /// choices depend on) are kept under: the file's name natively, the IndexedDB key in the page.
    pub fn storage_key(&self, fingerprint: u64) -> String {
        let id = fnv1a(self.adapter.as_bytes()) ^ fingerprint.rotate_left(17);
        format!("tuning-{id:016x}")
    }

    /// Every choice, as JSON (what the file holds).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&*self.lock()).unwrap_or_else(|_| "{}".to_string())
    }

    /// Add the choices in `text` (as [`Tuning::to_json`] writes them) that this store has not made
    /// itself. Malformed text adds nothing: the choices are timed again.
    pub fn merge_json(&self, text: &str) {
        let Ok(saved) = serde_json::from_str::<BTreeMap<String, String>>(text) else { return };
        let mut choices = self.lock();
        for (k, v) in saved {
            choices.entry(k).or_insert(v);
        }
    }

    /// The file that holds the choices for this adapter and `fingerprint`, or None where there
    /// is no cache directory.
    pub fn path(&self, fingerprint: u64) -> Option<std::path::PathBuf> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let dir = match std::env::var_os("WEBTUNE_CACHE_DIR") {
                Some(d) if d.is_empty() => return None,
                Some(d) => std::path::PathBuf::from(d),
                None => match std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
                    Some(d) => std::path::PathBuf::from(d).join("webtune"),
                    None => {
                        std::path::PathBuf::from(std::env::var_os("HOME")?).join(".cache").join("webtune")
                    }
                },
            };
            Some(dir.join(format!("{}.json", self.storage_key(fingerprint))))
        }
        #[cfg(target_arch = "wasm32")]
        {
            let _ = (&self.adapter, fingerprint);
            None
        }
    }

    /// Read the choices saved for `fingerprint`. A missing, unreadable or malformed file is the
    /// same as no file: the choices are made again (and a bad file overwritten by `save`).
    pub fn load(&self, fingerprint: u64) {
        let Some(path) = self.path(fingerprint) else { return };
        let Ok(text) = std::fs::read_to_string(&path) else { return };
        self.merge_json(&text);
    }

    /// Write the choices for `fingerprint` (to a temporary name, then renamed). A cache that
    /// cannot be written is not an error: the next run times again.
    pub fn save(&self, fingerprint: u64) {
        let Some(path) = self.path(fingerprint) else { return };
        let text = self.to_json();
        let Some(dir) = path.parent() else { return };
        let tmp = path.with_extension("json.tmp");
        let _ = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&tmp, text))
            .and_then(|()| std::fs::rename(&tmp, &path));
    }
}

/// FNV-1a, 64-bit: a stable hash for file names (std's hasher may change between releases).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3))
}
