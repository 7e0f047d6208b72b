//! model/quant.rs against bitsandbytes 0.50 (tests/reference/make_q4_fixtures.py): the 4-bit
//! codes, the block scales and the dequantized values, bit for bit (±0 aside), for nf4 and fp4, with and
//! without double quantization; and a Conv1D weight quantized the way transformers does it.
//! Host code only: no GPU (tests/matmul.rs checks that the kernels read these same values).
//! Runs natively and in headless Chromium (the page quantizes with the same code).

use safetensors::SafeTensors;
use webtune::model::quant::{quantize_blockwise_8bit, Absmax, Q4Kind, Quant4};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const QUANT: &[u8] = include_bytes!("fixtures/q4/quant.safetensors");

fn f32s(st: &SafeTensors, name: &str) -> Vec<f32> {
    bytemuck::pod_collect_to_vec(st.tensor(name).unwrap_or_else(|e| panic!("{name}: {e}")).data())
}

fn bytes(st: &SafeTensors, name: &str) -> Vec<u8> {
    st.tensor(name).unwrap_or_else(|e| panic!("{name}: {e}")).data().to_vec()
}

/// Bit-identical, except that +0.0 and -0.0 count as equal: bitsandbytes' CPU dequantize_4bit
/// gives fp4's code 8 as +0.0 in its AVX-512 kernel and as -0.0 in its scalar one, so its own
/// output differs in that sign between machines and shapes (model/quant.rs uses +0.0).
fn same_bits(got: &[f32], want: &[f32], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    let same = |a: &f32, b: &f32| a.to_bits() == b.to_bits() || (*a == 0.0 && *b == 0.0);
    let differ = got.iter().zip(want).filter(|(a, b)| !same(a, b)).count();
    let first = got.iter().zip(want).position(|(a, b)| !same(a, b));
    assert_eq!(differ, 0, "{what}: {differ} of {} values differ, first at {first:?}", got.len());
}

const KINDS: [(Q4Kind, &str); 2] = [(Q4Kind::Nf4, "nf4"), (Q4Kind::Fp4, "fp4")];

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn quantize_4bit_equals_bitsandbytes() {
    let st = SafeTensors::deserialize(QUANT).unwrap();
    let mut checked = 0;
    for case in ["a", "b", "c"] {
        let x = f32s(&st, &format!("{case}.input"));
        for (kind, name) in KINDS {
            let key = format!("{case}.{name}");
            let q = Quant4::quantize(&x, kind, false);
            assert_eq!(q.packed(), bytes(&st, &format!("{key}.packed")), "{key}: packed codes");
            let Absmax::Plain(absmax) = &q.absmax else { panic!("{key}: plain absmax expected") };
            same_bits(absmax, &f32s(&st, &format!("{key}.absmax")), &format!("{key}: absmax"));
            if case != "c" {
                same_bits(
                    &q.dequantize(),
                    &f32s(&st, &format!("{key}.dequantized")),
                    &format!("{key}: dequantized"),
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 6);
}

// Double quantization: the 8-bit codes of the scales and their second-level absmax equal
// bitsandbytes' given its offset (torch's f32 mean, whose summation order is torch's own), and
// dequantize_4bit's output follows exactly from bitsandbytes' state. Our own offset (an f64 mean
// rounded once) is within a few ulps of torch's.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn double_quantization_equals_bitsandbytes() {
    let st = SafeTensors::deserialize(QUANT).unwrap();
    for case in ["a", "b", "c"] {
        let x = f32s(&st, &format!("{case}.input"));
        for (kind, name) in KINDS {
            let key = format!("{case}.{name}.dq");
            let plain = f32s(&st, &format!("{case}.{name}.absmax"));
            let offset = f32s(&st, &format!("{key}.offset"))[0];
            let (q, absmax2) = quantize_blockwise_8bit(&plain.iter().map(|a| a - offset).collect::<Vec<_>>());
            assert_eq!(q, bytes(&st, &format!("{key}.absmax_q")), "{key}: 8-bit codes of the scales");
            same_bits(
                &absmax2,
                &f32s(&st, &format!("{key}.absmax2")),
                &format!("{key}: second-level absmax"),
            );

            let ours = Quant4::quantize(&x, kind, true);
            assert_eq!(ours.packed(), bytes(&st, &format!("{key}.packed")), "{key}: packed codes");
            let Absmax::Double { offset: our_offset, .. } = ours.absmax else { panic!("{key}: double") };
            let ulps = (our_offset.to_bits() as i64 - offset.to_bits() as i64).abs();
            assert!(ulps <= 4, "{key}: offset {our_offset} vs torch's {offset} ({ulps} ulps)");

            if case != "a" || kind == Q4Kind::Nf4 {
                let theirs = Quant4 { absmax: Absmax::Double { q, absmax2, offset }, ..ours };
                same_bits(
                    &theirs.dequantize(),
                    &f32s(&st, &format!("{key}.dequantized")),
                    &format!("{key}: dequantized"),
                );
            }
        }
    }
}

// A Conv1D weight ([in, out]) is quantized as transformers + bitsandbytes quantize it, as
// nn.Linear's [out, in]: h.0.attn.c_attn of the gpt2-64 fixture, dequantized, bit for bit.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn conv1d_weights_are_quantized_as_transformers_does() {
    let model = SafeTensors::deserialize(include_bytes!("fixtures/q4/gpt2-64/model.safetensors")).unwrap();
    let t = model.tensor("transformer.h.0.attn.c_attn.weight").unwrap();
    let (k, n) = (t.shape()[0], t.shape()[1]);
    let w: Vec<f32> = bytemuck::pod_collect_to_vec(t.data());
    for (kind, golden) in [
        (Q4Kind::Nf4, include_bytes!("fixtures/q4/nf4/golden.safetensors").as_slice()),
        (Q4Kind::Fp4, include_bytes!("fixtures/q4/fp4/golden.safetensors").as_slice()),
    ] {
        let st = SafeTensors::deserialize(golden).unwrap();
        let q = Quant4::conv1d(&w, k, n, kind, false).unwrap();
        same_bits(&q.dequantize(), &f32s(&st, "h.0.attn.c_attn.dequantized"), &format!("{kind:?} c_attn"));
    }
}
