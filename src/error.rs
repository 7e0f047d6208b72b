//! The crate's error type: GPU errors, and bad inputs (model folders, adapters, data, flags),
//! each with a message that names the file, tensor or field at fault.

use thiserror::Error;

use crate::gpu::GpuError;

#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Gpu(#[from] GpuError),

    /// A model folder, config.json or checkpoint that is not a GPT-2 we can run.
    #[error("{0}")]
    Model(String),

    #[error("tokenizer: {0}")]
    Tokenizer(String),

    /// Training or evaluation data, or arguments that do not fit it.
    #[error("{0}")]
    Data(String),

    #[error("{path}: {message}")]
    Io { path: String, message: String },
}

impl Error {
    pub fn model(msg: impl Into<String>) -> Error {
        Error::Model(msg.into())
    }

    pub fn data(msg: impl Into<String>) -> Error {
        Error::Data(msg.into())
    }

    /// A failed file operation on `path`.
    pub fn io(path: &std::path::Path, e: std::io::Error) -> Error {
        Error::Io { path: path.display().to_string(), message: e.to_string() }
    }

    /// A short stable tag for front ends.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Gpu(e) => e.kind(),
            Error::Model(_) => "model",
            Error::Tokenizer(_) => "tokenizer",
            Error::Data(_) => "data",
            Error::Io { .. } => "io",
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Read a whole file, with the path in the error.
#[cfg(not(target_arch = "wasm32"))]
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

/// Write `bytes` as `dir/name` so that a crash at any moment leaves either the old file or the
/// new one, whole: a temporary file, flushed to disk, renamed over the old one. A failed write
/// removes its temporary file, and a full disk says so.
#[cfg(not(target_arch = "wasm32"))]
pub fn write_file_atomic(dir: &std::path::Path, name: &str, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let (tmp, dst) = (dir.join(format!(".{name}.tmp")), dir.join(name));
    let written =
        std::fs::File::create(&tmp).and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        if e.kind() == std::io::ErrorKind::StorageFull {
            return Err(Error::Io {
                path: dir.display().to_string(),
                message: format!(
                    "the disk is full ({e}): {name} was not written; what the folder held before (the last checkpoint of a run) is whole"
                ),
            });
        }
        return Err(Error::io(&tmp, e));
    }
    std::fs::rename(&tmp, &dst).map_err(|e| Error::io(&dst, e))
}

/// Flush a folder's entries (renames into it) to disk; folders cannot be opened for that on Windows.
#[cfg(not(target_arch = "wasm32"))]
pub fn sync_dir(dir: &std::path::Path) -> Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(|e| Error::io(dir, e))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
