import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { heldLabMarker, holdLab } from './held-lab'
import { KernelProgress } from './progress-printer'

const dir = mkdtempSync(path.join(os.tmpdir(), 'lvs-held-'))
const info = {
  mode: 'vm',
  reason: 'LVS_LAB=vm asks for the kernel lab VM',
  dockerHost: 'tcp://127.0.0.1:40123',
  nodeImage: 'lvs-node',
  kernelRelease: '6.1.0-57-cloud-amd64',
  runDir: dir,
}

/** A stand-in for hold-lab.ts that speaks its protocol without starting anything. */
function standIn(body: string): string {
  const file = path.join(dir, `stand-in-${Math.random().toString(36).slice(2)}.mjs`)
  writeFileSync(file, body)
  return file
}

const lines: string[] = []
const spec = (script?: string) => ({
  kernel: 'bookworm',
  dir,
  forceVm: true,
  prefetched: true,
  log: new PassThrough().resume(),
  progress: new KernelProgress('bookworm 6.1', 0, (l) => lines.push(l)),
  script,
})
afterEach(() => void lines.splice(0))

describe('holdLab', () => {
  it("waits for the lab's facts, keeps its phases, and stops it by closing its stdin", async () => {
    const script = standIn(`
      process.stdout.write('[lab    9.0s] boot 6.1.0-57-cloud-amd64 (tcg) and wait for dockerd: 8.5 s\\n')
      process.stdout.write(${JSON.stringify(heldLabMarker)} + ${JSON.stringify(JSON.stringify(info))} + '\\n')
      process.stdin.on('end', () => { process.stdout.write('[lab   20.0s] lab stop: 0.2 s\\n'); process.exit(0) }).resume()
    `)
    const held = await holdLab(spec(script))
    if ('problem' in held) throw new Error(held.problem)
    expect(held.info.dockerHost).toBe('tcp://127.0.0.1:40123')
    expect(held.gone()).toBeUndefined()
    await held.stop()
    expect(held.phases).toEqual([
      { phase: 'boot (tcg) until dockerd answers', seconds: 8.5 },
      { phase: 'lab stop', seconds: 0.2 },
    ])
    expect(held.gone()).toBeUndefined()
    expect(lines.some((l) => l.endsWith('lab: lab stop: 0.2 s'))).toBe(true)
  })

  it('a lab that cannot start gives its one line', async () => {
    const script = standIn(`process.stderr.write('lvs-conformance: the lab guest did not answer within 300 s: see console.log\\n'); process.exit(2)`)
    expect(await holdLab(spec(script))).toEqual({ problem: 'the lab guest did not answer within 300 s: see console.log' })
  })

  it('a lab that dies after it was up is reported gone, with why', async () => {
    const script = standIn(`
      process.stdout.write(${JSON.stringify(heldLabMarker)} + ${JSON.stringify(JSON.stringify(info))} + '\\n')
      setTimeout(() => { process.stderr.write('lvs-conformance: qemu exited\\n'); process.exit(1) }, 100)
    `)
    const held = await holdLab(spec(script))
    if ('problem' in held) throw new Error(held.problem)
    await new Promise((r) => setTimeout(r, 1500))
    expect(held.gone()).toBe('qemu exited')
    await held.stop()
  })

  it("boots a user's own kernel from its record in the cache, handed over as LVS_KERNEL_RECORD", async () => {
    const script = standIn(`
      const info = { ...${JSON.stringify(info)}, reason: 'record ' + process.env.LVS_KERNEL_RECORD }
      process.stdout.write(${JSON.stringify(heldLabMarker)} + JSON.stringify(info) + '\\n')
      process.stdin.on('end', () => process.exit(0)).resume()
    `)
    const held = await holdLab({ ...spec(script), kernel: 'my-kernel', record: '/cache/kernels/own-4fdd0172a8c3f41a.json' })
    if ('problem' in held) throw new Error(held.problem)
    expect(held.info.reason).toBe('record /cache/kernels/own-4fdd0172a8c3f41a.json')
    await held.stop()
  })

  it("the real hold-lab.ts loads, and stops with the lab's one line on a bad setting before anything starts", async () => {
    // Refused by readLabConfig, first thing; and were it not, a kernel no series has stops it before any boot.
    const saved = process.env.LVS_VM_MEMORY
    process.env.LVS_VM_MEMORY = 'lots'
    try {
      const held = await holdLab({ ...spec(), kernel: 'no-such-kernel' })
      expect(held).toEqual({ problem: 'LVS_VM_MEMORY=lots is not a whole number: unset it or give e.g. LVS_VM_MEMORY=2048' })
    } finally {
      if (saved === undefined) delete process.env.LVS_VM_MEMORY
      else process.env.LVS_VM_MEMORY = saved
    }
  }, 30_000)
})
