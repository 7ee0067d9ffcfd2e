import path from 'node:path'

/** Where results, logs and the report go (LVS_REPORTS_DIR, default reports/). */
export function reportsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.LVS_REPORTS_DIR || 'reports')
}

/** This run's lab logs and facts: the guest console, lab.json, the ipvsadm version. */
export function labRunDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(reportsDir(env), 'lab')
}
