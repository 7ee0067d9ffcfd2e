import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/**
 * Removes a build directory that debootstrap may have left with /proc or /sys mounted
 * inside: unmount those first (deepest first), then delete without crossing into any other
 * file system, so a cleanup can never reach the host's own /proc, /sys or /dev.
 */
export function removeTree(dir: string): void {
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1]?.replace(/\\040/g, ' '))
    .filter((m): m is string => !!m && (m === dir || m.startsWith(`${dir}/`)))
    .sort((a, b) => b.length - a.length)
  for (const m of mounts) spawnSync('umount', ['-l', m])
  spawnSync('rm', ['-rf', '--one-file-system', dir])
}
