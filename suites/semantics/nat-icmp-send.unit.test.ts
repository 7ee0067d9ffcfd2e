import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { passed } from '../../checks/verdict'
import { parseTcpdump } from '../../lab/capture/parse-tcpdump'
import { natTopology } from '../../topologies/nat'
import { describeStrayRun, forwardedUntouched, icmpToRealServer, strayAtClient, unreachablesAtServer, type StrayRun } from './nat-icmp-send'

const lab = (f: string) => readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url), 'utf8')

const director = natTopology.nodes.find((n) => n.role === 'director')!

/**
 * One run as strayRun reads it: tcpdump 'icmp' on lvs-node-1, tcpdump 'udp and src host 172.16.100.11' on the
 * client, around one datagram from lvs-node-1's :7777 (the service's real server port) to the client's :9999.
 */
const strayAt = (knob: number): StrayRun => ({
  knob,
  realServer: { name: 'lvs-node-1', address: '172.16.100.11' },
  sourcePort: 7777,
  client: '192.168.100.1',
  directorAddresses: director.interfaces.map((i) => i.address),
  atServer: parseTcpdump(lab(`stray-${knob}-server-6.1.txt`)),
  atClient: parseTcpdump(lab(`stray-${knob}-client-6.1.txt`)),
})

describe('nat_icmp_send (tcpdump on lvs-node-1 and on the client of the 6.1 lab)', () => {
  const run0 = strayAt(0)
  const run1 = strayAt(1)

  it('at 1 lvs-node-1 got one ICMP port unreachable, from the director’s inside address 172.16.100.10; at 0 none', () => {
    const [icmp, ...more] = unreachablesAtServer(run1)
    expect(more).toEqual([])
    expect(icmp?.ip).toEqual({ src: { address: '172.16.100.10' }, dst: { address: '172.16.100.11' } })
    expect(icmp?.line).toMatch(/ICMP 192\.168\.100\.1 udp port 9999 unreachable/)
    expect(unreachablesAtServer(run0)).toEqual([])
    expect(unreachablesAtServer({ ...run1, realServer: { name: 'lvs-node-2', address: '172.16.100.12' } })).toEqual([])
  })

  it('at 0 the client got the datagram from 172.16.100.11:7777, the real server’s own address, not the VIP; at 1 nothing', () => {
    const [datagram, ...more] = strayAtClient(run0)
    expect(more).toEqual([])
    expect(datagram?.ip).toEqual({ src: { address: '172.16.100.11', port: 7777 }, dst: { address: '192.168.100.1', port: 9999 } })
    expect(strayAtClient(run1)).toEqual([])
    expect(strayAtClient({ ...run0, sourcePort: 7778 })).toEqual([])
  })

  it('the runs rebuilt from the captures read as the lab’s runs did (what the run saw)', () => {
    expect(describeStrayRun(run0)).toBe(lab('stray-0-run-6.1.txt'))
    expect(describeStrayRun(run1)).toBe(lab('stray-1-run-6.1.txt'))
  })

  it('at 0 the datagram is forwarded untranslated, and the ICMP check fails', () => {
    expect(passed(forwardedUntouched(run0))).toBe(true)
    expect(icmpToRealServer(run0).failures).toEqual([
      'lvs-node-1 received no ICMP port unreachable from the director (0 from anyone)',
      'the client received the stray datagram (1 frames)',
    ])
  })

  it('at 1 the director answers with ICMP port unreachable and drops the datagram, and the forwarded-untouched check fails', () => {
    expect(passed(icmpToRealServer(run1))).toBe(true)
    expect(forwardedUntouched(run1).failures).toEqual(['lvs-node-1 received 1 ICMP port unreachable from the director', 'the client did not receive the stray datagram'])
  })

  it('an ICMP port unreachable from an address not the director’s is not the director’s answer', () => {
    const elsewhere = { ...run1, directorAddresses: ['192.168.100.6'] }
    expect(icmpToRealServer(elsewhere).failures).toEqual(['lvs-node-1 received no ICMP port unreachable from the director (1 from anyone)'])
    expect(forwardedUntouched(elsewhere).failures).toEqual(['the client did not receive the stray datagram'])
  })
})
