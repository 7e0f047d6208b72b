//! The largest sizes a config.json may give (`Gpt2Config::MAX_SIZES`), all at once and one at a
//! time, through everything computed from them before anything is allocated: the parameter
//! counts, the tensors a checkpoint must have, a training run's memory plan at the flags' largest
//! batch and length for every weight storage, and the up-front limit check's numbers. On wasm32
//! a usize is 32 bits, so this is where a product of sizes would overflow (a panic in these debug
//! builds, a wrong number in release); the fuzzers run natively only. Needs no GPU; runs natively
//! and in headless Chromium.

use webtune::lora::LoraConfig;
use webtune::model::{expected_tensors, memory, Gpt2Config, Storage, WeightDtype};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// config.json texts: every size at its largest, then each alone at its largest.
fn configs() -> Vec<String> {
    let max = |key: &str| Gpt2Config::MAX_SIZES.iter().find(|(k, _)| *k == key).unwrap().1;
    let json = |pairs: &[(&str, u64)]| {
        let mut v = serde_json::json!({"model_type": "gpt2", "n_layer": 2, "n_embd": 64, "n_head": 4,
            "n_positions": 64, "vocab_size": 50257});
        for (k, n) in pairs {
            v[*k] = serde_json::json!(n);
        }
        v.to_string()
    };
    let all: Vec<(&str, u64)> = Gpt2Config::MAX_SIZES.iter().map(|&(k, _)| (k, max(k))).collect();
    let mut out = vec![json(&all)];
    for (k, n) in &all {
        // n_head must divide n_embd: alone at its largest it needs the widest width too.
        if *k == "n_head" {
            out.push(json(&[("n_head", *n), ("n_embd", max("n_embd"))]));
        } else {
            out.push(json(&[(k, *n)]));
        }
    }
    out
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_largest_configs_plan_without_overflow() {
    let storages = [
        WeightDtype::F32,
        WeightDtype::F16,
        WeightDtype::new(Storage::Nf4, None, true).unwrap(),
        WeightDtype::new(Storage::Fp4, Some(Storage::F16), false).unwrap(),
    ];
    for text in configs() {
        let cfg = Gpt2Config::from_json(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let params = cfg.num_parameters();
        assert!(params >= cfg.vocab_size as u64 * cfg.n_embd as u64, "{text}: {params}");
        assert_eq!(expected_tensors(&cfg).len(), 4 + 12 * cfg.n_layer);
        let lora = LoraConfig {
            r: 1024,
            target_modules: vec!["c_attn".into(), "c_fc".into()],
            ..LoraConfig::default()
        };
        // A count past what this platform holds is an error, not a wrap.
        let trainable = lora.num_parameters(&cfg).unwrap_or(usize::MAX);
        for dtype in storages {
            for (b, t) in [(4096, cfg.n_positions), (1, 2), (4096, 2)] {
                let e = memory::training(&cfg, dtype, (b, t, 1024), false, trainable);
                assert!(e.total >= e.weights && e.largest_buffer > 0, "{text} {dtype:?} B {b} T {t}: {e:?}");
                let r = memory::training(&cfg, dtype, (b, t, 1024), true, trainable);
                assert!(r.activations <= e.activations, "{text}: recompute holds more: {r:?} vs {e:?}");
            }
        }
    }
}
