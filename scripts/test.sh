#!/usr/bin/env bash
# Build everything and run all tests against SQLite and a throwaway PostgreSQL.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_packages "${BUILD_PACKAGES[@]}" postgresql

# ---- throwaway PostgreSQL on 127.0.0.1 (stopped and deleted on exit) ----------
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
PG_DIR="$(mktemp -d /tmp/eagerload-pg.XXXXXX)"
as_pg() {  # PostgreSQL refuses to run as root
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}
cleanup() {
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap cleanup EXIT
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$PG_DIR"; fi

# A port nobody listens on (below Linux's ephemeral range, 32768+).
free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "error: no free TCP port found" >&2
  return 1
}
PG_PORT="$(free_port)"

echo "==> starting PostgreSQL ($PG_BIN) on 127.0.0.1:$PG_PORT"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 \
  --locale=C.UTF-8 --no-sync >/dev/null
if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -o \
  "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c max_connections=200" \
  start; then
  echo "error: PostgreSQL did not start; server.log:" >&2
  cat "$PG_DIR/server.log" >&2 || true
  exit 1
fi
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres eagerload_test
export EAGERLOAD_TEST_POSTGRES="host=127.0.0.1 port=$PG_PORT dbname=eagerload_test user=postgres"

# ---- build and test ------------------------------------------------------------
configure -DEAGERLOAD_WERROR=ON -DEAGERLOAD_BUILD_TESTS=ON
cmake --build "$BUILD_DIR" -j"$(nproc)"
status=0
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 || status=$?

pg_tests="$(ctest --test-dir "$BUILD_DIR" -N -R '\[postgresql\]' | sed -n 's/^Total Tests: //p')"
if [ "${pg_tests:-0}" -eq 0 ]; then
  echo "error: no '[postgresql]' tests are registered; PostgreSQL was not tested" >&2
  exit 1
fi
echo "==> ${pg_tests} PostgreSQL tests ran against 127.0.0.1:$PG_PORT"
exit "$status"
