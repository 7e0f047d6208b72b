#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus into fuzz/seeds/<target>/ (committed; rerun to remake it):
valid files of the tiny model that fuzz/harness.rs reads against (1 layer, width 8, 2 heads,
vocabulary 16, 4 positions), and the repo's own config fixtures. Needs numpy and safetensors."""
import json
import struct
from pathlib import Path

import numpy as np
from safetensors.numpy import save

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fuzz" / "seeds"
C, V, P, R = 8, 16, 4, 2
rng = np.random.default_rng(0)


def model(prefix="transformer.", dtype=np.float32):
    shapes = {"wte.weight": (V, C), "wpe.weight": (P, C), "ln_f.weight": (C,), "ln_f.bias": (C,)}
    for name, shape in [("ln_1.weight", (C,)), ("ln_1.bias", (C,)), ("attn.c_attn.weight", (C, 3 * C)),
                        ("attn.c_attn.bias", (3 * C,)), ("attn.c_proj.weight", (C, C)), ("attn.c_proj.bias", (C,)),
                        ("ln_2.weight", (C,)), ("ln_2.bias", (C,)), ("mlp.c_fc.weight", (C, 4 * C)),
                        ("mlp.c_fc.bias", (4 * C,)), ("mlp.c_proj.weight", (4 * C, C)), ("mlp.c_proj.bias", (C,))]:
        shapes[f"h.0.{name}"] = shape
    return save({prefix + k: rng.standard_normal(s).astype(dtype) for k, s in shapes.items()}, {"format": "pt"})


def adapter(targets=("c_attn",)):
    config = {"peft_type": "LORA", "r": R, "lora_alpha": 4, "lora_dropout": 0.0, "target_modules": list(targets),
              "fan_in_fan_out": True, "bias": "none", "base_model_name_or_path": "tiny", "task_type": "CAUSAL_LM"}
    # (module, in, out): "c_proj" names both attn.c_proj and mlp.c_proj, as in PEFT.
    modules = {"c_attn": [("attn.c_attn", C, 3 * C)], "c_proj": [("attn.c_proj", C, C), ("mlp.c_proj", 4 * C, C)],
               "c_fc": [("mlp.c_fc", C, 4 * C)]}
    tensors = {}
    for t in targets:
        for module, n_in, n_out in modules[t]:
            key = f"base_model.model.transformer.h.0.{module}"
            tensors[f"{key}.lora_A.weight"] = rng.standard_normal((R, n_in)).astype(np.float32)
            tensors[f"{key}.lora_B.weight"] = rng.standard_normal((n_out, R)).astype(np.float32)
    text = json.dumps(config).encode()
    return struct.pack("<H", len(text)) + text + save(tensors)


def main():
    for target, files in {
        "config": {
            "gpt2-tiny.json": (ROOT / "tests/fixtures/gpt2-tiny/config.json").read_bytes(),
            "gpt2-odd.json": (ROOT / "tests/fixtures/gpt2-odd/config.json").read_bytes(),
            "adapter_config.json": (ROOT / "tests/fixtures/lora/attn-mlp/adapter_config.json").read_bytes(),
            "rslora.json": (ROOT / "tests/fixtures/lora/rslora-fc/adapter_config.json").read_bytes(),
        },
        "safetensors": {
            "tiny.safetensors": model(),
            "tiny-openai-names.safetensors": model(prefix=""),
            "tiny-f16.safetensors": model(dtype=np.float16),
        },
        "adapter": {"c_attn.bin": adapter(), "attn-mlp.bin": adapter(("c_attn", "c_proj", "c_fc"))},
    }.items():
        (SEEDS / target).mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (SEEDS / target / name).write_bytes(data)
            print(f"fuzz/seeds/{target}/{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
