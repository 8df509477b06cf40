#!/usr/bin/env bash
# Speed and memory figures (not tests): BiasGuard against ONNX Runtime (npm onnxruntime-node) in the
# same run, on the same inputs, each the median of N timed runs after one warm-up, with the targets of
# the performance issue. Prints a table (machine line first) and writes out/bench.json.
# Needs a build (scripts/build.sh); installs ONNX Runtime from npm into tools/ort if missing.
# BENCH_REPEAT (default 5) timed runs; BENCH_THREADS (default: the number of cores); BENCH_ROUNDS
# (default 3) rounds of the timed runs, ONNX Runtime's and BiasGuard's taking turns, each figure the
# median of its rounds' medians: on a shared machine whose speed drifts within a minute, one round
# compared runs tens of seconds apart.
set -euo pipefail
cd "$(dirname "$0")/.."
cli=build/app/biasguard-cli
[ -x "$cli" ] || bash scripts/build.sh
command -v /usr/bin/time >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
bash scripts/install-ort.sh
repeat=${BENCH_REPEAT:-5}
rounds=${BENCH_ROUNDS:-3}
threads=${BENCH_THREADS:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
det=resources/models/paddleocr/ch_PP-OCRv4_det_infer.onnx
cls=resources/models/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx
mkdir -p "$work/det" "$work/cls" out
node tools/ort/run_ort.mjs --make-text-input "$work/det/input_0.pb" x 1,3,640,640
node tools/ort/run_ort.mjs --make-input "$work/cls/input_0.pb" x 1,3,48,192

median() { grep '^median_ms:' "$1" | tail -1 | awk '{print $2}'; }  # appended: one line per round
ort_run() {  # name model input_dir
  node tools/ort/run_ort.mjs "$2" "$3" "$work/ort_$1" --repeat "$repeat" --threads "$threads" >"$work/ort_$1.log"
  median "$work/ort_$1.log" >>"$work/ort_$1.ms"
}

for round in $(seq "$rounds"); do
  ort_run det "$det" "$work/det"
  "$cli" run "$det" --input-dir "$work/det" --output-dir "$work/o1" --repeat "$repeat" --threads "$threads" >"$work/det_float.log" 2>/dev/null
  median "$work/det_float.log" >>"$work/det_float.ms"
  # Calibration of the detector on 8 synthetic 640x640 samples: analyze's wall time (load, calibration,
  # analysis; calibration is nearly all of it) against 8 of BiasGuard's own float inferences, once a
  # round beside them (one run alone read anything from 1.4 to 1.9 times them in one hour).
  /usr/bin/time -f "%e" -o "$work/calib.time" "$cli" analyze "$det" >/dev/null 2>&1
  tail -1 "$work/calib.time" | awk '{print $1 * 1000}' >>"$work/det_calib.ms"
  for w in 4 8; do  # the integer pipeline, calibrated on the benchmark image itself (calibration not timed)
    "$cli" run "$det" --input-dir "$work/det" --output-dir "$work/o3" --mode int --weight-bits "$w" --calib "$work/det" \
      --repeat "$repeat" --threads "$threads" >"$work/det_int$w.log" 2>/dev/null
    median "$work/det_int$w.log" >>"$work/det_int$w.ms"
  done
  ort_run cls "$cls" "$work/cls"
  "$cli" run "$cls" --input-dir "$work/cls" --output-dir "$work/o2" --repeat "$repeat" --threads "$threads" >"$work/cls_float.log" 2>/dev/null
  median "$work/cls_float.log" >>"$work/cls_float.ms"
done
/usr/bin/time -f "%e %M" -o "$work/detrss.time" "$cli" run "$det" --input-dir "$work/det" --output-dir "$work/o4" \
  --threads "$threads" >/dev/null 2>&1
# Its bound: 3 x (weights + the two largest activations of that run), from the model and the run itself.
"$cli" bench "$det" --memory-bound "$work/det" >"$work/membound.log" 2>/dev/null
# Re-analysis after a width/granularity change (ranges cached) and the integer comparison's re-run after
# one channel's strategy changes (incremental, and in full), on the classifier with 8 synthetic samples.
OMP_NUM_THREADS=$threads "$cli" bench "$cls" --input-size 48x192 --repeat "$repeat" >"$work/bench_cls.log" 2>/dev/null

isa=$("$cli" --version | sed -n 's/.*CPU ISA in use: \([a-z0-9_]*\).*/\1/p')
python3 - "$work" "$repeat" "$threads" "$isa" "$rounds" <<'EOF'
import json, os, platform, sys
work, repeat, threads, isa, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
def ms(name):  # the median of the rounds' medians
    with open(os.path.join(work, name + '.ms')) as f:
        v = sorted(float(x) for x in f.read().split())
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.processor())
_, rss_kb = (float(x) for x in open(os.path.join(work, 'detrss.time')).read().split()[-2:])
ort_det, ort_cls = ms('ort_det'), ms('ort_cls')
rows = [
    ('float, det 1x3x640x640', ms('det_float'), ort_det, 'ratio', 1.0),
    ('float, cls 1x3x48x192', ms('cls_float'), ort_cls, 'ratio', 1.5),
    ('integer W4/A8, det 640x640 (vs ORT float)', ms('det_int4'), ort_det, 'ratio', 0.6),
    ('integer W8/A8, det 640x640 (vs ORT float)', ms('det_int8'), ort_det, 'ratio', 0.6),
    ('calibration, det 8 samples 640x640 (vs 8 BiasGuard float runs)', ms('det_calib'), 8 * ms('det_float'), 'ratio', 1.5),
]
print(f'machine: {cpu}, {os.cpu_count()} cores, oneDNN ISA {isa}; {threads} threads, median of {repeat} runs after a warm-up, '
      f'median of {rounds} alternating rounds')
print(f'{"work":<64} {"BiasGuard ms":>12} {"reference ms":>12} {"ratio":>7} {"target":>7}  met')
out = []
for name, bg, ref, _, target in rows:
    ratio = bg / ref
    print(f'{name:<64} {bg:12.1f} {ref:12.1f} {ratio:7.2f} {"<= " + str(target):>7}  {"yes" if ratio <= target else "NO"}')
    out.append({'work': name, 'biasguard_ms': bg, 'reference_ms': ref, 'ratio': ratio, 'target_ratio': target,
                'met': ratio <= target})
def value(log, key):
    for line in open(os.path.join(work, log)):
        if line.startswith(key + ':'):
            return line.split(':', 1)[1].split()[0]
    raise SystemExit(f'bench: no "{key}:" line in {log}')
bench = 'bench_cls.log'
rows2 = [
    # (work, BiasGuard, reference, reference's meaning, target, ratio or absolute)
    ('re-analysis after a width/granularity change, cls ' + value(bench, 'channels') + ' channels',
     float(value(bench, 'reanalysis_ms')), None, 20.0),
    ('re-run after 1 channel changes, cls 8 samples (vs 8 int runs)',
     float(value(bench, 'rerun_incremental_ms')), int(value(bench, 'samples')) * float(value(bench, 'integer_inference_ms')), 3.0),
    ('  the same re-run in full (vs 8 int runs), for comparison',
     float(value(bench, 'rerun_full_ms')), int(value(bench, 'samples')) * float(value(bench, 'integer_inference_ms')), 3.0),
]
bound_mib = float(value('membound.log', 'memory_bound_bytes')) / 2**20
for name, bg, ref, target in rows2:
    if ref is None:
        met = bg < target
        print(f'{name:<64} {bg:12.1f} {"-":>12} {"-":>7} {"< " + str(int(target)) + "ms":>7}  {"yes" if met else "NO"}')
        out.append({'work': name, 'biasguard_ms': bg, 'target_ms': target, 'met': met})
    else:
        ratio = bg / ref
        print(f'{name:<64} {bg:12.1f} {ref:12.1f} {ratio:7.2f} {"< " + str(target):>7}  {"yes" if ratio < target else "NO"}')
        out.append({'work': name, 'biasguard_ms': bg, 'reference_ms': ref, 'ratio': ratio, 'target_ratio': target,
                    'met': ratio < target})
rss_mib = rss_kb / 1024
print(f'{"peak RSS MiB, det float 640x640 (vs weights + 2 largest act.)":<64} {rss_mib:12.0f} {bound_mib / 3:12.0f} '
      f'{rss_mib / (bound_mib / 3):7.2f} {"< 3.0":>7}  {"yes" if rss_mib < bound_mib else "NO"}')
out.append({'work': 'peak RSS, det float 640x640', 'peak_rss_mib': rss_mib, 'weights_plus_two_largest_mib': bound_mib / 3,
            'ratio': rss_mib / (bound_mib / 3), 'target_ratio': 3.0, 'met': rss_mib < bound_mib})
print('re-run: ' + open(os.path.join(work, bench)).read().split('changed: ', 1)[1].splitlines()[0])
json.dump({'machine': {'cpu': cpu, 'cores': os.cpu_count(), 'onednn_isa': isa, 'threads': threads, 'repeat': repeat,
                       'rounds': rounds},
           'rows': out}, open('out/bench.json', 'w'), indent=2)
print('wrote out/bench.json')
EOF
