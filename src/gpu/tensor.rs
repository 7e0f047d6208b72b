//! A small concrete tensor handle: one wgpu buffer, its shape, its element type and a label that
//! shows up in wgpu's error messages. No strides, no views, no backend generics: kernels take
//! tensors and check the shapes they need.
//!
//! Readback is async everywhere. Natively we poll the device until the map completes; in the
//! browser the map callback fires from the event loop, so we only await.

use super::{Gpu, GpuError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DType {
    F32,
    F16,
    U32,
    I32,
    /// 4-bit weights in bitsandbytes' nf4 or fp4 code, blocks of [`Q4_BLOCK`] (model/quant.rs):
    /// the shape is the logical one, the buffer u32 words: one f32 scale per block, then the
    /// codes eight to a word.
    Nf4,
    Fp4,
}

/// Values per scale of a 4-bit tensor.
pub const Q4_BLOCK: u64 = 64;

/// The u32 words of a 4-bit tensor of `numel` values: (f32 scales, codes eight to a word). The
/// codes start after the scales.
pub fn q4_words(numel: u64) -> (u64, u64) {
    (numel.div_ceil(Q4_BLOCK), numel.div_ceil(8))
}

impl DType {
    /// Bytes per element, for the element types (a 4-bit tensor's words are u32: 4).
    pub fn size(self) -> usize {
        match self {
            DType::F32 | DType::U32 | DType::I32 | DType::Nf4 | DType::Fp4 => 4,
            DType::F16 => 2,
        }
    }

    /// Whether this is one of the 4-bit weight types.
    pub fn is_q4(self) -> bool {
        matches!(self, DType::Nf4 | DType::Fp4)
    }

    /// Bytes of data a tensor of `numel` elements holds (before rounding to 4 bytes); None on
    /// overflow.
    pub fn bytes(self, numel: u64) -> Option<u64> {
        if self.is_q4() {
            let (scales, codes) = q4_words(numel);
            scales.checked_add(codes)?.checked_mul(4)
        } else {
            numel.checked_mul(self.size() as u64)
        }
    }
}

pub struct Tensor {
    pub buffer: wgpu::Buffer,
    pub shape: Vec<usize>,
    pub dtype: DType,
    pub label: String,
    /// The device's count of live buffer bytes, which this tensor is in until dropped.
    memory: std::sync::Arc<super::profile::MemoryCounter>,
}

impl Drop for Tensor {
    fn drop(&mut self) {
        self.memory.sub(self.buffer.size());
    }
}

const USAGE: wgpu::BufferUsages =
    wgpu::BufferUsages::STORAGE.union(wgpu::BufferUsages::COPY_SRC).union(wgpu::BufferUsages::COPY_DST);

impl Tensor {
    /// A zero-filled tensor (wgpu zero-initialises new buffers).
    pub async fn zeros(gpu: &Gpu, label: &str, shape: &[usize], dtype: DType) -> Result<Tensor> {
        let size = byte_size(gpu, label, shape, dtype)?;
        let buffer = gpu
            .scoped(&format!("allocating '{label}' ({size} bytes)"), || {
                gpu.device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some(label),
                    size,
                    usage: USAGE,
                    mapped_at_creation: false,
                })
            })
            .await?;
        gpu.memory.add(size);
        let memory = gpu.memory.clone();
        Ok(Tensor { buffer, shape: shape.to_vec(), dtype, label: label.to_string(), memory })
    }

    /// A tensor over a buffer made elsewhere (its usage is the caller's business: a test binds
    /// a non-storage buffer to see the device refuse it).
    pub fn from_buffer(
        gpu: &Gpu,
        buffer: wgpu::Buffer,
        shape: &[usize],
        dtype: DType,
        label: &str,
    ) -> Tensor {
        gpu.memory.add(buffer.size());
        Tensor { buffer, shape: shape.to_vec(), dtype, label: label.to_string(), memory: gpu.memory.clone() }
    }

    /// A tensor filled with `data` (f32, f16 bits as u16, or u32, matching `dtype`).
    pub async fn from_slice<T: bytemuck::Pod>(
        gpu: &Gpu,
        label: &str,
        shape: &[usize],
        dtype: DType,
        data: &[T],
    ) -> Result<Tensor> {
        let numel: usize = shape.iter().product();
        let bytes = dtype.bytes(numel as u64);
        if std::mem::size_of::<T>() != dtype.size() || Some(std::mem::size_of_val(data) as u64) != bytes {
            return Err(GpuError::Shape(format!(
                "'{label}': {} elements of {} bytes given for shape {shape:?} of {dtype:?}",
                data.len(),
                std::mem::size_of::<T>()
            )));
        }
        let t = Tensor::zeros(gpu, label, shape, dtype).await?;
        t.write(gpu, data)?;
        Ok(t)
    }

    pub async fn from_f32(gpu: &Gpu, label: &str, shape: &[usize], data: &[f32]) -> Result<Tensor> {
        Tensor::from_slice(gpu, label, shape, DType::F32, data).await
    }

    /// Overwrite the whole tensor with `data`.
    pub fn write<T: bytemuck::Pod>(&self, gpu: &Gpu, data: &[T]) -> Result<()> {
        let bytes: &[u8] = bytemuck::cast_slice(data);
        let size = self.dtype.bytes(self.numel() as u64).unwrap_or(u64::MAX);
        if bytes.len() as u64 != size {
            return Err(GpuError::Shape(format!(
                "'{}': writing {} bytes into a tensor of {size} bytes",
                self.label,
                bytes.len(),
            )));
        }
        // A write must be a multiple of 4 bytes: pad an odd-length f16 tensor.
        if !bytes.len().is_multiple_of(4) {
            let mut padded = bytes.to_vec();
            padded.resize(bytes.len().next_multiple_of(4), 0);
            gpu.queue.write_buffer(&self.buffer, 0, &padded);
        } else if !bytes.is_empty() {
            gpu.queue.write_buffer(&self.buffer, 0, bytes);
        }
        Ok(())
    }

    pub fn numel(&self) -> usize {
        self.shape.iter().product()
    }

    /// GPU memory the tensor's buffer holds.
    pub fn bytes(&self) -> u64 {
        self.buffer.size()
    }

    pub fn binding(&self) -> wgpu::BufferBinding<'_> {
        self.buffer.as_entire_buffer_binding()
    }

    /// Copy the tensor back to the CPU as f32 (F32 tensors only).
    pub async fn to_vec_f32(&self, gpu: &Gpu) -> Result<Vec<f32>> {
        if self.dtype != DType::F32 {
            return Err(GpuError::Shape(format!("'{}' is {:?}, not F32", self.label, self.dtype)));
        }
        let bytes = read_buffer(gpu, &self.buffer, &self.label, (self.numel() * 4) as u64).await?;
        Ok(bytemuck::pod_collect_to_vec(&bytes))
    }

    pub async fn to_vec_u32(&self, gpu: &Gpu) -> Result<Vec<u32>> {
        if self.dtype != DType::U32 {
            return Err(GpuError::Shape(format!("'{}' is {:?}, not U32", self.label, self.dtype)));
        }
        let bytes = read_buffer(gpu, &self.buffer, &self.label, (self.numel() * 4) as u64).await?;
        Ok(bytemuck::pod_collect_to_vec(&bytes))
    }
}

/// Buffer size for a tensor, checked against the device: at least 4 bytes (an empty binding is
/// invalid) and a multiple of 4.
fn byte_size(gpu: &Gpu, label: &str, shape: &[usize], dtype: DType) -> Result<u64> {
    let numel = shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d));
    let bytes = numel
        .and_then(|n| dtype.bytes(n as u64))
        .filter(|&b| usize::try_from(b).is_ok())
        .ok_or_else(|| GpuError::Shape(format!("'{label}': shape {shape:?} overflows")))?;
    let size = bytes.max(4).next_multiple_of(4);
    if size > gpu.limits.max_buffer_size {
        return Err(GpuError::TooLarge {
            label: label.to_string(),
            limit: "max_buffer_size",
            need: size,
            have: gpu.limits.max_buffer_size,
        });
    }
    Ok(size)
}

/// Copy the first `size` bytes of `buffer` back to the CPU.
pub async fn read_buffer(gpu: &Gpu, buffer: &wgpu::Buffer, label: &str, size: u64) -> Result<Vec<u8>> {
    let err = |message: String| GpuError::Readback { label: label.to_string(), message };
    let padded = size.max(4).next_multiple_of(4);
    let staging = gpu
        .scoped(&format!("reading back '{label}'"), || {
            let staging = gpu.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("readback staging"),
                size: padded,
                usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            });
            let mut encoder = gpu
                .device
                .create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("readback") });
            encoder.copy_buffer_to_buffer(buffer, 0, &staging, 0, padded);
            gpu.queue.submit([encoder.finish()]);
            staging
        })
        .await?;

    let (tx, rx) = futures_channel::oneshot::channel();
    staging.slice(..).map_async(wgpu::MapMode::Read, move |r| {
        let _ = tx.send(r);
    });
    gpu.wait()?;
    rx.await.map_err(|_| err("the map callback was dropped".into()))?.map_err(|e| err(e.to_string()))?;
    let bytes = {
        let view = staging.slice(..).get_mapped_range().map_err(|e| err(e.to_string()))?;
        view[..size as usize].to_vec()
    };
    staging.unmap();
    gpu.check()?;
    Ok(bytes)
}
