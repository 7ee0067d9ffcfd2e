/**
 * conn_reuse_mode (Documentation/networking/ipvs-sysctl.rst), NAT: a client reuses its source
 * port while the director still holds the old connection's entry in TIME_WAIT, the old
 * server at weight 0; at 0 and at 1 (the default), the one the other's control.
 */
import { describe } from 'vitest'
import { evidence } from '../../fixtures/evidence'
import type { Client } from '../../fixtures/nodes/client'
import type { Director } from '../../fixtures/nodes/director'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { parseCurlTransfers, transferMarker } from '../../lab/http/curl-transfers'
import { describeReuseRun, followsOldEntry, rescheduledOnReuse, reuseState, type ReuseRun } from './conn-reuse'
import { freshService, knobTest, oncePerValue, setKnob, vip, type KnobFixtures } from './knob-test'
import { clientEntry } from './sloppy-tcp'

const test = knobTest.extend<{ reuseOff: Director }>({
  reuseOff: setKnob('conn_reuse_mode', '0'),
})

/** Source ports below the ephemeral range, one per run: nothing else of the client's holds them. */
let nextSourcePort = 5000

/** One GET from a fixed source port: the server that answered and curl's time_connect. */
async function getFromPort(client: Client, url: string, sourcePort: number) {
  const out = await client.sh(
    `curl -s -D - --local-port ${sourcePort} --connect-timeout 3 --max-time 6 -w '\\n${transferMarker} %{http_code} %{num_connects} %{local_port} %{exitcode} key=%{time_connect}\\n' '${url}' || true`,
    undefined,
    {
      readOnly: true,
    },
  )
  const [x] = parseCurlTransfers(out)
  return { server: x?.status === 200 ? x.server : undefined, connectSeconds: x?.key === undefined ? undefined : Number(x.key), raw: out }
}

describe('conn_reuse_mode: a client reuses its source port while the old entry is in TIME_WAIT (NAT)', () => {
  async function reuseRun({ director, client, realServers, net }: KnobFixtures, value: number): Promise<ReuseRun> {
    const port = net.freshPort()
    const sourcePort = nextSourcePort++
    const url = `http://${vip}:${port}/`
    const startingState = await freshService(director, port, 80, 'conn_reuse_mode')
    const first = await getFromPort(client, url, sourcePort)
    const server = realServers.find((rs) => rs.name === first.server)
    if (!server) throw new Error(`the first request to ${url} was not answered by a real server (${first.server ?? 'no answer'})`)
    const match = `$4 == "${client.address()}:${sourcePort}" && $5 == "${vip}:${port}"`
    // nginx closes first: the entry goes to TIME_WAIT as the last acknowledgement passes
    const quiesced = await director.sh(`
for i in $(seq 50); do ipvsadm -L -n -c | awk '${match} && $3 == "${reuseState.nat}"' | grep -q . && break; sleep 0.1; done
ipvsadm -e -t ${vip}:${port} -r ${server.address()}:80 -m -w 0
ipvsadm -L -n -c`)
    const second = await getFromPort(client, url, sourcePort)
    const after = await director.sh('ipvsadm -L -n -c', undefined, { readOnly: true })
    const where = { port, client: client.address() }
    const run: ReuseRun = {
      knob: value,
      mode: 'nat',
      sourcePort,
      firstServer: first.server,
      oldEntry: clientEntry(quiesced, where),
      secondServer: second.server,
      reuseConnectSeconds: second.connectSeconds,
      entryAfter: clientEntry(after, where),
    }
    await evidence('starting state', startingState)
    await evidence(`ipvsadm -Lnc once the first connection's entry is ${reuseState.nat}, ${server.name} then at weight 0`, quiesced)
    await evidence('the reusing request (curl -D -, time_connect in key=)', second.raw)
    await evidence('ipvsadm -Lnc after it', after)
    await evidence('what the run saw', describeReuseRun(run))
    return run
  }
  const runAt = oncePerValue(reuseRun, describeReuseRun)

  test('conn_reuse_mode=1 (the default): the reusing connection is scheduled afresh, away from the weight-0 server, with no 1 s stall', async ({
    director,
    client,
    realServers,
    net,
  }) => {
    await expectPass(rescheduledOnReuse(await runAt({ director, client, realServers, net }, 1)))
  })

  test('conn_reuse_mode=0: the reusing connection follows the old entry to its server, at weight 0', async ({ reuseOff: _, director, client, realServers, net }) => {
    await expectPass(followsOldEntry(await runAt({ director, client, realServers, net }, 0)))
  })

  describe('negative controls: each value is the other one’s control', () => {
    test('at 0 the scheduled-afresh check fails', async ({ reuseOff: _, director, client, realServers, net }) => {
      await expectFail(rescheduledOnReuse(await runAt({ director, client, realServers, net }, 0)))
    })
    test('at 1 the follows-the-old-entry check fails', async ({ director, client, realServers, net }) => {
      await expectFail(followsOldEntry(await runAt({ director, client, realServers, net }, 1)))
    })
  })
})
