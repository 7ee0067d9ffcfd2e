/**
 * keepalived's health checks (TCP_CHECK) on the two-director topology: nginx stopped on a real
 * server and started again, read on the master's table and in the client's requests. keepalived
 * runs on both directors (each programs its own table), as in suites/ha/ha.test.ts.
 */
import { describe } from 'vitest'
import { evidence } from '../../fixtures/evidence'
import { figure } from '../../fixtures/figures'
import { oncePerKey } from '../../fixtures/once-per-key'
import type { Director } from '../../fixtures/nodes/director'
import type { RealServer } from '../../fixtures/nodes/real-server'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { parseIpvsList } from '../../lab/ipvs'
import { tcpCheck, type KeepalivedService } from '../../lab/keepalived/vrrp-conf'
import { haDrTopology } from '../../topologies/ha-dr'
import { describeHealthRun, inhibited, putBack, takenOut, type HealthRun } from './health-checks'
import { haTest, type HaFixtures } from './ha-fixtures'

const vip = haDrTopology.vip
const delayLoop = 2
const toleranceSeconds = 2
const realServerAddresses = haDrTopology.nodes.filter((n) => n.role === 'real-server').map((n) => n.interfaces[0]!.address)

const test = haTest.extend<{ nginxRestored: void }>({
  // nginx's running is no part of the spec the guard reads: a test that stops it gets it back here
  nginxRestored: [
    async ({ realServers }, use) => {
      await use()
      await Promise.all(realServers.map((rs) => rs.serveHttp()))
    },
    { auto: true },
  ],
})

/** Polls the director until the server's line in -Ln meets `condition` (awk on its weight, $4; `line` empty when unlisted); its clock then, and the listing. */
async function pollTable(director: Director, port: number, server: string, condition: string, limitSeconds: number) {
  const out = await director.sh(
    `start=\${EPOCHREALTIME/[.,]/}; at=never
while :; do
  now=\${EPOCHREALTIME/[.,]/}
  line=$(ipvsadm -L -n -t ${vip}:${port} | awk '$2 == "${server}:${port}"')
  w=$(printf '%s\\n' "$line" | awk '{print $4}')
  if ${condition}; then at=$now; break; fi
  [ $(( now - start )) -ge ${limitSeconds * 1_000_000} ] && break
  sleep 0.1
done
echo "@@at $at"
ipvsadm -L -n -t ${vip}:${port}`,
    (limitSeconds + 30) * 1000,
    { readOnly: true },
  )
  const at = /^@@at (\d+)$/m.exec(out)?.[1]
  // `-L -n -t` prints no version banner: the listing starts at its title line
  const listing = out.slice(out.indexOf('Prot LocalAddress'))
  const entry = parseIpvsList(listing).services[0]?.realServers.find((r) => r.address === server && r.port === port)
  return { at: at === undefined ? undefined : Number(at) / 1e6, entry, listing }
}

const stamp = async (rs: RealServer, script: string) => Number(/^@@at (\d+)$/m.exec(await rs.sh(`echo "@@at \${EPOCHREALTIME/[.,]/}"\n${script}`))?.[1] ?? NaN) / 1e6

describe('health checks: keepalived takes a dead real server out and puts it back', () => {
  const failBound = delayLoop + tcpCheck.retry * (tcpCheck.delayBeforeRetry + tcpCheck.connectTimeout)
  const service = (port: number, extra: Partial<KeepalivedService> = {}): KeepalivedService => ({ port, scheduler: 'rr', realServers: realServerAddresses, delayLoop, ...extra })

  async function healthRun({ pair, client, realServers: [rs], net }: HaFixtures, extra: Partial<KeepalivedService> = {}): Promise<HealthRun> {
    if (!rs) throw new Error('the topology has no real server')
    const port = net.freshPort()
    const url = `http://${vip}:${port}/`
    await pair.start({ services: [service(port, extra)] })
    const ask = async () => (await client.get(url, { times: 4 })).exchanges.map((x) => (x.status === 200 ? x.server : undefined))
    const stoppedAt = await stamp(rs, 'nginx -s stop\nwhile [ -s /run/nginx.pid ]; do sleep 0.05; done')
    const gone = await pollTable(pair.master, port, rs.address(), `[ -z "$line" ] || [ "$w" != 1 ]`, failBound + toleranceSeconds + 1)
    const answersWhileDown = await ask()
    const startedAt = await stamp(rs, 'nginx')
    const back = await pollTable(pair.master, port, rs.address(), `[ "$w" = 1 ]`, delayLoop + toleranceSeconds + 1)
    const answersWhileBack = await ask()
    const run: HealthRun = {
      server: { name: rs.name, address: rs.address() },
      changedAfter: gone.at === undefined ? undefined : gone.at - stoppedAt,
      ...(gone.entry ? { whileDown: gone.entry } : {}),
      answersWhileDown,
      backAfter: back.at === undefined ? undefined : back.at - startedAt,
      ...(back.entry ? { whileBack: back.entry } : {}),
      answersWhileBack,
      failBound,
      returnBound: delayLoop,
      toleranceSeconds,
    }
    await evidence(`${pair.master.name}: ipvsadm -Ln -t ${vip}:${port} once the table changed for ${rs.name} (or the wait ended)`, gone.listing)
    await evidence(`${pair.master.name}: ipvsadm -Ln -t ${vip}:${port} once ${rs.name} was back (or the wait ended)`, back.listing)
    await evidence('what the run saw', describeHealthRun(run))
    return run
  }
  const variants = {
    checked: {},
    inhibited: { inhibitOnFailure: true },
    unchecked: { unchecked: [realServerAddresses[0]!] },
  } satisfies Record<string, Partial<KeepalivedService>>
  const runOf = oncePerKey((f: HaFixtures, variant: keyof typeof variants) => healthRun(f, variants[variant]), describeHealthRun)

  test(`nginx stopped on lvs-node-1: it leaves the table within delay_loop + retry x (delay_before_retry + connect_timeout) = ${failBound} s, and every new request is answered`, async ({
    pair,
    client,
    realServers,
    net,
    task,
  }) => {
    const run = await runOf({ pair, client, realServers, net }, 'checked')
    figure(task, 'health check: nginx stopped to the server out of the table', run.changedAfter, 's')
    await expectPass(takenOut(run))
  })

  test(`nginx back on lvs-node-1: it returns to the table within delay_loop = ${delayLoop} s and answers its turns`, async ({ pair, client, realServers, net, task }) => {
    const run = await runOf({ pair, client, realServers, net }, 'checked')
    figure(task, 'health check: nginx started to the server back at weight 1', run.backAfter, 's')
    await expectPass(putBack(run))
  })

  test('inhibit_on_failure: the failed server stays in the table at weight 0, every new request answered', async ({ pair, client, realServers, net }) => {
    await expectPass(inhibited(await runOf({ pair, client, realServers, net }, 'inhibited')))
  })

  test('negative control: no checker for lvs-node-1: it stays in the table and its turns go unanswered', async ({ pair, client, realServers, net }) => {
    await expectFail(takenOut(await runOf({ pair, client, realServers, net }, 'unchecked')))
  })
})
