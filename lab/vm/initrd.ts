import { createReadStream, createWriteStream } from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { buildAtomically } from '../cache'
import type { BuiltRoots } from '../image/build-roots'
import type { FetchedKernel } from '../kernel/fetch-kernel'

/**
 * The kernel unpacks concatenated cpio archives one after another, so a guest's initramfs
 * is the shared root followed by one kernel's modules: the user space is built once for
 * every kernel.
 */
export async function assembleInitrd(cacheDir: string, roots: BuiltRoots, kernel: FetchedKernel): Promise<string> {
  // A user's kernel may share its release, even its image, with an archive kernel or an earlier
  // build of its own (the same vmlinuz with other modules): its cache entry, keyed by the files given, tells them apart.
  const key = kernel.own ? `${kernel.release}-${path.basename(path.dirname(kernel.modulesCpio))}` : kernel.release
  const target = path.join(cacheDir, 'initrd', `${roots.hash}-${key}.cpio`)
  return buildAtomically(target, async (tmp) => {
    const out = createWriteStream(tmp)
    await pipeline(createReadStream(roots.guestCpio), out, { end: false })
    await pipeline(createReadStream(kernel.modulesCpio), out)
  })
}
