import { describe, expect, it } from 'vitest'
import { lintInputOf } from '../lint-input-of'
import { wideNetmask } from './wide-netmask'

const check = (options: string) => wideNetmask.check(lintInputOf({ rules: `-A -t 172.16.100.200:80 -s rr -p 360 ${options}\n` }))

describe('wide-netmask', () => {
  it('trips on a mask wider than /24, saying how many clients share a template, and on -M 24', () => {
    expect(check('-M 255.255.0.0')).toMatchObject([{ severity: 'warning', line: 1, summary: '-M 255.255.0.0 (/16) makes 65536 client addresses share one template' }])
    expect(check('-M 24')).toMatchObject([
      { summary: '-M 0.0.0.24 is not a prefix mask (ipvsadm reads -M 24 as 0.0.0.24): groups of 1073741824 scattered addresses share one template' },
    ])
  })

  it('holds for /24 and narrower, and for the host mask', () => {
    expect(check('-M 255.255.255.0')).toEqual([])
    expect(check('-M 255.255.255.240')).toEqual([])
    expect(check('')).toEqual([])
  })
})
