import { describe, expect, it } from 'vitest'
import { AnswerReader, encodeRequest, type AgentAnswer } from './agent-protocol'

function read(chunks: Buffer[]) {
  const answers: AgentAnswer[] = []
  let ready = 0
  const reader = new AnswerReader(
    () => ready++,
    (a) => answers.push(a),
  )
  for (const c of chunks) reader.push(c)
  return { answers, ready }
}

describe('the agent protocol', () => {
  it('counts a script’s lines, ending the last one', () => {
    expect(encodeRequest('c1', 5, 'a\nb')).toBe('c1 5 2\na\nb\n')
    expect(encodeRequest('c2', 0.5, 'x\n')).toBe('c2 0.5 1\nx\n')
  })

  it('reads answers split anywhere, byte-counted bodies with newlines and multi-byte characters in them', () => {
    const out = 'é\n@@lab c9 0 ok 0 0\n'
    const wire = Buffer.from(`@@lab-ready\nstray line\n@@lab c1 3 ok ${Buffer.byteLength(out)} 2\n${out}e\n@@lab c2 124 deadline 0 0\n`)
    for (const size of [1, 2, 5, 64]) {
      const chunks: Buffer[] = []
      for (let i = 0; i < wire.length; i += size) chunks.push(wire.subarray(i, i + size))
      const { answers, ready } = read(chunks)
      expect(ready).toBe(1)
      expect(answers).toEqual([
        { id: 'c1', exitCode: 3, deadlinePassed: false, stdout: out, stderr: 'e\n' },
        { id: 'c2', exitCode: 124, deadlinePassed: true, stdout: '', stderr: '' },
      ])
    }
  })
})
