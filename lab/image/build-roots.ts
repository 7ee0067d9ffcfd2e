import fs from 'node:fs/promises'
import path from 'node:path'
import { buildAtomically } from '../cache'
import { LabError } from '../errors'
import { removeTree } from '../host/remove-tree'
import { sh } from '../host/shell'
import { say } from '../progress'
import { agentPath, guestInitPath, guestPackages, nodePackages, recipeHash, userSpaceSuite } from './recipe'

/** What the user space build leaves in the cache, keyed by the recipe hash. */
export interface BuiltRoots {
  hash: string
  /** The guest's root (dockerd, init) as an uncompressed cpio: unpacking it is the fastest boot. */
  guestCpio: string
  /** The lab node image's root filesystem, for `docker import`. */
  nodeImageTar: string
}

/** Docs, locales and apt's downloads are dead weight in a root that is unpacked at every boot. */
async function strip(root: string): Promise<void> {
  for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/locale', 'usr/share/info']) {
    const full = path.join(root, dir)
    for (const entry of await fs.readdir(full).catch(() => [])) {
      if (entry !== 'partial' && entry !== 'lock') await fs.rm(path.join(full, entry), { recursive: true, force: true })
    }
  }
}

/** Docker tools the guest never runs: a smaller initramfs unpacks faster at every boot. */
const unusedInGuest = ['usr/bin/docker', 'usr/bin/ctr', 'usr/bin/dnet', 'usr/bin/containerd-shim', 'usr/bin/containerd-shim-runc-v1', 'usr/sbin/ovrouter', 'usr/sbin/docker-proxy']

async function debootstrap(packages: string[], target: string, mirror: string): Promise<void> {
  try {
    await sh`debootstrap --variant=minbase --include=${packages.join(',')} ${userSpaceSuite} ${target} ${mirror}`
  } catch (err) {
    const log = await fs.readFile(path.join(target, 'debootstrap/debootstrap.log'), 'utf8').catch(() => '')
    const last =
      log.trim().split('\n').slice(-1)[0] ||
      String((err as { stderr?: string }).stderr ?? err)
        .trim()
        .split('\n')[0]
    throw new LabError(`debootstrap of the ${userSpaceSuite} root failed (${last})`, `check that ${mirror} is reachable, then run again`)
  }
  await strip(target)
}

export async function buildRoots(cacheDir: string, mirror: string): Promise<BuiltRoots> {
  const hash = recipeHash()
  const dir = await buildAtomically(path.join(cacheDir, 'roots', hash), async (tmp) => {
    say(`building the ${userSpaceSuite} user space (node image and guest root, recipe ${hash})`)
    const nodeRoot = path.join(tmp, 'node-root')
    const guestRoot = path.join(tmp, 'guest-root')
    await Promise.all([debootstrap(nodePackages, nodeRoot, mirror), debootstrap(guestPackages, guestRoot, mirror)])

    await fs.copyFile(agentPath, path.join(nodeRoot, 'usr/local/bin/lab-agent'))
    await fs.chmod(path.join(nodeRoot, 'usr/local/bin/lab-agent'), 0o755)
    await sh`tar -C ${nodeRoot} -cf ${path.join(tmp, 'node-image.tar')} .`

    for (const f of unusedInGuest) await fs.rm(path.join(guestRoot, f), { force: true })
    await fs.copyFile(guestInitPath, path.join(guestRoot, 'init'))
    await fs.chmod(path.join(guestRoot, 'init'), 0o755)
    await sh`cd ${guestRoot} && find . -xdev | cpio -o -H newc --quiet > ${path.join(tmp, 'guest.cpio')}`

    removeTree(nodeRoot)
    removeTree(guestRoot)
  })
  return { hash, guestCpio: path.join(dir, 'guest.cpio'), nodeImageTar: path.join(dir, 'node-image.tar') }
}
