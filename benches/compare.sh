#!/usr/bin/env bash
# Side by side, in one run on this machine: `webtune bench train` (the GPU adapter wgpu finds:
# lavapipe without a GPU) and PyTorch + PEFT on the CPU (benches/peft_step.py), the same LoRA
# step (the tutorial's config, dropout off in PEFT, AdamW) on the same shape; prints the CPU
# (benches/machine.sh: the ratios depend on it), both results and the ratios.
#
#   benches/compare.sh [--layers 4] [--width 256] [--heads 4] [--batch 4] [--seq-len 128] [--steps 3]
#
# Needs the reference environment (README: python3 -m venv .venv-ref && .venv-ref/bin/pip install
# torch transformers peft safetensors); PY=... picks another interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."
layers=4 width=256 heads=4 batch=4 seq=128 steps=3
while (($#)); do
  case "$1" in
    --layers) layers=$2 ;; --width) width=$2 ;; --heads) heads=$2 ;;
    --batch) batch=$2 ;; --seq-len) seq=$2 ;; --steps) steps=$2 ;;
    *) echo "compare.sh: unknown flag $1" >&2; exit 2 ;;
  esac
  shift 2
done
py=${PY:-.venv-ref/bin/python}
[ -x "$py" ] || { echo "compare.sh: no $py (see the header for the reference environment)" >&2; exit 1; }
shape=(--layers "$layers" --width "$width" --heads "$heads" --batch "$batch" --seq-len "$seq" --steps "$steps")
cargo build --release --bin webtune >&2
bash benches/machine.sh
webtune_json=$(target/release/webtune bench train "${shape[@]}" --json 2>/dev/null)
peft_json=$("$py" benches/peft_step.py "${shape[@]}" --json)
python3 - "$webtune_json" "$peft_json" <<'PY'
import json, sys
w, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
r = w["result"]
mb = lambda b: f"{b / 1e6:.0f} MB" if b else "-"
print(w["title"])
print(f"{'':<28} {'s/step':>9} {'tokens/s':>10} {'peak RSS':>10} {'GPU buffers':>12}")
print(f"{'webtune (' + w['adapter'].split()[0] + ')':<28} {r['median_seconds']:>9.3f} {r['tokens_per_second']:>10.0f} "
      f"{mb(r['memory']['rss_peak']):>10} {mb(r['memory']['gpu_peak']):>12}")
print(f"{'PyTorch ' + p['torch'] + ' + PEFT':<28} {p['median_seconds']:>9.3f} {p['tokens_per_second']:>10.0f} "
      f"{mb(p['rss_peak']):>10} {'-':>12}")
print(f"ratio webtune/PEFT: tokens/s {r['tokens_per_second'] / p['tokens_per_second']:.3f}x, "
      f"peak RSS {(r['memory']['rss_peak'] or 0) / p['rss_peak']:.2f}x")
PY
