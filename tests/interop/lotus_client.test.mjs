// Interop: the npm Lotus JS client (@filecoin-shipyard/lotus-client-rpc with
// its mainnet schema) calls Filecoin.Version and Filecoin.AuthVerify on our
// JSON-RPC server, over WebSocket and over HTTP, with tokens.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import path from 'node:path'
import { LotusRPC } from '@filecoin-shipyard/lotus-client-rpc'
import { NodejsProvider } from '@filecoin-shipyard/lotus-client-provider-nodejs'
import { mainnet } from '@filecoin-shipyard/lotus-client-schema'
import { buildDir, check } from './lib/peer.mjs'

const peer = spawn(path.join(buildDir(), 'tests/interop/fil_interop_rpc_peer'), [], { stdio: ['pipe', 'pipe', 'inherit'] })
const firstLine = await new Promise((resolve, reject) => {
  createInterface({ input: peer.stdout }).once('line', resolve)
  peer.once('exit', (code) => reject(new Error(`peer exited with ${code}`)))
})
const [multiaddr, adminToken, readToken] = firstLine.split(' ')
const [, , host, , port] = multiaddr.split('/')

async function exercise (transport) {
  const url = transport === 'ws' ? `ws://${host}:${port}/rpc/v0` : `http://${host}:${port}/rpc/v0`
  const client = new LotusRPC(new NodejsProvider(url, { token: adminToken }), { schema: mainnet.fullNode })
  const version = await client.version()
  check(version.Version === '1.23.3+filstack', `${transport}: Version is ${JSON.stringify(version)}`)
  check(version.APIVersion === 66816, `${transport}: APIVersion ${version.APIVersion}`)
  check(version.BlockDelay === 4, `${transport}: BlockDelay ${version.BlockDelay}`)
  const perms = await client.authVerify(readToken)
  check(JSON.stringify(perms) === '["read"]', `${transport}: AuthVerify(read token) gave ${JSON.stringify(perms)}`)
  const adminPerms = await client.authVerify(adminToken)
  check(JSON.stringify(adminPerms) === '["read","write","sign","admin"]', `${transport}: admin perms ${JSON.stringify(adminPerms)}`)
  let refused = false
  try { await client.authVerify('not-a-token') } catch (e) { refused = /invalid token/.test(e.message) }
  check(refused, `${transport}: a forged token must be refused`)

  // A read-only token may not mint tokens: the permission error comes back as Lotus words it.
  const reader = new LotusRPC(new NodejsProvider(url, { token: readToken }), { schema: mainnet.fullNode })
  let denied = ''
  try { await reader.authNew(['admin']) } catch (e) { denied = e.message }
  check(denied.includes("missing permission to invoke 'Filecoin.AuthNew' (need 'admin')"), `${transport}: got '${denied}'`)
  if (transport === 'ws') { await client.destroy(); await reader.destroy() }
  console.log(`${transport}: Version ${version.Version} APIVersion ${version.APIVersion}, AuthVerify ok, permissions enforced`)
}

try {
  await exercise('ws')
  await exercise('http')
} finally {
  peer.stdin.end()
}
