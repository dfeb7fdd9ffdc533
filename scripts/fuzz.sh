#!/usr/bin/env bash
# `make fuzz`: runs every libFuzzer target for a while (seconds per target as
# the first argument), starting from the seeds in tests/fuzz/corpus/<name>.
# New inputs go to build-fuzz/corpus/<name> (not committed); crashes are
# written to tests/fuzz/findings/<name>/ and belong, once fixed, in the seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
status=0
for target in build-fuzz/fuzz/fuzz_*; do
  name=${target##*/fuzz_}
  seeds=tests/fuzz/corpus/$name
  corpus=build-fuzz/corpus/$name
  findings=tests/fuzz/findings/$name
  mkdir -p "$seeds" "$corpus" "$findings"
  echo "== fuzzing $name for ${seconds}s"
  if ! "$target" -max_total_time="$seconds" -print_final_stats=1 \
       -artifact_prefix="$findings/" "$corpus" "$seeds" 2>&1 | tail -n 15; then
    echo "!! $name found a crash; see $findings"
    status=1
  fi
done
exit $status
