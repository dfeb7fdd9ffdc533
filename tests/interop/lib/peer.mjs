// Talks to one of our C++ interop peers over stdin/stdout, one line per
// request and per answer.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import path from 'node:path'

export function buildDir () {
  const dir = process.env.FIL_BUILD_DIR
  if (!dir) throw new Error('FIL_BUILD_DIR is not set (run through ctest)')
  return dir
}

export class Peer {
  constructor (binary) {
    this.proc = spawn(path.join(buildDir(), binary), [], { stdio: ['pipe', 'pipe', 'inherit'] })
    this.lines = createInterface({ input: this.proc.stdout })
    this.waiting = []
    this.lines.on('line', (line) => this.waiting.shift()(line))
  }

  // Sends a request and returns the answer without "ok "; throws on "err".
  async ask (request) {
    const line = await new Promise((resolve) => {
      this.waiting.push(resolve)
      this.proc.stdin.write(request + '\n')
    })
    if (line.startsWith('ok ')) return line.slice(3)
    if (line === 'ok') return ''
    throw new Error(`${request.slice(0, 120)} -> ${line}`)
  }

  // Like ask(), but returns the error text instead of throwing.
  async tryAsk (request) {
    try {
      return { ok: true, value: await this.ask(request) }
    } catch (e) {
      return { ok: false, error: e.message }
    }
  }

  close () {
    this.proc.stdin.end()
  }
}

// A small deterministic PRNG (mulberry32) so a failure can be replayed from its seed.
export function rng (seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (n) => Math.floor(next() * n),
    bytes: (n) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256)),
    pick: (list) => list[Math.floor(next() * list.length)]
  }
}

export const toHex = (b) => Buffer.from(b).toString('hex')
export const fromHex = (h) => new Uint8Array(Buffer.from(h, 'hex'))

export function check (condition, message) {
  if (!condition) throw new Error(message)
}
