/**
 * Persistence across a failover (two directors, keepalived): a persistent client's template
 * on the backup, and where the client lands once the backup holds the VIP.
 */
import { describe } from 'vitest'
import { evidence } from '../../fixtures/evidence'
import { oncePerKey } from '../../fixtures/once-per-key'
import { pollUntil } from '../../fixtures/shell-poll'
import { changedState } from '../../fixtures/lab-test'
import type { Client } from '../../fixtures/nodes/client'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { haDrTopology } from '../../topologies/ha-dr'
import { haTest, type HaFixtures } from './ha-fixtures'
import { describePersistRun, keepsItsServer, templateOf, type PersistRun } from './persistence-failover'

const vip = haDrTopology.vip
const realServerAddresses = haDrTopology.nodes.filter((n) => n.role === 'real-server').map((n) => n.interfaces[0]!.address)
/** A second client address on the segment: the decoy that moves the master's rr on first. */
const decoy = '172.16.100.60'

const test = haTest.extend<{ twoClients: Client }>({
  twoClients: changedState(async ({ client }) => (await client.addSourceAddresses([decoy]), client)),
})

describe('persistence across a failover: a persistent client and its template', () => {
  async function persistRun({ pair, client, realServers, net }: HaFixtures, syncDaemon: boolean): Promise<PersistRun> {
    const port = net.freshPort()
    const url = `http://${vip}:${port}/`
    const where = { vip, port, client: client.address() }
    await pair.start({ services: [{ port, scheduler: 'rr', realServers: realServerAddresses, delayLoop: 2, persistenceTimeout: 120 }], syncDaemon })
    // the decoy first: the master's rr gives the client the other server than a fresh rr (the backup's) would
    const first = await client.getMatrix(
      [
        { key: 'decoy', source: decoy, url },
        { key: 'client', source: client.address(), url },
      ],
      { times: 1 },
    )
    const before = first.bySource.get('client')?.[0]
    const template = `$3 == "NONE" || $3 == "ASSURED"` // a template's state column
    const match = `$4 == "${client.address()}:0" && $5 == "${vip}:${port}"`
    const [masterText, backupText] = await Promise.all([
      pair.master.sh('ipvsadm -L -n -c', undefined, { readOnly: true }),
      pair.backup.sh(`${pollUntil(`ipvsadm -L -n -c | awk '${match} && (${template})' | grep -q .`, { seconds: 5 })}\nipvsadm -L -n -c`, 30_000, {
        readOnly: true,
      }),
    ])
    await pair.stop(pair.master)
    await pair.waitForVip(pair.backup, 8)
    // the backup's gratuitous ARP moves the client's neighbour entry: wait for it, then ask
    await client.sh(pollUntil(`ip neigh show ${vip} | grep -q '${pair.backup.mac()}'`, { seconds: 5 }), undefined, { readOnly: true })
    const after = await client.getFrom(url, [client.address()], { times: 4 })
    const run: PersistRun = {
      syncDaemon,
      client: client.address(),
      ...(before?.status === 200 && before.server ? { before: before.server } : {}),
      masterTemplate: templateOf(masterText, where),
      backupTemplate: templateOf(backupText, where),
      after: (after.bySource.get(client.address()) ?? []).map((x) => (x.status === 200 ? x.server : undefined)),
      servers: realServers.map((rs) => ({ name: rs.name, address: rs.address() })),
    }
    await evidence(`${pair.master.name} (master): ipvsadm -Lnc after the decoy and the client`, masterText)
    await evidence(`${pair.backup.name} (backup): ipvsadm -Lnc before the failover`, backupText)
    await evidence('what the run saw', describePersistRun(run))
    return run
  }
  const runOf = oncePerKey(persistRun, describePersistRun)

  test('with the sync daemon, the backup holds the client’s template and the client keeps its real server after the failover', async ({
    twoClients: _,
    pair,
    client,
    realServers,
    net,
  }) => {
    await expectPass(keepsItsServer(await runOf({ pair, client, realServers, net }, true)))
  })

  test('negative control: without the sync daemon the backup has no template and its rr places the client afresh', async ({ twoClients: _, pair, client, realServers, net }) => {
    await expectFail(keepsItsServer(await runOf({ pair, client, realServers, net }, false)))
  })
})
