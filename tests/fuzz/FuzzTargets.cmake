# The library of fuzz target bodies, for the fuzz executables and for tst_fuzz_regressions.
if(NOT TARGET biasguard_fuzz_targets)
  add_library(biasguard_fuzz_targets STATIC ${CMAKE_CURRENT_LIST_DIR}/fuzz_targets.cpp)
  target_include_directories(biasguard_fuzz_targets PUBLIC ${CMAKE_CURRENT_LIST_DIR})
  target_link_libraries(biasguard_fuzz_targets PUBLIC biasguard_core)
  biasguard_warnings(biasguard_fuzz_targets)
endif()
