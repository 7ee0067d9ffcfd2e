import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { AnswerReader, encodeRequest, type AgentAnswer } from './agent-protocol'

const agent = fileURLToPath(new URL('./agent.sh', import.meta.url))

/** What the agent said: the ready line, or an answer; with when it came. */
type Said = { ready: true; at: number } | (AgentAnswer & { ready: false; at: number })

/** A local agent, spoken to one request at a time; each answer comes with when it came. */
function startAgent() {
  const child = spawn('bash', [agent], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  const said: Said[] = []
  const waiters: (() => void)[] = []
  const heard = (s: Said) => {
    said.push(s)
    for (const w of waiters.splice(0)) w()
  }
  const reader = new AnswerReader(
    () => heard({ ready: true, at: Date.now() }),
    (a) => heard({ ...a, ready: false, at: Date.now() }),
  )
  child.stdout.on('data', (d: Buffer) => reader.push(d))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  let taken = 0
  return {
    send: (id: string, deadline: number | string, script: string) => child.stdin.write(typeof deadline === 'number' ? encodeRequest(id, deadline, script) : `${id} ${deadline}\n`),
    sendRaw: (text: string) => child.stdin.write(text),
    async next(): Promise<Said> {
      while (said.length <= taken) await new Promise<void>((r) => waiters.push(r))
      return said[taken++]!
    },
    async answer(): Promise<AgentAnswer & { at: number }> {
      const s = await this.next()
      if (s.ready) throw new Error('expected an answer, got the ready line')
      return s
    },
    stderr: () => stderr,
    close: () => {
      child.stdin.end()
      return new Promise((r) => child.on('exit', r))
    },
  }
}

/** Whether a process is gone: no longer there, or a zombie waiting to be reaped by init. */
function gone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .startsWith('Z')
  } catch {
    return true
  }
}

const leftovers: number[] = []
afterEach(() => {
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
})

describe('the lab agent (lab/node/agent.sh)', () => {
  it('answers each script with its id, exit code, "ok", stdout and stderr, byte for byte', async () => {
    const a = startAgent()
    expect((await a.next()).ready).toBe(true)
    a.send('c1', 5, 'echo hi; echo oops >&2; exit 3')
    a.send('c2', 5, 'printf "a\\nb"')
    a.send('c3', 5, "printf 'é\\n\\n  x \\\\ y\\n\\n'")
    expect(await a.answer()).toMatchObject({ id: 'c1', exitCode: 3, deadlinePassed: false, stdout: 'hi\n', stderr: 'oops\n' })
    expect(await a.answer()).toMatchObject({ id: 'c2', exitCode: 0, stdout: 'a\nb', stderr: '' })
    expect(await a.answer()).toMatchObject({ id: 'c3', exitCode: 0, stdout: 'é\n\n  x \\ y\n\n' })
    await a.close()
  })

  it('runs a script of many lines, heredocs and quotes included, as bash would', async () => {
    const a = startAgent()
    await a.next()
    a.send('c1', 5, "set -e\ncat <<'X'\nline $one\n  two\nX\nf() { echo \"in f: $1\"; }\nf 'a b'")
    expect(await a.answer()).toMatchObject({ exitCode: 0, stdout: 'line $one\n  two\nin f: a b\n' })
    await a.close()
  })

  it('keeps a script away from its own stdin, so one script cannot eat the next request', async () => {
    const a = startAgent()
    await a.next()
    a.send('c1', 5, 'cat; echo done')
    a.send('c2', 5, 'echo second')
    expect(await a.answer()).toMatchObject({ id: 'c1', stdout: 'done\n' })
    expect(await a.answer()).toMatchObject({ id: 'c2', stdout: 'second\n' })
    await a.close()
  })

  it('refuses a request without a deadline and goes on to the next', async () => {
    const a = startAgent()
    await a.next()
    a.sendRaw('c1 3\n')
    a.send('c2', 5, 'echo next')
    const refused = await a.answer()
    expect(refused).toMatchObject({ id: 'c1', exitCode: 2 })
    expect(refused.stderr).toContain('bad request')
    expect(await a.answer()).toMatchObject({ id: 'c2', exitCode: 0, stdout: 'next\n' })
    await a.close()
  })

  it('kills a script past its deadline with its child and grandchild, says so, and runs the next one at once', async () => {
    const a = startAgent()
    await a.next()
    // The script prints its descendants' pids, then hangs.
    const stuck = `
sleep 30 & echo child $!
bash -c 'sleep 30 & echo grandchild $!; wait' &
sleep 0.1
echo partial output; echo on stderr >&2
sleep 30`
    const sent = Date.now()
    a.send('c1', 0.8, stuck)
    a.send('c2', 5, 'echo next')
    const killed = await a.answer()
    const next = await a.answer()
    await a.close()

    expect(killed).toMatchObject({ id: 'c1', exitCode: 124, deadlinePassed: true, stderr: 'on stderr\n' })
    expect(killed.stdout).toContain('partial output')
    expect(killed.at - sent).toBeGreaterThanOrEqual(800)
    expect(killed.at - sent).toBeLessThan(1800)

    const pids = [...killed.stdout.matchAll(/^(child|grandchild) (\d+)$/gm)].map((m) => Number(m[2]))
    expect(pids).toHaveLength(2)
    leftovers.push(...pids)
    expect(pids.filter((p) => !gone(p))).toEqual([])

    expect(next).toMatchObject({ id: 'c2', exitCode: 0, stdout: 'next\n' })
    expect(next.at - killed.at).toBeLessThan(500)
    expect(a.stderr()).toBe('')
  })

  it('leaves what a script detached with setsid running, even when a later script is killed', async () => {
    const a = startAgent()
    await a.next()
    a.send('c1', 5, 'setsid sleep 30 </dev/null >/dev/null 2>&1 & echo $!')
    const detached = Number((await a.answer()).stdout.trim())
    leftovers.push(detached)
    a.send('c2', 0.3, 'sleep 30')
    expect(await a.answer()).toMatchObject({ id: 'c2', exitCode: 124, deadlinePassed: true })
    await a.close()
    expect(gone(detached)).toBe(false)
  })

  it('leaves what a script backgrounded running when it ends by itself (a capture between two scripts)', async () => {
    const a = startAgent()
    await a.next()
    a.send('c1', 5, 'sleep 30 </dev/null >/dev/null 2>&1 & echo $!')
    const background = Number((await a.answer()).stdout.trim())
    await a.close()
    leftovers.push(background)
    expect(gone(background)).toBe(false)
  })

  it('keeps every answer whole across its batched clean-ups of the output files', async () => {
    const a = startAgent()
    await a.next()
    for (let i = 1; i <= 120; i++) a.send(`c${i}`, 5, `echo out ${i}; echo err ${i} >&2`)
    for (let i = 1; i <= 120; i++) expect(await a.answer()).toMatchObject({ id: `c${i}`, stdout: `out ${i}\n`, stderr: `err ${i}\n` })
    await a.close()
  })

  it('costs little per script: 20 scripts in well under the time of 20 process starts each', async () => {
    const a = startAgent()
    await a.next()
    const t0 = Date.now()
    for (let i = 1; i <= 20; i++) a.send(`c${i}`, 5, `echo ${i}`)
    for (let i = 1; i <= 20; i++) expect((await a.answer()).stdout).toBe(`${i}\n`)
    await a.close()
    expect(Date.now() - t0).toBeLessThan(5000)
  })
})
