//! LoRA adapters in PEFT's format: reading what PEFT wrote, writing what PEFT reads, the
//! unmerged forward (y += s·(x·Aᵀ)·Bᵀ) and the merge, against peft + transformers goldens from
//! tests/reference/make_lora_fixtures.py (loss relative error ≤ 1e-5).

mod common;

use safetensors::SafeTensors;
use webtune::lora::{Adapter, LoraConfig, LoraInit, Module};
use webtune::model::{
    Activations, Batch, Checkpoint, Gpt2, Gpt2Config, GpuLora, LoraGrads, ModelDropout, Pass, TrainBuffers,
    WeightDtype,
};
use webtune::Gpu;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// (adapter_config.json, adapter_model.safetensors, golden.json) of a fixture adapter.
macro_rules! fixture {
    ($name:literal) => {{
        let (config, weights) = adapter_files!($name);
        (config, weights, include_str!(concat!("fixtures/lora/", $name, "/golden.json")))
    }};
}

fn odd() -> Gpt2Config {
    Gpt2Config::from_json(common::ODD.config).unwrap()
}

fn golden(json: &str, key: &str) -> f64 {
    serde_json::from_str::<serde_json::Value>(json).unwrap()[key].as_f64().unwrap()
}

fn batch() -> (Vec<u32>, Vec<i32>) {
    let st = SafeTensors::deserialize(common::ODD.golden).unwrap();
    let ids: Vec<i32> = bytemuck::pod_collect_to_vec(st.tensor("input_ids").unwrap().data());
    let labels: Vec<i32> = bytemuck::pod_collect_to_vec(st.tensor("labels").unwrap().data());
    (ids.iter().map(|&i| i as u32).collect(), labels)
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

/// gpt2-odd with `adapter` on the GPU, its gradient buffers, and training buffers for B x 48.
async fn tuned(gpu: &Gpu, adapter: &Adapter, b: usize) -> (Gpt2, GpuLora, LoraGrads, TrainBuffers) {
    let model = Gpt2::load(gpu, common::ODD.config, common::ODD.weights, WeightDtype::F32).await.unwrap();
    let lora = adapter.upload(gpu, &model.config).await.unwrap();
    let lora_grads = LoraGrads::new(gpu, &lora).await.unwrap();
    let bufs = TrainBuffers::new(gpu, &model.config, b, 48, lora.r, false).await.unwrap();
    (model, lora, lora_grads, bufs)
}

/// The whole-batch step the golden tests take: d(mean loss), no dropout.
fn whole<'a>(ids: &'a [u32], labels: &'a [i32]) -> Batch<'a> {
    Batch { ids, labels, dloss_scale: 1.0 }
}

// The unmerged adapter and the merged checkpoint both give PEFT's losses.
gpu_test!(peft_adapters_give_peft_losses(gpu) {
    let (ids, labels) = batch();
    let base_loss = {
        let st = SafeTensors::deserialize(common::ODD.golden).unwrap();
        bytemuck::pod_collect_to_vec::<u8, f32>(st.tensor("loss").unwrap().data())[0] as f64
    };
    for (config, weights, gold) in [fixture!("attn-mlp"), fixture!("rslora-fc")] {
        let adapter = Adapter::from_peft(config, weights, &odd()).unwrap();
        let model = Gpt2::load(gpu, common::ODD.config, common::ODD.weights, WeightDtype::F32).await.unwrap();
        let lora = adapter.upload(gpu, &model.config).await.unwrap();
        let acts = Activations::new(gpu, &model.config, 2, 48, false, lora.r).await.unwrap();
        let loss = model.loss(gpu, &acts, Some(&lora), &ids, &labels).await.unwrap().mean();
        let want = golden(gold, "loss");
        assert!(rel(loss, want) <= 1e-5, "adapter loss {loss} vs PEFT {want}");
        eprintln!("{}: adapter loss {loss} vs PEFT {want}, rel {:e}", adapter.config.target_modules.join(","), rel(loss, want));

        // Without the adapter, the same model gives the base loss: nothing is reloaded or changed.
        let off = model.loss(gpu, &acts, None, &ids, &labels).await.unwrap().mean();
        assert!(rel(off, base_loss) <= 1e-5, "adapter off: {off} vs base {base_loss}");

        let cfg = odd();
        let mut ck = Checkpoint::from_safetensors(&cfg, common::ODD.weights).unwrap();
        adapter.merge_into(&mut ck).unwrap();
        let merged = Gpt2::from_checkpoint(gpu, cfg, &ck, WeightDtype::F32).await.unwrap();
        let acts = Activations::new(gpu, &merged.config, 2, 48, false, 0).await.unwrap();
        let m = merged.loss(gpu, &acts, None, &ids, &labels).await.unwrap().mean();
        let want_m = golden(gold, "merged_loss");
        assert!(rel(m, want_m) <= 1e-5 && rel(m, loss) <= 1e-5, "merged {m} vs PEFT {want_m} and unmerged {loss}");
    }
});

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn written_adapters_read_back_identically() {
    let (config, weights, _) = fixture!("attn-mlp");
    let a = Adapter::from_peft(config, weights, &odd()).unwrap();
    let bytes = a.to_safetensors().unwrap();
    let b = Adapter::from_peft(&a.config.to_peft_json(), &bytes, &odd()).unwrap();
    assert_eq!(a, b);
    let st = SafeTensors::deserialize(&bytes).unwrap();
    let (_, meta) = SafeTensors::read_metadata(&bytes).unwrap();
    assert_eq!(meta.metadata().as_ref().and_then(|m| m.get("format")).map(String::as_str), Some("pt"));
    assert!(st.names().contains(&"base_model.model.transformer.h.1.mlp.c_proj.lora_B.weight"));
    let json: serde_json::Value = serde_json::from_str(&a.config.to_peft_json()).unwrap();
    assert_eq!(json["peft_type"], "LORA");
    assert_eq!(json["task_type"], "CAUSAL_LM");
    assert_eq!(json["fan_in_fan_out"], true);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn older_peft_names_with_default_are_read() {
    let (config, weights, _) = fixture!("rslora-fc");
    let st = SafeTensors::deserialize(weights).unwrap();
    let renamed: Vec<(String, safetensors::tensor::TensorView<'_>)> =
        st.tensors().into_iter().map(|(k, v)| (k.replace(".weight", ".default.weight"), v)).collect();
    let bytes = safetensors::serialize(renamed, None).unwrap();
    let a = Adapter::from_peft(config, &bytes, &odd()).unwrap();
    assert_eq!(a, Adapter::from_peft(config, weights, &odd()).unwrap());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn adapters_that_do_not_fit_are_refused() {
    let (config, weights, _) = fixture!("attn-mlp");
    // gpt2-tiny has width 32, the adapter was made for width 60.
    let tiny = Gpt2Config::from_json(common::TINY.config).unwrap();
    let e = Adapter::from_peft(config, weights, &tiny).unwrap_err().to_string();
    assert!(e.contains("h.0.attn.c_attn.lora_A.weight") && e.contains("shape"), "{e}");
    // A config that targets more than the file holds.
    let more = config.replace("\"c_proj\"", "\"c_proj\", \"c_fc\"");
    let e = Adapter::from_peft(&more, weights, &odd()).unwrap_err().to_string();
    assert!(e.contains("mlp.c_fc") && e.contains("lacks"), "{e}");
    for (from, to, needle) in [
        ("\"peft_type\": \"LORA\"", "\"peft_type\": \"IA3\"", "IA3"),
        ("\"use_dora\": false", "\"use_dora\": true", "DoRA"),
        ("\"r\": 4", "\"r\": 0", "r must be"),
        ("\"c_attn\",", "\"q_proj\",", "q_proj"),
    ] {
        assert!(config.contains(from), "{from}");
        let e = Adapter::from_peft(&config.replace(from, to), weights, &odd()).unwrap_err().to_string();
        assert!(e.contains(needle), "{to}: {e}");
    }
    assert!(Adapter::from_peft(config, &weights[..50], &odd())
        .unwrap_err()
        .to_string()
        .contains("safetensors"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn target_modules_match_as_peft_matches_them() {
    let cfg = odd();
    let targets = |t: &[&str], layers: Option<Vec<usize>>| {
        let c = LoraConfig {
            target_modules: t.iter().map(|s| s.to_string()).collect(),
            layers_to_transform: layers,
            ..LoraConfig::default()
        };
        c.targets(&cfg)
    };
    use Module::*;
    assert_eq!(targets(&["c_attn"], None).unwrap(), vec![(0, AttnCAttn), (1, AttnCAttn)]);
    assert_eq!(
        targets(&["c_proj"], None).unwrap(),
        vec![(0, AttnCProj), (0, MlpCProj), (1, AttnCProj), (1, MlpCProj)]
    );
    assert_eq!(targets(&["attn.c_proj"], None).unwrap(), vec![(0, AttnCProj), (1, AttnCProj)]);
    assert_eq!(targets(&["mlp.c_fc"], Some(vec![1])).unwrap(), vec![(1, MlpCFc)]);
    assert_eq!(targets(&["transformer.h.0.attn.c_attn"], None).unwrap(), vec![(0, AttnCAttn)]);
    assert!(targets(&["proj"], None).is_err(), "a partial name is not a dotted suffix");
    assert!(targets(&["c_attn"], Some(vec![2])).is_err());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn default_config_is_the_tutorials_with_peft_counts() {
    let gpt2 = Gpt2Config::preset("gpt2").unwrap();
    let c = LoraConfig::default();
    assert_eq!(
        (c.r, c.alpha, c.dropout, c.target_modules.clone()),
        (8, 16.0, 0.05, vec!["c_attn".to_string()])
    );
    assert_eq!(c.scale(), 2.0);
    let a = Adapter::init(c.clone(), &gpt2, 0).unwrap();
    // PEFT: "trainable params: 294,912 || all params: 124,734,720 || trainable%: 0.2364"
    assert_eq!(a.num_parameters(), 294_912);
    assert_eq!(c.num_parameters(&gpt2).unwrap(), 294_912);
    assert_eq!(gpt2.num_parameters() + a.num_parameters() as u64, 124_734_720);
    // Kaiming-uniform A within ±1/√in, B zero; a different seed gives a different A.
    let pair = &a.weights[&(0, Module::AttnCAttn)];
    let bound = 1.0 / (768f32).sqrt();
    assert!(pair.a.iter().all(|x| x.abs() <= bound) && pair.a.iter().any(|x| x.abs() > 0.9 * bound));
    assert!(pair.b.iter().all(|&x| x == 0.0));
    assert_ne!(Adapter::init(c.clone(), &gpt2, 1).unwrap().weights[&(0, Module::AttnCAttn)].a, pair.a);
    let g = Adapter::init(LoraConfig { init: LoraInit::Gaussian, ..c }, &gpt2, 0).unwrap();
    let a0 = &g.weights[&(0, Module::AttnCAttn)].a;
    let std = (a0.iter().map(|x| (x * x) as f64).sum::<f64>() / a0.len() as f64).sqrt();
    assert!((std - 1.0 / 8.0).abs() < 0.005, "gaussian init std {std}, PEFT's is 1/r");
    let rs = LoraConfig { use_rslora: true, ..LoraConfig::default() };
    assert!((rs.scale() - 16.0 / 8f32.sqrt()).abs() < 1e-6);
}

const GRADS: &[u8] = include_bytes!("fixtures/lora/all-grads/grads.safetensors");

// d(loss)/dA and d(loss)/dB for LoRA on c_attn, attn.c_proj, mlp.c_fc and mlp.c_proj of both
// blocks, against PEFT + torch autograd (dropout off): relative error ≤ 1e-4 per tensor.
gpu_test!(lora_gradients_match_peft(gpu) {
    let (config, weights, gold) = fixture!("all-grads");
    let adapter = Adapter::from_peft(config, weights, &odd()).unwrap();
    let (model, lora, lora_grads, bufs) = tuned(gpu, &adapter, 2).await;
    let (ids, labels) = batch();
    let loss = model.forward_backward(gpu, &bufs, &lora, &lora_grads, whole(&ids, &labels), Pass::Eval).await.unwrap().mean();
    let want = golden(gold, "loss");
    assert!(rel(loss, want) <= 1e-5, "loss {loss} vs PEFT {want}");

    let golden = SafeTensors::deserialize(GRADS).unwrap();
    assert_eq!(lora_grads.tensors.len() * 2, golden.len());
    let mut worst = 0.0f64;
    for (&(layer, m), g) in &lora_grads.tensors {
        for (ab, t) in [("A", &g.a), ("B", &g.b)] {
            let key = format!("base_model.model.transformer.h.{layer}.{}.lora_{ab}.weight", m.path());
            let want: Vec<f32> = bytemuck::pod_collect_to_vec(golden.tensor(&key).unwrap().data());
            let want: Vec<f64> = want.iter().map(|&x| x as f64).collect();
            let c = webtune::cpu::compare(&t.to_vec_f32(gpu).await.unwrap(), &want);
            assert!(c.rel <= 1e-4, "{key}: {c}");
            assert!(c.max_ref > 0.0, "{key}: the reference gradient is zero");
            worst = worst.max(c.rel);
        }
    }
    eprintln!("LoRA gradients vs PEFT: worst rel error {worst:e} over {} tensors", golden.len());
});

const ADAMW: &[u8] = include_bytes!("fixtures/lora/all-grads/adamw.safetensors");

// 5 steps of AdamW (lr 1e-2, wd 0.01) with the global gradient norm clipped to 0.5, from the
// same start and on the same batch as torch: every LoRA tensor within 1e-3 relative after them.
gpu_test!(adamw_with_clipping_matches_torch(gpu) {
    use webtune::optim::{Optimizer, OptimizerKind};
    let (config, weights, _) = fixture!("all-grads");
    let adapter = Adapter::from_peft(config, weights, &odd()).unwrap();
    let (model, lora, lora_grads, bufs) = tuned(gpu, &adapter, 2).await;
    let lora = &lora;
    let mut opt = Optimizer::new(gpu, lora, OptimizerKind::adamw(), 0.01, 0.5).await.unwrap();
    let golden = SafeTensors::deserialize(ADAMW).unwrap();
    let f32s = |name: &str| -> Vec<f32> { bytemuck::pod_collect_to_vec(golden.tensor(name).unwrap().data()) };
    let (want_losses, want_norms) = (f32s("losses"), f32s("grad_norms"));
    let (ids, labels) = batch();
    for step in 0..5 {
        lora_grads.zero(gpu).unwrap();
        let loss = model.forward_backward(gpu, &bufs, lora, &lora_grads, whole(&ids, &labels), Pass::Eval).await.unwrap().mean();
        gpu.run("optimizer", |pass| opt.encode_step(gpu, pass, lora, &lora_grads, 1e-2)).unwrap();
        let norm = opt.grad_norm(gpu).await.unwrap();
        assert!(rel(loss, want_losses[step] as f64) <= 1e-4, "step {step}: loss {loss} vs torch {}", want_losses[step]);
        assert!(rel(norm, want_norms[step] as f64) <= 1e-4, "step {step}: grad norm {norm} vs torch {}", want_norms[step]);
    }
    let (mut worst, mut worst_inf) = (0.0f64, 0.0f64);
    for (&(layer, m), w) in &lora.modules {
        for (ab, t) in [("A", &w.a), ("B", &w.b)] {
            let key = format!("base_model.model.transformer.h.{layer}.{}.lora_{ab}.weight", m.path());
            let want: Vec<f64> = f32s(&key).iter().map(|&x| x as f64).collect();
            let got = t.to_vec_f32(gpu).await.unwrap();
            // ‖got - want‖₂ / ‖want‖₂. AdamW's first steps move every element by about ±lr
            // whatever its gradient's size, so an element whose gradient is rounding noise
            // can move differently; the 2-norm measures the tensor, not that one element.
            let diff: f64 = got.iter().zip(&want).map(|(&g, &w)| (g as f64 - w).powi(2)).sum::<f64>().sqrt();
            let norm: f64 = want.iter().map(|w| w * w).sum::<f64>().sqrt();
            let r = diff / norm;
            let c = webtune::cpu::compare(&got, &want);
            assert!(r <= 1e-3, "{key} after 5 AdamW steps: 2-norm rel {r:e}; {c}");
            worst = worst.max(r);
            worst_inf = worst_inf.max(c.rel);
        }
    }
    eprintln!("adapter after 5 AdamW steps vs torch: worst rel error {worst:e} (2-norm), {worst_inf:e} (max-norm)");
});

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn schedules_match_transformers_get_scheduler() {
    use webtune::optim::{warmup_steps, Schedule};
    // transformers 5.24 get_scheduler(name, num_warmup_steps=3, num_training_steps=10): the lr
    // factor at each of steps 0..=10.
    let want: [(Schedule, [f64; 11]); 3] = [
        (
            Schedule::Linear,
            [
                0.0,
                0.3333333333,
                0.6666666667,
                1.0,
                0.8571428571,
                0.7142857143,
                0.5714285714,
                0.4285714286,
                0.2857142857,
                0.1428571429,
                0.0,
            ],
        ),
        (
            Schedule::Cosine,
            [
                0.0,
                0.3333333333,
                0.6666666667,
                1.0,
                0.950484434,
                0.8117449009,
                0.611260467,
                0.388739533,
                0.1882550991,
                0.049515566,
                0.0,
            ],
        ),
        (Schedule::Constant, [0.0, 0.3333333333, 0.6666666667, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]),
    ];
    for (s, values) in want {
        for (step, v) in values.iter().enumerate() {
            let got = s.factor(step as u64, 3, 10);
            assert!((got - v).abs() < 1e-9, "{s:?} step {step}: {got} vs {v}");
        }
    }
    // TrainingArguments: ceil(ratio * total).
    assert_eq!(warmup_steps(0.05, 100), 5);
    assert_eq!(warmup_steps(0.05, 101), 6);
    assert_eq!(warmup_steps(0.0, 100), 0);
}

// Dropout in a training pass (LoRA's 0.3 and the model's own from config.json: 0.1 after the
// embeddings, on the attention probabilities and on both residual branches): the masks are
// regenerated in the backward pass, so the gradients are those of the loss the forward
// computed. Compare them with central differences of that loss (same seed) on the GPU.
gpu_test!(lora_dropout_gradients_match_finite_differences(gpu) {
    let (config, weights, _) = fixture!("all-grads");
    let mut adapter = Adapter::from_peft(config, weights, &odd()).unwrap();
    adapter.config.dropout = 0.3;
    let (model, lora, lora_grads, bufs) = tuned(gpu, &adapter, 2).await;
    let dropout = ModelDropout::from_config(&model.config);
    assert_eq!(dropout, ModelDropout::all(0.1), "config.json's pdrops");
    let (ids, labels) = batch();
    let train = |seed| Pass::Train { seed, dropout };
    let (model, lora) = (&model, &lora);
    let loss = || async { model.forward_backward(gpu, &bufs, lora, &lora_grads, whole(&ids, &labels), train(1234)).await.unwrap().mean() };
    lora_grads.zero(gpu).unwrap();
    let l0 = loss().await;
    let no_dropout = model.forward_backward(gpu, &bufs, lora, &lora_grads, whole(&ids, &labels), Pass::Eval).await.unwrap().mean();
    let other_seed = model.forward_backward(gpu, &bufs, lora, &lora_grads, whole(&ids, &labels), train(99)).await.unwrap().mean();
    assert!(l0 != no_dropout && l0 != other_seed, "dropout changes the loss, and masks follow the seed");
    // Fresh gradients at the dropout-1234 point.
    lora_grads.zero(gpu).unwrap();
    assert_eq!(loss().await, l0, "the same seed gives the same masks");

    // Read every gradient first: each loss() below adds into the gradient buffers.
    let mut analytic = Vec::new();
    for &(layer, m) in &[(0usize, Module::AttnCAttn), (1, Module::MlpCFc), (1, Module::MlpCProj)] {
        let (w, g) = (&lora.modules[&(layer, m)], &lora_grads.tensors[&(layer, m)]);
        analytic.push((&w.a, g.a.to_vec_f32(gpu).await.unwrap()));
        analytic.push((&w.b, g.b.to_vec_f32(gpu).await.unwrap()));
    }
    let mut checked = 0;
    {
        for (param, g) in analytic {
            let mut values = param.to_vec_f32(gpu).await.unwrap();
            // The element with the largest gradient: its finite difference stands out of f32 noise.
            let i = (0..g.len()).max_by(|&x, &y| g[x].abs().total_cmp(&g[y].abs())).unwrap();
            let h = 1e-2f32;
            let x0 = values[i];
            values[i] = x0 + h;
            param.write(gpu, &values).unwrap();
            let up = loss().await;
            values[i] = x0 - h;
            param.write(gpu, &values).unwrap();
            let down = loss().await;
            values[i] = x0;
            param.write(gpu, &values).unwrap();
            let numeric = (up - down) / (2.0 * h as f64);
            let r = (numeric - g[i] as f64).abs() / (g[i] as f64).abs();
            assert!(r < 0.03, "{}[{i}]: analytic {} vs numeric {numeric} (rel {r:e})", param.label, g[i]);
            checked += 1;
        }
    }
    assert_eq!(checked, 6);
});

gpu_test!(dropout_masks_drop_p_and_scale_the_rest(gpu) {
    use webtune::kernels::elementwise::{encode_dropout_backward, encode_dropout_forward, DropoutMask};
    use webtune::gpu::{DType, Tensor};
    let n = 100_000;
    let ones = Tensor::from_f32(gpu, "ones", &[n], &vec![1.0; n]).await.unwrap();
    let out = Tensor::zeros(gpu, "out", &[n], DType::F32).await.unwrap();
    let acc = Tensor::from_f32(gpu, "acc", &[n], &vec![2.0; n]).await.unwrap();
    let mask = DropoutMask { p: 0.05, seed: 7, site: 3 };
    gpu.run("test", |pass| {
        encode_dropout_forward(gpu, pass, mask, n, &ones, &out)?;
        encode_dropout_backward(gpu, pass, mask, n, &ones, &acc)
    })
    .unwrap();
    let (fwd, bwd) = (out.to_vec_f32(gpu).await.unwrap(), acc.to_vec_f32(gpu).await.unwrap());
    let dropped = fwd.iter().filter(|&&x| x == 0.0).count();
    // Binomial(100000, 0.05): mean 5000, sd 69.
    assert!((4700..5300).contains(&dropped), "{dropped} of {n} dropped at p = 0.05");
    let keep = 1.0 / 0.95f32;
    assert!(fwd.iter().all(|&x| x == 0.0 || x == keep));
    // The backward pass applies the same mask.
    assert!(fwd.iter().zip(&bwd).all(|(&f, &b)| b == 2.0 + f));
    // Another site draws another mask.
    let other = Tensor::zeros(gpu, "other", &[n], DType::F32).await.unwrap();
    gpu.run("test", |pass| encode_dropout_forward(gpu, pass, DropoutMask { site: 4, ..mask }, n, &ones, &other)).unwrap();
    assert_ne!(other.to_vec_f32(gpu).await.unwrap(), fwd);
});

// Gradient accumulation: two micro-batches of one sequence, each loss scaled by 1/2, give the
// gradients of one batch of two (equal token counts, so the mean of means is the mean).
gpu_test!(accumulated_micro_batches_equal_one_batch(gpu) {
    let (config, weights, _) = fixture!("all-grads");
    let adapter = Adapter::from_peft(config, weights, &odd()).unwrap();
    let (model, lora, one_batch, bufs2) = tuned(gpu, &adapter, 2).await;
    let (ids, _) = batch();
    let labels: Vec<i32> = ids.iter().map(|&i| i as i32).collect();
    model.forward_backward(gpu, &bufs2, &lora, &one_batch, whole(&ids, &labels), Pass::Eval).await.unwrap();
    let parts = LoraGrads::new(gpu, &lora).await.unwrap();
    let bufs1 = TrainBuffers::new(gpu, &model.config, 1, 48, lora.r, false).await.unwrap();
    for s in 0..2 {
        let r = s * 48..(s + 1) * 48;
        let half = Batch { ids: &ids[r.clone()], labels: &labels[r], dloss_scale: 0.5 };
        model.forward_backward(gpu, &bufs1, &lora, &parts, half, Pass::Eval).await.unwrap();
    }
    for (key, w) in &one_batch.tensors {
        let p = &parts.tensors[key];
        for (w, p) in [(&w.a, &p.a), (&w.b, &p.b)] {
            let want: Vec<f64> = w.to_vec_f32(gpu).await.unwrap().iter().map(|&x| x as f64).collect();
            let c = webtune::cpu::compare(&p.to_vec_f32(gpu).await.unwrap(), &want);
            assert!(c.rel <= 1e-5, "{}: {c}", w.label);
        }
    }
});

const SGD: &[u8] = include_bytes!("fixtures/lora/all-grads/sgd.safetensors");

// 5 steps of torch.optim.SGD (lr 0.05, weight decay 0.01) with clipping at 1.0.
gpu_test!(sgd_with_clipping_matches_torch(gpu) {
    use webtune::optim::{Optimizer, OptimizerKind};
    let (config, weights, _) = fixture!("all-grads");
    let adapter = Adapter::from_peft(config, weights, &odd()).unwrap();
    let (model, lora, lora_grads, bufs) = tuned(gpu, &adapter, 2).await;
    let lora = &lora;
    let mut opt = Optimizer::new(gpu, lora, OptimizerKind::Sgd, 0.01, 1.0).await.unwrap();
    let golden = SafeTensors::deserialize(SGD).unwrap();
    let f32s = |name: &str| -> Vec<f32> { bytemuck::pod_collect_to_vec(golden.tensor(name).unwrap().data()) };
    let want_losses = f32s("losses");
    let (ids, labels) = batch();
    for (step, want) in want_losses.iter().enumerate() {
        lora_grads.zero(gpu).unwrap();
        let loss = model.forward_backward(gpu, &bufs, lora, &lora_grads, whole(&ids, &labels), Pass::Eval).await.unwrap().mean();
        assert!(rel(loss, *want as f64) <= 1e-5, "step {step}: loss {loss} vs torch {want}");
        gpu.run("optimizer", |pass| opt.encode_step(gpu, pass, lora, &lora_grads, 0.05)).unwrap();
    }
    for (&(layer, m), w) in &lora.modules {
        for (ab, t) in [("A", &w.a), ("B", &w.b)] {
            let key = format!("base_model.model.transformer.h.{layer}.{}.lora_{ab}.weight", m.path());
            let want: Vec<f64> = f32s(&key).iter().map(|&x| x as f64).collect();
            let c = webtune::cpu::compare(&t.to_vec_f32(gpu).await.unwrap(), &want);
            assert!(c.rel <= 1e-4, "{key} after 5 SGD steps: {c}");
        }
    }
});

// Gradient checkpointing (--recompute): the backward pass reruns each block's forward from its
// kept input, with the same dropout masks, so loss and every LoRA gradient are bit for bit those
// of a run that kept every activation, with the model's and LoRA's dropout on. And it allocates
// less: one set of block activations plus each block's output instead of a set per block.
gpu_test!(recompute_gives_the_same_gradients_in_less_memory(gpu) {
    let (config, weights, _) = fixture!("all-grads");
    let mut adapter = Adapter::from_peft(config, weights, &odd()).unwrap();
    adapter.config.dropout = 0.3;
    let (model, lora, lora_grads, kept) = tuned(gpu, &adapter, 2).await;
    let recomputed = TrainBuffers::new(gpu, &model.config, 2, 48, lora.r, true).await.unwrap();
    assert!(recomputed.acts.recomputes() && !kept.acts.recomputes());
    assert!(recomputed.acts.bytes() < kept.acts.bytes(), "{} vs {} bytes", recomputed.acts.bytes(), kept.acts.bytes());
    let (ids, labels) = batch();
    let pass = Pass::Train { seed: 77, dropout: ModelDropout::from_config(&model.config) };
    let mut runs = Vec::new();
    for bufs in [&kept, &recomputed] {
        lora_grads.zero(gpu).unwrap();
        let loss = model.forward_backward(gpu, bufs, &lora, &lora_grads, whole(&ids, &labels), pass).await.unwrap().mean();
        let mut grads = Vec::new();
        for g in lora_grads.tensors.values() {
            grads.push(g.a.to_vec_f32(gpu).await.unwrap());
            grads.push(g.b.to_vec_f32(gpu).await.unwrap());
        }
        runs.push((loss, grads));
    }
    assert_eq!(runs[0].0, runs[1].0, "loss");
    assert!(runs[0].1.iter().flatten().any(|&g| g != 0.0), "all gradients are zero");
    assert!(runs[0].1 == runs[1].1, "LoRA gradients differ with --recompute");
});
