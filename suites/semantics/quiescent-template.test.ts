/**
 * expire_quiescent_template (Documentation/networking/ipvs-sysctl.rst), on the NAT topology:
 * a persistent client whose real server is set to weight 0, at the default and changed, the one
 * the other's control.
 */
import { describe } from 'vitest'
import { evidence } from '../../fixtures/evidence'
import type { Director } from '../../fixtures/nodes/director'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { freshService, knobTest, oncePerValue, realServerAddresses, setKnob, vip, type KnobFixtures } from './knob-test'
import { clientTemplate, describeQuiescentRun, movedOffQuiesced, stillOnQuiesced, type QuiescentRun } from './quiescent-template'

const test = knobTest.extend<{ quiescentExpiring: Director }>({
  quiescentExpiring: setKnob('expire_quiescent_template', '1'),
})

describe('expire_quiescent_template: a persistent client whose real server is set to weight 0', () => {
  const persistSeconds = 120
  /**
   * rr with -p 120 over both servers: one request makes the client's template; its server is
   * then set to weight 0 and the client asks twice more (each request a new connection).
   */
  async function quiescentRun({ director, client, realServers, net }: KnobFixtures, value: number): Promise<QuiescentRun> {
    const port = net.freshPort()
    const url = `http://${vip}:${port}/`
    const startingState = await freshService(director, port, 80, 'expire_quiescent_template', { flags: `-p ${persistSeconds}` })
    const first = (await client.get(url, { times: 1 })).exchanges[0]
    const server = realServers.find((rs) => rs.name === first?.server)
    if (!server) throw new Error(`the first request to ${url} was not answered by a real server (${first?.server ?? 'no answer'})`)
    const quiesced = await director.sh(`ipvsadm -L -n -c\necho @@quiesced\nipvsadm -e -t ${vip}:${port} -r ${server.address()}:80 -m -w 0\nipvsadm -L -n -t ${vip}:${port}`)
    const after = await client.get(url, { times: 2 })
    const later = await director.sh('ipvsadm -L -n -c', undefined, { readOnly: true })
    const [beforeText = ''] = quiesced.split('@@quiesced\n')
    const where = { vip, port, client: client.address() }
    const run: QuiescentRun = {
      knob: value,
      firstServer: first?.server,
      afterServers: after.exchanges.map((x) => (x.status === 200 ? x.server : undefined)),
      templateBefore: clientTemplate(beforeText, where),
      templateAfter: clientTemplate(later, where),
      servers: realServers.map((rs) => ({ name: rs.name, address: rs.address() })),
    }
    await evidence('starting state', `${startingState}; -s rr -p ${persistSeconds} over ${realServerAddresses.join(', ')}`)
    await evidence(`ipvsadm -Lnc after the first request, then ${server.name} set to weight 0 (-Ln)`, quiesced)
    await evidence('ipvsadm -Lnc after the requests that followed', later)
    await evidence('what the run saw', describeQuiescentRun(run))
    return run
  }
  const runAt = oncePerValue(quiescentRun, describeQuiescentRun)

  test('expire_quiescent_template=0 (the default): the persistent client keeps going to its server at weight 0', async ({ director, client, realServers, net }) => {
    await expectPass(stillOnQuiesced(await runAt({ director, client, realServers, net }, 0)))
  })

  test('expire_quiescent_template=1: the template is expired and the client goes to a live server', async ({ quiescentExpiring: _, director, client, realServers, net }) => {
    await expectPass(movedOffQuiesced(await runAt({ director, client, realServers, net }, 1)))
  })

  describe('negative controls: each value is the other one’s control', () => {
    test('at 1 the keeps-its-server check fails', async ({ quiescentExpiring: _, director, client, realServers, net }) => {
      await expectFail(stillOnQuiesced(await runAt({ director, client, realServers, net }, 1)))
    })
    test('at 0 the goes-to-a-live-server check fails', async ({ director, client, realServers, net }) => {
      await expectFail(movedOffQuiesced(await runAt({ director, client, realServers, net }, 0)))
    })
  })
})
