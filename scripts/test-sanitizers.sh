#!/usr/bin/env bash
# Builds BiasGuard with AddressSanitizer + UndefinedBehaviorSanitizer into ./build-asan and runs the
# whole ctest suite there. Slow (a second full build, tests 3-10x slower): run it before submitting
# a change that touches core/, not in CI (README, "Sanitizers and fuzzing").
#   bash scripts/test-sanitizers.sh [ctest arguments, e.g. -R tst_model_loader]
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBIASGUARD_WERROR=ON \
      -DBIASGUARD_SANITIZE=ON >/dev/null
cmake --build build-asan --parallel "$(nproc)"
supp="$PWD/tests/sanitizers"
# halt_on_error: the first finding fails the test. detect_leaks stays on; third-party leaks are
# listed, each with its reason, in tests/sanitizers/lsan.supp. oneDNN's JIT and OpenMP's threads
# are fine under ASan; protect_shadow_gap=0 is not needed on x86-64 Linux.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=0:strict_string_checks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
cd build-asan
QT_QPA_PLATFORM=offscreen ctest --output-on-failure --parallel "$(nproc)" --timeout 3600 "$@"
