/**
 * The ipvsadm control surface the article lists, each command observed in the table and in
 * the traffic: services (-A/-E/-D), real servers (-a/-e/-d), clearing (-C), save and
 * restore (-S/-R), counters (-Z, --stats, --rate, --exact), connections (-L -c), timeouts
 * (--set, --timeout) and UDP services (-u). NAT with three real servers
 * (topologies/nat-three-servers.ts has the drawing).
 */
import { describe } from 'vitest'
import { evidence } from '../../fixtures/evidence'
import { describeScope, parseQuietStart, provenQuiet, quietStartScript } from '../../fixtures/quiet-start'
import type { TopologyFixtures } from '../../fixtures/lab-test'
import { topologyTest } from '../../fixtures/lab-test'
import { expectFail, expectPass } from '../../fixtures/verdict'
import type { HttpExchange } from '../../lab/http/curl-transfers'
import { parseIpvsRate, parseIpvsStats, parseIpvsThresholds, parseIpvsTimeout, type ServiceKey } from '../../lab/ipvs'
import { natThreeServersTopology } from '../../topologies/nat-three-servers'
import { strictCycle, weightedCycles, noneTo } from '../../checks/cycles'
import { addressOf, freshPort, heldPort, kernelOrder, node1, node2, node3, numbered, servers, serviceCommands, vip } from '../../fixtures/three-servers'
import {
  connectionsListed,
  exactAgrees,
  stillCounting,
  listedAs,
  rateAgrees,
  restoredIdentical,
  rescheduledEntries,
  serviceGone,
  statsCount,
  tableEmpty,
  thresholdsLost,
  timeoutsApply,
  udpBalanced,
  zeroed,
} from './checks'

const udpPort = 5353
const test = topologyTest(natThreeServersTopology).extend<{ endpoints: void }>({
  endpoints: [
    async ({ realServers }, use) => {
      await Promise.all(realServers.map(async (rs) => (await rs.serveHeldConnections(heldPort), await rs.serveUdp(udpPort))))
      await use()
    },
    { scope: 'file', auto: true },
  ],
})
type Fixtures = Pick<TopologyFixtures, 'director' | 'client'>

/** The walk's own port; every later observation takes a fresh one (entries outlive -C, and -e/-d leave real servers in the trash). */
const port = 80
const keyOf = (p: number): ServiceKey => ({ protocol: 'TCP', address: vip, port: p })
const serviceOf = (p: number) => `-t ${vip}:${p}`
const urlOf = (p: number) => `http://${vip}:${p}/`
const key = keyOf(port)
const service = serviceOf(port)
const weights = (w: number[]) => new Map(servers.map((s, i) => [s.address, w[i]!]))
const servedBy = (xs: HttpExchange[]) => {
  const m = new Map<string, number>()
  for (const x of xs) if (x.server) m.set(addressOf(x.server), (m.get(addressOf(x.server)) ?? 0) + 1)
  return m
}
const answeredOn = (xs: HttpExchange[]) => xs.flatMap((x) => (x.server ? [{ localPort: x.localPort, server: addressOf(x.server) }] : []))
const showExchanges = (xs: HttpExchange[]) => xs.map((x) => `${x.index + 1}. ${x.server ?? `(no answer, curl exit ${x.curlExit})`}`).join('\n')
/** With curl's local port per request (and a reused connection marked), to be matched with the kernel's entries. */
const showConnections = (xs: HttpExchange[]) =>
  xs.map((x) => `${x.index + 1}. ${x.server ?? `(no answer, curl exit ${x.curlExit})`} from port ${x.localPort}${x.newConnection ? '' : ' (reused)'}`).join('\n')
const defaultTimeouts = { tcp: 900, tcpFin: 120, udp: 300 }

/** A command, -Ln right after it (one round trip), then requests: what a person would look at. */
async function observe({ director, client }: Fixtures, url: string, what: string, times: number, ...commands: string[]) {
  const list = await director.ipvsadmThenList(...commands)
  const { exchanges } = await client.get(url, { times })
  await evidence(`ipvsadm -Ln after ${what}`, list.text)
  await evidence(`${times} requests after ${what}`, showExchanges(exchanges))
  return { list, exchanges }
}

/**
 * One walk through the service commands on vip:80, observed after each: -A rr with the
 * three servers at weights 3:2:1, -E to wrr, -e one to weight 0, -d it, -D the service.
 * `skip` leaves one command out (for the negative controls).
 */
async function serviceWalk(f: Fixtures, skip?: '-E' | '-D') {
  const p = skip ? freshPort() : port
  const service = serviceOf(p)
  const look = (what: string, times: number, ...commands: string[]) => observe(f, urlOf(p), what, times, ...commands)
  const added = await look('-A rr and -a x3 (weights 3:2:1)', 6, '-C', ...serviceCommands(service, { scheduler: 'rr', weights: [3, 2, 1], serverPort: 80 }))
  const edited = await look('-E -s wrr', 12, ...(skip !== '-E' ? [`-E ${service} -s wrr`] : []))
  const drained = await look(`-e ${node2} -w 0`, 6, `-e ${service} -r ${addressOf(node2)}:80 -m -w 0`)
  const deleted = await look(`-d ${node2}`, 6, `-d ${service} -r ${addressOf(node2)}:80`)
  const removed = await look('-D', 2, ...(skip !== '-D' ? [`-D ${service}`] : []))
  return { key: keyOf(p), added, edited, drained, deleted, removed }
}
let walk: ReturnType<typeof serviceWalk> | undefined
const theWalk = (f: Fixtures) => (walk ??= serviceWalk(f))

describe('ipvsadm: every command visible in the table and in the traffic', () => {
  describe('-A/-E/-D services and -a/-e/-d real servers', () => {
    test('-A -s rr with -a x3: listed as rr with weights 3:2:1, and rr ignores the weights (a strict cycle)', async ({ director, client }) => {
      const run = await theWalk({ director, client })
      await expectPass(listedAs(run.added.list.data, { ...key, scheduler: 'rr', weights: weights([3, 2, 1]) }, '-A/-a: listed'))
      await expectPass(strictCycle(run.added.exchanges, kernelOrder))
    })
    test('-E -s wrr: listed as wrr, and the same servers now get 3, 2 and 1 of every 6 requests', async ({ director, client }) => {
      const run = await theWalk({ director, client })
      await expectPass(listedAs(run.edited.list.data, { ...key, scheduler: 'wrr', weights: weights([3, 2, 1]) }, '-E: listed'))
      await expectPass(
        weightedCycles(
          run.edited.exchanges,
          new Map([
            [node1, 3],
            [node2, 2],
            [node3, 1],
          ]),
        ),
      )
    })
    test('-e -w 0: listed at weight 0, and it gets no new requests (drained)', async ({ director, client }) => {
      const run = await theWalk({ director, client })
      await expectPass(listedAs(run.drained.list.data, { ...key, scheduler: 'wrr', weights: weights([3, 0, 1]) }, '-e: listed'))
      await expectPass(
        noneTo(
          run.drained.exchanges.map((x) => x.server),
          node2,
          '-e -w 0: drained',
        ),
      )
    })
    test('-d: no longer listed, and never answers', async ({ director, client }) => {
      const run = await theWalk({ director, client })
      await expectPass(
        listedAs(
          run.deleted.list.data,
          {
            ...key,
            scheduler: 'wrr',
            weights: new Map([
              [addressOf(node1), 3],
              [addressOf(node3), 1],
            ]),
          },
          '-d: listed',
        ),
      )
      await expectPass(
        noneTo(
          run.deleted.exchanges.map((x) => x.server),
          node2,
          '-d: never answers',
        ),
      )
    })
    test('-D: the service is gone from -Ln and requests to it find nothing', async ({ director, client }) => {
      const run = await theWalk({ director, client })
      await expectPass(serviceGone(run.removed.list.data, key, run.removed.exchanges))
    })
    describe('negative controls', () => {
      test('-E left out: the wrr listing and per-cycle checks fail', async ({ director, client }) => {
        const run = await serviceWalk({ director, client }, '-E')
        await expectFail(listedAs(run.edited.list.data, { ...run.key, scheduler: 'wrr', weights: weights([3, 2, 1]) }, '-E: listed'))
        await expectFail(
          weightedCycles(
            run.edited.exchanges,
            new Map([
              [node1, 3],
              [node2, 2],
              [node3, 1],
            ]),
          ),
        )
      })
      test('-D left out: the service-gone check fails', async ({ director, client }) => {
        const run = await serviceWalk({ director, client }, '-D')
        await expectFail(serviceGone(run.removed.list.data, run.key, run.removed.exchanges))
      })
    })
  })

  describe('-C, and -S -n / -C / -R', () => {
    /** A table with a bit of everything -S can write: tcp, udp, fwmark, persistence with a mask, flags, weights, and thresholds. */
    const varied = [
      ...serviceCommands(service, { scheduler: 'wrr', weights: [3, 2, 1], serverOptions: ['-x 10 -y 5', '', ''] }),
      ...serviceCommands(`-u ${vip}:${udpPort}`, { scheduler: 'wlc', serverPort: udpPort }),
      ...serviceCommands('-f 7', { scheduler: 'sh', flags: 'sh-fallback,sh-port' }),
      ...serviceCommands(`-t ${vip}:443`, { scheduler: 'rr', weights: [1, 1, 2] }).map((l) => (l.startsWith('-A') ? `${l} -p 120 -M 255.255.255.0` : l)),
    ]
    async function saveRestore({ director }: Pick<TopologyFixtures, 'director'>, tamper?: string) {
      await director.ipvsadm('-C', ...varied)
      const before = await director.list()
      const thresholdsBefore = await director.sh('ipvsadm -Ln --thresholds')
      const saved = await director.sh(`ipvsadm -S -n > /run/ipvs-saved\n${tamper ?? 'cat'} < /run/ipvs-saved > /run/ipvs-restore\ncat /run/ipvs-saved`)
      await director.ipvsadm('-C')
      const cleared = await director.list()
      await director.sh('ipvsadm -R < /run/ipvs-restore')
      const after = await director.list()
      const thresholdsAfter = await director.sh('ipvsadm -Ln --thresholds')
      await evidence('ipvsadm -Ln before the save', before.text)
      await evidence('ipvsadm -S -n', saved)
      await evidence('ipvsadm -Ln after -C', cleared.text)
      await evidence('ipvsadm -Ln after -R', after.text)
      await evidence('ipvsadm -Ln --thresholds before and after', `${thresholdsBefore}\n---\n${thresholdsAfter}`)
      return { before, cleared, after, thresholdsBefore: parseIpvsThresholds(thresholdsBefore), thresholdsAfter: parseIpvsThresholds(thresholdsAfter) }
    }
    let run: ReturnType<typeof saveRestore> | undefined

    test('-C clears every service', async ({ director }) => {
      const r = await (run ??= saveRestore({ director }))
      await expectPass(tableEmpty(r.cleared.data))
    })
    test('-S -n, -C, -R restores a table identical to the saved one', async ({ director }) => {
      const r = await (run ??= saveRestore({ director }))
      await expectPass(restoredIdentical(r.before.data, r.after.data))
    })
    test('what a save does not carry: thresholds (-x/-y) come back as 0', async ({ director }) => {
      const r = await (run ??= saveRestore({ director }))
      await expectPass(thresholdsLost(r.thresholdsBefore, r.thresholdsAfter))
    })
    describe('negative controls', () => {
      test('-D of one service instead of -C: the cleared check fails', async ({ director }) => {
        await director.ipvsadm('-C', ...varied, `-D ${service}`)
        await expectFail(tableEmpty((await director.list()).data))
      })
      test('a restore file with one real server left out: the identical-table check fails', async ({ director }) => {
        const r = await saveRestore({ director }, `grep -v -- ':443 -r ${addressOf(node3)}:'`)
        await expectFail(restoredIdentical(r.before.data, r.after.data))
      })
      test('thresholds written into the restore file by hand: the thresholds-lost check fails', async ({ director }) => {
        const r = await saveRestore({ director }, `sed 's/\\(-r ${addressOf(node1).replace(/\./g, '\\.')}:80 .*\\)$/\\1 -x 10 -y 5/'`)
        await expectFail(thresholdsLost(r.thresholdsBefore, r.thresholdsAfter))
      })
    })
  })

  describe('-Z, --stats, --exact, --rate', () => {
    /** Two fresh services, each proved quiet before the traffic it counts. */
    async function counted({ director, client }: Fixtures) {
      const [p, q] = [freshPort(), freshPort()]
      const scope = { vip, ports: [p, q] }
      await director.ipvsadm('-C', ...serviceCommands(serviceOf(p), { scheduler: 'rr', serverPort: 80 }), ...serviceCommands(serviceOf(q), { scheduler: 'rr', serverPort: 80 }))
      await client.get(urlOf(q), { times: 3 })
      const start = await director.sh(quietStartScript({ vip, ports: [p] }))
      const startingState = provenQuiet(parseQuietStart({ vip, ports: [p] }, start))
      const { exchanges, synRetransmits } = await client.getCountingSyns(urlOf(p), { times: 9 })
      await client.get(urlOf(q), { times: 3 })
      const stats = await director.settledStatsWithEntries(`${vip}:${p}`)
      const resent = { sent: synRetransmits, rescheduled: rescheduledEntries(stats.entries.data, answeredOn(exchanges)) }
      // -Z moves the zero point at once (ip_vs_zero_stats): the read after it needs no settling
      const [plain = '', zeroedText = ''] = (await director.sh(`ipvsadm -Ln --stats\necho @@zeroed\nipvsadm -Z ${serviceOf(p)}\nipvsadm -Ln --stats --exact`)).split('@@zeroed\n')
      const afterZero = { text: zeroedText, data: parseIpvsStats(zeroedText) }
      await evidence('starting state', `${startingState} (${describeScope(scope)}: the second service had 3 requests before -Z)`)
      await evidence(`9 requests to :${p} (and 3 to :${q})`, `${showConnections(exchanges)}\nSYNs the client sent again: ${synRetransmits}`)
      // a count that disagrees with the requests: the entries say which client port was counted
      await evidence(`ipvsadm -Lnc of ${vip}:${p} right after the traffic`, stats.entries.text)
      await evidence(`--stats --exact (settled after ${stats.waitedSeconds.toFixed(1)} s)`, stats.text)
      await evidence('--stats', plain)
      await evidence(`--stats --exact after -Z ${serviceOf(p)}`, afterZero.text)
      return { p, q, exchanges, resent, stats, plain: parseIpvsStats(plain), afterZero }
    }
    let run: ReturnType<typeof counted> | undefined

    test('--stats counts exactly the connections each real server answered after -Z', async ({ director, client }) => {
      const r = await (run ??= counted({ director, client }))
      await expectPass(statsCount(r.stats.data, keyOf(r.p), servedBy(r.exchanges), r.resent))
      await expectPass(exactAgrees(r.plain, r.stats.data))
    })
    test('-Z on one service zeroes it and leaves the other counting', async ({ director, client }) => {
      const r = await (run ??= counted({ director, client }))
      await expectPass(zeroed(r.afterZero.data, keyOf(r.p), `-Z ${serviceOf(r.p)}: zeroed`))
      await expectPass(stillCounting(r.afterZero.data, keyOf(r.q), `-Z ${serviceOf(r.p)}: the other service keeps counting`))
    })
    test('negative control: counters not zeroed before the traffic: the exact-count check fails', async ({ director, client }) => {
      const p = freshPort()
      await director.ipvsadm('-C', ...serviceCommands(serviceOf(p), { scheduler: 'rr', serverPort: 80 }))
      await client.get(urlOf(p), { times: 3 })
      const { exchanges } = await client.get(urlOf(p), { times: 9 })
      const stats = await director.settledStats()
      await expectFail(statsCount(stats.data, keyOf(p), servedBy(exchanges)))
    })

    /**
     * Steady traffic (one request every 0.2 s) for about 18 s. The estimator samples every
     * 2 s and moves a quarter of the way to each new sample, so after 16 s it is within
     * (3/4)^8 = 10% of a steady rate; the tolerance is 35% (curl's own pace varies under
     * emulation). The rate read 1 s into the traffic is the negative control: not settled.
     */
    test('--rate agrees with the traffic once the estimator has settled (tolerance 35%); read too early it does not', async ({ director, client }) => {
      const port = freshPort()
      const key = keyOf(port)
      const scope = { vip, ports: [port] }
      const start = await director.sh(
        [`ipvsadm -C`, ...serviceCommands(serviceOf(port), { scheduler: 'rr', serverPort: 80 }).map((c) => `ipvsadm ${c}`), quietStartScript(scope)].join('\n'),
      )
      await evidence('starting state', provenQuiet(parseQuietStart(scope, start)))
      await client.sh(
        `setsid sh -c 'end=$(($(date +%s) + 19)); while [ $(date +%s) -lt $end ]; do curl -s -o /dev/null --max-time 2 ${urlOf(port)}; sleep 0.2; done' </dev/null >/dev/null 2>&1 &`,
      )
      const out = await director.sh(
        `
sleep 1; early=$(ipvsadm -Ln --rate -t ${vip}:${port})
sleep 11
t1=$(date +%s%N); s1=$(ipvsadm -Ln --stats --exact -t ${vip}:${port})
sleep 5
late=$(ipvsadm -Ln --rate -t ${vip}:${port})
t2=$(date +%s%N); s2=$(ipvsadm -Ln --stats --exact -t ${vip}:${port})
printf '%s\\n@@\\n%s\\n@@\\n%s\\n@@\\n%s\\n@@\\n%s %s\\n' "$early" "$s1" "$late" "$s2" "$t1" "$t2"`,
        60_000,
      )
      const [early, s1, late, s2, times] = out.split('\n@@\n')
      const [t1, t2] = times!.trim().split(' ').map(Number)
      const seconds = (t2! - t1!) / 1e9
      const c1 = parseIpvsStats(s1!).services[0]!.counters
      const c2 = parseIpvsStats(s2!).services[0]!.counters
      const measured = { cps: (c2.conns - c1.conns) / seconds, inPps: (c2.inPkts - c1.inPkts) / seconds }
      await evidence('--rate 1 s into the traffic', early!)
      await evidence('--rate after 17 s of it', late!)
      await evidence(`measured from --stats over ${seconds.toFixed(1)} s`, { ...measured, statsBefore: s1, statsAfter: s2 })
      await expectPass(rateAgrees(parseIpvsRate(late!), key, measured, 0.35))
      await expectFail(rateAgrees(parseIpvsRate(early!), key, measured, 0.35))
      await client.sh('sleep 2.5')
    })
  })

  describe('-L -c, --set and --timeout', () => {
    /**
     * Three held connections, three UDP datagrams and one request whose answer the client
     * never closes, each on a fresh virtual port so that only this run's entries are looked at
     * (-C removes services, not their connection entries).
     */
    async function connectionsRun({ director, client }: Fixtures, timeouts?: { tcp: number; tcpFin: number; udp: number }) {
      const ports = { held: freshPort(), udp: freshPort(), http: freshPort() }
      await client.release()
      await director.ipvsadm(
        '-C',
        ...serviceCommands(`-t ${vip}:${ports.held}`, { scheduler: 'rr', serverPort: heldPort }),
        ...serviceCommands(`-u ${vip}:${ports.udp}`, { scheduler: 'rr', serverPort: udpPort }),
        ...serviceCommands(`-t ${vip}:${ports.http}`, { scheduler: 'rr' }),
      )
      if (timeouts) await director.ipvsadm(`--set ${timeouts.tcp} ${timeouts.tcpFin} ${timeouts.udp}`)
      try {
        const held = await client.hold(`${vip}:${ports.held}`, 3)
        await client.askUdp(`${vip}:${ports.udp}`, 3)
        // nginx answers and closes; the client keeps its side open, so the entry stays in FIN_WAIT
        await client.sh(
          `setsid sh -c "(printf 'GET / HTTP/1.0\\r\\n\\r\\n'; sleep 20) | socat - TCP:${vip}:${ports.http},ignoreeof,linger=0" </dev/null >/dev/null 2>&1 & sleep 0.6`,
        )
        const conns = await director.connections()
        const reported = parseIpvsTimeout(await director.sh('ipvsadm -L --timeout'))
        await evidence('held connections', numbered(held.map((h) => h.server)))
        await evidence('ipvsadm -Lnc', conns.text)
        await evidence('ipvsadm -L --timeout', JSON.stringify(reported))
        return { held, conns: conns.data, reported, ports }
      } finally {
        // the client's processes; the --set timeouts are restored by the spec guard
        await client.release()
        await client.sh(`pkill -f "TCP:${vip}:${ports.http},ignoreeof" || true`)
      }
    }
    const set = { tcp: 100, tcpFin: 37, udp: 11 }

    test('-L -c lists each open connection: ESTABLISHED, from the client to the server that answered, expiring within the tcp timeout', async ({ director, client }) => {
      const r = await connectionsRun({ director, client })
      await expectPass(connectionsListed(r.conns, r.held, client.address(), vip, r.ports.held, addressOf, defaultTimeouts.tcp))
    })
    test(`--set ${set.tcp} ${set.tcpFin} ${set.udp}: --timeout reports it, and new ESTABLISHED, FIN_WAIT and UDP entries expire within it`, async ({ director, client }) => {
      const r = await connectionsRun({ director, client }, set)
      await expectPass(timeoutsApply(r.reported, set, r.conns, vip, Object.values(r.ports)))
    })
    test('negative control: --set left out: the timeout check fails', async ({ director, client }) => {
      const r = await connectionsRun({ director, client })
      await expectFail(timeoutsApply(r.reported, set, r.conns, vip, Object.values(r.ports)))
    })
  })

  describe('-u: a UDP service', () => {
    async function udpRun({ director, client, realServers }: Fixtures & Pick<TopologyFixtures, 'realServers'>, silent?: number) {
      // a fresh virtual port: entries of earlier UDP services outlive -C (300 s)
      const key: ServiceKey = { protocol: 'UDP', address: vip, port: freshPort() }
      await director.ipvsadm('-C', ...serviceCommands(`-u ${vip}:${key.port}`, { scheduler: 'rr', serverPort: udpPort }))
      if (silent !== undefined) await realServers[silent]!.sh(`pkill -f 'UDP-RECVFROM:${udpPort}' || true`)
      try {
        const answers = await client.askUdp(`${vip}:${key.port}`, 6)
        const conns = await director.connections()
        const stats = await director.settledStats()
        await evidence('6 datagrams, each from a new source port', numbered(answers))
        await evidence('ipvsadm -Lnc', conns.text)
        await evidence('ipvsadm -Ln --stats --exact', stats.text)
        return { answers, conns: conns.data, stats: stats.data, key }
      } finally {
        if (silent !== undefined) await realServers[silent]!.serveUdp(udpPort)
      }
    }
    test('6 datagrams from different ports: answered in turn by each server, listed in -Lnc, counted in --stats', async ({ director, client, realServers }) => {
      const r = await udpRun({ director, client, realServers })
      await expectPass(udpBalanced(r.answers, kernelOrder, r.conns, r.stats, r.key))
    })
    test('negative control: one real server without its UDP responder: the check fails', async ({ director, client, realServers }) => {
      const r = await udpRun({ director, client, realServers }, 1)
      await expectFail(udpBalanced(r.answers, kernelOrder, r.conns, r.stats, r.key))
    })
  })
})
