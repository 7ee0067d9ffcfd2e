import fs from 'node:fs/promises'
import path from 'node:path'
import { exists } from '../cache'
import { LabError } from '../errors'
import { sh } from '../host/shell'
import type { KernelContents } from './check-kernel'
import type { FetchedKernel } from './fetch-kernel'

const readIfThere = (file: string) => fs.readFile(file, 'utf8').catch(() => undefined)
const lines = (text: string | undefined) => text?.split('\n').filter(Boolean)

async function filesBelow(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name))
}

/**
 * What an unpacked kernel package holds: `lib/modules/<release>` (or `usr/lib/modules/<release>`)
 * and `/boot/config-<release>` or the modules folder's `config`, where the package has them.
 */
export async function contentsOfTree(root: string): Promise<KernelContents> {
  for (const modulesRoot of ['usr/lib/modules', 'lib/modules']) {
    const releases = await fs.readdir(path.join(root, modulesRoot)).catch(() => [] as string[])
    if (releases.length === 0) continue
    const release = releases[0]
    const dir = path.join(root, modulesRoot, release)
    const config = (await readIfThere(path.join(root, 'boot', `config-${release}`))) ?? (await readIfThere(path.join(dir, 'config')))
    return { release, modules: await filesBelow(dir), builtin: lines(await readIfThere(path.join(dir, 'modules.builtin'))), config }
  }
  throw new LabError(`${root} has no lib/modules/<release> or usr/lib/modules/<release>`, 'give the root of the unpacked kernel package')
}

/**
 * The same for a kernel in the lab's cache: the modules cpio's listing, its modules.builtin and
 * config where the package put them in the modules folder, else the `config` kept beside vmlinuz.
 * Read once and kept beside it as contents.json: listing a 90 MB cpio takes seconds under load.
 */
export async function contentsOfFetched(kernel: FetchedKernel): Promise<KernelContents> {
  const memo = path.join(path.dirname(kernel.vmlinuz), 'contents.json')
  const known = await readIfThere(memo)
  if (known) return JSON.parse(known) as KernelContents
  const contents = await readCpio(kernel)
  await fs.writeFile(`${memo}.tmp-${process.pid}`, JSON.stringify(contents))
  await fs.rename(`${memo}.tmp-${process.pid}`, memo)
  return contents
}

async function readCpio(kernel: FetchedKernel): Promise<KernelContents> {
  const listing = (await sh`cpio -it --quiet < ${kernel.modulesCpio}`).stdout.split('\n').filter(Boolean)
  const inCpio = async (name: string) => {
    const file = `usr/lib/modules/${kernel.release}/${name}`
    return listing.includes(file) ? (await sh`cpio -i --quiet --to-stdout ${file} < ${kernel.modulesCpio}`).stdout : undefined
  }
  const kept = path.join(path.dirname(kernel.vmlinuz), 'config')
  const config = (await exists(kept)) ? await fs.readFile(kept, 'utf8') : await inCpio('config')
  return { release: kernel.release, modules: listing, builtin: lines(await inCpio('modules.builtin')), config }
}
