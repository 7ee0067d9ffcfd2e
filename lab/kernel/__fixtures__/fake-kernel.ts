import fs from 'node:fs/promises'
import path from 'node:path'
import { coreNeeds, schedulers, schedulerNeed } from '../kernel-needs'

/** A bzImage's first bytes as the x86 boot protocol lays them out, its version string at `at`. */
export function bzImage(version: string, at = 0x3000): Buffer {
  const head = Buffer.alloc(0x4000)
  head.write('HdrS', 0x202, 'latin1')
  head.writeUInt16LE(at - 0x200, 0x20e)
  head.write(`${version}\0`, at, 'latin1')
  return head
}

/** Every module the suites need, as (empty) files: enough for the pre-boot check and depmod. */
export const neededModules = [...coreNeeds.map((n) => n.module), ...schedulers.map((s) => schedulerNeed(s).module)]

/** A kernel laid out as a package unpacks: boot/vmlinuz-<release> and lib/modules/<release>/kernel/*.ko. */
export async function fakeKernelTree(root: string, release: string, modules = neededModules, imageRelease = release): Promise<void> {
  await fs.mkdir(path.join(root, 'boot'), { recursive: true })
  await fs.writeFile(path.join(root, 'boot', `vmlinuz-${release}`), bzImage(`${imageRelease} (test@lab) #1 SMP`))
  const dir = path.join(root, 'lib/modules', release, 'kernel')
  await fs.mkdir(dir, { recursive: true })
  for (const m of modules) await fs.writeFile(path.join(dir, `${m}.ko`), '')
}
