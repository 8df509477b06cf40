#!/usr/bin/env bash
# Installs the Debian 12 packages BiasGuard needs, only those that are missing. Run as root.
set -euo pipefail
packages=(
  build-essential cmake ninja-build ccache pkg-config
  qt6-base-dev libqcustomplot-dev libgl-dev
  libonnx-dev libonnx-testdata libprotobuf-dev protobuf-compiler
  libdnnl-dev
  # oneDNN's dnnl-config.cmake calls find_package(OpenCL) even for its CPU runtime; libdnnl-dev only
  # recommends this, and we install without recommends.
  ocl-icd-opencl-dev
  xvfb xauth poppler-utils
  # The GUI's graph view lays the model out with Graphviz's dot (cgraph + gvc); its charts save as
  # SVG through Qt SVG's QSvgGenerator.
  libgraphviz-dev qt6-svg-dev
  # tst_fold_real_models checks the analysis against tests/tools/fold_counts.py, an independent
  # numpy implementation (Debian's /usr/bin/python3, not a pyenv one).
  python3 python3-numpy
)
# ONNX Runtime, the independent runtime of the tests and benchmarks, comes from npm
# (scripts/install-ort.sh): Debian's Node.js and npm, unless the machine already has an npm.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "install-deps: all packages present"
