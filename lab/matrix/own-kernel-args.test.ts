import { describe, expect, it } from 'vitest'
import { parseConformanceArgs } from './conformance-args'

const deb = 'linux-image-6.1.0-57-cloud-amd64_6.1.192-3_amd64.deb'
const kernels = (argv: string[], env = {}) => parseConformanceArgs(argv, env).kernels

describe('parseConformanceArgs with a kernel given as files', () => {
  it('--kernel-file: every .deb given makes one kernel (a split kernel comes in several), named after the image package', () => {
    const [own, ...rest] = kernels(['--kernel-file', `dl/${deb}`], { LVS_KERNEL: 'trixie' })
    expect(rest).toEqual([])
    expect(own).toMatchObject({ wanted: deb.replace(/\.deb$/, ''), series: { name: deb.replace(/\.deb$/, ''), line: 'own kernel' }, own: { debs: [`dl/${deb}`] } })
    const split = [
      'linux-modules-7.3-cloud-amd64_7.3~rc7-1~exp1_amd64.deb',
      'linux-binary-7.3-cloud-amd64_7.3~rc7-1~exp1_amd64.deb',
      'linux-base-7.3-cloud-amd64_7.3~rc7-1~exp1_all.deb',
    ]
    const [experimental] = kernels(['--kernel-file', split.slice(0, 2).join(','), '--kernel-file', split[2]])
    expect(experimental.series.name).toBe('linux-binary-7.3-cloud-amd64_7.3~rc7-1~exp1_amd64')
    expect(experimental.own).toEqual({ debs: split })
    expect(parseConformanceArgs(['--kernel-file', deb]).explicit).toBe(true)
  })

  it('--kernel-image with --modules: named after the image file', () => {
    const [own] = kernels(['--kernel-image', '/boot/vmlinuz-6.1.0-57-cloud-amd64', '--modules=/lib/modules/6.1.0-57-cloud-amd64'])
    expect(own).toMatchObject({
      series: { name: 'vmlinuz-6.1.0-57-cloud-amd64' },
      own: { image: '/boot/vmlinuz-6.1.0-57-cloud-amd64', modules: '/lib/modules/6.1.0-57-cloud-amd64' },
    })
    expect(kernels(['--kernel-image', 'build/arch/x86/boot/bzImage', '--modules', 'mods'])[0].series.name).toBe('bzImage')
  })

  it('runs beside the kernels --kernel names, its column after theirs; alone, it replaces LVS_KERNEL', () => {
    expect(kernels(['--kernel-file', deb, '--kernel', 'bullseye,trixie']).map((k) => k.series.name)).toEqual(['bullseye', 'trixie', deb.replace(/\.deb$/, '')])
    expect(kernels(['--kernel-file', deb], { LVS_KERNEL: 'sid' })).toHaveLength(1)
  })

  it('never takes the name of a series: its reports folder would be that series', () => {
    expect(kernels(['--kernel-image', 'bookworm', '--modules', 'm'])[0].series.name).toBe('own-bookworm')
    expect(kernels(['--kernel-file', 'my kernel (test).deb'])[0].series.name).toBe('my_kernel__test_')
  })

  it('refuses, in one line and before anything runs, what cannot make one kernel', () => {
    const image = 'give --kernel-image <vmlinuz> --modules <its lib/modules/<release> folder>'
    expect(() => parseConformanceArgs(['--kernel-file', '/boot/vmlinuz-6.1.0-57-cloud-amd64'])).toThrow(
      `--kernel-file takes Debian packages, and /boot/vmlinuz-6.1.0-57-cloud-amd64 is no .deb: for a kernel that is not a .deb, ${image}`,
    )
    expect(() => parseConformanceArgs(['--kernel-image', 'vmlinuz'])).toThrow(`--kernel-image vmlinuz needs the modules built with it: ${image}`)
    expect(() => parseConformanceArgs(['--modules', 'lib/modules/6.1.0'])).toThrow(
      `--modules lib/modules/6.1.0 needs the image it was built with: ${image}; a .deb carries both (--kernel-file)`,
    )
    expect(() => parseConformanceArgs(['--kernel-image', 'a', '--modules', 'm', '--kernel-image', 'b'])).toThrow('a run takes one own kernel, and --kernel-image was given twice')
    expect(() => parseConformanceArgs(['--kernel-file', deb, '--kernel-image', 'vmlinuz', '--modules', 'm'])).toThrow(
      '--kernel-file and --kernel-image/--modules are two ways of giving one kernel, and a run takes one own kernel: give the .deb files with --kernel-file, or the image and its modules with --kernel-image and --modules, and run the other kernel after it',
    )
    expect(() => parseConformanceArgs(['--kernel-file'])).toThrow('--kernel-file needs a value: for example --kernel-file linux-image-')
    expect(() => parseConformanceArgs(['--merge', 'dl/sid', '--kernel-file', deb])).toThrow('so it takes no --kernel-file:')
  })
})
