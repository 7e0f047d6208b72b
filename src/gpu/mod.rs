//! The GPU runtime every kernel and front end shares: adapter and device selection (natively and
//! in the browser), the limits and optional features we ask for, and the conversion of wgpu's
//! error reporting into `Result`s.
//!
//! Only front ends (CLI, web facade, tests) call [`Gpu::new`]; everything else takes `&Gpu`.

#[cfg(target_arch = "wasm32")]
mod browser;
mod error;
mod pipeline;
mod plan;
mod profile;
pub mod shader;
mod tensor;
mod tuning;

use std::sync::{Arc, Mutex};

pub use error::{GpuError, Result};
pub use pipeline::{Access, Kernel, PipelineCache};
pub use plan::{BufferPlan, Buffers, Planned};
pub use profile::{KernelTime, MemoryUse};
pub use shader::{Shader, Uniform, UniformLayout};
pub use tensor::{q4_words, read_buffer, DType, Tensor, Q4_BLOCK};
pub use tuning::{fnv1a, Tuning};

/// What the caller needs from an adapter. The defaults are what every kernel needs; model code
/// raises `storage_binding` and `buffer_size` to the size of its largest tensor.
#[derive(Debug, Clone, Copy)]
pub struct Requirements {
    /// Largest single storage binding, in bytes.
    pub storage_binding: u64,
    /// Largest buffer, in bytes.
    pub buffer_size: u64,
}

impl Default for Requirements {
    fn default() -> Self {
        // WebGPU's guaranteed minimums: every conformant adapter meets them.
        Requirements { storage_binding: 128 << 20, buffer_size: 256 << 20 }
    }
}

/// Optional features we use when the adapter has them, and do without otherwise.
/// (Timestamps inside compute passes time each kernel for `webtune bench --profile`; only native
/// backends offer them.)
pub const OPTIONAL_FEATURES: wgpu::Features = wgpu::Features::SHADER_F16
    .union(wgpu::Features::TIMESTAMP_QUERY)
    .union(wgpu::Features::TIMESTAMP_QUERY_INSIDE_PASSES)
    .union(wgpu::Features::SUBGROUP);

/// What the adapter is, as reported to people (`webtune info`, the web page).
#[derive(Debug, Clone, serde::Serialize)]
pub struct AdapterReport {
    pub name: String,
    pub backend: String,
    pub device_type: String,
    pub driver: String,
    pub driver_info: String,
    /// The limits the device was opened with (what kernels may rely on).
    pub limits: Vec<(&'static str, u64)>,
    /// The optional features the device was opened with.
    pub features: Vec<String>,
    /// The fewest lanes a subgroup has on this adapter (8 on lavapipe, 32 on NVIDIA).
    pub subgroup_min_size: u32,
}

impl std::fmt::Display for AdapterReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "adapter:  {}", self.name)?;
        writeln!(f, "backend:  {}", self.backend)?;
        writeln!(f, "type:     {}", self.device_type)?;
        if !self.driver.is_empty() {
            writeln!(f, "driver:   {} {}", self.driver, self.driver_info)?;
        }
        let features = if self.features.is_empty() { "(none)".to_string() } else { self.features.join(", ") };
        writeln!(f, "features: {features}")?;
        if self.features.iter().any(|f| f == "subgroups") {
            writeln!(f, "subgroups: at least {} lanes", self.subgroup_min_size)?;
        }
        writeln!(f, "limits:")?;
        for (name, value) in &self.limits {
            writeln!(f, "  {name:<38} {value}")?;
        }
        Ok(())
    }
}

/// Errors that reached wgpu's uncaptured-error callback, or the device-lost callback. They are
/// kept here until the next [`Gpu::check`] turns the first of them into a `Result`.
#[derive(Default)]
struct ErrorSink {
    first: Option<GpuError>,
}

/// An open device: adapter facts, device, queue, and the pipeline cache.
pub struct Gpu {
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
    pub report: AdapterReport,
    pub limits: wgpu::Limits,
    pub features: wgpu::Features,
    pub pipelines: PipelineCache,
    sink: Arc<Mutex<ErrorSink>>,
    /// Set when this Gpu is dropped: the device's "destroyed" then is ours, not a loss.
    closing: Arc<std::sync::atomic::AtomicBool>,
    /// A 4-byte storage buffer bound where a kernel's optional input (a bias) is absent.
    pub(crate) dummy: wgpu::Buffer,
    /// Per-kernel timestamps, when profiling (profile.rs).
    profiling: profile::Profiling,
    /// Bytes held by live tensors, and the peak.
    pub(crate) memory: Arc<profile::MemoryCounter>,
    /// Kernel choices made by timing on this adapter (the matmul autotuner).
    pub tuning: Tuning,
}

impl Drop for Gpu {
    fn drop(&mut self) {
        self.closing.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Gpu {
    /// Find an adapter and open a device that meets `req`.
    ///
    /// Natively the backend can be chosen with `WGPU_BACKEND` (vulkan, metal, dx12) and the
    /// adapter with `WGPU_ADAPTER_NAME`, as in wgpu's examples.
    pub async fn new(req: Requirements) -> Result<Gpu> {
        let adapter = request_adapter().await?;
        let info = adapter.get_info();
        let have = adapter.limits();

        for (limit, have, need) in [
            (
                "max_storage_buffer_binding_size",
                have.max_storage_buffer_binding_size as u64,
                req.storage_binding,
            ),
            ("max_buffer_size", have.max_buffer_size, req.buffer_size),
        ] {
            if have < need {
                return Err(GpuError::LimitsTooSmall { adapter: info.name.clone(), limit, have, need });
            }
        }

        // Ask for WebGPU's defaults, raised to the adapter's own maximum where size matters: the
        // largest binding and buffer (weights) and the workgroup storage (tiled kernels).
        let limits = wgpu::Limits {
            max_storage_buffer_binding_size: have.max_storage_buffer_binding_size,
            max_buffer_size: have.max_buffer_size,
            max_compute_workgroup_storage_size: have.max_compute_workgroup_storage_size,
            max_compute_invocations_per_workgroup: have.max_compute_invocations_per_workgroup,
            max_storage_buffers_per_shader_stage: have.max_storage_buffers_per_shader_stage,
            ..wgpu::Limits::default().or_worse_values_from(&have)
        };
        let features = adapter.features() & OPTIONAL_FEATURES;

        #[cfg(target_arch = "wasm32")]
        let subgroups_too = browser::subgroups_for_next_device();
        let request = adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("webtune"),
            required_features: features,
            required_limits: limits.clone(),
            ..Default::default()
        });
        #[cfg(target_arch = "wasm32")]
        drop(subgroups_too);
        let (device, queue) = request.await.map_err(|e| GpuError::RequestDevice(e.to_string()))?;
        // A browser's subgroups are outside wgpu's feature mapping (browser.rs).
        #[cfg(target_arch = "wasm32")]
        let features =
            if browser::has_subgroups(&device) { features | wgpu::Features::SUBGROUP } else { features };

        // wgpu's default handler panics; keep the first error for `check` instead.
        let sink = Arc::new(Mutex::new(ErrorSink::default()));
        let closing = Arc::new(std::sync::atomic::AtomicBool::new(false));
        {
            let sink = sink.clone();
            device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| {
                let mut s = sink.lock().unwrap_or_else(|p| p.into_inner());
                if s.first.is_none() {
                    s.first = Some(GpuError::from_wgpu("running GPU work", e));
                }
            }));
        }
        {
            let sink = sink.clone();
            let closing = closing.clone();
            device.set_device_lost_callback(move |reason, message| {
                // Dropping the device is not a loss anyone needs to hear about; a device destroyed
                // under a live Gpu (in the page, by something other than webtune) is one.
                if reason == wgpu::DeviceLostReason::Destroyed
                    && closing.load(std::sync::atomic::Ordering::Relaxed)
                {
                    return;
                }
                let mut s = sink.lock().unwrap_or_else(|p| p.into_inner());
                s.first = Some(GpuError::DeviceLost(format!("{reason:?}: {message}")));
            });
        }

        let report = AdapterReport {
            name: info.name.clone(),
            backend: format!("{:?}", info.backend),
            device_type: format!("{:?}", info.device_type),
            driver: info.driver.clone(),
            driver_info: info.driver_info.clone(),
            limits: vec![
                ("max_storage_buffer_binding_size", limits.max_storage_buffer_binding_size as u64),
                ("max_buffer_size", limits.max_buffer_size),
                ("max_storage_buffers_per_shader_stage", limits.max_storage_buffers_per_shader_stage as u64),
                ("max_compute_workgroup_storage_size", limits.max_compute_workgroup_storage_size as u64),
                (
                    "max_compute_invocations_per_workgroup",
                    limits.max_compute_invocations_per_workgroup as u64,
                ),
                ("max_compute_workgroup_size_x", limits.max_compute_workgroup_size_x as u64),
                ("max_compute_workgroups_per_dimension", limits.max_compute_workgroups_per_dimension as u64),
            ],
            features: feature_names(features),
            subgroup_min_size: info.subgroup_min_size,
        };
        let tuning =
            Tuning::new(format!("{} | {} {} | {:?}", info.name, info.driver, info.driver_info, info.backend));

        let dummy = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("dummy (absent optional input)"),
            size: 4,
            usage: wgpu::BufferUsages::STORAGE,
            mapped_at_creation: false,
        });

        Ok(Gpu {
            device,
            queue,
            report,
            limits,
            features,
            pipelines: PipelineCache::default(),
            sink,
            closing,
            dummy,
            profiling: Default::default(),
            memory: Default::default(),
            tuning,
        })
    }

    /// Whether kernels may use subgroup operations across `lanes` lanes: the device has subgroups
    /// of at least that many, natively or in a browser (desktop and Apple GPUs and lavapipe have 8
    /// or more; SwiftShader, the browser's CPU WebGPU, has 4).
    ///
    /// `WEBTUNE_SUBGROUPS=off` (natively) turns them off, to run and measure the portable kernels
    /// (those of a device without subgroups).
    pub fn has_subgroups_of(&self, lanes: u32) -> bool {
        self.features.contains(wgpu::Features::SUBGROUP)
            && self.report.subgroup_min_size >= lanes
            && !subgroups_turned_off()
    }

    pub fn has_f16(&self) -> bool {
        self.features.contains(wgpu::Features::SHADER_F16)
    }

    /// The first error wgpu reported outside an error scope since the last call, if any.
    pub fn check(&self) -> Result<()> {
        let mut s = self.sink.lock().unwrap_or_else(|p| p.into_inner());
        match s.first.take() {
            // A lost device stays lost: keep reporting it.
            Some(e @ GpuError::DeviceLost(_)) => {
                s.first = Some(e.clone());
                Err(e)
            }
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Run `f` inside out-of-memory and validation error scopes, so that an allocation that
    /// fails, or work the device rejects, comes back as an `Err` naming `context`.
    pub async fn scoped<T>(&self, context: &str, f: impl FnOnce() -> T) -> Result<T> {
        let oom = self.device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let validation = self.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let value = f();
        // Scopes pop in reverse order of their push.
        let validation = validation.pop();
        let oom = oom.pop();
        if let Some(e) = validation.await {
            return Err(GpuError::from_wgpu(context, e));
        }
        if let Some(e) = oom.await {
            return Err(GpuError::from_wgpu(context, e));
        }
        self.check()?;
        Ok(value)
    }

    /// Hand the writes queued so far to the device and (natively) wait for them, so that their
    /// staging copies are freed. wgpu keeps every `write_buffer`'s data in a staging buffer until
    /// the next submission: uploading a checkpoint tensor by tensor without this holds a second
    /// copy of all of it (on a CPU adapter, in the process's memory).
    pub fn flush(&self) -> Result<()> {
        self.queue.submit([]);
        self.wait()
    }

    /// Wait until the queue is idle (natively); in the browser, the next readback waits instead.
    pub fn wait(&self) -> Result<()> {
        #[cfg(not(target_arch = "wasm32"))]
        self.device.poll(wgpu::PollType::wait_indefinitely()).map_err(|e| GpuError::Internal {
            context: "waiting for the GPU".into(),
            message: e.to_string(),
        })?;
        self.check()
    }
}

/// Whether `WEBTUNE_SUBGROUPS=off` asks for the portable kernels (read once per process).
fn subgroups_turned_off() -> bool {
    #[cfg(not(target_arch = "wasm32"))]
    {
        static OFF: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        *OFF.get_or_init(|| std::env::var("WEBTUNE_SUBGROUPS").is_ok_and(|v| v == "off" || v == "0"))
    }
    #[cfg(target_arch = "wasm32")]
    false
}

/// Elapsed time since an arbitrary start, natively and in the browser.
pub fn clock() -> std::time::Duration {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::OnceLock;
        static START: OnceLock<std::time::Instant> = OnceLock::new();
        START.get_or_init(std::time::Instant::now).elapsed()
    }
    #[cfg(target_arch = "wasm32")]
    {
        std::time::Duration::from_secs_f64(js_sys::Date::now() / 1000.0)
    }
}

async fn request_adapter() -> Result<wgpu::Adapter> {
    #[cfg(target_arch = "wasm32")]
    {
        if !wgpu::util::is_browser_webgpu_supported().await {
            return Err(GpuError::NoWebGpu);
        }
        let instance = wgpu::Instance::new(wgpu::InstanceDescriptor {
            backends: wgpu::Backends::BROWSER_WEBGPU,
            ..wgpu::InstanceDescriptor::new_without_display_handle()
        });
        instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::HighPerformance,
                ..Default::default()
            })
            .await
            .map_err(|e| GpuError::NoAdapter(e.to_string()))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let mut desc = wgpu::InstanceDescriptor::new_without_display_handle_from_env();
        if std::env::var_os("WGPU_BACKEND").is_none() {
            desc.backends = wgpu::Backends::PRIMARY;
        }
        let instance = wgpu::Instance::new(desc);
        wgpu::util::initialize_adapter_from_env_or_default(&instance, None)
            .await
            .map_err(|e| GpuError::NoAdapter(e.to_string()))
    }
}

fn feature_names(features: wgpu::Features) -> Vec<String> {
    let mut names = Vec::new();
    for (flag, name) in [
        (wgpu::Features::SHADER_F16, "shader-f16"),
        (wgpu::Features::TIMESTAMP_QUERY, "timestamp-query"),
        (wgpu::Features::TIMESTAMP_QUERY_INSIDE_PASSES, "timestamp-query-inside-passes"),
        (wgpu::Features::SUBGROUP, "subgroups"),
    ] {
        if features.contains(flag) {
            names.push(name.to_string());
        }
    }
    names
}
