#!/usr/bin/env bash
# `make devnet`: the local devnet of Lotus's local-devnet guide, in
# DEVNET_DIR (default ./devnet): a pre-sealed 2 KiB genesis miner, the
# genesis, and `lotus daemon` serving the full node API. Ctrl-C stops it.
#
# Block production (the Mining subsystem of `lotus-miner run`) is not built
# yet, so the chain stays at its genesis: this script says so rather than
# pretending (docs/status.md).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dir=${DEVNET_DIR:-$root/devnet}
mkdir -p "$dir"
cd "$dir"
export LOTUS_PATH="$dir/lotus" FIL_PROOFS_PARENT_CACHE="$dir/parents"

if [[ ! -f devgen.car ]]; then
  echo "== 1. pre-sealing a 2 KiB sector for genesis miner t01000 (lotus-seed pre-seal)"
  "$root/lotus-seed" --sector-dir "$dir/genesis-sectors" pre-seal --sector-size 2KiB --num-sectors 2 \
    --miner-addr t01000
  echo "== 2. genesis template (lotus-seed genesis new / add-miner)"
  "$root/lotus-seed" genesis new localnet.json
  "$root/lotus-seed" genesis add-miner localnet.json "$dir/genesis-sectors/pre-seal-t01000.json"
  genesis_flags=(--lotus-make-genesis=devgen.car --genesis-template=localnet.json)
else
  echo "== resuming the devnet in $dir (rm -rf $dir to start over)"
  genesis_flags=(--genesis=devgen.car)
fi

cat <<TEXT
== 3. lotus daemon ${genesis_flags[*]}
   API info for other terminals:
     export LOTUS_PATH=$LOTUS_PATH
     $root/lotus version
     $root/lotus auth api-info --perm admin
   The genesis miner's worker key: $dir/genesis-sectors/pre-seal-t01000.key
   Not built yet: block production (lotus-miner run), so the chain stays at
   height 0; the wallet, send, chain and state commands come with the full
   node API (issue 8).
TEXT
exec "$root/lotus" daemon "${genesis_flags[@]}"
