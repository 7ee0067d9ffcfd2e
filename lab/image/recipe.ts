import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The Debian release every lab node and the guest's user space come from. */
export const userSpaceSuite = 'bookworm'

/** One image serves as director, real server and client. */
export const nodePackages = [
  'iproute2',
  'ipvsadm',
  'iptables',
  'nginx-light',
  'curl',
  'iputils-arping',
  'iputils-ping',
  'kmod',
  'procps',
  'openssl',
  'tcpdump',
  'ca-certificates',
  'netcat-openbsd',
  'socat',
  // verify reads a keepalived.conf with keepalived itself: its checker programs the director's IPVS
  'keepalived',
]

/** The guest's root: dockerd and what its init script uses. */
export const guestPackages = ['docker.io', 'iproute2', 'kmod', 'procps', 'e2fsprogs', 'iptables']

export const guestInitPath = fileURLToPath(new URL('../vm/guest-init.sh', import.meta.url))
export const agentPath = fileURLToPath(new URL('../node/agent.sh', import.meta.url))

/** Bump when the way roots are built changes in a way the inputs below do not show. */
const recipeRevision = 3

/** Key of everything built from user space: the roots, the node image and the docker disk. */
export function recipeHash(): string {
  const h = createHash('sha256')
  h.update(JSON.stringify({ recipeRevision, userSpaceSuite, nodePackages, guestPackages }))
  h.update(readFileSync(guestInitPath))
  h.update(readFileSync(agentPath))
  return h.digest('hex').slice(0, 12)
}

export function nodeImageName(): string {
  return `lvs-lab/node:${recipeHash()}`
}
