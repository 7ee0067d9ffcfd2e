import { describe, expect, it } from 'vitest'
import { parseIpvsTimeout } from './parse-timeout'
import { IpvsParseError } from './parse-error'
import { fixture } from './fixtures'

describe('parseIpvsTimeout', () => {
  it('reads the three timeouts', () => {
    expect(parseIpvsTimeout(fixture('timeout-default.txt'))).toEqual({ tcp: 900, tcpFin: 120, udp: 300 })
    expect(parseIpvsTimeout('Timeout (tcp tcpfin udp): 0 0 0')).toEqual({ tcp: 0, tcpFin: 0, udp: 0 })
  })

  it.each(['', 'Timeout (tcp tcpfin udp): 900 120', 'Timeout (tcp tcpfin udp): 900 120 300\nextra', fixture('list-nat.txt')])('rejects %j', (text) => {
    expect(() => parseIpvsTimeout(text)).toThrow(IpvsParseError)
  })
})
