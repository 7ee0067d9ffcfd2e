import fs from 'node:fs/promises'
import path from 'node:path'
import { buildAtomically, exists } from '../cache'
import { LabError } from '../errors'
import { sh } from '../host/shell'
import { say } from '../progress'
import { PrivateApt } from './apt'
import type { KernelSeries } from './series'

/** A Debian cloud kernel, unpacked into the cache. */
export interface FetchedKernel {
  series: string
  /** The versioned package, e.g. linux-image-6.1.0-56-cloud-amd64. */
  package: string
  /** Its Debian version, e.g. 6.1.192-2. */
  packageVersion: string
  /** `uname -r` in the guest. */
  release: string
  vmlinuz: string
  /** A cpio of usr/lib/modules/<release> with depmod's indexes, appended to the guest root. */
  modulesCpio: string
}

// Split packages (sid, experimental): the image depends on linux-binary-, linux-modules- and linux-base-
// (the config and modules.builtin, which the pre-boot check reads).
const kernelPackage = /^linux-(image|binary|modules|base)-\d/

/** The archive answered, and it has no such kernel: bad input, not a fault of the network. */
export class MissingKernelPackage extends LabError {}

const meta = 'linux-image-cloud-amd64'

/** `linux-image-6.1.0-57-cloud-amd64 (= 6.1.192-3) | foo` -> the name and the exact version asked for, if any. */
function dependency(dep: string): { name: string; version?: string } {
  const first = dep.split('|')[0].trim()
  return { name: first.split(/\s/)[0], version: /\(=\s*([^)\s]+)\)/.exec(first)?.[1] }
}

/**
 * Follows the cloud meta package to the versioned packages that carry vmlinuz and modules: its
 * candidate, or with a pin the newest version the indexes list that starts with it (a series'
 * point release stays listed beside its security update), followed by exact versions. Exported for its tests.
 */
export async function resolvePackages(apt: PrivateApt, pin?: string): Promise<{ packages: string[]; version: string }> {
  const pinned = pin ? (await apt.versions(meta)).find((f) => f.Version === pin || f.Version?.startsWith(pin)) : undefined
  const seen = new Set<string>()
  const queue: { name: string; version?: string }[] = [{ name: meta, version: pinned?.Version }]
  let version = ''
  while (queue.length > 0) {
    const next = queue.shift()!
    const spec = next.version && pinned ? `${next.name}=${next.version}` : next.name
    const fields = await apt.show(spec)
    if (!fields.Package) throw new MissingKernelPackage(`the Debian archive has no package ${spec} for ${apt.series.name}`, 'check LVS_KERNEL and LVS_DEBIAN_MIRROR')
    if (next.name !== meta) {
      seen.add(spec)
      version ||= fields.Version
    }
    for (const dep of (fields.Depends ?? '').split(',').map(dependency)) {
      if (kernelPackage.test(dep.name) && ![...seen].some((s) => s.split('=')[0] === dep.name) && !queue.some((q) => q.name === dep.name)) queue.push(dep)
    }
  }
  if (seen.size === 0) throw new MissingKernelPackage(`${meta} in ${apt.series.name} names no versioned kernel package`, 'try another LVS_KERNEL')
  return { packages: [...seen], version }
}

/** Where the cache records a series' kernel: its newest as `<series>.json`, a pinned one apart from it. */
export const kernelRecord = (cacheDir: string, series: KernelSeries, pin?: string) => path.join(cacheDir, 'kernels', `${series.name}${pin ? `@${pin}` : ''}.json`)

async function findFirst(root: string, candidates: string[]): Promise<string | undefined> {
  for (const c of candidates) if (await exists(path.join(root, c))) return path.join(root, c)
  return undefined
}

/** The series' newest cloud kernel, or with `pin` (`6.1.192-3`) the one of that version, unpacked into the cache. */
export async function fetchKernel(series: KernelSeries, cacheDir: string, mirror: string, refresh = false, pin?: string): Promise<FetchedKernel> {
  const record = kernelRecord(cacheDir, series, pin)
  if (!refresh && (await exists(record))) {
    const known = JSON.parse(await fs.readFile(record, 'utf8')) as FetchedKernel
    if ((await exists(known.vmlinuz)) && (await exists(known.modulesCpio))) return known
  }

  const apt = new PrivateApt(path.join(cacheDir, 'apt', series.name), series, mirror)
  say(`resolving the ${series.name} cloud kernel in the Debian archive`)
  try {
    await apt.update()
  } catch (err) {
    throw new LabError(`cannot read the Debian archive for ${series.name} (${mirror})`, `check the network or LVS_DEBIAN_MIRROR (${firstLine(err)})`)
  }
  const { packages, version } = await resolvePackages(apt, pin)
  const name = packages[0].split('=')[0]
  say(`downloading ${packages.map((p) => p.split('=')[0]).join(', ')} ${version}`)

  let release = ''
  const dir = await buildAtomically(path.join(cacheDir, 'kernels', `${name}_${version}`), async (tmp) => {
    const debs = path.join(tmp, 'debs')
    const unpacked = path.join(tmp, 'unpacked')
    await fs.mkdir(debs, { recursive: true })
    await fs.mkdir(unpacked, { recursive: true })
    await apt.download(packages, debs)
    for (const deb of await fs.readdir(debs)) await sh`dpkg-deb -x ${path.join(debs, deb)} ${unpacked}`
    // Older packages keep modules in lib/modules, newer ones in usr/lib/modules.
    const modulesRoot = (await findFirst(unpacked, ['usr/lib/modules', 'lib/modules']))!
    release = (await fs.readdir(modulesRoot))[0]
    const vmlinuz = await findFirst(unpacked, [`boot/vmlinuz-${release}`, `usr/lib/modules/${release}/vmlinuz`, `boot/vmlinuz`])
    if (!vmlinuz) throw new LabError(`${name} ${version} carries no vmlinuz`, 'report this kernel package; try another LVS_KERNEL')
    await fs.rename(vmlinuz, path.join(tmp, 'vmlinuz'))
    // Older packages keep the config in /boot, which is not part of the modules cpio: kept for the pre-boot check.
    const config = await findFirst(unpacked, [`boot/config-${release}`])
    if (config) await fs.rename(config, path.join(tmp, 'config'))

    // The .deb ships no modules.dep: run depmod for that release over a staged tree.
    const stage = path.join(tmp, 'stage')
    await fs.mkdir(path.join(stage, 'usr/lib/modules'), { recursive: true })
    await fs.rename(path.join(modulesRoot, release), path.join(stage, 'usr/lib/modules', release))
    await fs.symlink('usr/lib', path.join(stage, 'lib'))
    await sh`depmod -b ${stage} ${release}`
    await sh`cd ${stage} && find usr | cpio -o -H newc --quiet > ${path.join(tmp, 'modules.cpio')}`
    await fs.rm(stage, { recursive: true })
    await fs.rm(unpacked, { recursive: true })
    await fs.rm(debs, { recursive: true })
    await fs.writeFile(path.join(tmp, 'release'), release)
  })
  release ||= (await fs.readFile(path.join(dir, 'release'), 'utf8')).trim()

  const fetched: FetchedKernel = {
    series: series.name,
    package: name,
    packageVersion: version,
    release,
    vmlinuz: path.join(dir, 'vmlinuz'),
    modulesCpio: path.join(dir, 'modules.cpio'),
  }
  await fs.writeFile(`${record}.tmp-${process.pid}`, JSON.stringify(fetched, null, 2))
  await fs.rename(`${record}.tmp-${process.pid}`, record)
  return fetched
}

function firstLine(err: unknown): string {
  // zx errors carry the command's stderr; plain Errors only a message (String() would add "Error: ").
  const text = (err as { stderr?: string }).stderr || (err instanceof Error ? err.message : String(err))
  return text.trim().split('\n')[0]
}
