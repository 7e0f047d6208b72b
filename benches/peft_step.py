#!/usr/bin/env python3
"""PyTorch + PEFT reference for `webtune bench train`: seconds per LoRA training step of a
random-weight GPT-2 (the tutorial's LoraConfig, AdamW lr 3e-4, clip 1.0, train mode) on B x T
random tokens, on this machine's CPU. Median of --steps after one warm-up step.

    .venv-ref/bin/python benches/peft_step.py [--layers 12] [--batch 4] [--seq-len 128] [--steps 3]
"""
import argparse
import statistics
import time

import torch
from peft import LoraConfig, get_peft_model
from transformers import GPT2Config, GPT2LMHeadModel

ap = argparse.ArgumentParser()
ap.add_argument("--layers", type=int, default=12)
ap.add_argument("--batch", type=int, default=4)
ap.add_argument("--seq-len", type=int, default=128)
ap.add_argument("--steps", type=int, default=3)
args = ap.parse_args()

torch.manual_seed(0)
model = GPT2LMHeadModel(GPT2Config(n_layer=args.layers))
model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, lora_dropout=0.05, target_modules=["c_attn"], task_type="CAUSAL_LM"))
model.train()
opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=3e-4)
ids = torch.randint(0, 50257, (args.batch, args.seq_len))
times = []
for step in range(args.steps + 1):
    t0 = time.perf_counter()
    opt.zero_grad()
    loss = model(input_ids=ids, labels=ids).loss
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    loss.item()
    took = time.perf_counter() - t0
    print(f"{'warm-up' if step == 0 else f'step {step}'}: {took:.3f} s", flush=True)
    if step:
        times.append(took)
m = statistics.median(times)
print(f"torch {torch.__version__}, {torch.get_num_threads()} threads: median {m:.3f} s/step, "
      f"{args.batch * args.seq_len / m:.0f} tokens/s")
