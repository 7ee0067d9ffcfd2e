import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { readLabConfig } from '../config'
import { LabError } from '../errors'
import { kernelRequest } from './conformance-args'

const fetchKernel = vi.hoisted(() => vi.fn())
vi.mock('../kernel/fetch-kernel', async (original) => ({ ...(await original<typeof import('../kernel/fetch-kernel')>()), fetchKernel }))
// What the pre-boot check reads of a fetched kernel: the real 6.1 cloud kernel's module listing (lab/kernel/__fixtures__).
const listing = (name: string) =>
  readFileSync(new URL(`../kernel/__fixtures__/debian-6.1.0-57-cloud-amd64.${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
const contentsOfFetched = vi.hoisted(() => vi.fn())
vi.mock('../kernel/kernel-contents', () => ({ contentsOfFetched }))
contentsOfFetched.mockImplementation((k: { release: string }) => ({ release: k.release, modules: listing('modules.txt') }))
const { fetchKernels } = await import('./fetch-kernels')
const { MissingKernelPackage } = await import('../kernel/fetch-kernel')

// A cache that already records every series: nothing to build, so no root or tools are needed.
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'lvs-fetch-'))
mkdirSync(path.join(cacheDir, 'kernels'))
for (const s of ['bullseye', 'bookworm', 'trixie', 'sid']) writeFileSync(path.join(cacheDir, 'kernels', `${s}.json`), '{}')
const config = readLabConfig({ LVS_CACHE_DIR: cacheDir })
const trixie = { series: 'trixie', package: 'linux-image-6.12.118+deb13-cloud-amd64', packageVersion: '6.12.118-1', release: '6.12.118+deb13-cloud-amd64' }

describe('fetchKernels', () => {
  it('a kernel the archive does not have stops everything with the list of known series', async () => {
    fetchKernel
      .mockReset()
      .mockResolvedValueOnce(trixie)
      .mockRejectedValueOnce(new MissingKernelPackage('the Debian archive has no package linux-image-cloud-amd64 for sid', 'check LVS_KERNEL'))
    await expect(fetchKernels([kernelRequest('trixie'), kernelRequest('sid')], config, false)).rejects.toThrow(LabError)
    expect(fetchKernel).toHaveBeenCalledTimes(2)
  })

  it('says so in one line, naming the known series', async () => {
    fetchKernel.mockReset().mockRejectedValueOnce(new MissingKernelPackage('the Debian archive has no package linux-image-cloud-amd64 for sid', 'check LVS_KERNEL'))
    await expect(fetchKernels([kernelRequest('sid')], config, false)).rejects.toThrow(
      'the Debian archive has no package linux-image-cloud-amd64 for sid: give --kernel one of: bullseye (5.10), bookworm (6.1), trixie (6.12), sid (7), or all; opt-in: bookworm-backports (6.12), experimental (rc)',
    )
  })

  it('a version the archive does not have is bad input too', async () => {
    fetchKernel.mockReset().mockResolvedValue(trixie)
    await expect(fetchKernels([kernelRequest('6.12.5')], config, false)).rejects.toThrow('the Debian archive has no kernel 6.12.5 (trixie has 6.12.118+deb13-cloud-amd64')
  })

  it('a kernel without IPVS stops everything before any boot, in one line naming what it lacks', async () => {
    fetchKernel
      .mockReset()
      .mockResolvedValueOnce(trixie)
      .mockResolvedValueOnce({ ...trixie, series: 'sid' })
    contentsOfFetched.mockImplementationOnce((k: { release: string }) => ({ release: k.release, modules: listing('modules.txt') }))
    contentsOfFetched.mockImplementationOnce((k: { release: string }) => ({ release: k.release, modules: listing('no-ip-vs.modules.txt') }))
    await expect(fetchKernels([kernelRequest('trixie'), kernelRequest('sid')], config, false)).rejects.toThrow(
      'sid kernel linux-image-6.12.118+deb13-cloud-amd64 6.12.118-1 (6.12.118+deb13-cloud-amd64) lacks what the suites need: ip_vs for IPVS (NAT and DR forwarding) (no ip_vs module in the package)',
    )
  })

  it('a kernel that cannot be downloaded is recorded, and the others are still fetched', async () => {
    fetchKernel.mockReset().mockRejectedValueOnce(new LabError('cannot read the Debian archive for bullseye (http://mirror)', 'check the network')).mockResolvedValueOnce(trixie)
    const out = await fetchKernels([kernelRequest('bullseye'), kernelRequest('trixie')], config, false)
    expect(out.map((k) => [k.request.series.name, k.kernel?.packageVersion, k.problem])).toEqual([
      ['bullseye', undefined, 'cannot read the Debian archive for bullseye (http://mirror): check the network'],
      ['trixie', '6.12.118-1', undefined],
    ])
  })
})
