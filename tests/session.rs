//! The page's session (src/session.rs) end to end, natively and in headless Chromium: the
//! offline demo and a fixture model load, train with the loss falling, generate in two slots
//! (adapter off and on), export PEFT files that read back, import them, and export a merged model
//! that generates what the unmerged adapter does. Bad orders of calls are errors.

mod common;

use webtune::generate::GenerateSettings;
use webtune::lora::Adapter;
use webtune::model::{Checkpoint, Gpt2, Gpt2Config, WeightDtype};
use webtune::session::{Session, TokenizerFiles, TrainingSettings};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const TEXT: &str = include_str!("fixtures/eval.txt");

fn settings(steps: u64) -> TrainingSettings {
    let mut s = TrainingSettings::default();
    s.train.steps = Some(steps);
    s.train.seq_len = 16;
    s.train.batch = 2;
    s.train.lr = 1e-2;
    s.train.schedule = webtune::optim::Schedule::Constant;
    s.data.eval_fraction = 0.25;
    s.train.eval_every = 5;
    s.train.model_dropout = webtune::train::ModelDropoutSetting::All(0.0);
    s.lora.dropout = 0.0;
    s
}

async fn drain(session: &mut Session, slot: usize) -> (String, Vec<u32>, String) {
    let (mut text, mut ids) = (String::new(), Vec::new());
    loop {
        let piece = session.next_token(slot).await.unwrap();
        text.push_str(&piece.text);
        ids.extend(piece.token);
        if piece.done {
            return (text, ids, piece.stop.unwrap());
        }
    }
}

gpu_test!(demo_model_trains_generates_and_exports(_gpu) {
    // The session owns its own GPU handle, as the page's does.
    let mut session = Session::new(common::gpu().await);
    // Nothing to train, generate or export before a model is loaded.
    assert!(session.prepare_training(TEXT, &settings(5)).await.is_err());
    assert!(session.start_generation(0, "Hi", &GenerateSettings::default(), false).await.is_err());
    assert!(session.export_adapter().await.is_err());

    let summary = session.demo_model(1, WeightDtype::F32).await.unwrap();
    assert_eq!((summary.n_layer, summary.vocab_size), (2, 50257));
    // No adapter yet: the fine-tuned slot refuses, the base slot runs.
    assert!(session.start_generation(1, "Hi", &GenerateSettings::default(), true).await.is_err());

    let plan = session.prepare_training(TEXT, &settings(10)).await.unwrap();
    assert_eq!(plan.total_steps, 10);
    assert_eq!(plan.trainable, 2 * 8 * (64 + 3 * 64));
    assert!(plan.eval_blocks > 0 && plan.train_blocks > plan.eval_blocks);
    assert!(plan.memory.total > plan.memory.weights);
    // "What fits" against what the run allocates (after the first step, which allocates the
    // activations for the one batch shape this plan uses).
    let first = session.train_step().await.unwrap();
    let got = session.allocated().unwrap();
    let want = plan.memory;
    eprintln!("memory estimate {want:?}\nallocated       {got:?}");
    for (what, g, w) in [
        ("weights", got.weights, want.weights),
        ("activations", got.activations, want.activations),
        ("gradients", got.gradients, want.gradients),
        ("adapter", got.adapter, want.adapter),
    ] {
        let rel = (g as f64 - w as f64).abs() / w as f64;
        assert!(rel <= 0.01, "{what}: estimated {w} bytes, allocated {g} (rel {rel:.3})");
    }
    let mut losses = vec![first.loss];
    let mut evals = Vec::new();
    loop {
        let s = session.train_step().await.unwrap();
        losses.push(s.loss);
        evals.extend(s.eval_loss);
        if s.done {
            assert_eq!(s.step, 10);
            break;
        }
    }
    assert!(session.train_step().await.is_err(), "a finished run takes no more steps");
    assert_eq!(evals.len(), 2, "held-out loss at steps 5 and 10");
    let first: f64 = losses[..3].iter().sum::<f64>() / 3.0;
    let last: f64 = losses[7..].iter().sum::<f64>() / 3.0;
    assert!(last < first, "training loss did not fall: {losses:?}");

    let greedy = GenerateSettings { max_new_tokens: 8, temperature: 0.0, ..GenerateSettings::default() };
    session.start_generation(0, "Once upon a time", &greedy, false).await.unwrap();
    session.start_generation(1, "Once upon a time", &greedy, true).await.unwrap();
    let (base_text, base_ids, stop) = drain(&mut session, 0).await;
    let (tuned_text, tuned_ids, _) = drain(&mut session, 1).await;
    assert_ne!(base_ids, tuned_ids, "the adapter changes nothing");
    // The page interleaves the two slots token by token (the adapter switching on and off
    // between them): the same ids as one after the other.
    session.start_generation(0, "Once upon a time", &greedy, false).await.unwrap();
    session.start_generation(1, "Once upon a time", &greedy, true).await.unwrap();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..8 {
        a.extend(session.next_token(0).await.unwrap().token);
        b.extend(session.next_token(1).await.unwrap().token);
    }
    assert_eq!((a, b), (base_ids.clone(), tuned_ids.clone()), "interleaved slots");
    assert_eq!(stop, "max new tokens reached");
    assert_eq!((base_ids.len(), tuned_ids.len()), (8, 8));
    let tok = webtune::Gpt2Tokenizer::bundled().unwrap();
    assert_eq!(base_text, tok.decode(&base_ids).unwrap());
    assert_eq!(tuned_text, tok.decode(&tuned_ids).unwrap());

    // PEFT files out and back in; the merged model generates what the unmerged adapter did.
    let files = session.export_adapter().await.unwrap();
    // A Start refused for its settings leaves the trained adapter as it was.
    let mut bad = settings(10);
    bad.train.batch = 0;
    assert!(session.prepare_training(TEXT, &bad).await.is_err());
    assert_eq!(session.export_adapter().await.unwrap().safetensors, files.safetensors, "rejected Start");
    let cfg = webtune::session::demo_config();
    let adapter = Adapter::from_peft(&files.config_json, &files.safetensors, &cfg).unwrap();
    assert_eq!(adapter.num_parameters(), plan.trainable);
    let (trainable, _) = session.import_adapter(&files.config_json, &files.safetensors).await.unwrap();
    assert_eq!(trainable, plan.trainable);
    session.start_generation(0, "Once upon a time", &greedy, true).await.unwrap();
    assert_eq!(drain(&mut session, 0).await.1, tuned_ids, "re-imported adapter");

    let (config_json, merged) = session.export_merged(&[]).await.unwrap();
    let merged_cfg = Gpt2Config::from_json(&config_json).unwrap();
    let ck = Checkpoint::from_safetensors(&merged_cfg, &merged).unwrap();
    let gpu = &session.gpu;
    let model = Gpt2::from_checkpoint(gpu, merged_cfg, &ck, WeightDtype::F32).await.unwrap();
    let prompt = tok.encode("Once upon a time").unwrap();
    let config = webtune::generate::GenerateConfig {
        max_new_tokens: 8,
        sampling: webtune::sample::Sampling::greedy(),
        eos: Some(50256),
    };
    let (ids, _) = webtune::generate::generate(gpu, &model, None, &prompt, config).await.unwrap();
    assert_eq!(ids, tuned_ids, "merged model");
});

gpu_test!(fixture_model_loads_and_bad_files_are_errors(_gpu) {
    // The session owns its own GPU handle, as the page's does.
    let mut session = Session::new(common::gpu().await);
    let (config, weights) = (common::TINY.config, common::TINY.weights);
    let vocab = include_bytes!("fixtures/gpt2-tiny/vocab.json").to_vec();
    let merges = include_bytes!("fixtures/gpt2-tiny/merges.txt").to_vec();
    let s = session
        .load_model("gpt2-tiny", config, weights, TokenizerFiles::VocabMerges(vocab, merges), WeightDtype::F32)
        .await
        .unwrap();
    assert_eq!((s.n_layer, s.n_embd, s.n_positions), (2, 32, 64));
    // Not a checkpoint, a checkpoint of another shape, a config that is not GPT-2's.
    let odd = common::ODD.weights;
    for (config, weights, needle) in [
        (config, &b"not safetensors"[..], "safetensors"),
        (config, odd, "config.json implies"),
        (r#"{"model_type": "llama"}"#, weights, "gpt2"),
    ] {
        let err = session.load_model("bad", config, weights, TokenizerFiles::Bundled, WeightDtype::F32).await.unwrap_err().to_string();
        assert!(err.contains(needle), "{needle}: {err}");
    }
    // A sequence longer than the model's context is refused before anything is allocated.
    let mut s = settings(2);
    s.train.seq_len = 129;
    session.demo_model(0, WeightDtype::F32).await.unwrap();
    let err = session.prepare_training(TEXT, &s).await.unwrap_err().to_string();
    assert!(err.contains("2 ..= 128"), "{err}");
});

// The page's 4-bit base: the demo model in nf4 + double quantization trains, its "What fits"
// weights are the bytes really allocated (and under a third of f32's), and the exported
// adapter_config.json is PEFT's for a bitsandbytes base.
gpu_test!(demo_model_on_a_4bit_base(_gpu) {
    let mut session = Session::new(common::gpu().await);
    let q4 = WeightDtype::new(webtune::model::Storage::Nf4, None, true).unwrap();
    session.demo_model(1, WeightDtype::F32).await.unwrap();
    let f32_weights = session.prepare_training(TEXT, &settings(2)).await.unwrap().memory.weights;
    session.demo_model(1, q4).await.unwrap();
    let plan = session.prepare_training(TEXT, &settings(2)).await.unwrap();
    let first = session.train_step().await.unwrap();
    assert!(first.loss.is_finite());
    assert_eq!(session.allocated().unwrap().weights, plan.memory.weights, "4-bit weights: estimate vs allocated");
    // The linear layers (2 x 49,152 values) go from 4 bytes a value to 4 bits plus an f32 scale
    // per 64 values; wte, wpe, layernorms and biases stay as they were.
    let linear = 2 * (64 * 192 + 64 * 64 + 64 * 256 + 256 * 64) as u64;
    assert_eq!(f32_weights - plan.memory.weights, linear * 4 - (linear / 64 + linear / 8) * 4);
    let files = session.export_adapter().await.unwrap();
    let config: serde_json::Value = serde_json::from_str(&files.config_json).unwrap();
    assert_eq!(config["fan_in_fan_out"], serde_json::json!(false));
});
