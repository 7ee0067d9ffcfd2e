/** Splits Docker's multiplexed log buffer (8-byte frame headers) into stdout and stderr text. */
export function demuxBuffer(buf: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = []
  const err: Buffer[] = []
  let i = 0
  while (i + 8 <= buf.length) {
    const size = buf.readUInt32BE(i + 4)
    const frame = buf.subarray(i + 8, i + 8 + size)
    ;(buf[i] === 2 ? err : out).push(frame)
    i += 8 + size
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }
}
