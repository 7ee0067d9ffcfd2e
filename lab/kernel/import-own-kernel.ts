import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { buildAtomically, exists } from '../cache'
import { LabError } from '../errors'
import { sh } from '../host/shell'
import { say } from '../progress'
import { checkKernel, ownRemedy, refuseIncomplete } from './check-kernel'
import type { FetchedKernel } from './fetch-kernel'
import { imageHeadBytes, imageRelease } from './image-release'
import { modulesFolder } from './modules-folder'
import { describeOwnKernel, imageUsage, ownKernelSeries, type OwnKernel } from './own-kernel'
import { packKernel, vmlinuzIn } from './pack-kernel'

const kernelPackage = /^linux-(image|binary|modules|base)-/

export interface ImportedKernel {
  kernel: FetchedKernel
  /** The cache's record of it: what the lab's run is pointed at (LVS_KERNEL_RECORD). */
  record: string
}

const isFile = (p: string) =>
  fs.stat(p).then(
    (s) => s.isFile(),
    () => false,
  )
const isDir = (p: string) =>
  fs.stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  )

async function sha256(files: string[]): Promise<string> {
  const h = createHash('sha256')
  for (const f of files) for await (const chunk of createReadStream(f)) h.update(chunk as Buffer)
  return h.digest('hex')
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await fs.open(file)
  try {
    const head = Buffer.alloc(imageHeadBytes)
    const { bytesRead } = await handle.read(head, 0, head.length, 0)
    return head.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

interface DebFields {
  file: string
  Package: string
  Version: string
  Architecture: string
}

/** Each .deb is there, is a Debian package, and is a kernel's (image, binary, modules or base) for amd64. */
async function readDebs(debs: string[]): Promise<DebFields[]> {
  const out: DebFields[] = []
  for (const file of debs) {
    const name = path.basename(file)
    if (!(await isFile(file))) throw new LabError(`--kernel-file ${file}: no such file`, 'give the path of a linux-image .deb (apt-get download linux-image-<release> fetches one)')
    const r = await sh`dpkg-deb --field ${file} Package Version Architecture`.nothrow()
    if (r.exitCode !== 0) {
      const why = (r.stderr || r.stdout)
        .trim()
        .split('\n')[0]
        .replace(/^dpkg-deb: (error: )?/, '')
      throw new LabError(`${name} is not a Debian package (dpkg-deb: ${why})`, `give --kernel-file a linux-image .deb; for a kernel that is not packaged, ${imageUsage}`)
    }
    const fields = Object.fromEntries([...r.stdout.matchAll(/^([A-Za-z-]+): (.*)$/gm)].map((m) => [m[1], m[2].trim()]))
    const pkg = { file, Package: fields.Package ?? '', Version: fields.Version ?? '', Architecture: fields.Architecture ?? '' }
    if (!kernelPackage.test(pkg.Package)) {
      throw new LabError(
        `${name} is the package ${pkg.Package || '(unnamed)'}, not a kernel`,
        'give --kernel-file the linux-image package (for a split kernel also its linux-binary, linux-modules and linux-base packages)',
      )
    }
    if (pkg.Architecture !== 'amd64' && pkg.Architecture !== 'all')
      throw new LabError(`${name} is built for ${pkg.Architecture}, and the lab boots amd64 kernels`, 'give the amd64 package')
    out.push(pkg)
  }
  return out
}

/** The releases an unpacked tree has modules for. */
async function releasesIn(unpacked: string): Promise<string[]> {
  const found = new Set<string>()
  for (const root of ['usr/lib/modules', 'lib/modules']) for (const r of await fs.readdir(path.join(unpacked, root)).catch(() => [] as string[])) found.add(r)
  return [...found].sort()
}

/** The image must be the kernel the modules were built for: `uname -r` in its header names their folder. */
async function refuseMismatch(vmlinuz: string, release: string, what: string): Promise<void> {
  const imaged = imageRelease(await readHead(vmlinuz))
  if (!imaged) throw new LabError(`${what}: its vmlinuz is not an x86 kernel image (no bzImage header)`, 'give an amd64 kernel')
  if (imaged !== release) throw new LabError(`${what}: the image is ${imaged} (uname -r), the modules are ${release}`, `give the image and the modules of one kernel`)
}

/**
 * Unpacks the user's kernel into the cache the way fetchKernel unpacks Debian's, checks it
 * before anything is packed (a kernel without IPVS, veth, bridge... is refused in one line
 * and nothing is kept), and records it. Keyed by what was given: the same files again are
 * not unpacked again.
 */
export async function importOwnKernel(own: OwnKernel, cacheDir: string): Promise<ImportedKernel> {
  const label = describeOwnKernel(own)
  const { name } = ownKernelSeries(own)
  const check = async (contents: Parameters<typeof checkKernel>[0], vmlinuz: string) => {
    await refuseMismatch(vmlinuz, contents.release, label)
    refuseIncomplete(checkKernel(contents), label, ownRemedy)
  }
  let key: string
  let pkg: { name: string; version: string }
  let build: (tmp: string) => Promise<void>
  if ('debs' in own) {
    const debs = await readDebs(own.debs)
    key = await sha256(own.debs)
    const image = debs.find((d) => /^linux-(image|binary)-/.test(d.Package)) ?? debs[0]
    pkg = { name: image.Package, version: image.Version }
    build = async (tmp) => {
      const unpacked = path.join(tmp, 'unpacked')
      await fs.mkdir(unpacked, { recursive: true })
      for (const d of debs) await sh`dpkg-deb -x ${d.file} ${unpacked}`
      const releases = await releasesIn(unpacked)
      if (releases.length === 0)
        throw new LabError(`${label} holds no modules tree (lib/modules/<release>)`, 'give the modules package too (linux-modules-<release> of a split kernel)')
      if (releases.length > 1) throw new LabError(`${label} holds more than one kernel (${releases.join(', ')})`, "give one kernel's packages per run")
      if (!(await vmlinuzIn(unpacked, releases[0])))
        throw new LabError(`${label} holds no vmlinuz`, 'give the image package too (linux-image-<release>, or linux-binary-<release> of a split kernel)')
      await packKernel(unpacked, tmp, label, check)
      await fs.rm(unpacked, { recursive: true })
    }
  } else {
    if (!(await isFile(own.image))) throw new LabError(`--kernel-image ${own.image}: no such file`, imageUsage)
    if (!(await isDir(own.modules))) throw new LabError(`--modules ${own.modules}: no such folder`, imageUsage)
    const release = imageRelease(await readHead(own.image))
    if (!release)
      throw new LabError(
        `${own.image} is not an x86 kernel image (no bzImage header)`,
        `give --kernel-image the vmlinuz (a build's arch/x86/boot/bzImage); a .deb goes to --kernel-file`,
      )
    const folder = await modulesFolder(own.modules, release)
    const config = [path.join(path.dirname(own.image), `config-${release}`), path.join(path.dirname(own.image), '.config')]
    const configFile = (await isFile(config[0])) ? config[0] : (await isFile(config[1])) ? config[1] : undefined
    key = createHash('sha256')
      .update(await sha256([own.image, ...(configFile ? [configFile] : [])]))
      .update(await fingerprint(folder))
      .digest('hex')
    pkg = { name: path.basename(own.image), version: '' }
    build = async (tmp) => {
      const unpacked = path.join(tmp, 'unpacked')
      await fs.mkdir(path.join(unpacked, 'boot'), { recursive: true })
      await fs.mkdir(path.join(unpacked, 'usr/lib/modules'), { recursive: true })
      await fs.copyFile(own.image, path.join(unpacked, 'boot', `vmlinuz-${release}`))
      if (configFile) await fs.copyFile(configFile, path.join(unpacked, 'boot', `config-${release}`))
      // -a keeps an installed tree's build and source links as links: not the kernel's source tree.
      await sh`cp -a ${folder} ${path.join(unpacked, 'usr/lib/modules', release)}`
      await packKernel(unpacked, tmp, label, check)
      await fs.rm(unpacked, { recursive: true })
    }
  }
  const id = `own-${key.slice(0, 16)}`
  const dir = path.join(cacheDir, 'kernels', id)
  if (!(await exists(dir))) say(`unpacking ${label} into the cache`)
  await buildAtomically(dir, build)
  const fetched: FetchedKernel = {
    series: name,
    package: pkg.name,
    packageVersion: pkg.version,
    release: (await fs.readFile(path.join(dir, 'release'), 'utf8')).trim(),
    vmlinuz: path.join(dir, 'vmlinuz'),
    modulesCpio: path.join(dir, 'modules.cpio'),
    own: { files: 'debs' in own ? own.debs.map((d) => path.basename(d)) : [path.basename(own.image)], imageSha256: await sha256([path.join(dir, 'vmlinuz')]) },
  }
  const record = path.join(cacheDir, 'kernels', `${id}.json`)
  await fs.writeFile(`${record}.tmp-${process.pid}`, JSON.stringify(fetched, null, 2))
  await fs.rename(`${record}.tmp-${process.pid}`, record)
  return { kernel: fetched, record }
}

/** What changes when a modules tree is rebuilt: each file's path, size and modification time. */
async function fingerprint(folder: string): Promise<string> {
  const entries = await fs.readdir(folder, { recursive: true, withFileTypes: true })
  const h = createHash('sha256')
  for (const e of entries.filter((x) => x.isFile()).sort((a, b) => path.join(a.parentPath, a.name).localeCompare(path.join(b.parentPath, b.name)))) {
    const file = path.join(e.parentPath, e.name)
    const s = await fs.stat(file)
    h.update(`${path.relative(folder, file)} ${s.size} ${s.mtimeMs}\n`)
  }
  return h.digest('hex')
}
