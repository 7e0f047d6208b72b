//! GPT-2's tokenizer against transformers' GPT2TokenizerFast on mixed Unicode text (accents,
//! CJK, emoji, runs of spaces, tabs, CRLF, contractions, <|endoftext|>). Natively and in wasm.

use webtune::Gpt2Tokenizer;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const CASES: &str = include_str!("fixtures/tokenizer_cases.json");

fn cases() -> Vec<(String, Vec<u32>)> {
    let v: serde_json::Value = serde_json::from_str(CASES).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let ids = c["ids"].as_array().unwrap().iter().map(|i| i.as_u64().unwrap() as u32).collect();
            (c["text"].as_str().unwrap().to_string(), ids)
        })
        .collect()
}

fn check(tok: &Gpt2Tokenizer) {
    let cases = cases();
    assert!(cases.len() >= 8);
    for (text, want) in &cases {
        let got = tok.encode(text).unwrap();
        assert_eq!(&got, want, "ids of {text:?}");
        assert_eq!(&tok.decode(&got).unwrap(), text, "decode(encode({text:?}))");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn bundled_vocab_and_merges_match_transformers() {
    let tok = Gpt2Tokenizer::bundled().unwrap();
    assert_eq!(tok.eos(), 50256);
    assert_eq!(tok.vocab_size(), 50257);
    assert_eq!(tok.encode("<|endoftext|>").unwrap(), vec![50256]);
    check(&tok);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn tokenizer_json_round_trip_matches_transformers() {
    let json = Gpt2Tokenizer::bundled().unwrap().to_json().unwrap();
    let tok = Gpt2Tokenizer::from_tokenizer_json(json.as_bytes()).unwrap();
    check(&tok);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn broken_tokenizer_files_are_errors() {
    assert!(Gpt2Tokenizer::from_tokenizer_json(b"{not json").is_err());
    assert!(Gpt2Tokenizer::from_vocab_merges(b"[1, 2]", b"#version: 0.2\n").is_err());
    let e = Gpt2Tokenizer::from_vocab_merges(br#"{"a": 0, "b": 1, "<|endoftext|>": 2}"#, b"a b c\n")
        .err()
        .unwrap();
    assert!(e.to_string().contains("merges.txt line 1"), "{e}");
    // A vocabulary without <|endoftext|> is not GPT-2's.
    let e = Gpt2Tokenizer::from_vocab_merges(br#"{"a": 0, "b": 1, "ab": 2}"#, b"a b\n").err().unwrap();
    assert!(e.to_string().contains("<|endoftext|>"), "{e}");
}

// Streaming: one token at a time, every piece is valid UTF-8 (no U+FFFD from a character split
// across tokens) and the pieces join to the whole decode; special tokens can be left out.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn text_stream_never_splits_a_character() {
    use webtune::tokenizer::TextStream;
    let tok = Gpt2Tokenizer::bundled().unwrap();
    let mut split_somewhere = false;
    for (text, ids) in cases() {
        let mut stream = TextStream::new(false);
        let mut joined = String::new();
        for &id in &ids {
            let piece = stream.push(&tok, id).unwrap();
            assert!(!piece.contains('\u{FFFD}'), "{text:?}: a piece with U+FFFD");
            split_somewhere |= piece.is_empty();
            joined.push_str(&piece);
        }
        joined.push_str(&stream.finish());
        assert_eq!(joined, tok.decode(&ids).unwrap(), "{text:?}");
    }
    // The cases include characters split over tokens (emoji, CJK), so some piece waited.
    assert!(split_somewhere, "no case split a character across tokens");

    let ids = tok.encode("Hi<|endoftext|> there").unwrap();
    let mut stream = TextStream::new(true);
    let text: String = ids.iter().map(|&id| stream.push(&tok, id).unwrap()).collect();
    assert_eq!(text, "Hi there");
    // A lone continuation byte can never become a character: it comes out as U+FFFD at once.
    let lone = (0..tok.vocab_size() as u32).find(|&id| tok.token_bytes(id).unwrap() == [0x80]).unwrap();
    assert_eq!(TextStream::new(false).push(&tok, lone).unwrap(), "\u{FFFD}");
}
