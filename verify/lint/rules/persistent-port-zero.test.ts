import { describe, expect, it } from 'vitest'
import { lintInputOf } from '../lint-input-of'
import { persistentPortZero } from './persistent-port-zero'

const check = (rules: string) => persistentPortZero.check(lintInputOf({ rules }))

describe('persistent-port-zero', () => {
  it('trips on the PCC service of the article, naming the ports that keep their own service', () => {
    expect(
      check(
        '-A -t 172.16.100.200:0 -s rr -p 360\n-a -t 172.16.100.200:0 -r 172.16.100.101:0 -g -w 1\n-A -t 172.16.100.200:25 -s rr\n-a -t 172.16.100.200:25 -r 172.16.100.101:25 -g\n',
      ),
    ).toMatchObject([{ severity: 'warning', line: 1, summary: 'TCP 172.16.100.200:0 takes every TCP port of 172.16.100.200 that has no service of its own (not 25)' }])
  })

  it('holds for port services and marks', () => {
    expect(check('-A -t 172.16.100.200:80 -s rr -p 360\n-A -f 10 -s rr -p 360\n')).toEqual([])
  })
})
