//! 4-bit weights as bitsandbytes makes them: `Linear4bit` with `bnb_4bit_quant_type` "nf4" or
//! "fp4", blocks of 64, and optionally `bnb_4bit_use_double_quant` (the block scales quantized
//! again to 8 bits in blocks of 256).
//!
//! The arithmetic is bitsandbytes 0.50's CPU path, operation for operation, so that the values
//! a product sees are bit-identical to `bitsandbytes.functional.dequantize_4bit`'s:
//! - 4-bit (`backends/default/ops.py`, quantize_4bit): absmax per block of 64 of the flattened
//!   tensor; values scaled by `1 / max(absmax, 1e-38)` (the last, partial block divides by its
//!   clamped absmax instead); the code is the number of the type's sorted midpoints below the
//!   scaled value (torch.bucketize), mapped back through the type's sort order for fp4.
//!   Dequantized: `code[q] * absmax` in f32.
//! - Double quantization (`functional.quantize_4bit` with compress_statistics): offset = the
//!   mean of the absmax, then 8-bit blockwise quantization of `absmax - offset` with the dynamic
//!   map (`csrc/cpu_ops.cpp`: a 65,536-bin lookup table of nearest codes, indexed by
//!   `(v + 1) * 0.5 * 65535 + 0.5`); undone as `code8[q] * absmax2 + offset`.
//!   The one value not bit-identical is the offset: torch's f32 mean sums in an order that
//!   depends on its vector width; here the mean is summed in f64 and rounded once (within an
//!   ulp or two of torch's). tests/quant.rs checks everything after it against bitsandbytes given
//!   the same offset.
//!
//! GPT-2's Conv1D weights are [in, out]; bitsandbytes quantizes them as nn.Linear holds them,
//! [out, in] (transformers transposes Conv1D weights when it makes a Linear4bit), so blocks run
//! along `in`. [`Quant4::conv1d`] does the same, and the GPU keeps that order
//! (kernels/matmul.rs reads B through the transposed strides).

use crate::error::{Error, Result};

/// Values per 4-bit block (bitsandbytes' default, and what QLoRA uses).
pub const BLOCK: usize = 64;
/// Absmax values per 8-bit block under double quantization.
pub const DQ_BLOCK: usize = 256;

/// The 4-bit data type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Q4Kind {
    /// NormalFloat4: quantiles of N(0, 1) (QLoRA's choice).
    Nf4,
    /// A 4-bit float (1 sign, 2 exponent, 1 mantissa bits), scaled to [-1, 1].
    Fp4,
}

/// bitsandbytes' `get_4bit_type("nf4")`, as f32 bits.
const NF4: [u32; 16] = [
    0xbf800000, 0xbf3239b1, 0xbf066b30, 0xbeca32a0, 0xbe91a24d, 0xbe3d353f, 0xbdba7871, 0x00000000,
    0x3da2faff, 0x3e24cae3, 0x3e7c04dd, 0x3ead033a, 0x3ee1a4b8, 0x3f1007ab, 0x3f3913b3, 0x3f800000,
];
/// bitsandbytes' `get_4bit_type("fp4")` (0, 0.0625, 8, 12, 4, 6, 2, 3 and their negatives,
/// divided by 12), as f32 bits. Code 8 is +0.0 here, as in get_4bit_type and bitsandbytes'
/// AVX-512 CPU kernel; its scalar CPU kernel has -0.0 there, so bitsandbytes' own output differs
/// in the sign of that zero between machines and shapes (tests/quant.rs compares ±0 as equal).
const FP4: [u32; 16] = [
    0x00000000, 0x3baaaaab, 0x3f2aaaab, 0x3f800000, 0x3eaaaaab, 0x3f000000, 0x3e2aaaab, 0x3e800000,
    0x00000000, 0xbbaaaaab, 0xbf2aaaab, 0xbf800000, 0xbeaaaaab, 0xbf000000, 0xbe2aaaab, 0xbe800000,
];
/// fp4's codes in ascending order of value (torch.argsort of the table, as bitsandbytes' CPU
/// quantizer computes it; +0 at 0 sorts before the other +0 at 8).
const FP4_ORDER: [u8; 16] = [11, 10, 13, 12, 15, 14, 9, 0, 8, 1, 6, 7, 4, 5, 2, 3];

/// bitsandbytes' `create_dynamic_map()` (signed, 8 bits), the code of double quantization, as
/// f32 bits.
const DYNAMIC: [u32; 256] = [
    0xbf7e3333, 0xbf7a999a, 0xbf770000, 0xbf736666, 0xbf6fcccd, 0xbf6c3333, 0xbf68999a, 0xbf650000,
    0xbf616666, 0xbf5dcccd, 0xbf5a3333, 0xbf56999a, 0xbf530000, 0xbf4f6666, 0xbf4bcccd, 0xbf483333,
    0xbf44999a, 0xbf410000, 0xbf3d6666, 0xbf39cccd, 0xbf363334, 0xbf32999a, 0xbf2f0000, 0xbf2b6666,
    0xbf27cccd, 0xbf243334, 0xbf20999a, 0xbf1d0000, 0xbf196666, 0xbf15cccd, 0xbf123334, 0xbf0e999a,
    0xbf0b0000, 0xbf076666, 0xbf03cccc, 0xbf003333, 0xbef93332, 0xbef20000, 0xbeeacccc, 0xbee3999a,
    0xbedc6666, 0xbed53333, 0xbece0000, 0xbec6cccc, 0xbebf999a, 0xbeb86666, 0xbeb13333, 0xbeaa0000,
    0xbea2cccc, 0xbe9b999a, 0xbe946666, 0xbe8d3334, 0xbe860000, 0xbe7d9999, 0xbe6f3333, 0xbe60cccd,
    0xbe526666, 0xbe440000, 0xbe35999a, 0xbe273333, 0xbe18cccd, 0xbe0a6666, 0xbdf80000, 0xbddb3334,
    0xbdc9eb85, 0xbdc428f7, 0xbdbe6667, 0xbdb8a3d7, 0xbdb2e148, 0xbdad1eb8, 0xbda75c2a, 0xbda1999a,
    0xbd9bd70a, 0xbd96147b, 0xbd9051eb, 0xbd8a8f5d, 0xbd84cccd, 0xbd7e147b, 0xbd728f5d, 0xbd670a3d,
    0xbd5b851f, 0xbd500000, 0xbd447ae1, 0xbd38f5c3, 0xbd2d70a3, 0xbd21eb85, 0xbd166667, 0xbd0ae148,
    0xbcfeb852, 0xbce7ae15, 0xbcd0a3d7, 0xbcb9999a, 0xbca28f5d, 0xbc8b851f, 0xbc68f5c3, 0xbc3ae148,
    0xbc1f3b64, 0xbc160418, 0xbc0ccccd, 0xbc039581, 0xbbf4bc6a, 0xbbe24dd3, 0xbbcfdf3b, 0xbbbd70a4,
    0xbbab020d, 0xbb989374, 0xbb8624dd, 0xbb676c8a, 0xbb428f5c, 0xbb1db22d, 0xbaf1a9fc, 0xbaa7ef9d,
    0xba7765ff, 0xba59e83e, 0xba3c6a80, 0xba1eecc1, 0xba016f01, 0xb9c7e283, 0xb98ce705, 0xb923d70b,
    0xb8ba1f4b, 0xb88aefb3, 0xb8378034, 0xb7b24206, 0xb70205ff, 0xb65a1a94, 0xb513a3b7, 0x00000000,
    0x3513a3b7, 0x365a1a94, 0x370205ff, 0x37b24206, 0x38378034, 0x388aefb3, 0x38ba1f4b, 0x3923d70b,
    0x398ce705, 0x39c7e283, 0x3a016f01, 0x3a1eecc1, 0x3a3c6a80, 0x3a59e83e, 0x3a7765ff, 0x3aa7ef9d,
    0x3af1a9fc, 0x3b1db22d, 0x3b428f5c, 0x3b676c8a, 0x3b8624dd, 0x3b989374, 0x3bab020d, 0x3bbd70a4,
    0x3bcfdf3b, 0x3be24dd3, 0x3bf4bc6a, 0x3c039581, 0x3c0ccccd, 0x3c160418, 0x3c1f3b64, 0x3c3ae148,
    0x3c68f5c3, 0x3c8b851f, 0x3ca28f5d, 0x3cb9999a, 0x3cd0a3d7, 0x3ce7ae15, 0x3cfeb852, 0x3d0ae148,
    0x3d166667, 0x3d21eb85, 0x3d2d70a3, 0x3d38f5c3, 0x3d447ae1, 0x3d500000, 0x3d5b851f, 0x3d670a3d,
    0x3d728f5d, 0x3d7e147b, 0x3d84cccd, 0x3d8a8f5d, 0x3d9051eb, 0x3d96147b, 0x3d9bd70a, 0x3da1999a,
    0x3da75c2a, 0x3dad1eb8, 0x3db2e148, 0x3db8a3d7, 0x3dbe6667, 0x3dc428f7, 0x3dc9eb85, 0x3ddb3334,
    0x3df80000, 0x3e0a6666, 0x3e18cccd, 0x3e273333, 0x3e35999a, 0x3e440000, 0x3e526666, 0x3e60cccd,
    0x3e6f3333, 0x3e7d9999, 0x3e860000, 0x3e8d3334, 0x3e946666, 0x3e9b999a, 0x3ea2cccc, 0x3eaa0000,
    0x3eb13333, 0x3eb86666, 0x3ebf999a, 0x3ec6cccc, 0x3ece0000, 0x3ed53333, 0x3edc6666, 0x3ee3999a,
    0x3eeacccc, 0x3ef20000, 0x3ef93332, 0x3f003333, 0x3f03cccc, 0x3f076666, 0x3f0b0000, 0x3f0e999a,
    0x3f123334, 0x3f15cccd, 0x3f196666, 0x3f1d0000, 0x3f20999a, 0x3f243334, 0x3f27cccd, 0x3f2b6666,
    0x3f2f0000, 0x3f32999a, 0x3f363334, 0x3f39cccd, 0x3f3d6666, 0x3f410000, 0x3f44999a, 0x3f483333,
    0x3f4bcccd, 0x3f4f6666, 0x3f530000, 0x3f56999a, 0x3f5a3333, 0x3f5dcccd, 0x3f616666, 0x3f650000,
    0x3f68999a, 0x3f6c3333, 0x3f6fcccd, 0x3f736666, 0x3f770000, 0x3f7a999a, 0x3f7e3333, 0x3f800000,
];

impl Q4Kind {
    pub fn name(self) -> &'static str {
        match self {
            Q4Kind::Nf4 => "nf4",
            Q4Kind::Fp4 => "fp4",
        }
    }

    /// The 16 values a 4-bit code stands for (times the block's absmax).
    pub fn code(self) -> [f32; 16] {
        match self {
            Q4Kind::Nf4 => NF4.map(f32::from_bits),
            Q4Kind::Fp4 => FP4.map(f32::from_bits),
        }
    }

    /// The codes in ascending order of value.
    fn order(self) -> [u8; 16] {
        match self {
            Q4Kind::Nf4 => std::array::from_fn(|i| i as u8),
            Q4Kind::Fp4 => FP4_ORDER,
        }
    }

    /// What encoding needs, made once per tensor: the codes in ascending order of value and
    /// the midpoints between consecutive ones, computed as torch does in f32.
    fn encoder(self) -> Encoder {
        let (code, order) = (self.code(), self.order());
        let bounds = std::array::from_fn(|i| (code[order[i] as usize] + code[order[i + 1] as usize]) / 2.0);
        Encoder { bounds, order }
    }
}

/// Maps a value scaled to [-1, 1] to its 4-bit code.
struct Encoder {
    bounds: [f32; 15],
    order: [u8; 16],
}

impl Encoder {
    /// The count of midpoints below `v` (torch.bucketize, right=False), through the sort order.
    fn encode(&self, v: f32) -> u8 {
        self.order[self.bounds.partition_point(|&b| b < v)]
    }
}

/// How the block scales are stored.
#[derive(Debug, Clone, PartialEq)]
pub enum Absmax {
    /// One f32 per block.
    Plain(Vec<f32>),
    /// Double quantization: one 8-bit code per block, one f32 scale per 256 blocks, and the
    /// mean that was subtracted first.
    Double { q: Vec<u8>, absmax2: Vec<f32>, offset: f32 },
}

impl Absmax {
    /// The f32 scale of every block, as bitsandbytes' dequantize_4bit computes it.
    pub fn to_f32(&self) -> Vec<f32> {
        match self {
            Absmax::Plain(a) => a.clone(),
            Absmax::Double { q, absmax2, offset } => {
                let code = DYNAMIC.map(f32::from_bits);
                q.iter()
                    .enumerate()
                    .map(|(i, &c)| code[c as usize] * absmax2[i / DQ_BLOCK] + offset)
                    .collect()
            }
        }
    }

    /// Bytes bitsandbytes stores for these scales.
    pub fn bytes(&self) -> usize {
        match self {
            Absmax::Plain(a) => 4 * a.len(),
            Absmax::Double { q, absmax2, .. } => q.len() + 4 * absmax2.len() + 4,
        }
    }
}

/// A tensor quantized to 4 bits, in bitsandbytes' order (the flattened tensor as given).
#[derive(Debug, Clone, PartialEq)]
pub struct Quant4 {
    pub kind: Q4Kind,
    /// One 4-bit code per value (unpacked).
    pub codes: Vec<u8>,
    pub absmax: Absmax,
}

impl Quant4 {
    /// Quantize `x` (flattened) as bitsandbytes' quantize_4bit does, blocks of [`BLOCK`].
    pub fn quantize(x: &[f32], kind: Q4Kind, double_quant: bool) -> Quant4 {
        Quant4::quantize_with(x.len(), |i| x[i], kind, double_quant)
    }

    /// Quantize a Conv1D weight `w` ([in, out] = (k, n), row-major) as transformers +
    /// bitsandbytes do: as nn.Linear's [out, in], read through transposed indices (no transposed
    /// copy: the f32 tensor being uploaded is the only full-precision one held).
    pub fn conv1d(w: &[f32], k: usize, n: usize, kind: Q4Kind, double_quant: bool) -> Result<Quant4> {
        if w.len() != k * n {
            return Err(Error::model(format!("a ({k}, {n}) weight has {} values", w.len())));
        }
        Ok(Quant4::quantize_with(w.len(), |f| w[(f % k) * n + f / k], kind, double_quant))
    }

    /// Quantize the `len` values `get(0..len)`, a block at a time.
    fn quantize_with(len: usize, get: impl Fn(usize) -> f32, kind: Q4Kind, double_quant: bool) -> Quant4 {
        let enc = kind.encoder();
        let mut codes = Vec::with_capacity(len);
        let mut absmax = Vec::with_capacity(len.div_ceil(BLOCK));
        let mut block = [0f32; BLOCK];
        for start in (0..len).step_by(BLOCK) {
            let block = &mut block[..BLOCK.min(len - start)];
            for (j, v) in block.iter_mut().enumerate() {
                *v = get(start + j);
            }
            let am = block.iter().fold(0f32, |m, v| m.max(v.abs()));
            if block.len() == BLOCK {
                let inv = 1.0 / am.max(1e-38);
                codes.extend(block.iter().map(|&v| enc.encode((v * inv).clamp(-1.0, 1.0))));
                absmax.push(am);
            } else {
                // The partial last block divides by its absmax, clamped (and stores it clamped).
                let am = am.max(1e-38);
                codes.extend(block.iter().map(|&v| enc.encode((v / am).clamp(-1.0, 1.0))));
                absmax.push(am);
            }
        }
        let absmax = if double_quant { double_quantize(&absmax) } else { Absmax::Plain(absmax) };
        Quant4 { kind, codes, absmax }
    }

    /// The dequantized values, flattened in the quantized order: `code[q] * absmax` in f32.
    pub fn dequantize(&self) -> Vec<f32> {
        let (code, absmax) = (self.kind.code(), self.absmax.to_f32());
        self.codes.iter().enumerate().map(|(i, &q)| code[q as usize] * absmax[i / BLOCK]).collect()
    }

    /// The codes packed as bitsandbytes stores them: two per byte, the first in the high nibble;
    /// an odd count is padded with the code of 0.0 (bitsandbytes pads the scaled values with 0).
    pub fn packed(&self) -> Vec<u8> {
        let pad = self.kind.encoder().encode(0.0);
        self.codes.chunks(2).map(|p| (p[0] << 4) | p.get(1).copied().unwrap_or(pad)).collect()
    }

    /// The words the GPU reads (shaders/matmul.wgsl, WEIGHTS_Q4): each block's f32 scale, then
    /// the codes eight to a word, the first in the low bits.
    pub fn gpu_words(&self) -> Vec<u32> {
        let absmax = self.absmax.to_f32();
        let mut words = Vec::with_capacity(gpu_words(self.codes.len()));
        words.extend(absmax.iter().map(|a| a.to_bits()));
        words.extend(
            self.codes
                .chunks(8)
                .map(|c| c.iter().enumerate().fold(0u32, |w, (i, &q)| w | (q as u32) << (4 * i))),
        );
        words
    }
}

/// How many u32 words a 4-bit tensor of `numel` values takes on the GPU (`gpu::q4_words`).
pub fn gpu_words(numel: usize) -> usize {
    let (scales, codes) = crate::gpu::q4_words(numel as u64);
    (scales + codes) as usize
}

const _: () = assert!(BLOCK as u64 == crate::gpu::Q4_BLOCK);

/// The word where the codes start: after one scale per block.
pub fn codes_offset(numel: usize) -> usize {
    crate::gpu::q4_words(numel as u64).0 as usize
}

/// bitsandbytes' double quantization of the block scales.
fn double_quantize(absmax: &[f32]) -> Absmax {
    let offset = (absmax.iter().map(|&a| a as f64).sum::<f64>() / absmax.len().max(1) as f64) as f32;
    let centred: Vec<f32> = absmax.iter().map(|&a| a - offset).collect();
    let (q, absmax2) = quantize_blockwise_8bit(&centred);
    Absmax::Double { q, absmax2, offset }
}

/// bitsandbytes' CPU quantize_blockwise with the dynamic map, blocks of [`DQ_BLOCK`]: each
/// value times 1/absmax, clamped, mapped to one of 65,536 bins, and the bin to its nearest code.
pub fn quantize_blockwise_8bit(x: &[f32]) -> (Vec<u8>, Vec<f32>) {
    let lut = dynamic_lut();
    let mut q = Vec::with_capacity(x.len());
    let mut absmax = Vec::with_capacity(x.len().div_ceil(DQ_BLOCK));
    for block in x.chunks(DQ_BLOCK) {
        let am = block.iter().fold(0f32, |m, v| m.max(v.abs()));
        absmax.push(am);
        if am == 0.0 {
            q.extend(std::iter::repeat_n(0, block.len()));
            continue;
        }
        let inv = 1.0 / am;
        q.extend(block.iter().map(|&v| {
            let v = (v * inv).clamp(-1.0, 1.0);
            lut[((v + 1.0) * 0.5 * 65535.0 + 0.5) as usize]
        }));
    }
    (q, absmax)
}

/// For each of 65,536 evenly spaced values in [-1, 1], the nearest code of the dynamic map
/// (the first whose upper midpoint is not below it), built once.
fn dynamic_lut() -> &'static [u8] {
    static LUT: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    LUT.get_or_init(|| {
        let code = DYNAMIC.map(f32::from_bits);
        let mids: Vec<f32> = code.windows(2).map(|w| 0.5 * (w[0] + w[1])).collect();
        let mut idx = 0;
        (0..65536)
            .map(|i| {
                let v = -1.0 + (2.0 * i as f32) / 65535.0;
                while idx < mids.len() && mids[idx] < v {
                    idx += 1;
                }
                idx as u8
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_the_packings() {
        let x: Vec<f32> = (0..200).map(|i| ((i * 37 % 101) as f32 - 50.0) / 7.0).collect();
        for kind in [Q4Kind::Nf4, Q4Kind::Fp4] {
            let q = Quant4::quantize(&x, kind, false);
            assert_eq!(q.codes.len(), 200);
            let words = q.gpu_words();
            assert_eq!(words.len(), gpu_words(200));
            let (off, packed) = (codes_offset(200), q.packed());
            for (i, &c) in q.codes.iter().enumerate() {
                assert_eq!((words[off + i / 8] >> (4 * (i % 8))) & 15, c as u32);
                let byte = packed[i / 2];
                assert_eq!(if i % 2 == 0 { byte >> 4 } else { byte & 15 }, c);
            }
            // Each block's largest magnitude is a code of +-1 exactly.
            let d = q.dequantize();
            let am = x[..64].iter().fold(0f32, |m, v| m.max(v.abs()));
            assert!(d[..64].iter().any(|v| v.abs() == am), "{kind:?}");
        }
    }

    #[test]
    fn nf4_picks_the_nearest_value() {
        let (code, enc) = (Q4Kind::Nf4.code(), Q4Kind::Nf4.encoder());
        for i in 0..=2000 {
            let v = -1.0 + i as f32 / 1000.0;
            let q = enc.encode(v) as usize;
            let best = (0..16).min_by(|&a, &b| (code[a] - v).abs().total_cmp(&(code[b] - v).abs())).unwrap();
            assert!((code[q] - v).abs() <= (code[best] - v).abs(), "{v}: {q} vs {best}");
        }
    }

    #[test]
    fn double_quant_keeps_the_scales_close() {
        let x: Vec<f32> = (0..64 * 600)
            .map(|i| ((i * 7919 % 1000) as f32 - 500.0) * (1.0 + (i / 64) as f32 * 1e-3))
            .collect();
        let plain = Quant4::quantize(&x, Q4Kind::Nf4, false);
        let double = Quant4::quantize(&x, Q4Kind::Nf4, true);
        assert_eq!(plain.codes, double.codes);
        let (a, b) = (plain.absmax.to_f32(), double.absmax.to_f32());
        for (a, b) in a.iter().zip(&b) {
            assert!((a - b).abs() <= 0.01 * a.abs(), "{a} {b}");
        }
        assert!(double.absmax.bytes() < plain.absmax.bytes() / 3);
    }
}
