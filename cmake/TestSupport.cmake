# Targets every test and fuzz target links: defined before the libraries so
# that fil_library() can refer to them.
if(FIL_BUILD_TESTS)
  add_library(fil_test_support STATIC
    ${PROJECT_SOURCE_DIR}/tests/support/paths.cpp
    ${PROJECT_SOURCE_DIR}/tests/support/process.cpp
    ${PROJECT_SOURCE_DIR}/tests/support/test_main.cpp)
  target_include_directories(fil_test_support PUBLIC ${PROJECT_SOURCE_DIR}/tests/support/include)
  target_compile_definitions(fil_test_support PRIVATE FIL_DEFAULT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(fil_test_support PUBLIC fil_base GTest::gtest)

  # A tiny target whose only job is to own the precompiled header that every
  # test binary reuses.
  add_executable(fil_test_pch ${PROJECT_SOURCE_DIR}/tests/support/pch_anchor.cpp)
  target_link_libraries(fil_test_pch PRIVATE fil_warnings GTest::gtest_main GTest::gmock fmt::fmt spdlog::spdlog tl_expected)
  target_precompile_headers(fil_test_pch PRIVATE ${PROJECT_SOURCE_DIR}/tests/support/pch.h)
endif()

add_library(fil_fuzz_replay STATIC ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.cpp)
