#!/usr/bin/env bash
# Fuzz the parsers eagerload owns with libFuzzer (docs/sanitizers.md, "Fuzzing"):
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]   fuzz each target for SECONDS (default 60)
#   bash scripts/fuzz.sh --replay [TARGET...]    run each target over its committed corpus once
# Targets (tests/fuzz/<target>.cpp): timestamp, convert, key_encoding, connection_string,
# page_token, bytes_decimal (default: all).
#
# Builds build-fuzz/ with clang++ and -DEAGERLOAD_FUZZ=ON (ASan + UBSan + libFuzzer). A
# fuzzing run starts from the committed seeds (tests/fuzz/corpus/<target>/) and grows a
# working corpus in build-fuzz/corpus/<target>/ (never the committed one); a crash, a
# sanitizer report or a failed property stops it, fails the script and leaves the input in
# build-fuzz/artifacts/ (turn it into a doctest case, then fix: docs/sanitizers.md).
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SECONDS_EACH=60
REPLAY=0
case "${1:-}" in
  --replay) REPLAY=1; shift ;;
  -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  ''|*[!0-9]*) ;;
  *) SECONDS_EACH="$1"; shift ;;
esac
TARGETS=("$@")
[ "${#TARGETS[@]}" -gt 0 ] || TARGETS=(timestamp convert key_encoding connection_string page_token bytes_decimal)

ensure_packages "${BUILD_PACKAGES[@]}" clang
FUZZ_DIR="$ROOT/build-fuzz"
CLANGXX="$(command -v clang++ || true)"
[ -n "$CLANGXX" ] || { echo "error: clang++ not found (Debian: apt-get install clang)" >&2; exit 1; }

echo "==> fuzz: building ${TARGETS[*]} with $CLANGXX in $FUZZ_DIR"
cmake -S "$ROOT" -B "$FUZZ_DIR" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER="$CLANGXX" -DEAGERLOAD_FUZZ=ON \
  -DEAGERLOAD_WERROR=ON -DEAGERLOAD_BUILD_TESTS=OFF -DEAGERLOAD_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$FUZZ_DIR" -j2 --target "${TARGETS[@]/#/fuzz_}"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
mkdir -p "$FUZZ_DIR/artifacts"
for target in "${TARGETS[@]}"; do
  program="$FUZZ_DIR/tests/fuzz/fuzz_$target"
  seeds="$ROOT/tests/fuzz/corpus/$target"
  log="$FUZZ_DIR/fuzz_$target.log"
  if [ "$REPLAY" -eq 1 ]; then
    echo "==> fuzz: $target: replaying $(find "$seeds" -type f | wc -l) committed inputs"
    "$program" -runs=0 "$seeds" >"$log" 2>&1 || { status=1; tail -n 40 "$log" >&2; echo "error: fuzz: $target failed on its corpus (log: $log)" >&2; }
    continue
  fi
  corpus="$FUZZ_DIR/corpus/$target"
  mkdir -p "$corpus"
  echo "==> fuzz: $target for ${SECONDS_EACH} s"
  if "$program" -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$FUZZ_DIR/artifacts/$target-" "$corpus" "$seeds" >"$log" 2>&1; then
    echo "    $(grep -E '^stat::number_of_executed_units' "$log" | sed 's/.*: *//') runs," \
      "$(find "$corpus" -type f | wc -l) inputs in the working corpus," \
      "$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | sed 's/cov: //') edges covered"
  else
    status=1
    tail -n 60 "$log" >&2
    echo "error: fuzz: $target found a failure (input in $FUZZ_DIR/artifacts/, log: $log)" >&2
  fi
done
exit "$status"
