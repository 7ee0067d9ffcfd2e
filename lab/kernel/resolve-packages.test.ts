import { describe, expect, it } from 'vitest'
import type { PrivateApt } from './apt'
import { resolvePackages } from './fetch-kernel'
import { resolveSeries } from './series'

/**
 * apt-cache's answers as the Debian archive gave them (December 2026): bookworm lists its point
 * release (6.1.176-1) beside its security update (6.1.192-3); experimental splits the rc kernel.
 */
const archive: Record<string, Record<string, string>[]> = {
  'linux-image-cloud-amd64': [
    { Package: 'linux-image-cloud-amd64', Version: '6.1.192-3', Depends: 'linux-image-6.1.0-57-cloud-amd64 (= 6.1.192-3)' },
    { Package: 'linux-image-cloud-amd64', Version: '6.1.176-1', Depends: 'linux-image-6.1.0-50-cloud-amd64 (= 6.1.176-1)' },
  ],
  'linux-image-6.1.0-57-cloud-amd64': [
    { Package: 'linux-image-6.1.0-57-cloud-amd64', Version: '6.1.192-3', Depends: 'kmod, initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool' },
  ],
  'linux-image-6.1.0-50-cloud-amd64': [
    { Package: 'linux-image-6.1.0-50-cloud-amd64', Version: '6.1.176-1', Depends: 'kmod, initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool' },
  ],
}
const experimental: Record<string, Record<string, string>[]> = {
  'linux-image-cloud-amd64': [
    {
      Package: 'linux-image-cloud-amd64',
      Version: '7.3~rc7-1~exp1',
      Depends: 'linux-base-cloud-amd64 (= 7.3~rc7-1~exp1), linux-image-7.3-cloud-amd64 (= 7.3~rc7-1~exp1), linux-modules-cloud-amd64 (= 7.3~rc7-1~exp1)',
    },
  ],
  'linux-image-7.3-cloud-amd64': [
    {
      Package: 'linux-image-7.3-cloud-amd64',
      Version: '7.3~rc7-1~exp1',
      Depends:
        'dracut | initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool, linux-base-7.3-cloud-amd64 (= 7.3~rc7-1~exp1), linux-binary-7.3-cloud-amd64 (= 7.3~rc7-1~exp1), linux-modules-7.3-cloud-amd64 (= 7.3~rc7-1~exp1)',
    },
  ],
  'linux-base-7.3-cloud-amd64': [{ Package: 'linux-base-7.3-cloud-amd64', Version: '7.3~rc7-1~exp1' }],
  'linux-binary-7.3-cloud-amd64': [{ Package: 'linux-binary-7.3-cloud-amd64', Version: '7.3~rc7-1~exp1', Depends: 'linux-base-7.3-cloud-amd64 (= 7.3~rc7-1~exp1)' }],
  'linux-modules-7.3-cloud-amd64': [{ Package: 'linux-modules-7.3-cloud-amd64', Version: '7.3~rc7-1~exp1', Depends: 'kmod, linux-base-7.3-cloud-amd64 (= 7.3~rc7-1~exp1)' }],
}

/** apt-cache over those records: `show` the candidate (the first) or `pkg=version`, `versions` all of them. */
function fakeApt(series: string, records: Record<string, Record<string, string>[]>): PrivateApt {
  const show = async (spec: string) => {
    const [name, version] = spec.split('=')
    return (records[name] ?? []).find((r) => !version || r.Version === version) ?? {}
  }
  return { series: resolveSeries(series), show, versions: async (name: string) => records[name] ?? [] } as unknown as PrivateApt
}

describe('resolvePackages', () => {
  const bookworm = fakeApt('bookworm', archive)

  it("without a pin follows the meta package's candidate: the series' newest kernel", async () => {
    expect(await resolvePackages(bookworm)).toEqual({ packages: ['linux-image-6.1.0-57-cloud-amd64'], version: '6.1.192-3' })
  })

  it('with a pin takes that version even when a newer one is the candidate, by its full version or a prefix of it', async () => {
    const older = { packages: ['linux-image-6.1.0-50-cloud-amd64=6.1.176-1'], version: '6.1.176-1' }
    expect(await resolvePackages(bookworm, '6.1.176-1')).toEqual(older)
    expect(await resolvePackages(bookworm, '6.1.176')).toEqual(older)
    expect(await resolvePackages(bookworm, '6.1.192-3')).toEqual({ packages: ['linux-image-6.1.0-57-cloud-amd64=6.1.192-3'], version: '6.1.192-3' })
  })

  it('with a pin the archive does not list, answers the newest, which the matrix then refuses as not the one asked for', async () => {
    expect((await resolvePackages(bookworm, '6.1.150-1')).version).toBe('6.1.192-3')
  })

  it("follows experimental's split packages (image, base, binary, modules), each at the pinned version", async () => {
    expect(await resolvePackages(fakeApt('experimental', experimental), '7.3~rc7-1~exp1')).toEqual({
      packages: [
        'linux-image-7.3-cloud-amd64=7.3~rc7-1~exp1',
        'linux-base-7.3-cloud-amd64=7.3~rc7-1~exp1',
        'linux-binary-7.3-cloud-amd64=7.3~rc7-1~exp1',
        'linux-modules-7.3-cloud-amd64=7.3~rc7-1~exp1',
      ],
      version: '7.3~rc7-1~exp1',
    })
    expect((await resolvePackages(fakeApt('experimental', experimental))).packages).toEqual([
      'linux-image-7.3-cloud-amd64',
      'linux-base-7.3-cloud-amd64',
      'linux-binary-7.3-cloud-amd64',
      'linux-modules-7.3-cloud-amd64',
    ])
  })
})
