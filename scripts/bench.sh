#!/usr/bin/env bash
# `make bench`: runs every benchmark program and the side-by-side npm peers.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
for b in build/bench/bench_*; do
  echo "== $b"
  "$b" --benchmark_min_time=0.5
done
if [[ -x build/bench/rpc_load ]]; then
  echo "== build/bench/rpc_load"
  build/bench/rpc_load 5
fi
if [[ -d tests/interop/bench ]]; then
  scripts/install-npm-deps.sh
  for js in tests/interop/bench/*.mjs; do
    echo "== node $js"
    node "$js"
  done
fi
