//! Training data: packing as group_texts, one example per line padded with EOS and masked with
//! -100 as DataCollatorForLanguageModeling, JSON Lines, and seeded shuffles.

use webtune::data::{Dataset, Packing};
use webtune::Gpt2Tokenizer;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn tok() -> Gpt2Tokenizer {
    Gpt2Tokenizer::bundled().unwrap()
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn packing_cuts_the_stream_and_drops_the_remainder() {
    let t = tok();
    let text = "one two three four five six seven eight nine ten eleven\ntwelve";
    let stream = t.encode(text).unwrap();
    let d = Dataset::build(&t, text, false, Packing::Pack, 4).unwrap();
    assert_eq!(d.len(), stream.len() / 4);
    assert_eq!(d.ids.concat(), stream[..d.len() * 4].to_vec());
    assert!(d.labels.iter().zip(&d.ids).all(|(l, i)| l.iter().zip(i).all(|(&l, &i)| l == i as i32)));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn lines_are_truncated_padded_with_eos_and_masked() {
    let t = tok();
    let text = "short line\n\na much longer line that will certainly be cut at eight tokens or so\nx\n";
    let d = Dataset::build(&t, text, false, Packing::Lines, 8).unwrap();
    // The empty line is skipped; "x" is one token and predicts nothing, so it is skipped too.
    assert_eq!(d.len(), 2);
    let short = t.encode("short line").unwrap();
    assert_eq!(&d.ids[0][..short.len()], short.as_slice());
    assert!(d.ids[0][short.len()..].iter().all(|&i| i == 50256), "padded with <|endoftext|>");
    assert!(d.labels[0][short.len()..].iter().all(|&l| l == -100), "padding takes no part in the loss");
    assert_eq!(d.ids[1].len(), 8);
    assert!(d.labels[1].iter().all(|&l| l >= 0));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn jsonl_records_and_their_errors() {
    let t = tok();
    let text = "{\"text\": \"first record\"}\n{\"text\": \"second record\", \"meta\": 1}\n";
    let d = Dataset::build(&t, text, true, Packing::Lines, 4).unwrap();
    assert_eq!(d.len(), 2);
    let packed = Dataset::build(&t, text, true, Packing::Pack, 2).unwrap();
    let stream: Vec<u32> = [t.encode("first record").unwrap(), t.encode("second record").unwrap()].concat();
    assert_eq!(packed.ids.concat(), stream[..packed.len() * 2].to_vec());
    let e = Dataset::build(&t, "{\"text\": 1}\n", true, Packing::Pack, 2).unwrap_err().to_string();
    assert!(e.contains("line 1") && e.contains("text"), "{e}");
    let e = Dataset::build(&t, "ok\nnot json\n", true, Packing::Pack, 2).unwrap_err().to_string();
    assert!(e.contains("line 1"), "{e}");
    let e = Dataset::build(&t, "tiny", false, Packing::Pack, 64).unwrap_err().to_string();
    assert!(e.contains("no training block"), "{e}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn shuffles_are_seeded_permutations() {
    let t = tok();
    let text = (0..200).map(|i| format!("line {i}")).collect::<Vec<_>>().join(" ");
    let d = Dataset::build(&t, &text, false, Packing::Pack, 4).unwrap();
    let n = d.len();
    assert_eq!(d.order(0, false, 0), (0..n).collect::<Vec<_>>());
    let a = d.order(0, true, 5);
    let mut sorted = a.clone();
    sorted.sort();
    assert_eq!(sorted, (0..n).collect::<Vec<_>>(), "a permutation");
    assert_eq!(a, d.order(0, true, 5), "the same seed and epoch give the same order");
    assert_ne!(a, d.order(1, true, 5), "each epoch reshuffles");
    assert_ne!(a, d.order(0, true, 6), "another seed, another order");
    let batches = d.batches(0, true, 5, 3);
    assert_eq!(batches.len(), n.div_ceil(3));
    assert_eq!(batches.concat(), a);
}
