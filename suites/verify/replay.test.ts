/**
 * `npm run verify`'s replay on a real kernel (issue 13, section 3): the examples replayed, each
 * service's checks holding; then a broken file whose replay must report each kind of check
 * failing (its negative controls), and a save that loses what ipvsadm -S cannot write.
 */
import { readFileSync } from 'node:fs'
import { afterAll, describe, expect } from 'vitest'
import type { Verdict } from '../../checks/verdict'
import { evidence } from '../../fixtures/evidence'
import { labTest } from '../../fixtures/lab-test'
import { topologyPool, type TopologyPool } from '../../fixtures/topology-pool'
import { expectFail, expectPass } from '../../fixtures/verdict'
import type { LabInfo } from '../../lab/lab-info'
import { readKeepalivedInLab, type LabReading } from '../../verify/keepalived/read-in-lab'
import { outlineKeepalived } from '../../verify/keepalived/outline'
import { tableInConf } from '../../verify/keepalived/table-in-conf'
import { withHealthChecks } from '../../verify/keepalived/with-health-checks'
import { lintInputOf } from '../../verify/lint/lint-input-of'
import { parseMangle } from '../../verify/mangle/parse-mangle'
import type { RulesTable } from '../../verify/rules/rules-table'
import { serviceName } from '../../verify/rules/service-name'
import { planReplay } from '../../verify/replay/plan-replay'
import { directorInputOf } from '../../verify/replay/program-director'
import type { CheckKind, ReplayPlan } from '../../verify/replay/replay-plan'
import type { ReplayResult, ServiceReplay } from '../../verify/replay/replay-result'
import { runReplay } from '../../verify/replay/run-replay'

interface Example {
  name: string
  rules: string
  mangle?: string
  sysctl?: string
  /** Real servers told not to serve: the broken file's withheld server. */
  withhold?: string[]
}

const read = (p: string) => readFileSync(new URL(p, import.meta.url), 'utf8')
const textsOf = (e: Example) => ({ rules: read(e.rules), mangle: e.mangle && read(e.mangle), sysctl: e.sysctl && read(e.sysctl) })
const planOf = (e: Example) => planReplay(lintInputOf(textsOf(e)), { withhold: e.withhold })

/** Each file is replayed once, by the first test that needs it; its topology stays up for the file's other tests. */
const replays = new Map<string, Promise<ReplayResult>>()
function replayOf(e: Example, lab: LabInfo, topologies: TopologyPool): Promise<ReplayResult> {
  if (!replays.has(e.name)) {
    const texts = textsOf(e)
    const input = lintInputOf(texts)
    const plan = planReplay(input, { withhold: e.withhold })
    const run = { plan, director: directorInputOf(texts.rules, texts.mangle, input.sysctl), table: input.table, lab, say: (line: string) => console.log(line) }
    replays.set(e.name, runReplay({ ...run, up: (t) => topologies.acquire(t, lab) }))
  }
  return replays.get(e.name)!
}

async function attach(r: ReplayResult, s: ServiceReplay): Promise<void> {
  for (const e of [...r.programming, ...s.evidence]) await evidence(e.name, e.text)
  if (s.notChecked.length) await evidence('not checked', s.notChecked.join('\n'))
}

/** A service's verdicts of one kind as one: it fails when any of them does. */
function ofKind(s: ServiceReplay, kind: CheckKind): Verdict {
  const vs = s.verdicts.filter((v) => v.kind === kind)
  return { check: `[${kind}] ${vs.map((v) => v.check).join('; ') || '(no such verdict)'}`, failures: vs.length ? vs.flatMap((v) => v.failures) : [] }
}

const replayTimeout = 900_000
const examples: Example[] = [
  { name: 'nat.save', rules: '../../examples/nat.save' },
  { name: 'dr.save', rules: '../../examples/dr.save' },
  { name: 'fwm-persistence.save', rules: '../../examples/fwm-persistence.save', mangle: '../../examples/fwm-persistence.mangle' },
  { name: 'web-farm.rules', rules: '../../examples/web-farm.rules', mangle: '../../examples/web-farm.mangle', sysctl: '../../examples/web-farm.sysctl' },
]
/** What a save of each example loses: the web farm's --set (line 1), nothing else. */
const savedLoses: Record<string, number[]> = { 'nat.save': [], 'dr.save': [], 'fwm-persistence.save': [], 'web-farm.rules': [1] }

for (const example of examples)
  describe(`${example.name} replayed on the lab: every check of every service holds`, () => {
    for (const s of planOf(example).services) {
      labTest(`${s.name} (line ${s.line}): ${s.checks.join(', ')}`, { timeout: replayTimeout }, async ({ lab, topologies }) => {
        const r = await replayOf(example, lab, topologies)
        const replayed = r.services.find((x) => x.line === s.line)!
        await attach(r, replayed)
        expect(new Set(replayed.verdicts.map((v) => v.kind))).toEqual(new Set(s.checks))
        for (const kind of s.checks) await expectPass(ofKind(replayed, kind))
      })
    }

    labTest('ipvsadm -S -n of the replayed table says what the file says, but for what a save cannot write', { timeout: replayTimeout }, async ({ lab, topologies }) => {
      const r = await replayOf(example, lab, topologies)
      await evidence('ipvsadm -S -n', r.roundTrip.saved)
      await evidence('differences', r.roundTrip.differences)
      expect(r.roundTrip.differences.map((d) => d.line)).toEqual(savedLoses[example.name])
    })
  })

// The run's last file: its topology (up to 12 containers, slow to remove under emulation) is
// taken down here, inside the hook's timeout, not in the worker's teardown, which vitest cuts
// short ("Timeout terminating forks worker") and then waits on.
afterAll(() => topologyPool.release(), 300_000)

describe('negative controls: a broken file whose replay must report each kind of check failing', () => {
  const broken: Example = {
    name: 'replay-broken.rules',
    rules: './__fixtures__/replay-broken.rules',
    mangle: './__fixtures__/replay-broken.mangle',
    withhold: ['10.0.1.12'],
  }
  const text = read(broken.rules).split('\n')
  const lineOf = (rule: string) => text.indexOf(rule) + 1

  const controls: Array<{ title: string; rule: string; kinds: CheckKind[] }> = [
    {
      title: 'FWM 20 marked in POSTROUTING, after IPVS has looked: no entry for its ports, nothing answers',
      rule: '-A -f 20 -s rr',
      kinds: ['marked-ports', 'answered', 'reached', 'reply-path'],
    },
    {
      title: '172.16.100.103:8080 with -g: DR delivers the client port 80, where it does not listen',
      rule: '-A -t 172.16.100.200:80 -s rr',
      kinds: ['answered', 'reached', 'rr-cycle', 'reply-path'],
    },
    { title: 'NAT wrr with 10.0.1.12 withheld: its turns go unanswered', rule: '-A -t 172.16.100.210:8080 -s wrr', kinds: ['answered', 'reached', 'wrr-cycles', 'reply-path'] },
    {
      title: 'persistent NAT with -M 255.255.255.0 and 10.0.1.12 withheld: the clients it holds get no answer',
      rule: '-A -t 172.16.100.210:9090 -s rr -p 300 -M 255.255.255.0',
      kinds: ['persistence', 'netmask-shared'],
    },
    { title: 'sh with 10.0.1.12 withheld: the clients hashed to it get no answer', rule: '-A -t 172.16.100.210:7070 -s sh', kinds: ['sticky-source'] },
    {
      title: 'wlc with 10.0.1.12 withheld: the connections scheduled to it are refused, it holds none of its share',
      rule: '-A -t 172.16.100.210:3030 -s wlc',
      kinds: ['held-load', 'answered'],
    },
    {
      title: 'dh whose only server, 10.0.1.12, is withheld: its destination is served by nobody',
      rule: '-A -t 172.16.100.210:5050 -s dh',
      kinds: ['sticky-destination', 'answered'],
    },
  ]
  for (const { title, rule, kinds } of controls) {
    labTest(`${title}: ${kinds.join(', ')} must fail`, { timeout: replayTimeout }, async ({ lab, topologies }) => {
      const r = await replayOf(broken, lab, topologies)
      const replayed = r.services.find((s) => s.line === lineOf(rule))!
      await attach(r, replayed)
      for (const kind of kinds) await expectFail(ofKind(replayed, kind))
    })
  }

  labTest(
    'the TUN service of the same file, nothing broken: every check holds (IP-in-IP to each server, replies around the director)',
    { timeout: replayTimeout },
    async ({ lab, topologies }) => {
      const r = await replayOf(broken, lab, topologies)
      const replayed = r.services.find((s) => s.line === lineOf('-A -t 172.16.100.230:80 -s rr'))!
      await attach(r, replayed)
      expect(replayed.verdicts.map((v) => v.kind)).toEqual(['answered', 'reached', 'rr-cycle', 'reply-path'])
      for (const v of replayed.verdicts) await expectPass(v)
    },
  )

  labTest(
    'the dh service of the same file, nothing broken: its one destination is served by one server for every client',
    { timeout: replayTimeout },
    async ({ lab, topologies }) => {
      const r = await replayOf(broken, lab, topologies)
      const replayed = r.services.find((s) => s.line === lineOf('-A -t 172.16.100.210:6060 -s dh'))!
      await attach(r, replayed)
      expect(replayed.verdicts.map((v) => v.kind)).toEqual(['answered', 'sticky-destination', 'reply-path'])
      for (const v of replayed.verdicts) await expectPass(v)
    },
  )

  labTest(
    'the sed service of the same file, nothing broken: the held connections end as sed spreads them, 2 to 10.0.1.11 and 1 to 10.0.1.14 a round',
    { timeout: replayTimeout },
    async ({ lab, topologies }) => {
      const r = await replayOf(broken, lab, topologies)
      const replayed = r.services.find((s) => s.line === lineOf('-A -t 172.16.100.210:4040 -s sed'))!
      await attach(r, replayed)
      expect(replayed.verdicts.map((v) => v.kind)).toEqual(['answered', 'held-load', 'reply-path'])
      for (const v of replayed.verdicts) await expectPass(v)
    },
  )

  labTest("the save loses 10.0.1.11's thresholds and writes 172.16.100.103's port as 80", { timeout: replayTimeout }, async ({ lab, topologies }) => {
    const r = await replayOf(broken, lab, topologies)
    await evidence('ipvsadm -S -n', r.roundTrip.saved)
    const lines = r.roundTrip.differences.map((d) => d.line)
    expect(lines).toContain(lineOf('-a -t 172.16.100.210:8080 -r 10.0.1.11:8080 -m -w 2 -x 100 -y 50'))
    expect(lines).toContain(lineOf('-a -t 172.16.100.200:80 -r 172.16.100.103:8080 -g -w 1'))
  })
})

interface KeepalivedReplay {
  reading: LabReading
  table: RulesTable
  plan: ReplayPlan
  result: ReplayResult
}

/**
 * A keepalived.conf as `npm run verify` replays it: read by the lab's keepalived in a director of
 * its own (the table its checker programs, read back), then replayed with keepalived's checker
 * programming the replay's director and its health checkers running against the real servers.
 */
const keepalivedReplays = new Map<string, Promise<KeepalivedReplay>>()
function keepalivedReplayOf(conf: string, mangle: string | undefined, lab: LabInfo, topologies: TopologyPool): Promise<KeepalivedReplay> {
  if (!keepalivedReplays.has(conf)) {
    keepalivedReplays.set(
      conf,
      (async () => {
        const text = read(conf)
        const reading = await readKeepalivedInLab(lab, text)
        const outline = outlineKeepalived(text)
        const { table } = tableInConf(reading.programmed, outline)
        const plan = withHealthChecks(planReplay({ table, mangle: mangle === undefined ? undefined : parseMangle(read(mangle), 'mangle') }), outline)
        const director = directorInputOf(reading.programmed.saved, mangle && read(mangle), undefined, text)
        const result = await runReplay({ plan, director, table, lab, say: (line: string) => console.log(line), up: (t) => topologies.acquire(t, lab) })
        return { reading, table, plan, result }
      })(),
    )
  }
  return keepalivedReplays.get(conf)!
}

/** A table as a list of `service: server weight` lines, to compare two readings of one farm. */
const farmOf = (t: RulesTable) =>
  t.services
    .flatMap((s) => s.realServers.map((rs) => `${serviceName(s)} ${s.scheduler}${s.persistent ? ` -p ${s.persistent}` : ''}: ${rs.address}:${rs.port} ${rs.forward} ${rs.weight}`))
    .sort()

describe("web-farm.keepalived.conf replayed on the lab: keepalived's checker programs the director, its health checkers run against the real servers", () => {
  const conf = '../../examples/web-farm.keepalived.conf'
  const mangle = '../../examples/web-farm.mangle'

  labTest(
    'keepalived programs the table of web-farm.rules; every health checker finds its server up, and every check of every service holds',
    { timeout: replayTimeout },
    async ({ lab, topologies }) => {
      const k = await keepalivedReplayOf(conf, mangle, lab, topologies)
      await evidence("keepalived's reading (ipvsadm -S -n in the reading director)", k.reading.programmed.saved)
      expect(farmOf(k.table)).toEqual(farmOf(lintInputOf({ rules: read('../../examples/web-farm.rules') }).table))
      for (const s of k.plan.services) {
        const replayed = k.result.services.find((x) => x.line === s.line)!
        await attach(k.result, replayed)
        expect(s.checks).toContain('health-checks')
        expect(new Set(replayed.verdicts.map((v) => v.kind))).toEqual(new Set(s.checks))
        for (const kind of s.checks) await expectPass(ofKind(replayed, kind))
      }
    },
  )

  labTest('ipvsadm -S -n of the table keepalived programmed loses only its lvs_timeouts (line 7)', { timeout: replayTimeout }, async ({ lab, topologies }) => {
    const k = await keepalivedReplayOf(conf, mangle, lab, topologies)
    await evidence('ipvsadm -S -n', k.result.roundTrip.saved)
    await evidence('differences', k.result.roundTrip.differences)
    expect(k.result.roundTrip.differences.map((d) => d.line)).toEqual([7])
  })
})

describe('negative control: a keepalived.conf whose health checker probes a port its real server does not serve', () => {
  const conf = './__fixtures__/replay-broken.keepalived.conf'
  const lines = read(conf).split('\n')
  const lineOf = (block: string) => lines.findIndex((l) => l.trim() === `${block} {`) + 1

  labTest('172.16.100.112 checked on 8444: keepalived takes it down, so health-checks, reached and rr-cycle must fail', { timeout: replayTimeout }, async ({ lab, topologies }) => {
    const k = await keepalivedReplayOf(conf, undefined, lab, topologies)
    const replayed = k.result.services.find((s) => s.line === lineOf('virtual_server 172.16.100.201 8443'))!
    await attach(k.result, replayed)
    for (const kind of ['health-checks', 'reached', 'rr-cycle'] as const) await expectFail(ofKind(replayed, kind))
  })

  labTest('the HTTP_GET service of the same file, /health served: its health checkers and every other check hold', { timeout: replayTimeout }, async ({ lab, topologies }) => {
    const k = await keepalivedReplayOf(conf, undefined, lab, topologies)
    const replayed = k.result.services.find((s) => s.line === lineOf('virtual_server 172.16.100.202 80'))!
    await attach(k.result, replayed)
    expect(replayed.verdicts.map((v) => v.kind)).toContain('health-checks')
    for (const v of replayed.verdicts) await expectPass(v)
  })
})
