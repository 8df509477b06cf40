#!/usr/bin/env bash
# Builds one libFuzzer target with Debian's clang 14 into ./build-fuzz and runs it for SECONDS:
#   bash scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]
# TARGET: model (load -> pairs -> calibrate -> analyse -> float and integer inference), tensor_proto,
# npy, plan_json (tests/fuzz/fuzz_targets.h). The corpus grows in build-fuzz/corpus/TARGET, seeded
# from tests/fuzz/fuzz_seeds.cpp's generated files, the demo model, ONNX's node tests
# (libonnx-testdata) and the committed crash inputs. A crash is written to
# build-fuzz/artifacts/TARGET/; copy it to tests/data/fuzz_regressions/TARGET/ once it is fixed,
# and tst_fuzz_regressions replays it in every normal build. Exit code: libFuzzer's (0 = no crash).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz.sh TARGET SECONDS [libFuzzer options]}
seconds=${2:?usage: fuzz.sh TARGET SECONDS [libFuzzer options]}
shift 2

# Fuzz-only dependencies (not in install-deps.sh: the normal build and CI do not need them):
# clang 14 and its runtime libraries (libFuzzer, ASan, UBSan).
fuzz_packages=(clang-14 libclang-rt-14-dev)
missing=()
for p in "${fuzz_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "fuzz: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
# The core, the fuzz targets and the seed generator only: no Qt, no test suite. Warnings stay
# warnings here (clang's set differs from gcc's, which the normal build holds to -Werror).
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
      -DBIASGUARD_FUZZ=ON -DBIASGUARD_BUILD_UI=OFF -DBIASGUARD_BUILD_TESTS=OFF -DBIASGUARD_WERROR=OFF >/dev/null
cmake --build build-fuzz --parallel "$(nproc)" --target "fuzz_${target}"
# The seed generator needs the whole core; the reader targets (tensor_proto, npy) need only
# core/model, so they build it only when it is there anyway (FUZZ_SEEDS=1 forces it).
seeds=build-fuzz/seeds
if [[ $target == model || $target == plan_json || ${FUZZ_SEEDS:-0} == 1 ]]; then
  cmake --build build-fuzz --parallel "$(nproc)" --target fuzz_seeds
fi
if [[ ! -d $seeds/model && -x build-fuzz/tests/fuzz/fuzz_seeds ]]; then
  build-fuzz/tests/fuzz/fuzz_seeds "$seeds"
fi
mkdir -p "$seeds/$target"
corpus=build-fuzz/corpus/$target
artifacts=build-fuzz/artifacts/$target/
mkdir -p "$corpus" "$artifacts"
extra=("$seeds/$target")
[[ -d tests/data/fuzz_regressions/$target ]] && extra+=("tests/data/fuzz_regressions/$target")
node_tests=/usr/share/libonnx-testdata/data/node
case $target in
  model)
    # Small valid models: the demo model and ONNX's node tests (one file each; they are models).
    mkdir -p build-fuzz/seeds/onnx_models
    cp -n resources/models/demo/slimmed_cnn.onnx build-fuzz/seeds/onnx_models/ 2>/dev/null || true
    if [[ -d $node_tests ]]; then
      for d in "$node_tests"/*/; do
        n=$(basename "$d")
        [[ -f $d/model.onnx ]] && cp -n "$d/model.onnx" "build-fuzz/seeds/onnx_models/$n.onnx" 2>/dev/null || true
      done
    fi
    extra+=(build-fuzz/seeds/onnx_models)
    ;;
  tensor_proto)
    mkdir -p build-fuzz/seeds/onnx_tensors
    if [[ -d $node_tests ]]; then
      for f in "$node_tests"/test_{conv,batchnorm,gemm,matmul,reshape,cast,constant}*/test_data_set_0/*.pb; do
        [[ -f $f ]] || continue
        n=$(echo "$f" | sed 's|.*/node/||; s|/|_|g')
        cp -n "$f" "build-fuzz/seeds/onnx_tensors/$n" 2>/dev/null || true
      done
    fi
    extra+=(build-fuzz/seeds/onnx_tensors)
    ;;
esac

# Leaks are reported (LeakSanitizer); a finding in ONNX/protobuf itself would need a suppression
# in tests/sanitizers/lsan.supp with why.
export ASAN_OPTIONS="allocator_may_return_null=1:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$PWD/tests/sanitizers/ubsan.supp"
export OMP_NUM_THREADS=1
exec "build-fuzz/tests/fuzz/fuzz_${target}" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 \
     -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts" "$@" "$corpus" "${extra[@]}"
