#!/usr/bin/env python3
"""Train a LoRA adapter with PEFT + the transformers Trainer, on one GPU or many (through
accelerate), starting from an adapter webtune wrote (or a fresh one), and save it as PEFT's two
files, which webtune reads back. The scale-out path of README.md:

    webtune train --model openai-community/gpt2 --data mine.txt --out runs/browser
    accelerate launch --num_processes 4 tools/peft_train.py --model openai-community/gpt2 \\
        --adapter runs/browser --data big.txt --out runs/scaled --epochs 3
    webtune generate --model openai-community/gpt2 --adapter runs/scaled --prompt "Once"

Needs: pip install torch transformers peft accelerate. The defaults are the Hugging Face LoRA
tutorial's (and webtune's): lr 3e-4, cosine with 5% warmup, batch 4 per device, 128 tokens.
The text is tokenized whole and cut into blocks of --seq-len tokens (labels = inputs), as
`webtune train` packs it. tests/reference/check_scale_out.py runs it in one process.
"""
import argparse
import math
from pathlib import Path

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from transformers import AutoModelForCausalLM, AutoTokenizer, Trainer, TrainingArguments


def blocks(tokenizer, path, seq_len):
    # Bytes, not read_text(): universal newlines would turn CRLFs into LFs (webtune keeps them).
    ids = tokenizer(Path(path).read_bytes().decode("utf-8"))["input_ids"]
    n = len(ids) // seq_len
    if n == 0:
        raise SystemExit(f"{path}: {len(ids)} tokens, fewer than one block of --seq-len {seq_len}")
    return [{"input_ids": torch.tensor(ids[i * seq_len:(i + 1) * seq_len]),
             "labels": torch.tensor(ids[i * seq_len:(i + 1) * seq_len])} for i in range(n)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="base model: Hub id or folder (the one the adapter was trained on)")
    ap.add_argument("--adapter", help="PEFT adapter folder or Hub id to continue (default: a fresh r=8 c_attn adapter)")
    ap.add_argument("--data", required=True, help="UTF-8 text file")
    ap.add_argument("--out", required=True, help="output folder: adapter_config.json + adapter_model.safetensors")
    ap.add_argument("--seq-len", type=int, default=128)
    ap.add_argument("--batch", type=int, default=4, help="per device")
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--epochs", type=float, default=3)
    ap.add_argument("--steps", type=int, default=-1, help="optimizer steps (overrides --epochs)")
    ap.add_argument("--warmup-ratio", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--cpu", action="store_true", help="train on the CPU")
    args = ap.parse_args()

    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32)
    if args.adapter:
        model = PeftModel.from_pretrained(model, args.adapter, is_trainable=True)
    else:
        model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, lora_dropout=0.05, target_modules=["c_attn"],
                                                 fan_in_fan_out=True, task_type="CAUSAL_LM"))
    model.print_trainable_parameters()
    data = blocks(tokenizer, args.data, args.seq_len)
    steps_per_epoch = math.ceil(len(data) / args.batch)
    total = args.steps if args.steps > 0 else math.ceil(args.epochs * steps_per_epoch)
    training = TrainingArguments(
        output_dir=args.out, per_device_train_batch_size=args.batch, learning_rate=args.lr,
        lr_scheduler_type="cosine", warmup_steps=math.ceil(args.warmup_ratio * total),
        num_train_epochs=args.epochs, max_steps=args.steps, logging_steps=10, save_strategy="no",
        report_to=[], seed=args.seed, use_cpu=args.cpu)
    trainer = Trainer(model=model, args=training, train_dataset=data)
    trainer.train()
    trainer.save_state()  # trainer_state.json: `webtune plot --out OUT` draws it
    if trainer.is_world_process_zero():
        model.save_pretrained(args.out)
        print(f"adapter written to {args.out}")


if __name__ == "__main__":
    main()
