import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseSourcedTransfers } from './sourced-transfers'

const lab = (f: string) => readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url), 'utf8')
const servers = (m: Map<string, { server?: string }[]>) => Object.fromEntries([...m].map(([k, xs]) => [k, xs.map((x) => x.server ?? '-')]))

describe('parseSourcedTransfers (Client.getFrom on the 6.1 lab, three source addresses x 2 requests, one curl process)', () => {
  it('sh: the transfers of one curl process grouped by the key each line ends with', () => {
    expect(servers(parseSourcedTransfers(lab('curl-sourced-sh-6.1.txt')))).toEqual({
      '192.168.100.21': ['lvs-node-2', 'lvs-node-2'],
      '192.168.100.22': ['lvs-node-3', 'lvs-node-3'],
      '192.168.100.23': ['lvs-node-2', 'lvs-node-2'],
    })
  })

  it('refused requests (curl exit 7, no status, no port) keep their key', () => {
    const m = parseSourcedTransfers(lab('curl-sourced-sh-weight0-6.1.txt'))
    expect(m.get('192.168.100.21')!.map((x) => [x.status, x.curlExit])).toEqual([
      [0, 7],
      [0, 7],
    ])
    expect(servers(m)['192.168.100.22']).toEqual(['lvs-node-3', 'lvs-node-3'])
  })
})
