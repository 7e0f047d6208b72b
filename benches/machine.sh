#!/usr/bin/env bash
# One line naming the CPU a benchmark ran on, for the tables in BENCHMARKS.md: compare.sh and
# emulators.sh print it first. Ratios against PyTorch and between the CPU emulators depend on it:
# on two AMD EPYCs of the same 2-core class lavapipe's step differed by 3x and PyTorch's did not
# (BENCHMARKS.md, "A LoRA step, side by side"), and AVX-512 is the difference we know of.
set -uo pipefail
if command -v lscpu >/dev/null 2>&1; then
  field() { LC_ALL=C lscpu | sed -n "s/^$1:[[:space:]]*//p" | head -n 1; }
  name=$(field 'Model name') family=$(field 'CPU family') model=$(field 'Model') cpus=$(field 'CPU(s)')
  flags=$(field 'Flags')
  case " $flags " in *" avx512f "*) avx512=yes ;; *) avx512=no ;; esac
  echo "machine: ${name:-unknown CPU} ($(uname -m), family ${family:-?} model ${model:-?}), ${cpus:-?} CPUs, AVX-512: $avx512"
else
  echo "machine: $(uname -sm), $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') CPUs"
fi
