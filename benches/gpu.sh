#!/usr/bin/env bash
# The real-GPU check, as one prepared script: build, run the tests on the GPU, let the matmul
# autotuner choose on it, and time a LoRA step on the 4-layer width-256 and GPT-2 124M shapes
# with webtune (wgpu on the machine's Vulkan/Metal/DX12 adapter; f32, f16 and nf4 (QLoRA) weights) and, where a CUDA PyTorch with
# PEFT is installed, PyTorch + PEFT on the same GPU. Prints BENCHMARKS.md rows at the end and
# writes every JSON result under $OUT (default benches/out/).
#
#   benches/gpu.sh [--quick]      (--quick: one timed step per shape, no tests)
#
# Nothing here is assumed to work: each part that cannot run says why and is reported as
# "not run", never as passed. The binary is target/release/webtune if it is already there
# (built elsewhere and copied in), else `cargo build --release`.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-benches/out}
mkdir -p "$out"
quick=0
[ "${1:-}" = "--quick" ] && quick=1
steps=$((quick ? 1 : 3))
py=${PY:-python3}
[ -x .venv-ref/bin/python ] && py=${PY:-.venv-ref/bin/python}
log() { echo "gpu.sh: $*" >&2; }
status=()

# 1. The binary.
bin=target/release/webtune
if [ ! -x "$bin" ]; then
  if command -v cargo >/dev/null && cargo build --release --bin webtune; then
    log "built $bin"
  else
    log "no $bin and cargo build failed: nothing to measure"
    exit 1
  fi
fi
"$bin" info | tee "$out/info.txt" || { log "webtune info failed: no usable adapter"; exit 1; }

# 2. The tests, on this adapter (the same checks CI runs on lavapipe).
if ((quick)); then
  status+=("tests: not run (--quick)")
elif command -v cargo >/dev/null; then
  if WEBTUNE_CACHE_DIR= cargo test --release 2>&1 | tee "$out/tests.txt" | grep -E "^test result|FAILED|panicked"; then
    if grep -q "FAILED\|panicked" "$out/tests.txt"; then status+=("tests: FAILED (see $out/tests.txt)"); else status+=("tests: passed"); fi
  else
    status+=("tests: FAILED to run (see $out/tests.txt)")
  fi
else
  status+=("tests: not run (no cargo)")
fi

# 3. The autotuner and the products, then a LoRA step per shape (bench train tunes first and
#    prints its choices).
"$bin" bench matmul --bt 512 --reps "$steps" --json > "$out/matmul.json" || status+=("bench matmul: failed")
shapes=("4l 4 256 4" "124m 12 768 12")
for s in "${shapes[@]}"; do
  set -- $s
  name=$1 layers=$2 width=$3 heads=$4
  for w in f32 f16 nf4; do
    "$bin" bench train --layers "$layers" --width "$width" --heads "$heads" --batch 4 --seq-len 128 \
      --steps "$steps" --weights "$w" --json > "$out/train-$name-$w.json" 2> "$out/train-$name-$w.err" \
      || { status+=("bench train $name $w: failed ($(tail -1 "$out/train-$name-$w.err"))"); rm -f "$out/train-$name-$w.json"; }
  done
  "$bin" bench train --layers "$layers" --width "$width" --heads "$heads" --batch 4 --seq-len 128 \
    --steps 1 --profile > "$out/profile-$name.txt" 2>&1 || status+=("profile $name: failed")
  # PyTorch + PEFT on the same GPU.
  if "$py" -c "import torch, peft, transformers, sys; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
    "$py" benches/peft_step.py --layers "$layers" --width "$width" --heads "$heads" --batch 4 --seq-len 128 \
      --steps "$steps" --device cuda --json > "$out/peft-$name.json" || status+=("peft $name: failed")
  else
    status+=("peft $name: not run ($py has no CUDA torch with peft and transformers)")
  fi
done
"$bin" bench generate --contexts 32,512 --tokens 16 --rounds 1 --json > "$out/generate.json" 2>/dev/null \
  || status+=("bench generate: failed")

# 4. BENCHMARKS.md rows.
"$py" - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
def load(name):
    p = os.path.join(out, name)
    return json.load(open(p)) if os.path.exists(p) else None
info = open(os.path.join(out, "info.txt")).read().splitlines()[0].split(":", 1)[1].strip()
print(f"\n| shape | weights | webtune s/step ({info}) | tokens/s | GPU buffers | PEFT (CUDA) s/step | ratio |")
print("|---|---|---:|---:|---:|---:|---:|")
for name in ["4l", "124m"]:
    p = load(f"peft-{name}.json")
    for w in ["f32", "f16", "nf4"]:
        r = load(f"train-{name}-{w}.json")
        if not r:
            print(f"| {name} | {w} | not run | | | | |")
            continue
        r = r["result"]
        ps = f"{p['median_seconds']:.4f}" if p else "not run"
        ratio = f"{r['tokens_per_second'] / p['tokens_per_second']:.2f}x" if p and w == "f32" else ""
        print(f"| {name} | {w} | {r['median_seconds']:.4f} | {r['tokens_per_second']:.0f} | "
              f"{r['memory']['gpu_peak'] / 1e6:.0f} MB | {ps} | {ratio} |")
PY
printf '\n'
for s in "${status[@]}"; do log "$s"; done
