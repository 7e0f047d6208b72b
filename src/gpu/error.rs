//! Errors of the GPU runtime. wgpu reports validation and out-of-memory errors through error
//! scopes and an uncaptured-error callback (whose default panics); we turn both into `GpuError`
//! values so that every caller gets a `Result` and a message that says which case it is.

use thiserror::Error;

#[derive(Debug, Clone, Error)]
pub enum GpuError {
    /// The browser has no `navigator.gpu`, or it gives no adapter.
    #[error(
        "this browser has no WebGPU. It is on by default in Chrome and Edge 113+ (Windows, macOS, \
         ChromeOS, Android), Safari 26+ and Firefox 141+ on Windows; on Linux, Chrome needs \
         chrome://flags/#enable-unsafe-webgpu"
    )]
    NoWebGpu,

    /// No adapter natively (no Vulkan/Metal/DX12 driver), or the browser refused one.
    #[error("no GPU adapter was found ({0}). Natively, wgpu needs a Vulkan, Metal or DX12 driver; on Linux without a GPU install Mesa's lavapipe (apt-get install mesa-vulkan-drivers)")]
    NoAdapter(String),

    /// The adapter exists but one of its limits is below what the model needs.
    #[error("the GPU adapter '{adapter}' is too small: its {limit} is {have}, and {need} is needed")]
    LimitsTooSmall { adapter: String, limit: &'static str, have: u64, need: u64 },

    /// `request_device` failed for another reason.
    #[error("could not open the GPU device: {0}")]
    RequestDevice(String),

    #[error("the GPU ran out of memory while {context}")]
    OutOfMemory { context: String },

    #[error("GPU validation error while {context}: {message}")]
    Validation { context: String, message: String },

    #[error("internal GPU error while {context}: {message}")]
    Internal { context: String, message: String },

    #[error("the GPU device was lost: {0}")]
    DeviceLost(String),

    /// A buffer or binding larger than the device allows.
    #[error("'{label}' needs {need} bytes, over the device's {limit} of {have} bytes")]
    TooLarge { label: String, limit: &'static str, need: u64, have: u64 },

    /// Arguments that do not fit together (shapes, dtypes). A caller bug or a bad input.
    #[error("{0}")]
    Shape(String),

    /// The adapter lacks an optional feature this request needs.
    #[error("{0}")]
    Unsupported(String),

    #[error("reading '{label}' back from the GPU failed: {message}")]
    Readback { label: String, message: String },
}

impl GpuError {
    /// A short stable tag for front ends (the web page chooses its message by it).
    pub fn kind(&self) -> &'static str {
        match self {
            GpuError::NoWebGpu => "no-webgpu",
            GpuError::NoAdapter(_) => "no-adapter",
            GpuError::LimitsTooSmall { .. } => "limits-too-small",
            GpuError::RequestDevice(_) => "request-device",
            GpuError::OutOfMemory { .. } => "out-of-memory",
            GpuError::Validation { .. } => "validation",
            GpuError::Internal { .. } => "internal",
            GpuError::DeviceLost(_) => "device-lost",
            GpuError::TooLarge { .. } => "too-large",
            GpuError::Shape(_) => "shape",
            GpuError::Unsupported(_) => "unsupported",
            GpuError::Readback { .. } => "readback",
        }
    }

    pub(crate) fn from_wgpu(context: &str, error: wgpu::Error) -> Self {
        let context = context.to_string();
        match error {
            wgpu::Error::OutOfMemory { .. } => GpuError::OutOfMemory { context },
            wgpu::Error::Validation { description, .. } => {
                GpuError::Validation { context, message: description }
            }
            wgpu::Error::Internal { description, .. } => GpuError::Internal { context, message: description },
        }
    }
}

pub type Result<T, E = GpuError> = std::result::Result<T, E>;
