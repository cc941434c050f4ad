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
