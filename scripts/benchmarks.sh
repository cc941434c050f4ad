#!/usr/bin/env bash
# Regenerate every benchmark figure: bash scripts/benchmarks.sh [--quick] [--out DIR]
#
# Builds the benchmarks (build-bench/, Release), starts a throwaway PostgreSQL and a
# throwaway MariaDB on free loopback ports (stopped and deleted at exit), and runs
#   bench_dashboard          the story's dashboard: 3 strategies x 3 backends x 2 scales x
#                            3 variants (full, limited, summary; x 2 round trips on
#                            PostgreSQL, where a 4th strategy, raw libpq with prepared
#                            statements, gives the eager/libpq column), 5 repetitions
#   bench_prefetch_scaling   the cost of one prefetch level per child row, by child count
#   bench_bulk_insert        insert_all of 100,000 rows
#   bench_fetch_paths        rows into structs: eagerload against raw SOCI/libpq/sqlite3
#   bench_huge_input         one prefetch level at 10k/100k/1M child rows (100k with
#                            --quick) and a 100k text-key level, on SQLite, PostgreSQL
#                            and MariaDB: time per
#                            row, peak memory against the graph's raw bytes (~75 s; ~15 s
#                            with --quick)
#   bench_load_test          dashboards/s and server CPU per dashboard under 1-64 client
#                            threads, at 0 and 0.5 ms RTT (shared pool and per-thread pools)
#   examples/dashboard       the side-by-side program, PostgreSQL (with its libpq strategy),
#                            SQLite and MariaDB, every variant
#   fuzz                     every libFuzzer target for 60 s (10 s with --quick), through
#                            scripts/fuzz.sh (runnable alone: bash scripts/fuzz.sh [SECONDS])
# then writes the raw outputs to DIR/data/ (JSON, the programs' stdout, machine.txt),
# the plots to DIR/*.png and the tables to DIR/data/tables.md (scripts/plot_benchmarks.py);
# with DIR docs/benchmarks, also the generated blocks of docs/benchmarks.md.
#
# DIR is docs/benchmarks, or build-bench/quick with --quick: everything shrunk for a smoke
# run (EAGERLOAD_BENCH_QUICK=1, 2 s load tests, 3 repetitions) that never overwrites the
# published figures.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

QUICK=0
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

BENCH_BUILD_DIR="$ROOT/build-bench"
if [ -z "$OUT" ]; then
  if [ "$QUICK" -eq 1 ]; then OUT="$BENCH_BUILD_DIR/quick"; else OUT="$ROOT/docs/benchmarks"; fi
fi
DATA="$OUT/data"
START_SECONDS=$SECONDS
# Read before this run rewrites the published files (which would make it "-dirty").
SOURCE_REV="$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?')"
STARTED_AT="$(date -u '+%Y-%m-%d %H:%M:%S UTC')"

if [ "$QUICK" -eq 1 ]; then
  export EAGERLOAD_BENCH_QUICK=1
  REPETITIONS=3
  LOAD_SECONDS=2
  FUZZ_SECONDS=10
else
  unset EAGERLOAD_BENCH_QUICK
  REPETITIONS=5
  LOAD_SECONDS=10
  FUZZ_SECONDS=60
fi

ensure_packages "${BUILD_PACKAGES[@]}" postgresql mariadb-server libbenchmark-dev python3-matplotlib

# Debian's python3 has python3-matplotlib; another python3 first on PATH may not.
PYTHON=python3
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
  PYTHON=/usr/bin/python3
fi
"$PYTHON" -c 'import matplotlib' || { echo "error: $PYTHON cannot import matplotlib" >&2; exit 1; }

# ---- build ------------------------------------------------------------------------
echo "==> building the benchmarks in $BENCH_BUILD_DIR"
cmake -S "$ROOT" -B "$BENCH_BUILD_DIR" -DCMAKE_BUILD_TYPE=Release \
  -DEAGERLOAD_BUILD_BENCHMARKS=ON -DEAGERLOAD_BUILD_EXAMPLES=ON -DEAGERLOAD_BUILD_TESTS=OFF >/dev/null
cmake --build "$BENCH_BUILD_DIR" -j"$(nproc)" --target \
  bench_dashboard bench_prefetch_scaling bench_fetch_paths bench_bulk_insert bench_huge_input bench_load_test dashboard
BENCH="$BENCH_BUILD_DIR/benchmarks"

# ---- PostgreSQL -------------------------------------------------------------------
start_throwaway_postgres bench
CONNINFO="host=127.0.0.1 port=$PG_PORT dbname=bench user=postgres options='-c client_min_messages=warning'"
export EAGERLOAD_BENCH_POSTGRES="$CONNINFO"

# ---- MariaDB ----------------------------------------------------------------------
start_throwaway_mariadb bench
MARIADB_CONN="user=root host=127.0.0.1 port=$MARIADB_PORT"
export EAGERLOAD_BENCH_MARIADB="$MARIADB_CONN"

mkdir -p "$DATA"
rm -f "$DATA"/*.json "$DATA"/*.txt "$DATA"/tables.md "$OUT"/*.png

# ---- the machine --------------------------------------------------------------------
{
  echo "cpu:        $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
  echo "cpus:       $(nproc) online; $(lscpu | sed -n 's/^Core(s) per socket: *//p' | head -n 1) core(s) per socket, $(lscpu | sed -n 's/^Thread(s) per core: *//p' | head -n 1) thread(s) per core, $(lscpu | sed -n 's/^Socket(s): *//p' | head -n 1) socket(s)"
  echo "memory:     $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "kernel:     $(uname -sr)"
  echo "os:         $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "compiler:   $("$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$BENCH_BUILD_DIR/CMakeCache.txt")" --version | head -n 1)"
  echo "build:      CMAKE_BUILD_TYPE=Release ($(sed -n 's/^CMAKE_CXX_FLAGS_RELEASE:[A-Z]*=//p' "$BENCH_BUILD_DIR/CMakeCache.txt"))"
  echo "postgresql: $(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d bench -Atc 'select version()')"
  echo "            throwaway server on 127.0.0.1 (fsync=off, max_connections=200, otherwise defaults)"
  echo "mariadb:    $(mariadbd --version | sed 's/^.*Ver //')"
  echo "            throwaway server on 127.0.0.1 (innodb_flush_log_at_trx_commit=0, max_connections=300, otherwise defaults)"
  echo "sqlite:     $(dpkg-query -W -f='${Version}' libsqlite3-0 2>/dev/null || echo '?') (libsqlite3-0)"
  echo "soci:       $(dpkg-query -W -f='${Version}' libsoci-dev 2>/dev/null || echo '?')"
  echo "benchmark:  $(dpkg-query -W -f='${Version}' libbenchmark-dev 2>/dev/null || echo '?') (Google Benchmark)"
  echo "mode:       $([ "$QUICK" -eq 1 ] && echo "--quick (EAGERLOAD_BENCH_QUICK=1, ${LOAD_SECONDS} s load tests)" || echo "full (${REPETITIONS} repetitions, ${LOAD_SECONDS} s load tests)")"
  echo "source:     git $SOURCE_REV"
  echo "started:    $STARTED_AT"
  echo "load avg:   $(cut -d' ' -f1-3 /proc/loadavg) at start"
} >"$DATA/machine.txt"
cat "$DATA/machine.txt"

GBENCH_ARGS=(--benchmark_out_format=json --benchmark_repetitions="$REPETITIONS"
             --benchmark_report_aggregates_only=true)

# ---- Google Benchmark programs ------------------------------------------------------------
echo "==> bench_dashboard"
"$BENCH/bench_dashboard" "${GBENCH_ARGS[@]}" --benchmark_out="$DATA/dashboard.json" \
  | tee "$DATA/dashboard.txt"
echo "==> bench_prefetch_scaling"
"$BENCH/bench_prefetch_scaling" "${GBENCH_ARGS[@]}" --benchmark_out="$DATA/prefetch_scaling.json" \
  | tee "$DATA/prefetch_scaling.txt"
echo "==> bench_bulk_insert"
"$BENCH/bench_bulk_insert" "${GBENCH_ARGS[@]}" --benchmark_out="$DATA/bulk_insert.json" \
  | tee "$DATA/bulk_insert.txt"
echo "==> bench_fetch_paths"
"$BENCH/bench_fetch_paths" "${GBENCH_ARGS[@]}" --benchmark_out="$DATA/fetch_paths.json" \
  | tee "$DATA/fetch_paths.txt"

# ---- huge input: each size loaded in a fresh child process (its own peak RSS) ---------------
echo "==> bench_huge_input"
HUGE_ARGS=()
[ "$QUICK" -eq 1 ] && HUGE_ARGS=(--max-rows 100000)
EAGERLOAD_TEST_POSTGRES="host=127.0.0.1 port=$PG_PORT dbname=bench user=postgres" \
  EAGERLOAD_TEST_MARIADB="$MARIADB_CONN" \
  "$BENCH/bench_huge_input" "${HUGE_ARGS[@]}" | tee "$DATA/huge_input.txt"

# ---- load test: shared pool (N sessions, N threads) and one pool per thread --------------
echo "==> bench_load_test"
generate=()
for rtt in 0 500; do
  for pool in shared per-thread; do
    suffix=""
    [ "$pool" = per-thread ] && suffix="_per_thread"
    "$BENCH/bench_load_test" "$CONNINFO" --seconds "$LOAD_SECONDS" --rtt-us "$rtt" --pool "$pool" \
      "${generate[@]}" --json "$DATA/load_test_rtt${rtt}${suffix}.json" \
      | tee "$DATA/load_test_rtt${rtt}${suffix}.txt"
    generate=(--no-generate)  # the default dataset stays in place
  done
done

# ---- the side-by-side program ---------------------------------------------------------
echo "==> examples/dashboard"
EXAMPLE_REPEAT=7
[ "$QUICK" -eq 1 ] && EXAMPLE_REPEAT=3
mariadb_sql 'CREATE DATABASE IF NOT EXISTS dash CHARACTER SET utf8mb4'
for variant in full limited summary; do
  # --strategy all (the default) includes libpq on PostgreSQL.
  "$BENCH_BUILD_DIR/examples/dashboard" --postgres "$CONNINFO" --variant "$variant" --repeat "$EXAMPLE_REPEAT" \
    --summary-json "$DATA/example_postgresql_${variant}.json" | tee "$DATA/example_postgresql_${variant}.txt"
  "$BENCH_BUILD_DIR/examples/dashboard" --variant "$variant" --repeat "$EXAMPLE_REPEAT" \
    --summary-json "$DATA/example_sqlite_${variant}.json" | tee "$DATA/example_sqlite_${variant}.txt"
  "$BENCH_BUILD_DIR/examples/dashboard" --mariadb "db=dash $MARIADB_CONN charset=utf8mb4" --variant "$variant" \
    --repeat "$EXAMPLE_REPEAT" --summary-json "$DATA/example_mariadb_${variant}.json" \
    | tee "$DATA/example_mariadb_${variant}.txt"
done

# ---- fuzzing: bounded runs of the parsers' libFuzzer targets (build-fuzz/, clang++) ---------
echo "==> fuzz"
bash "$ROOT/scripts/fuzz.sh" "$FUZZ_SECONDS" | tee "$DATA/fuzz.txt"

# ---- plots and tables -------------------------------------------------------------------
elapsed=$((SECONDS - START_SECONDS))
echo "finished:   $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $((elapsed / 60)) min $((elapsed % 60)) s for the whole run" \
  >>"$DATA/machine.txt"
echo "==> plots and tables"
DOC_ARGS=()
# The published run also rewrites the generated tables of docs/benchmarks.md.
[ "$OUT" = "$ROOT/docs/benchmarks" ] && DOC_ARGS=(--doc "$ROOT/docs/benchmarks.md")
"$PYTHON" "$ROOT/scripts/plot_benchmarks.py" --data "$DATA" --out "$OUT" "${DOC_ARGS[@]}"
echo "==> done in $((elapsed / 60)) min $((elapsed % 60)) s: $OUT/*.png, $DATA/ (tables.md, machine.txt, raw outputs)"
