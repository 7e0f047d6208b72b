//! The GPT-2 forward pass against transformers (golden fixtures from
//! tests/reference/make_gpt2_fixtures.py): logits max abs error ≤ 1e-4, loss relative error
//! ≤ 1e-5. Runs natively and in headless Chromium.

mod common;

use safetensors::SafeTensors;
use webtune::model::{Activations, Checkpoint, Gpt2, Gpt2Config, WeightDtype, Weights};
use webtune::Gpu;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const LOGITS_TOL: f32 = 1e-4;
const LOSS_REL_TOL: f64 = 1e-5;

fn golden_f32(st: &SafeTensors<'_>, name: &str) -> (Vec<usize>, Vec<f32>) {
    let t = st.tensor(name).unwrap();
    (t.shape().to_vec(), bytemuck::pod_collect_to_vec(t.data()))
}

fn golden_i32(st: &SafeTensors<'_>, name: &str) -> Vec<i32> {
    bytemuck::pod_collect_to_vec(st.tensor(name).unwrap().data())
}

fn max_abs_diff(got: &[f32], want: &[f32]) -> (f32, usize) {
    assert_eq!(got.len(), want.len());
    got.iter().zip(want).enumerate().fold((0.0, 0), |(m, at), (i, (g, w))| {
        let d = (g - w).abs();
        if d > m || d.is_nan() {
            (if d.is_nan() { f32::INFINITY } else { d }, i)
        } else {
            (m, at)
        }
    })
}

fn rel(got: f64, want: f64) -> f64 {
    (got - want).abs() / want.abs()
}

/// Upload a model with wte split into ranges of `wte_rows` rows.
async fn load(gpu: &Gpu, config: &str, weights: &[u8], wte_rows: usize) -> Gpt2 {
    try_load(gpu, config, weights, wte_rows, WeightDtype::F32).await.unwrap()
}

async fn try_load(
    gpu: &Gpu,
    config: &str,
    weights: &[u8],
    wte_rows: usize,
    dtype: WeightDtype,
) -> webtune::Result<Gpt2> {
    let cfg = Gpt2Config::from_json(config).unwrap();
    let ck = Checkpoint::from_safetensors(&cfg, weights).unwrap();
    let weights = Weights::upload_with_wte_rows(gpu, &cfg, &ck, wte_rows, dtype).await?;
    Ok(Gpt2::new(cfg, weights))
}

// Head size 12 (not a power of two), f32 weights in OpenAI's naming, labels with -100 holes.
gpu_test!(odd_model_logits_and_loss_match_transformers(gpu) {
    let golden = SafeTensors::deserialize(common::ODD.golden).unwrap();
    let ids: Vec<u32> = golden_i32(&golden, "input_ids").iter().map(|&i| i as u32).collect();
    let labels = golden_i32(&golden, "labels");
    let (shape, want_logits) = golden_f32(&golden, "logits");
    let want_loss = golden_f32(&golden, "loss").1[0] as f64;
    let (b, t) = (shape[0], shape[1]);

    // wte (1000 rows) in ranges of 300 rows: the path a wte over one binding takes.
    let model = load(gpu, common::ODD.config, common::ODD.weights, 300).await;
    assert_eq!(model.weights.wte.len(), 4);
    let mut acts = Activations::new(gpu, &model.config, b, t, false, 0).await.unwrap();
    let logits = model.logits(gpu, &acts, None, &ids).await.unwrap();
    let (d, at) = max_abs_diff(&logits, &want_logits);
    assert!(d <= LOGITS_TOL, "logits max abs error {d:e} at {at}: got {} want {}", logits[at], want_logits[at]);
    eprintln!("gpt2-odd: logits max abs error {d:e}");

    // The loss with logits computed 7 rows at a time (B·T = 96 rows: 14 blocks).
    acts.logit_rows = 7;
    let loss = model.loss(gpu, &acts, None, &ids, &labels).await.unwrap();
    assert_eq!(loss.count, 2 * 47 - 4 - 8, "positions with a target");
    let r = rel(loss.mean(), want_loss);
    assert!(r <= LOSS_REL_TOL, "loss {} vs transformers {want_loss}: rel {r:e}", loss.mean());
    eprintln!("gpt2-odd: loss {} vs {want_loss}, rel error {r:e}", loss.mean());
});

// Vocabulary 50257, f16 on disk (save_pretrained naming), the real tokenizer's ids.
gpu_test!(tiny_model_logits_and_loss_match_transformers(gpu) {
    let golden = SafeTensors::deserialize(common::TINY.golden).unwrap();
    let ids: Vec<u32> = golden_i32(&golden, "input_ids").iter().map(|&i| i as u32).collect();
    let (head_shape, want_head) = golden_f32(&golden, "logits_head");
    let (_, want_last) = golden_f32(&golden, "logits_last");
    let want_loss = golden_f32(&golden, "loss").1[0] as f64;
    let (b, t, h) = (head_shape[0], head_shape[1], head_shape[2]);

    let model = load(gpu, common::TINY.config, common::TINY.weights, usize::MAX).await;
    let v = model.config.vocab_size;
    let acts = Activations::new(gpu, &model.config, b, t, false, 0).await.unwrap();
    let logits = model.logits(gpu, &acts, None, &ids).await.unwrap();
    let mut got_head = Vec::new();
    let mut got_last = Vec::new();
    for s in 0..b {
        for p in 0..t {
            let row = &logits[(s * t + p) * v..(s * t + p + 1) * v];
            got_head.extend_from_slice(&row[..h]);
            if p == t - 1 {
                got_last.extend_from_slice(row);
            }
        }
    }
    let (d, at) = max_abs_diff(&got_head, &want_head);
    assert!(d <= LOGITS_TOL, "logits[..., :{h}] max abs error {d:e} at {at}");
    let (d, at) = max_abs_diff(&got_last, &want_last);
    assert!(d <= LOGITS_TOL, "last-position logits max abs error {d:e} at {at}");

    // The generation path: only the last position's logits.
    let last = model.last_logits(gpu, &acts, None, &ids).await.unwrap();
    let (d, at) = max_abs_diff(&last, &want_last);
    assert!(d <= LOGITS_TOL, "last_logits max abs error {d:e} at {at}");
    eprintln!("gpt2-tiny: last-position logits max abs error {d:e}");

    let labels: Vec<i32> = ids.iter().map(|&i| i as i32).collect();
    let loss = model.loss(gpu, &acts, None, &ids, &labels).await.unwrap();
    let r = rel(loss.mean(), want_loss);
    assert!(r <= LOSS_REL_TOL, "loss {} vs transformers {want_loss}: rel {r:e}", loss.mean());
    eprintln!("gpt2-tiny: loss {} vs {want_loss}, rel error {r:e}", loss.mean());
});

// Bad token ids and labels are errors, not out-of-bounds reads.
gpu_test!(out_of_range_ids_are_errors(gpu) {
    let model = load(gpu, common::ODD.config, common::ODD.weights, usize::MAX).await;
    let acts = Activations::new(gpu, &model.config, 1, 4, false, 0).await.unwrap();
    let e = model.loss(gpu, &acts, None, &[1, 2, 1000, 3], &[1, 2, 3, 4]).await.unwrap_err();
    assert!(e.to_string().contains("token id 1000"), "{e}");
    let e = model.loss(gpu, &acts, None, &[1, 2, 3, 4], &[1, -5, 3, 4]).await.unwrap_err();
    assert!(e.to_string().contains("label -5"), "{e}");
    let e = Activations::new(gpu, &model.config, 1, 49, false, 0).await.err().unwrap();
    assert!(e.to_string().contains("n_positions"), "{e}");
});

// f16 storage of the frozen matrices (compute in f32): loss within 1e-3 relative of
// transformers' f32 loss. SwiftShader (the browser tests' adapter) has no shader-f16; there the
// request must be refused with an error that says so.
gpu_test!(f16_weights_loss_within_1e_3(gpu) {
    let golden = SafeTensors::deserialize(common::ODD.golden).unwrap();
    let ids: Vec<u32> = golden_i32(&golden, "input_ids").iter().map(|&i| i as u32).collect();
    let labels = golden_i32(&golden, "labels");
    let want_loss = golden_f32(&golden, "loss").1[0] as f64;
    let model = try_load(gpu, common::ODD.config, common::ODD.weights, 300, WeightDtype::F16).await;
    if !gpu.has_f16() {
        let e = model.err().expect("f16 weights without shader-f16 must be refused");
        assert!(e.to_string().contains("shader-f16"), "{e}");
        return;
    }
    let model = model.unwrap();
    assert!(model.weights.wte.iter().all(|(_, t)| t.dtype == webtune::gpu::DType::F16));
    assert_eq!(model.weights.h[0].attn.c_attn.weight.dtype, webtune::gpu::DType::F16);
    let acts = Activations::new(gpu, &model.config, 2, 48, false, 0).await.unwrap();
    let loss = model.loss(gpu, &acts, None, &ids, &labels).await.unwrap();
    let r = rel(loss.mean(), want_loss);
    assert!(r <= 1e-3, "f16 loss {} vs transformers f32 {want_loss}: rel {r:e}", loss.mean());
    eprintln!("gpt2-odd, f16 weights: loss {} vs {want_loss}, rel error {r:e}", loss.mean());
    // And f16 storage really changed the numbers (the test would pass vacuously otherwise).
    let f32_loss = load(gpu, common::ODD.config, common::ODD.weights, 300).await.loss(gpu, &acts, None, &ids, &labels).await.unwrap();
    assert_ne!(loss.mean(), f32_loss.mean());
});

// GPT-2's real wte (50257 x 768 in f32: 154 MB) is larger than one storage binding on lavapipe
// (128 MiB). The upload must split it by the device's limit on its own, and the split must not
// change the result: compare with a much finer split. One block keeps the model small.
#[cfg(not(target_arch = "wasm32"))]
gpu_test!(gpt2_sized_wte_splits_by_the_binding_limit(gpu) {
    let cfg = Gpt2Config::from_json(
        r#"{"model_type": "gpt2", "n_layer": 1, "n_embd": 768, "n_head": 12, "n_positions": 64, "vocab_size": 50257}"#,
    )
    .unwrap();
    let mut tensors = std::collections::BTreeMap::new();
    for (i, (name, shape)) in webtune::model::expected_tensors(&cfg).into_iter().enumerate() {
        let n: usize = shape.iter().product();
        let data = common::uniform(n, 1000 + i as u64).into_iter().map(|x| 0.05 * x).collect();
        tensors.insert(name, webtune::model::HostTensor { shape, data });
    }
    let ck = Checkpoint { tensors };
    let wte_bytes = 50257u64 * 768 * 4;
    let auto = Weights::upload(gpu, &cfg, &ck, WeightDtype::F32).await.unwrap();
    let expected_chunks = wte_bytes.div_ceil(gpu.limits.max_storage_buffer_binding_size) as usize;
    assert_eq!(auto.wte.len(), expected_chunks, "binding limit {}", gpu.limits.max_storage_buffer_binding_size);
    let fine = Weights::upload_with_wte_rows(gpu, &cfg, &ck, 10_000, WeightDtype::F32).await.unwrap();
    assert_eq!(fine.wte.len(), 6);

    let ids: Vec<u32> = vec![50256, 0, 25000, 40000, 31337, 7, 50000, 12];
    let (auto, fine) = (Gpt2::new(cfg.clone(), auto), Gpt2::new(cfg.clone(), fine));
    let acts = Activations::new(gpu, &cfg, 2, 4, false, 0).await.unwrap();
    let a = auto.last_logits(gpu, &acts, None, &ids).await.unwrap();
    let b = fine.last_logits(gpu, &acts, None, &ids).await.unwrap();
    assert_eq!(a, b);
    let labels: Vec<i32> = ids.iter().map(|&i| i as i32).collect();
    let (la, lb) = (auto.loss(gpu, &acts, None, &ids, &labels).await.unwrap(), fine.loss(gpu, &acts, None, &ids, &labels).await.unwrap());
    assert_eq!(la, lb);
    assert!(la.mean().is_finite());
});

// A SafetensorsFile reads one tensor at a time (never the whole file at once) and gives the same
// model as the in-memory Checkpoint; a truncated file is refused before anything is uploaded.
gpu_test!(streamed_checkpoint_equals_in_memory(gpu) {
    use std::cell::Cell;
    use webtune::model::{ReadBytes, SafetensorsFile};
    let cfg = Gpt2Config::from_json(common::TINY.config).unwrap();
    let largest = Cell::new(0usize);
    let reader = |bytes: &'static [u8]| -> ReadBytes<'_> {
        let largest = &largest;
        Box::new(move |offset, len| {
            largest.set(largest.get().max(len));
            let offset = offset as usize;
            let got = bytes.get(offset..offset + len).map(<[u8]>::to_vec).ok_or_else(|| webtune::Error::data("past the end"));
            Box::pin(std::future::ready(got))
        })
    };
    let file = SafetensorsFile::open(&cfg, common::TINY.weights.len() as u64, reader(common::TINY.weights)).await.unwrap();
    let streamed = Gpt2::from_checkpoint(gpu, cfg.clone(), &file, WeightDtype::F32).await.unwrap();
    // The largest read is wte (50257 x 32 in f16), not the file.
    assert_eq!(largest.get(), 50257 * 32 * 2, "largest read of a {}-byte file", common::TINY.weights.len());
    let ck = Checkpoint::from_safetensors(&cfg, common::TINY.weights).unwrap();
    let in_memory = Gpt2::from_checkpoint(gpu, cfg.clone(), &ck, WeightDtype::F32).await.unwrap();
    let ids: Vec<u32> = (0..16).map(|i| (i * 977) % 50257).collect();
    let acts = Activations::new(gpu, &cfg, 1, 16, false, 0).await.unwrap();
    let a = streamed.last_logits(gpu, &acts, None, &ids).await.unwrap();
    let b = in_memory.last_logits(gpu, &acts, None, &ids).await.unwrap();
    assert_eq!(a, b);
    let truncated = &common::TINY.weights[..common::TINY.weights.len() - 1];
    let err = SafetensorsFile::open(&cfg, truncated.len() as u64, reader(truncated)).await.err().unwrap().to_string();
    assert!(err.contains("not a valid safetensors file"), "{err}");

    // Offsets past 4 GiB (gpt2-xl's file is 6.4 GB; wasm32's usize stops at 4 GiB): the same
    // tensors after 5 GiB of attention-mask buffers (which the loader skips, unread), read
    // through a sparse reader, give the same model.
    const GAP: u64 = 5 << 30;
    let n = u64::from_le_bytes(common::TINY.weights[..8].try_into().unwrap()) as usize;
    let mut header: serde_json::Value = serde_json::from_slice(&common::TINY.weights[8..8 + n]).unwrap();
    for (key, t) in header.as_object_mut().unwrap() {
        if key != "__metadata__" {
            let offsets = t["data_offsets"].as_array().unwrap();
            let (a, b) = (offsets[0].as_u64().unwrap(), offsets[1].as_u64().unwrap());
            t["data_offsets"] = serde_json::json!([a + GAP, b + GAP]);
        }
    }
    // Two buffers of 2.5 GiB each: a shape must fit wasm32's usize, an offset need not.
    header["transformer.h.0.attn.bias"] = serde_json::json!({"dtype": "U8", "shape": [GAP / 2], "data_offsets": [0, GAP / 2]});
    header["transformer.h.0.attn.masked_bias"] =
        serde_json::json!({"dtype": "U8", "shape": [GAP / 2], "data_offsets": [GAP / 2, GAP]});
    let mut head = serde_json::to_vec(&header).unwrap();
    head.resize(head.len().div_ceil(8) * 8, b' ');
    let prefix: Vec<u8> = (head.len() as u64).to_le_bytes().into_iter().chain(head).collect();
    let data = &common::TINY.weights[8 + n..];
    let (prefix_len, total) = (prefix.len() as u64, prefix.len() as u64 + GAP + data.len() as u64);
    let sparse: ReadBytes<'_> = Box::new(move |offset, len| {
        let got = if offset + len as u64 <= prefix_len {
            Ok(prefix[offset as usize..offset as usize + len].to_vec())
        } else if offset >= prefix_len + GAP {
            let at = (offset - prefix_len - GAP) as usize;
            data.get(at..at + len).map(<[u8]>::to_vec).ok_or_else(|| webtune::Error::data("past the end"))
        } else {
            Err(webtune::Error::data(format!("read in the gap at {offset}")))
        };
        Box::pin(std::future::ready(got))
    });
    let file = SafetensorsFile::open(&cfg, total, sparse).await.unwrap();
    let far = Gpt2::from_checkpoint(gpu, cfg.clone(), &file, WeightDtype::F32).await.unwrap();
    assert_eq!(far.last_logits(gpu, &acts, None, &ids).await.unwrap(), a);
});
