#!/usr/bin/env bash
# The demo: the story's dashboard on embedded SQLite, loaded naively (N+1), eagerly
# and by hand-written SOCI, side by side.   bash scripts/demo.sh [dashboard options]
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_packages "${BUILD_PACKAGES[@]}"
configure
cmake --build "$BUILD_DIR" --target dashboard -j"$(nproc)"
exec "$BUILD_DIR/examples/dashboard" "$@"
