import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

const agent = fileURLToPath(new URL('./agent.sh', import.meta.url))

const b64 = (s: string) => Buffer.from(s).toString('base64')
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8')

/** A local agent, spoken to one line at a time; each answer line comes with when it came. */
function startAgent() {
  const child = spawn('bash', [agent], { stdio: ['pipe', 'pipe', 'pipe'] })
  let buffer = ''
  let stderr = ''
  const lines: { line: string; at: number }[] = []
  const waiters: (() => void)[] = []
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString()
    let nl: number
    while ((nl = buffer.indexOf('\n')) >= 0) {
      lines.push({ line: buffer.slice(0, nl), at: Date.now() })
      buffer = buffer.slice(nl + 1)
      for (const w of waiters.splice(0)) w()
    }
  })
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  let taken = 0
  return {
    send: (line: string) => child.stdin.write(`${line}\n`),
    async next(): Promise<{ line: string; at: number }> {
      while (lines.length <= taken) await new Promise<void>((r) => waiters.push(r))
      return lines[taken++]
    },
    stderr: () => stderr,
    close: () => {
      child.stdin.end()
      return new Promise((r) => child.on('exit', r))
    },
  }
}

/** Sends request lines to a fresh agent and returns its answer lines once it has exited. */
async function ask(lines: string[]): Promise<string[]> {
  const a = startAgent()
  for (const l of lines) a.send(l)
  await a.close()
  const answers: string[] = []
  for (let i = 0; i <= lines.length; i++) answers.push((await a.next()).line)
  return answers
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
  it('answers each script with its id, exit code, "ok", stdout and stderr', async () => {
    const answers = await ask([`c1 5 ${b64('echo hi; echo oops >&2; exit 3')}`, `c2 5 ${b64('printf "a\\nb"')}`])
    expect(answers[0]).toBe('@@lab-ready')
    expect(answers[1]).toBe(`@@lab c1 3 ok ${b64('hi\n')} ${b64('oops\n')}`)
    expect(answers[2]).toBe(`@@lab c2 0 ok ${b64('a\nb')} `)
  })

  it('keeps a script away from its own stdin, so one script cannot eat the next request', async () => {
    const answers = await ask([`c1 5 ${b64('cat; echo done')}`, `c2 5 ${b64('echo second')}`])
    expect(answers[1]).toBe(`@@lab c1 0 ok ${b64('done\n')} `)
    expect(answers[2]).toBe(`@@lab c2 0 ok ${b64('second\n')} `)
  })

  it('refuses a request without a deadline and goes on to the next', async () => {
    const answers = await ask([`c1 ${b64('echo no deadline')}`, `c2 5 ${b64('echo next')}`])
    expect(answers[1]).toMatch(/^@@lab c1 2 ok {2}\S+$/)
    expect(unb64(answers[1].split(' ')[5])).toContain('bad request')
    expect(answers[2]).toBe(`@@lab c2 0 ok ${b64('next\n')} `)
  })

  it('kills a script past its deadline with its child and grandchild, says so, and runs the next one at once', async () => {
    const a = startAgent()
    await a.next()
    // The script prints its descendants' pids, then hangs; one more hides in a group of
    // its own (job control), which the group kill alone would miss.
    const stuck = `
sleep 30 & echo child $!
bash -c 'sleep 30 & echo grandchild $!; wait' &
sleep 0.1
set -m; sleep 30 & echo other-group $!; set +m
echo partial output; echo on stderr >&2
sleep 30`
    const sent = Date.now()
    a.send(`c1 0.8 ${b64(stuck)}`)
    a.send(`c2 5 ${b64('echo next')}`)
    const killed = await a.next()
    const next = await a.next()
    await a.close()

    const [, id, rc, status, out, err] = killed.line.split(' ')
    expect([id, rc, status]).toEqual(['c1', '124', 'deadline'])
    const stdout = unb64(out)
    expect(stdout).toContain('partial output')
    expect(unb64(err)).toBe('on stderr\n')
    expect(killed.at - sent).toBeGreaterThanOrEqual(800)
    expect(killed.at - sent).toBeLessThan(1800)

    const pids = [...stdout.matchAll(/^(child|grandchild|other-group) (\d+)$/gm)].map((m) => Number(m[2]))
    expect(pids).toHaveLength(3)
    leftovers.push(...pids)
    expect(pids.filter((p) => !gone(p))).toEqual([])

    expect(next.line).toBe(`@@lab c2 0 ok ${b64('next\n')} `)
    expect(next.at - killed.at).toBeLessThan(500)
    expect(a.stderr()).toBe('')
  })

  it('leaves what a script detached with setsid running, even when a later script is killed', async () => {
    const a = startAgent()
    await a.next()
    a.send(`c1 5 ${b64('setsid sleep 30 </dev/null >/dev/null 2>&1 & echo $!')}`)
    const detached = Number(unb64((await a.next()).line.split(' ')[4]).trim())
    leftovers.push(detached)
    a.send(`c2 0.3 ${b64('sleep 30')}`)
    expect((await a.next()).line).toMatch(/^@@lab c2 124 deadline /)
    await a.close()
    expect(gone(detached)).toBe(false)
  })

  it('leaves what a script backgrounded running when it ends by itself (a capture between two scripts)', async () => {
    const answers = await ask([`c1 5 ${b64('sleep 30 </dev/null >/dev/null 2>&1 & echo $!')}`])
    const background = Number(unb64(answers[1].split(' ')[4]).trim())
    leftovers.push(background)
    expect(gone(background)).toBe(false)
  })
})
