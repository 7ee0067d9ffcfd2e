/**
 * `npm run lab:host-packages`: installs (as root, with apt-get) every host tool the kernel lab
 * needs to build and boot, from the same list the lab itself checks, and keepalived for
 * `npm run verify`; CI runs it up front.
 */
import { LabError } from '../errors'
import { bootTools, buildTools, ensureTools, verifyTools } from '../host/requirements'

try {
  await ensureTools([...bootTools, ...buildTools, ...verifyTools])
  console.log('host tools for the kernel lab and verify: all present')
} catch (err) {
  console.error(`lvs-conformance: ${err instanceof LabError ? err.message : (err as Error).stack}`)
  process.exit(2)
}
