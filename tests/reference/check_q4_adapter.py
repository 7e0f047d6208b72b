#!/usr/bin/env python3
"""QLoRA round trip: an adapter trained by webtune on a 4-bit base loads in PEFT on a
bitsandbytes 4-bit base and gives the same loss (not part of `make test`: CI has no torch).

    cargo build --release --bin webtune
    .venv-ref/bin/python tests/reference/check_q4_adapter.py

For nf4, fp4 and nf4 + double quantization, on a random GPT-2 with GPT-2's vocabulary (2 layers,
width 64, 256 inner; in_features whole blocks of 64, see make_q4_fixtures.py for why):
1. `webtune train --weights <kind> [--double-quant]` writes an adapter (fan_in_fan_out false, as
   PEFT writes it for a bnb base).
2. transformers loads the base with BitsAndBytesConfig(load_in_4bit=True, quant_type, double
   quant, compute dtype f32) and PEFT loads the adapter on it.
3. `webtune eval --weights <kind> --adapter` and PEFT give the same mean loss over the blocks of
   tests/fixtures/eval.txt (<= 1e-4 relative).
"""
import json
import shutil
import sys
import tempfile
from pathlib import Path

import torch
from peft import PeftModel
from transformers import BitsAndBytesConfig, GPT2Config, GPT2LMHeadModel

sys.path.insert(0, str(Path(__file__).parent))
from check_scale_out import run  # noqa: E402
from make_lora_fixtures import FIX, ROOT, eval_loss  # noqa: E402

WEBTUNE = ROOT / "target" / "release" / "webtune"
TEXT = FIX / "eval.txt"


def base(model, kind, dq):
    cfg = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type=kind, bnb_4bit_use_double_quant=dq,
                             bnb_4bit_compute_dtype=torch.float32)
    m = GPT2LMHeadModel.from_pretrained(model, quantization_config=cfg, dtype=torch.float32, device_map="cpu").eval()
    for mod in m.modules():  # the AVX512-BF16 inference shortcut computes in bf16: off (see make_q4_fixtures.py)
        if hasattr(mod, "support_avx512bf16_for_cpu"):
            mod.support_avx512bf16_for_cpu = False
    return m


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        model = tmp / "gpt2-64-50257"
        torch.manual_seed(3)
        GPT2LMHeadModel(GPT2Config(n_embd=64, n_head=4, n_layer=2, n_inner=256, n_positions=64)).save_pretrained(model)
        for f in ["vocab.json", "merges.txt"]:
            shutil.copy(FIX / "gpt2-tiny" / f, model / f)
        for kind, dq in [("nf4", False), ("fp4", False), ("nf4", True)]:
            flags = ["--weights", kind] + (["--double-quant"] if dq else [])
            out = tmp / f"adapter-{kind}-{dq}"
            run(WEBTUNE, "train", "--model", model, "--data", TEXT, "--out", out, "--seq-len", "16",
                "--steps", "8", "--lr", "3e-3", "--targets", "c_attn,c_proj,c_fc", *flags)
            cfg = json.loads((out / "adapter_config.json").read_text())
            assert cfg["fan_in_fan_out"] is False, cfg
            line = run(WEBTUNE, "eval", "--model", model, "--adapter", out, "--data", TEXT, "--seq-len", "16", *flags)
            ours = float(line.split("loss=")[1].split()[0])
            theirs = eval_loss(PeftModel.from_pretrained(base(model, kind, dq), out).eval())
            rel = abs(ours - theirs) / theirs
            print(f"{kind}{' + double quant' if dq else ''}: webtune eval {ours:.6f}, PEFT on bitsandbytes {theirs:.6f}, rel {rel:.1e}")
            assert rel <= 1e-4, rel


if __name__ == "__main__":
    main()
