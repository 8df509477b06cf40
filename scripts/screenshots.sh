#!/usr/bin/env bash
# Writes a PNG of every tab of the GUI for the demo model and the PaddleOCR classifier (at its real
# 48x192 input size), after the analysis, the comparison, the sweep (W4,8 x 8:32-bit bias) and the
# sensitivity ran: OUTDIR/<model>_<tab>.png (the Sweep tab: <model>_sweep.png).
#   scripts/screenshots.sh [OUTDIR]        (default: out/screenshots)
# Runs the build in $BIASGUARD_BUILD_DIR (default: build/) under xvfb-run, so it needs no display.
# Each run uses a scratch settings folder (biasguard --screenshot): the images show the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/screenshots}"
build="${BIASGUARD_BUILD_DIR:-build}"
app="$build/app/biasguard"
if [[ ! -x "$app" ]]; then
  echo "screenshots.sh: $app not found; build first (scripts/build.sh) or set BIASGUARD_BUILD_DIR" >&2
  exit 1
fi
command -v xvfb-run >/dev/null || { echo "screenshots.sh: xvfb-run not found (scripts/install-deps.sh installs xvfb)" >&2; exit 1; }
mkdir -p "$out"
shoot() {  # MODEL [app options...]
  local model="$1"; shift
  # -a: a free display number, so that parallel runs do not collide.
  xvfb-run -a -s "-screen 0 1600x1000x24" "$app" --screenshot "$out" "$@" "$model"
}
shoot resources/models/demo/slimmed_cnn.onnx
shoot resources/models/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx --input-size 48x192
echo "screenshots in $out"
