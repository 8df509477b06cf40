# ctest case no_machine_paths: fails when a source, test, script or build file names a folder of
# a development machine or one outside the repository (a user's clone has neither). Test data is
# found relative to the source tree (tests/common/test_paths.h).
# Usage: cmake -DROOT=<source dir> -P no_machine_paths.cmake
file(GLOB_RECURSE files LIST_DIRECTORIES false
     ${ROOT}/app/* ${ROOT}/core/* ${ROOT}/ui/* ${ROOT}/tests/* ${ROOT}/resources/*.cpp ${ROOT}/resources/*.h
     ${ROOT}/resources/CMakeLists.txt ${ROOT}/scripts/* ${ROOT}/tools/ort/*.mjs ${ROOT}/cmake/* ${ROOT}/CMakeLists.txt
     ${ROOT}/.ci/*)
list(FILTER files INCLUDE REGEX "\\.(cpp|h|in|txt|cmake|sh|py|mjs)$|/\\.ci/run$")
list(FILTER files EXCLUDE REGEX "/tests/lint/no_machine_paths\\.cmake$")
set(bad "")
foreach(f IN LISTS files)
  file(STRINGS "${f}" hits REGEX "/work/|/home/|/root/|\\.\\./shared|/tmp/bench")
  foreach(h IN LISTS hits)
    file(RELATIVE_PATH rel "${ROOT}" "${f}")
    string(APPEND bad "  ${rel}: ${h}\n")
  endforeach()
endforeach()
list(LENGTH files n)
if(bad)
  message(FATAL_ERROR "paths outside the repository or of one machine:\n${bad}")
endif()
message(STATUS "no_machine_paths: ${n} files, none names a machine's folder")
