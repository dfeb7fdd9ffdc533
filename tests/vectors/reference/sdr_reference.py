#!/usr/bin/env python3
"""An independent reference of SDR sealing for 2 KiB sectors, written from
the published algorithms (rust-fil-proofs, neptune, the Poseidon paper) and
shared/spec/proofs.md, not from this repository's C++. Standard library only.

    sdr_reference.py UNSEALED PROVER_ID_HEX SECTOR TICKET_HEX SEED_HEX [PROOF_ID]

UNSEALED is the FR32-padded sector (2048 bytes). Prints JSON with comm_d,
comm_c, comm_r_last, comm_r, the replica, the interactive challenges and each
challenge's openings (all hex).
"""
import hashlib
import json
import math
import struct
import sys
from collections import deque

R = 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001
NODE = 32


def le_int(b):
    return int.from_bytes(b, "little")


def le_bytes(x):
    return x.to_bytes(32, "little")


def sha256(*parts):
    h = hashlib.sha256()
    for p in parts:
        h.update(p)
    return h.digest()


def trunc254(d):
    return d[:31] + bytes([d[31] & 0x3F])


# --- Poseidon (neptune: Grain LFSR constants, Cauchy MDS, x^5) -------------

def grain_constants(t, rf, rp):
    bits = []
    for value, width in ((1, 2), (1, 4), (255, 12), (t, 12), (rf, 10), (rp, 10)):
        bits += [(value >> i) & 1 for i in reversed(range(width))]
    bits += [1] * 30
    state = deque(bits)

    def step():
        b = state[62] ^ state[51] ^ state[38] ^ state[23] ^ state[13] ^ state[0]
        state.popleft()
        state.append(b)
        return b

    for _ in range(160):
        step()

    def next_bit():
        while True:
            first = step()
            second = step()
            if first:
                return second

    out = []
    while len(out) < (rf + rp) * t:
        x = 0
        for _ in range(255):
            x = (x << 1) | next_bit()
        if x < R:
            out.append(x)
    return out


ROUNDS = {2: (8, 55), 8: (8, 57), 11: (8, 57)}
_CONSTANTS = {}


def constants(arity):
    if arity not in _CONSTANTS:
        t = arity + 1
        rf, rp = ROUNDS[arity]
        rc = grain_constants(t, rf, rp)
        mds = [[pow(i + t + j, R - 2, R) for j in range(t)] for i in range(t)]
        _CONSTANTS[arity] = (t, rf, rp, rc, mds)
    return _CONSTANTS[arity]


def poseidon(inputs):
    t, rf, rp, rc, mds = constants(len(inputs))
    s = [(1 << len(inputs)) - 1] + list(inputs)
    k = 0

    def mix(v):
        return [sum(mds[i][j] * v[j] for j in range(t)) % R for i in range(t)]

    for r in range(rf + rp):
        s = [(x + rc[k + i]) % R for i, x in enumerate(s)]
        k += t
        full = r < rf // 2 or r >= rf // 2 + rp
        s = [pow(x, 5, R) if (full or i == 0) else x for i, x in enumerate(s)]
        s = mix(s)
    return s[1]


def poseidon_nodes(nodes):
    return le_bytes(poseidon([le_int(n) for n in nodes]))


# --- Graph ----------------------------------------------------------------

def chacha8_words(key):
    def rotl(x, n):
        return ((x << n) | (x >> (32 - n))) & 0xFFFFFFFF

    def qr(x, a, b, c, d):
        x[a] = (x[a] + x[b]) & 0xFFFFFFFF; x[d] = rotl(x[d] ^ x[a], 16)
        x[c] = (x[c] + x[d]) & 0xFFFFFFFF; x[b] = rotl(x[b] ^ x[c], 12)
        x[a] = (x[a] + x[b]) & 0xFFFFFFFF; x[d] = rotl(x[d] ^ x[a], 8)
        x[c] = (x[c] + x[d]) & 0xFFFFFFFF; x[b] = rotl(x[b] ^ x[c], 7)

    counter = 0
    while True:
        inp = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]
        inp += list(struct.unpack("<8I", key))
        inp += [counter & 0xFFFFFFFF, counter >> 32, 0, 0]
        x = list(inp)
        for _ in range(4):
            qr(x, 0, 4, 8, 12); qr(x, 1, 5, 9, 13); qr(x, 2, 6, 10, 14); qr(x, 3, 7, 11, 15)
            qr(x, 0, 5, 10, 15); qr(x, 1, 6, 11, 12); qr(x, 2, 7, 8, 13); qr(x, 3, 4, 9, 14)
        for i in range(16):
            yield (x[i] + inp[i]) & 0xFFFFFFFF
        counter += 1


def drg_parents(node, drg_seed):
    if node < 2:
        return [0] * 6
    words = chacha8_words(drg_seed + struct.pack("<I", node))

    def u64():
        lo = next(words)
        return lo | (next(words) << 32)

    meta = node * 5
    buckets = math.ceil(math.log2(meta))
    out = [node - 1]
    for _ in range(5):
        bucket = u64() % buckets + 1
        hi = min(meta, 1 << bucket)
        lo = max(2, hi >> 1)
        dist = lo + u64() % (hi - lo + 1)
        parent = (meta - dist) // 5
        out.append(node - 1 if parent == node else parent)
    return out


def exp_parents(node, nodes, keys):
    domain = nodes * 8
    log4 = 1
    while 4 ** log4 < domain:
        log4 += 1
    half = log4
    mask = (1 << half) - 1

    def encode(x):
        left, right = x >> half, x & mask
        for key in keys[:3]:
            h = hashlib.blake2b(right.to_bytes(8, "big") + key.to_bytes(8, "big")).digest()
            left, right = right, left ^ (int.from_bytes(h[:8], "big") & mask)
        return (left << half) | right

    out = []
    for i in range(8):
        u = encode(node * 8 + i)
        while u >= domain:
            u = encode(u)
        out.append(u // 8)
    return out


# --- Sealing ---------------------------------------------------------------

def label(replica_id, layer, node, parent_labels):
    header = replica_id + struct.pack(">IQ", layer, node) + bytes(20)
    if node == 0:
        return trunc254(sha256(header))
    seq = [parent_labels[k % len(parent_labels)] for k in range(37)]
    return trunc254(sha256(header, *seq))


def sha_tree(leaves):
    rows = [leaves]
    while len(rows[-1]) > 1:
        row = rows[-1]
        rows.append([trunc254(sha256(row[i], row[i + 1])) for i in range(0, len(row), 2)])
    return rows


def oct_tree(leaves):
    rows = [leaves]
    while len(rows[-1]) > 1:
        row = rows[-1]
        rows.append([poseidon_nodes(row[i:i + 8]) for i in range(0, len(row), 8)])
    return rows


def path(rows, index, arity):
    out = []
    for row in rows[:-1]:
        first = index // arity * arity
        out += [row[first + j] for j in range(arity) if first + j != index]
        index //= arity
    return out


def main():
    unsealed = open(sys.argv[1], "rb").read()
    prover_id = bytes.fromhex(sys.argv[2])
    sector = int(sys.argv[3])
    ticket = bytes.fromhex(sys.argv[4])
    seed = bytes.fromhex(sys.argv[5])
    proof_id = int(sys.argv[6]) if len(sys.argv) > 6 else 5
    nodes = len(unsealed) // NODE
    assert len(unsealed) == 2048, "this reference covers 2 KiB sectors"
    layers = 2
    porep_id = struct.pack("<QQ", proof_id, 0) + bytes(16)
    drg_seed = sha256(b"Filecoin_DRSample", porep_id)[:28]
    fk = sha256(b"Filecoin_Feistel", porep_id)
    keys = [int.from_bytes(fk[8 * i:8 * i + 8], "little") for i in range(4)]
    parents = [(drg_parents(n, drg_seed), exp_parents(n, nodes, keys)) for n in range(nodes)]

    data = [unsealed[i * NODE:(i + 1) * NODE] for i in range(nodes)]
    tree_d = sha_tree(data)
    comm_d = tree_d[-1][0]
    replica_id = trunc254(sha256(prover_id, struct.pack(">Q", sector), ticket, comm_d, porep_id))

    labels = []
    for layer in range(1, layers + 1):
        cur = []
        for n in range(nodes):
            base, exp = parents[n]
            pl = [cur[p] for p in base] if n > 0 else []
            if layer > 1:
                pl += [labels[-1][p] for p in exp]
            cur.append(label(replica_id, layer, n, pl))
        labels.append(cur)

    columns = [poseidon_nodes([labels[l][n] for l in range(layers)]) for n in range(nodes)]
    tree_c = oct_tree(columns)
    replica = [le_bytes((le_int(labels[-1][n]) + le_int(data[n])) % R) for n in range(nodes)]
    tree_r = oct_tree(replica)
    comm_c, comm_r_last = tree_c[-1][0], tree_r[-1][0]
    comm_r = poseidon_nodes([comm_c, comm_r_last])

    challenges, proofs = [], []
    for j in range(2):
        h = sha256(replica_id, seed, struct.pack("<I", j))
        c = le_int(h) % (nodes - 1) + 1
        challenges.append(c)
        cols = []
        for n in [c] + parents[c][0] + parents[c][1]:
            cols.append({"labels": [labels[l][n].hex() for l in range(layers)],
                         "path": [x.hex() for x in path(tree_c, n, 8)]})
        proofs.append({
            "data_leaf": data[c].hex(),
            "comm_d_path": [x.hex() for x in path(tree_d, c, 2)],
            "replica_leaf": replica[c].hex(),
            "comm_r_last_path": [x.hex() for x in path(tree_r, c, 8)],
            "columns": cols,
        })
    json.dump({
        "comm_d": comm_d.hex(), "comm_c": comm_c.hex(), "comm_r_last": comm_r_last.hex(),
        "comm_r": comm_r.hex(), "replica": b"".join(replica).hex(),
        "challenges": challenges, "proofs": proofs,
        "parent_cache_sha256": hashlib.sha256(b"".join(
            struct.pack("<14I", *(b + e)) for b, e in parents)).hexdigest(),
    }, sys.stdout)


if __name__ == "__main__":
    main()
