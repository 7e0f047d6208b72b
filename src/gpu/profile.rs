//! Measuring the GPU: time per kernel and memory held.
//!
//! **Kernel time.** With profiling started ([`Gpu::start_profiling`]), every dispatch that goes
//! through [`Gpu::dispatch`] (all of them) is bracketed by two timestamp queries written inside
//! its compute pass, and [`Gpu::run`] resolves and reads them back after each submission. That
//! needs the adapter's TIMESTAMP_QUERY_INSIDE_PASSES feature, which only native backends offer
//! (lavapipe has it; browsers do not): elsewhere starting fails with `Unsupported`, and callers
//! fall back to timing whole passes. Profiling adds a readback per submission, so it is for
//! `webtune bench --profile`, not for training.
//!
//! **Memory.** Every [`Tensor`](super::Tensor) counts its buffer in while it lives, so
//! [`Gpu::memory`] gives the bytes live now and the peak since the device opened.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

use serde::Serialize;

use super::{Gpu, GpuError, Result};

/// GPU time of one kernel (entry point and defines, and the product's shape for matmuls),
/// summed over its calls.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct KernelTime {
    pub kernel: String,
    pub calls: u64,
    /// Seconds of GPU time over all calls.
    pub seconds: f64,
    /// Floating-point operations over all calls, where the kernel states them (products).
    pub flops: u64,
    /// Bytes of the storage buffers bound, over all calls: an upper bound on the bytes read and
    /// written, so the GB/s it gives is a rate of bound memory, not of traffic.
    pub bytes: u64,
}

/// Live and peak bytes of GPU buffers held by tensors.
#[derive(Debug, Default)]
pub(crate) struct MemoryCounter {
    live: AtomicU64,
    peak: AtomicU64,
}

impl MemoryCounter {
    pub(crate) fn add(&self, bytes: u64) {
        let live = self.live.fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.peak.fetch_max(live, Ordering::Relaxed);
    }

    pub(crate) fn sub(&self, bytes: u64) {
        self.live.fetch_sub(bytes, Ordering::Relaxed);
    }
}

/// Bytes of GPU buffers that tensors hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MemoryUse {
    pub live: u64,
    pub peak: u64,
}

/// Timestamp pairs one submission can hold (two queries per dispatch).
const QUERIES: u32 = 4096;

/// One timed dispatch waiting for its timestamps.
struct Pending {
    key: String,
    flops: u64,
    bytes: u64,
}

pub(crate) struct Profiler {
    query_set: wgpu::QuerySet,
    resolve: wgpu::Buffer,
    /// Nanoseconds per timestamp tick.
    period: f64,
    pending: Vec<Pending>,
    /// Dispatches past the query set's capacity in a submission, not timed.
    untimed: u64,
    totals: BTreeMap<String, KernelTime>,
}

/// The profiler's state inside [`Gpu`], and the FLOPs the next dispatch will do. `active` lets
/// every dispatch skip the rest with one atomic load when nothing is being profiled.
#[derive(Default)]
pub(crate) struct Profiling {
    active: AtomicBool,
    profiler: Mutex<Option<Profiler>>,
    next: Mutex<Option<(u64, String)>>,
}

impl Gpu {
    /// Whether [`Gpu::start_profiling`] can time kernels on this adapter.
    pub fn can_profile(&self) -> bool {
        self.features.contains(wgpu::Features::TIMESTAMP_QUERY_INSIDE_PASSES)
    }

    /// Start timing every dispatch (and forget earlier times).
    pub fn start_profiling(&self) -> Result<()> {
        if !self.can_profile() {
            return Err(GpuError::Unsupported(format!(
                "the adapter '{}' cannot write timestamps inside compute passes \
                 (TIMESTAMP_QUERY_INSIDE_PASSES): no per-kernel times",
                self.report.name
            )));
        }
        let query_set = self.device.create_query_set(&wgpu::QuerySetDescriptor {
            label: Some("profiler"),
            ty: wgpu::QueryType::Timestamp,
            count: QUERIES,
        });
        let resolve = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("profiler resolve"),
            size: QUERIES as u64 * 8,
            usage: wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        let period = self.queue.get_timestamp_period() as f64;
        let profiler =
            Profiler { query_set, resolve, period, pending: Vec::new(), untimed: 0, totals: BTreeMap::new() };
        *self.profiling.profiler.lock().unwrap_or_else(|p| p.into_inner()) = Some(profiler);
        self.profiling.active.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// Stop profiling and return the kernel times since it started, slowest first, and how many
    /// dispatches could not be timed (past the query capacity of one submission).
    pub fn stop_profiling(&self) -> (Vec<KernelTime>, u64) {
        self.profiling.active.store(false, Ordering::Relaxed);
        let taken = self.profiling.profiler.lock().unwrap_or_else(|p| p.into_inner()).take();
        let Some(p) = taken else { return (Vec::new(), 0) };
        let mut rows: Vec<KernelTime> = p.totals.into_values().collect();
        rows.sort_by(|a, b| b.seconds.total_cmp(&a.seconds));
        (rows, p.untimed)
    }

    fn profiling(&self) -> bool {
        self.profiling.active.load(Ordering::Relaxed)
    }

    /// The next dispatch does `flops` floating-point operations on a problem named by `shape`
    /// (kernels that know their work say so, for the profile's GFLOP/s). Costs one atomic load
    /// when not profiling: `shape` is only called when it is.
    pub(crate) fn note_work(&self, flops: u64, shape: impl FnOnce() -> String) {
        if self.profiling() {
            *self.profiling.next.lock().unwrap_or_else(|p| p.into_inner()) = Some((flops, shape()));
        }
    }

    /// Before a dispatch: write its start timestamp; returns the end timestamp's index.
    pub(crate) fn profile_begin(
        &self,
        pass: &mut wgpu::ComputePass<'_>,
        label: &str,
        bytes: u64,
    ) -> Option<u32> {
        if !self.profiling() {
            return None;
        }
        let work = self.profiling.next.lock().unwrap_or_else(|p| p.into_inner()).take();
        let mut guard = self.profiling.profiler.lock().unwrap_or_else(|p| p.into_inner());
        let p = guard.as_mut()?;
        let index = 2 * p.pending.len() as u32;
        if index + 2 > QUERIES {
            p.untimed += 1;
            return None;
        }
        let (flops, key) = match work {
            Some((flops, shape)) => (flops, format!("{label} {shape}")),
            None => (0, label.to_string()),
        };
        pass.write_timestamp(&p.query_set, index);
        p.pending.push(Pending { key, flops, bytes });
        Some(index + 1)
    }

    /// After a dispatch: write its end timestamp.
    pub(crate) fn profile_end(&self, pass: &mut wgpu::ComputePass<'_>, index: u32) {
        if let Some(p) = self.profiling.profiler.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            pass.write_timestamp(&p.query_set, index);
        }
    }

    /// Submit `encoder`. When profiling, first resolve its timestamps into it, then read them
    /// back and add them up.
    pub(crate) fn submit(&self, mut encoder: wgpu::CommandEncoder) -> Result<()> {
        if !self.profiling() {
            self.queue.submit([encoder.finish()]);
            return Ok(());
        }
        let mut guard = self.profiling.profiler.lock().unwrap_or_else(|p| p.into_inner());
        let Some(p) = guard.as_mut().filter(|p| !p.pending.is_empty()) else {
            self.queue.submit([encoder.finish()]);
            return Ok(());
        };
        let n = 2 * p.pending.len() as u32;
        let staging = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("profiler readback"),
            size: n as u64 * 8,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        encoder.resolve_query_set(&p.query_set, 0..n, &p.resolve, 0);
        encoder.copy_buffer_to_buffer(&p.resolve, 0, &staging, 0, n as u64 * 8);
        self.queue.submit([encoder.finish()]);
        let slice = staging.slice(..);
        slice.map_async(wgpu::MapMode::Read, |_| {});
        self.wait()?;
        let ticks: Vec<u64> = {
            let view = slice.get_mapped_range().map_err(|e| GpuError::Readback {
                label: "profiler timestamps".into(),
                message: e.to_string(),
            })?;
            bytemuck::pod_collect_to_vec(&view)
        };
        for (i, d) in p.pending.drain(..).enumerate() {
            let t = &mut p
                .totals
                .entry(d.key.clone())
                .or_insert_with(|| KernelTime { kernel: d.key, ..Default::default() });
            t.calls += 1;
            t.seconds += ticks[2 * i + 1].saturating_sub(ticks[2 * i]) as f64 * p.period * 1e-9;
            t.flops += d.flops;
            t.bytes += d.bytes;
        }
        Ok(())
    }

    /// Bytes of GPU buffers held by tensors now, and the most held at once since the device
    /// opened.
    pub fn memory(&self) -> MemoryUse {
        MemoryUse {
            live: self.memory.live.load(Ordering::Relaxed),
            peak: self.memory.peak.load(Ordering::Relaxed),
        }
    }
}
