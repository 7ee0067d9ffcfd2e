/**
 * The schedulers suite's scenarios: each sets up a fresh service on the three-server NAT
 * topology, drives traffic the way the rule needs (short requests, held connections,
 * several client addresses or destinations), attaches what it saw, and returns it for the
 * checks.
 */
import { evidence } from '../../fixtures/evidence'
import { pollUntil } from '../../fixtures/shell-poll'
import type { TopologyFixtures } from '../../fixtures/lab-test'
import type { HttpExchange } from '../../lab/http/curl-transfers'
import { binomialTailAtLeast } from './binomial'
import { followsLoadRule, serverOf, type ThresholdStep } from './checks'
import { predictHeld, type LoadRule } from './load-rules'
import { clientSources, destinations } from '../../topologies/nat-three-servers'
import {
  addressOf,
  freshPort,
  freshService,
  heldPort,
  kernelOrder,
  loadsOf,
  node1,
  node2,
  node3,
  numbered,
  serviceCommands,
  servers,
  vip,
  type ServiceSpec,
} from '../../fixtures/three-servers'

export type Fixtures = Pick<TopologyFixtures, 'director' | 'client'>

export const showExchanges = (xs: HttpExchange[]) => xs.map((x) => `${x.index + 1}. ${x.server ?? `(no answer, curl exit ${x.curlExit})`}`).join('\n')

/** Short requests to a fresh service: the sequence of servers that answered. */
export async function shortRequests({ director, client }: Fixtures, spec: ServiceSpec, times: number) {
  const { target, service } = await freshService(director, spec)
  const { exchanges } = await client.get(`http://${target}/`, { times })
  const list = await director.list()
  await evidence('ipvsadm -Ln', list.text)
  await evidence(`${times} requests to ${target}`, showExchanges(exchanges))
  return { exchanges, target, service }
}

/**
 * Held connections to a fresh service: the load -Ln shows before the first one, and where
 * each of `count` connections (opened one after the other, all kept open) went.
 */
export async function heldConnections({ director, client }: Fixtures, spec: ServiceSpec, count: number, preload?: (service: string, target: string) => Promise<void>) {
  await client.release()
  const { service, target, port } = await freshService(director, { ...spec, serverPort: heldPort })
  try {
    if (preload) await preload(service, target)
    const before = await director.list()
    const initial = loadsOf(before.data, port)
    const observed = (await client.hold(target, count)).map((h) => h.server)
    const after = await director.list()
    await evidence('ipvsadm -Ln before the held connections', before.text)
    await evidence('ipvsadm -Ln with them open', after.text)
    await evidence(`servers in the kernel's order: ${kernelOrder.join(', ')}; weights ${initial.map((s) => s.weight).join(', ')}`, numbered(observed))
    return { initial, observed, list: before }
  } finally {
    await client.release()
  }
}

/** A load rule's scenario, run once per scheduler and reused by its negative control. */
const loadRuns = new Map<string, ReturnType<typeof heldConnections>>()
export function loadRun(key: string, run: () => ReturnType<typeof heldConnections>) {
  if (!loadRuns.has(key)) loadRuns.set(key, run())
  return loadRuns.get(key)!
}

export async function loadRuleVerdict(rule: LoadRule, run: Awaited<ReturnType<typeof heldConnections>>) {
  await evidence(`what ${rule} predicts from the same start`, numbered(predictHeld(rule, run.initial, run.observed.length)))
  return followsLoadRule(rule, run.initial, run.observed)
}

/** lc: three connections pinned to the first server (the others at weight 0), then six more with all at weight 1. */
export const lcScenario = (f: Fixtures, scheduler: string) =>
  heldConnections(f, { scheduler, weights: [1, 0, 0] }, 6, async (service, target) => {
    await f.client.hold(target, 3)
    await f.director.ipvsadm(`-e ${service} -r ${addressOf(node2)}:${heldPort} -m -w 1`, `-e ${service} -r ${addressOf(node3)}:${heldPort} -m -w 1`)
  })

export const served = (xs: HttpExchange[]) => xs.map((x) => x.server)

export { clientSources }
export const destinationMark = 7

/** rr over the hold endpoint: three held (one each), node2 set to `weight`, three more held. */
export async function quiesceRun({ director, client }: Fixtures, weight: number) {
  await client.release()
  const { service, target } = await freshService(director, { scheduler: 'rr', serverPort: heldPort })
  try {
    await client.hold(target, 3)
    await director.ipvsadm(`-e ${service} -r ${addressOf(node2)}:${heldPort} -m -w ${weight}`)
    const before = await client.held()
    const fresh = (await client.hold(target, 3)).map((h) => h.server)
    await director.sh('sleep 1.2') // at least one more tick on every open connection
    const after = await client.held()
    const list = await director.list()
    await evidence(`ipvsadm -Ln (${node2} at weight ${weight})`, list.text)
    await evidence('new connections after the change', numbered(fresh))
    await evidence('held connections (lines received) before and after', { before, after })
    return { before, after, fresh }
  } finally {
    await client.release()
  }
}

export async function failoverRun(f: Fixtures, scheduler: string) {
  const { exchanges: first, service } = await shortRequests(f, { scheduler, weights: [1, 3, 2] }, 6)
  await f.director.ipvsadm(`-e ${service} -r ${addressOf(node2)}:80 -m -w 0`)
  const { exchanges: afterZero } = await f.client.get(`http://${service.slice(3)}/`, { times: 6 })
  await evidence(`after ${node2} -w 0`, showExchanges(afterZero))
  return { first, afterZero }
}

export async function hashRun(f: Fixtures, scheduler: string, flags?: string) {
  const { target } = await freshService(f.director, { scheduler, flags })
  const { bySource } = await f.client.getFrom(`http://${target}/`, clientSources, { times: 3 })
  await evidence(`${scheduler}${flags ? ` -b ${flags}` : ''}: server per client address`, [...bySource].map(([k, xs]) => `${k}: ${served(xs).join(', ')}`).join('\n'))
  return { bySource, target }
}

export async function portRun(f: Fixtures, scheduler: string, flags: string | undefined) {
  const { exchanges } = await shortRequests(f, { scheduler, flags }, 9)
  return exchanges
}

async function runWeightZero(f: Fixtures, scheduler: string, fallback: boolean) {
  const { target, bySource } = await hashRun(f, scheduler, fallback ? `${scheduler}-fallback` : undefined)
  const before = serverOf(bySource)
  const zeroed = [...before.values()].find((s) => s !== undefined) ?? node1
  await f.director.ipvsadm(`-e -t ${target} -r ${addressOf(zeroed)}:80 -m -w 0`)
  const { bySource: after } = await f.client.getFrom(`http://${target}/`, clientSources, { times: 2 })
  await evidence(`after ${zeroed} -w 0`, [...after].map(([k, xs]) => `${k}: ${xs.map((x) => x.server ?? `(refused, curl exit ${x.curlExit})`).join(', ')}`).join('\n'))
  return { before, after, zeroed }
}

/** Each weight-0 scenario runs once; the fallback-swapped negative control reads the same runs. */
const weightZeroRuns = new Map<string, ReturnType<typeof runWeightZero>>()
export function weightZeroRun(f: Fixtures, scheduler: string, fallback: boolean) {
  const key = `${scheduler} ${fallback}`
  if (!weightZeroRuns.has(key)) weightZeroRuns.set(key, runWeightZero(f, scheduler, fallback))
  return weightZeroRuns.get(key)!
}

export async function destinationRun(f: Fixtures, scheduler: string) {
  // the destinations are the topology's; the mark is this run's set-up (the spec guard flushes it after the test)
  await f.director.sh(
    [
      `iptables -t mangle -A PREROUTING -d 192.168.100.40/29 -p tcp --dport 80 -j MARK --set-mark ${destinationMark}`,
      ...['-C', ...serviceCommands(`-f ${destinationMark}`, { scheduler })].map((c) => `ipvsadm ${c}`),
    ].join('\n'),
  )
  const pairs = destinations.flatMap((d) => clientSources.slice(0, 3).map((source) => ({ key: `${d} from ${source}`, source, url: `http://${d}/` })))
  const { bySource } = await f.client.getMatrix(pairs, { times: 2 })
  const byDestination = new Map(destinations.map((d) => [d, [...bySource].filter(([k]) => k.startsWith(`${d} `)).flatMap(([, xs]) => xs)]))
  await evidence(`${scheduler}: server per destination (3 clients x 2 requests each)`, [...bySource].map(([k, xs]) => `${k}: ${served(xs).join(', ')}`).join('\n'))
  await evidence('ipvsadm -Ln', (await f.director.list()).text)
  return { byDestination }
}

/**
 * twos: node3 (last in the kernel's order) holds 4 open connections, the others none. With
 * three servers of weight 1 the kernel draws r in [0, 3] and walks the list subtracting
 * weights (ip_vs_twos.c), so node3 is one pick with probability 1/4 and both with 1/16.
 */
export const twos = { requests: 32, pBoth: 1 / 16, bound: 7 }
/** Why the kernel cannot make a service with this scheduler (ipvsadm's error), or undefined when it can. */
export async function schedulerMissing(director: Fixtures['director'], scheduler: string): Promise<string | undefined> {
  const probe = `-t ${vip}:${freshPort()}`
  const r = await director.run(`ipvsadm -A ${probe} -s ${scheduler} && ipvsadm -D ${probe}`)
  return r.exitCode === 0 ? undefined : (r.stderr || r.stdout).trim()
}

export async function twosRun(f: Fixtures, scheduler: string) {
  await f.client.release()
  const port = (await freshService(f.director, { scheduler: 'rr', weights: [0, 0, 1], serverPort: heldPort })).port
  try {
    await f.client.hold(`${vip}:${port}`, 4)
    // the same service and its open connections, now under the scheduler being tested
    const service = `-t ${vip}:${port}`
    await f.director.ipvsadm(`-E ${service} -s ${scheduler}`, ...servers.map((s) => `-e ${service} -r ${s.address}:${heldPort} -m -w 1`))
    const list = await f.director.list()
    const served = await f.client.touch(`${vip}:${port}`, twos.requests)
    await evidence(`ipvsadm -Ln (${node3} holding 4, then -E -s ${scheduler})`, list.text)
    await evidence(`${twos.requests} short connections`, numbered(served))
    const statistics = {
      requests: twos.requests,
      'P(both picks land on the loaded server)': twos.pBoth,
      'expected to the loaded server': twos.requests * twos.pBoth,
      bound: twos.bound,
      'P(false failure) = P(Binomial(32, 1/16) > 7)': binomialTailAtLeast(twos.requests, twos.pBoth, twos.bound + 1),
      'a load-blind pick (1/4) or rr (1/3) would send': `${twos.requests / 4} or ${twos.requests / 3}`,
    }
    return { served, statistics }
  } finally {
    await f.client.release()
  }
}

/**
 * Thresholds on node1 (-x 3 -y 2) under fo, where node1 has the highest weight and so gets
 * every new connection it may take. Steps: hold 3 (it reaches 3), hold 1 more, reset one and
 * wait for its entry to expire (2 left: below upper, not below lower), hold 1, reset another
 * and wait (1 left, below lower), hold 1.
 */
export async function thresholdRun({ director, client }: Fixtures, withThresholds: boolean) {
  await client.release()
  const options = withThresholds ? ['-x 3 -y 2', '', ''] : []
  const { service, target, port } = await freshService(director, { scheduler: 'fo', weights: [3, 2, 1], serverPort: heldPort, serverOptions: options })
  const load = async () => {
    const l = loadsOf((await director.list()).data, port).find((s) => s.name === node1)!
    return l.activeConns + l.inactiveConns
  }
  const steps: ThresholdStep[] = []
  const step = async () => {
    const loadBefore = await load()
    const [h] = await client.hold(target, 1)
    steps.push({ loadBefore, went: h?.server })
    return h
  }
  /** Waits until node1 holds one connection fewer (a reset one stays 10 s in CLOSE before IPVS drops it). */
  const waitForDrop = async () => {
    const n = (await load()) - 1
    await director.sh(
      pollUntil(`ipvsadm -Ln -t ${target} | awk '$2 ~ /^${addressOf(node1).replace(/\./g, '\\.')}:/ {print $5 + $6}' | grep -qx ${n}`, {
        seconds: 30,
        every: 0.2,
        onTimeout: 'fail',
      }),
      60_000,
    )
  }
  try {
    const first = await client.hold(target, 3)
    steps.push(...first.map((h, i) => ({ loadBefore: i, went: h.server })))
    await step()
    const onNode1 = first.filter((h) => h.server === node1).map((h) => h.id)
    if (onNode1.length >= 2) {
      // two resets 3 s apart: their entries expire 3 s apart, one wait covers both steps
      await client.release([onNode1[0]!])
      await director.sh('sleep 3')
      await client.release([onNode1[1]!])
      await waitForDrop()
      await step()
      await waitForDrop()
      await step()
    }
    await evidence(`ipvsadm -Ln --thresholds (${service})`, await director.sh(`ipvsadm -Ln --thresholds ${service}`))
    await evidence(
      `steps: ${node1}'s connections (active + inactive) before each new one, and where it went`,
      steps.map((s, i) => `${i + 1}. ${node1} held ${s.loadBefore} -> ${s.went ?? '(refused)'}`).join('\n'),
    )
    return { steps }
  } finally {
    await client.release()
  }
}
