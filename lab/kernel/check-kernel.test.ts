import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LabError } from '../errors'
import { checkKernel, describeMissingSchedulers, refuseIncomplete, type KernelContents } from './check-kernel'
import { contentsOfFetched, contentsOfTree } from './kernel-contents'

// Captured from Debian's linux-image-6.1.0-57-cloud-amd64 6.1.192-3 (the bookworm kernel in the lab's
// cache): `find lib/modules -name '*.ko*'` of the unpacked package, and its config's IP_VS lines
// with those of the other options the suites need. The second listing is the first without ip_vs*.ko.
const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/debian-6.1.0-57-cloud-amd64.${name}`, import.meta.url), 'utf8')
const release = '6.1.0-57-cloud-amd64'
const modules = fixture('modules.txt').split('\n').filter(Boolean)
const withoutIpvs = fixture('no-ip-vs.modules.txt').split('\n').filter(Boolean)
const config = fixture('config.txt')

describe('checkKernel on the Debian 6.1 cloud kernel', () => {
  it('finds everything the suites need, and the one scheduler it lacks (twos) as data, not as an error', () => {
    const check = checkKernel({ release, modules, config })
    expect(check.missing).toEqual([])
    expect(check.missingSchedulers.map((s) => [s.scheduler, s.why])).toEqual([['twos', 'CONFIG_IP_VS_TWOS is not set']])
    expect(() => refuseIncomplete(check, 'bookworm')).not.toThrow()
    expect(describeMissingSchedulers(check, 'bookworm')).toBe('bookworm lacks the scheduler twos (CONFIG_IP_VS_TWOS is not set): only its checks can skip')
  })

  it('without the config, tells the same from the module files alone', () => {
    const check = checkKernel({ release, modules })
    expect([check.configRead, check.missing]).toEqual([false, []])
    expect(check.missingSchedulers.map((s) => [s.module, s.why])).toEqual([['ip_vs_twos', 'no ip_vs_twos module in the package']])
  })

  it('refuses the same kernel with its IPVS modules removed, in one line naming the config option and the module', () => {
    const check = checkKernel({ release, modules: withoutIpvs, config })
    expect(check.missing.map((l) => l.module)).toEqual(['ip_vs'])
    expect(check.missingSchedulers).toHaveLength(14)
    const err = (() => {
      try {
        refuseIncomplete(check, 'bookworm')
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(LabError)
    expect((err as LabError).message).toBe(
      'bookworm (6.1.0-57-cloud-amd64) lacks what the suites need: ip_vs for IPVS (NAT and DR forwarding) (CONFIG_IP_VS=m but no ip_vs module in the package): give --kernel a kernel built with CONFIG_IP_VS (=m or =y)',
    )
    expect((err as LabError).message).not.toContain('\n')
  })

  it('counts what a kernel builds in (=y, or listed in modules.builtin) as there, and an option not set as missing', () => {
    const noBridge = modules.filter((m) => !m.endsWith('/bridge.ko'))
    expect(checkKernel({ release, modules: noBridge, config: config.replace('CONFIG_BRIDGE=m', 'CONFIG_BRIDGE=y') }).missing).toEqual([])
    expect(checkKernel({ release, modules: noBridge, builtin: ['kernel/net/bridge/bridge.ko'] }).missing).toEqual([])
    const noTun = checkKernel({ release, modules: modules.filter((m) => !m.endsWith('/ipip.ko')), config: config.replace('CONFIG_NET_IPIP=m', '# CONFIG_NET_IPIP is not set') })
    expect(noTun.missing.map((l) => [l.config, l.why])).toEqual([['CONFIG_NET_IPIP', 'CONFIG_NET_IPIP is not set']])
  })

  it('reads compressed modules (.ko.xz, .ko.zst) the way newer packages ship them', () => {
    const xz = modules.map((m) => `${m}.xz`)
    expect(checkKernel({ release, modules: xz, config }).missing).toEqual([])
  })
})

describe('reading a kernel package', () => {
  let tmp: string
  beforeEach(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'check-kernel-'))
  })
  afterEach(async () => {
    await fs.rm(tmp, { recursive: true, force: true })
  })

  /** The captured listing as files of an unpacked package, with /boot/config-<release>. */
  async function unpack(root: string, listing: string[], prefix = ''): Promise<void> {
    for (const m of listing) {
      await fs.mkdir(path.dirname(path.join(root, prefix, m)), { recursive: true })
      await fs.writeFile(path.join(root, prefix, m), '')
    }
    await fs.mkdir(path.join(root, 'boot'), { recursive: true })
    await fs.writeFile(path.join(root, 'boot', `config-${release}`), config)
  }

  const summary = (c: KernelContents) => {
    const check = checkKernel(c)
    return { release: check.release, configRead: check.configRead, missing: check.missing.map((l) => l.module), schedulers: check.missingSchedulers.map((s) => s.scheduler) }
  }

  it('from the unpacked tree: its modules folder and /boot/config-*', async () => {
    await unpack(tmp, modules)
    expect(summary(await contentsOfTree(tmp))).toEqual({ release, configRead: true, missing: [], schedulers: ['twos'] })
    const stripped = path.join(tmp, 'stripped')
    await unpack(stripped, withoutIpvs)
    expect(summary(await contentsOfTree(stripped)).missing).toEqual(['ip_vs'])
    await expect(contentsOfTree(path.join(tmp, 'boot'))).rejects.toThrow(`${path.join(tmp, 'boot')} has no lib/modules/<release> or usr/lib/modules/<release>: give the root`)
  })

  it("from the lab's cache: the modules cpio, with the config kept beside vmlinuz", async () => {
    // The cache's form of a kernel (lab/kernel/fetch-kernel.ts): usr/lib/modules/<release> in a newc cpio.
    const stage = path.join(tmp, 'stage')
    await unpack(
      stage,
      modules.map((m) => `usr/${m}`),
    )
    const dir = path.join(tmp, 'kernel')
    await fs.mkdir(dir)
    execFileSync('sh', ['-c', `cd ${stage} && find usr | cpio -o -H newc --quiet > ${dir}/modules.cpio`])
    await fs.rename(path.join(stage, 'boot', `config-${release}`), path.join(dir, 'config'))
    const kernel = {
      series: 'bookworm',
      package: `linux-image-${release}`,
      packageVersion: '6.1.192-3',
      release,
      vmlinuz: path.join(dir, 'vmlinuz'),
      modulesCpio: path.join(dir, 'modules.cpio'),
    }
    expect(summary(await contentsOfFetched(kernel))).toEqual({ release, configRead: true, missing: [], schedulers: ['twos'] })
    // Read once: the next boot takes it from contents.json, without listing the cpio again.
    await fs.rm(path.join(dir, 'modules.cpio'))
    expect(summary(await contentsOfFetched(kernel)).schedulers).toEqual(['twos'])
  })
})
