# shellcheck shell=bash
# Shared by scripts/demo.sh and scripts/test.sh (source it, do not run it).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="$ROOT/build"
# shellcheck disable=SC2034  # used by the scripts that source this file
BUILD_PACKAGES=(cmake make g++ libsoci-dev libboost-dev libfmt-dev doctest-dev
                libsqlite3-dev libpq-dev)

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

# ---- throwaway PostgreSQL -------------------------------------------------------
# start_throwaway_postgres [DBNAME...]: initdb into a temporary directory, start the
# newest installed PostgreSQL on 127.0.0.1 at a free port (max_connections=200,
# fsync=off), create the given databases, and stop and delete it all when the shell
# exits (an EXIT trap). Sets PG_BIN, PG_DIR, PG_PORT. Needs the `postgresql` package.

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
  trap stop_throwaway_postgres EXIT
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
