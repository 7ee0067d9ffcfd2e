import { spawnSync } from 'node:child_process'
import { commandPath } from '../../lab/host/command-path'

export interface Keepalived {
  path: string
  /** As `keepalived --version` states it: `v2.2.7`. */
  version: string
}

/** The host's keepalived, if it has one. */
export function findKeepalived(): Keepalived | undefined {
  const path = commandPath('keepalived')
  if (!path) return undefined
  // keepalived prints its version banner on stderr
  const run = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 })
  const version = /Keepalived (v\S+)/.exec(`${run.stdout}${run.stderr}`)?.[1] ?? 'of unknown version'
  return { path, version }
}
