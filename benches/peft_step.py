#!/usr/bin/env python3
"""PyTorch + PEFT reference for `webtune bench train`: seconds per LoRA training step of a
random-weight GPT-2 (the tutorial's LoraConfig with dropout off, AdamW lr 3e-4, clip 1.0, train
mode) on B x T random tokens, on this machine's CPU (or --device cuda), and the process's peak
RSS (and, on CUDA, the peak CUDA memory allocated). Median of --steps after one warm-up step.
The same shape flags as `webtune bench train`.

    .venv-ref/bin/python benches/peft_step.py [--layers 12] [--width 768] [--heads 12]
        [--batch 4] [--seq-len 128] [--steps 3] [--device cpu|cuda] [--json]
"""
import argparse
import json
import resource
import statistics
import time
import warnings

warnings.filterwarnings("ignore")  # PEFT and transformers warn about Conv1D and loss_type: noise here

import torch
from peft import LoraConfig, get_peft_model
from transformers import GPT2Config, GPT2LMHeadModel
from transformers.utils import logging

logging.set_verbosity_error()

ap = argparse.ArgumentParser()
ap.add_argument("--layers", type=int, default=12)
ap.add_argument("--width", type=int, default=768)
ap.add_argument("--heads", type=int, default=12)
ap.add_argument("--batch", type=int, default=4)
ap.add_argument("--seq-len", type=int, default=128)
ap.add_argument("--steps", type=int, default=3)
ap.add_argument("--device", default="cpu", help="cpu or cuda")
ap.add_argument("--json", action="store_true", help="print one JSON object instead of the lines")
args = ap.parse_args()
device = torch.device(args.device)
if device.type == "cuda" and not torch.cuda.is_available():
    raise SystemExit("peft_step.py: --device cuda, but this torch has no CUDA device")


def sync():
    if device.type == "cuda":
        torch.cuda.synchronize()


torch.manual_seed(0)
config = GPT2Config(n_layer=args.layers, n_embd=args.width, n_head=args.heads)
model = GPT2LMHeadModel(config)
lora = LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, target_modules=["c_attn"], task_type="CAUSAL_LM")
model = get_peft_model(model, lora).to(device)
model.train()
opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=3e-4)
ids = torch.randint(0, config.vocab_size, (args.batch, args.seq_len)).to(device)
times = []
for step in range(args.steps + 1):
    sync()
    t0 = time.perf_counter()
    opt.zero_grad()
    loss = model(input_ids=ids, labels=ids).loss
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    loss.item()
    sync()
    took = time.perf_counter() - t0
    if not args.json:
        print(f"{'warm-up' if step == 0 else f'step {step}'}: {took:.3f} s", flush=True)
    if step:
        times.append(took)
m = statistics.median(times)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB
result = {
    "bench": "peft_step",
    "torch": torch.__version__,
    "threads": torch.get_num_threads(),
    "device": torch.cuda.get_device_name() if device.type == "cuda" else "cpu",
    "cuda_peak": torch.cuda.max_memory_allocated() if device.type == "cuda" else None,
    "shape": {"layers": args.layers, "width": args.width, "heads": args.heads, "batch": args.batch,
              "seq_len": args.seq_len},
    "step_seconds": times,
    "median_seconds": m,
    "tokens_per_second": args.batch * args.seq_len / m,
    "rss_peak": rss,
}
if args.json:
    print(json.dumps(result))
else:
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads: median {m:.3f} s/step, "
          f"{args.batch * args.seq_len / m:.0f} tokens/s, peak RSS {rss / 1e6:.1f} MB")
