# shellcheck shell=bash
# Shared by scripts/demo.sh and scripts/test.sh (source it, do not run it).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="$ROOT/build"
# shellcheck disable=SC2034  # used by the scripts that source this file
# libsoci-dev brings SOCI's MySQL backend (libsoci-mysql4.0); libmariadb-dev has the
# <mysql.h> its header includes and the client library it links.
BUILD_PACKAGES=(cmake make g++ pkg-config libsoci-dev libsoci-mysql4.0 libboost-dev libfmt-dev
                doctest-dev libsqlite3-dev libpq-dev libmariadb-dev)

# Run a command as root: directly, through sudo, or fail with a clear message.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "error: need root (or sudo) to run: $*" >&2
    return 1
  fi
}

# Install the given Debian packages that are not installed yet.
ensure_packages() {
  local missing=() pkg
  command -v dpkg-query >/dev/null || return 0  # not Debian: install them yourself
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  echo "==> installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

# Configure the build tree; extra arguments go to cmake.
configure() {
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release "$@"
}

# ---- throwaway servers ----------------------------------------------------------
# Each start_throwaway_* function below stops and deletes its server when the shell
# exits, also on failure or Ctrl-C: through ONE EXIT trap that stops every server
# started (a second `trap ... EXIT` would replace the first).
stop_throwaway_servers() {
  stop_throwaway_mariadb
  stop_throwaway_postgres
}
arm_throwaway_trap() {
  trap stop_throwaway_servers EXIT
  trap 'exit 130' INT   # exit runs the EXIT trap
  trap 'exit 143' TERM
}

# ---- throwaway PostgreSQL -------------------------------------------------------
# start_throwaway_postgres [DBNAME...]: initdb into a temporary directory, start the
# newest installed PostgreSQL on 127.0.0.1 at a free port (max_connections=200,
# fsync=off), create the given databases, and stop and delete it all when the shell
# exits (the EXIT trap above). Sets PG_BIN, PG_DIR, PG_PORT. Needs the `postgresql` package.

# Run a PostgreSQL program: as user postgres when we are root (PostgreSQL refuses root).
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

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

stop_throwaway_postgres() {
  [ -n "${PG_DIR:-}" ] || return 0
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}

start_throwaway_postgres() {
  local db
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  PG_DIR="$(mktemp -d /tmp/eagerload-pg.XXXXXX)"
  arm_throwaway_trap
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$PG_DIR"; fi
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
  for db in "$@"; do
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$db"
  done
}

# ---- throwaway MariaDB ----------------------------------------------------------
# start_throwaway_mariadb [DBNAME...]: mariadb-install-db into a temporary directory
# under /tmp (owned by `mysql` when we are root), start mariadbd --no-defaults (nothing
# from /etc/mysql) on 127.0.0.1 at a free port with utf8mb4, create the given databases
# (utf8mb4), and stop and delete it all when the shell exits (the EXIT trap above).
# root may log in over TCP without a password: the server listens on 127.0.0.1 only
# and lives as long as this shell. Sets MARIADB_DIR, MARIADB_PORT. Needs the
# `mariadb-server` package.

# Run a MariaDB program: as user mysql when we are root.
as_mysql() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u mysql -- "$@"); else "$@"; fi
}

# The mariadb client on the throwaway server, as root: mariadb_sql 'SELECT 1'.
mariadb_sql() {
  mariadb --no-defaults --protocol=tcp -h 127.0.0.1 -P "$MARIADB_PORT" -u root -e "$1"
}

stop_throwaway_mariadb() {
  [ -n "${MARIADB_DIR:-}" ] || return 0
  local pid="" _
  if [ -s "$MARIADB_DIR/pid" ]; then pid="$(cat "$MARIADB_DIR/pid")"; fi
  [ -n "$pid" ] || pid="${MARIADB_PID:-}"
  if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$MARIADB_DIR"
  MARIADB_DIR=""
}

start_throwaway_mariadb() {
  local db user_opt=() _
  MARIADB_DIR="$(mktemp -d /tmp/eagerload-mariadb.XXXXXX)"
  MARIADB_PID=""
  arm_throwaway_trap
  if [ "$(id -u)" -eq 0 ]; then
    chown mysql: "$MARIADB_DIR"
    user_opt=(--user=mysql)
  fi
  MARIADB_PORT="$(free_port)"

  echo "==> starting MariaDB ($(mariadbd --version | sed 's/^.*Ver //')) on 127.0.0.1:$MARIADB_PORT"
  if ! as_mysql mariadb-install-db --no-defaults "${user_opt[@]}" --datadir="$MARIADB_DIR/data" \
    --auth-root-authentication-method=normal --skip-test-db >"$MARIADB_DIR/install.log" 2>&1; then
    echo "error: mariadb-install-db failed:" >&2
    cat "$MARIADB_DIR/install.log" >&2 || true
    exit 1
  fi
  # As root, mariadbd itself switches to user mysql (--user): $! is the server's pid.
  mariadbd --no-defaults "${user_opt[@]}" --datadir="$MARIADB_DIR/data" --socket="$MARIADB_DIR/sock" \
    --port="$MARIADB_PORT" --bind-address=127.0.0.1 --pid-file="$MARIADB_DIR/pid" \
    --log-error="$MARIADB_DIR/server.log" --character-set-server=utf8mb4 \
    --collation-server=utf8mb4_general_ci --skip-name-resolve --max-connections=300 \
    --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 >/dev/null 2>&1 &
  MARIADB_PID=$!
  for _ in $(seq 300); do
    if mariadb_sql 'SELECT 1' >/dev/null 2>&1; then break; fi
    if ! kill -0 "$MARIADB_PID" 2>/dev/null; then break; fi  # the server died
    sleep 0.2
  done
  if ! mariadb_sql 'SELECT 1' >/dev/null 2>&1; then
    echo "error: MariaDB did not start; server.log:" >&2
    cat "$MARIADB_DIR/server.log" >&2 || true
    exit 1
  fi
  for db in "$@"; do
    mariadb_sql "CREATE DATABASE \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
  done
}
