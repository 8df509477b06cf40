#!/usr/bin/env bash
# Configures and builds BiasGuard into ./build (Release with debug info, Ninja, ccache if present).
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache hits across clones of the repository (paths are hashed relative to it).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBIASGUARD_WERROR=ON >/dev/null
cmake --build build --parallel "$(nproc)"
