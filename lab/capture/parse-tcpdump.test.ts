import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseArping } from './parse-arping'
import { parseTcpdump, undeliveredFrames } from './parse-tcpdump'
import { summarizeCapture } from './summarize'

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')

describe('parseTcpdump (tcpdump -nn -e, captured in the DR lab on 6.1)', () => {
  it('reads MACs, TCP endpoints and flags of a reply sent by a real server from the VIP', () => {
    const { frames } = parseTcpdump(fixture('tcpdump-dr-client-6.1.txt'))
    const synAck = frames.find((f) => f.ip?.tcpFlags === 'S.')!
    expect(synAck.srcMac).toBe('02:42:ac:10:64:66')
    expect(synAck.ip).toEqual({ src: { address: '172.16.100.200', port: 80 }, dst: { address: '172.16.100.50', port: 46008 }, tcpFlags: 'S.' })
    expect(frames).toHaveLength(35)
  })

  it('reads ARP requests and replies, with the address each speaks for', () => {
    const arp = parseTcpdump(fixture('tcpdump-dr-client-6.1.txt')).frames.filter((f) => f.arp)
    expect(arp.find((f) => f.srcMac === '02:42:ac:10:64:65')?.arp).toEqual({ op: 'request', targetIp: '172.16.100.50', senderIp: '172.16.100.101' })
    expect(arp.find((f) => f.arp?.op === 'reply' && f.arp.senderIp === '172.16.100.200')?.srcMac).toBe('02:42:ac:10:64:64')
    // arping -b asks with the broadcast MAC in the target field: `who-has X (ff:ff:...) tell Y`.
    expect(arp.filter((f) => f.arp?.op === 'request' && f.arp.targetIp === '172.16.100.200')).toHaveLength(6)
  })

  it('reads the inner packet of an IP-in-IP frame', () => {
    const ipip = parseTcpdump(fixture('tcpdump-tun-rs-6.1.txt')).frames.filter((f) => f.ip?.inner)
    expect(ipip.length).toBeGreaterThan(0)
    expect(ipip[0].ip).toMatchObject({ src: { address: '172.16.100.100' }, dst: { address: '172.16.100.101' }, inner: { dst: { address: '172.16.100.200', port: 80 } } })
    expect(ipip[0].ip!.src.port).toBeUndefined()
  })

  it('reads tcpdump closing counts from its stderr', () => {
    const c = parseTcpdump('', 'listening on eth0\n20 packets captured\n20 packets received by filter\n0 packets dropped by kernel\n')
    expect(c).toMatchObject({ captured: 20, droppedByKernel: 0 })
    expect(parseTcpdump('junk\n\n').frames).toEqual([])
  })

  it('reads the counts SIGUSR1 prints on one line, and takes the closing ones as the latest', () => {
    // tcpdump on lo in a lab node (6.1): 3 pings, SIGUSR1, 2 pings, SIGINT
    const stderr = fixture('tcpdump-stderr-usr1-6.1.txt')
    expect(parseTcpdump('', stderr.split('\n10 packets')[0])).toMatchObject({ captured: 6, receivedByFilter: 12, droppedByKernel: 0 })
    expect(parseTcpdump('', stderr)).toMatchObject({ captured: 10, receivedByFilter: 20, droppedByKernel: 0 })
  })

  it('counts the frames the filter took in that tcpdump never printed', () => {
    expect(undeliveredFrames({ frames: [], captured: 3, receivedByFilter: 40, droppedByKernel: 0 })).toBe(37)
    expect(undeliveredFrames({ frames: [], captured: 38, receivedByFilter: 40, droppedByKernel: 2 })).toBe(0)
    expect(undeliveredFrames({ frames: [] })).toBe(0)
    // a frame from before the filter was set: counted, filtered out in userland, never printed
    expect(undeliveredFrames({ frames: [], captured: 80, receivedByFilter: 81, droppedByKernel: 0, filteredAtStart: 1 })).toBe(0)
    expect(undeliveredFrames({ frames: [], captured: 79, receivedByFilter: 81, droppedByKernel: 0, filteredAtStart: 1 })).toBe(1)
  })
})

describe('parseArping', () => {
  it('lists each reply with its MAC: one host answering, then two', () => {
    expect(parseArping(fixture('arping-dr-6.1.txt'))).toEqual([
      { address: '172.16.100.200', mac: '02:42:ac:10:64:64' },
      { address: '172.16.100.200', mac: '02:42:ac:10:64:64' },
    ])
    expect(new Set(parseArping(fixture('arping-dr-arp-ignore-0-6.1.txt')).map((r) => r.mac))).toEqual(new Set(['02:42:ac:10:64:65', '02:42:ac:10:64:64']))
  })
})

describe('summarizeCapture', () => {
  it('counts frames by sender, receiver and what they carried, naming lab nodes by MAC', () => {
    const owners = new Map([
      ['02:42:ac:10:64:64', 'lvs-node-0'],
      ['02:42:ac:10:64:65', 'lvs-node-1'],
      ['02:42:ac:10:64:32', 'client'],
    ])
    const summary = summarizeCapture(parseTcpdump(fixture('tcpdump-tun-rs-6.1.txt'), '10 packets captured\n10 packets received by filter\n0 packets dropped by kernel\n'), owners)
    expect(summary.split('\n')).toEqual([
      '10 frames (10 taken in by the filter), 0 dropped by the kernel',
      '   5  lvs-node-0 -> lvs-node-1: IP-in-IP 172.16.100.100 > 172.16.100.101 carrying 172.16.100.50 > 172.16.100.200:80',
      '   5  lvs-node-1 -> client: IPv4 172.16.100.200:80 > 172.16.100.50',
    ])
  })
})
