#!/usr/bin/env bash
# Installs what is missing, builds, and runs BiasGuard's main job on the bundled trained demo
# (resources/models/demo/README.md): the merged-bias analysis at the default settings, then float vs
# clamp vs fixed over its labelled test set, calibrated on its calibration set.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
demo=resources/models/demo
model=$demo/trained_slimmed_cnn.onnx
calib=(--calib "$demo/calib")
inputs=(--inputs "$demo/testset" --labels "$demo/testset/labels.json")  # task accuracy against the labels
mkdir -p out
echo "== biasguard-cli analyze $model"
build/app/biasguard-cli analyze "$model" "${calib[@]}" --json out/demo_analysis.json --csv out/demo_channels.csv
echo "== biasguard-cli compare $model"
build/app/biasguard-cli compare "$model" "${calib[@]}" "${inputs[@]}" --json out/demo_compare.json
echo "== biasguard-cli fix $model"
build/app/biasguard-cli fix "$model" "${calib[@]}" --out out/demo_fixed.onnx
echo "== biasguard-cli report $model"
build/app/biasguard-cli report "$model" "${calib[@]}" "${inputs[@]}" --out out/demo_report.pdf
echo "Wrote out/demo_analysis.json, out/demo_channels.csv, out/demo_compare.json, out/demo_fixed.onnx and out/demo_report.pdf."
