import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, mkdirSync } from 'node:fs'
import path from 'node:path'
import { request } from 'undici'
import { LabError } from '../errors'
import { onInterrupt } from '../host/interrupts'
import { say } from '../progress'
import type { FetchedKernel } from '../kernel/fetch-kernel'
import { stallDiagnosis, watchEngine } from './engine-watch'
import { LockupWatch } from './lockup-watch'

export interface GuestSpec {
  kernel: FetchedKernel
  initrd: string
  /** The raw ext4 disk mounted on /var/lib/docker. */
  disk: string
  /** Writes go to a throw-away overlay: the cached disk stays as it was. */
  snapshot: boolean
  port: number
  memoryMiB: number
  cpus: number
  accel: 'kvm' | 'tcg'
  consoleLog: string
  bootTimeoutSeconds: number
}

/** A QEMU process running the lab guest; dockerd inside answers on 127.0.0.1:port. */
export class RunningGuest {
  private exited: Promise<number | null>
  private stopping = false
  readonly bootMarks: string[] = []
  /** Why the guest was killed from here without being asked to stop: its kernel locked up. */
  wedged?: string

  constructor(
    readonly spec: GuestSpec,
    private readonly qemu: ChildProcess,
    private readonly stderr: string[],
  ) {
    this.exited = new Promise((resolve) => qemu.once('exit', (code) => resolve(code)))
  }

  get dockerHost(): string {
    return `tcp://127.0.0.1:${this.spec.port}`
  }

  get pid(): number | undefined {
    return this.qemu.pid
  }

  /**
   * Settles, with the one line that says why, if the guest goes away without being stopped:
   * its kernel locked up (killed here, so that the run fails at once instead of at every
   * Docker call's timeout) or qemu exited. Never settles for a guest that was stopped.
   */
  get gone(): Promise<string> {
    return this.exited.then((code) =>
      this.stopping
        ? new Promise<string>(() => undefined)
        : `${this.wedged ?? `the lab guest exited (${this.stderrLine() ?? `qemu exited with ${code}`})`}; see ${this.spec.consoleLog}`,
    )
  }

  private stderrLine(): string | undefined {
    return this.stderr
      .join('')
      .trim()
      .split('\n')
      .find((l) => l.trim())
  }

  /** Stops dockerd and powers off from inside, so the writable disk is left consistent. */
  async poweroff(timeoutMs = 120_000): Promise<void> {
    this.stopping = true
    this.qemu.stdin?.write('poweroff\n')
    const timer = setTimeout(() => this.kill(), timeoutMs)
    await this.exited
    clearTimeout(timer)
  }

  /** Asks the guest on its console what dockerd and the kernel are stuck on: its "lab: stall" lines, within the time given. */
  async stallReport(timeoutMs = 20_000): Promise<string[]> {
    const from = this.bootMarks.length
    this.qemu.stdin?.write('stall-report\n')
    const deadline = Date.now() + timeoutMs
    const said = () => this.bootMarks.slice(from)
    while (Date.now() < deadline && !said().some((m) => m.startsWith('stall reported'))) await new Promise((r) => setTimeout(r, 250))
    return said()
      .filter((m) => m.startsWith('stall ') && !m.startsWith('stall reported'))
      .map((m) => m.slice('stall '.length))
  }

  /**
   * Watches the guest's engine (engine-watch.ts) until the guest stops: an engine that answers
   * no network list for 90 s (two questions of 30 s, 30 s apart) is reported with the guest's stall report, and the
   * guest is stopped, so that the run ends with that line instead of at every test's timeout.
   */
  superviseEngine(answerMs = 30_000, everyMs = 30_000, misses = 2): void {
    const stop = watchEngine({
      everyMs,
      misses,
      probe: async () => {
        const res = await request(`http://127.0.0.1:${this.spec.port}/networks`, { headersTimeout: answerMs, bodyTimeout: answerMs })
        await res.body.text()
        if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`)
      },
      onStall: (seconds) =>
        void (async () => {
          if (this.stopping) return
          const report = await this.stallReport()
          if (this.stopping) return
          this.wedged = `the lab's Docker engine answered no network list for ${seconds} s: ${stallDiagnosis(report)}`
          say(`guest: ${this.wedged}: stopping it`)
          this.kill()
        })(),
    })
    void this.exited.then(stop)
  }

  kill(): void {
    if (this.qemu.exitCode === null && this.qemu.signalCode === null) this.qemu.kill('SIGKILL')
  }

  async stop(): Promise<void> {
    this.stopping = true
    this.kill()
    await this.exited
  }

  async waitForDocker(): Promise<void> {
    const deadline = Date.now() + this.spec.bootTimeoutSeconds * 1000
    let gone = false
    void this.exited.then(() => (gone = true))
    while (Date.now() < deadline) {
      if (gone) {
        const why = this.wedged ?? this.stderrLine() ?? `qemu exited with ${this.qemu.exitCode}`
        throw new LabError(`the lab guest stopped while booting (${why})`, `see ${this.spec.consoleLog}`)
      }
      const fatal = this.bootMarks.find((m) => m.includes('FATAL'))
      if (fatal) {
        this.kill()
        throw new LabError(`the lab guest failed to start dockerd (${fatal})`, `see ${this.spec.consoleLog}`)
      }
      try {
        const res = await request(`http://127.0.0.1:${this.spec.port}/_ping`, { headersTimeout: 2000, bodyTimeout: 2000 })
        if ((await res.body.text()) === 'OK') return
      } catch {
        // not up yet: QEMU accepts the forwarded port before the guest listens
      }
      await new Promise((r) => setTimeout(r, 500))
    }
    this.kill()
    throw new LabError(`the lab guest did not answer within ${this.spec.bootTimeoutSeconds} s`, `see ${this.spec.consoleLog}; raise LVS_BOOT_TIMEOUT on a slow machine`)
  }
}

export function bootGuest(spec: GuestSpec): RunningGuest {
  mkdirSync(path.dirname(spec.consoleLog), { recursive: true })
  const drive = `file=${spec.disk},format=raw,if=virtio,cache=unsafe${spec.snapshot ? ',snapshot=on' : ''}`
  const args = [
    '--pdeathsig',
    'SIGKILL',
    '--',
    'qemu-system-x86_64',
    '-name',
    'lvs-lab',
    '-machine',
    'q35',
    '-accel',
    spec.accel === 'kvm' ? 'kvm' : 'tcg,thread=multi',
    '-cpu',
    spec.accel === 'kvm' ? 'host' : 'max',
    '-smp',
    String(spec.cpus),
    '-m',
    String(spec.memoryMiB),
    '-nodefaults',
    '-no-user-config',
    '-display',
    'none',
    '-no-reboot',
    '-kernel',
    spec.kernel.vmlinuz,
    '-initrd',
    spec.initrd,
    '-append',
    // loglevel=5: warnings reach the console log too, so a soft lockup's trace (printed at the
    // default level) is there for the report; seen once under host load, with runc stuck on both CPUs.
    'console=ttyS0 rdinit=/init panic=-1 quiet loglevel=5 softlockup_all_cpu_backtrace=1',
    '-chardev',
    'stdio,id=con,signal=off',
    '-serial',
    'chardev:con',
    // restrict=on: the guest reaches nothing outside; only the Docker API comes in, on loopback.
    '-netdev',
    `user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:${spec.port}-10.0.2.15:2375`,
    '-device',
    'virtio-net-pci,netdev=n0',
    '-drive',
    drive,
  ]
  // setpriv's parent-death signal: if this process dies hard, qemu dies with it.
  const qemu = spawn('setpriv', args, { stdio: ['pipe', 'pipe', 'pipe'] })
  const stderr: string[] = []
  const guest = new RunningGuest(spec, qemu, stderr)
  const log = createWriteStream(spec.consoleLog)
  let partial = ''
  const lockups = new LockupWatch()
  qemu.stdout!.on('data', (chunk: Buffer) => {
    log.write(chunk)
    partial += chunk.toString()
    const lines = partial.split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) {
      const wedged = lockups.feed(line)
      if (wedged && !guest.wedged) {
        guest.wedged = wedged
        say(`guest: ${wedged}: stopping it`)
        guest.kill()
      }
      const m = /lab: (.*)/.exec(line)
      if (m) {
        guest.bootMarks.push(m[1].trim())
        say(`guest: ${m[1].trim()}`)
      }
    }
  })
  qemu.stderr!.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString())
    log.write(chunk)
  })
  qemu.once('exit', () => log.end())
  const forget = onInterrupt(() => guest.kill())
  qemu.once('exit', forget)
  return guest
}
