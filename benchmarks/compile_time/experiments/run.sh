#!/usr/bin/env bash
# Compiles the N=30 TU against every variant of make_variants.py: CPU seconds
# (user+sys), peak RSS and code size, one line per variant, median of R runs.
#   bash benchmarks/compile_time/experiments/run.sh [R] [VARIANT...]
# Environment: N (default 30) queries, CXX (default g++), NICE (default 10).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUNS="${1:-1}"
shift || true
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
python3 "$HERE/make_variants.py" "$WORK/v"
python3 "$HERE/../generate.py" "${N:-30}" -o "$WORK/n30.cpp"
VARIANTS=("$@")
[ "${#VARIANTS[@]}" -gt 0 ] || mapfile -t VARIANTS < <(ls "$WORK/v")
echo "| variant | CPU s | peak RSS MB | .text bytes |"
echo "|---|---:|---:|---:|"
for v in "${VARIANTS[@]}"; do
  cpus=() rss=()
  for ((i = 0; i < RUNS; i++)); do
    nice -n "${NICE:-10}" /usr/bin/time -f '%U %S %M' -o "$WORK/t" "${CXX:-g++}" -std=c++20 -O2 \
      -Wall -Wextra -Wpedantic -I"$WORK/v/$v/include" -I"$HERE/.." -c "$WORK/n30.cpp" -o "$WORK/n30.o"
    read -r u s m <"$WORK/t"
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.1f", u + s}')")
    rss+=("$((m / 1024))")
  done
  med() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
  echo "| $v | $(med "${cpus[@]}") | $(med "${rss[@]}") | $(size "$WORK/n30.o" | awk 'NR == 2 {print $1}') |"
done
