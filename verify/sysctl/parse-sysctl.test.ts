import { describe, expect, it } from 'vitest'
import { parseSysctl } from './parse-sysctl'

describe('parseSysctl', () => {
  it('reads sysctl -a lines with their line numbers, skipping its complaints', () => {
    const s = parseSysctl(
      'net.ipv4.ip_forward = 1\nsysctl: permission denied on key "fs.protected_hardlinks"\nnet.ipv4.tcp_rmem = 4096\t131072\t6291456\nnet.ipv4.vs.expire_quiescent_template=0\n',
      's',
    )
    expect(s.get('net.ipv4.ip_forward')).toEqual({ value: '1', line: 1 })
    expect(s.get('net.ipv4.tcp_rmem')!.value).toBe('4096\t131072\t6291456')
    expect(s.get('net.ipv4.vs.expire_quiescent_template')).toEqual({ value: '0', line: 4 })
  })

  it.each([
    ['iptables-save output', '*mangle\nCOMMIT\n'],
    ['an empty file', '\n'],
  ])('refuses %s', (_what, text) => {
    expect(() => parseSysctl(text, 's')).toThrow(/sysctl -a/)
  })
})
