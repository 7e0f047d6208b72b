#!/usr/bin/env bash
# One line naming the CPU a benchmark ran on, for the tables in BENCHMARKS.md: compare.sh and
# emulators.sh print it first. Ratios against PyTorch and between the CPU emulators depend on it:
# on two AMD EPYCs of the same 2-core class lavapipe's step differed by 3x and PyTorch's did not
# (BENCHMARKS.md, "A LoRA step, side by side"); AVX-512 is the one difference we can name, not a
# verified cause.
set -uo pipefail
if info=$(LC_ALL=C lscpu 2>/dev/null); then
  field() { sed -n "s/^$1:[[:space:]]*//p" <<<"$info" | head -n 1; }
  name=$(field 'Model name') family=$(field 'CPU family') model=$(field 'Model') cpus=$(field 'CPU(s)')
  case " $(field 'Flags') " in *" avx512f "*) avx512=yes ;; *) avx512=no ;; esac
  echo "machine: ${name:-unknown CPU} ($(uname -m), family ${family:-?} model ${model:-?}), ${cpus:-?} CPUs, AVX-512: $avx512"
else
  echo "machine: $(uname -sm), $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') CPUs"
fi
