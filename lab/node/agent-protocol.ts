/**
 * The wire format of lab/node/agent.sh. A request is a line "<id> <deadline> <line count>"
 * and the script's lines; an answer is a line "@@lab <id> <exit code> <ok|deadline>
 * <stdout bytes> <stderr bytes>" and exactly those bytes. Lengths instead of an encoding
 * keep the agent from starting a process (base64) for every script.
 */

export interface AgentAnswer {
  id: string
  exitCode: number
  deadlinePassed: boolean
  stdout: string
  stderr: string
}

/** One request: the script's lines, counted, each ended by a newline. */
export function encodeRequest(id: string, deadlineSeconds: number, script: string): string {
  const body = script.endsWith('\n') ? script : `${script}\n`
  const lines = body.split('\n').length - 1
  return `${id} ${deadlineSeconds} ${lines}\n${body}`
}

const header = /^@@lab (\S+) (\d+) (ok|deadline) (\d+) (\d+)$/

/**
 * Reads the agent's output as it comes, in chunks of any size: the ready line, then
 * answers. A line that is neither (something a script let through to the agent's stdout)
 * is skipped; an answer's bytes are taken whatever they hold.
 */
export class AnswerReader {
  private buffer: Buffer = Buffer.alloc(0)
  private body?: { id: string; exitCode: number; deadlinePassed: boolean; out: number; err: number }

  constructor(
    private readonly onReady: () => void,
    private readonly onAnswer: (answer: AgentAnswer) => void,
  ) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk
    for (;;) {
      if (this.body) {
        const { out, err } = this.body
        if (this.buffer.length < out + err) return
        const b = this.body
        this.body = undefined
        const stdout = this.buffer.subarray(0, out).toString('utf8')
        const stderr = this.buffer.subarray(out, out + err).toString('utf8')
        this.buffer = this.buffer.subarray(out + err)
        this.onAnswer({ id: b.id, exitCode: b.exitCode, deadlinePassed: b.deadlinePassed, stdout, stderr })
        continue
      }
      const nl = this.buffer.indexOf(0x0a)
      if (nl < 0) return
      const line = this.buffer.subarray(0, nl).toString('utf8')
      this.buffer = this.buffer.subarray(nl + 1)
      if (line === '@@lab-ready') this.onReady()
      const m = header.exec(line)
      if (m) this.body = { id: m[1]!, exitCode: Number(m[2]), deadlinePassed: m[3] === 'deadline', out: Number(m[4]), err: Number(m[5]) }
    }
  }
}
