import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseCurlTransfers } from './curl-transfers'

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')

describe('parseCurlTransfers', () => {
  it('reads each transfer of one curl process: server, Connection: close, new connection', () => {
    const got = parseCurlTransfers(fixture('curl-nat-8.txt'))
    expect(got.map((x) => x.server)).toEqual(['lvs-node-1', 'lvs-node-2', 'lvs-node-1', 'lvs-node-2', 'lvs-node-1', 'lvs-node-2', 'lvs-node-1', 'lvs-node-2'])
    expect(got.every((x) => x.status === 200 && x.connectionClose && x.newConnection && x.curlExit === 0)).toBe(true)
  })

  it('keeps a failed transfer as a record with its curl exit code', () => {
    const got = parseCurlTransfers(fixture('curl-nat-gateway-broken.txt'))
    expect(got).toHaveLength(8)
    expect(got.filter((x) => x.curlExit !== 0).length).toBeGreaterThan(0)
    expect(got.find((x) => x.curlExit !== 0)?.status).toBe(0)
  })

  it('sees a reused connection when the server keeps it alive', () => {
    const got = parseCurlTransfers(fixture('curl-nat-keepalive.txt'))
    expect(got[0].newConnection).toBe(true)
    expect(got.slice(1).some((x) => !x.newConnection)).toBe(true)
    expect(got.some((x) => x.connectionClose)).toBe(false)
  })

  it('returns nothing for output without transfers', () => {
    expect(parseCurlTransfers('')).toEqual([])
  })
})
