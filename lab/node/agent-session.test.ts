import { spawn } from 'node:child_process'
import { Duplex, PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import type Docker from 'dockerode'
import { afterEach, describe, expect, it } from 'vitest'
import { AgentSession, failureMessage, type CommandResult } from './agent-session'
import { transcript } from './transcript'

const agent = fileURLToPath(new URL('./agent.sh', import.meta.url))

/** A Docker stand-in whose one container is `stream`; its output is not multiplexed. */
function dockerWith(stream: Duplex): Docker {
  return {
    getContainer: () => ({ attach: async () => stream }),
    modem: { demuxStream: (s: Duplex, stdout: PassThrough) => s.pipe(stdout) },
  } as unknown as Docker
}

const sessions: AgentSession[] = []
afterEach(() => {
  for (const s of sessions.splice(0)) s.close()
})

/** A session on agent.sh run here, as a container would run it. */
async function localAgent(): Promise<AgentSession> {
  const child = spawn('bash', [agent], { stdio: ['pipe', 'pipe', 'inherit'] })
  const session = await AgentSession.attach(dockerWith(Duplex.from({ readable: child.stdout, writable: child.stdin })), 'c', 'rs1')
  sessions.push(session)
  await session.waitReady(5000)
  return session
}

describe('AgentSession', () => {
  it('runs scripts with their deadline and says when the agent killed one; the next runs at once', async () => {
    const s = await localAgent()
    const mark = transcript.mark()
    const killed = await s.run('echo started\nsleep 30', 600)
    expect(killed).toMatchObject({ node: 'rs1', exitCode: 124, deadlinePassed: true, deadlineSeconds: 0.6, stdout: 'started\n' })
    expect(killed.seconds).toBeGreaterThanOrEqual(0.6)
    expect(killed.seconds).toBeLessThan(1.5)
    const next = await s.run('echo next; exit 3')
    expect(next).toMatchObject({ exitCode: 3, deadlinePassed: false, deadlineSeconds: 60, stdout: 'next\n' })
    expect(next.seconds).toBeLessThan(0.5)
    expect(transcript.since(mark).entries).toMatchObject([
      { node: 'rs1', script: 'echo started\nsleep 30', exitCode: 124, deadlinePassed: true, stdout: 'started\n' },
      { node: 'rs1', script: 'echo next; exit 3', exitCode: 3, deadlinePassed: false },
    ])
  })

  it('gives up a little after the deadline on an agent that does not answer, and records that', async () => {
    const ready = new PassThrough()
    const silent = Duplex.from({ readable: ready, writable: new PassThrough() })
    const s = await AgentSession.attach(dockerWith(silent), 'c', 'rs2')
    sessions.push(s)
    ready.write('@@lab-ready\n')
    await s.waitReady(1000)
    s.safetyNetMs = 200
    const mark = transcript.mark()
    await expect(s.run('set -e\nsleep 30', 300)).rejects.toThrow('rs2: no answer within 0.5 s to a script with a 0.3 s deadline: sleep 30')
    expect(transcript.since(mark).entries).toMatchObject([{ node: 'rs2', script: 'sleep 30', exitCode: undefined, error: 'none within 0.5 s' }])
  })
})

describe('failureMessage', () => {
  const result: CommandResult = {
    node: 'director',
    script: 'set -e\nipvsadm -A -t 10.0.0.10:80\nipvsadm -L -n',
    exitCode: 2,
    stdout: '',
    stderr: 'warning\nMemory allocation problem\n',
    seconds: 0.2,
    deadlinePassed: false,
    deadlineSeconds: 60,
  }
  it('names the node, the first line of the script (not the set -e of LabNode.sh) and the last line it printed', () => {
    expect(failureMessage(result)).toBe('director: `ipvsadm -A -t 10.0.0.10:80` exited 2: Memory allocation problem')
  })
  it('names the deadline of a script the agent killed', () => {
    expect(failureMessage({ ...result, exitCode: 124, deadlinePassed: true, deadlineSeconds: 20 })).toBe('director: `ipvsadm -A -t 10.0.0.10:80` was killed at its 20 s deadline')
  })
})
