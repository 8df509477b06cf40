#!/usr/bin/env bash
# Installs ONNX Runtime (npm onnxruntime-node, pinned in tools/ort/package-lock.json) into tools/ort,
# the independent runtime the test suite and the benchmarks compare BiasGuard with. The package's
# install script, which would download GPU binaries, is skipped: its CPU binary ships in the package.
set -euo pipefail
cd "$(dirname "$0")/../tools/ort"
if [ ! -d node_modules/onnxruntime-node ]; then
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --ignore-scripts --no-audit --no-fund >/dev/null
fi
