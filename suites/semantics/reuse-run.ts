/**
 * One conn_reuse_mode run, for NAT and for DR: a GET from a fixed source port (nginx closes
 * first, so the director's entry waits in TIME_WAIT, NAT, or FIN_WAIT, DR), its server set to
 * weight 0, then a GET from the same port while the old entry is there.
 */
import { evidence } from '../../fixtures/evidence'
import { pollUntil } from '../../fixtures/shell-poll'
import type { Client } from '../../fixtures/nodes/client'
import { parseCurlTransfers, transferMarker } from '../../lab/http/curl-transfers'
import { describeReuseRun, reuseState, type ReuseRun } from './conn-reuse'
import { freshService, type KnobFixtures } from './knob-test'
import { clientEntry } from './sloppy-tcp'

/** Source ports below the ephemeral range, one per run: nothing else of the client's holds them. */
let nextSourcePort = 5000

/** One GET from a fixed source port: the server that answered and curl's time_connect. */
async function getFromPort(client: Client, url: string, sourcePort: number) {
  const out = await client.sh(
    `curl -s -D - --local-port ${sourcePort} --connect-timeout 3 --max-time 6 -w '\\n${transferMarker} %{http_code} %{num_connects} %{local_port} %{exitcode} key=%{time_connect}\\n' '${url}' || true`,
    undefined,
    { readOnly: true },
  )
  const [x] = parseCurlTransfers(out)
  return { server: x?.status === 200 ? x.server : undefined, connectSeconds: x?.key === undefined ? undefined : Number(x.key), raw: out }
}

export interface ReuseSetUp {
  mode: 'nat' | 'dr'
  vip: string
  /** `-m` or `-g`. */
  method: string
  servers: string[]
  /** NAT reaches nginx on 80; DR keeps the virtual port. */
  serverPort: (port: number) => number
}

export async function reuseRun({ director, client, realServers, net }: KnobFixtures, value: number, s: ReuseSetUp): Promise<ReuseRun> {
  const port = net.freshPort()
  const sourcePort = nextSourcePort++
  const url = `http://${s.vip}:${port}/`
  const serverPort = s.serverPort(port)
  const startingState = await freshService(director, port, serverPort, 'conn_reuse_mode', { vip: s.vip, method: s.method, servers: s.servers })
  const first = await getFromPort(client, url, sourcePort)
  const server = realServers.find((rs) => rs.name === first.server)
  if (!server) throw new Error(`the first request to ${url} was not answered by a real server (${first.server ?? 'no answer'})`)
  const state = reuseState[s.mode]
  const match = `$4 == "${client.address()}:${sourcePort}" && $5 == "${s.vip}:${port}"`
  const quiesced = await director.sh(`
${pollUntil(`ipvsadm -L -n -c | awk '${match} && $3 == "${state}"' | grep -q .`, { seconds: 5 })}
ipvsadm -e -t ${s.vip}:${port} -r ${server.address()}:${serverPort} ${s.method} -w 0
ipvsadm -L -n -c`)
  const second = await getFromPort(client, url, sourcePort)
  const after = await director.sh('ipvsadm -L -n -c', undefined, { readOnly: true })
  const where = { port, client: client.address() }
  const run: ReuseRun = {
    knob: value,
    mode: s.mode,
    sourcePort,
    firstServer: first.server,
    oldEntry: clientEntry(quiesced, where),
    secondServer: second.server,
    reuseConnectSeconds: second.connectSeconds,
    entryAfter: clientEntry(after, where),
  }
  await evidence('starting state', startingState)
  await evidence(`ipvsadm -Lnc once the first connection's entry is ${state}, ${server.name} then at weight 0`, quiesced)
  await evidence('the reusing request (curl -D -, time_connect in key=)', second.raw)
  await evidence('ipvsadm -Lnc after it', after)
  await evidence('what the run saw', describeReuseRun(run))
  return run
}
