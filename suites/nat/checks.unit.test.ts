import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseCurlTransfers } from '../../lab/http/curl-transfers'
import { parseIpvsList, parseIpvsStats } from '../../lab/ipvs'
import { passed } from '../../fixtures/verdict'
import { connectionPerRequest, repliesThroughDirector } from './checks'
import { roundRobin, serviceIsListed } from '../../checks/round-robin'

// Output captured from the NAT suite on the 6.1 lab: the checks must tell good from broken.
const ipvs = (f: string) => readFileSync(new URL(`../../lab/ipvs/__fixtures__/${f}`, import.meta.url), 'utf8')
const curl = (f: string) => parseCurlTransfers(readFileSync(new URL(`../../lab/http/__fixtures__/${f}`, import.meta.url), 'utf8'))
const vip = '192.168.100.6'
const rips = ['172.16.100.12', '172.16.100.11']
const served = (n1: number, n2: number) =>
  new Map([
    ['172.16.100.11', n1],
    ['172.16.100.12', n2],
  ])

describe('NAT checks on captured lab output', () => {
  it('the listing check passes on the article table and fails with a Route server', () => {
    expect(passed(serviceIsListed(parseIpvsList(ipvs('list-lab-nat-6.1.txt')), vip, rips))).toBe(true)
    expect(serviceIsListed(parseIpvsList(ipvs('list-lab-nat-route-6.1.txt')), vip, rips).failures).toContain('172.16.100.11 forwards as Route, not Masq')
  })

  it('rr passes on the alternating sequence and fails when one server never answers', () => {
    expect(passed(roundRobin(curl('curl-nat-8.txt'), ['lvs-node-1', 'lvs-node-2'], 8))).toBe(true)
    expect(passed(roundRobin(curl('curl-nat-8.txt'), ['lvs-node-2', 'lvs-node-1'], 8))).toBe(false)
    expect(passed(roundRobin(curl('curl-nat-gateway-broken.txt'), ['lvs-node-1', 'lvs-node-2'], 8))).toBe(false)
  })

  it('one connection per request fails when connections are reused or Conns is short', () => {
    expect(passed(connectionPerRequest(curl('curl-nat-8.txt'), 8, 8))).toBe(true)
    expect(passed(connectionPerRequest(curl('curl-nat-8.txt'), 7, 8))).toBe(false)
    expect(passed(connectionPerRequest(curl('curl-nat-keepalive.txt'), 1, 8))).toBe(false)
  })

  it('the reply-path check fails when a real server or the director drops the replies', () => {
    expect(passed(repliesThroughDirector(parseIpvsStats(ipvs('stats-lab-nat-6.1.txt')), vip, served(4, 4)))).toBe(true)
    const gw = repliesThroughDirector(parseIpvsStats(ipvs('stats-lab-nat-gateway-broken-6.1.txt')), vip, served(0, 4))
    expect(gw.failures.some((f) => f.startsWith('172.16.100.11: OutPkts 0'))).toBe(true)
    expect(gw.failures.some((f) => f.startsWith('172.16.100.12'))).toBe(false)
    const fwd = repliesThroughDirector(parseIpvsStats(ipvs('stats-lab-nat-ipforward0-6.1.txt')), vip, served(0, 0))
    expect(fwd.failures.filter((f) => f.includes('OutPkts 0'))).toHaveLength(2)
  })
})
