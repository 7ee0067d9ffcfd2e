import fs from 'node:fs/promises'
import path from 'node:path'
import { removeTree } from './host/remove-tree'

/**
 * Once a recipe's docker disk exists, what earlier recipes built (roots, initramfs, disks)
 * can never be used again: remove it so the cache does not grow with every change.
 */
export async function pruneOtherRecipes(cacheDir: string, hash: string): Promise<string[]> {
  const removed: string[] = []
  const sweep = async (dir: string, keep: (name: string) => boolean) => {
    for (const name of await fs.readdir(path.join(cacheDir, dir)).catch(() => [] as string[])) {
      if (keep(name) || /\.tmp-\d+$/.test(name)) continue
      removeTree(path.join(cacheDir, dir, name))
      removed.push(path.join(dir, name))
    }
  }
  await sweep('roots', (n) => n === hash)
  await sweep('disks', (n) => n === `docker-${hash}.img`)
  await sweep('initrd', (n) => n.startsWith(`${hash}-`))
  return removed
}
