import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fakeKernelTree, neededModules } from './__fixtures__/fake-kernel'
import { importOwnKernel } from './import-own-kernel'

// Real dpkg-deb, depmod and cpio over small made-up kernels: the modules are empty files, enough
// for the pre-boot check (it reads names) and for depmod (which warns and goes on).
let tmp: string
let cache: string
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'own-kernel-'))
  cache = path.join(tmp, 'cache')
})
afterEach(() => fs.rm(tmp, { recursive: true, force: true }))

const release = '9.9.9-test'

/** A .deb of `tree`, named like Debian's. */
async function deb(tree: string, pkg: string, arch = 'amd64'): Promise<string> {
  await fs.mkdir(path.join(tree, 'DEBIAN'), { recursive: true })
  await fs.writeFile(path.join(tree, 'DEBIAN/control'), `Package: ${pkg}\nVersion: 9.9.9-1\nArchitecture: ${arch}\nMaintainer: lab <lab@example.org>\nDescription: test\n`)
  const file = path.join(tmp, `${pkg}_9.9.9-1_${arch}.deb`)
  execFileSync('dpkg-deb', ['-Zgzip', '--root-owner-group', '-b', tree, file], { stdio: 'ignore' })
  return file
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (err: Error) => err.message,
  )
const cachedKernels = async () => (await fs.readdir(path.join(cache, 'kernels')).catch(() => [] as string[])).filter((n) => n.startsWith('own-'))

describe('importOwnKernel from .deb files', () => {
  it('unpacks a linux-image package into the cache the way an archive kernel is, and records its files and image hash', async () => {
    const tree = path.join(tmp, 'tree')
    await fakeKernelTree(tree, release)
    const file = await deb(tree, `linux-image-${release}`)
    const { kernel, record } = await importOwnKernel({ debs: [file] }, cache)
    expect(kernel).toMatchObject({ series: `linux-image-${release}_9.9.9-1_amd64`, package: `linux-image-${release}`, packageVersion: '9.9.9-1', release })
    expect(kernel.own!.files).toEqual([path.basename(file)])
    expect(kernel.own!.imageSha256).toBe(
      createHash('sha256')
        .update(readFileSync(path.join(tree, 'boot', `vmlinuz-${release}`)))
        .digest('hex'),
    )
    expect(JSON.parse(await fs.readFile(record, 'utf8'))).toEqual(kernel)
    const cpio = execFileSync('cpio', ['-it', '--quiet'], { input: readFileSync(kernel.modulesCpio) }).toString()
    expect(cpio).toContain(`usr/lib/modules/${release}/kernel/ip_vs.ko`)
    expect(cpio).toContain(`usr/lib/modules/${release}/modules.dep`)
    // The same file again: the cache's entry, not a second unpacking.
    expect((await importOwnKernel({ debs: [file] }, cache)).kernel).toEqual(kernel)
    expect(await cachedKernels()).toHaveLength(2)
  })

  it('refuses a kernel without IPVS in one line, and keeps nothing of it', async () => {
    const tree = path.join(tmp, 'tree')
    await fakeKernelTree(
      tree,
      release,
      neededModules.filter((m) => !m.startsWith('ip_vs')),
    )
    const file = await deb(tree, `linux-image-${release}`)
    expect(await refusal(importOwnKernel({ debs: [file] }, cache))).toBe(
      `--kernel-file ${path.basename(file)} (${release}) lacks what the suites need: ip_vs for IPVS (NAT and DR forwarding) (no ip_vs module in the package): build the kernel with CONFIG_IP_VS (=m or =y), or give another one`,
    )
    expect(await cachedKernels()).toEqual([])
  })

  it('refuses what is not a kernel package, saying what to give', async () => {
    expect(await refusal(importOwnKernel({ debs: [path.join(tmp, 'gone.deb')] }, cache))).toBe(
      `--kernel-file ${path.join(tmp, 'gone.deb')}: no such file: give the path of a linux-image .deb (apt-get download linux-image-<release> fetches one)`,
    )
    await fs.writeFile(path.join(tmp, 'notes.deb'), 'not an archive\n')
    expect(await refusal(importOwnKernel({ debs: [path.join(tmp, 'notes.deb')] }, cache))).toMatch(
      /^notes\.deb is not a Debian package \(dpkg-deb: .+\): give --kernel-file a linux-image \.deb; for a kernel that is not packaged, give --kernel-image/,
    )
    const hello = path.join(tmp, 'hello')
    await fs.mkdir(path.join(hello, 'usr/bin'), { recursive: true })
    expect(await refusal(importOwnKernel({ debs: [await deb(hello, 'hello')] }, cache))).toBe(
      'hello_9.9.9-1_amd64.deb is the package hello, not a kernel: give --kernel-file the linux-image package (for a split kernel also its linux-binary, linux-modules and linux-base packages)',
    )
    expect(await refusal(importOwnKernel({ debs: [await deb(hello, `linux-image-${release}`, 'arm64')] }, cache))).toBe(
      `linux-image-${release}_9.9.9-1_arm64.deb is built for arm64, and the lab boots amd64 kernels: give the amd64 package`,
    )
  })

  it('refuses packages that do not make one whole kernel: no image, two kernels, an image of another release', async () => {
    const modulesOnly = path.join(tmp, 'modules')
    await fakeKernelTree(modulesOnly, release)
    await fs.rm(path.join(modulesOnly, 'boot'), { recursive: true })
    const modulesDeb = await deb(modulesOnly, `linux-modules-${release}`)
    expect(await refusal(importOwnKernel({ debs: [modulesDeb] }, cache))).toBe(
      `--kernel-file ${path.basename(modulesDeb)} holds no vmlinuz: give the image package too (linux-image-<release>, or linux-binary-<release> of a split kernel)`,
    )
    const other = path.join(tmp, 'other')
    await fakeKernelTree(other, '9.9.8-test')
    const otherDeb = await deb(other, 'linux-image-9.9.8-test')
    expect(await refusal(importOwnKernel({ debs: [modulesDeb, otherDeb] }, cache))).toContain('holds more than one kernel (9.9.8-test, 9.9.9-test): give one kernel')
    const mismatched = path.join(tmp, 'mismatched')
    await fakeKernelTree(mismatched, release, neededModules, '9.9.7-test')
    expect(await refusal(importOwnKernel({ debs: [await deb(mismatched, `linux-image-${release}`)] }, cache))).toContain(
      `: the image is 9.9.7-test (uname -r), the modules are ${release}: give the image and the modules of one kernel`,
    )
  })
})

describe('importOwnKernel from an image and its modules', () => {
  it('takes the modules as a root with lib/modules, lib/modules itself, or the release folder, and names the column after the image', async () => {
    const root = path.join(tmp, 'install')
    await fakeKernelTree(root, release)
    const image = path.join(root, 'boot', `vmlinuz-${release}`)
    for (const modules of [root, path.join(root, 'lib/modules'), path.join(root, 'lib/modules', release)]) {
      const { kernel } = await importOwnKernel({ image, modules }, cache)
      expect([kernel.series, kernel.release, kernel.own!.files]).toEqual([`vmlinuz-${release}`, release, [`vmlinuz-${release}`]])
    }
  })

  it('refuses modules of another kernel, a folder without modules, and a file that is no kernel image', async () => {
    const root = path.join(tmp, 'install')
    await fakeKernelTree(root, '9.9.8-test', neededModules, release)
    const image = path.join(root, 'boot', 'vmlinuz-9.9.8-test')
    const todo = `give --modules the modules built with this image (its lib/modules/${release})`
    expect(await refusal(importOwnKernel({ image, modules: path.join(root, 'lib/modules/9.9.8-test') }, cache))).toBe(
      `--modules ${path.join(root, 'lib/modules/9.9.8-test')} holds the modules of 9.9.8-test, but the image is ${release} (uname -r): ${todo}`,
    )
    expect(await refusal(importOwnKernel({ image, modules: root }, cache))).toBe(
      `--modules ${root} has the modules of 9.9.8-test, not of the image's ${release} (uname -r): ${todo}`,
    )
    expect(await refusal(importOwnKernel({ image, modules: path.join(root, 'boot') }, cache))).toBe(
      `--modules ${path.join(root, 'boot')} holds no kernel modules (no lib/modules/<release>, no modules.order): ${todo}`,
    )
    expect(await refusal(importOwnKernel({ image: path.join(tmp, 'nothing'), modules: root }, cache))).toBe(
      `--kernel-image ${path.join(tmp, 'nothing')}: no such file: give --kernel-image <vmlinuz> --modules <its lib/modules/<release> folder>`,
    )
    await fs.writeFile(path.join(tmp, 'vmlinux'), Buffer.alloc(0x1000))
    expect(await refusal(importOwnKernel({ image: path.join(tmp, 'vmlinux'), modules: root }, cache))).toBe(
      `${path.join(tmp, 'vmlinux')} is not an x86 kernel image (no bzImage header): give --kernel-image the vmlinuz (a build's arch/x86/boot/bzImage); a .deb goes to --kernel-file`,
    )
    expect(await cachedKernels()).toEqual([])
  })
})
