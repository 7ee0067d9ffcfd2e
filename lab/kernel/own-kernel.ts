import path from 'node:path'
import { kernelSeries, type KernelSeries } from './series'

/**
 * A kernel the user gives as files instead of naming a series: Debian-style packages
 * (`--kernel-file`, one linux-image .deb or a split kernel's several), or an image and its
 * modules tree (`--kernel-image vmlinuz --modules DIR`: any distribution's kernel, a custom build).
 */
export type OwnKernel = { debs: string[] } | { image: string; modules: string }

/** What to give for a kernel that is not a .deb. */
export const imageUsage = 'give --kernel-image <vmlinuz> --modules <its lib/modules/<release> folder>'

/** The package that names the kernel among split ones: the image, else the binary (experimental's split). */
function namingDeb(debs: string[]): string {
  const base = debs.map((d) => path.basename(d))
  return base.find((b) => b.startsWith('linux-image-')) ?? base.find((b) => b.startsWith('linux-binary-')) ?? base[0]
}

/**
 * The name the kernel's column and reports folder (`reports/kernels/<name>/`) go by: the image
 * package's file name without `.deb`, or the image's file name; never a series' name.
 */
export function ownKernelName(own: OwnKernel): string {
  const file = 'debs' in own ? namingDeb(own.debs).replace(/\.deb$/, '') : path.basename(own.image)
  const name = file.replace(/[^A-Za-z0-9._+~-]/g, '_')
  return kernelSeries.some((s) => s.name === name) || name === 'all' ? `own-${name}` : name
}

/** How messages name it, as it was given. */
export function describeOwnKernel(own: OwnKernel): string {
  return 'debs' in own ? `--kernel-file ${own.debs.map((d) => path.basename(d)).join(', ')}` : `--kernel-image ${path.basename(own.image)} --modules ${own.modules}`
}

/** The series-shaped stand-in a column needs: a user's kernel has no suites to look up. */
export function ownKernelSeries(own: OwnKernel): KernelSeries {
  return { name: ownKernelName(own), line: 'own kernel', suites: [], optIn: true }
}
