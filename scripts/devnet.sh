#!/usr/bin/env bash
# `make devnet`: the local devnet (genesis, lotus daemon, lotus-miner).
# The chain is not built yet; this says so instead of pretending.
set -euo pipefail
cd "$(dirname "$0")/.."
cat <<'TEXT'
The devnet will run, on this machine, in temporary repos:
  1. lotus-seed pre-seal --sector-size 2KiB --num-sectors 2 --miner-addr t01000
     lotus-seed genesis new localnet.json; lotus-seed genesis add-miner ...
  2. lotus daemon --lotus-make-genesis=devgen.car --genesis-template=localnet.json
  3. lotus-miner init --genesis-miner ...; lotus-miner run (monolith: mining,
     sealing, sector storage and markets in one process)

Not there yet: the chain (full node, actors, genesis) and the miner are open
issues (see docs/status.md). What is built today:
TEXT
for b in lotus lotus-miner lotus-seed lotus-shed lotus-bench; do
  if [[ -x "./$b" ]]; then echo "  ./$b  (built)"; else echo "  ./$b  (not yet)"; fi
done
echo
echo "make devnet starts no chain: there is no full node to start."
exit 1
