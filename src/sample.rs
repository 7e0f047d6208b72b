//! Choosing the next token from the logits, as transformers' `generate` does: the repetition
//! penalty first, then temperature, top-k and top-p (its logits processors, in that order), then
//! a draw from the softmax with a seeded RNG. Temperature 0 is greedy decoding (the penalised
//! argmax, transformers' `do_sample=False`).
//!
//! This runs on the CPU over one row of V logits per token: a few hundred microseconds for
//! GPT-2's 50257, small beside the forward pass that produced them.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::{Error, Result};

/// How the next token is chosen. The defaults leave every warper off (greedy aside).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sampling {
    /// Divides the logits; 0 means greedy (always the most likely token).
    pub temperature: f32,
    /// Keep only the k most likely tokens (0 = off).
    pub top_k: usize,
    /// Keep the smallest set of most likely tokens whose probability reaches top_p (1 = off).
    pub top_p: f32,
    /// CTRL's penalty on tokens already in the sequence, prompt included (1 = off).
    pub repetition_penalty: f32,
    /// Seeds the RNG: the same seed, model and prompt give the same tokens.
    pub seed: u64,
}

impl Default for Sampling {
    fn default() -> Sampling {
        Sampling { temperature: 1.0, top_k: 0, top_p: 1.0, repetition_penalty: 1.0, seed: 0 }
    }
}

impl Sampling {
    /// Greedy decoding: transformers' `generate(do_sample=False)`.
    pub fn greedy() -> Sampling {
        Sampling { temperature: 0.0, ..Sampling::default() }
    }

    pub fn is_greedy(&self) -> bool {
        self.temperature == 0.0
    }

    pub fn validate(&self) -> Result<()> {
        if !(self.temperature.is_finite() && self.temperature >= 0.0) {
            return Err(Error::data(format!(
                "temperature must be 0 (greedy) or positive, not {}",
                self.temperature
            )));
        }
        if !(self.top_p > 0.0 && self.top_p <= 1.0) {
            return Err(Error::data(format!("top-p must be in (0, 1], not {}", self.top_p)));
        }
        if !(self.repetition_penalty.is_finite() && self.repetition_penalty > 0.0) {
            return Err(Error::data(format!(
                "repetition penalty must be positive (1 = off), not {}",
                self.repetition_penalty
            )));
        }
        Ok(())
    }
}

pub struct Sampler {
    pub config: Sampling,
    rng: ChaCha8Rng,
}

impl Sampler {
    pub fn new(config: Sampling) -> Result<Sampler> {
        config.validate()?;
        Ok(Sampler { config, rng: ChaCha8Rng::seed_from_u64(config.seed) })
    }

    /// The next token after `context` (the sequence so far, prompt included) from its `logits`
    /// (V values, changed in place by the processors). Non-finite logits are an error: they
    /// mean the forward pass overflowed, and a token drawn from them would be noise.
    pub fn pick(&mut self, logits: &mut [f32], context: &[u32]) -> Result<u32> {
        if logits.is_empty() {
            return Err(Error::data("no logits to sample from"));
        }
        if let Some(i) = logits.iter().position(|x| !x.is_finite()) {
            return Err(Error::data(format!(
                "the model produced a non-finite logit ({}) for token {i}",
                logits[i]
            )));
        }
        let c = self.config;
        if c.repetition_penalty != 1.0 {
            repetition_penalty(logits, context, c.repetition_penalty);
        }
        if c.is_greedy() {
            return Ok(argmax(logits));
        }
        if c.temperature != 1.0 {
            logits.iter_mut().for_each(|x| *x /= c.temperature);
        }
        if logits.iter().any(|x| x.is_nan() || *x == f32::INFINITY) {
            return Err(Error::data(format!(
                "temperature {} overflows the logits: use a larger one, or 0 for greedy",
                c.temperature
            )));
        }
        if c.top_k > 0 {
            top_k(logits, c.top_k);
        }
        if c.top_p < 1.0 {
            top_p(logits, c.top_p);
        }
        let u = (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        Ok(draw(logits, u))
    }
}

/// transformers' RepetitionPenaltyLogitsProcessor: each distinct token of `context` has its
/// logit divided by `penalty` if positive, multiplied if negative.
pub fn repetition_penalty(logits: &mut [f32], context: &[u32], penalty: f32) {
    let mut seen = vec![false; logits.len()];
    for &id in context {
        let i = id as usize;
        if i < logits.len() && !seen[i] {
            seen[i] = true;
            let x = logits[i];
            logits[i] = if x < 0.0 { x * penalty } else { x / penalty };
        }
    }
}

/// The first index of the largest logit (torch.argmax's choice among ties).
pub fn argmax(logits: &[f32]) -> u32 {
    let mut best = 0;
    for (i, &x) in logits.iter().enumerate() {
        if x > logits[best] {
            best = i;
        }
    }
    best as u32
}

/// TopKLogitsWarper: logits below the k-th largest become -inf (ties with it stay).
pub fn top_k(logits: &mut [f32], k: usize) {
    if k >= logits.len() {
        return;
    }
    let mut sorted: Vec<f32> = logits.to_vec();
    let (_, kth, _) = sorted.select_nth_unstable_by(k - 1, |a, b| b.total_cmp(a));
    let kth = *kth;
    logits.iter_mut().filter(|x| **x < kth).for_each(|x| *x = f32::NEG_INFINITY);
}

/// TopPLogitsWarper: sort ascending, and drop the tokens whose cumulative probability stays at
/// or below 1 - top_p; the most likely token always stays.
pub fn top_p(logits: &mut [f32], p: f32) {
    let probs = softmax(logits);
    let mut order: Vec<usize> = (0..logits.len()).collect();
    order.sort_by(|&a, &b| logits[a].total_cmp(&logits[b]).then(b.cmp(&a)));
    let mut cum = 0.0f64;
    let threshold = 1.0 - p as f64;
    for &i in &order[..order.len() - 1] {
        cum += probs[i];
        if cum > threshold {
            break;
        }
        logits[i] = f32::NEG_INFINITY;
    }
}

/// Softmax in f64 (entries at -inf get 0).
pub fn softmax(logits: &[f32]) -> Vec<f64> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
    let mut p: Vec<f64> = logits.iter().map(|&x| (x as f64 - max).exp()).collect();
    let sum: f64 = p.iter().sum();
    p.iter_mut().for_each(|x| *x /= sum);
    p
}

/// The token at which the cumulative softmax of `logits` passes `u` in [0, 1).
pub fn draw(logits: &[f32], u: f64) -> u32 {
    let probs = softmax(logits);
    let mut cum = 0.0;
    let mut last = 0;
    for (i, &p) in probs.iter().enumerate() {
        if p > 0.0 {
            cum += p;
            last = i;
            if u < cum {
                return i as u32;
            }
        }
    }
    // Rounding left the sum just under u: the last token with any probability.
    last as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greedy_takes_the_first_largest() {
        assert_eq!(argmax(&[0.5, 2.0, -1.0, 2.0]), 1);
        let mut s = Sampler::new(Sampling::greedy()).unwrap();
        assert_eq!(s.pick(&mut [0.1, 0.3, 0.2], &[]).unwrap(), 1);
    }

    #[test]
    fn repetition_penalty_matches_transformers() {
        // transformers: score = where(score < 0, score * penalty, score / penalty), once per id.
        let mut x = [2.0, -2.0, 1.0, 3.0];
        repetition_penalty(&mut x, &[0, 1, 1, 0], 2.0);
        assert_eq!(x, [1.0, -4.0, 1.0, 3.0]);
        // Greedy with a penalty changes the choice once the favourite has been seen.
        let mut s = Sampler::new(Sampling { repetition_penalty: 4.0, ..Sampling::greedy() }).unwrap();
        assert_eq!(s.pick(&mut [1.0, 3.0, 2.0], &[1]).unwrap(), 2);
    }

    #[test]
    fn top_k_keeps_the_k_largest_and_their_ties() {
        let mut x = [1.0, 5.0, 3.0, 3.0, 0.0];
        top_k(&mut x, 2);
        let ninf = f32::NEG_INFINITY;
        assert_eq!(x, [ninf, 5.0, 3.0, 3.0, ninf]);
    }

    #[test]
    fn top_p_keeps_the_smallest_nucleus() {
        // Probabilities 0.5, 0.3, 0.15, 0.05: ascending cumulative sums 0.05, 0.2, 0.5, 1, and
        // transformers drops those at or below 1 - p.
        let ln = |p: f64| p.ln() as f32;
        let base = [ln(0.5), ln(0.3), ln(0.15), ln(0.05)];
        let kept = |p: f32| {
            let mut x = base;
            top_p(&mut x, p);
            x.iter().filter(|v| v.is_finite()).count()
        };
        assert_eq!(kept(0.4), 1);
        assert_eq!(kept(0.79), 2);
        assert_eq!(kept(0.81), 3);
        assert_eq!(kept(0.96), 4);
        assert_eq!(kept(1.0), 4);
    }

    #[test]
    fn draw_follows_the_cumulative_probabilities() {
        let x = [0.0f32, f32::NEG_INFINITY, 0.0];
        assert_eq!(draw(&x, 0.0), 0);
        assert_eq!(draw(&x, 0.49), 0);
        assert_eq!(draw(&x, 0.51), 2);
        assert_eq!(draw(&x, 0.999_999), 2);
    }

    #[test]
    fn seeds_decide_the_draws() {
        let logits: Vec<f32> = (0..100).map(|i| (i % 7) as f32 * 0.1).collect();
        let run = |seed| {
            let mut s = Sampler::new(Sampling { seed, ..Sampling::default() }).unwrap();
            (0..20).map(|_| s.pick(&mut logits.clone(), &[]).unwrap()).collect::<Vec<_>>()
        };
        assert_eq!(run(1), run(1));
        assert_ne!(run(1), run(2));
    }

    #[test]
    fn bad_settings_are_errors() {
        for bad in [
            Sampling { temperature: -1.0, ..Sampling::default() },
            Sampling { temperature: f32::NAN, ..Sampling::default() },
            Sampling { top_p: 0.0, ..Sampling::default() },
            Sampling { top_p: 1.5, ..Sampling::default() },
            Sampling { repetition_penalty: 0.0, ..Sampling::default() },
        ] {
            assert!(Sampler::new(bad).is_err(), "{bad:?}");
        }
        let mut s = Sampler::new(Sampling::default()).unwrap();
        assert!(s.pick(&mut [0.0, f32::NAN], &[]).is_err());
        let mut cold = Sampler::new(Sampling { temperature: 1e-39, ..Sampling::default() }).unwrap();
        assert!(cold.pick(&mut [1.0, 2.0], &[]).is_err(), "an overflowed logit must not sample token 0");
    }
}
