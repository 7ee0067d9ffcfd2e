import { describe, expect, it } from 'vitest'
import { lintInputOf } from '../lint-input-of'
import { persistenceHorizon } from './persistence-horizon'

const dr = (options: string, weights = [1, 1]) =>
  [`-A -t 172.16.100.200:80 -s rr ${options}`, ...weights.map((w, i) => `-a -t 172.16.100.200:80 -r 172.16.100.10${i + 1}:80 -g -w ${w}`)].join('\n')
const check = (texts: { rules: string; mangle?: string; sysctl?: string }) => persistenceHorizon.check(lintInputOf(texts))

describe('persistence-horizon', () => {
  it('trips (warning) when a finished connection outlives -p: FIN_WAIT 120 s holds a -p 60 template to 120 s', () => {
    const [f] = check({ rules: dr('-p 60') })
    expect(f).toMatchObject({
      severity: 'warning',
      line: 1,
      summary: 'TCP 172.16.100.200:80 -p 60: a client stays on its server 120 s after its last new connection, up to 900 s while a connection is left open',
    })
    expect(f!.wire).toMatch(/from the kernel's defaults; the file has no --set/)
  })

  it('trips (warning) on a drained server that keeps its clients, unless expire_quiescent_template is 1', () => {
    const rules = dr('-p 360', [1, 0])
    expect(check({ rules })[0]).toMatchObject({ severity: 'warning', wire: expect.stringMatching(/172\.16\.100\.102 \(weight 0\) keep reaching it.*0 by default/) })
    expect(check({ rules, sysctl: 'net.ipv4.vs.expire_quiescent_template = 1\n' })[0]!.severity).toBe('info')
  })

  it('holds (info, in seconds) when -p decides: --set tcpfin below -p, a UDP mark within it', () => {
    expect(check({ rules: `--set 600 30 300\n${dr('-p 360')}` })[0]).toMatchObject({
      severity: 'info',
      summary: 'TCP 172.16.100.200:80 -p 360: a client stays on its server 360 s after its last new connection, up to 600 s while a connection is left open',
      wire: expect.stringMatching(/from --set at line 1/),
    })
    const mangle = '*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p udp -m udp --dport 53 -j MARK --set-mark 5\nCOMMIT\n'
    expect(check({ rules: '-A -f 5 -s rr -p 360\n-a -f 5 -r 10.0.0.1:0 -m\n', mangle })[0]).toMatchObject({
      severity: 'info',
      summary: 'FWM 5 -p 360: a client stays on its server 360 s after its last new connection',
    })
    expect(check({ rules: '-A -t 172.16.100.200:80 -s rr\n' })).toEqual([])
  })
})
