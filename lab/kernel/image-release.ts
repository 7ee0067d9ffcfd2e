/**
 * `uname -r` as an x86 kernel image states it. A bzImage's setup header carries the magic
 * `HdrS` at 0x202 and, at 0x20e, where its version string starts (minus 0x200): the string
 * `uname -a` shows, `6.1.0-57-cloud-amd64 (debian-kernel@lists.debian.org) #1 SMP ...`, whose first
 * word is the release (Documentation/arch/x86/boot.rst, "kernel_version").
 * Returns undefined when the bytes are not a bzImage.
 */
export function imageRelease(head: Buffer): string | undefined {
  if (head.length < 0x210 || head.toString('latin1', 0x202, 0x206) !== 'HdrS') return undefined
  const at = head.readUInt16LE(0x20e) + 0x200
  if (at >= head.length) return undefined
  const end = head.indexOf(0, at)
  const version = head.toString('latin1', at, end < 0 ? head.length : end)
  return /^\S+/.exec(version)?.[0]
}

/** How much of an image to read for imageRelease: the setup code (at most 64 sectors) and past it. */
export const imageHeadBytes = 0x10000
