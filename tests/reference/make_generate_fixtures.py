#!/usr/bin/env python3
"""Golden fixtures for generation: transformers' `generate(do_sample=False)` (greedy) on the
fixture models, with and without a PEFT adapter. Run from the repository root after
make_gpt2_fixtures.py and make_lora_fixtures.py:

    .venv-ref/bin/python tests/reference/make_generate_fixtures.py

It writes tests/fixtures/generate.json, a list of cases:
  model, adapter (a folder under tests/fixtures/lora, or null), prompt (ids), max_new_tokens,
  repetition_penalty, eos (the eos_token_id passed to generate), want (the new ids, prompt
  excluded, as generate returns them), min_margin (the smallest gap between the chosen logit and
  the runner-up over the steps: how far a kernel's rounding is from flipping a choice).

Cases cover GPT-2's vocabulary (gpt2-tiny) and an odd head size (gpt2-odd), an adapter on each,
the repetition penalty, a run that stops at the end-of-text token (eos set to a token greedy
decoding reaches, so that the stop is exercised; transformers keeps it in the ids), and a run that
fills the model's context exactly (all n_positions positions fed: n_positions + 1 tokens).
"""

import json
from pathlib import Path

import torch
from peft import PeftModel
from transformers import GPT2LMHeadModel, GPT2TokenizerFast

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures"


def load(model, adapter):
    m = GPT2LMHeadModel.from_pretrained(FIX / model, dtype=torch.float32).eval()
    if adapter:
        m = PeftModel.from_pretrained(m, FIX / "lora" / adapter).eval()
    return m


def run(model, adapter, prompt, max_new_tokens, repetition_penalty=1.0, eos=None):
    m = load(model, adapter)
    with torch.no_grad():
        out = m.generate(
            input_ids=torch.tensor([prompt]),
            attention_mask=torch.ones(1, len(prompt), dtype=torch.long),
            do_sample=False,
            max_new_tokens=max_new_tokens,
            repetition_penalty=repetition_penalty,
            eos_token_id=eos,
            pad_token_id=eos if eos is not None else 0,
            output_scores=True,
            return_dict_in_generate=True,
        )
    want = out.sequences[0, len(prompt):].tolist()
    # Scores are the processed logits (after the repetition penalty) each choice was made from.
    margins = []
    for s in out.scores:
        top = torch.topk(s[0].double(), 2).values
        margins.append((top[0] - top[1]).item())
    case = dict(model=model, adapter=adapter, prompt=prompt, max_new_tokens=max_new_tokens,
                repetition_penalty=repetition_penalty, eos=eos, want=want, min_margin=min(margins))
    print(f"{model} {adapter} prompt {len(prompt)} -> {len(want)} new, min margin {min(margins):.3g}")
    return case


def main():
    tok = GPT2TokenizerFast.from_pretrained(str(ROOT / "assets" / "gpt2-tokenizer"))
    text = tok("The quick brown fox jumps over the lazy dog. Once upon a time")["input_ids"]
    odd = [(7 * i + 3) % 1000 for i in range(9)]
    cases = [
        run("gpt2-tiny", None, text, 24),
        run("gpt2-tiny", "tiny-c_attn", text, 24),
        run("gpt2-tiny", None, text, 24, repetition_penalty=1.5),
        run("gpt2-odd", None, odd, 20),
        run("gpt2-odd", "attn-mlp", odd, 20),
        run("gpt2-odd", "rslora-fc", odd, 20, repetition_penalty=1.3),
    ]
    # Stop at end of text: make eos the 6th token greedy decoding reaches (one not seen before).
    free = run("gpt2-odd", None, odd[:4], 12)["want"]
    eos = next(t for i, t in enumerate(free) if i >= 5 and t not in free[:i])
    stop = run("gpt2-odd", None, odd[:4], 12, eos=eos)
    assert stop["want"][-1] == eos and len(stop["want"]) < 12, stop
    cases.append(stop)
    # Fill the context: gpt2-odd has n_positions 48, so every position is fed and the token
    # sampled from the last one ends the sequence at 49 tokens.
    cases.append(run("gpt2-odd", "attn-mlp", odd, 48 + 1 - len(odd)))
    (FIX / "generate.json").write_text(json.dumps(cases, indent=1) + "\n")


if __name__ == "__main__":
    main()
