# The sanitizer and fuzzing builds (CMakeLists.txt options). Flags apply to every target of the
# build, our code and the tests alike; the system libraries (ONNX, protobuf, oneDNN, Qt) stay
# uninstrumented, which ASan and UBSan allow.
if(BIASGUARD_SANITIZE OR BIASGUARD_FUZZ)
  set(_bg_sanitizers address,undefined)
  if(BIASGUARD_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
      message(FATAL_ERROR "BIASGUARD_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++-14")
    endif()
    # Coverage instrumentation for the library code; the fuzz executables add libFuzzer's main.
    string(APPEND _bg_sanitizers ",fuzzer-no-link")
  endif()
  # -fno-sanitize-recover: undefined behaviour aborts the process (a failed test, a fuzz crash)
  # instead of printing a line nobody reads. float-divide-by-zero is not in "undefined" for gcc's
  # default set and the runtime divides by zero on purpose (IEEE inf/NaN), so it stays off.
  add_compile_options(-fsanitize=${_bg_sanitizers} -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # gcc leaves float-cast-overflow out of "undefined" (clang has it): a NaN or 1e30 cast to an
    # integer is the undefined behaviour a hostile model reaches most easily.
    add_compile_options(-fsanitize=float-cast-overflow)
    add_link_options(-fsanitize=float-cast-overflow)
    # ASan's instrumentation defeats gcc 12's flow analysis: -Wmaybe-uninitialized then fires
    # inside libstdc++'s <regex> (std::function moves in regex_automaton.h), a known false positive
    # (GCC bug 105616: <regex> with -fsanitize=address); the normal build keeps the warning.
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
  add_link_options(-fsanitize=${_bg_sanitizers})
endif()
