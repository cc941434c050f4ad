#!/usr/bin/env bash
# Build everything and run all tests against SQLite, a throwaway PostgreSQL and a
# throwaway MariaDB. A backend whose server cannot start fails the run; so does a
# backend with no test registered.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

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
echo "==> tests per backend:"
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
exit "$status"
