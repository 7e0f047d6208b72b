#!/usr/bin/env bash
# The page's speed, taken apart: `webtune bench train` natively on the two CPU emulators of
# Vulkan, in one run, rounds interleaved:
#   lavapipe             Mesa's (what wgpu finds here): the native bench, default kernels
#   lavapipe, portable   the same with WEBTUNE_SUBGROUPS=off: the kernels of a device without
#                        subgroups
#   SwiftShader          Chromium's own libvk_swiftshader.so (what the page runs on in headless
#                        Chromium), through VK_ICD_FILENAMES, with the kernels the page gets there
#                        (4-lane subgroup products, attention and cross-entropy)
#   the page             with --page: benches/page.mjs, the page itself in headless Chromium
#                        (SwiftShader) training its demo model at the same B, T and recompute;
#                        only at the demo model's shape (2 layers, width 64, 4 heads)
# SwiftShader natively against the page is the page's own overhead; SwiftShader against lavapipe
# is the emulator's.
#
#   benches/emulators.sh [--layers 2] [--width 64] [--heads 4] [--batch 4] [--seq-len 64] [--steps 5] [--rounds 2] [--recompute] [--page]
#
# Defaults: the page's demo model (2 layers, width 64, GPT-2's vocabulary). SWIFTSHADER_ICD
# names another vk_swiftshader_icd.json (default: Debian's Chromium package).
set -euo pipefail
cd "$(dirname "$0")/.."
layers=2 width=64 heads=4 batch=4 seq=64 steps=5 rounds=2 extra=() runs=(lavapipe portable swiftshader)
while (($#)); do
  case "$1" in
    --recompute) extra=(--recompute); shift; continue ;;
    --page) runs+=(page); shift; continue ;;
    --layers) layers=$2 ;; --width) width=$2 ;; --heads) heads=$2 ;; --batch) batch=$2 ;;
    --seq-len) seq=$2 ;; --steps) steps=$2 ;; --rounds) rounds=$2 ;;
    *) echo "emulators.sh: unknown flag $1" >&2; exit 2 ;;
  esac
  shift 2
done
icd=${SWIFTSHADER_ICD:-/usr/lib/chromium/vk_swiftshader_icd.json}
[ -f "$icd" ] || { echo "emulators.sh: no $icd (install chromium, or set SWIFTSHADER_ICD)" >&2; exit 1; }
if [[ " ${runs[*]} " == *" page "* ]]; then
  [ "$layers/$width/$heads" = 2/64/4 ] || { echo "emulators.sh: --page trains the page's demo model: 2 layers, width 64, 4 heads" >&2; exit 2; }
  make pkg >&2
fi
cargo build --release --bin webtune >&2
bench=(target/release/webtune bench train --layers "$layers" --width "$width" --heads "$heads"
  --batch "$batch" --seq-len "$seq" --steps "$steps" "${extra[@]}")
echo "bench train --layers $layers --width $width --heads $heads --batch $batch --seq-len $seq ${extra[*]}, median of $steps steps; tuning cache off"
bash benches/machine.sh
for round in $(seq 1 "$rounds"); do
  for run in "${runs[@]}"; do
    if [ "$run" = page ]; then
      # The page's rate is over its last 10 steps; 2 more: the first allocates and times kernels.
      line=$(node benches/page.mjs --batch "$batch" --seq-len "$seq" --steps 12 "${extra[@]}")
      printf 'round %s  %-12s %s\n' "$round" page "${line#page: }"
      continue
    fi
    case $run in
      lavapipe) env=() ;;
      portable) env=(WEBTUNE_SUBGROUPS=off) ;;
      swiftshader) env=(VK_ICD_FILENAMES="$icd") ;;
    esac
    line=$(env WEBTUNE_CACHE_DIR= "${env[@]}" "${bench[@]}" 2>/dev/null | grep '^median')
    adapter=$(env "${env[@]}" target/release/webtune info 2>/dev/null | sed -n 1p)  # sed reads it all: no SIGPIPE
    printf 'round %s  %-12s %s   [%s]\n' "$round" "$run" "$line" "$adapter"
  done
done
