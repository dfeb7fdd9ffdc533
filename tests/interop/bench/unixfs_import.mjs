// UnixFS import throughput, ours beside ipfs-unixfs-importer on the same
// 256 MiB file in the same run (make bench). Both import with the settings of
// the unixfs-v1-2025 profile (CIDv1, raw leaves, 1 MiB chunks, 1024 links,
// sha2-256), read the file from the page cache and drop the blocks; both
// must produce the same root CID. Prints MB/s of wall time (the importers
// hash on one thread each) and SHA-256 throughput, the bound for both.
import { importer } from 'ipfs-unixfs-importer'
import { BlackHoleBlockstore } from 'blockstore-core/black-hole'
import { execFileSync } from 'node:child_process'
import { createReadStream, mkdtempSync, openSync, writeSync, closeSync, rmSync, readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { rng } from '../lib/peer.mjs'

const buildDir = process.env.FIL_BUILD_DIR ?? path.resolve(import.meta.dirname, '../../../build')
const size = 256 * 1024 * 1024
const dir = mkdtempSync(path.join(tmpdir(), 'fil-bench-unixfs-'))
const file = path.join(dir, 'data.bin')

// Pseudo-random content (incompressible, no repeated chunks).
{
  const r = rng(7)
  const fd = openSync(file, 'w')
  const chunk = Buffer.alloc(1 << 20)
  for (let written = 0; written < size; written += chunk.length) {
    for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE(Math.floor(r.next() * 4294967296), i)
    writeSync(fd, chunk)
  }
  closeSync(fd)
}
readFileSync(file) // into the page cache

async function jsImport () {
  const start = process.hrtime.bigint()
  let root
  for await (const entry of importer([{ content: createReadStream(file, { highWaterMark: 1 << 20 }) }],
    new BlackHoleBlockstore(), { profile: 'unixfs-v1-2025' })) root = entry.cid
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  return { root: root.toString(), mbps: size / seconds / 1e6 }
}

await jsImport() // warm up the JIT
const runs = []
for (let i = 0; i < 3; i++) runs.push(await jsImport())
const js = runs.reduce((a, b) => (a.mbps > b.mbps ? a : b))

const nodeSha = (() => {
  const buf = Buffer.alloc(1 << 20, 0x33)
  const start = process.hrtime.bigint()
  let n = 0
  while (Number(process.hrtime.bigint() - start) < 1e9) {
    createHash('sha256').update(buf).digest()
    n++
  }
  return (n * buf.length) / (Number(process.hrtime.bigint() - start) / 1e9) / 1e6
})()

const out = execFileSync(path.join(buildDir, 'bench/bench_unixfs'),
  ['--benchmark_format=json', '--benchmark_min_time=3', '--benchmark_repetitions=1'],
  { env: { ...process.env, FIL_UNIXFS_BENCH_FILE: file }, maxBuffer: 1 << 24 })
const results = Object.fromEntries(JSON.parse(out).benchmarks.map((b) => [b.name.replace(/\/real_time$/, ''), b]))
const ours = results.BM_ImportSha256
rmSync(dir, { recursive: true, force: true })

if (ours.label !== js.root) throw new Error(`root CIDs differ: ours ${ours.label}, ipfs-unixfs-importer ${js.root}`)
const mb = (b) => (b.bytes_per_second / 1e6).toFixed(0)
console.log(`file: 256 MiB, root ${js.root} (same on both sides)`)
console.log('importer                                   MB/s')
console.log(`ours, unixfs-v1-2025 settings (sha2-256)  ${mb(ours).padStart(5)}`)
console.log(`ipfs-unixfs-importer 17.1.1, same          ${js.mbps.toFixed(0).padStart(5)}   (best of 3, Node ${process.versions.node})`)
console.log(`ours, Lotus settings (blake2b-256)        ${mb(results.BM_ImportLotus).padStart(5)}`)
console.log(`limit: SHA-256 of 1 MiB blocks, ours      ${mb(results.BM_Sha256).padStart(5)}   (Node crypto ${nodeSha.toFixed(0)})`)
console.log(`limit: BLAKE2b-256 of 1 MiB blocks        ${mb(results.BM_Blake2b256).padStart(5)}`)
