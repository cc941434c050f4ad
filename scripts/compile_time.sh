#!/usr/bin/env bash
# Compile-time benchmark: bash scripts/compile_time.sh [--runs R] [--ns "1 10 30"] [--diagnose] [--out FILE]
#
# Compiles (-c, no link, no CMake) translation units of increasing size against the
# headers of this checkout:
#   bare       #include <eagerload/eagerload.hpp> and nothing else
#   models     the include plus benchmarks/compile_time/models.hpp (8 models, relations)
#   N=...      N distinct eager queries, each ending in .load(db), written by
#              benchmarks/compile_time/generate.py (fixed seed: the same queries every run)
# With --diagnose, the largest N also in four more ways (rows "N=30 ..."): at -O0, with
# -fsyntax-only (the front end alone), building the query values without load(), and
# calling plan() instead of load() (generate.py --mode build / plan).
# Each is compiled R times (default 3); the table gives the median of each figure: wall
# seconds, CPU seconds (user+sys: fairer than wall on a busy machine) and peak RSS of the
# compiler (/usr/bin/time), and each figure's ratio to the bare include. The table goes
# to stdout and, with the compiler and machine, to FILE (default
# docs/benchmarks/data/compile_time.txt).
#
# Environment: CXX (default g++), CXXFLAGS (default "-std=c++20 -O2"), NICE (default 10;
# the compiles run under `nice -n NICE`), WARNFLAGS (default "-Wall -Wextra -Wpedantic"):
# any warning or error fails the run. (clang++ 14 warns in detail/reflect.hpp at commit
# 8c88bd1: CXX=clang++ WARNFLAGS=-w measures it anyway.)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS=3
NS="1 10 30"
DIAGNOSE=0
OUT="$ROOT/docs/benchmarks/data/compile_time.txt"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift ;;
    --ns) NS="$2"; shift ;;
    --diagnose) DIAGNOSE=1 ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

CXX="${CXX:-g++}"
read -r -a FLAGS <<<"${CXXFLAGS:--std=c++20 -O2}"
NICE="${NICE:-10}"
BENCH="$ROOT/benchmarks/compile_time"
read -r -a WARN <<<"${WARNFLAGS:--Wall -Wextra -Wpedantic}"

if [ ! -x /usr/bin/time ]; then
  echo "==> installing time (for /usr/bin/time)"
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -q time >/dev/null || { apt-get update -q && apt-get install -y -q time; }
  else sudo apt-get install -y -q time; fi
fi

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# The include flags: the library's headers, plus libpq's directory only if the bare
# include needs it (it does not today: no SOCI or libpq header reaches user code).
INCLUDES=(-I"$ROOT/include" -I"$BENCH")
echo '#include <eagerload/eagerload.hpp>' >"$WORK/bare.cpp"
if ! "$CXX" "${FLAGS[@]}" "${INCLUDES[@]}" -fsyntax-only "$WORK/bare.cpp" 2>/dev/null; then
  if [ -d /usr/include/postgresql ] &&
     "$CXX" "${FLAGS[@]}" "${INCLUDES[@]}" -I/usr/include/postgresql -fsyntax-only "$WORK/bare.cpp"; then
    INCLUDES+=(-I/usr/include/postgresql)
  else
    echo "error: $CXX cannot compile #include <eagerload/eagerload.hpp> with ${FLAGS[*]} ${INCLUDES[*]}" >&2
    exit 1
  fi
fi

printf '#include <eagerload/eagerload.hpp>\n#include "models.hpp"\n' >"$WORK/models.cpp"
CASES=(bare models)
declare -A LABEL=([bare]="bare include" [models]="include + models.hpp")
declare -A SHAPE=([bare]="no query" [models]="8 models, no query")
for n in $NS; do
  python3 "$BENCH/generate.py" "$n" -o "$WORK/n$n.cpp"
  CASES+=("n$n")
  LABEL["n$n"]="N=$n"
  # "// N distinct eager queries, mode load; L select<>s, S statements in all."
  SHAPE["n$n"]="$(sed -n '2s/.*; \([0-9]*\) select<>s, \([0-9]*\) statements.*/\1 levels, \2 statements/p' "$WORK/n$n.cpp")"
done

# Diagnosis rows: the largest N at -O0, front end only, without load(), plan() only.
declare -A CASE_FLAGS=()
if [ "$DIAGNOSE" = 1 ]; then
  big="${NS##* }"
  for mode in build plan; do
    python3 "$BENCH/generate.py" "$big" --mode "$mode" -o "$WORK/n${big}_$mode.cpp"
  done
  cp "$WORK/n$big.cpp" "$WORK/n${big}_O0.cpp"
  cp "$WORK/n$big.cpp" "$WORK/n${big}_syntax.cpp"
  CASES+=("n${big}_O0" "n${big}_syntax" "n${big}_build" "n${big}_plan")
  LABEL["n${big}_O0"]="N=$big at -O0"
  LABEL["n${big}_syntax"]="N=$big -fsyntax-only (front end)"
  LABEL["n${big}_build"]="N=$big, no load() (values only)"
  LABEL["n${big}_plan"]="N=$big, plan() instead of load()"
  CASE_FLAGS["n${big}_O0"]="-O0"
  CASE_FLAGS["n${big}_syntax"]="-fsyntax-only"
  for c in O0 syntax build plan; do SHAPE["n${big}_$c"]="${SHAPE["n$big"]}"; done
fi

median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# compile CASE: R timed runs; prints "wall cpu rss_kb" medians.
compile() {
  local c="$1" i walls=() cpus=() rsss=() extra=()
  # Later flags win: -O0 overrides CXXFLAGS' -O2; -fsyntax-only writes no object.
  read -r -a extra <<<"${CASE_FLAGS[$c]:-}"
  for ((i = 0; i < RUNS; i++)); do
    if ! nice -n "$NICE" /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" \
         "$CXX" "${FLAGS[@]}" "${extra[@]}" "${WARN[@]}" "${INCLUDES[@]}" -c "$WORK/$c.cpp" -o "$WORK/$c.o" 2>"$WORK/err"; then
      cat "$WORK/err" >&2
      echo "error: $c does not compile" >&2
      exit 1
    fi
    if [ -s "$WORK/err" ]; then
      cat "$WORK/err" >&2
      echo "error: $c compiles with warnings" >&2
      exit 1
    fi
    read -r wall user sys rss <"$WORK/time"
    walls+=("$wall")
    cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')")
    rsss+=("$rss")
  done
  echo "$(printf '%s\n' "${walls[@]}" | median) $(printf '%s\n' "${cpus[@]}" | median) $(printf '%s\n' "${rsss[@]}" | median)"
}

declare -A WALL CPU RSS
for c in "${CASES[@]}"; do
  echo "==> ${LABEL[$c]}: $RUNS runs" >&2
  compile "$c" >"$WORK/result"
  read -r "WALL[$c]" "CPU[$c]" "RSS[$c]" <"$WORK/result"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1fx", (b > 0 ? a / b : 0)}'; }
mb() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }

{
  echo "| translation unit | shape | wall s | CPU s (user+sys) | peak RSS MB | wall / bare | CPU / bare | RSS / bare |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  for c in "${CASES[@]}"; do
    echo "| ${LABEL[$c]} | ${SHAPE[$c]} | ${WALL[$c]} | ${CPU[$c]} | $(mb "${RSS[$c]}") |" \
         "$(ratio "${WALL[$c]}" "${WALL[bare]}") | $(ratio "${CPU[$c]}" "${CPU[bare]}") | $(ratio "${RSS[$c]}" "${RSS[bare]}") |"
  done
} >"$WORK/table"

EXTRA_INCLUDES=""
[ "${#INCLUDES[@]}" -gt 2 ] && EXTRA_INCLUDES=" ${INCLUDES[*]:2}"
GIT_REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
GIT_DIRTY=""
if [ -n "$(git -C "$ROOT" status --porcelain -- include src 2>/dev/null)" ]; then
  GIT_DIRTY=" (include/ or src/ modified)"
fi
mkdir -p "$(dirname "$OUT")"
{
  echo "Compile time of eager queries (scripts/compile_time.sh; median of $RUNS runs each)"
  echo
  echo "date:      $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "checkout:  $GIT_REV$GIT_DIRTY"
  echo "compiler:  $("$CXX" --version | head -n 1)"
  echo "command:   nice -n $NICE $CXX ${FLAGS[*]} ${WARN[*]} -I<checkout>/include -I<checkout>/benchmarks/compile_time${EXTRA_INCLUDES} -c TU.cpp"
  echo "cpu:       $(nproc) x $(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "load avg:  $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end (2 cores: above ~2, other"
  echo "           processes compete and wall time, even CPU time, rise; peak RSS does not)"
  echo "queries:   python3 benchmarks/compile_time/generate.py N (seed 2024): N distinct queries, 2-4 levels deep, each ending in .load(db)"
  echo
  cat "$WORK/table"
} >"$OUT"
cat "$WORK/table"
echo "(written to ${OUT#"$ROOT"/})" >&2
