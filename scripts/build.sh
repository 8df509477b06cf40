#!/usr/bin/env bash
# Configures and builds BiasGuard into ./build (Release with debug info, Ninja, ccache if present).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBIASGUARD_WERROR=ON >/dev/null
cmake --build build --parallel "$(nproc)"
