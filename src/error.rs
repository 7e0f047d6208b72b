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
    std::fs::read(path).map_err(|e| Error::Io { path: path.display().to_string(), message: e.to_string() })
}
