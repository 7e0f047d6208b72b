#!/usr/bin/env python3
"""trainer_state.json both ways (not part of `make test`: CI has no transformers; tests/cli.rs
checks the file's contents natively).

    cargo build --bin webtune
    .venv-ref/bin/python tests/reference/check_trainer_state.py

1. `webtune train` (with held-out data) writes trainer_state.json into --out; transformers'
   TrainerState.load_from_json must read it, with one log entry per step (loss, learning_rate,
   grad_norm, epoch), one per evaluation (eval_loss) and the closing summary (train_loss, ...).
2. A transformers Trainer + PEFT run on the same fixture writes its own trainer_state.json;
   `webtune plot` must draw it.
"""
import subprocess
import sys
import tempfile
from pathlib import Path

import torch
from peft import LoraConfig, get_peft_model
from transformers import GPT2LMHeadModel, Trainer, TrainingArguments
from transformers.trainer_callback import TrainerState

ROOT = Path(__file__).resolve().parents[2]
WEBTUNE = ROOT / "target" / "debug" / "webtune"
MODEL = ROOT / "tests" / "fixtures" / "gpt2-tiny"
TEXT = ROOT / "tests" / "fixtures" / "eval.txt"


def webtune(*args):
    out = subprocess.run([str(WEBTUNE), *map(str, args)], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"webtune {args[0]} failed: {out.stderr}")
    return out.stdout


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # 1. webtune writes, transformers reads.
        webtune("train", "--model", MODEL, "--data", TEXT, "--eval-data", TEXT, "--eval-every", "2",
                "--out", tmp / "webtune", "--seq-len", "16", "--steps", "6")
        state = TrainerState.load_from_json(str(tmp / "webtune" / "trainer_state.json"))
        steps = [e for e in state.log_history if "loss" in e]
        evals = [e for e in state.log_history if "eval_loss" in e]
        assert state.global_step == 6 and state.max_steps == 6, state
        assert [e["step"] for e in steps] == [1, 2, 3, 4, 5, 6], steps
        assert all({"loss", "learning_rate", "grad_norm", "epoch", "step"} <= e.keys() for e in steps)
        assert [e["step"] for e in evals] == [2, 4, 6], evals
        assert "train_loss" in state.log_history[-1] and "train_runtime" in state.log_history[-1]
        print(f"TrainerState.load_from_json read webtune's trainer_state.json: {len(steps)} steps, "
              f"{len(evals)} evaluations, train_loss {state.log_history[-1]['train_loss']:.4f}")

        # 2. A Trainer writes, webtune plots.
        torch.manual_seed(0)
        ids = [int(t) for t in webtune("tokenize", "--model", MODEL, "--text", TEXT).split()]
        blocks = [ids[i:i + 16] for i in range(0, len(ids) - 16, 16)]
        data = [{"input_ids": torch.tensor(b), "labels": torch.tensor(b)} for b in blocks]
        model = get_peft_model(GPT2LMHeadModel.from_pretrained(MODEL),
                               LoraConfig(r=8, lora_alpha=16, target_modules=["c_attn"], fan_in_fan_out=True))
        args = TrainingArguments(output_dir=str(tmp / "trainer"), max_steps=4, per_device_train_batch_size=4,
                                 logging_steps=1, eval_strategy="steps", eval_steps=2, save_strategy="no",
                                 report_to=[], use_cpu=True)
        trainer = Trainer(model=model, args=args, train_dataset=data, eval_dataset=data[:8])
        trainer.train()
        trainer.save_state()
        print(webtune("plot", "--out", tmp / "trainer").strip())
        assert (tmp / "trainer" / "loss.png").stat().st_size > 1000
    print("ok: trainer_state.json is read by transformers, and a Trainer's is drawn by webtune plot")


if __name__ == "__main__":
    main()
