/**
 * Connections a client holds open to a virtual service, one per line of the script that
 * opens them: `@@held <id> <server|-> <lines received> [open|closed]`. The real server's hold endpoint
 * writes its hostname first and then a tick a second, so the first line names the server
 * and the line count shows whether the connection is still carrying data.
 */
export interface HeldConnection {
  id: number
  /** The real server that answered; absent when the connection was refused or never answered. */
  server?: string
  /** Lines received so far (the name, then the ticks). */
  lines: number
  /** Whether the client's end is still open (its socat alive); absent where the listing does not say. */
  open?: boolean
}

export const heldMarker = '@@held'

export function parseHeldConnections(stdout: string): HeldConnection[] {
  const held: HeldConnection[] = []
  for (const m of stdout.matchAll(new RegExp(`^${heldMarker} (\\d+) (\\S+) (\\d+)(?: (open|closed))?$`, 'gm'))) {
    held.push({ id: Number(m[1]), server: m[2] === '-' ? undefined : m[2], lines: Number(m[3]), ...(m[4] ? { open: m[4] === 'open' } : {}) })
  }
  return held
}
