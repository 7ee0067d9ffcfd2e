import { PassThrough, type Duplex } from 'node:stream'
import type Docker from 'dockerode'
import { AnswerReader, encodeRequest, type AgentAnswer } from './agent-protocol'
import { scriptTitle, transcript } from './transcript'

/** What one script run in a lab node gave back. */
export interface CommandResult {
  node: string
  script: string
  exitCode: number
  stdout: string
  stderr: string
  seconds: number
  /** The agent killed the script, and what it started, at its deadline (exitCode is 124). */
  deadlinePassed: boolean
  deadlineSeconds: number
}

/** Why a script that had to succeed did not: its node, its first line, and its exit or deadline. */
export function failureMessage(result: CommandResult): string {
  const what = `${result.node}: \`${scriptTitle(result.script)}\``
  if (result.deadlinePassed) return `${what} was killed at its ${result.deadlineSeconds} s deadline`
  const why = (result.stderr || result.stdout).trim().split('\n').slice(-1)[0]
  return `${what} exited ${result.exitCode}: ${why}`
}

type Answer = Omit<AgentAnswer, 'id'>

interface Pending {
  id: string
  resolve: (r: Answer) => void
  reject: (e: Error) => void
}

/**
 * The host side of lab/node/agent.sh: scripts go down the container's attached stdin and
 * answers come back on its stdout (lab/node/agent-protocol.ts). One script runs at a time per node, each
 * with a deadline the agent enforces; every one is recorded in the transcript.
 */
export class AgentSession {
  /**
   * How much longer than a script's deadline the host waits for the answer: the agent
   * answers first; this only catches an agent that cannot (gone, or wedged).
   */
  safetyNetMs = 5000
  private seq = 0
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
    const reader = new AnswerReader(
      () => markReady(),
      (a) => this.answer(a),
    )
    stdout.on('data', (chunk: Buffer) => reader.push(chunk))
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

  private answer({ id, ...answer }: AgentAnswer): void {
    const i = this.pending.findIndex((p) => p.id === id)
    if (i < 0) return
    const [p] = this.pending.splice(i, 1)
    p!.resolve(answer)
  }

  private fail(err: Error): void {
    this.closedWith = err
    for (const p of this.pending.splice(0)) p.reject(err)
  }

  /**
   * Runs a bash script in the node; resolves with its exit code and output, whatever they
   * are. Past `deadlineMs` the agent kills it (deadlinePassed) and goes on to the next.
   */
  run(script: string, deadlineMs = 60_000): Promise<CommandResult> {
    const next = this.queue.then(() => this.runNow(script, deadlineMs))
    this.queue = next.catch(() => undefined)
    return next
  }

  private runNow(script: string, deadlineMs: number): Promise<CommandResult> {
    if (this.closedWith) return Promise.reject(this.closedWith)
    const id = `c${++this.seq}`
    const deadlineSeconds = Math.max(0.001, Math.round(deadlineMs) / 1000)
    const at = Date.now()
    const record = (r: Partial<Answer> & { error?: string }) => transcript.record({ at, node: this.node, script, deadlineSeconds, seconds: (Date.now() - at) / 1000, ...r })
    return new Promise<CommandResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = this.pending.filter((p) => p.id !== id)
        const e = new Error(`${this.node}: no answer within ${(deadlineMs + this.safetyNetMs) / 1000} s to a script with a ${deadlineSeconds} s deadline: ${scriptTitle(script)}`)
        record({ error: `none within ${(deadlineMs + this.safetyNetMs) / 1000} s` })
        reject(e)
      }, deadlineMs + this.safetyNetMs)
      this.pending.push({
        id,
        resolve: (r) => {
          clearTimeout(timer)
          record(r)
          resolve({ node: this.node, script, ...r, seconds: (Date.now() - at) / 1000, deadlineSeconds })
        },
        reject: (e) => {
          clearTimeout(timer)
          record({ error: e.message })
          reject(e)
        },
      })
      this.stream.write(encodeRequest(id, deadlineSeconds, script))
    })
  }

  close(): void {
    this.stream.end()
    this.stream.destroy()
  }
}
