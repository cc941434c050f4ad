#!/usr/bin/env bash
# Build and run the eagerload demo: bash scripts/demo.sh [demo arguments]
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_packages "${BUILD_PACKAGES[@]}"
configure
cmake --build "$BUILD_DIR" --target eagerload_demo -j"$(nproc)"
exec "$BUILD_DIR/examples/eagerload_demo" "$@"
