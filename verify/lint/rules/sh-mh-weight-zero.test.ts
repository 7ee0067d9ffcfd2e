import { describe, expect, it } from 'vitest'
import { lintInputOf } from '../lint-input-of'
import { shMhWeightZero } from './sh-mh-weight-zero'

const service = (scheduler: string, flags = '') =>
  `-A -t 192.168.100.6:80 -s ${scheduler}${flags}\n-a -t 192.168.100.6:80 -r 172.16.100.11:80 -m -w 1\n-a -t 192.168.100.6:80 -r 172.16.100.12:80 -m -w 0\n`
const check = (rules: string) => shMhWeightZero.check(lintInputOf({ rules }))

describe('sh-mh-weight-zero', () => {
  it('trips on sh and mh servers drained without the fallback flag', () => {
    expect(check(service('sh'))).toMatchObject([{ severity: 'error', line: 3, summary: '172.16.100.12:80 is at weight 0 under sh without -b sh-fallback' }])
    expect(check(service('mh', ' -b mh-port'))[0]!.todo).toMatch(/-b mh-port,mh-fallback/)
  })

  it('holds with the flag, and for schedulers that skip weight 0', () => {
    expect(check(service('sh', ' -b sh-fallback'))).toEqual([])
    expect(check(service('rr'))).toEqual([])
  })
})
