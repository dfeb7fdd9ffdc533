# One helper per kind of target, so every folder's CMakeLists.txt is a few lines.

# fil_library(<name> SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...]
#             [TESTS ...] [TEST_DEPS ...])
# Makes target fil_<name> (alias fil::<name>) with public headers in include/,
# and, when TESTS are given, one test binary fil_<name>_test run by ctest.
function(fil_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS;TESTS;TEST_DEPS" ${ARGN})
  add_library(fil_${name} STATIC ${ARG_SOURCES})
  add_library(fil::${name} ALIAS fil_${name})
  target_include_directories(fil_${name}
    PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(fil_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS} fil_warnings)
  if(ARG_TESTS AND FIL_BUILD_TESTS)
    fil_test(${name} SOURCES ${ARG_TESTS} DEPS fil_${name} ${ARG_PRIVATE_DEPS} ${ARG_TEST_DEPS})
    target_include_directories(fil_${name}_test PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  endif()
endfunction()

# fil_test(<name> SOURCES ... DEPS ...): a GoogleTest binary fil_<name>_test.
function(fil_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(fil_${name}_test ${ARG_SOURCES})
  target_link_libraries(fil_${name}_test PRIVATE ${ARG_DEPS} fil_test_support GTest::gtest GTest::gmock fil_warnings)
  target_precompile_headers(fil_${name}_test REUSE_FROM fil_test_pch)
  add_test(NAME ${name} COMMAND fil_${name}_test --gtest_brief=1)
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "FIL_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

# fil_fuzzer(<name> SOURCES ... DEPS ...)
# With FIL_FUZZ: a libFuzzer binary fuzz_<name> (run by `make fuzz`).
# Without: the same entry point linked to a small driver that replays the seed
# corpus in tests/fuzz/corpus/<name>, run by ctest, so every crash once found
# stays a regression test.
function(fil_fuzzer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(fuzz_${name} ${ARG_SOURCES})
  target_link_libraries(fuzz_${name} PRIVATE ${ARG_DEPS} fil_warnings)
  set_target_properties(fuzz_${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/fuzz)
  if(NOT TARGET fuzz_targets)
    add_custom_target(fuzz_targets)
  endif()
  add_dependencies(fuzz_targets fuzz_${name})
  if(FIL_FUZZ)
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  else()
    target_link_libraries(fuzz_${name} PRIVATE fil_fuzz_replay)
    if(FIL_BUILD_TESTS)
      add_test(NAME fuzz_replay_${name}
        COMMAND fuzz_${name} ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
    endif()
  endif()
endfunction()

# fil_app(<binary> SOURCES ... DEPS ...): a program that `make build` copies
# to the repository root, as Lotus's Makefile does.
function(fil_app name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} fil_warnings)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
  install(TARGETS ${name} RUNTIME DESTINATION bin)
endfunction()

# fil_bench(<name> SOURCES ... DEPS ...): a Google Benchmark program bench_<name>.
function(fil_bench name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(bench_${name} ${ARG_SOURCES})
  target_link_libraries(bench_${name} PRIVATE ${ARG_DEPS} benchmark::benchmark fil_warnings)
  set_target_properties(bench_${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
endfunction()
