/**
 * What the semantics files share: the NAT topology (topologies/nat.ts), a knob changed as a
 * changedState fixture (the spec guard reads net.ipv4.vs.* on the director and restores it
 * after the test), a fresh service per run proved quiet, and one run per knob value that a
 * check and its control both read.
 */
import { oncePerKey } from '../../fixtures/once-per-key'
import { changedState, topologyTest, type TopologyFixtures } from '../../fixtures/lab-test'
import type { Director } from '../../fixtures/nodes/director'
import { parseQuietStart, provenQuiet, quietStartScript } from '../../fixtures/quiet-start'
import { natTopology } from '../../topologies/nat'
import { parseKnobListing } from './checks'

export const vip = natTopology.vip
/** The real servers' inside addresses, in the order they are added. */
export const realServerAddresses = ['172.16.100.12', '172.16.100.11']
export const realNetwork = '172.16.100.0/24'
export const knob = (name: string) => `net.ipv4.vs.${name}`

export type KnobFixtures = Pick<TopologyFixtures, 'director' | 'client' | 'realServers' | 'net'>

export const knobTest = topologyTest(natTopology)

/** Why a kernel may lack a knob a test sets, for its skip note. */
export const missingKnobWhy: Record<string, string> = {
  run_estimation: 'the estimator cannot be turned off',
  conntrack: 'built without CONFIG_IP_VS_NFCT',
}

/**
 * A knob at `value` for one test: the director changed, restored by the spec guard after it.
 * Where the kernel has no such knob the test skips, before anything is changed, with the note
 * its body's own check would give (skipWithoutKnob).
 */
export const setKnob = (name: string, value: string) => {
  const set = changedState(async ({ director }) => (await director.setSysctl(knob(name), value), director))
  // vitest reads a fixture's dependencies from its first parameter's destructuring
  return async ({ net, director, realServers, client, spec, skip }: TopologyFixtures & { skip: (note?: string) => never }, use: (d: Director) => Promise<void>) => {
    await skipWithoutKnob(director, name, missingKnobWhy[name] ?? 'not in this kernel', skip)
    await set({ net, director, realServers, client, spec }, use)
  }
}

/** One run per knob value, shared by the checks and the controls that read it (oncePerKey). */
export function oncePerValue<R>(run: (f: KnobFixtures, value: number) => Promise<R>, summary?: (r: R) => string) {
  return oncePerKey(run, summary)
}

export interface FreshServiceOptions {
  /** `-t` (the default) or `-u`. */
  protocol?: string
  /** More service options, `-p 60` for one. */
  flags?: string
  /** The real servers, in the order they are added (both by default); `address:port` where a port other than serverPort is meant. */
  servers?: string[]
  /** The scheduler (rr by default). */
  scheduler?: string
  /** The virtual address (the NAT topology's by default) and the forwarding method (`-m`, `-g`, `-i`). */
  vip?: string
  method?: string
}

/**
 * A fresh service on VIP:port (rr unless told) over the real servers (NAT), its start proved quiet and the
 * knob (if any) read back, in one round trip. Returns the starting state's report line.
 */
export async function freshService(
  director: Director,
  port: number,
  serverPort: number,
  knobName: string | undefined,
  { protocol = '-t', flags = '', servers = realServerAddresses, scheduler = 'rr', vip = natTopology.vip, method = '-m' }: FreshServiceOptions = {},
): Promise<string> {
  const service = `${protocol} ${vip}:${port}`
  const scope = { vip, ports: [port] }
  const setUp = [`-A ${service} -s ${scheduler} ${flags}`.trimEnd(), ...servers.map((rip) => `-a ${service} -r ${rip.includes(':') ? rip : `${rip}:${serverPort}`} ${method}`)]
    .map((c) => `ipvsadm ${c}`)
    .join('\n')
  const readBack = knobName ? `echo "@@knob $(cat /proc/sys/net/ipv4/vs/${knobName})"` : ''
  const out = await director.sh(`${setUp}\n${readBack}\n${quietStartScript(scope)}`)
  const value = /^@@knob (\S+)$/m.exec(out)?.[1]
  return provenQuiet(parseQuietStart(scope, out), knobName ? [`${knob(knobName)} read back as ${value}`] : [])
}

let knobListing: Promise<{ text: string; knobs: string[] }> | undefined
/** `ls /proc/sys/net/ipv4/vs/` on the director, read once per file. */
export function knobsOf(director: Director) {
  return (knobListing ??= director.sh('ls -1 /proc/sys/net/ipv4/vs/', undefined, { readOnly: true }).then((text) => ({ text, knobs: parseKnobListing(text) })))
}

/** Skips the test where the kernel lacks the knob, with why. */
export async function skipWithoutKnob(director: Director, name: string, why: string, skip: (note?: string) => never): Promise<void> {
  if (!(await knobsOf(director)).knobs.includes(name)) skip(`this kernel has no ${knob(name)} (${why})`)
}
