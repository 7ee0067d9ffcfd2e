import { spawnSync } from 'node:child_process'
import type { Keepalived } from './find-keepalived'
import { judgeConfigTest, type ConfigTestVerdict } from './judge-config-test'

export interface ConfigTest extends ConfigTestVerdict {
  keepalived: Keepalived
  /** The command as run, for the report and for the user to run again. */
  command: string
  seconds: number
}

/**
 * Runs keepalived's own check of the file. --config-test parses and validates the whole file in
 * the parent process and exits before any child starts, so nothing reaches IPVS, VRRP or the
 * network; --all-config makes a missing `include` an error rather than a silent skip.
 */
export function runConfigTest(keepalived: Keepalived, file: string): ConfigTest {
  const args = ['--config-test', '--all-config', `--use-file=${file}`]
  const start = process.hrtime.bigint()
  const run = spawnSync(keepalived.path, args, { encoding: 'utf8', timeout: 30_000 })
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const exitCode = run.status ?? -1
  const stderr = run.error ? `keepalived could not run: ${run.error.message}` : run.stderr
  return { keepalived, command: `${keepalived.path} ${args.join(' ')}`, seconds, ...judgeConfigTest(exitCode, stderr) }
}
