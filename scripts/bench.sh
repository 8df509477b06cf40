#!/usr/bin/env bash
# Speed and memory figures (not tests): BiasGuard's float runtime against ONNX Runtime on the same
# inputs, calibration + analysis, and the integer pipeline, on the two PaddleOCR models.
# Needs a build (scripts/build.sh) and installs ONNX Runtime from npm into tools/ort if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
cli=build/app/biasguard-cli
[ -x "$cli" ] || bash scripts/build.sh
command -v /usr/bin/time >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
if [ ! -d tools/ort/node_modules/onnxruntime-node ]; then
  (cd tools/ort && ONNXRUNTIME_NODE_INSTALL=skip npm install --ignore-scripts --no-audit --no-fund >/dev/null)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
det=resources/models/paddleocr/ch_PP-OCRv4_det_infer.onnx
cls=resources/models/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx
mkdir -p "$work/det" "$work/cls"
node tools/ort/run_ort.mjs --make-text-input "$work/det/input_0.pb" x 1,3,640,640
node tools/ort/run_ort.mjs --make-input "$work/cls/input_0.pb" x 1,3,48,192

peak() { grep "Maximum resident" "$1" | awk '{printf "%.0f MiB", $6/1024}'; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for m in det cls; do
  model=$([ $m = det ] && echo $det || echo $cls)
  echo "== $m: $(basename "$model")"
  node tools/ort/run_ort.mjs "$model" "$work/$m" "$work/$m/ort" --repeat 5 | sed 's/^/  /'
  for k in fast reference; do
    [ $m = det ] && [ $k = reference ] && [ "${BENCH_SLOW:-0}" != 1 ] && continue
    /usr/bin/time -v "$cli" run "$model" --input-dir "$work/$m" --output-dir "$work/$m/bg_$k" --kernels $k \
      >"$work/out" 2>"$work/time"
    echo "  biasguard float ($k kernels): $(grep 'float run' "$work/out" | cut -d: -f2 | xargs) per run, peak RSS $(peak "$work/time")"
  done
  if "$cli" --help | grep -q '^  compare'; then
    /usr/bin/time -v "$cli" run "$model" --input-dir "$work/$m" --output-dir "$work/$m/bg_int" --mode int \
      >"$work/out" 2>"$work/time" && \
      echo "  biasguard integer pipeline (incl. 8-sample calibration): $(grep -E 'Elapsed' "$work/time" | awk '{print $NF}') wall, peak RSS $(peak "$work/time")"
  fi
  /usr/bin/time -v "$cli" analyze "$model" >/dev/null 2>"$work/time"
  echo "  analyze (8 synthetic samples): $(grep -E 'Elapsed' "$work/time" | awk '{print $NF}') wall, peak RSS $(peak "$work/time")"
done
