import { describe, expect, it } from 'vitest'
import { bzImage } from './__fixtures__/fake-kernel'
import { imageRelease } from './image-release'

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
