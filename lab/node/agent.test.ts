import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const agent = fileURLToPath(new URL('./agent.sh', import.meta.url))

/** Sends one request line to a fresh agent and returns its answer line. */
function ask(lines: string[]): Promise<string[]> {
  const child = spawn('bash', [agent], { stdio: ['pipe', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  for (const l of lines) child.stdin.write(`${l}\n`)
  child.stdin.end()
  return new Promise((resolve) => child.on('exit', () => resolve(out.split('\n').filter((l) => l !== ''))))
}

const b64 = (s: string) => Buffer.from(s).toString('base64')

describe('the lab agent (lab/node/agent.sh)', () => {
  it('answers each script with its id, exit code, stdout and stderr', async () => {
    const answers = await ask([`c1 ${b64('echo hi; echo oops >&2; exit 3')}`, `c2 ${b64('printf "a\\nb"')}`])
    expect(answers[0]).toBe('@@lab-ready')
    expect(answers[1]).toBe(`@@lab c1 3 ${b64('hi\n')} ${b64('oops\n')}`)
    expect(answers[2]).toBe(`@@lab c2 0 ${b64('a\nb')} `)
  })

  it('keeps a script away from its own stdin, so one script cannot eat the next request', async () => {
    const answers = await ask([`c1 ${b64('cat; echo done')}`, `c2 ${b64('echo second')}`])
    expect(answers[1]).toBe(`@@lab c1 0 ${b64('done\n')} `)
    expect(answers[2]).toBe(`@@lab c2 0 ${b64('second\n')} `)
  })
})
