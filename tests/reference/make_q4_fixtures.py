#!/usr/bin/env python3
"""Golden fixtures for 4-bit (QLoRA) weights, made with bitsandbytes 0.50 on the CPU (its CPU
backend quantizes and dequantizes 4-bit), transformers and PEFT. Run from the repository root:

    .venv-ref/bin/python tests/reference/make_q4_fixtures.py

It writes tests/fixtures/q4/:
  quant.safetensors  bitsandbytes.functional.quantize_4bit of three tensors (sizes that end
                     mid-block included) for nf4 and fp4, with and without double quantization:
                     the packed codes, the absmax (or its 8-bit codes, second-level absmax and
                     offset), and dequantize_4bit's output. Keys: {case}.{kind}[.dq].{field}.
  gpt2-64/           a random GPT-2 (2 layers, width 64, 4 heads, 256 inner, 32 positions,
                     vocabulary 500) in save_pretrained's format, and golden ids/labels (B 2, T 32,
                     -100 holes). Its in_features (64, 256) are multiples of 64 on purpose:
                     bitsandbytes 0.50's AVX-512 CPU dequantize_4bit indexes the block scales per
                     row (row * (in // 64) + col // 64), which is wrong when a row of the weight is
                     not a whole number of blocks (gpt2-odd's mlp.c_proj, in = 240, came out
                     wrong on this machine; its scalar kernel and the CUDA kernels are right).
                     The odd sizes are covered by quant.safetensors (case b) and tests/matmul.rs.
  {kind}[-dq]/       gpt2-64 loaded by transformers with BitsAndBytesConfig(load_in_4bit=True,
                     bnb_4bit_quant_type=kind, bnb_4bit_compute_dtype=float32,
                     bnb_4bit_use_double_quant=dq), eval mode:
                       (Linear4bit's AVX512-BF16 inference shortcut turned off: f32 throughout)
                       golden.safetensors: logits at the first 12 positions of gpt2-64's golden ids; the dequantized
                       weight of h.0.attn.c_attn (bnb order, [out, in]); for PEFT's
                       LoraConfig(r=4, lora_alpha=8, target_modules=c_attn, c_proj, c_fc) on that
                       base with lora_B drawn non-zero: the loss and d(loss)/d(lora_*) (PEFT's
                       names), dropout off.
                       adapter_config.json + adapter_model.safetensors: that adapter, as PEFT saves
                       it for a bnb-4bit base.
"""

import json
import shutil
from pathlib import Path

import bitsandbytes.functional as F
import torch
from peft import LoraConfig, get_peft_model
from safetensors.torch import load_file, save_file
from transformers import BitsAndBytesConfig, GPT2LMHeadModel

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures"
OUT = FIX / "q4"
BASE = OUT / "gpt2-64"


def quant_cases():
    torch.manual_seed(0)
    cases = {
        "a": torch.randn(40, 72) * 0.05,  # 45 whole blocks
        "b": torch.randn(13, 7) * 3.0 + 1.0,  # one whole block and a partial one
        # 300 blocks (two 8-bit blocks of the scales, the last partial), scales spread widely;
        # dequantized output kept for double quantization only (what this case is for)
        "c": torch.randn(300, 64) * torch.logspace(-3, 1, 300)[:, None],
    }
    out = {}
    for case, x in cases.items():
        out[f"{case}.input"] = x.contiguous()
        for kind in ["nf4", "fp4"]:
            for dq in [False, True]:
                key = f"{case}.{kind}" + (".dq" if dq else "")
                packed, state = F.quantize_4bit(x, blocksize=64, compress_statistics=dq, quant_type=kind)
                out[f"{key}.packed"] = packed.reshape(-1).contiguous()
                if case != "c" or dq:
                    out[f"{key}.dequantized"] = F.dequantize_4bit(packed, state).reshape(-1).contiguous()
                if dq:
                    out[f"{key}.absmax_q"] = state.absmax.contiguous()
                    out[f"{key}.absmax2"] = state.state2.absmax.contiguous()
                    out[f"{key}.offset"] = state.offset.reshape(1).float().contiguous()
                else:
                    out[f"{key}.absmax"] = state.absmax.contiguous()
    save_file(out, OUT / "quant.safetensors")
    print(f"quant.safetensors: {len(out)} tensors")


def make_base():
    from transformers import GPT2Config

    torch.manual_seed(5)
    cfg = GPT2Config(n_embd=64, n_head=4, n_layer=2, n_inner=256, n_positions=32, vocab_size=500, bos_token_id=0, eos_token_id=0)
    model = GPT2LMHeadModel(cfg).eval()
    BASE.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(BASE)
    (BASE / "generation_config.json").unlink(missing_ok=True)
    ids = torch.randint(0, 500, (2, 32))
    labels = ids.clone()
    labels[0, :3] = -100
    labels[1, 20:] = -100
    save_file({"input_ids": ids.int().contiguous(), "labels": labels.int().contiguous()}, BASE / "golden.safetensors")


def golden_batch():
    g = load_file(BASE / "golden.safetensors")
    return g["input_ids"].long(), g["labels"].long()


def model_4bit(kind, dq):
    cfg = BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type=kind,
        bnb_4bit_compute_dtype=torch.float32,
        bnb_4bit_use_double_quant=dq,
    )
    model = GPT2LMHeadModel.from_pretrained(BASE, quantization_config=cfg, dtype=torch.float32, device_map="cpu").eval()
    # On CPUs with AVX512-BF16, Linear4bit's no-grad inference takes a shortcut that computes in
    # bf16 (and needs out_features % 32 == 0). Turn it off: the product is then bitsandbytes'
    # reference path, dequantize_4bit + an f32 matmul, as on every other CPU and in training.
    for m in model.modules():
        if hasattr(m, "support_avx512bf16_for_cpu"):
            m.support_avx512bf16_for_cpu = False
    return model


def make_model(kind, dq, seed):
    name = kind + ("-dq" if dq else "")
    out = OUT / name
    shutil.rmtree(out, ignore_errors=True)
    ids, labels = golden_batch()
    model = model_4bit(kind, dq)
    ref = GPT2LMHeadModel.from_pretrained(BASE, dtype=torch.float32).eval()
    for path, m in model.named_modules():  # the weights bitsandbytes' kernels see are its quantization of ours
        if hasattr(getattr(m, "weight", None), "quant_state"):
            p, st = F.quantize_4bit(ref.get_submodule(path).weight.T.contiguous(), quant_type=kind, compress_statistics=dq)
            assert torch.equal(F.dequantize_4bit(m.weight.data, m.weight.quant_state), F.dequantize_4bit(p, st)), path
    golden = {}
    with torch.no_grad():
        golden["logits"] = model(input_ids=ids).logits[:, :12].float().contiguous()  # kept small
    w = model.transformer.h[0].attn.c_attn.weight
    golden["h.0.attn.c_attn.dequantized"] = F.dequantize_4bit(w.data, w.quant_state).float().contiguous()

    torch.manual_seed(seed)
    peft = get_peft_model(
        model,
        LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules=["c_attn", "c_proj", "c_fc"], task_type="CAUSAL_LM"),
    )
    with torch.no_grad():
        for n, p in peft.named_parameters():
            if "lora_B" in n:
                p.copy_(0.3 * torch.randn(p.shape))
    peft.eval()  # dropout off; gradients still flow
    loss = peft(input_ids=ids, labels=labels).loss
    loss.backward()
    golden["loss"] = torch.tensor([loss.item()], dtype=torch.float32)
    for n, p in peft.named_parameters():
        if "lora_" in n:
            golden["grad." + n.replace(".default", "")] = p.grad.detach().contiguous().float()
    peft.save_pretrained(out)
    (out / "README.md").unlink(missing_ok=True)
    cfg = json.loads((out / "adapter_config.json").read_text())
    cfg["base_model_name_or_path"] = "gpt2-64"
    cfg["target_modules"] = sorted(cfg["target_modules"])
    (out / "adapter_config.json").write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n")
    save_file(golden, out / "golden.safetensors")
    print(f"{name}: loss {loss.item():.6f}, logits {tuple(golden['logits'].shape)}")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    quant_cases()
    make_base()
    for i, (kind, dq) in enumerate([("nf4", False), ("fp4", False), ("nf4", True)]):
        make_model(kind, dq, 20 + i)
