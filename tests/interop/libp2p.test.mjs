// Interop: our libp2p host (lotus-shed p2p) and js-libp2p 3.x (TCP, Noise,
// yamux, identify, ping) connect both ways. Each side pings the other, sees
// the other's protocols and listen addresses through identify, and a custom
// echo protocol carries 64 MiB in each direction with every byte checked.
// A js node with a secp256k1 identity dials us too, and js reads the host key
// that `lotus-shed keyinfo new libp2p-host` writes.

// js-libp2p 3.x uses Promise.withResolvers (Node 22+); Node 20 needs it
// added before libp2p is loaded, hence the dynamic imports below.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function () {
    let resolve, reject
    const promise = new Promise((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}

const { spawn, execFile } = await import('node:child_process')
const { createInterface } = await import('node:readline')
const { randomBytes, timingSafeEqual } = await import('node:crypto')
const { mkdtempSync, readFileSync } = await import('node:fs')
const { tmpdir } = await import('node:os')
const path = (await import('node:path')).default
const { createLibp2p } = await import('libp2p')
const { tcp } = await import('@libp2p/tcp')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { identify } = await import('@libp2p/identify')
const { ping } = await import('@libp2p/ping')
const { generateKeyPair, privateKeyFromProtobuf } = await import('@libp2p/crypto/keys')
const { peerIdFromPrivateKey, peerIdFromString } = await import('@libp2p/peer-id')
const { multiaddr } = await import('@multiformats/multiaddr')

const ECHO = '/echo/1.0.0'
const SIZE = 64 * 1024 * 1024
const buildDir = process.env.FIL_BUILD_DIR
if (!buildDir) throw new Error('FIL_BUILD_DIR is not set (run through ctest)')
const shed = path.join(buildDir, 'bin/lotus-shed')

let failures = 0
function check (cond, what) {
  if (cond) {
    console.log(`ok   ${what}`)
  } else {
    console.log(`FAIL ${what}`)
    failures++
  }
}

async function jsNode (privateKey) {
  const node = await createLibp2p({
    ...(privateKey ? { privateKey } : {}),
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), ping: ping() }
  })
  await node.handle(ECHO, async (stream) => {
    for await (const chunk of stream) {
      if (!stream.send(chunk)) await stream.onDrain()
    }
    await stream.close()
  })
  return node
}

// Sends `data` over an echo stream while reading it back; returns what came back.
async function echoThrough (stream, data) {
  const writer = (async () => {
    for (let at = 0; at < data.length; at += 256 * 1024) {
      if (!stream.send(data.subarray(at, at + 256 * 1024))) await stream.onDrain()
    }
    await stream.close()
  })()
  const back = Buffer.alloc(data.length)
  let got = 0
  for await (const chunk of stream) {
    for (const piece of (chunk instanceof Uint8Array ? [chunk] : chunk)) {
      if (got + piece.length > back.length) throw new Error('echoed more than was sent')
      back.set(piece, got)
      got += piece.length
    }
  }
  await writer
  return back.subarray(0, got)
}

function sameBytes (a, b) {
  return a.length === b.length && timingSafeEqual(a, b)
}

// Asynchronous, so the js nodes in this process keep serving meanwhile.
function run (args) {
  return new Promise((resolve, reject) => {
    execFile(shed, args, { encoding: 'utf8', timeout: 300_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (stderr) process.stderr.write(stderr)
      if (error) reject(new Error(`lotus-shed ${args.join(' ')}: ${error.message}\n${stdout}`))
      else resolve(stdout)
    })
  })
}

const work = mkdtempSync(path.join(tmpdir(), 'fil-libp2p-'))

// ---- the host key, as Lotus stores it ---------------------------------------
const keyFile = path.join(work, 'host.keyinfo')
const shedPeerId = (await run(['keyinfo', 'new', 'libp2p-host', '--output', keyFile])).trim()
const keyInfo = JSON.parse(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex').toString())
check(keyInfo.Type === 'libp2p-host', 'keyinfo type is libp2p-host')
const jsView = peerIdFromPrivateKey(privateKeyFromProtobuf(Buffer.from(keyInfo.PrivateKey, 'base64')))
check(jsView.toString() === shedPeerId, `js reads our host key as ${shedPeerId}`)
check((await run(['keyinfo', 'info', '--format', '{{ .Address }}', keyFile])).trim() === shedPeerId, 'keyinfo info prints the peer ID')

// ---- js dials us ------------------------------------------------------------
const listener = spawn(shed, ['p2p', 'listen', '--listen', '/ip4/127.0.0.1/tcp/0'], { stdio: ['ignore', 'pipe', 'inherit'] })
const lines = createInterface({ input: listener.stdout })
const seen = []
const waiters = []
lines.on('line', (line) => {
  seen.push(line)
  for (const w of [...waiters]) w()
})
async function waitForLine (predicate, what, ms = 20000) {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const line = seen.find(predicate)
    if (line !== undefined) return line
    await new Promise((resolve) => { waiters.push(resolve); setTimeout(resolve, 100) })
    waiters.length = 0
  }
  throw new Error(`timed out waiting for ${what}; got:\n${seen.join('\n')}`)
}

try {
  const ourAddress = await waitForLine((l) => l.startsWith('/ip4/127.0.0.1/tcp/'), 'the listen address')
  const ourPeer = ourAddress.split('/p2p/')[1]
  console.log(`our host: ${ourAddress}`)

  const js = await jsNode()
  const jsPeer = js.peerId.toString()
  const rtt = await js.services.ping.ping(multiaddr(ourAddress))
  check(Number.isFinite(rtt) && rtt >= 0, `js pings us (${rtt} ms)`)

  // js's view of us, through identify.
  let us
  for (let i = 0; i < 100; i++) {
    us = await js.peerStore.get(peerIdFromString(ourPeer)).catch(() => undefined)
    if (us?.protocols?.includes(ECHO)) break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  for (const p of [ECHO, '/ipfs/id/1.0.0', '/ipfs/ping/1.0.0', '/ipfs/id/push/1.0.0']) {
    check(us?.protocols?.includes(p), `js sees our protocol ${p}`)
  }
  const ourListen = ourAddress.split('/p2p/')[0]
  check(us?.addresses?.some((a) => a.multiaddr.toString() === ourListen), `js sees our listen address ${ourListen}`)

  // Our view of js.
  await waitForLine((l) => l.startsWith(`peer ${jsPeer} protocol ${ECHO}`), 'our identify of js')
  check(seen.includes(`peer ${jsPeer} protocol /ipfs/ping/1.0.0`), 'we see js\'s ping protocol')
  for (const a of js.getMultiaddrs()) {
    const bare = a.toString().split('/p2p/')[0]
    check(seen.includes(`peer ${jsPeer} address ${bare}`), `we see js's listen address ${bare}`)
  }
  check(seen.some((l) => l.startsWith(`peer ${jsPeer} agent js-libp2p/`)), 'we see js\'s agent version')

  // 64 MiB to our echo and back.
  const data = randomBytes(SIZE)
  let start = Date.now()
  const stream = await js.dialProtocol(multiaddr(ourAddress), ECHO)
  const back = await echoThrough(stream, data)
  check(sameBytes(back, data), `64 MiB js -> us -> js, bytes checked (${((Date.now() - start) / 1000).toFixed(2)} s)`)

  // A js peer with a secp256k1 identity: we verify its signature in the handshake.
  const secp = await jsNode(await generateKeyPair('secp256k1'))
  check(secp.peerId.toString().startsWith('16Uiu2'), 'js secp256k1 peer ID')
  const secpRtt = await secp.services.ping.ping(multiaddr(ourAddress))
  check(Number.isFinite(secpRtt), 'secp256k1 js peer pings us')
  await waitForLine((l) => l.startsWith(`peer ${secp.peerId.toString()} agent`), 'our identify of the secp256k1 peer')
  await secp.stop()

  // ---- we dial js -----------------------------------------------------------
  const jsAddress = js.getMultiaddrs().find((a) => a.toString().startsWith('/ip4/127.0.0.1/')).toString()
  const pinged = await run(['p2p', 'ping', '--count', '3', '--key', keyFile, '--listen', '/ip4/127.0.0.1/tcp/0', jsAddress])
  console.log(pinged)
  check((pinged.match(/Pong received: time=/g) ?? []).length === 3, 'we ping js three times')
  check(pinged.includes(`Peer:             ${jsPeer}`), 'we identify js')
  check(pinged.includes(`  ${ECHO}`) && pinged.includes('  /ipfs/ping/1.0.0') && pinged.includes('  /ipfs/id/1.0.0'),
    'we see js\'s protocols')
  check(js.getMultiaddrs().every((a) => pinged.includes(`  ${a.toString().split('/p2p/')[0]}`)), 'we see js\'s listen addresses')
  const shedListen = pinged.split('\n').find((l) => l.startsWith('Listening: '))?.slice('Listening: '.length).split('/p2p/')[0]
  const shedRecord = await js.peerStore.get(peerIdFromString(shedPeerId))
  check(shedRecord.protocols.includes(ECHO) && shedRecord.protocols.includes('/ipfs/ping/1.0.0'),
    'js sees the protocols of the host that dialed it')
  check(shedListen && shedRecord.addresses.some((a) => a.multiaddr.toString() === shedListen),
    `js sees the listen address of the host that dialed it (${shedListen})`)

  start = Date.now()
  const echoed = await run(['p2p', 'echo', '--size', String(SIZE), '--key', keyFile, jsAddress])
  console.log(echoed.trim())
  check(/Echoed 67108864 bytes each way/.test(echoed),
    `64 MiB us -> js -> us, bytes checked by us (${((Date.now() - start) / 1000).toFixed(2)} s)`)

  await js.stop()
} finally {
  listener.kill('SIGTERM')
}
const code = await new Promise((resolve) => listener.once('exit', (c, signal) => resolve(c ?? signal)))
check(code === 0, `our listener stops cleanly on SIGTERM (${code})`)

if (failures > 0) {
  console.log(`${failures} check(s) failed`)
  process.exit(1)
}
console.log('all libp2p interop checks passed')
