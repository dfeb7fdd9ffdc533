// Interop: our UnixFS importer and CAR files (`lotus-shed car create|inspect|
// extract`) against ipfs-unixfs-importer, ipfs-unixfs-exporter and @ipld/car.
//
// For each file and each importer setting both sides import the same bytes:
// - the root CIDs must be equal (ipfs-unixfs-importer 17 hashes only with
//   sha2-256, so equality is checked for sha2-256 settings; Lotus's own
//   blake2b-256 DAGs are checked block by block below);
// - @ipld/car must read our CAR, every block must hash to its CID, and
//   ipfs-unixfs-exporter must give the file back from those blocks;
// - our `car inspect` must accept the CAR @ipld/car writes from the JS
//   import, and our `car extract` must give the file back from it.
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { exporter } from 'ipfs-unixfs-exporter'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { CarBlockIterator, CarWriter } from '@ipld/car'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { blake2b } from '@noble/hashes/blake2.js'
import { execFileSync } from 'node:child_process'
import { createReadStream, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { Readable } from 'node:stream'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { buildDir, rng, check } from './lib/peer.mjs'

const seed = Number(process.env.INTEROP_SEED ?? Date.now() % 1000000)
console.log(`seed ${seed} (INTEROP_SEED=${seed} replays this run)`)
const r = rng(seed)
const shed = path.join(buildDir(), 'bin/lotus-shed')
const dir = mkdtempSync(path.join(tmpdir(), 'fil-unixfs-'))
const MiB = 1 << 20

function run (...args) {
  return execFileSync(shed, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

function runFails (...args) {
  try {
    execFileSync(shed, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (e) {
    return e.stderr
  }
  throw new Error(`lotus-shed ${args.join(' ')} should have failed`)
}

// Our flags and ipfs-unixfs-importer's options for one setting.
const settings = {
  // IPIP-499 unixfs-v1-2025: CIDv1, raw leaves, 1 MiB chunks, 1024 links (sha2-256)
  'unixfs-v1-2025': {
    flags: ['--hash', 'sha2-256', '--inline-limit', '0'],
    js: { profile: 'unixfs-v1-2025' }
  },
  // IPIP-499 unixfs-v0-2015: kubo's old defaults, CIDv0, dag-pb leaves, 256 KiB, 174 links
  'unixfs-v0-2015': {
    flags: ['--hash', 'sha2-256', '--inline-limit', '0', '--cid-version', '0', '--no-raw-leaves',
      '--chunk-size', '262144', '--max-links', '174'],
    js: { profile: 'unixfs-v0-2015' }
  },
  // Small chunks and fan-out, to get trees three levels deep from small files.
  'deep-tree': {
    flags: ['--hash', 'sha2-256', '--inline-limit', '0', '--chunk-size', '1024', '--max-links', '4'],
    js: { cidVersion: 1, rawLeaves: true, chunker: fixedSize({ chunkSize: 1024 }), layout: balanced({ maxChildrenPerNode: 4 }) }
  }
}

// A blockstore that remembers the order blocks were written in.
class RecordingBlockstore extends MemoryBlockstore {
  constructor () {
    super()
    this.order = []
  }

  put (cid, bytes) {
    if (!this.has(cid)) this.order.push({ cid, bytes })
    return super.put(cid, bytes)
  }
}

// Identity CIDs carry their block (Lotus inlines blocks of up to 126 bytes);
// go's idstore answers them from the CID, and so does this.
class IdentityAwareBlockstore extends MemoryBlockstore {
  * get (cid, options) {
    if (cid.multihash.code === 0x00) {
      yield cid.multihash.digest
      return
    }
    yield * super.get(cid, options)
  }
}

async function jsImport (bytes, options) {
  const blocks = new RecordingBlockstore()
  let root
  for await (const entry of importer([{ content: bytes }], blocks, options)) root = entry.cid
  return { root, blocks }
}

async function jsExport (root, blockstore) {
  const entry = await exporter(root, blockstore)
  const parts = []
  for await (const chunk of entry.content()) parts.push(chunk)
  return Buffer.concat(parts)
}

function verifyHash (cid, bytes) {
  switch (cid.multihash.code) {
    case 0x12: return Buffer.from(sha256.digest(bytes).digest).equals(Buffer.from(cid.multihash.digest))
    case 0xb220: return Buffer.from(blake2b(bytes, { dkLen: 32 })).equals(Buffer.from(cid.multihash.digest))
    case 0x00: return Buffer.from(bytes).equals(Buffer.from(cid.multihash.digest))
    default: throw new Error(`unexpected hash 0x${cid.multihash.code.toString(16)}`)
  }
}

// Reads one of our CARs with @ipld/car, checking every block.
async function readOurCar (file, expectedRoot) {
  const iterator = await CarBlockIterator.fromIterable(createReadStream(file))
  const roots = await iterator.getRoots()
  check(roots.length === 1 && roots[0].toString() === expectedRoot, `CAR roots ${roots} != ${expectedRoot}`)
  const blocks = new IdentityAwareBlockstore()
  const seen = new Set()
  let first
  for await (const { cid, bytes } of iterator) {
    check(verifyHash(cid, bytes), `block ${cid} does not match its hash`)
    check(!seen.has(cid.toString()), `block ${cid} written twice`)
    seen.add(cid.toString())
    first ??= cid.toString()
    await blocks.put(cid, bytes)
  }
  // Depth-first from the root: the root block comes first (unless inline).
  if (!expectedRoot.startsWith('bafkqa')) check(first === expectedRoot, `first block ${first} is not the root`)
  return { blocks, count: seen.size }
}

async function writeJsCar (root, recording, file) {
  const { writer, out } = CarWriter.create([root])
  const done = new Promise((resolve, reject) => {
    const chunks = []
    Readable.from(out).on('data', (c) => chunks.push(c)).on('end', () => {
      writeFileSync(file, Buffer.concat(chunks))
      resolve()
    }).on('error', reject)
  })
  for (const { cid, bytes } of recording.order) await writer.put({ cid, bytes })
  await writer.close()
  await done
}

const sizes = [0, 1, 126, 127, 1000, 4096, 262144, 262145, MiB - 1, MiB, MiB + 1, 3 * MiB + 17, 45 * 1024 + r.int(10000)]
let checked = 0

for (const [name, setting] of Object.entries(settings)) {
  for (const size of sizes) {
    const data = Buffer.from(r.bytes(size))
    const file = path.join(dir, `in-${size}`)
    writeFileSync(file, data)
    const label = `${name} ${size} bytes`

    // Same root CID.
    const js = await jsImport(data, setting.js)
    const ourCar = path.join(dir, `ours-${name}-${size}.car`)
    const ours = run('car', 'create', ...setting.flags, file, ourCar).trim()
    check(ours === js.root.toString(), `${label}: our root ${ours} != ipfs-unixfs-importer ${js.root}`)

    // Our CAR read by @ipld/car, blocks verified, file exported by ipfs-unixfs-exporter.
    const { blocks, count } = await readOurCar(ourCar, ours)
    check(count === js.blocks.order.length, `${label}: ${count} blocks in our CAR, ${js.blocks.order.length} from JS`)
    check((await jsExport(js.root, blocks)).equals(data), `${label}: exporter output differs`)

    // The CAR @ipld/car writes from the JS import, read by us.
    const jsCar = path.join(dir, `js-${name}-${size}.car`)
    await writeJsCar(js.root, js.blocks, jsCar)
    const inspected = run('car', 'inspect', jsCar)
    check(inspected.includes(`Block count: ${js.blocks.order.length}\n`), `${label}: car inspect:\n${inspected}`)
    check(inspected.includes('Verification: all'), `${label}: car inspect did not verify:\n${inspected}`)
    const extracted = path.join(dir, `out-${name}-${size}`)
    run('car', 'extract', jsCar, extracted)
    check(readFileSync(extracted).equals(data), `${label}: car extract of the JS CAR differs`)
    rmSync(jsCar)
    rmSync(ourCar)
    checked++
  }
}

// Lotus's `client import` defaults: blake2b-256 and identity CIDs for blocks
// of up to 126 bytes. ipfs-unixfs-importer cannot hash with blake2b, so these
// DAGs are checked by @ipld/car, @noble/hashes and ipfs-unixfs-exporter.
for (const size of [0, 5, 126, 127, 2 * MiB + 500, 5 * MiB]) {
  const data = Buffer.from(r.bytes(size))
  const file = path.join(dir, `lotus-${size}`)
  writeFileSync(file, data)
  const car = path.join(dir, `lotus-${size}.car`)
  const root = run('car', 'create', file, car).trim()
  if (size <= 126) check(root.startsWith('bafkqa'), `${size} bytes should be an identity CID, got ${root}`)
  else check(root.startsWith('bafk2bza') || root.startsWith('bafykbza'), `${size} bytes: ${root} is not blake2b-256`)
  const { blocks } = await readOurCar(car, root)
  // The exporter reads identity CIDs from the CID itself.
  check((await jsExport(CID.parse(root), blocks)).equals(data),
    `Lotus defaults ${size} bytes: exporter output differs`)
  checked++
}

// A damaged CAR is refused, naming the offset.
{
  const data = Buffer.from(r.bytes(3 * MiB))
  const file = path.join(dir, 'damaged-in')
  writeFileSync(file, data)
  const car = path.join(dir, 'damaged.car')
  run('car', 'create', '--hash', 'sha2-256', file, car)
  const bytes = readFileSync(car)
  bytes[bytes.length - 10] ^= 0xff
  writeFileSync(car, bytes)
  const err = runFails('car', 'inspect', car)
  check(/does not match its hash/.test(err) && /offset \d+/.test(err), `damaged CAR: ${err}`)
}

rmSync(dir, { recursive: true, force: true })
console.log(`ok: ${checked} imports agree with ipfs-unixfs-importer / @ipld/car / ipfs-unixfs-exporter`)
