#!/usr/bin/env bash
# Build everything and run all tests against SQLite, a throwaway PostgreSQL and a
# throwaway MariaDB. A backend whose server cannot start fails the run; so does a
# backend with no test registered.
#
# Then the same servers serve two instrumented builds (docs/sanitizers.md): the whole
# test suite under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/), and the
# threaded tests under ThreadSanitizer (build-tsan/); and the libFuzzer targets
# (tests/fuzz/, build-fuzz/, clang++) fuzz a few seconds each from their committed
# corpora, so they keep building. Any report fails the run. EAGERLOAD_SANITIZERS=0
# skips these three stages.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
elapsed() { printf '%dm%02ds' $((SECONDS / 60)) $((SECONDS % 60)); }  # since the script started

ensure_packages "${BUILD_PACKAGES[@]}" postgresql mariadb-server mariadb-client

# ---- throwaway servers on 127.0.0.1 (stopped and deleted on exit) ----------------
start_throwaway_postgres eagerload_test
export EAGERLOAD_TEST_POSTGRES="host=127.0.0.1 port=$PG_PORT dbname=eagerload_test user=postgres"
# The test cases create a database each; the dashboard example uses eagerload_example.
start_throwaway_mariadb eagerload_example
export EAGERLOAD_TEST_MARIADB="user=root host=127.0.0.1 port=$MARIADB_PORT"

# ---- build and test ------------------------------------------------------------
configure -DEAGERLOAD_WERROR=ON -DEAGERLOAD_BUILD_TESTS=ON
cmake --build "$BUILD_DIR" -j"$(nproc)"
status=0
results="$BUILD_DIR/test-results.xml"
rm -f "$results"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 --output-junit "$results" || status=$?

# ---- every backend was tested ---------------------------------------------------
# Counted from what ctest ran (its JUnit report): a backend with no passing test fails
# the run, whatever else passed.
echo "==> tests per backend ($(elapsed) since start):"
for backend in sqlite postgresql mariadb; do
  passed="$(grep -o '<testcase name="[^"]*\['"$backend"'\]"[^>]*status="run"' "$results" | wc -l || true)"
  failed="$(grep -o '<testcase name="[^"]*\['"$backend"'\]"[^>]*status="fail"' "$results" | wc -l || true)"
  printf '    [%s] %s passed, %s failed\n' "$backend" "$passed" "$failed"
  if [ "$passed" -eq 0 ]; then
    echo "error: no '[$backend]' test passed; $backend was not tested" >&2
    status=1
  fi
done
echo "    (PostgreSQL on 127.0.0.1:$PG_PORT, MariaDB on 127.0.0.1:$MARIADB_PORT)"

# ---- sanitizers -------------------------------------------------------------------
# Only the library and eagerload_tests (with the dashboard core its interop test links)
# are built, -j2, in Debug with the -O1 -g that EAGERLOAD_SANITIZE adds; the examples,
# the compile-fail and the consumer tests ran above. The test program runs directly, as
# one process (doctest filters pick the cases).
#
# sanitized_run NAME SANITIZERS "CMAKE ARGS" [doctest filters...]: build build-NAME/
# (configured with the extra CMAKE ARGS, split on spaces) and run the cases. Fails on a
# failed case or a sanitizer report (either makes the program exit non-zero), when fewer
# cases passed than the filters select, and when a backend has no case among them.
sanitized_run() {
  local name="$1" sanitizers="$2" dir="$ROOT/build-$1" program log selected passed backend n rc=0
  local -a extra
  read -r -a extra <<<"$3"
  shift 3
  echo "==> $name: building eagerload_tests with -fsanitize=$sanitizers in $dir ($(elapsed) since start)"
  # (set -e does not apply inside a function called with ||: check each step)
  cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DEAGERLOAD_WERROR=ON -DEAGERLOAD_BUILD_TESTS=ON \
    -DEAGERLOAD_SANITIZE="$sanitizers" "${extra[@]}" >/dev/null || return 1
  cmake --build "$dir" -j2 --target eagerload_tests || return 1
  program="$dir/tests/eagerload_tests"
  log="$dir/test-output.txt"
  echo "==> $name: eagerload_tests ${*:-(every case)} ($(elapsed) since start)"
  "$program" --no-intro=true "$@" 2>&1 | tee "$log" || rc=$?
  echo "==> $name: done ($(elapsed) since start)"
  if [ "$rc" -ne 0 ]; then
    echo "error: $name: eagerload_tests exited with status $rc: a failed case or a sanitizer report above" >&2
  fi
  selected="$("$program" --no-intro=true "$@" --list-test-cases | grep -v -e '^\[doctest\]' -e '^=*$' || true)"
  passed="$(sed -n 's/^\[doctest\] test cases: *[0-9]* | *\([0-9]*\) passed.*/\1/p' "$log")"
  if [ "${passed:-0}" -ne "$(printf '%s\n' "$selected" | grep -c . || true)" ]; then
    echo "error: $name: ${passed:-no} cases passed of the $(printf '%s\n' "$selected" | grep -c . || true) selected" >&2
    rc=1
  fi
  echo "==> $name: cases per backend:"
  for backend in sqlite postgresql mariadb; do
    n="$(printf '%s\n' "$selected" | grep -c "\[$backend\]\$" || true)"
    printf '    [%s] %s\n' "$backend" "$n"
    if [ "$n" -eq 0 ]; then
      echo "error: $name: no '[$backend]' case ran; $backend was not tested" >&2
      rc=1
    fi
  done
  return "$rc"
}

if [ "${EAGERLOAD_SANITIZERS:-1}" != 0 ]; then
  # (1) AddressSanitizer (with LeakSanitizer) + UndefinedBehaviorSanitizer: the whole
  # suite. UBSan aborts on the first report (-fno-sanitize-recover=all).
  ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    sanitized_run asan address,undefined "-DEAGERLOAD_TEST_ONLY=" || status=1
  # (2) ThreadSanitizer: the tests that share a handle, its pool and its counters
  # between threads, and transactions (which pin a session to a thread). Only these
  # files are compiled (EAGERLOAD_TEST_ONLY, with tests/main.cpp and tests/support/).
  threaded=(execute/concurrency_test.cpp execute/counter_test.cpp execute/pool_test.cpp execute/transaction_test.cpp)
  TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1" \
    sanitized_run tsan thread "-DEAGERLOAD_TEST_ONLY=$(IFS=';'; echo "${threaded[*]}") -DEAGERLOAD_BUILD_EXAMPLES=OFF" \
    --source-file="$(printf '*/%s,' "${threaded[@]}" | sed 's/,$//')" ||
    status=1
  # (3) libFuzzer (ASan + UBSan): each target from its seeds for a few seconds; the long
  # runs are scripts/benchmarks.sh's fuzz stage (scripts/fuzz.sh 60).
  echo "==> fuzz: smoke run ($(elapsed) since start)"
  bash "$ROOT/scripts/fuzz.sh" "${EAGERLOAD_FUZZ_SECONDS:-5}" || status=1
  echo "==> fuzz: done ($(elapsed) since start)"
else
  echo "==> sanitizers and fuzz targets skipped (EAGERLOAD_SANITIZERS=0)"
fi
echo "==> scripts/test.sh: $([ "$status" -eq 0 ] && echo passed || echo FAILED) in $(elapsed)"
exit "$status"
