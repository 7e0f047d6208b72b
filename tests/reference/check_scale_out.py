#!/usr/bin/env python3
"""README's scale-out path, run in one process on the CPU (not part of `make test`: CI has no
torch). Multi-GPU is the same commands with `accelerate launch --num_processes N`.

    cargo build --bin webtune
    .venv-ref/bin/python tests/reference/check_scale_out.py

1. `webtune train` writes an adapter for the gpt2-tiny fixture.
2. `accelerate launch --cpu --num_processes 1 tools/peft_train.py --adapter <it>` continues it in
   PEFT + the Trainer and saves PEFT's files.
3. `webtune eval --adapter <that>` gives the loss PEFT gives for it (<= 1e-5 relative), and
   `webtune train --init-adapter <that>` trains on from it.
"""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import torch
from peft import PeftModel
from safetensors.torch import load_file
from transformers import GPT2LMHeadModel

sys.path.insert(0, str(Path(__file__).parent))
from make_lora_fixtures import FIX, ROOT, eval_loss  # noqa: E402

WEBTUNE = ROOT / "target" / "debug" / "webtune"
MODEL = FIX / "gpt2-tiny"
TEXT = FIX / "eval.txt"


def run(*args):
    out = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(map(str, args[:3]))} failed:\n{out.stderr[-3000:]}")
    return out.stdout


def main():
    accelerate = shutil.which("accelerate", path=str(Path(sys.executable).parent))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        browser, scaled, again = tmp / "browser", tmp / "scaled", tmp / "again"
        run(WEBTUNE, "train", "--model", MODEL, "--data", TEXT, "--out", browser, "--seq-len", "16",
            "--steps", "6", "--lr", "3e-3")
        run(accelerate, "launch", "--cpu", "--num_processes", "1", "--num_machines", "1", "--mixed_precision", "no",
            "--dynamo_backend", "no", ROOT / "tools" / "peft_train.py", "--model", MODEL, "--adapter", browser,
            "--data", TEXT, "--out", scaled, "--seq-len", "16", "--steps", "4", "--lr", "3e-3", "--cpu")
        before, after = load_file(browser / "adapter_model.safetensors"), load_file(scaled / "adapter_model.safetensors")
        assert before.keys() == after.keys(), (before.keys(), after.keys())
        moved = max((after[k] - before[k]).abs().max().item() for k in before)
        assert moved > 0, "PEFT's steps did not change the adapter"

        line = run(WEBTUNE, "eval", "--model", MODEL, "--adapter", scaled, "--data", TEXT, "--seq-len", "16")
        ours = float(line.split("loss=")[1].split()[0])
        base = GPT2LMHeadModel.from_pretrained(MODEL, dtype=torch.float32).eval()
        theirs = eval_loss(PeftModel.from_pretrained(base, scaled).eval())
        print(f"adapter continued in PEFT (max change {moved:.2e}): webtune eval {ours:.6f}, PEFT {theirs:.6f}")
        assert abs(ours - theirs) / theirs <= 1e-5

        run(WEBTUNE, "train", "--model", MODEL, "--data", TEXT, "--init-adapter", scaled, "--out", again,
            "--seq-len", "16", "--steps", "2")
        assert (again / "adapter_model.safetensors").is_file()
    print("ok: webtune -> PEFT + accelerate -> webtune")


if __name__ == "__main__":
    main()
