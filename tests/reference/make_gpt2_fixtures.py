#!/usr/bin/env python3
"""Golden fixtures for the GPT-2 forward pass, the tokenizer and `webtune eval`, made with
transformers + torch on the CPU. Run from the repository root:

    .venv-ref/bin/python tests/reference/make_gpt2_fixtures.py

It writes tests/fixtures/ (committed, a few MB):
  gpt2-tiny/   vocab 50257, 2 layers, width 32, 4 heads; saved by save_pretrained in float16
               (`transformer.` prefix) with GPT-2's tokenizer files. golden.safetensors holds
               input ids, the loss, logits[..., :512] and the last position's full logits.
  gpt2-odd/    vocab 1000, 2 layers, width 60, 5 heads (head size 12: not a power of two),
               n_positions 48; float32 in the original OpenAI naming (no prefix, no lm_head).
               golden.safetensors holds input ids, labels with -100 holes, all logits and the loss.
  tokenizer_cases.json  texts and their ids from transformers' GPT2TokenizerFast.
  eval.txt + gpt2-tiny/eval_golden.json  `webtune eval` on gpt2-tiny, as transformers computes it.

Weights are random but not trivial: layernorm gains and biases and every linear bias are drawn
away from their usual 1/0 so that a kernel that ignores one of them fails.
"""

import json
import shutil
from pathlib import Path

import torch
from safetensors.torch import save_file
from transformers import GPT2Config, GPT2LMHeadModel, GPT2TokenizerFast

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures"
TOK = ROOT / "assets" / "gpt2-tokenizer"


def randomize(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name.endswith("ln_f.weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g))
            elif name.endswith(".bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
            elif "wpe" in name:
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.15 * torch.randn(p.shape, generator=g))


def config(**kw):
    # Dropout stays in the config (as GPT-2's does); the reference runs in eval mode.
    return GPT2Config(activation_function="gelu_new", layer_norm_epsilon=1e-5, **kw)


def tokenizer():
    # GPT-2's tokenizer as transformers loads it from vocab.json + merges.txt.
    return GPT2TokenizerFast.from_pretrained(str(TOK))


TEXTS = [
    "Hello world! It's a test, isn't it? We'll see: they're here, you've been, I'd say.",
    "Café naïve résumé — Ærøskøbing, Straße, ğüşiöç; Ελληνικά; русский текст.",
    "日本語のテキストと中文文本，한국어 텍스트。",
    "emoji 🤗🚀👩‍👩‍👧 and flags 🇫🇷🇯🇵 and ✔︎ marks",
    "runs   of    spaces,\ttabs\t\tand\r\nCRLF\r\nline ends\n\n\nand trailing   ",
    "before<|endoftext|>after <|endoftext|> and <|endoftext|>",
    "numbers 1234567890 3.14159 -42 1e-5 0x1F and code: fn main() { println!(\"hi\"); }",
    "  leading spaces and a final newline\n",
    "",
]


def make_tiny(tok):
    out = FIX / "gpt2-tiny"
    shutil.rmtree(out, ignore_errors=True)
    torch.manual_seed(0)
    cfg = config(vocab_size=50257, n_positions=64, n_embd=32, n_layer=2, n_head=4)
    model = GPT2LMHeadModel(cfg)
    randomize(model, 1)
    # Round the weights to float16 first: the f16 file then holds exactly the weights the f32
    # reference computes with.
    model = model.half().float().eval()
    model.half().save_pretrained(out)
    model = model.float().eval()
    for f in ["vocab.json", "merges.txt"]:
        shutil.copy(TOK / f, out / f)

    text = " ".join(TEXTS[:4]) * 2
    ids = tok(text)["input_ids"][: 2 * 32]
    ids = torch.tensor(ids, dtype=torch.long).view(2, 32)
    with torch.no_grad():
        o = model(input_ids=ids, labels=ids)
    save_file(
        {
            "input_ids": ids.to(torch.int32).contiguous(),
            "loss": o.loss.reshape(1).float(),
            "logits_head": o.logits[:, :, :512].contiguous().float(),
            "logits_last": o.logits[:, -1, :].contiguous().float(),
        },
        out / "golden.safetensors",
    )
    print(f"gpt2-tiny: loss {o.loss.item():.6f}")

    # `webtune eval`: the whole file tokenized, cut into blocks of T (remainder dropped),
    # loss = mean of model(block, labels=block).loss over blocks.
    eval_text = "\n".join(TEXTS * 3)
    (FIX / "eval.txt").write_text(eval_text, encoding="utf-8")
    all_ids = tok(eval_text)["input_ids"]
    t = 16
    n = len(all_ids) // t
    blocks = torch.tensor(all_ids[: n * t], dtype=torch.long).view(n, t)
    with torch.no_grad():
        losses = [model(input_ids=b[None], labels=b[None]).loss.item() for b in blocks]
    loss = sum(losses) / len(losses)
    golden = {"seq_len": t, "blocks": n, "tokens": n * t, "loss": loss, "ppl": float(torch.exp(torch.tensor(loss)))}
    (out / "eval_golden.json").write_text(json.dumps(golden, indent=1) + "\n")
    print(f"eval: {golden}")


def make_odd():
    out = FIX / "gpt2-odd"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    cfg = config(vocab_size=1000, n_positions=48, n_embd=60, n_layer=2, n_head=5, bos_token_id=0, eos_token_id=0)
    model = GPT2LMHeadModel(cfg)
    randomize(model, 2)
    model.eval()
    # The original OpenAI checkpoint's naming: no `transformer.` prefix, no lm_head (tied).
    sd = {k.removeprefix("transformer."): v.contiguous() for k, v in model.state_dict().items()
          if k != "lm_head.weight"}
    save_file(sd, out / "model.safetensors", metadata={"format": "pt"})
    cfg.save_pretrained(out)

    g = torch.Generator().manual_seed(3)
    ids = torch.randint(0, 1000, (2, 48), generator=g)
    labels = ids.clone()
    labels[0, 5:9] = -100
    labels[1, 40:] = -100
    with torch.no_grad():
        o = model(input_ids=ids, labels=labels)
    save_file(
        {
            "input_ids": ids.to(torch.int32).contiguous(),
            "labels": labels.to(torch.int32).contiguous(),
            "loss": o.loss.reshape(1).float(),
            "logits": o.logits.contiguous().float(),
        },
        out / "golden.safetensors",
    )
    print(f"gpt2-odd: loss {o.loss.item():.6f}")


def make_tokenizer_cases(tok):
    cases = [{"text": t, "ids": tok(t)["input_ids"]} for t in TEXTS]
    (FIX / "tokenizer_cases.json").write_text(json.dumps(cases, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    FIX.mkdir(parents=True, exist_ok=True)
    tok = tokenizer()
    make_tokenizer_cases(tok)
    make_tiny(tok)
    make_odd()
