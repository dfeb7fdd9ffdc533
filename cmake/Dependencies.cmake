# Every dependency comes from Debian packages (scripts/install-deps.sh).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(Boost 1.81 REQUIRED CONFIG)
find_package(CLI11 CONFIG QUIET)

pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(B2 REQUIRED IMPORTED_TARGET libb2)
pkg_check_modules(SECP256K1 REQUIRED IMPORTED_TARGET libsecp256k1)
# The shared library: the static one drags in gflags and every compressor.
pkg_check_modules(ROCKSDB REQUIRED IMPORTED_TARGET rocksdb)

# libexpected-dev ships only a header.
find_path(TL_EXPECTED_INCLUDE_DIR tl/expected.hpp REQUIRED)
add_library(tl_expected INTERFACE)
target_include_directories(tl_expected SYSTEM INTERFACE ${TL_EXPECTED_INCLUDE_DIR})

# libcli11-dev 2.1 has no CMake package on Debian 12; it is header only.
if(NOT TARGET CLI11::CLI11)
  find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  target_include_directories(CLI11::CLI11 SYSTEM INTERFACE ${CLI11_INCLUDE_DIR})
endif()

if(FIL_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(FIL_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
