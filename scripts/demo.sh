#!/usr/bin/env bash
# Installs what is missing, builds, and runs BiasGuard's main job on the bundled demo model:
# the merged-bias analysis at the default settings, then float vs clamp vs fixed comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
model=resources/models/demo/slimmed_cnn.onnx
mkdir -p out
echo "== biasguard-cli analyze $model"
build/app/biasguard-cli analyze "$model" --json out/demo_analysis.json --csv out/demo_channels.csv
echo "== biasguard-cli compare $model"
build/app/biasguard-cli compare "$model" --json out/demo_compare.json
echo "== biasguard-cli fix $model"
build/app/biasguard-cli fix "$model" --out out/demo_fixed.onnx
echo "== biasguard-cli report $model"
build/app/biasguard-cli report "$model" --out out/demo_report.pdf
echo "Wrote out/demo_analysis.json, out/demo_channels.csv, out/demo_compare.json, out/demo_fixed.onnx and out/demo_report.pdf."
