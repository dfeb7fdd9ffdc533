#!/usr/bin/env bash
# `make devnet`: the local devnet of Lotus's local-devnet guide, in
# DEVNET_DIR (default ./devnet): a pre-sealed 2 KiB genesis miner, the
# genesis, `lotus daemon` serving the full node API, and block production
# for the genesis miner (`lotus-shed devnet-mine`, the block production
# library that `lotus-miner run` will host), so the chain advances every
# 4 seconds. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dir=${DEVNET_DIR:-$root/devnet}
mkdir -p "$dir"
cd "$dir"
export LOTUS_PATH="$dir/lotus" FIL_PROOFS_PARENT_CACHE="$dir/parents"

if [[ ! -f devgen.car ]]; then
  echo "== 1. pre-sealing two 2 KiB sectors for genesis miner t01000 (lotus-seed pre-seal)"
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

echo "== 3. lotus daemon ${genesis_flags[*]} (log: $dir/daemon.log)"
"$root/lotus" daemon "${genesis_flags[@]}" > "$dir/daemon.log" 2>&1 &
daemon=$!
miner=""
stop() {
  [[ -n "$miner" ]] && kill -TERM "$miner" 2>/dev/null || true
  kill -TERM "$daemon" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM
for _ in $(seq 1 600); do
  if grep -q "API on" "$dir/daemon.log" 2>/dev/null; then break; fi
  if ! kill -0 "$daemon" 2>/dev/null; then cat "$dir/daemon.log"; exit 1; fi
  sleep 0.1
done
grep "lotus daemon:" "$dir/daemon.log" || true

echo "== 4. block production for t01000 (log: $dir/miner.log)"
"$root/lotus-shed" devnet-mine --miner t01000 --sector-dir "$dir/genesis-sectors" \
  --worker-key "$dir/genesis-sectors/pre-seal-t01000.key" > "$dir/miner.log" 2>&1 &
miner=$!

cat <<TEXT
== the devnet is up. In another terminal:
     export LOTUS_PATH=$LOTUS_PATH
     $root/lotus auth api-info --perm admin      # FULLNODE_API_INFO for other programs
     $root/lotus chain head
     $root/lotus wallet list
     $root/lotus send <address> 10               # from the default wallet (the genesis miner's owner)
     $root/lotus state wait-msg <message CID>
   Logs: $dir/daemon.log, $dir/miner.log. Ctrl-C stops the devnet; make devnet resumes it.
TEXT
tail -f "$dir/miner.log" --pid="$daemon" | grep --line-buffered "mined new block" || true
