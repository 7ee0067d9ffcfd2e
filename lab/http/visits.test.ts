import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseVisits } from './visits'

const fixture = (name: string) => readFileSync(new URL(`../../suites/fwm/__fixtures__/${name}`, import.meta.url), 'utf8')

describe('parseVisits (output of Client.visit, captured on 6.1)', () => {
  it('reads each request: its client, port, start time and the server that answered', () => {
    const visits = parseVisits(fixture('fwm-curl-6.1.txt'))
    expect(visits).toHaveLength(8)
    expect(visits.map((v) => v.port)).toEqual([80, 80, 443, 443, 80, 443, 80, 443])
    expect(new Set(visits.map((v) => v.client)).size).toBe(2)
    for (const v of visits) {
      expect(v.exchange).toMatchObject({ curlExit: 0, status: 200 })
      expect(v.exchange.server).toMatch(/^lvs-node-[12]$/)
    }
    const times = visits.map((v) => v.startedAt)
    expect(times).toEqual([...times].sort((a, b) => a - b))
  })

  it('keeps a refused request as one with curl exit 7 and no server', () => {
    const visits = parseVisits(fixture('no-443-mark-curl-6.1.txt'))
    const refused = visits.filter((v) => v.port === 443)
    expect(refused).toHaveLength(4)
    for (const v of refused) expect(v.exchange).toMatchObject({ curlExit: 7, status: 0, server: undefined })
    expect(visits.filter((v) => v.port === 80).every((v) => v.exchange.server)).toBe(true)
  })

  it('refuses a visit header it cannot read', () => {
    expect(() => parseVisits('@@visit 1 172.16.100.51 80\n@@transfer 200 1 1234 0\n')).toThrow(/5/)
  })

  it("refuses a visit without curl's write-out line", () => {
    expect(() => parseVisits('@@visit 1 172.16.100.51 80 http://x/ 1.5\n')).toThrow(/write-out/)
  })
})
