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
import { lintInputOf } from '../../verify/lint/lint-input-of'
import { planReplay } from '../../verify/replay/plan-replay'
import { directorInputOf } from '../../verify/replay/program-director'
import type { CheckKind } from '../../verify/replay/replay-plan'
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

  labTest("the save loses 10.0.1.11's thresholds and writes 172.16.100.103's port as 80", { timeout: replayTimeout }, async ({ lab, topologies }) => {
    const r = await replayOf(broken, lab, topologies)
    await evidence('ipvsadm -S -n', r.roundTrip.saved)
    const lines = r.roundTrip.differences.map((d) => d.line)
    expect(lines).toContain(lineOf('-a -t 172.16.100.210:8080 -r 10.0.1.11:8080 -m -w 2 -x 100 -y 50'))
    expect(lines).toContain(lineOf('-a -t 172.16.100.200:80 -r 172.16.100.103:8080 -g -w 1'))
  })
})
