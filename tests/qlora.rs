//! QLoRA: GPT-2 with its linear layers in 4 bits (nf4, fp4, double quantization) under a LoRA
//! adapter, against transformers + bitsandbytes 0.50 + PEFT on the CPU
//! (tests/reference/make_q4_fixtures.py): logits max abs error ≤ 1e-4, the loss with PEFT's
//! adapter ≤ 1e-5 relative, LoRA gradients ≤ 1e-4 relative per tensor. Runs natively and in
//! headless Chromium.

mod common;

use safetensors::SafeTensors;
use webtune::lora::Adapter;
use webtune::model::{
    Activations, Batch, Gpt2, Gpt2Config, LoraGrads, Pass, Storage, TrainBuffers, WeightDtype,
};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// (weights, golden.safetensors, adapter_config.json, adapter_model.safetensors) per base.
fn cases() -> [(WeightDtype, &'static [u8], &'static str, &'static [u8]); 3] {
    macro_rules! case {
        ($dir:literal, $storage:expr, $dq:expr) => {
            (
                WeightDtype::new($storage, None, $dq).unwrap(),
                include_bytes!(concat!("fixtures/q4/", $dir, "/golden.safetensors")).as_slice(),
                include_str!(concat!("fixtures/q4/", $dir, "/adapter_config.json")),
                include_bytes!(concat!("fixtures/q4/", $dir, "/adapter_model.safetensors")).as_slice(),
            )
        };
    }
    [
        case!("nf4", Storage::Nf4, false),
        case!("fp4", Storage::Fp4, false),
        case!("nf4-dq", Storage::Nf4, true),
    ]
}

fn f32s(st: &SafeTensors<'_>, name: &str) -> (Vec<usize>, Vec<f32>) {
    let t = st.tensor(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    (t.shape().to_vec(), bytemuck::pod_collect_to_vec(t.data()))
}

/// A random GPT-2 (2 layers, width 64, 256 inner, vocabulary 500) whose in_features are whole
/// blocks of 64 (see the fixture script for why), and its golden ids and labels.
const CONFIG: &str = include_str!("fixtures/q4/gpt2-64/config.json");
const WEIGHTS: &[u8] = include_bytes!("fixtures/q4/gpt2-64/model.safetensors");

fn batch() -> (Vec<u32>, Vec<i32>) {
    let st = SafeTensors::deserialize(include_bytes!("fixtures/q4/gpt2-64/golden.safetensors")).unwrap();
    let ids: Vec<i32> = bytemuck::pod_collect_to_vec(st.tensor("input_ids").unwrap().data());
    let labels: Vec<i32> = bytemuck::pod_collect_to_vec(st.tensor("labels").unwrap().data());
    (ids.iter().map(|&i| i as u32).collect(), labels)
}

// The 4-bit model's logits equal transformers + bitsandbytes' (first 12 positions of both
// sequences: the fixture keeps them small), and its weights take under a fifth of the f32 model's
// memory in the linear layers.
gpu_test!(q4_logits_match_bitsandbytes(gpu) {
    let (ids, _) = batch();
    let (b, t) = (2, ids.len() / 2);
    let f32_model = Gpt2::load(gpu, CONFIG, WEIGHTS, WeightDtype::F32).await.unwrap();
    for (dtype, golden, _, _) in cases() {
        let st = SafeTensors::deserialize(golden).unwrap();
        let (shape, want) = f32s(&st, "logits");
        let model = Gpt2::load(gpu, CONFIG, WEIGHTS, dtype).await.unwrap();
        let acts = Activations::new(gpu, &model.config, b, t, false, 0).await.unwrap();
        let logits = model.logits(gpu, &acts, None, &ids).await.unwrap();
        let v = model.config.vocab_size;
        let mut worst = 0f32;
        for s in 0..b {
            for p in 0..shape[1] {
                for j in 0..v {
                    let (got, want) = (logits[(s * t + p) * v + j], want[(s * shape[1] + p) * v + j]);
                    let d = (got - want).abs();
                    assert!(d <= 1e-4, "{} logits [{s}, {p}, {j}]: {got} vs bitsandbytes {want}", dtype.describe());
                    worst = worst.max(d);
                }
            }
        }
        eprintln!("{}: logits max abs error {worst:e}", dtype.describe());
        // The linear layers: 4 bits + one f32 scale per 64 values, against 32 bits.
        let linear = |m: &Gpt2| m.weights.h.iter().map(|blk| {
            [&blk.attn.c_attn, &blk.attn.c_proj, &blk.mlp.c_fc, &blk.mlp.c_proj].iter().map(|c| c.weight.bytes()).sum::<u64>()
        }).sum::<u64>();
        let (q, f) = (linear(&model), linear(&f32_model));
        assert!(q * 5 < f, "{}: linear weights {q} bytes vs {f} in f32", dtype.describe());
    }
});

// PEFT's adapter on the 4-bit base (its adapter_config.json as PEFT writes it for a bnb base:
// fan_in_fan_out false): the loss, and d(loss)/dA, d(loss)/dB for every module, dropout off.
gpu_test!(q4_lora_gradients_match_peft(gpu) {
    let cfg = Gpt2Config::from_json(CONFIG).unwrap();
    let (ids, labels) = batch();
    for (dtype, golden, config, weights) in cases() {
        let st = SafeTensors::deserialize(golden).unwrap();
        let adapter = Adapter::from_peft(config, weights, &cfg).unwrap();
        let model = Gpt2::load(gpu, CONFIG, WEIGHTS, dtype).await.unwrap();
        let lora = adapter.upload(gpu, &model.config).await.unwrap();
        let grads = LoraGrads::new(gpu, &lora).await.unwrap();
        let bufs = TrainBuffers::new(gpu, &model.config, 2, ids.len() / 2, lora.r, false).await.unwrap();
        let batch = Batch { ids: &ids, labels: &labels, dloss_scale: 1.0 };
        let loss = model.forward_backward(gpu, &bufs, &lora, &grads, batch, Pass::Eval).await.unwrap().mean();
        let want = f32s(&st, "loss").1[0] as f64;
        let rel = (loss - want).abs() / want.abs();
        assert!(rel <= 1e-5, "{}: loss {loss} vs PEFT {want} (rel {rel:e})", dtype.describe());
        let mut worst = 0f64;
        for (&(layer, m), g) in &grads.tensors {
            for (ab, t) in [("A", &g.a), ("B", &g.b)] {
                let key = format!("grad.base_model.model.transformer.h.{layer}.{}.lora_{ab}.weight", m.path());
                let want: Vec<f64> = f32s(&st, &key).1.iter().map(|&x| x as f64).collect();
                let c = webtune::cpu::compare(&t.to_vec_f32(gpu).await.unwrap(), &want);
                assert!(c.rel <= 1e-4, "{} {key}: {c}", dtype.describe());
                assert!(c.max_ref > 0.0, "{key}: the reference gradient is zero");
                worst = worst.max(c.rel);
            }
        }
        eprintln!("{}: loss rel error {rel:e}, LoRA gradients worst rel error {worst:e} over {} modules", dtype.describe(), grads.tensors.len());
    }
});
