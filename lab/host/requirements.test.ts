import { afterEach, describe, expect, it } from 'vitest'
import { ensureTools } from './requirements'

describe('ensureTools', () => {
  afterEach(() => {
    delete process.env.LVS_NO_INSTALL
  })

  it('passes when every tool is on the PATH', async () => {
    await expect(ensureTools(['tar', 'bash'])).resolves.toBeUndefined()
  })

  it('names what is missing and the apt-get install that brings it, in one line', async () => {
    process.env.LVS_NO_INSTALL = '1'
    const err = await ensureTools(['tar', 'lvs-no-such-tool']).catch((e: Error) => e)
    expect((err as Error).message).toBe(
      'the kernel lab needs lvs-no-such-tool, not found on this machine: install with `apt-get install -y lvs-no-such-tool`, or set DOCKER_HOST to a Docker engine whose kernel has IPVS',
    )
    expect((err as Error).message).not.toContain('\n')
  })
})
