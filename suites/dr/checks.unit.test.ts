/** The DR checks on output captured from a real DR lab (6.1): the article run and its controls. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { passed } from '../../fixtures/verdict'
import { parseArping } from '../../lab/capture/parse-arping'
import { parseTcpdump } from '../../lab/capture/parse-tcpdump'
import { parseCurlTransfers } from '../../lab/http/curl-transfers'
import { parseIpvsStats } from '../../lab/ipvs'
import { arpSilence, portNotRemapped, repliesBypassDirector, tunnelledToRealServers } from './checks'

const read = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')
const vip = '172.16.100.200'
// Docker derives each MAC from the address: 02:42 then the four octets in hex.
const macs = new Map([
  ['02:42:ac:10:64:64', 'lvs-node-0'],
  ['02:42:ac:10:64:65', 'lvs-node-1'],
  ['02:42:ac:10:64:66', 'lvs-node-2'],
  ['02:42:ac:10:64:32', 'client'],
])

function replyPath(run: string) {
  return repliesBypassDirector({
    vip,
    port: 80,
    stats: parseIpvsStats(read(`${run}-stats.txt`)),
    exchanges: parseCurlTransfers(read(`${run}-curl.txt`)),
    client: parseTcpdump(read(`${run}-client-capture.txt`)),
    director: parseTcpdump(read(`${run}-director-capture.txt`)),
    macs,
  })
}

function arp(run: string) {
  return arpSilence({
    vip,
    arping: parseArping(read(`${run}-arping.txt`)),
    client: parseTcpdump(read(`${run}-client-capture.txt`)),
    directorMac: '02:42:ac:10:64:64',
    realServerMacs: ['02:42:ac:10:64:65', '02:42:ac:10:64:66'],
    macs,
  })
}

function tunnel(run: string) {
  return tunnelledToRealServers({
    vip,
    port: 80,
    director: '172.16.100.100',
    stats: parseIpvsStats(read(`${run}-stats.txt`)),
    exchanges: parseCurlTransfers(read(`${run}-curl.txt`)),
    realServers: [1, 2].map((n) => ({ name: `lvs-node-${n}`, address: `172.16.100.10${n}`, capture: parseTcpdump(read(`${run}-node-${n}-capture.txt`)) })),
  })
}

describe('repliesBypassDirector', () => {
  it("holds for the article run: OutPkts 0, every reply from its server's MAC, none at the director", () => {
    expect(replyPath('dr').failures).toEqual([])
  })

  it('fails when a real server routes its replies via the director, naming what the director saw', () => {
    const v = replyPath('via-director')
    expect(passed(v)).toBe(false)
    expect(v.failures.join('\n')).toMatch(/the director's capture saw \d+ reply segments from 172\.16\.100\.200:80/)
  })

  it('fails when the replies to a connection come from the MAC of a server other than the one that served it', () => {
    const exchanges = parseCurlTransfers(read('dr-curl.txt')).map((x) => ({ ...x, server: x.server === 'lvs-node-1' ? 'lvs-node-2' : 'lvs-node-1' }))
    const v = repliesBypassDirector({
      vip,
      port: 80,
      stats: parseIpvsStats(read('dr-stats.txt')),
      exchanges,
      client: parseTcpdump(read('dr-client-capture.txt')),
      director: parseTcpdump(read('dr-director-capture.txt')),
      macs,
    })
    expect(v.failures).toHaveLength(8)
    expect(v.failures[0]).toMatch(/^replies to request 1 came from the MAC of lvs-node-\d, but lvs-node-\d served it$/)
  })

  it('refuses to judge from a capture that saw none of the requests', () => {
    const v = repliesBypassDirector({
      vip,
      port: 80,
      stats: parseIpvsStats(read('dr-stats.txt')),
      exchanges: parseCurlTransfers(read('dr-curl.txt')),
      client: parseTcpdump(read('dr-client-capture.txt')),
      director: { frames: [] },
      macs,
    })
    expect(v.failures).toEqual(['the director capture saw none of the requests, so it cannot show what is absent'])
  })
})

describe('arpSilence', () => {
  it('holds for the article run: the director alone answers, the real servers ask as themselves', () => {
    expect(arp('dr').failures).toEqual([])
  })

  it('fails with the ARP sysctls on lo only: lvs-node-1 answers for the VIP', () => {
    expect(arp('lo-only').failures).toContain('lvs-node-1 (02:42:ac:10:64:65) answered ARP for 172.16.100.200')
  })

  it('fails when a real server asks in the name of the VIP (arp_announce 0)', () => {
    const announce = '12:00:00.000000 02:42:ac:10:64:66 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 172.16.100.50 tell 172.16.100.200, length 28'
    const client = parseTcpdump(`${read('dr-client-capture.txt')}\n${announce}\n`)
    const v = arpSilence({
      vip,
      arping: parseArping(read('dr-arping.txt')),
      client,
      directorMac: '02:42:ac:10:64:64',
      realServerMacs: ['02:42:ac:10:64:65', '02:42:ac:10:64:66'],
      macs,
    })
    expect(v.failures).toEqual([`lvs-node-2 sent an ARP request speaking for 172.16.100.200: ${announce}`])
  })
})

describe('portNotRemapped', () => {
  const syn = (dst: string) =>
    `12:00:00.000000 02:42:ac:10:64:64 > 02:42:ac:10:64:65, ethertype IPv4 (0x0800), length 74: 172.16.100.50.40000 > ${dst}: Flags [S], seq 1, win 64240, length 0`
  const answered = parseCurlTransfers(read('dr-curl.txt')).filter((x) => x.server === 'lvs-node-1')

  it('holds when the SYN arrives for VIP:80 and the server answers', () => {
    expect(portNotRemapped(vip, 80, 'lvs-node-1', parseTcpdump(syn('172.16.100.200.80')), answered).failures).toEqual([])
  })

  it('fails when the SYN arrives rewritten to RIP:8080, as NAT does', () => {
    expect(portNotRemapped(vip, 80, 'lvs-node-1', parseTcpdump(syn('172.16.100.101.8080')), answered).failures).toEqual([
      'a SYN reached lvs-node-1 addressed to 172.16.100.101:8080, not 172.16.100.200:80',
    ])
  })
})

describe('tunnelledToRealServers', () => {
  it('holds for the TUN run: one IP-in-IP SYN per counted connection, every one answered', () => {
    expect(tunnel('tun').failures).toEqual([])
  })

  it("ignores a straggler of an earlier run: a real server's late SYN-ACK and the client's RST, forwarded unencapsulated (5.10)", () => {
    // Port 36190 was opened by an earlier test in DR mode; its SYN is not in this capture.
    expect(read('tun-straggler-5.10-node-1-capture.txt')).toContain('172.16.100.50.36190 > 172.16.100.200.80: Flags [R]')
    expect(tunnel('tun-straggler-5.10').failures).toEqual([])
  })

  it('fails when lvs-node-1 has no tunnel device: its connections go unanswered', () => {
    expect(tunnel('tun-no-device').failures).toContain('lvs-node-1 answered 0 of its 2 connections')
  })

  it('fails when the requests reach a real server unencapsulated (plain DR frames)', () => {
    const v = tunnelledToRealServers({
      vip,
      port: 80,
      director: '172.16.100.100',
      stats: parseIpvsStats(read('dr-stats.txt')),
      exchanges: parseCurlTransfers(read('dr-curl.txt')),
      realServers: [{ name: 'lvs-node-1', address: '172.16.100.101', capture: parseTcpdump(read('../../../lab/capture/__fixtures__/tcpdump-dr-rs-port-6.1.txt')) }],
    })
    expect(v.failures).toContain('lvs-node-1 received no IP-in-IP SYN from the director')
  })
})
