import fs from 'node:fs/promises'
import path from 'node:path'
import { sh } from '../host/shell'
import type { KernelSeries } from './series'

/**
 * apt with its own sources list and state below the cache: the machine's own apt
 * configuration is never read or changed.
 */
export class PrivateApt {
  constructor(
    readonly dir: string,
    readonly series: KernelSeries,
    readonly mirror: string,
  ) {}

  private get options(): string[] {
    return [
      `-o`,
      `Dir::Etc::SourceList=${path.join(this.dir, 'sources.list')}`,
      `-o`,
      `Dir::Etc::SourceParts=/dev/null`,
      `-o`,
      `Dir::State::Lists=${path.join(this.dir, 'lists')}`,
      `-o`,
      `Dir::Cache=${path.join(this.dir, 'cache')}`,
      `-o`,
      `Dir::State::Status=/dev/null`,
      `-o`,
      `APT::Sandbox::User=root`,
      `-o`,
      `Acquire::Languages=none`,
    ]
  }

  async update(): Promise<void> {
    const security = this.mirror.replace(/\/debian\/?$/, '/debian-security')
    const lines = this.series.suites.map((s) => `deb ${this.mirror} ${s} main`)
    if (this.series.security) lines.push(`deb ${security} ${this.series.security} main`)
    for (const d of ['lists/partial', 'cache/archives/partial']) await fs.mkdir(path.join(this.dir, d), { recursive: true })
    await fs.writeFile(path.join(this.dir, 'sources.list'), `${lines.join('\n')}\n`)
    const out = await sh`apt-get ${this.options} -qq update`
    // apt-get update exits 0 when an index cannot be fetched, with only a warning: an unreachable
    // mirror must not pass for an archive without the package.
    const failed = out.stderr.split('\n').find((l) => /Failed to fetch|failed to download/.test(l))
    if (failed) throw new Error(failed.trim())
  }

  /** The control fields of a package's candidate version, or of `pkg=version`. */
  async show(pkg: string): Promise<Record<string, string>> {
    return (await this.records(pkg, ['--no-all-versions']))[0] ?? {}
  }

  /** The control fields of every version of a package the indexes list, newest first. */
  async versions(pkg: string): Promise<Record<string, string>[]> {
    return this.records(pkg, [])
  }

  private async records(pkg: string, flags: string[]): Promise<Record<string, string>[]> {
    // A package the archive does not have: no records, so the caller can say which one.
    const out = await sh`apt-cache ${this.options} show ${flags} ${pkg}`.nothrow()
    if (out.exitCode !== 0 && /No packages found/.test(out.stderr)) return []
    if (out.exitCode !== 0) throw out
    return out.stdout
      .split(/\n\s*\n/)
      .map((record) => {
        const fields: Record<string, string> = {}
        for (const line of record.split('\n')) {
          const m = /^([A-Za-z-]+): (.*)$/.exec(line)
          if (m) fields[m[1]] = m[2]
        }
        return fields
      })
      .filter((f) => f.Package)
  }

  async download(pkgs: string[], into: string): Promise<void> {
    await sh`cd ${into} && apt-get ${this.options} -qq download ${pkgs}`
  }
}
