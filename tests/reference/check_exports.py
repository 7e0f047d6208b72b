#!/usr/bin/env python3
"""Check webtune's exports with the Python stack (not part of `make test`: CI has no torch).

    cargo test --test cli            # writes target/tmp/merged and target/tmp/peft-export
    .venv-ref/bin/python tests/reference/check_exports.py

- target/tmp/peft-export: adapter files written by webtune (save_adapter) for gpt2-tiny;
  PeftModel.from_pretrained must load them and give tiny-c_attn's golden eval loss.
- target/tmp/merged: `webtune merge` of gpt2-tiny + tiny-c_attn; GPT2LMHeadModel.from_pretrained
  must load it and give the golden merged eval loss.
"""
import json
import sys
from pathlib import Path

import torch
from peft import PeftModel
from transformers import GPT2LMHeadModel

sys.path.insert(0, str(Path(__file__).parent))
from make_lora_fixtures import FIX, ROOT, eval_loss  # noqa: E402

golden = json.loads((FIX / "lora" / "tiny-c_attn" / "golden.json").read_text())
base = GPT2LMHeadModel.from_pretrained(FIX / "gpt2-tiny", dtype=torch.float32).eval()
peft = PeftModel.from_pretrained(base, ROOT / "target" / "tmp" / "peft-export").eval()
loss = eval_loss(peft)
print(f"PeftModel on webtune's adapter files: {loss:.7f} (golden {golden['eval_loss']:.7f})")
assert abs(loss - golden["eval_loss"]) / golden["eval_loss"] <= 1e-5

merged = GPT2LMHeadModel.from_pretrained(ROOT / "target" / "tmp" / "merged").eval()
assert next(merged.parameters()).dtype == torch.float32
loss = eval_loss(merged)
print(f"GPT2LMHeadModel on webtune's merged folder: {loss:.7f} (golden {golden['merged_eval_loss']:.7f})")
assert abs(loss - golden["merged_eval_loss"]) / golden["merged_eval_loss"] <= 1e-5
print("ok")
