//! Buffer plans: the (label, shape, dtype) rows a struct of GPU buffers holds, computed from its
//! sizes. One plan drives the struct's allocation, its `bytes()`, and memory estimates made
//! before anything is allocated (the page's "What fits"), so the three cannot drift apart.

use super::{DType, Gpu, GpuError, Result, Tensor};

/// One planned buffer.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub label: String,
    pub shape: Vec<usize>,
    pub dtype: DType,
}

impl Planned {
    /// Bytes as allocated: wgpu buffers are at least 4 bytes and a multiple of 4 (u64: on wasm32
    /// a usize product of a large model's sizes would wrap).
    pub fn bytes(&self) -> u64 {
        let n = self.shape.iter().fold(1u64, |a, &d| a.saturating_mul(d as u64));
        self.dtype.bytes(n).unwrap_or(!3).max(4).next_multiple_of(4)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct BufferPlan {
    pub rows: Vec<Planned>,
}

impl BufferPlan {
    pub fn new() -> BufferPlan {
        BufferPlan::default()
    }

    pub fn push(&mut self, label: impl Into<String>, shape: &[usize], dtype: DType) -> &mut Self {
        self.rows.push(Planned { label: label.into(), shape: shape.to_vec(), dtype });
        self
    }

    /// An f32 buffer.
    pub fn f32(&mut self, label: impl Into<String>, shape: &[usize]) -> &mut Self {
        self.push(label, shape, DType::F32)
    }

    /// Total bytes, as allocated.
    pub fn bytes(&self) -> u64 {
        self.rows.iter().map(Planned::bytes).fold(0, u64::saturating_add)
    }

    /// The largest single buffer, in bytes.
    pub fn largest(&self) -> u64 {
        self.rows.iter().map(Planned::bytes).max().unwrap_or(0)
    }

    /// Allocate every buffer, zero-filled.
    pub async fn alloc(&self, gpu: &Gpu) -> Result<Buffers> {
        let mut tensors = Vec::with_capacity(self.rows.len());
        for p in &self.rows {
            tensors.push(Some(Tensor::zeros(gpu, &p.label, &p.shape, p.dtype).await?));
        }
        let allocated = tensors.iter().flatten().map(Tensor::bytes).sum();
        Ok(Buffers { tensors, allocated })
    }
}

/// The buffers of a plan, taken out by label into the struct's fields.
pub struct Buffers {
    tensors: Vec<Option<Tensor>>,
    /// Bytes the device allocated for them (measured from the buffers, not from the plan).
    pub allocated: u64,
}

impl Buffers {
    /// The buffer labelled `label` (each can be taken once).
    pub fn take(&mut self, label: &str) -> Result<Tensor> {
        self.tensors
            .iter_mut()
            .find(|t| t.as_ref().is_some_and(|t| t.label == label))
            .and_then(Option::take)
            .ok_or_else(|| GpuError::Shape(format!("no buffer '{label}' in the plan (or taken twice)")))
    }

    /// `take`, for a buffer planned only when `planned`.
    pub fn take_if(&mut self, planned: bool, label: &str) -> Result<Option<Tensor>> {
        if planned {
            self.take(label).map(Some)
        } else {
            Ok(None)
        }
    }
}
