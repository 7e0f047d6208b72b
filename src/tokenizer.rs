//! GPT-2's byte-level BPE tokenizer, through the tokenizers crate (natively and in wasm).
//!
//! Built from a tokenizer.json, or from vocab.json + merges.txt exactly as Hugging Face's
//! GPT2TokenizerFast is: ByteLevel pre-tokenizer (no prefix space, GPT-2's split regex),
//! ByteLevel decoder, and `<|endoftext|>` (50256) as a special token, which is matched in text.
//! GPT-2's own files are bundled (assets/gpt2-tokenizer) for models that come without them.

use tokenizers::decoders::byte_level::ByteLevel as ByteLevelDecoder;
use tokenizers::models::bpe::{Merges, Vocab, BPE};
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::{AddedToken, Tokenizer};

use crate::error::{Error, Result};

pub const ENDOFTEXT: &str = "<|endoftext|>";

/// GPT-2's vocabulary and merges (OpenAI, MIT; see assets/gpt2-tokenizer/SOURCE.md).
pub const BUNDLED_VOCAB: &[u8] = include_bytes!("../assets/gpt2-tokenizer/vocab.json");
pub const BUNDLED_MERGES: &[u8] = include_bytes!("../assets/gpt2-tokenizer/merges.txt");

pub struct Gpt2Tokenizer {
    inner: Tokenizer,
    eos: u32,
}

fn err(e: impl std::fmt::Display) -> Error {
    Error::Tokenizer(e.to_string())
}

impl Gpt2Tokenizer {
    /// From a Hugging Face tokenizer.json.
    pub fn from_tokenizer_json(bytes: &[u8]) -> Result<Gpt2Tokenizer> {
        let inner = Tokenizer::from_bytes(bytes).map_err(|e| err(format!("tokenizer.json: {e}")))?;
        Gpt2Tokenizer::with_eos(inner)
    }

    /// From GPT-2's vocab.json and merges.txt.
    pub fn from_vocab_merges(vocab_json: &[u8], merges_txt: &[u8]) -> Result<Gpt2Tokenizer> {
        let vocab: std::collections::HashMap<String, u32> =
            serde_json::from_slice(vocab_json).map_err(|e| err(format!("vocab.json: {e}")))?;
        if !vocab.contains_key(ENDOFTEXT) {
            return Err(err(format!("vocab.json has no {ENDOFTEXT} token: not GPT-2's vocabulary")));
        }
        let vocab: Vocab = vocab.into_iter().collect();
        let text = std::str::from_utf8(merges_txt).map_err(|_| err("merges.txt is not UTF-8"))?;
        let mut merges: Merges = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with("#version") || line.trim().is_empty() {
                continue;
            }
            let mut parts = line.split(' ');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(a), Some(b), None) => merges.push((a.to_string(), b.to_string())),
                _ => return Err(err(format!("merges.txt line {}: expected two tokens: {line:?}", i + 1))),
            }
        }
        let bpe = BPE::builder().vocab_and_merges(vocab, merges).build().map_err(err)?;
        let mut inner = Tokenizer::new(bpe);
        inner
            .with_pre_tokenizer(Some(ByteLevel::new(false, true, true)))
            .with_decoder(Some(ByteLevelDecoder::new(true, true, true)));
        inner.add_special_tokens(&[AddedToken::from(ENDOFTEXT, true)]);
        Gpt2Tokenizer::with_eos(inner)
    }

    /// GPT-2's tokenizer, from the files built into the crate.
    pub fn bundled() -> Result<Gpt2Tokenizer> {
        Gpt2Tokenizer::from_vocab_merges(BUNDLED_VOCAB, BUNDLED_MERGES)
    }

    fn with_eos(inner: Tokenizer) -> Result<Gpt2Tokenizer> {
        let eos = inner
            .token_to_id(ENDOFTEXT)
            .ok_or_else(|| err(format!("the vocabulary has no {ENDOFTEXT} token")))?;
        Ok(Gpt2Tokenizer { inner, eos })
    }

    /// Id of `<|endoftext|>` (50256 for GPT-2).
    pub fn eos(&self) -> u32 {
        self.eos
    }

    pub fn vocab_size(&self) -> usize {
        self.inner.get_vocab_size(true)
    }

    pub fn encode(&self, text: &str) -> Result<Vec<u32>> {
        Ok(self.inner.encode(text, false).map_err(err)?.get_ids().to_vec())
    }

    pub fn decode(&self, ids: &[u32]) -> Result<String> {
        self.inner.decode(ids, false).map_err(err)
    }
}

impl Gpt2Tokenizer {
    /// This tokenizer as a Hugging Face tokenizer.json.
    pub fn to_json(&self) -> Result<String> {
        self.inner.to_string(false).map_err(err)
    }
}
