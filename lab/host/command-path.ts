import { accessSync, constants } from 'node:fs'
import path from 'node:path'

/** Where a command is, on PATH or in the sbin directories a non-root PATH often lacks. */
export function commandPath(cmd: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])
  return dirs
    .map((d) => path.join(d, cmd))
    .find((p) => {
      try {
        accessSync(p, constants.X_OK)
        return true
      } catch {
        return false
      }
    })
}
