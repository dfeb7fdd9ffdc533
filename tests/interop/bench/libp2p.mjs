// libp2p figures, ours beside js-libp2p in the same run (make bench): one
// stream's throughput over loopback TCP (Noise + yamux) and handshakes per
// second (TCP connect, Noise XX, yamux, until the connection is usable),
// plus libsodium's ChaCha20-Poly1305 alone on one core, the cipher every
// byte passes through twice. Both stacks run sender and receiver as two
// processes (js) or two threads with an event loop each (ours).
//
//   FIL_BUILD_DIR=build node tests/interop/bench/libp2p.mjs
if (typeof Promise.withResolvers !== 'function') {  // js-libp2p 3.x on Node 20
  Promise.withResolvers = function () {
    let resolve, reject
    const promise = new Promise((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}

const { fork, execFileSync } = await import('node:child_process')
const { createInterface } = await import('node:readline')
const { randomBytes } = await import('node:crypto')
const path = (await import('node:path')).default
const { createLibp2p } = await import('libp2p')
const { tcp } = await import('@libp2p/tcp')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { identify } = await import('@libp2p/identify')
const { ping } = await import('@libp2p/ping')
const { multiaddr } = await import('@multiformats/multiaddr')

const SINK = '/bench/sink/1.0.0'
const TOTAL = 256 * 1024 * 1024  // as bench_net's BM_StreamThroughput/256
const CHUNK = 256 * 1024

async function node () {
  return createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), ping: ping() },
    // js-libp2p limits inbound connections per host per second by default,
    // which a handshake benchmark would trip.
    connectionManager: { maxConnections: 100000, inboundConnectionThreshold: 1e9, maxIncomingPendingConnections: 1000 }
  })
}

if (process.argv[2] === 'receiver') {
  // The receiving process: drains sink streams, says where it listens.
  const receiver = await node()
  await receiver.handle(SINK, async (stream) => {
    for await (const chunk of stream) void chunk
    await stream.close()
  })
  console.log(receiver.getMultiaddrs()[0].toString())
  process.on('message', () => {
    const u = process.cpuUsage()
    process.send((u.user + u.system) / 1e6)
  })
  process.stdin.resume()
  process.stdin.on('end', async () => { await receiver.stop(); process.exit(0) })
} else {
  const child = fork(process.argv[1], ['receiver'], { stdio: ['pipe', 'pipe', 'inherit', 'ipc'] })
  const address = await new Promise((resolve) => createInterface({ input: child.stdout }).once('line', resolve))
  const sender = await node()
  const chunk = randomBytes(CHUNK)

  // CPU seconds of both processes, to rate bytes per CPU-second as well as
  // per second: other work on the machine skews the wall clock.
  function cpuSeconds () {
    const u = process.cpuUsage()
    return new Promise((resolve) => {
      child.once('message', (childCpu) => resolve((u.user + u.system) / 1e6 + childCpu))
      child.send('cpu')
    })
  }

  let cpuStart = 0
  async function transfer () {
    const stream = await sender.dialProtocol(multiaddr(address), SINK)
    cpuStart = await cpuSeconds()
    const start = process.hrtime.bigint()
    for (let sent = 0; sent < TOTAL; sent += CHUNK) {
      if (!stream.send(chunk)) await stream.onDrain()
    }
    await stream.close()
    for await (const rest of stream) void rest  // until the receiver closes: it has read everything
    return TOTAL / (Number(process.hrtime.bigint() - start) / 1e9)
  }
  await transfer()  // warm up the JIT and the connection
  let jsThroughput = 0
  let jsPerCpu = 0
  for (let i = 0; i < 3; i++) {
    jsThroughput = Math.max(jsThroughput, await transfer())
    jsPerCpu = Math.max(jsPerCpu, TOTAL / ((await cpuSeconds()) - cpuStart))
  }

  async function handshakes (seconds) {
    const target = multiaddr(address.split('/p2p/')[0] + '/p2p/' + address.split('/p2p/')[1])
    let n = 0
    const start = process.hrtime.bigint()
    const end = start + BigInt(seconds * 1e9)
    while (process.hrtime.bigint() < end) {
      const connection = await sender.dial(target, { force: true })
      // abort(): close() waits on a graceful shutdown that is not part of a
      // handshake; ours is measured the same way (the dial returns, then the
      // connection is dropped without waiting).
      connection.abort(new Error('benchmark: next handshake'))
      n++
    }
    return n / (Number(process.hrtime.bigint() - start) / 1e9)
  }
  await handshakes(1)
  const jsHandshakes = await handshakes(3)
  await sender.stop()
  child.stdin.end()

  const buildDir = process.env.FIL_BUILD_DIR ?? path.resolve(import.meta.dirname, '../../../build')
  const report = JSON.parse(execFileSync(path.join(buildDir, 'bench/bench_net'),
    ['--benchmark_format=json', '--benchmark_min_time=1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))
  const find = (name) => report.benchmarks.find((b) => b.name === name || b.name.startsWith(name + '/'))
  const chacha = find('BM_ChaCha20Poly1305').bytes_per_second
  const chachaOpenSsl = find('BM_ChaCha20Poly1305OpenSsl').bytes_per_second
  const ours = find('BM_StreamThroughput').bytes_per_second
  const oursPerCpu = find('BM_StreamThroughput').bytes_per_cpu_second
  const ourHandshakes = find('BM_Handshakes')['handshakes/s']

  const mb = (x) => (x / 1e6).toFixed(0).padStart(6)
  console.log(`machine: ${report.context.num_cpus} CPUs, load average ${report.context.load_avg?.map((x) => x.toFixed(2)).join(' ') ?? '?'}`)
  console.log(`one stream, ${TOTAL >> 20} MiB over loopback TCP + Noise + yamux`)
  console.log(`  ours       ${mb(ours)} MB/s`)
  console.log(`  js-libp2p  ${mb(jsThroughput)} MB/s   ours / js = ${(ours / jsThroughput).toFixed(1)}x`)
  console.log(`  ChaCha20-Poly1305 alone, one core, libsodium ${mb(chacha)} MB/s   cipher / ours = ${(chacha / ours).toFixed(2)}x`)
  console.log(`  ChaCha20-Poly1305 alone, one core, OpenSSL   ${mb(chachaOpenSsl)} MB/s   (the transport's cipher)`)
  console.log('the same per CPU-second (sender and receiver together; each byte is sealed and opened once)')
  console.log(`  ours       ${mb(oursPerCpu)} MB/CPU-s`)
  console.log(`  js-libp2p  ${mb(jsPerCpu)} MB/CPU-s   ours / js = ${(oursPerCpu / jsPerCpu).toFixed(1)}x`)
  console.log(`  sealing and opening alone: libsodium ${mb(chacha / 2)}, OpenSSL ${mb(chachaOpenSsl / 2)} MB/CPU-s`)
  console.log('handshakes per second (TCP + Noise XX + yamux, then close)')
  console.log(`  ours       ${ourHandshakes.toFixed(0).padStart(6)} /s`)
  console.log(`  js-libp2p  ${jsHandshakes.toFixed(0).padStart(6)} /s   ours / js = ${(ourHandshakes / jsHandshakes).toFixed(1)}x`)
}
