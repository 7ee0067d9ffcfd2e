import fs from 'node:fs/promises'
import path from 'node:path'
import { LabError } from '../errors'

const isDir = (p: string) =>
  fs.stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  )

/** What only a release folder holds (make modules_install writes modules.order and modules.builtin). */
const releaseMarks = ['modules.order', 'modules.builtin', 'modules.dep', 'kernel']

/**
 * The folder of `release`'s modules in what `--modules` names: a root with `lib/modules/<release>`
 * (or `usr/lib/modules/<release>`, as `make modules_install INSTALL_MOD_PATH=` leaves it),
 * `lib/modules` itself, or the release folder. A tree of another kernel is refused: modprobe
 * looks modules up by `uname -r`, so they must be the image's.
 */
export async function modulesFolder(dir: string, release: string): Promise<string> {
  for (const sub of [`usr/lib/modules/${release}`, `lib/modules/${release}`, release]) if (await isDir(path.join(dir, sub))) return path.join(dir, sub)
  const entries = await fs.readdir(dir)
  const todo = `give --modules the modules built with this image (its lib/modules/${release})`
  if (releaseMarks.some((m) => entries.includes(m))) {
    if (path.basename(path.resolve(dir)) === release) return dir
    throw new LabError(`--modules ${dir} holds the modules of ${path.basename(path.resolve(dir))}, but the image is ${release} (uname -r)`, todo)
  }
  const others: string[] = []
  for (const sub of ['usr/lib/modules', 'lib/modules', '.'])
    for (const r of await fs.readdir(path.join(dir, sub)).catch(() => [] as string[])) if (/^\d+\.\d+/.test(r)) others.push(r)
  if (others.length > 0) throw new LabError(`--modules ${dir} has the modules of ${[...new Set(others)].join(', ')}, not of the image's ${release} (uname -r)`, todo)
  throw new LabError(`--modules ${dir} holds no kernel modules (no lib/modules/<release>, no modules.order)`, todo)
}
