import { PassThrough, type Duplex } from 'node:stream'
import type Docker from 'dockerode'

/** What one script run in a lab node gave back. */
export interface CommandResult {
  node: string
  script: string
  exitCode: number
  stdout: string
  stderr: string
  seconds: number
}

interface Pending {
  id: string
  resolve: (r: { exitCode: number; stdout: string; stderr: string }) => void
  reject: (e: Error) => void
}

/**
 * The host side of lab/node/agent.sh: scripts go down the container's attached stdin and
 * answers come back on its stdout, one line each. One script runs at a time per node.
 */
export class AgentSession {
  private seq = 0
  private buffer = ''
  private pending: Pending[] = []
  private queue: Promise<unknown> = Promise.resolve()
  private ready: Promise<void>
  private closedWith?: Error

  private constructor(
    readonly node: string,
    private readonly stream: Duplex,
    docker: Docker,
  ) {
    const stdout = new PassThrough()
    docker.modem.demuxStream(stream, stdout, new PassThrough())
    let markReady!: () => void
    this.ready = new Promise((r) => (markReady = r))
    stdout.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8')
      let nl: number
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl)
        this.buffer = this.buffer.slice(nl + 1)
        if (line === '@@lab-ready') markReady()
        else this.answer(line)
      }
    })
    stream.on('end', () => this.fail(new Error(`the agent of ${node} went away`)))
    stream.on('error', (e) => this.fail(e))
  }

  /** Attaches to a created (not yet started) container, so that nothing it prints is missed. */
  static async attach(docker: Docker, containerId: string, node: string): Promise<AgentSession> {
    const stream = (await docker.getContainer(containerId).attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as unknown as Duplex
    return new AgentSession(node, stream, docker)
  }

  async waitReady(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the agent of ${this.node} did not start within ${timeoutMs / 1000} s`)), timeoutMs)
    })
    try {
      await Promise.race([this.ready, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  private answer(line: string): void {
    const m = /^@@lab (\S+) (\d+) (\S*) ?(\S*)$/.exec(line)
    if (!m) return // a stray line from something the script started; not an answer
    const i = this.pending.findIndex((p) => p.id === m[1])
    if (i < 0) return
    const [p] = this.pending.splice(i, 1)
    p.resolve({ exitCode: Number(m[2]), stdout: Buffer.from(m[3], 'base64').toString('utf8'), stderr: Buffer.from(m[4], 'base64').toString('utf8') })
  }

  private fail(err: Error): void {
    this.closedWith = err
    for (const p of this.pending.splice(0)) p.reject(err)
  }

  /** Runs a bash script in the node; resolves with its exit code and output, whatever they are. */
  run(script: string, timeoutMs = 60_000): Promise<CommandResult> {
    const next = this.queue.then(() => this.runNow(script, timeoutMs))
    this.queue = next.catch(() => undefined)
    return next
  }

  private runNow(script: string, timeoutMs: number): Promise<CommandResult> {
    if (this.closedWith) return Promise.reject(this.closedWith)
    const id = `c${++this.seq}`
    const t0 = Date.now()
    return new Promise<CommandResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = this.pending.filter((p) => p.id !== id)
        reject(new Error(`${this.node}: no answer within ${timeoutMs / 1000} s to: ${script.split('\n')[0]}`))
      }, timeoutMs)
      this.pending.push({
        id,
        resolve: (r) => {
          clearTimeout(timer)
          resolve({ node: this.node, script, ...r, seconds: (Date.now() - t0) / 1000 })
        },
        reject: (e) => {
          clearTimeout(timer)
          reject(e)
        },
      })
      this.stream.write(`${id} ${Buffer.from(script).toString('base64')}\n`)
    })
  }

  close(): void {
    this.stream.end()
    this.stream.destroy()
  }
}
