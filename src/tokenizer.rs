//! GPT-2's byte-level BPE tokenizer, through the tokenizers crate (natively and in wasm).
//!
//! Built from a tokenizer.json, or from vocab.json + merges.txt exactly as Hugging Face's
//! GPT2TokenizerFast is: ByteLevel pre-tokenizer (no prefix space, GPT-2's split regex),
//! ByteLevel decoder, and `<|endoftext|>` (50256) as a special token, which is matched in text.
//! GPT-2's own files are bundled (assets/gpt2-tokenizer) for models that come without them.

use tokenizers::decoders::byte_level::ByteLevel as ByteLevelDecoder;
use tokenizers::models::bpe::{Merges, Vocab, BPE};
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::pre_tokenizers::PreTokenizerWrapper;
use tokenizers::{AddedToken, Tokenizer};

use crate::error::{Error, Result};

pub const ENDOFTEXT: &str = "<|endoftext|>";

/// GPT-2's vocabulary and merges (OpenAI, MIT; see assets/gpt2-tokenizer/SOURCE.md).
pub const BUNDLED_VOCAB: &[u8] = include_bytes!("../assets/gpt2-tokenizer/vocab.json");
pub const BUNDLED_MERGES: &[u8] = include_bytes!("../assets/gpt2-tokenizer/merges.txt");

pub struct Gpt2Tokenizer {
    inner: Tokenizer,
    eos: u32,
    /// Whether long texts may be encoded piece by piece (see [`Gpt2Tokenizer::encode`]): GPT-2's
    /// byte-level regex pre-tokenizer, and no normalizer that could join across a cut.
    in_pieces: bool,
}

/// Texts longer than this are encoded in pieces of about this many bytes: the tokenizers crate
/// keeps some 300 bytes of bookkeeping per token of the text it encodes (a 62 MB line took 7.8 GB).
const PIECE_BYTES: usize = 1 << 20;

/// Where to end the first piece of `text` (its length when it is short, or has no cut): at or
/// after `piece_bytes`, before a space that follows a non-space and precedes one. GPT-2's regex
/// never joins across such a space: the pieces it makes from ` x` start with the space (` ?\p{L}+`,
/// ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`), and what precedes it ends before it.
fn cut(text: &str, piece_bytes: usize) -> usize {
    if text.len() <= piece_bytes {
        return text.len();
    }
    let mut prev_space = true;
    for (i, c) in text.char_indices() {
        if i >= piece_bytes
            && c == ' '
            && !prev_space
            && text[i + 1..].chars().next().is_some_and(|n| !n.is_whitespace())
        {
            return i;
        }
        prev_space = c.is_whitespace();
    }
    text.len()
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
        let in_pieces = inner.get_normalizer().is_none()
            && matches!(inner.get_pre_tokenizer(), Some(PreTokenizerWrapper::ByteLevel(b)) if b.use_regex);
        Ok(Gpt2Tokenizer { inner, eos, in_pieces })
    }

    /// Id of `<|endoftext|>` (50256 for GPT-2).
    pub fn eos(&self) -> u32 {
        self.eos
    }

    pub fn vocab_size(&self) -> usize {
        self.inner.get_vocab_size(true)
    }

    /// Token ids of `text`. A long text is encoded in pieces of about [`PIECE_BYTES`], cut only
    /// where GPT-2's pre-tokenizer cuts anyway, so the ids are those of the whole text.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>> {
        self.encode_in_pieces(text, if self.in_pieces { PIECE_BYTES } else { usize::MAX })
    }

    fn encode_in_pieces(&self, text: &str, piece_bytes: usize) -> Result<Vec<u32>> {
        let mut ids = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            let (piece, after) = rest.split_at(cut(rest, piece_bytes));
            ids.extend_from_slice(self.inner.encode(piece, false).map_err(err)?.get_ids());
            rest = after;
        }
        Ok(ids)
    }

    pub fn decode(&self, ids: &[u32]) -> Result<String> {
        self.inner.decode(ids, false).map_err(err)
    }

    /// Whether `id` is a special token (`<|endoftext|>`, or one a tokenizer.json marks special).
    pub fn is_special(&self, id: u32) -> bool {
        id == self.eos
            || self
                .inner
                .get_added_vocabulary()
                .get_added_tokens_decoder()
                .get(&id)
                .is_some_and(|t| t.special)
    }

    /// The bytes token `id` stands for. Byte-level BPE writes each byte as one printable
    /// character (GPT-2's bytes_to_unicode table); added tokens stand for their own text.
    pub fn token_bytes(&self, id: u32) -> Result<Vec<u8>> {
        let token = self
            .inner
            .id_to_token(id)
            .ok_or_else(|| err(format!("token id {id} is outside the vocabulary ({})", self.vocab_size())))?;
        if self.inner.get_added_vocabulary().get_added_tokens_decoder().contains_key(&id) {
            return Ok(token.into_bytes());
        }
        let table = unicode_to_byte();
        match token.chars().map(|ch| table.get(&ch).copied()).collect::<Option<Vec<u8>>>() {
            Some(bytes) => Ok(bytes),
            None => Ok(token.into_bytes()),
        }
    }
}

/// GPT-2's bytes_to_unicode, inverted: the printable character each byte is written as, back to
/// the byte. Printable Latin-1 stands for itself; the other 68 bytes are 256 + n in order.
fn unicode_to_byte() -> &'static std::collections::HashMap<char, u8> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<char, u8>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let printable = |b: u8| matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
        let mut next = 256u32;
        (0..=255u8)
            .map(|b| {
                let ch = if printable(b) {
                    b as u32
                } else {
                    next += 1;
                    next - 1
                };
                (char::from_u32(ch).expect("code points below 512 are chars"), b)
            })
            .collect()
    })
}

/// Token ids in, text out as soon as it is whole: a character split across tokens (byte-level
/// BPE splits many, emoji and CJK among them) waits for its last byte, so every piece is valid
/// UTF-8 and the pieces join to `decode` of all the ids. Bytes that can never be UTF-8 come out
/// as U+FFFD, as `decode` writes them.
#[derive(Debug, Default)]
pub struct TextStream {
    pending: Vec<u8>,
    /// Leave special tokens' text (`<|endoftext|>`) out of the stream.
    pub skip_special: bool,
}

impl TextStream {
    pub fn new(skip_special: bool) -> TextStream {
        TextStream { pending: Vec::new(), skip_special }
    }

    /// The text that `id` completes (often all of its own, sometimes none yet).
    pub fn push(&mut self, tokenizer: &Gpt2Tokenizer, id: u32) -> Result<String> {
        if self.skip_special && tokenizer.is_special(id) {
            return Ok(String::new());
        }
        self.pending.extend(tokenizer.token_bytes(id)?);
        let mut out = String::new();
        loop {
            match std::str::from_utf8(&self.pending) {
                Ok(text) => {
                    out.push_str(text);
                    self.pending.clear();
                    return Ok(out);
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    out.push_str(std::str::from_utf8(&self.pending[..valid]).expect("checked prefix"));
                    match e.error_len() {
                        // An incomplete character at the end: wait for the next token.
                        None => {
                            self.pending.drain(..valid);
                            return Ok(out);
                        }
                        Some(bad) => {
                            out.push(char::REPLACEMENT_CHARACTER);
                            self.pending.drain(..valid + bad);
                        }
                    }
                }
            }
        }
    }

    /// Whatever is still held back when the stream ends (an unfinished character, as U+FFFD).
    pub fn finish(&mut self) -> String {
        let out = String::from_utf8_lossy(&self.pending).into_owned();
        self.pending.clear();
        out
    }
}

impl Gpt2Tokenizer {
    /// This tokenizer as a Hugging Face tokenizer.json.
    pub fn to_json(&self) -> Result<String> {
        self.inner.to_string(false).map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Encoding in pieces gives the ids of the whole text, for pieces down to a few bytes, on
    /// text with runs of spaces, tabs and newlines, contractions, digits, punctuation, accents,
    /// CJK, emoji and `<|endoftext|>`.
    #[test]
    fn pieces_give_the_ids_of_the_whole_text() {
        let tok = Gpt2Tokenizer::bundled().unwrap();
        assert!(tok.in_pieces);
        let text = "Hello  world,\tit's 2026 -- don't   stop.\n\n  Café naïve 日本語 テキスト 🙂🙂 x<|endoftext|> y \
                    'll 've a1b2  3.14   \u{a0} nbsp\u{a0}word end  \n";
        let text = text.repeat(5);
        let whole = tok.inner.encode(text.as_str(), false).unwrap().get_ids().to_vec();
        for piece in [1, 2, 3, 5, 8, 13, 64, 1000] {
            assert_eq!(tok.encode_in_pieces(&text, piece).unwrap(), whole, "pieces of {piece} bytes");
        }
        let cuts = (0..).scan(0usize, |at, _| {
            let n = cut(&text[*at..], 8);
            *at += n;
            (n > 0).then_some(*at)
        });
        let n = cuts.count();
        assert!(n > 40, "the text was cut only {n} times");
    }
}
