import fs from 'node:fs/promises'
import path from 'node:path'
import { onInterrupt } from './host/interrupts'
import { removeTree } from './host/remove-tree'

/**
 * Cache entries are written into a sibling `.tmp-<pid>` path and renamed into place, so an
 * interrupted build never leaves something that looks finished. Leftover temporaries of a
 * dead process are removed by `sweepTemporaries`.
 */
export async function buildAtomically(target: string, build: (tmp: string) => Promise<void>): Promise<string> {
  if (await exists(target)) return target
  await fs.mkdir(path.dirname(target), { recursive: true })
  const tmp = `${target}.tmp-${process.pid}`
  removeTree(tmp)
  const forget = onInterrupt(() => removeTree(tmp))
  try {
    await build(tmp)
    await fs.rename(tmp, target)
  } catch (err) {
    removeTree(tmp)
    throw err
  } finally {
    forget()
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

/** Removes `*.tmp-<pid>` entries (one or two levels below dir) whose process is gone. */
export async function sweepTemporaries(dir: string): Promise<void> {
  if (!(await exists(dir))) return
  const level1 = await fs.readdir(dir, { withFileTypes: true })
  const candidates = level1.map((e) => path.join(dir, e.name))
  for (const e of level1) {
    if (e.isDirectory() && !/\.tmp-\d+$/.test(e.name)) candidates.push(...(await fs.readdir(path.join(dir, e.name))).map((n) => path.join(dir, e.name, n)))
  }
  for (const entry of candidates) {
    const m = /\.tmp-(\d+)$/.exec(entry)
    if (m && !alive(Number(m[1]))) removeTree(entry)
  }
}
