import { describe, expect, it } from 'vitest'
import { lintInputOf } from '../lint-input-of'
import { portsSplitPersistence } from './ports-split-persistence'

const service = (port: number, servers: string[], options = ' -p 360') => [
  `-A -t 172.16.100.200:${port} -s rr${options}`,
  ...servers.map((s) => `-a -t 172.16.100.200:${port} -r ${s}:${port} -g -w 1`),
]
const check = (lines: string[]) => portsSplitPersistence.check(lintInputOf({ rules: lines.join('\n') }))
const shop = ['172.16.100.101', '172.16.100.102']

describe('ports-split-persistence', () => {
  it('trips on 80 and 443 persistent apart on one VIP and the same servers (the lost cart)', () => {
    expect(check([...service(80, shop), ...service(443, shop)])).toMatchObject([
      { severity: 'warning', line: 1, summary: 'TCP 172.16.100.200:80 and TCP 172.16.100.200:443 are persistent each on their own, on one VIP and the same real servers' },
    ])
  })

  it('holds for one persistent port, for ports without persistence and for separate farms', () => {
    expect(check([...service(80, shop), ...service(443, shop, '')])).toEqual([])
    expect(check([...service(80, shop.slice(0, 1)), ...service(443, shop.slice(1))])).toEqual([])
  })
})
