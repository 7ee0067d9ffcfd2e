import { LabError } from '../errors'
import { say } from '../progress'
import { sh } from './shell'
import { commandPath } from './command-path'

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
  keepalived: 'keepalived',
}

const onPath = (cmd: string): boolean => commandPath(cmd) !== undefined
const packagesFor = (missing: string[]) => [...new Set(missing.map((c) => commands[c] ?? c))]
const canInstall = () => process.getuid?.() === 0 && onPath('apt-get') && process.env.LVS_NO_INSTALL !== '1'

/** Tools needed to boot a cached guest. */
export const bootTools = ['qemu-system-x86_64', 'setpriv']
/** Tools `npm run verify` uses on the host: keepalived checks a keepalived.conf (--config-test). */
export const verifyTools = ['keepalived']
/** Tools needed to build the kernel lab's cache. */
export const buildTools = ['debootstrap', 'cpio', 'depmod', 'mkfs.ext4', 'dpkg-deb', 'apt-get', 'tar']

/**
 * Makes sure the named tools are there. As root on a Debian-like machine, missing ones are
 * installed from the distribution's packages (say so, then apt-get); anywhere else, or with
 * LVS_NO_INSTALL=1, the run stops with one line naming the packages to install.
 */
export async function ensureTools(names: string[]): Promise<void> {
  refuseUninstallable(names)
  const missing = names.filter((cmd) => !onPath(cmd))
  if (missing.length === 0) return
  const pkgs = packagesFor(missing)
  if (canInstall()) {
    say(`installing host packages the kernel lab needs: ${pkgs.join(' ')}`)
    try {
      await sh`apt-get update -qq`
      await sh`DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkgs}`
    } catch (err) {
      const why = String((err as { stderr?: string }).stderr ?? err)
        .trim()
        .split('\n')
        .slice(-1)[0]
      throw new LabError(`apt-get could not install ${pkgs.join(' ')} (${why})`, `install them by hand, or set DOCKER_HOST to a Docker engine whose kernel has IPVS`)
    }
    if (names.every(onPath)) return
  }
  throw missingToolsError(missing)
}

function missingToolsError(missing: string[]): LabError {
  return new LabError(
    `the kernel lab needs ${missing.join(', ')}, not found on this machine`,
    `install with \`apt-get install -y ${packagesFor(missing).join(' ')}\`, or set DOCKER_HOST to a Docker engine whose kernel has IPVS`,
  )
}

/**
 * Stops at once when a tool is missing and cannot be installed here, so that an install
 * that runs beside other work (qemu while the cache is built) never fails half-way in.
 */
export function refuseUninstallable(names: string[]): void {
  const missing = names.filter((cmd) => !onPath(cmd))
  if (missing.length > 0 && !canInstall()) throw missingToolsError(missing)
}

/** debootstrap and the guest's device nodes need root; a filled cache does not. */
export function checkRoot(): void {
  if (process.getuid?.() !== 0) {
    throw new LabError('building the kernel lab cache needs root (debootstrap)', 'run the first `npm test` as root, or set DOCKER_HOST to a Docker engine whose kernel has IPVS')
  }
}
