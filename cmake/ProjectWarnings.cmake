# Strict warnings for the project's own targets only (system headers of onnx/protobuf/Qt
# are included with -isystem through their imported targets, so they stay quiet).
function(biasguard_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow=local
                                           -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual)
  if(BIASGUARD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
