import { describe, expect, it } from 'vitest'
import { LabError } from './errors'
import { within } from './within'

describe('within', () => {
  it("gives the work's result when it finishes in time", async () => {
    await expect(within(1, 'a quick call', async () => 42)).resolves.toBe(42)
  })

  it("passes the work's own failure through", async () => {
    await expect(within(1, 'a failing call', () => Promise.reject(new Error('refused')))).rejects.toThrow('refused')
  })

  it('rejects with one line naming the call when it never returns', async () => {
    const never = () => new Promise<never>(() => undefined)
    const err = await within(0.05, 'tearing down the dr topology', never).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LabError)
    expect((err as Error).message).toMatch(/^tearing down the dr topology did not finish within 0.05 s: .*lab:sweep/)
  })
})
