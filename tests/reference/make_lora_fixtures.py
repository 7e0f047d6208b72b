#!/usr/bin/env python3
"""Golden fixtures for LoRA adapters in PEFT's format, made with peft + transformers + torch on
the CPU. Run from the repository root after make_gpt2_fixtures.py:

    .venv-ref/bin/python tests/reference/make_lora_fixtures.py

On the gpt2-odd fixture model it writes tests/fixtures/lora/:
  attn-mlp/   LoraConfig(r=4, lora_alpha=8, target_modules=["c_attn", "c_proj"]) — "c_proj"
              matches attn.c_proj and mlp.c_proj, as PEFT matches names.
  rslora-fc/  LoraConfig(r=2, lora_alpha=3, use_rslora=True, target_modules=["mlp.c_fc"],
              layers_to_transform=[1]).
  all-grads/  LoraConfig(r=4, lora_alpha=8, target_modules=["c_attn", "c_proj", "c_fc"]) with its
              golden grads.safetensors: d(loss)/d(lora_A), d(loss)/d(lora_B) for every module
              (PEFT's key names), with dropout off (lora_dropout 0, model.eval()).
              Also adamw.safetensors: the adapter after 5 steps of torch.optim.AdamW (lr 1e-2,
              betas 0.9/0.999, eps 1e-8, weight_decay 0.01) with clip_grad_norm_(0.5) on the
              golden batch, and the 5 losses and pre-clip gradient norms; sgd.safetensors the
              same for torch.optim.SGD (lr 0.05, weight_decay 0.01) with clip_grad_norm_(1.0).
and on gpt2-tiny (GPT-2's vocabulary, so text can be evaluated):
  tiny-c_attn/  the tutorial's LoraConfig(r=8, lora_alpha=16, target_modules=["c_attn"]); its
              golden.json also holds `webtune eval`'s number on eval.txt (blocks of 16) with
              the adapter, and with the merged model.
Each is save_pretrained's adapter_config.json + adapter_model.safetensors, with lora_B drawn
non-zero (PEFT initialises it to zero, which would make every check pass vacuously), and
golden.json: the loss with the adapter (PeftModel, eval mode) on gpt2-odd's golden ids/labels,
and the loss of merge_and_unload()'s model.
"""

import json
import shutil
from pathlib import Path

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from safetensors.torch import load_file, save_file
from transformers import GPT2LMHeadModel, GPT2TokenizerFast

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures"
BASE = FIX / "gpt2-odd"


def base_model(base=BASE):
    # gpt2-odd is stored in OpenAI's naming; from_pretrained reads it.
    return GPT2LMHeadModel.from_pretrained(base, dtype=torch.float32).eval()


def eval_loss(model, seq_len=16):
    """`webtune eval`: mean of model(block, labels=block).loss over the blocks of eval.txt."""
    tok = GPT2TokenizerFast.from_pretrained(str(ROOT / "assets" / "gpt2-tokenizer"))
    # Bytes, not read_text(): universal newlines would turn the file's CRLFs into LFs.
    ids = tok((FIX / "eval.txt").read_bytes().decode("utf-8"))["input_ids"]
    n = len(ids) // seq_len
    blocks = torch.tensor(ids[: n * seq_len]).view(n, seq_len)
    with torch.no_grad():
        return sum(model(input_ids=b[None], labels=b[None]).loss.item() for b in blocks) / n


def golden_batch():
    g = load_file(BASE / "golden.safetensors")
    return g["input_ids"].long(), g["labels"].long()


def make(name, seed, base=BASE, **kw):
    out = FIX / "lora" / name
    shutil.rmtree(out, ignore_errors=True)
    torch.manual_seed(seed)
    model = get_peft_model(base_model(base), LoraConfig(lora_dropout=0.0, task_type="CAUSAL_LM", **kw))
    with torch.no_grad():
        for n, p in model.named_parameters():
            if "lora_B" in n:
                p.copy_(0.3 * torch.randn(p.shape))
    model.eval()
    model.save_pretrained(out)
    (out / "README.md").unlink(missing_ok=True)  # PEFT's model-card template
    cfg = json.loads((out / "adapter_config.json").read_text())
    cfg["base_model_name_or_path"] = "gpt2-odd"  # not this machine's path
    cfg["target_modules"] = sorted(cfg["target_modules"])  # PEFT keeps a set: order varies by run
    (out / "adapter_config.json").write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n")

    reloaded = PeftModel.from_pretrained(base_model(base), out).eval()
    golden = {}
    if base == BASE:
        ids, labels = golden_batch()
        with torch.no_grad():
            golden["loss"] = reloaded(input_ids=ids, labels=labels).loss.item()
            golden["merged_loss"] = reloaded.merge_and_unload()(input_ids=ids, labels=labels).loss.item()
    else:
        golden["eval_loss"] = eval_loss(reloaded)
        golden["merged_eval_loss"] = eval_loss(reloaded.merge_and_unload())
        golden["base_eval_loss"] = eval_loss(base_model(base))
    (out / "golden.json").write_text(json.dumps(golden, indent=1) + "\n")
    print(f"{name}: {golden}")


def make_grads():
    out = FIX / "lora" / "all-grads"
    make("all-grads", 13, r=4, lora_alpha=8, target_modules=["c_attn", "c_proj", "c_fc"])
    model = PeftModel.from_pretrained(base_model(), out, is_trainable=True)
    model.eval()  # dropout off; gradients still flow
    ids, labels = golden_batch()
    loss = model(input_ids=ids, labels=labels).loss
    loss.backward()
    grads = {}
    for n, p in model.named_parameters():
        if "lora_" in n:
            grads[n.replace(".default", "")] = p.grad.detach().contiguous().float()
    save_file(grads, out / "grads.safetensors")
    print(f"all-grads: loss {loss.item():.6f}, {len(grads)} gradient tensors")

    # 5 AdamW steps with clipping, from the same start.
    model = PeftModel.from_pretrained(base_model(), out, is_trainable=True)
    model.eval()
    params = [p for n, p in model.named_parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
    losses, norms = [], []
    for _ in range(5):
        opt.zero_grad()
        loss = model(input_ids=ids, labels=labels).loss
        loss.backward()
        norms.append(torch.nn.utils.clip_grad_norm_(params, 0.5).item())
        opt.step()
        losses.append(loss.item())
    after = {n.replace(".default", ""): p.detach().contiguous().float() for n, p in model.named_parameters() if "lora_" in n}
    after["losses"] = torch.tensor(losses, dtype=torch.float32)
    after["grad_norms"] = torch.tensor(norms, dtype=torch.float32)
    save_file(after, out / "adamw.safetensors")
    print(f"adamw: losses {losses}, grad norms {norms}")

    # 5 plain SGD steps (lr 0.05, weight_decay 0.01) with clip_grad_norm_(1.0).
    model = PeftModel.from_pretrained(base_model(), out, is_trainable=True)
    model.eval()
    params = [p for n, p in model.named_parameters() if p.requires_grad]
    opt = torch.optim.SGD(params, lr=0.05, weight_decay=0.01)
    losses = []
    for _ in range(5):
        opt.zero_grad()
        loss = model(input_ids=ids, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        losses.append(loss.item())
    after = {n.replace(".default", ""): p.detach().contiguous().float() for n, p in model.named_parameters() if "lora_" in n}
    after["losses"] = torch.tensor(losses, dtype=torch.float32)
    save_file(after, out / "sgd.safetensors")
    print(f"sgd: losses {losses}")


if __name__ == "__main__":
    make("attn-mlp", 10, r=4, lora_alpha=8, target_modules=["c_attn", "c_proj"])
    make("rslora-fc", 11, r=2, lora_alpha=3, use_rslora=True, target_modules=["mlp.c_fc"], layers_to_transform=[1])
    make("tiny-c_attn", 12, base=FIX / "gpt2-tiny", r=8, lora_alpha=16, target_modules=["c_attn"])
    make_grads()
