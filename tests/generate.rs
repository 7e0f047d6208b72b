//! Generation with a KV cache against transformers' `generate(do_sample=False)`
//! (tests/reference/make_generate_fixtures.py): the same greedy ids with and without an adapter,
//! unmerged and merged; the cache's logits against a full forward pass; seeds; the stop rules.
//! Natively and in headless Chromium.

mod common;

use webtune::generate::{generate, GenerateConfig, Generator, Stop};
use webtune::lora::Adapter;
use webtune::model::{Activations, Checkpoint, Gpt2, Gpt2Config, WeightDtype};
use webtune::sample::Sampling;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const CASES: &str = include_str!("fixtures/generate.json");

fn model_files(name: &str) -> &'static common::ModelFixture {
    match name {
        "gpt2-tiny" => &common::TINY,
        "gpt2-odd" => &common::ODD,
        other => panic!("no fixture model {other}"),
    }
}

fn adapter_files(name: &str) -> (&'static str, &'static [u8]) {
    match name {
        "tiny-c_attn" => adapter_files!("tiny-c_attn"),
        "attn-mlp" => adapter_files!("attn-mlp"),
        "rslora-fc" => adapter_files!("rslora-fc"),
        other => panic!("no fixture adapter {other}"),
    }
}

struct Case {
    model: String,
    adapter: Option<String>,
    prompt: Vec<u32>,
    max_new_tokens: usize,
    repetition_penalty: f32,
    eos: Option<u32>,
    want: Vec<u32>,
}

fn cases() -> Vec<Case> {
    let v: serde_json::Value = serde_json::from_str(CASES).unwrap();
    let ids =
        |v: &serde_json::Value| v.as_array().unwrap().iter().map(|i| i.as_u64().unwrap() as u32).collect();
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| Case {
            model: c["model"].as_str().unwrap().into(),
            adapter: c["adapter"].as_str().map(String::from),
            prompt: ids(&c["prompt"]),
            max_new_tokens: c["max_new_tokens"].as_u64().unwrap() as usize,
            repetition_penalty: c["repetition_penalty"].as_f64().unwrap() as f32,
            eos: c["eos"].as_u64().map(|e| e as u32),
            want: ids(&c["want"]),
        })
        .collect()
}

fn greedy(case: &Case) -> GenerateConfig {
    GenerateConfig {
        max_new_tokens: case.max_new_tokens,
        sampling: Sampling { repetition_penalty: case.repetition_penalty, ..Sampling::greedy() },
        eos: case.eos,
    }
}

async fn base(gpu: &webtune::Gpu, name: &str) -> Gpt2 {
    let f = model_files(name);
    Gpt2::load(gpu, f.config, f.weights, WeightDtype::F32).await.unwrap()
}

fn adapter(name: &str, cfg: &Gpt2Config) -> Adapter {
    let (config, weights) = adapter_files(name);
    Adapter::from_peft(config, weights, cfg).unwrap()
}

// The cache kernels against the CPU reference: a sequence fed in two chunks (the second at
// pos0 > 0) gives each query the attention over every position up to its own. Cases: head size
// 8; 80 and 200 (two and four output channels per invocation); head size 4 with a context of
// 1100 (past one 1024-key chunk of scores).
gpu_test!(kv_attention_matches_cpu(gpu) {
    use webtune::cpu::{self, ops};
    use webtune::gpu::{DType, Tensor};
    use webtune::kernels::kv_attention::{encode_kv_append, encode_kv_attention};
    let cases = [(2, 40, 13, 24, 3), (1, 20, 19, 160, 2), (1, 12, 5, 400, 2), (1, 1100, 1030, 8, 2)];
    for (i, &(b, t, split, c, nh)) in cases.iter().enumerate() {
        let qv = common::uniform(b * t * 3 * c, 40 + i as u64);
        let scale = 0.7;
        let (want, _) = ops::attention_forward(&qv, b, t, c, nh, scale);
        let kv = Tensor::zeros(gpu, "kv", &[b, t, 2 * c], DType::F32).await.unwrap();
        for (t0, t1) in [(0, split), (split, t)] {
            let tq = t1 - t0;
            let rows = |v: &[f32], width: usize| -> Vec<f32> {
                (0..b).flat_map(|s| v[(s * t + t0) * width..(s * t + t1) * width].to_vec()).collect()
            };
            let qkv = Tensor::from_f32(gpu, "qkv", &[b, tq, 3 * c], &rows(&qv, 3 * c)).await.unwrap();
            let out = Tensor::zeros(gpu, "out", &[b, tq, c], DType::F32).await.unwrap();
            gpu.run("test", |pass| {
                encode_kv_append(gpu, pass, &qkv, &kv, t0)?;
                encode_kv_attention(gpu, pass, &qkv, &kv, t0, nh, scale as f32, &out)
            })
            .unwrap();
            let want: Vec<f64> =
                (0..b).flat_map(|s| want[(s * t + t0) * c..(s * t + t1) * c].to_vec()).collect();
            let cmp = cpu::compare(&out.to_vec_f32(gpu).await.unwrap(), &want);
            assert!(cmp.rel <= 1e-5, "b{b} t{t} c{c} nh{nh}, positions {t0}..{t1}: {cmp}");
        }
    }
});

// Greedy ids equal transformers' on every golden case: base models, adapters applied unmerged,
// the same adapters merged into the weights, the repetition penalty, a stop at end of text (kept
// in the ids) and a run that fills the context exactly.
gpu_test!(greedy_ids_match_transformers(gpu) {
    let cases = cases();
    assert!(cases.len() >= 8 && cases.iter().any(|c| c.adapter.is_some()));
    for case in &cases {
        let model = base(gpu, &case.model).await;
        let what = format!("{} + {:?}, penalty {}", case.model, case.adapter, case.repetition_penalty);
        let lora = match &case.adapter {
            Some(name) => Some(adapter(name, &model.config).upload(gpu, &model.config).await.unwrap()),
            None => None,
        };
        let (ids, stop) = generate(gpu, &model, lora.as_ref(), &case.prompt, greedy(case)).await.unwrap();
        assert_eq!(ids, case.want, "{what}");
        let want_stop = if case.eos.is_some() { Stop::Eos } else { Stop::MaxNewTokens };
        assert_eq!(stop, want_stop, "{what}");

        if let Some(name) = &case.adapter {
            let f = model_files(&case.model);
            let cfg = Gpt2Config::from_json(f.config).unwrap();
            let mut ck = Checkpoint::from_safetensors(&cfg, f.weights).unwrap();
            adapter(name, &cfg).merge_into(&mut ck).unwrap();
            let merged = Gpt2::from_checkpoint(gpu, cfg, &ck, WeightDtype::F32).await.unwrap();
            let (ids, _) = generate(gpu, &merged, None, &case.prompt, greedy(case)).await.unwrap();
            assert_eq!(ids, case.want, "{what}, merged");
        }
    }
});

// The generator's own logits at every step (its cache built up by 30 appended decode steps)
// equal the last position's logits of a full forward pass over the whole sequence so far.
gpu_test!(cached_logits_match_a_full_forward(gpu) {
    let model = base(gpu, "gpt2-odd").await;
    let lora = adapter("attn-mlp", &model.config).upload(gpu, &model.config).await.unwrap();
    let lora = Some(&lora);
    let prompt: Vec<u32> = (0..7).map(|i| (11 * i + 5) % 1000).collect();
    let cfg = GenerateConfig { max_new_tokens: 30, sampling: Sampling::greedy(), eos: None };
    let mut g = Generator::new(gpu, &model, lora, &prompt, cfg).await.unwrap();
    let mut worst = 0.0f32;
    let mut steps = 0;
    while g.stop().is_none() {
        let seq = g.tokens().to_vec();
        let cached = g.peek_logits(gpu, &model, lora).await.unwrap().to_vec();
        let acts = Activations::for_generation(gpu, &model.config, seq.len(), lora.map_or(0, |l| l.r)).await.unwrap();
        let full = model.last_logits(gpu, &acts, lora, &seq).await.unwrap();
        for (a, b) in cached.iter().zip(&full) {
            worst = worst.max((a - b).abs());
        }
        g.next_token(gpu, &model, lora).await.unwrap();
        steps += 1;
    }
    eprintln!("KV-cache logits vs full forward: max abs {worst:e} over {steps} steps");
    assert!(worst <= 1e-4, "max abs difference {worst}");
    assert_eq!((steps, g.generated().len()), (30, 30));
});

// A seed fixes the sample; another seed gives another. Top-k and top-p narrow it; greedy ignores
// the seed.
gpu_test!(seeds_fix_samples(gpu) {
    let model = base(gpu, "gpt2-tiny").await;
    let prompt = webtune::Gpt2Tokenizer::bundled().unwrap().encode("Once upon a time").unwrap();
    let run = |sampling: Sampling| {
        let prompt = prompt.clone();
        let model = &model;
        async move {
            let cfg = GenerateConfig { max_new_tokens: 12, sampling, eos: None };
            generate(gpu, model, None, &prompt, cfg).await.unwrap().0
        }
    };
    let warm = Sampling { temperature: 1.5, top_k: 0, top_p: 1.0, repetition_penalty: 1.0, seed: 7 };
    let a = run(warm).await;
    assert_eq!(a, run(warm).await, "same seed");
    assert_ne!(a, run(Sampling { seed: 8, ..warm }).await, "another seed");
    // top-k 1 is greedy whatever the seed and temperature.
    let greedy = run(Sampling::greedy()).await;
    assert_eq!(run(Sampling { top_k: 1, ..warm }).await, greedy);
    assert_eq!(run(Sampling { top_p: 1e-6, seed: 99, ..warm }).await, greedy);
    assert_eq!(run(Sampling { seed: 12345, ..Sampling::greedy() }).await, greedy);
});

// When every position has been fed the sequence stops with ContextFull (n_positions + 1 tokens),
// after the same ids transformers gives when asked for exactly what fits.
gpu_test!(context_full_stops_with_a_reason(gpu) {
    let case = cases().into_iter().find(|c| c.prompt.len() + c.want.len() == 49).expect("a case that fills 48");
    let model = base(gpu, &case.model).await;
    let lora = adapter(case.adapter.as_deref().unwrap(), &model.config).upload(gpu, &model.config).await.unwrap();
    let lora = Some(&lora);
    let cfg = GenerateConfig { max_new_tokens: 100, ..greedy(&case) };
    let (ids, stop) = generate(gpu, &model, lora, &case.prompt, cfg).await.unwrap();
    assert_eq!(ids, case.want);
    assert_eq!(stop, Stop::ContextFull(48));
    // A prompt of exactly n_positions tokens still gets one token.
    let prompt: Vec<u32> = (0..48).collect();
    let (ids, stop) = generate(gpu, &model, lora, &prompt, cfg).await.unwrap();
    assert_eq!((ids.len(), stop), (1, Stop::ContextFull(48)));
});

// One model serves generations with and without the adapter, in any order, without reloading;
// switching the adapter in the middle of a generation (on, off, or another upload) is an error
// rather than a mix of two models.
gpu_test!(adapter_switches_between_generations(gpu) {
    let cases = cases();
    let find = |adapter: Option<&str>| {
        cases.iter().find(|c| c.model == "gpt2-odd" && c.adapter.as_deref() == adapter && c.eos.is_none()
            && c.repetition_penalty == 1.0 && c.max_new_tokens == 20).unwrap()
    };
    let (with, without) = (find(Some("attn-mlp")), find(None));
    assert_eq!(with.prompt, without.prompt);
    let model = base(gpu, "gpt2-odd").await;
    let tuned = adapter("attn-mlp", &model.config);
    let lora = tuned.upload(gpu, &model.config).await.unwrap();
    for enabled in [false, true, false] {
        let (ids, _) = generate(gpu, &model, Some(&lora).filter(|_| enabled), &with.prompt, greedy(with)).await.unwrap();
        assert_eq!(&ids, if enabled { &with.want } else { &without.want }, "adapter on: {enabled}");
    }
    let again = tuned.upload(gpu, &model.config).await.unwrap();
    for (start, then) in [(None, Some(&lora)), (Some(&lora), None), (Some(&lora), Some(&again))] {
        let mut g = Generator::new(gpu, &model, start, &with.prompt, greedy(with)).await.unwrap();
        g.next_token(gpu, &model, start).await.unwrap();
        let err = g.next_token(gpu, &model, then).await.unwrap_err().to_string();
        assert!(err.contains("adapter was switched"), "{err}");
    }
});

// Bad requests are errors with a reason, before any work.
gpu_test!(bad_requests_are_errors(gpu) {
    let model = base(gpu, "gpt2-odd").await;
    let ok = GenerateConfig { max_new_tokens: 4, sampling: Sampling::greedy(), eos: None };
    let err = |prompt: Vec<u32>, cfg: GenerateConfig| {
        let model = &model;
        async move {
            match Generator::new(gpu, model, None, &prompt, cfg).await {
                Ok(_) => panic!("accepted {prompt:?} with {cfg:?}"),
                Err(e) => e.to_string(),
            }
        }
    };
    assert!(err(vec![], ok).await.contains("prompt is empty"));
    assert!(err((0..49).collect(), ok).await.contains("context is 48"));
    assert!(err(vec![1, 1000], ok).await.contains("outside the vocabulary"));
    assert!(err(vec![1], GenerateConfig { max_new_tokens: 0, ..ok }).await.contains("at least 1"));
    let hot = Sampling { temperature: -0.5, ..Sampling::greedy() };
    assert!(err(vec![1], GenerateConfig { sampling: hot, ..ok }).await.contains("temperature"));
});
