#!/usr/bin/env python3
"""webtune and huggingface_hub share one Hugging Face cache, both ways (not part of `make test`:
CI has no huggingface_hub; tests/hub.rs checks the layout natively).

    cargo build --bin webtune
    .venv-ref/bin/python tests/reference/check_hub_cache.py

1. webtune downloads gpt2-tiny and the adapter lora/tiny-c_attn from the stand-in Hub
   (tools/serve.py --hub tests/fixtures) into an empty HF_HOME. huggingface_hub must then find
   them offline: snapshot_download(local_files_only=True) returns the snapshot with the files,
   try_to_load_from_cache knows tokenizer.json is absent on the Hub (.no_exist), and
   transformers / PEFT load the model and the adapter from the cache with HF_HUB_OFFLINE=1.
2. huggingface_hub's hf_hub_download fetches the same files from the stand-in Hub into another
   empty HF_HOME; `webtune eval` with HF_HUB_OFFLINE=1 must read them and print the same loss.
"""
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEBTUNE = ROOT / "target" / "debug" / "webtune"
DATA = ROOT / "tests" / "fixtures" / "eval.txt"
MODEL_FILES = ["config.json", "model.safetensors", "vocab.json", "merges.txt"]
ADAPTER_FILES = ["adapter_config.json", "adapter_model.safetensors"]


def webtune_eval(env, model="gpt2-tiny", adapter=None):
    args = [str(WEBTUNE), "eval", "--model", model, "--data", str(DATA), "--seq-len", "16"]
    if adapter:
        args += ["--adapter", adapter]
    out = subprocess.run(args, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"webtune eval failed: {out.stderr}")
    return out.stdout.strip().splitlines()[-1]


def main():
    server = subprocess.Popen(
        [sys.executable, ROOT / "tools" / "serve.py", "--dir", ROOT / "www", "--port", "0", "--quiet",
         "--hub", ROOT / "tests" / "fixtures"],
        stdout=subprocess.PIPE, text=True)
    try:
        url = re.search(r"(http://\S+/)", server.stdout.readline())[1]
        endpoint = f"{url}hub"
        clean = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
        local = webtune_eval(clean, str(ROOT / "tests" / "fixtures" / "gpt2-tiny"))
        local_adapter = webtune_eval(clean, str(ROOT / "tests" / "fixtures" / "gpt2-tiny"),
                                     str(ROOT / "tests" / "fixtures" / "lora" / "tiny-c_attn"))

        # 1. webtune downloads; huggingface_hub, transformers and PEFT read.
        with tempfile.TemporaryDirectory() as home:
            env = {**clean, "HF_HOME": home, "HF_ENDPOINT": endpoint}
            assert webtune_eval(env) == local
            assert webtune_eval(env, adapter="lora/tiny-c_attn") == local_adapter
            check = subprocess.run([sys.executable, "-c", READ_WITH_HF], capture_output=True, text=True,
                                   env={**clean, "HF_HOME": home, "HF_HUB_OFFLINE": "1"})
            print(check.stdout, end="")
            if check.returncode != 0:
                sys.exit(f"huggingface_hub could not read webtune's cache:\n{check.stderr}")

        # 2. huggingface_hub downloads; webtune reads offline.
        with tempfile.TemporaryDirectory() as home:
            env = {**clean, "HF_HOME": home, "HF_ENDPOINT": endpoint}
            fetch = subprocess.run([sys.executable, "-c", DOWNLOAD_WITH_HF], capture_output=True, text=True, env=env)
            print(fetch.stdout, end="")
            if fetch.returncode != 0:
                sys.exit(f"huggingface_hub could not download from the stand-in Hub:\n{fetch.stderr}")
            server.terminate()
            offline = {**clean, "HF_HOME": home, "HF_HUB_OFFLINE": "1"}
            assert webtune_eval(offline) == local
            assert webtune_eval(offline, adapter="lora/tiny-c_attn") == local_adapter
            print(f"webtune read huggingface_hub's cache offline: {local}")
    finally:
        server.terminate()
        server.wait()
    print("ok: one cache for webtune and huggingface_hub, both ways")


READ_WITH_HF = f"""
import os
import huggingface_hub as hh
from transformers import GPT2LMHeadModel
from peft import PeftModel
path = hh.snapshot_download("gpt2-tiny", local_files_only=True)
assert sorted(os.listdir(path)) == {sorted(MODEL_FILES)!r}, os.listdir(path)
assert hh.try_to_load_from_cache("gpt2-tiny", "tokenizer.json") is hh.file_download._CACHED_NO_EXIST
adapter = hh.snapshot_download("lora/tiny-c_attn", local_files_only=True)
assert sorted(os.listdir(adapter)) == {sorted(ADAPTER_FILES)!r}, os.listdir(adapter)
model = GPT2LMHeadModel.from_pretrained("gpt2-tiny")
peft = PeftModel.from_pretrained(model, "lora/tiny-c_attn")
print(f"huggingface_hub {{hh.__version__}} read webtune's cache offline: {{path}}")
print(f"transformers + PEFT loaded gpt2-tiny + lora/tiny-c_attn from it ({{sum(p.numel() for p in model.parameters())}} parameters)")
"""

DOWNLOAD_WITH_HF = f"""
import huggingface_hub as hh
for f in {MODEL_FILES!r}:
    hh.hf_hub_download("gpt2-tiny", f)
for f in {ADAPTER_FILES!r}:
    hh.hf_hub_download("lora/tiny-c_attn", f)
print("huggingface_hub downloaded gpt2-tiny and lora/tiny-c_attn from the stand-in Hub")
"""

if __name__ == "__main__":
    main()
