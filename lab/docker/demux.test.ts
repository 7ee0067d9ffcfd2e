import { describe, expect, it } from 'vitest'
import { demuxBuffer } from './demux'

const frame = (stream: 1 | 2, text: string) => {
  const body = Buffer.from(text)
  const head = Buffer.alloc(8)
  head[0] = stream
  head.writeUInt32BE(body.length, 4)
  return Buffer.concat([head, body])
}

describe('demuxBuffer', () => {
  it("splits Docker's framed log into stdout and stderr", () => {
    const buf = Buffer.concat([frame(1, '6.1.0-56-cloud-amd64\n'), frame(2, 'warning\n'), frame(1, 'IP Virtual Server version 1.2.1 (size=4096)\n')])
    expect(demuxBuffer(buf)).toEqual({ stdout: '6.1.0-56-cloud-amd64\nIP Virtual Server version 1.2.1 (size=4096)\n', stderr: 'warning\n' })
  })
})
