#!/usr/bin/env bash
# Build everything and run all tests against SQLite and a throwaway PostgreSQL.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_packages "${BUILD_PACKAGES[@]}" postgresql

# ---- throwaway PostgreSQL on 127.0.0.1 (stopped and deleted on exit) ----------
start_throwaway_postgres eagerload_test
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
