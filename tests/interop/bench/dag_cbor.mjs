// DAG-CBOR throughput, ours beside @ipld/dag-cbor on the same bytes in the
// same run (make bench). Prints MB/s for decode and encode and the ratio.
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { execFileSync } from 'node:child_process'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { rng } from '../lib/peer.mjs'

const buildDir = process.env.FIL_BUILD_DIR ?? path.resolve(import.meta.dirname, '../../../build')
const r = rng(42)

// Chain-like records: small maps of integers, bytes, text and links.
const items = []
for (let i = 0; i < 20000; i++) {
  items.push({
    Nonce: r.int(100000),
    Value: r.bytes(r.int(96)),
    Method: r.int(30),
    Label: `deal-${r.int(1000000)}`,
    Link: CID.createV1(0x71, await sha256.digest(Uint8Array.of(i & 0xff, i >> 8)))
  })
}
const bytes = dagCbor.encode(items)
const file = path.join(mkdtempSync(path.join(tmpdir(), 'fil-bench-')), 'data.cbor')
writeFileSync(file, bytes)

// CPU time, as Google Benchmark reports it, so that other work on the
// machine does not skew the ratio.
function cpuSeconds () {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}

function mbPerSecond (fn) {
  fn()  // warm up the JIT
  let n = 0
  const start = cpuSeconds()
  while (cpuSeconds() - start < 2) {
    fn()
    n++
  }
  return (bytes.length * n) / (cpuSeconds() - start) / 1e6
}

const jsDecode = mbPerSecond(() => dagCbor.decode(bytes))
const value = dagCbor.decode(bytes)
const jsEncode = mbPerSecond(() => dagCbor.encode(value))

const out = execFileSync(path.join(buildDir, 'bench/bench_codec'),
  ['--benchmark_format=json', '--benchmark_min_time=2', '--benchmark_filter=Value'],
  { env: { ...process.env, FIL_CBOR_BENCH_FILE: file } })
const results = Object.fromEntries(JSON.parse(out).benchmarks.map((b) => [b.name, b.bytes_per_second / 1e6]))
const ours = { decode: results.BM_DecodeValue, encode: results.BM_EncodeValue }

console.log(`data: ${(bytes.length / 1e6).toFixed(2)} MB, ${items.length} records`)
console.log('op      ours MB/s  @ipld/dag-cbor MB/s  ratio')
for (const [op, js] of [['decode', jsDecode], ['encode', jsEncode]]) {
  console.log(`${op.padEnd(8)}${ours[op].toFixed(1).padStart(9)}  ${js.toFixed(1).padStart(19)}  ${(ours[op] / js).toFixed(2)}x`)
}
