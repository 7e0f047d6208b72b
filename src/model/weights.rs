//! GPT-2 checkpoints: safetensors bytes -> validated host tensors -> GPU tensors.
//!
//! A model.safetensors is read through [`SafetensorsFile`]: its header is parsed and checked
//! against config.json first, and each tensor's bytes are fetched only when it is converted, so
//! a caller can upload one tensor at a time without holding the whole file in memory (the page
//! reads gpt2-xl's 6.4 GB that way from a JavaScript buffer). [`Checkpoint`] is the same file
//! with every tensor converted to f32 on the host (merging, tests).
//!
//! This is the one place that knows checkpoint names. Weights keep the checkpoint's Conv1D
//! layout (W is [in, out]), which the matmul kernels read directly. Names are accepted with or
//! without the `transformer.` prefix (save_pretrained writes it; OpenAI's original checkpoint
//! does not); lm_head.weight may be absent (tied to wte) or present and equal to wte. The
//! attention-mask buffers some checkpoints carry (attn.bias, attn.masked_bias) are ignored.
//! Every other name, a missing tensor, a wrong shape or a non-float dtype is refused, naming it.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::quant::{Q4Kind, Quant4};
use super::Gpt2Config;
use crate::error::{Error, Result};
use crate::gpu::{BufferPlan, DType, Gpu, Tensor};
use crate::nn::{Attention, Block, Conv1D, LayerNorm, LmHead, Mlp};

/// Whether checkpoint tensor `name` is one of the Conv1D matrices (stored as
/// [`WeightDtype::matrices`]).
fn is_conv1d_weight(name: &str) -> bool {
    name.ends_with(".weight") && [".attn.c_", ".mlp.c_"].iter().any(|m| name.contains(m))
}

/// One tensor on the host, converted to f32.
#[derive(Debug, Clone, PartialEq)]
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

/// Convert one tensor's little-endian bytes to f32, refusing anything but F32, F16 and BF16.
fn to_f32(key: &str, dtype: &str, bytes: &[u8]) -> Result<Vec<f32>> {
    finite(
        key,
        match dtype {
            "F32" => bytemuck::pod_collect_to_vec::<u8, f32>(bytes),
            "F16" => bytes.chunks_exact(2).map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32()).collect(),
            "BF16" => {
                bytes.chunks_exact(2).map(|b| half::bf16::from_le_bytes([b[0], b[1]]).to_f32()).collect()
            }
            other => {
                return Err(Error::model(format!(
                    "tensor '{key}' has dtype {other}; only F32, F16 and BF16 weights are supported"
                )))
            }
        },
    )
}

/// `data` if every value of tensor `key` is finite: a NaN or infinity in a weight would turn every
/// loss and output into NaN, so it is refused at load, named.
pub(crate) fn finite(key: &str, data: Vec<f32>) -> Result<Vec<f32>> {
    match data.iter().position(|x| !x.is_finite()) {
        None => Ok(data),
        Some(i) => Err(Error::model(format!(
            "tensor '{key}' holds {} at element {i} (of {}): the file is damaged",
            data[i],
            data.len()
        ))),
    }
}

/// Check that a safetensors header (a JSON object) names no tensor twice: JSON parsers keep the
/// last of two equal keys, which would let one name stand for two byte ranges.
pub(crate) fn unique_keys(header: &[u8]) -> std::result::Result<(), String> {
    use serde::de::{Deserializer, Error as _, IgnoredAny, MapAccess, Visitor};
    struct Keys;
    impl<'de> Visitor<'de> for Keys {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                map.next_value::<IgnoredAny>()?;
                if !seen.insert(key.clone()) {
                    return Err(A::Error::custom(format!("'{key}' appears twice")));
                }
            }
            Ok(())
        }
    }
    serde_json::Deserializer::from_slice(header).deserialize_map(Keys).map_err(|e| e.to_string())
}

/// Bytes per element of a safetensors dtype (None for a name this crate does not know).
fn dtype_size(dtype: &str) -> Option<usize> {
    Some(match dtype {
        "BOOL" | "U8" | "I8" | "F8_E5M2" | "F8_E4M3" => 1,
        "I16" | "U16" | "F16" | "BF16" => 2,
        "I32" | "U32" | "F32" => 4,
        "I64" | "U64" | "F64" => 8,
        _ => return None,
    })
}

/// Where checkpoint tensors come from when weights are uploaded: all converted in memory
/// ([`Checkpoint`]) or read one at a time ([`SafetensorsFile`]).
// The futures are not Send: wasm is single-threaded, and natively they are polled in place.
#[allow(async_fn_in_trait)]
pub trait TensorSource {
    /// The tensor of canonical name `name` (no `transformer.` prefix), as f32.
    async fn tensor(&self, name: &str) -> Result<Cow<'_, HostTensor>>;
}

impl TensorSource for Checkpoint {
    async fn tensor(&self, name: &str) -> Result<Cow<'_, HostTensor>> {
        self.tensors
            .get(name)
            .map(Cow::Borrowed)
            .ok_or_else(|| Error::model(format!("tensor '{name}' is missing from the checkpoint")))
    }
}

/// One tensor of a safetensors file: its key as written, dtype, shape, and byte range in the
/// file. Offsets are u64: a gpt2-xl file is 6.4 GB, past wasm32's usize.
#[derive(Debug, Clone)]
struct Entry {
    key: String,
    dtype: String,
    shape: Vec<usize>,
    range: (u64, u64),
}

impl Entry {
    /// Bytes of the tensor (one tensor always fits in memory; the file need not).
    fn len(&self) -> Result<usize> {
        usize::try_from(self.range.1 - self.range.0)
            .map_err(|_| Error::model(format!("tensor '{}' is too large for this platform", self.key)))
    }
}

fn not_safetensors(why: impl std::fmt::Display) -> Error {
    Error::model(format!("model.safetensors is not a valid safetensors file: {why}"))
}

/// A safetensors header checked against a config: the tensors by canonical name.
struct Index {
    entries: BTreeMap<String, Entry>,
    lm_head: Option<Entry>,
}

impl Index {
    /// Where the header ends, from the file's first 8 bytes.
    fn header_end(first8: &[u8], file_len: u64) -> Result<u64> {
        let n = u64::from_le_bytes(
            first8
                .try_into()
                .map_err(|_| not_safetensors(format!("{file_len} bytes is too short for a header")))?,
        );
        match n.checked_add(8).filter(|&e| e <= file_len && n <= 100 << 20) {
            Some(end) => Ok(end),
            None => Err(not_safetensors(format!("a header of {n} bytes does not fit in {file_len}"))),
        }
    }

    /// Parse the JSON header and check names, shapes and byte ranges against `cfg`: every
    /// expected tensor once, nothing unexpected (attention-mask buffers aside).
    fn parse(cfg: &Gpt2Config, file_len: u64, header_end: u64, header: &[u8]) -> Result<Index> {
        unique_keys(header).map_err(|e| not_safetensors(format!("header: {e}")))?;
        let header: BTreeMap<String, serde_json::Value> =
            serde_json::from_slice(header).map_err(|e| not_safetensors(format!("header: {e}")))?;
        let data_len = file_len - header_end;
        let mut raw = Vec::new();
        for (key, v) in header {
            if key == "__metadata__" {
                continue;
            }
            let bad = |what: &str| not_safetensors(format!("tensor '{key}': {what}"));
            let dtype = v["dtype"].as_str().ok_or_else(|| bad("no dtype"))?.to_string();
            let shape: Vec<usize> =
                serde_json::from_value(v["shape"].clone()).map_err(|_| bad("bad shape"))?;
            let (start, end): (u64, u64) =
                serde_json::from_value(v["data_offsets"].clone()).map_err(|_| bad("bad data_offsets"))?;
            if start > end || end > data_len {
                return Err(bad(&format!("bytes {start}..{end} are outside the file's {data_len}")));
            }
            let numel =
                shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d)).ok_or_else(|| bad("too large"))?;
            if dtype_size(&dtype)
                .is_some_and(|size| (numel as u64).checked_mul(size as u64) != Some(end - start))
            {
                return Err(bad(&format!("{} bytes for {dtype} {shape:?}", end - start)));
            }
            raw.push(Entry { key, dtype, shape, range: (header_end + start, header_end + end) });
        }
        // As the format requires (and the safetensors crate checks): the tensors tile the data,
        // in order of their offsets, with no gap and no overlap.
        raw.sort_by_key(|e| e.range);
        let mut at = header_end;
        for e in &raw {
            if e.range.0 != at {
                let what =
                    if e.range.0 < at { "overlap the tensor before them" } else { "leave a gap before them" };
                return Err(not_safetensors(format!(
                    "tensor '{}': bytes {}..{} {what}",
                    e.key,
                    e.range.0 - header_end,
                    e.range.1 - header_end
                )));
            }
            at = e.range.1;
        }
        if at != file_len {
            return Err(not_safetensors(format!(
                "the tensors end at byte {} of {data_len}",
                at - header_end
            )));
        }

        let expected: BTreeMap<String, Vec<usize>> = expected_tensors(cfg).into_iter().collect();
        let mut entries = BTreeMap::new();
        let mut lm_head = None;
        for e in raw {
            let name = e.key.strip_prefix("transformer.").unwrap_or(&e.key).to_string();
            if is_mask_buffer(&name) {
                continue;
            }
            if name == "lm_head.weight" {
                lm_head = Some(e);
                continue;
            }
            let Some(shape) = expected.get(&name) else {
                return Err(Error::model(format!(
                    "unexpected tensor '{}' for a GPT-2 with {} layers (is this a GPT-2 checkpoint?)",
                    e.key, cfg.n_layer
                )));
            };
            if e.shape != *shape {
                return Err(Error::model(format!(
                    "tensor '{}' has shape {:?}; config.json implies {shape:?}",
                    e.key, e.shape
                )));
            }
            if entries.insert(name.clone(), e).is_some() {
                return Err(Error::model(format!(
                    "tensor '{name}' appears twice (with and without the transformer. prefix)"
                )));
            }
        }
        if let Some(name) = expected.keys().find(|name| !entries.contains_key(*name)) {
            return Err(Error::model(format!("tensor '{name}' is missing from model.safetensors")));
        }
        Ok(Index { entries, lm_head })
    }

    fn entry(&self, name: &str) -> Result<&Entry> {
        self.entries
            .get(name)
            .ok_or_else(|| Error::model(format!("tensor '{name}' is missing from model.safetensors")))
    }

    /// Only a GPT-2 whose lm_head is wte is supported: an lm_head.weight must equal it.
    fn check_lm_head(e: &Entry, lm_head: &[u8], wte: &HostTensor) -> Result<()> {
        if e.shape != wte.shape || to_f32(&e.key, &e.dtype, lm_head)? != wte.data {
            return Err(Error::model(format!(
                "'{}' differs from wte.weight: only GPT-2 with its lm_head tied to wte is supported",
                e.key
            )));
        }
        Ok(())
    }
}

/// A pending read of a model.safetensors' bytes.
pub type ReadFuture<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Vec<u8>>> + 'a>>;
/// Reads `len` bytes at `offset` of a model.safetensors (from a file, a Blob, ...).
pub type ReadBytes<'a> = Box<dyn Fn(u64, usize) -> ReadFuture<'a> + 'a>;

/// Reads from a model.safetensors held in memory.
pub fn read_slice(bytes: &[u8]) -> ReadBytes<'_> {
    Box::new(move |offset, len| {
        let got = usize::try_from(offset)
            .ok()
            .and_then(|offset| bytes.get(offset..offset.checked_add(len)?))
            .map(<[u8]>::to_vec)
            .ok_or_else(|| not_safetensors(format!("bytes {offset}..+{len} are past its end")));
        Box::pin(std::future::ready(got))
    })
}

/// A model.safetensors whose header has been checked against a config, read tensor by tensor.
pub struct SafetensorsFile<'a> {
    index: Index,
    read: ReadBytes<'a>,
}

impl<'a> SafetensorsFile<'a> {
    /// A file of `file_len` bytes read through `read`. Only the header (and lm_head with wte,
    /// when the file has an lm_head) is read here.
    pub async fn open(cfg: &Gpt2Config, file_len: u64, read: ReadBytes<'a>) -> Result<SafetensorsFile<'a>> {
        let first8 = if file_len >= 8 { read(0, 8).await? } else { Vec::new() };
        let header_end = Index::header_end(&first8, file_len)?;
        // header_end ≤ 8 + 100 MiB: it fits a usize.
        let header = read(8, (header_end - 8) as usize).await?;
        let index = Index::parse(cfg, file_len, header_end, &header)?;
        let file = SafetensorsFile { index, read };
        if let Some(e) = &file.index.lm_head {
            let wte = file.tensor("wte.weight").await?;
            Index::check_lm_head(e, &(file.read)(e.range.0, e.len()?).await?, &wte)?;
        }
        Ok(file)
    }
}

impl TensorSource for SafetensorsFile<'_> {
    async fn tensor(&self, name: &str) -> Result<Cow<'_, HostTensor>> {
        let e = self.index.entry(name)?;
        let bytes = (self.read)(e.range.0, e.len()?).await?;
        Ok(Cow::Owned(HostTensor { shape: e.shape.clone(), data: to_f32(&e.key, &e.dtype, &bytes)? }))
    }
}

/// GPT-2's initialisation of tensor `name` with `n` elements: layernorm gains 1, biases 0, and
/// `random()` (std 0.02) for the matrices and embeddings.
pub fn init_tensor(name: &str, n: usize, random: impl FnOnce() -> Vec<f32>) -> Vec<f32> {
    if name.contains("ln_") && name.ends_with(".weight") {
        vec![1.0; n]
    } else if name.ends_with(".bias") {
        vec![0.0; n]
    } else {
        random()
    }
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
            let data = init_tensor(&name, n, || {
                (0..n).map(|_| a * ((rng.next_u32() >> 8) as f32 / (1u32 << 23) as f32 - 1.0)).collect()
            });
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

    /// Parse and validate a model.safetensors against `cfg`, converting every tensor to f32.
    pub fn from_safetensors(cfg: &Gpt2Config, bytes: &[u8]) -> Result<Checkpoint> {
        let header_end = Index::header_end(bytes.get(..8).unwrap_or(&[]), bytes.len() as u64)?;
        let index = Index::parse(cfg, bytes.len() as u64, header_end, &bytes[8..header_end as usize])?;
        // Ranges were checked against bytes.len(), so they fit a usize here.
        let slice = |e: &Entry| &bytes[e.range.0 as usize..e.range.1 as usize];
        let mut tensors = BTreeMap::new();
        for (name, e) in &index.entries {
            let data = to_f32(&e.key, &e.dtype, slice(e))?;
            tensors.insert(name.clone(), HostTensor { shape: e.shape.clone(), data });
        }
        if let Some(e) = &index.lm_head {
            Index::check_lm_head(e, slice(e), &tensors["wte.weight"])?;
        }
        Ok(Checkpoint { tensors })
    }

    pub fn get(&self, name: &str) -> &HostTensor {
        &self.tensors[name]
    }
}

/// How one kind of frozen weight is stored on the GPU. Computation is f32 whatever the storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(not(target_arch = "wasm32"), derive(clap::ValueEnum))]
pub enum Storage {
    #[default]
    F32,
    /// Half the memory; needs the adapter's shader-f16.
    F16,
    /// 4-bit NormalFloat, as bitsandbytes' Linear4bit with quant_type "nf4" (QLoRA).
    Nf4,
    /// 4-bit float, as bitsandbytes' quant_type "fp4".
    Fp4,
}

impl Storage {
    pub fn name(self) -> &'static str {
        match self {
            Storage::F32 => "f32",
            Storage::F16 => "f16",
            Storage::Nf4 => "nf4",
            Storage::Fp4 => "fp4",
        }
    }

    /// The 4-bit type, for nf4 and fp4.
    pub fn q4(self) -> Option<Q4Kind> {
        match self {
            Storage::Nf4 => Some(Q4Kind::Nf4),
            Storage::Fp4 => Some(Q4Kind::Fp4),
            _ => None,
        }
    }

    fn dtype(self) -> DType {
        match self {
            Storage::F32 => DType::F32,
            Storage::F16 => DType::F16,
            Storage::Nf4 => DType::Nf4,
            Storage::Fp4 => DType::Fp4,
        }
    }
}

/// How the frozen weights are stored on the GPU: the four per-block products (`matrices`: f32,
/// f16, or 4-bit as bitsandbytes quantizes them, optionally with double quantization) and wte
/// (`embeddings`: f32 or f16; bitsandbytes leaves embeddings unquantized). Layernorm
/// parameters, biases and wpe stay f32 (they are small).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct WeightDtype {
    pub matrices: Storage,
    pub embeddings: Storage,
    /// bnb_4bit_use_double_quant: the 4-bit block scales quantized again (4-bit matrices only).
    pub double_quant: bool,
}

impl WeightDtype {
    pub const F32: WeightDtype =
        WeightDtype { matrices: Storage::F32, embeddings: Storage::F32, double_quant: false };
    pub const F16: WeightDtype =
        WeightDtype { matrices: Storage::F16, embeddings: Storage::F16, double_quant: false };

    /// The storage a user asks for: `matrices` for the products, `embeddings` for wte (default:
    /// f16 with f16 matrices, else f32), double quantization for 4-bit matrices. Refuses what
    /// cannot be: 4-bit embeddings, double quantization of matrices that are not 4-bit.
    pub fn new(matrices: Storage, embeddings: Option<Storage>, double_quant: bool) -> Result<WeightDtype> {
        let embeddings =
            embeddings.unwrap_or(if matrices == Storage::F16 { Storage::F16 } else { Storage::F32 });
        if embeddings.q4().is_some() {
            return Err(Error::model(format!(
                "embeddings cannot be stored as {}: bitsandbytes quantizes only the linear layers; use f32 or f16",
                embeddings.name()
            )));
        }
        if double_quant && matrices.q4().is_none() {
            return Err(Error::model(format!(
                "double quantization applies to 4-bit weights (nf4, fp4), not {}",
                matrices.name()
            )));
        }
        Ok(WeightDtype { matrices, embeddings, double_quant })
    }

    /// Where checkpoint tensor `name` goes: wte as `embeddings`, the Conv1D matrices as
    /// `matrices`, the rest f32.
    fn storage_of(self, name: &str) -> Storage {
        if name == "wte.weight" {
            self.embeddings
        } else if is_conv1d_weight(name) {
            self.matrices
        } else {
            Storage::F32
        }
    }

    /// Whether any tensor needs shader-f16.
    pub fn needs_f16(self) -> bool {
        self.matrices == Storage::F16 || self.embeddings == Storage::F16
    }

    /// One word for people: "f32", "f16", "nf4", "nf4 + double quant, f16 embeddings" ...
    pub fn describe(self) -> String {
        let mut s = self.matrices.name().to_string();
        if self.double_quant {
            s += " + double quant";
        }
        if self.embeddings != self.matrices {
            s += &format!(", {} embeddings", self.embeddings.name());
        }
        s
    }
}

/// A weight tensor in the chosen storage.
async fn upload_matrix(
    gpu: &Gpu,
    label: &str,
    shape: &[usize],
    data: &[f32],
    storage: Storage,
    double_quant: bool,
) -> Result<Tensor> {
    Ok(match storage {
        Storage::F32 => Tensor::from_slice(gpu, label, shape, DType::F32, data).await?,
        Storage::F16 => {
            let halves: Vec<u16> = data.iter().map(|&x| half::f16::from_f32(x).to_bits()).collect();
            Tensor::from_slice(gpu, label, shape, DType::F16, &halves).await?
        }
        Storage::Nf4 | Storage::Fp4 => {
            let (Some(kind), &[k, n]) = (storage.q4(), shape) else {
                return Err(Error::model(format!("'{label}' {shape:?} is not a matrix to quantize")));
            };
            let q = Quant4::conv1d(data, k, n, kind, double_quant)?;
            Tensor::from_slice(gpu, label, shape, storage.dtype(), &q.gpu_words()).await?
        }
    })
}

/// All frozen weights on the GPU, named as in the checkpoint (h.{i}.attn.c_attn is
/// `h[i].attn.c_attn`).
pub struct Weights {
    /// wte (V, C) as row ranges (first row, (rows, C)), each within one storage binding.
    pub wte: Vec<(usize, Tensor)>,
    pub wpe: Tensor, // (n_positions, C)
    pub h: Vec<Block>,
    pub ln_f: LayerNorm,
}

impl Weights {
    /// GPU memory the weights hold.
    pub fn bytes(&self) -> u64 {
        let wte: u64 = self.wte.iter().map(|(_, t)| t.bytes()).sum();
        let blocks: u64 = self.h.iter().flat_map(Block::tensors).map(Tensor::bytes).sum();
        wte + blocks + self.wpe.bytes() + self.ln_f.tensors().map(Tensor::bytes).sum::<u64>()
    }

    /// Every weight tensor a model of `cfg` uploads with `dtype` (wte whole: the upload splits
    /// it into row ranges of the same total).
    pub fn plan(cfg: &Gpt2Config, dtype: WeightDtype) -> BufferPlan {
        let mut p = BufferPlan::new();
        for (name, shape) in expected_tensors(cfg) {
            let stored = dtype.storage_of(&name).dtype();
            p.push(name, &shape, stored);
        }
        p
    }

    /// lm_head, tied to wte.
    pub fn lm_head(&self) -> LmHead<'_> {
        LmHead { wte: &self.wte }
    }

    /// Upload a checkpoint. wte is split into row ranges that each fit one storage binding.
    pub async fn upload(
        gpu: &Gpu,
        cfg: &Gpt2Config,
        ck: &impl TensorSource,
        dtype: WeightDtype,
    ) -> Result<Weights> {
        let max_bytes = gpu.limits.max_storage_buffer_binding_size.min(gpu.limits.max_buffer_size);
        let elem = if dtype.embeddings == Storage::F16 { 2 } else { 4 };
        let rows = (max_bytes / (cfg.n_embd as u64 * elem)).max(1) as usize;
        // Ranges start at multiples of 4 rows, so lm_head's backward product reads the logit
        // gradients' columns as vec4 (kernels::matmul, Layout::Nn4).
        let rows = if rows >= 4 { rows / 4 * 4 } else { rows };
        Weights::upload_with_wte_rows(gpu, cfg, ck, rows, dtype).await
    }

    /// As [`Weights::upload`], with wte split into ranges of at most `rows_per_chunk` rows
    /// (tests use it to exercise the split on small models).
    pub async fn upload_with_wte_rows(
        gpu: &Gpu,
        cfg: &Gpt2Config,
        ck: &impl TensorSource,
        rows_per_chunk: usize,
        dtype: WeightDtype,
    ) -> Result<Weights> {
        if dtype.needs_f16() && !gpu.has_f16() {
            return Err(Error::Gpu(crate::gpu::GpuError::Unsupported(format!(
                "f16 weights need the shader-f16 feature, which the adapter '{}' lacks; use f32 weights",
                gpu.report.name
            ))));
        }
        // One tensor at a time: from a SafetensorsFile, each is read, converted, uploaded and
        // dropped before the next. Small tensors (layernorm, biases, wpe) stay f32.
        let up = |name: String| async move {
            let t = ck.tensor(&name).await?;
            let storage = dtype.storage_of(&name);
            let uploaded = upload_matrix(gpu, &name, &t.shape, &t.data, storage, dtype.double_quant).await?;
            gpu.flush()?; // free this tensor's staging copy before the next
            Ok::<_, Error>(uploaded)
        };
        let c = cfg.n_embd;
        let wte_host = ck.tensor("wte.weight").await?;
        let rows_per_chunk = rows_per_chunk.max(1);
        let mut wte = Vec::new();
        for v0 in (0..cfg.vocab_size).step_by(rows_per_chunk) {
            let rows = rows_per_chunk.min(cfg.vocab_size - v0);
            let data = &wte_host.data[v0 * c..(v0 + rows) * c];
            let label = format!("wte.weight[{v0}..{}]", v0 + rows);
            wte.push((v0, upload_matrix(gpu, &label, &[rows, c], data, dtype.embeddings, false).await?));
            gpu.flush()?;
        }
        let eps = cfg.layer_norm_epsilon;
        let ln = |name: String| async move {
            Ok::<_, Error>(LayerNorm {
                weight: up(format!("{name}.weight")).await?,
                bias: up(format!("{name}.bias")).await?,
                eps,
            })
        };
        let conv = |name: String| async move {
            Ok::<_, Error>(Conv1D {
                weight: up(format!("{name}.weight")).await?,
                bias: up(format!("{name}.bias")).await?,
            })
        };
        let mut h = Vec::with_capacity(cfg.n_layer);
        for i in 0..cfg.n_layer {
            let n = |s: &str| format!("h.{i}.{s}");
            h.push(Block {
                ln_1: ln(n("ln_1")).await?,
                attn: Attention {
                    c_attn: conv(n("attn.c_attn")).await?,
                    c_proj: conv(n("attn.c_proj")).await?,
                    n_head: cfg.n_head,
                    scale: cfg.attn_scale(i),
                },
                ln_2: ln(n("ln_2")).await?,
                mlp: Mlp { c_fc: conv(n("mlp.c_fc")).await?, c_proj: conv(n("mlp.c_proj")).await? },
            });
        }
        Ok(Weights { wte, wpe: up("wpe.weight".into()).await?, h, ln_f: ln("ln_f".into()).await? })
    }
}
