//! GPT-2 checkpoints: safetensors bytes -> validated host tensors -> GPU tensors.
//!
//! This is the one place that knows checkpoint names. Weights keep the checkpoint's Conv1D
//! layout (W is [in, out]), which the matmul kernels read directly. Names are accepted with or
//! without the `transformer.` prefix (save_pretrained writes it; OpenAI's original checkpoint
//! does not); lm_head.weight may be absent (tied to wte) or present and equal to wte. The
//! attention-mask buffers some checkpoints carry (attn.bias, attn.masked_bias) are ignored.
//! Every other name, a missing tensor, a wrong shape or a non-float dtype is refused, naming it.

use std::collections::BTreeMap;

use safetensors::{Dtype, SafeTensors};

use super::Gpt2Config;
use crate::error::{Error, Result};
use crate::gpu::{DType, Gpu, Tensor};

/// One tensor on the host, converted to f32.
pub struct HostTensor {
    pub shape: Vec<usize>,
    pub data: Vec<f32>,
}

/// A validated checkpoint on the host, by canonical name (no `transformer.` prefix).
pub struct Checkpoint {
    pub tensors: BTreeMap<String, HostTensor>,
}

/// Canonical names and shapes of every tensor a GPT-2 of `cfg` has.
pub fn expected_tensors(cfg: &Gpt2Config) -> Vec<(String, Vec<usize>)> {
    let (c, f, v, p) = (cfg.n_embd, cfg.n_inner, cfg.vocab_size, cfg.n_positions);
    let mut out = vec![
        ("wte.weight".to_string(), vec![v, c]),
        ("wpe.weight".to_string(), vec![p, c]),
        ("ln_f.weight".to_string(), vec![c]),
        ("ln_f.bias".to_string(), vec![c]),
    ];
    for i in 0..cfg.n_layer {
        for (name, shape) in [
            ("ln_1.weight", vec![c]),
            ("ln_1.bias", vec![c]),
            ("attn.c_attn.weight", vec![c, 3 * c]),
            ("attn.c_attn.bias", vec![3 * c]),
            ("attn.c_proj.weight", vec![c, c]),
            ("attn.c_proj.bias", vec![c]),
            ("ln_2.weight", vec![c]),
            ("ln_2.bias", vec![c]),
            ("mlp.c_fc.weight", vec![c, f]),
            ("mlp.c_fc.bias", vec![f]),
            ("mlp.c_proj.weight", vec![f, c]),
            ("mlp.c_proj.bias", vec![c]),
        ] {
            out.push((format!("h.{i}.{name}"), shape));
        }
    }
    out
}

fn is_mask_buffer(name: &str) -> bool {
    name.ends_with(".attn.bias") || name.ends_with(".attn.masked_bias")
}

/// Convert one safetensors view to f32, refusing anything but F32, F16 and BF16.
fn to_f32(name: &str, view: &safetensors::tensor::TensorView<'_>) -> Result<Vec<f32>> {
    let bytes = view.data();
    Ok(match view.dtype() {
        Dtype::F32 => bytemuck::pod_collect_to_vec::<u8, f32>(bytes),
        Dtype::F16 => {
            bytes.chunks_exact(2).map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32()).collect()
        }
        Dtype::BF16 => {
            bytes.chunks_exact(2).map(|b| half::bf16::from_le_bytes([b[0], b[1]]).to_f32()).collect()
        }
        other => {
            return Err(Error::model(format!(
                "tensor '{name}' has dtype {other:?}; only F32, F16 and BF16 weights are supported"
            )))
        }
    })
}

impl Checkpoint {
    /// Random weights for a GPT-2 of `cfg`, as GPT-2 initialises them: N(0, 0.02) matrices and
    /// embeddings (uniform with that spread here; a ChaCha8 stream from `seed`), layernorm gains
    /// 1, biases 0. For benchmarks and the page's offline demo.
    pub fn random(cfg: &Gpt2Config, seed: u64) -> Checkpoint {
        use rand_chacha::rand_core::{RngCore, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        // Uniform on [-a, a) with a = 0.02·√3 has standard deviation 0.02.
        let a = 0.02 * 3f32.sqrt();
        let mut tensors = BTreeMap::new();
        for (name, shape) in expected_tensors(cfg) {
            let n: usize = shape.iter().product();
            let data = if name.contains("ln_") && name.ends_with(".weight") {
                vec![1.0; n]
            } else if name.ends_with(".bias") {
                vec![0.0; n]
            } else {
                (0..n).map(|_| a * ((rng.next_u32() >> 8) as f32 / (1u32 << 23) as f32 - 1.0)).collect()
            };
            tensors.insert(name, HostTensor { shape, data });
        }
        Checkpoint { tensors }
    }

    /// This checkpoint as a model.safetensors in f32 with save_pretrained's names
    /// (`transformer.` prefix, lm_head left tied) and metadata format=pt.
    pub fn to_safetensors(&self) -> Result<Vec<u8>> {
        let views = self
            .tensors
            .iter()
            .map(|(name, t)| {
                safetensors::tensor::TensorView::new(
                    safetensors::Dtype::F32,
                    t.shape.clone(),
                    bytemuck::cast_slice(&t.data),
                )
                .map(|v| (format!("transformer.{name}"), v))
                .map_err(|e| Error::model(e.to_string()))
            })
            .collect::<Result<Vec<_>>>()?;
        let meta = Some([("format".to_string(), "pt".to_string())].into_iter().collect());
        safetensors::serialize(views, meta).map_err(|e| Error::model(e.to_string()))
    }

    /// Parse and validate a model.safetensors against `cfg`.
    pub fn from_safetensors(cfg: &Gpt2Config, bytes: &[u8]) -> Result<Checkpoint> {
        let st = SafeTensors::deserialize(bytes)
            .map_err(|e| Error::model(format!("model.safetensors is not a valid safetensors file: {e}")))?;
        let expected: BTreeMap<String, Vec<usize>> = expected_tensors(cfg).into_iter().collect();

        let mut tensors = BTreeMap::new();
        let mut lm_head = None;
        let mut names: Vec<_> = st.names().into_iter().map(str::to_string).collect();
        names.sort();
        for key in names {
            let name = key.strip_prefix("transformer.").unwrap_or(&key).to_string();
            if is_mask_buffer(&name) {
                continue;
            }
            let view = st.tensor(&key).map_err(|e| Error::model(format!("tensor '{key}': {e}")))?;
            if name == "lm_head.weight" {
                lm_head = Some((key.clone(), view.shape().to_vec(), to_f32(&key, &view)?));
                continue;
            }
            let Some(shape) = expected.get(&name) else {
                return Err(Error::model(format!(
                    "unexpected tensor '{key}' for a GPT-2 with {} layers (is this a GPT-2 checkpoint?)",
                    cfg.n_layer
                )));
            };
            if view.shape() != shape.as_slice() {
                return Err(Error::model(format!(
                    "tensor '{key}' has shape {:?}; config.json implies {shape:?}",
                    view.shape()
                )));
            }
            let data = to_f32(&key, &view)?;
            if tensors.insert(name.clone(), HostTensor { shape: shape.clone(), data }).is_some() {
                return Err(Error::model(format!(
                    "tensor '{name}' appears twice (with and without the transformer. prefix)"
                )));
            }
        }
        for name in expected.keys() {
            if !tensors.contains_key(name) {
                return Err(Error::model(format!("tensor '{name}' is missing from model.safetensors")));
            }
        }
        if let Some((key, shape, data)) = lm_head {
            let wte = &tensors["wte.weight"];
            if shape != wte.shape || data != wte.data {
                return Err(Error::model(format!(
                    "'{key}' differs from wte.weight: only GPT-2 with its lm_head tied to wte is supported"
                )));
            }
        }
        Ok(Checkpoint { tensors })
    }

    pub fn get(&self, name: &str) -> &HostTensor {
        &self.tensors[name]
    }
}

/// How frozen weight matrices (wte and the four per-block products) are stored on the GPU.
/// Computation is f32 either way; f16 halves their memory and needs shader-f16. Layernorm
/// parameters, biases and wpe stay f32 (they are small).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WeightDtype {
    #[default]
    F32,
    F16,
}

/// A weight matrix in the chosen storage.
async fn upload_matrix(
    gpu: &Gpu,
    label: &str,
    shape: &[usize],
    data: &[f32],
    dtype: WeightDtype,
) -> Result<Tensor> {
    Ok(match dtype {
        WeightDtype::F32 => Tensor::from_slice(gpu, label, shape, DType::F32, data).await?,
        WeightDtype::F16 => {
            let halves: Vec<u16> = data.iter().map(|&x| half::f16::from_f32(x).to_bits()).collect();
            Tensor::from_slice(gpu, label, shape, DType::F16, &halves).await?
        }
    })
}

/// One transformer block's frozen weights on the GPU.
pub struct LayerWeights {
    pub ln_1_w: Tensor,      // (C)
    pub ln_1_b: Tensor,      // (C)
    pub c_attn_w: Tensor,    // (C, 3C)
    pub c_attn_b: Tensor,    // (3C)
    pub attn_proj_w: Tensor, // (C, C)
    pub attn_proj_b: Tensor, // (C)
    pub ln_2_w: Tensor,      // (C)
    pub ln_2_b: Tensor,      // (C)
    pub c_fc_w: Tensor,      // (C, F)
    pub c_fc_b: Tensor,      // (F)
    pub mlp_proj_w: Tensor,  // (F, C)
    pub mlp_proj_b: Tensor,  // (C)
}

/// All frozen weights on the GPU.
pub struct Weights {
    /// wte (V, C) as row ranges (first row, (rows, C)), each within one storage binding.
    pub wte: Vec<(usize, Tensor)>,
    pub wpe: Tensor, // (n_positions, C)
    pub layers: Vec<LayerWeights>,
    pub ln_f_w: Tensor, // (C)
    pub ln_f_b: Tensor, // (C)
}

impl Weights {
    /// Upload a checkpoint. wte is split into row ranges that each fit one storage binding.
    pub async fn upload(gpu: &Gpu, cfg: &Gpt2Config, ck: &Checkpoint, dtype: WeightDtype) -> Result<Weights> {
        let max_bytes = gpu.limits.max_storage_buffer_binding_size.min(gpu.limits.max_buffer_size);
        let elem = if dtype == WeightDtype::F16 { 2 } else { 4 };
        let rows = (max_bytes / (cfg.n_embd as u64 * elem)).max(1) as usize;
        Weights::upload_with_wte_rows(gpu, cfg, ck, rows, dtype).await
    }

    /// As [`Weights::upload`], with wte split into ranges of at most `rows_per_chunk` rows
    /// (tests use it to exercise the split on small models).
    pub async fn upload_with_wte_rows(
        gpu: &Gpu,
        cfg: &Gpt2Config,
        ck: &Checkpoint,
        rows_per_chunk: usize,
        dtype: WeightDtype,
    ) -> Result<Weights> {
        if dtype == WeightDtype::F16 && !gpu.has_f16() {
            return Err(Error::Gpu(crate::gpu::GpuError::Unsupported(format!(
                "f16 weights need the shader-f16 feature, which the adapter '{}' lacks; use f32 weights",
                gpu.report.name
            ))));
        }
        // Small tensors (layernorm, biases, wpe) stay f32.
        let up = |name: String| async move {
            let t = ck.get(&name);
            Tensor::from_slice(gpu, &name, &t.shape, DType::F32, &t.data).await
        };
        let matrix = |name: String| async move {
            let t = ck.get(&name);
            upload_matrix(gpu, &name, &t.shape, &t.data, dtype).await
        };
        let c = cfg.n_embd;
        let wte_host = ck.get("wte.weight");
        let rows_per_chunk = rows_per_chunk.max(1);
        let mut wte = Vec::new();
        for v0 in (0..cfg.vocab_size).step_by(rows_per_chunk) {
            let rows = rows_per_chunk.min(cfg.vocab_size - v0);
            let data = &wte_host.data[v0 * c..(v0 + rows) * c];
            let label = format!("wte.weight[{v0}..{}]", v0 + rows);
            wte.push((v0, upload_matrix(gpu, &label, &[rows, c], data, dtype).await?));
        }
        let mut layers = Vec::with_capacity(cfg.n_layer);
        for i in 0..cfg.n_layer {
            let n = |s: &str| format!("h.{i}.{s}");
            layers.push(LayerWeights {
                ln_1_w: up(n("ln_1.weight")).await?,
                ln_1_b: up(n("ln_1.bias")).await?,
                c_attn_w: matrix(n("attn.c_attn.weight")).await?,
                c_attn_b: up(n("attn.c_attn.bias")).await?,
                attn_proj_w: matrix(n("attn.c_proj.weight")).await?,
                attn_proj_b: up(n("attn.c_proj.bias")).await?,
                ln_2_w: up(n("ln_2.weight")).await?,
                ln_2_b: up(n("ln_2.bias")).await?,
                c_fc_w: matrix(n("mlp.c_fc.weight")).await?,
                c_fc_b: up(n("mlp.c_fc.bias")).await?,
                mlp_proj_w: matrix(n("mlp.c_proj.weight")).await?,
                mlp_proj_b: up(n("mlp.c_proj.bias")).await?,
            });
        }
        Ok(Weights {
            wte,
            wpe: up("wpe.weight".into()).await?,
            layers,
            ln_f_w: up("ln_f.weight".into()).await?,
            ln_f_b: up("ln_f.bias".into()).await?,
        })
    }
}
