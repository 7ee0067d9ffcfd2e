import fs from 'node:fs/promises'
import path from 'node:path'
import { exists } from '../cache'
import { LabError } from '../errors'
import { sh } from '../host/shell'
import type { KernelContents } from './check-kernel'
import { contentsOfTree } from './kernel-contents'

async function findFirst(root: string, candidates: string[]): Promise<string | undefined> {
  for (const c of candidates) if (await exists(path.join(root, c))) return path.join(root, c)
  return undefined
}

/** Where an unpacked kernel keeps its image: Debian's /boot, or the modules folder (newer split packages). */
export const vmlinuzIn = (unpacked: string, release: string) => findFirst(unpacked, [`boot/vmlinuz-${release}`, `usr/lib/modules/${release}/vmlinuz`, `boot/vmlinuz`])

/**
 * An unpacked kernel (`boot/`, `lib/modules/<release>` or `usr/lib/modules/<release>`) made into
 * a cache entry in `tmp`: `vmlinuz`, its `config`, `modules.cpio` with depmod's indexes,
 * `release`, and `contents.json` (what the pre-boot check reads). `check` sees the contents
 * before anything is packed, and may refuse the kernel there. Returns the release.
 */
export async function packKernel(unpacked: string, tmp: string, name: string, check?: (contents: KernelContents, vmlinuz: string) => Promise<void>): Promise<string> {
  const contents = await contentsOfTree(unpacked)
  const { release } = contents
  const vmlinuz = await vmlinuzIn(unpacked, release)
  if (!vmlinuz) throw new LabError(`${name} carries no vmlinuz`, 'report this kernel package; try another LVS_KERNEL')
  await check?.(contents, vmlinuz)
  await fs.rename(vmlinuz, path.join(tmp, 'vmlinuz'))
  // Older packages keep the config in /boot, which is not part of the modules cpio: kept for the pre-boot check.
  const config = await findFirst(unpacked, [`boot/config-${release}`])
  if (config) await fs.rename(config, path.join(tmp, 'config'))

  // Older packages keep modules in lib/modules, newer ones in usr/lib/modules.
  const modulesRoot = (await findFirst(unpacked, [`usr/lib/modules/${release}`, `lib/modules/${release}`]))!
  // The .deb ships no modules.dep: run depmod for that release over a staged tree.
  const stage = path.join(tmp, 'stage')
  await fs.mkdir(path.join(stage, 'usr/lib/modules'), { recursive: true })
  await fs.rename(modulesRoot, path.join(stage, 'usr/lib/modules', release))
  await fs.symlink('usr/lib', path.join(stage, 'lib'))
  await sh`depmod -b ${stage} ${release}`
  await sh`cd ${stage} && find usr | cpio -o -H newc --quiet > ${path.join(tmp, 'modules.cpio')}`
  await fs.rm(stage, { recursive: true })
  await fs.writeFile(path.join(tmp, 'release'), release)
  // Module paths relative to the tree: the check reads only their names.
  const modules = contents.modules.map((m) => path.relative(unpacked, m))
  await fs.writeFile(path.join(tmp, 'contents.json'), JSON.stringify({ ...contents, modules }))
  return release
}
