/**
 * `npm run lab:host-packages`: installs (as root, with apt-get) every host tool the kernel lab
 * needs to build and boot, from the same list the lab itself checks; CI runs it up front.
 */
import { LabError } from '../errors'
import { bootTools, buildTools, ensureTools } from '../host/requirements'

try {
  await ensureTools([...bootTools, ...buildTools])
  console.log('host tools for the kernel lab: all present')
} catch (err) {
  console.error(`lvs-conformance: ${err instanceof LabError ? err.message : (err as Error).stack}`)
  process.exit(2)
}
