import { describe, expect, it } from 'vitest'
import { lintInputOf } from '../lint-input-of'
import { thresholdsNotSaved } from './thresholds-not-saved'

const check = (server: string) => thresholdsNotSaved.check(lintInputOf({ rules: `-A -t 192.168.100.6:80 -s wlc\n-a -t 192.168.100.6:80 -r 172.16.100.11:80 -m ${server}\n` }))

describe('thresholds-not-saved', () => {
  it('trips on -x/-y, long names too', () => {
    expect(check('-x 100 -y 50')).toMatchObject([{ severity: 'warning', line: 2, summary: '172.16.100.11:80 has -x 100 -y 50, which `ipvsadm -S` does not write' }])
    expect(check('--u-threshold 10')).toHaveLength(1)
  })

  it('holds without thresholds, or with 0 (no threshold)', () => {
    expect(check('-w 1')).toEqual([])
    expect(check('-x 0 -y 0')).toEqual([])
  })
})
