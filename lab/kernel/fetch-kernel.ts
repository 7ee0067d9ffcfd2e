import fs from 'node:fs/promises'
import path from 'node:path'
import { buildAtomically, exists } from '../cache'
import { LabError } from '../errors'
import { sh } from '../host/shell'
import { say } from '../progress'
import { PrivateApt } from './apt'
import { packKernel } from './pack-kernel'
import type { KernelSeries } from './series'

/** A kernel the user gave as files (`--kernel-file`, `--kernel-image`): what names its column. */
export interface OwnKernelOrigin {
  /** The file names as given (the .deb files, or the image). */
  files: string[]
  /** sha256 of the kernel image itself (vmlinuz), whatever package carried it. */
  imageSha256: string
}

/** A Debian cloud kernel, or a user's own, unpacked into the cache. */
export interface FetchedKernel {
  /** The series, or for a user's own kernel the name its column and reports folder go by. */
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
  /** Set for a user's own kernel: where it came from. */
  own?: OwnKernelOrigin
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
    release = await packKernel(unpacked, tmp, `${name} ${version}`)
    await fs.rm(unpacked, { recursive: true })
    await fs.rm(debs, { recursive: true })
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
