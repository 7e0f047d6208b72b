//! Checkpoint and config.json validation (no GPU): accepted name and dtype variants, and clear
//! errors that name the tensor or field for everything else.

mod common;

use std::collections::BTreeMap;

use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};
use webtune::model::{Checkpoint, Gpt2Config};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// The odd fixture's tensors as (name -> (dtype, shape, bytes)), to edit and re-serialise.
type Tensors = BTreeMap<String, (Dtype, Vec<usize>, Vec<u8>)>;

fn tensors() -> Tensors {
    let st = SafeTensors::deserialize(common::ODD.weights).unwrap();
    st.tensors().into_iter().map(|(n, v)| (n, (v.dtype(), v.shape().to_vec(), v.data().to_vec()))).collect()
}

fn serialize(t: &Tensors) -> Vec<u8> {
    let views: Vec<(String, TensorView<'_>)> =
        t.iter().map(|(n, (d, s, b))| (n.clone(), TensorView::new(*d, s.clone(), b).unwrap())).collect();
    safetensors::serialize(views, None).unwrap()
}

fn cfg() -> Gpt2Config {
    Gpt2Config::from_json(common::ODD.config).unwrap()
}

fn load(t: &Tensors) -> Result<Checkpoint, String> {
    Checkpoint::from_safetensors(&cfg(), &serialize(t)).map_err(|e| e.to_string())
}

fn expect_err(t: &Tensors, needles: &[&str]) {
    let e = load(t).err().expect("should be refused");
    for n in needles {
        assert!(e.contains(n), "error {e:?} should mention {n:?}");
    }
}

#[test]
fn openai_and_save_pretrained_names_both_load() {
    let plain = load(&tensors()).unwrap();
    let prefixed: Tensors = tensors().into_iter().map(|(n, v)| (format!("transformer.{n}"), v)).collect();
    let prefixed = load(&prefixed).unwrap();
    assert_eq!(plain.tensors.len(), prefixed.tensors.len());
    for (name, t) in &plain.tensors {
        assert_eq!(t.data, prefixed.get(name).data, "{name}");
    }
}

#[test]
fn tied_lm_head_and_mask_buffers_are_accepted() {
    let mut t = tensors();
    let wte = t["wte.weight"].clone();
    t.insert("lm_head.weight".into(), wte);
    // attn.bias (the causal mask) and attn.masked_bias, as older checkpoints carry them.
    t.insert("h.0.attn.bias".into(), (Dtype::F32, vec![1, 1, 48, 48], vec![0u8; 48 * 48 * 4]));
    t.insert("h.1.attn.masked_bias".into(), (Dtype::F32, vec![], vec![0u8; 4]));
    load(&t).unwrap();
}

#[test]
fn untied_lm_head_is_refused() {
    let mut t = tensors();
    let (d, s, mut b) = t["wte.weight"].clone();
    b[0] ^= 0x40;
    t.insert("lm_head.weight".into(), (d, s, b));
    expect_err(&t, &["lm_head.weight", "tied"]);
}

#[test]
fn f16_and_bf16_weights_convert_exactly() {
    for dtype in [Dtype::F16, Dtype::BF16] {
        let t: Tensors = tensors()
            .into_iter()
            .map(|(n, (_, s, b))| {
                let f: Vec<f32> = bytemuck::pod_collect_to_vec(&b);
                let bytes: Vec<u8> = match dtype {
                    Dtype::F16 => f.iter().flat_map(|&x| half::f16::from_f32(x).to_le_bytes()).collect(),
                    _ => f.iter().flat_map(|&x| half::bf16::from_f32(x).to_le_bytes()).collect(),
                };
                (n, (dtype, s, bytes))
            })
            .collect();
        let ck = load(&t).unwrap();
        let orig = load(&tensors()).unwrap();
        let (got, was) = (&ck.get("h.1.mlp.c_fc.weight").data, &orig.get("h.1.mlp.c_fc.weight").data);
        for (g, w) in got.iter().zip(was) {
            let want = match dtype {
                Dtype::F16 => half::f16::from_f32(*w).to_f32(),
                _ => half::bf16::from_f32(*w).to_f32(),
            };
            assert_eq!(*g, want);
        }
    }
}

#[test]
fn missing_tensor_is_named() {
    let mut t = tensors();
    t.remove("h.1.mlp.c_fc.bias");
    expect_err(&t, &["h.1.mlp.c_fc.bias", "missing"]);
}

#[test]
fn wrong_shape_is_named() {
    let mut t = tensors();
    let (d, _, b) = t["h.0.attn.c_attn.weight"].clone();
    t.insert("h.0.attn.c_attn.weight".into(), (d, vec![180, 60], b));
    expect_err(&t, &["h.0.attn.c_attn.weight", "[180, 60]", "[60, 180]"]);
}

#[test]
fn non_float_dtype_is_named() {
    let mut t = tensors();
    let (_, s, b) = t["wpe.weight"].clone();
    t.insert("wpe.weight".into(), (Dtype::I32, s, b));
    expect_err(&t, &["wpe.weight", "I32"]);
}

#[test]
fn unexpected_and_duplicate_tensors_are_named() {
    let mut t = tensors();
    t.insert("h.2.ln_1.weight".into(), t["h.1.ln_1.weight"].clone());
    expect_err(&t, &["h.2.ln_1.weight", "unexpected"]);
    let mut t = tensors();
    t.insert("transformer.wpe.weight".into(), t["wpe.weight"].clone());
    expect_err(&t, &["wpe.weight", "twice"]);
}

#[test]
fn broken_safetensors_header_is_an_error() {
    let bytes = serialize(&tensors());
    for broken in [&bytes[..4], &bytes[..100], b"\xff\xff\xff\xff\xff\xff\xff\xffgarbage".as_slice(), &[][..]]
    {
        let e = Checkpoint::from_safetensors(&cfg(), broken).err().expect("refused").to_string();
        assert!(e.contains("not a valid safetensors file"), "{e}");
    }
}

#[test]
fn broken_config_json_is_an_error() {
    for (text, needle) in [
        ("{", "not valid JSON"),
        ("[1]", "not a JSON object"),
        (r#"{"n_head": 4, "n_layer": 2, "vocab_size": 10}"#, "n_embd is missing"),
        (r#"{"n_embd": 30, "n_head": 4, "n_layer": 2, "vocab_size": 10}"#, "not a multiple of n_head"),
        (r#"{"n_embd": "32", "n_head": 4, "n_layer": 2, "vocab_size": 10}"#, "n_embd"),
        (r#"{"n_embd": 32, "n_head": 4, "n_layer": -2, "vocab_size": 10}"#, "n_layer"),
        (r#"{"model_type": "llama", "n_embd": 32, "n_head": 4, "n_layer": 2, "vocab_size": 10}"#, "llama"),
        (
            r#"{"activation_function": "relu", "n_embd": 32, "n_head": 4, "n_layer": 2, "vocab_size": 10}"#,
            "relu",
        ),
        (
            r#"{"layer_norm_epsilon": 5, "n_embd": 32, "n_head": 4, "n_layer": 2, "vocab_size": 10}"#,
            "layer_norm_epsilon",
        ),
        // Absurd sizes (the fuzzer's first find: a plan for 190 billion layers ran out of memory).
        (
            r#"{"n_embd": 32, "n_head": 4, "n_layer": 190486604922, "vocab_size": 10}"#,
            "n_layer = 190486604922 is above",
        ),
        (r#"{"n_embd": 32, "n_head": 4, "n_layer": 2, "vocab_size": 1e300}"#, "vocab_size"),
        (r#"{"n_embd": 4611686018427387904, "n_head": 4, "n_layer": 2, "vocab_size": 10}"#, "n_embd"),
        (r#"{"n_embd": 32, "n_head": 4, "n_layer": 2, "vocab_size": 10, "n_inner": 1e6}"#, "n_inner"),
    ] {
        let e = Gpt2Config::from_json(text).err().unwrap_or_else(|| panic!("{text} accepted")).to_string();
        assert!(e.contains(needle), "{text}: {e:?} should mention {needle:?}");
    }
}

#[test]
fn presets_have_the_published_sizes() {
    // GPT-2 small has 124,439,808 parameters (lm_head tied), as transformers counts them.
    assert_eq!(Gpt2Config::preset("gpt2").unwrap().num_parameters(), 124_439_808);
    assert_eq!(Gpt2Config::preset("gpt2-medium").unwrap().num_parameters(), 354_823_168);
    assert_eq!(Gpt2Config::preset("distilgpt2").unwrap().num_parameters(), 81_912_576);
    assert!(Gpt2Config::preset("gpt3").is_none());
}
