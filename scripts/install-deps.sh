#!/usr/bin/env bash
# Installs every Debian package the project needs to build, test and run.
# Idempotent and quick when everything is present: it asks dpkg first and
# only calls apt-get for what is missing.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache mold pkg-config git
  clang libclang-rt-14-dev llvm
  # libraries
  libboost1.81-dev libboost-json1.81-dev nlohmann-json3-dev libtomlplusplus-dev libcli11-dev
  libspdlog-dev libfmt-dev libsodium-dev libb2-dev libsecp256k1-dev libssl-dev
  librocksdb-dev libcpp-jwt-dev libexpected-dev prometheus-cpp-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # the independent reference implementation of tests/vectors/reference
  python3
)
# Interop tests run npm packages under Node.js. Some machines carry Node.js
# from NodeSource with npm built in, whose package conflicts with Debian's
# npm, so Debian's are asked for only when no node/npm is on the PATH.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
