import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseHeldConnections } from './held-connections'

const lab = (f: string) => readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url), 'utf8')

describe('parseHeldConnections (output of Client.hold and Client.held on the 6.1 lab)', () => {
  it('reads id, server and lines received, in order', () => {
    expect(parseHeldConnections(lab('held-wlc-6.1.txt'))).toEqual([
      { id: 1, server: 'lvs-node-1', lines: 1 },
      { id: 2, server: 'lvs-node-2', lines: 1 },
      { id: 3, server: 'lvs-node-3', lines: 1 },
      { id: 4, server: 'lvs-node-1', lines: 1 },
    ])
    expect(parseHeldConnections(lab('held-listing-6.1.txt')).map((h) => h.lines)).toEqual([6, 6, 5, 5])
  })

  it('reads whether the client\u2019s end is still open, where Client.held says', () => {
    expect(parseHeldConnections('@@held 1 lvs-node-1 2 open\n@@held 2 lvs-node-1 1 closed\n')).toEqual([
      { id: 1, server: 'lvs-node-1', lines: 2, open: true },
      { id: 2, server: 'lvs-node-1', lines: 1, open: false },
    ])
  })

  it('a refused connection has no server; stray lines are ignored', () => {
    expect(parseHeldConnections('socat[12] E connect(): Connection refused\n@@held 7 - 0\n')).toEqual([{ id: 7, server: undefined, lines: 0 }])
  })
})
