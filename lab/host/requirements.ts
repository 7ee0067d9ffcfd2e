import { accessSync, constants } from 'node:fs'
import path from 'node:path'
import { LabError } from '../errors'

/** Debian packages that provide each host command the kernel lab needs. */
const commands: Record<string, string> = {
  'qemu-system-x86_64': 'qemu-system-x86',
  debootstrap: 'debootstrap',
  cpio: 'cpio',
  depmod: 'kmod',
  'mkfs.ext4': 'e2fsprogs',
  'dpkg-deb': 'dpkg',
  'apt-get': 'apt',
  setpriv: 'util-linux',
  tar: 'tar',
}

function onPath(cmd: string): boolean {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])
  return dirs.some((d) => {
    try {
      accessSync(path.join(d, cmd), constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

/** Tools needed to boot a cached guest. */
export const bootTools = ['qemu-system-x86_64', 'setpriv']
/** Tools needed to build the kernel lab's cache. */
export const buildTools = ['debootstrap', 'cpio', 'depmod', 'mkfs.ext4', 'dpkg-deb', 'apt-get', 'tar']

/** Fails with one line naming every missing tool and the apt command that installs them. */
export function checkTools(names: string[]): void {
  const missing = names.filter((cmd) => !onPath(cmd))
  if (missing.length === 0) return
  const pkgs = [...new Set(missing.map((c) => commands[c] ?? c))].join(' ')
  throw new LabError(
    `the kernel lab needs ${missing.join(', ')}, not found on this machine`,
    `install with \`apt-get install -y ${pkgs}\`, or set DOCKER_HOST to a Docker engine whose kernel has IPVS`,
  )
}

/** debootstrap and the guest's device nodes need root; a filled cache does not. */
export function checkRoot(): void {
  if (process.getuid?.() !== 0) {
    throw new LabError('building the kernel lab cache needs root (debootstrap)', 'run the first `npm test` as root, or set DOCKER_HOST to a Docker engine whose kernel has IPVS')
  }
}
