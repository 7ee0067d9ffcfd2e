import { describe, expect, it } from 'vitest'
import { imageRelease } from './image-release'

/** A bzImage's first bytes as the boot protocol lays them out, with the version string at `at`. */
function bzImage(version: string, at = 0x3000): Buffer {
  const head = Buffer.alloc(0x4000)
  head.write('HdrS', 0x202, 'latin1')
  head.writeUInt16LE(at - 0x200, 0x20e)
  head.write(`${version}\0`, at, 'latin1')
  return head
}

describe('imageRelease', () => {
  it("reads uname -r from the image's version string (the first word)", () => {
    expect(imageRelease(bzImage('6.1.0-57-cloud-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-20)'))).toBe('6.1.0-57-cloud-amd64')
    expect(imageRelease(bzImage('6.18.0-rc3+ (me@box) #7 SMP'))).toBe('6.18.0-rc3+')
  })

  it('says nothing of bytes that are not a bzImage: a .deb, a gzip, a too-short file', () => {
    expect(imageRelease(Buffer.from('!<arch>\ndebian-binary   '.padEnd(0x400, ' ')))).toBeUndefined()
    expect(imageRelease(Buffer.from([0x1f, 0x8b, 8, 0]))).toBeUndefined()
    const pointingPast = bzImage('6.1.0')
    pointingPast.writeUInt16LE(0xff00, 0x20e)
    expect(imageRelease(pointingPast)).toBeUndefined()
  })
})
