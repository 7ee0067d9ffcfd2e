import fs from 'node:fs/promises'
import path from 'node:path'

/**
 * Cache entries are written into a sibling `.tmp-<pid>` path and renamed into place, so an
 * interrupted build never leaves something that looks finished. Leftover temporaries of a
 * dead process are removed by `sweepTemporaries`.
 */
export async function buildAtomically(target: string, build: (tmp: string) => Promise<void>): Promise<string> {
  if (await exists(target)) return target
  await fs.mkdir(path.dirname(target), { recursive: true })
  const tmp = `${target}.tmp-${process.pid}`
  await fs.rm(tmp, { recursive: true, force: true })
  try {
    await build(tmp)
    await fs.rename(tmp, target)
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true })
    throw err
  }
  return target
}

export async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  )
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Removes `*.tmp-<pid>` entries (anywhere below dir) whose process is gone. */
export async function sweepTemporaries(dir: string): Promise<void> {
  if (!(await exists(dir))) return
  for (const entry of await fs.readdir(dir, { recursive: true })) {
    const m = /\.tmp-(\d+)$/.exec(entry)
    if (m && !alive(Number(m[1]))) await fs.rm(path.join(dir, entry), { recursive: true, force: true })
  }
}
