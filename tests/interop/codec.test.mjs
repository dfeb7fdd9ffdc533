// Interop: our DAG-CBOR, DAG-JSON, CID, multibase and address code against
// @ipld/dag-cbor, @ipld/dag-json, multiformats and @glif/filecoin-address,
// on thousands of generated values, in both directions.
import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import * as Digest from 'multiformats/hashes/digest'
import { bases } from 'multiformats/basics'
import { blake2b } from '@noble/hashes/blake2.js'
import * as glif from '@glif/filecoin-address'
import { Peer, rng, toHex, fromHex, check } from './lib/peer.mjs'

const seed = Number(process.env.INTEROP_SEED ?? Date.now() % 1000000)
console.log(`seed ${seed} (INTEROP_SEED=${seed} replays this run)`)
const r = rng(seed)
const peer = new Peer('tests/interop/fil_interop_codec_peer')
const counts = {}
const count = (k) => { counts[k] = (counts[k] ?? 0) + 1 }

// ---- generated IPLD values ------------------------------------------------
function randomString () {
  const alphabet = ['a', 'b', 'Z', '0', ' ', '"', '\\', '\n', '\u0001', 'é', '中', '😀', '/', '{']
  let s = ''
  for (let i = r.int(12); i > 0; i--) s += r.pick(alphabet)
  return s
}

async function randomCid () {
  const data = r.bytes(r.int(40))
  if (r.int(4) === 0) return CID.createV0(await sha256.digest(data))
  const codec = r.pick([0x55, 0x70, 0x71, 0x72, 0xf101])
  const digest = r.int(2) === 0 ? await sha256.digest(data) : Digest.create(0xb220, blake2b(data, { dkLen: 32 }))
  return CID.createV1(codec, digest)
}

async function randomValue (depth = 0) {
  const kinds = depth > 3 ? 8 : 10
  switch (r.int(kinds)) {
    case 0: return null
    case 1: return r.int(2) === 0
    case 2: return r.int(2) === 0 ? r.int(1000) : r.int(2 ** 31) * 2 ** 20 + r.int(2 ** 20)
    case 3: return r.int(2) === 0 ? -1 - r.int(1000) : BigInt(-1) - BigInt(r.int(2 ** 31)) * 2n ** 32n
    case 4: return (r.int(2000000) - 1000000) / 1024 + 1 / 3  // never integral
    case 5: return r.bytes(r.int(70))
    case 6: return randomString()
    case 7: return await randomCid()
    case 8: {
      const list = []
      for (let i = r.int(5); i > 0; i--) list.push(await randomValue(depth + 1))
      return list
    }
    default: {
      const map = {}
      for (let i = r.int(6); i > 0; i--) map[randomString()] = await randomValue(depth + 1)
      // {"/": "..."} is a link in DAG-JSON: such a map has no DAG-JSON form.
      if (Object.keys(map).length === 1 && '/' in map) map['/x'] = null
      return map
    }
  }
}

// They encode, we decode and re-encode byte for byte; our DAG-JSON matches theirs.
async function dagCborTheirsToOurs (n) {
  for (let i = 0; i < n; i++) {
    const value = await randomValue()
    const bytes = dagCbor.encode(value)
    const answer = await peer.ask(`cbor ${toHex(bytes)}`)
    const space = answer.indexOf(' ')
    const [hex, json] = [answer.slice(0, space), answer.slice(space + 1)]
    check(hex === toHex(bytes), `re-encoding differs for ${toHex(bytes)}:\n ours ${hex}`)
    const theirJson = new TextDecoder().decode(dagJson.encode(value))
    check(json === theirJson, `DAG-JSON differs for ${toHex(bytes)}:\n ours   ${json}\n theirs ${theirJson}`)
    count('dag-cbor theirs->ours')
  }
}

// We encode (from their DAG-JSON), they decode and compare.
async function dagCborOursToTheirs (n) {
  for (let i = 0; i < n; i++) {
    const value = await randomValue()
    const json = new TextDecoder().decode(dagJson.encode(value))
    const answer = await peer.ask(`json ${json}`)
    const hex = answer.slice(0, answer.indexOf(' '))
    const decoded = dagCbor.decode(fromHex(hex))
    check(toHex(dagCbor.encode(decoded)) === toHex(dagCbor.encode(value)), `our CBOR for ${json} decodes differently`)
    check(hex === toHex(dagCbor.encode(value)), `our CBOR for ${json} is ${hex}, theirs ${toHex(dagCbor.encode(value))}`)
    count('dag-cbor ours->theirs')
  }
}

// Non-canonical or invalid encodings: @ipld/dag-cbor refuses them and so do
// we. A few it reads leniently although the DAG-CBOR spec forbids them
// (unsorted keys, 16/32-bit floats, undefined, invalid UTF-8); we refuse
// those too (docs/decisions.md).
async function strictness () {
  const bad = ['1817', '9f01ff', 'fb7ff8000000000000', 'c11a514b67b0', 'a10101', '5801ff', 'a2616101616101', '0101', '1c', 'd82a43000102']
  const weAreStricter = ['a2616201616101', 'f93c00', 'fa3fc00000', 'f7', '62c328']
  for (const hex of [...bad, ...weAreStricter]) {
    let theirs = true
    try { dagCbor.decode(fromHex(hex)) } catch { theirs = false }
    const ours = await peer.tryAsk(`cbor ${hex}`)
    check(!ours.ok, `${hex}: we accept it`)
    check(theirs === weAreStricter.includes(hex), `${hex}: @ipld/dag-cbor accepts=${theirs}`)
    count('strict rejections')
  }
}

async function cids (n) {
  for (let i = 0; i < n; i++) {
    const c = await randomCid()
    const text = c.toString()
    const [hex, canonical] = (await peer.ask(`cid ${text}`)).split(' ')
    check(hex === toHex(c.bytes), `CID ${text}: bytes ${hex} vs ${toHex(c.bytes)}`)
    check(canonical === text, `CID ${text}: we print ${canonical}`)
    check((await peer.ask(`cidbytes ${toHex(c.bytes)}`)) === text, `CID bytes of ${text}`)
    if (c.version === 1) {
      for (const base of [bases.base16, bases.base32upper, bases.base58btc, bases.base64, bases.base64url, bases.base64pad]) {
        const other = c.toString(base.encoder)
        check((await peer.ask(`cid ${other}`)).split(' ')[1] === text, `CID in ${base.name}: ${other}`)
      }
    }
    // We compute, they check.
    const data = r.bytes(r.int(100))
    const ours = CID.parse(await peer.ask(`cidof 113 blake2b-256 ${toHex(data)}`))
    check(toHex(ours.multihash.digest) === toHex(blake2b(data, { dkLen: 32 })) && ours.code === 0x71, `blake2b CID of ${toHex(data)}`)
    const ours256 = CID.parse(await peer.ask(`cidof 85 sha2-256 ${toHex(data)}`))
    check(ours256.equals(CID.createV1(0x55, await sha256.digest(data))), `sha2-256 CID of ${toHex(data)}`)
    count('cids')
  }
}

async function multibases (n) {
  const list = [bases.base16, bases.base16upper, bases.base32, bases.base32upper, bases.base58btc, bases.base64, bases.base64pad, bases.base64url, bases.base64urlpad]
  for (let i = 0; i < n; i++) {
    const data = r.bytes(r.int(50))
    const base = r.pick(list)
    const theirs = base.encoder.encode(data)
    check((await peer.ask(`mb ${base.prefix} ${toHex(data)}`)) === theirs, `multibase ${base.name} of ${toHex(data)}`)
    check((await peer.ask(`mbdecode ${theirs}`)) === toHex(data), `decoding ${theirs}`)
    count('multibase')
  }
}

async function addresses (n) {
  for (let i = 0; i < n; i++) {
    let a, request
    switch (r.int(5)) {
      case 0: { const id = r.int(2) ? r.int(100000) : r.int(2 ** 31) * 2 ** 20; a = glif.newIDAddress(id, 'f'); request = `id ${id}`; break }
      case 1: { const k = new Uint8Array([4, ...r.bytes(64)]); a = glif.newSecp256k1Address(k, 'f'); request = `secp256k1 ${toHex(k)}`; break }
      case 2: { const d = r.bytes(r.int(40) + 1); a = glif.newActorAddress(d, 'f'); request = `actor ${toHex(d)}`; break }
      case 3: { const k = r.bytes(48); a = glif.newBLSAddress(k, 'f'); request = `bls ${toHex(k)}`; break }
      default: { const s = r.bytes(20); a = glif.newDelegatedAddress(10, s, 'f'); request = `delegated 10:${toHex(s)}`; break }
    }
    const text = a.toString()
    const [hex, ourText] = (await peer.ask(`addr ${text}`)).split(' ')
    check(hex === toHex(a.bytes), `address ${text}: bytes ${hex} vs ${toHex(a.bytes)}`)
    check(ourText === text, `address ${text}: we print ${ourText}`)
    check((await peer.ask(`addrbytes ${toHex(a.bytes)}`)) === text, `address bytes of ${text}`)
    const made = await peer.ask(`newaddr ${request}`)
    check(made === text, `we made ${made} for ${request}, @glif made ${text}`)
    check(toHex(glif.newFromString(made).bytes) === toHex(a.bytes), `@glif parses our ${made}`)
    count('addresses')
  }
  // A bad checksum is refused by both.
  const good = glif.newActorAddress(r.bytes(8), 'f').toString()
  // Change a character inside the payload (the last one also carries padding bits).
  const bad = good.slice(0, 5) + (good[5] === 'a' ? 'b' : 'a') + good.slice(6)
  check(!glif.validateAddressString(bad) && !(await peer.tryAsk(`addr ${bad}`)).ok, `bad checksum ${bad}`)
}

try {
  await dagCborTheirsToOurs(2000)
  await dagCborOursToTheirs(2000)
  await strictness()
  await cids(500)
  await multibases(500)
  await addresses(1000)
  console.log(JSON.stringify(counts))
} finally {
  peer.close()
}
