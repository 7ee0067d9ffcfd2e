import type { ReplayPlan } from '../replay/replay-plan'
import type { KeepalivedOutline } from './outline'

/**
 * The replay of a keepalived.conf judges its health checkers too: every service whose
 * virtual_server block (the service's line, see table-in-conf.ts) holds a checker gets the
 * `health-checks` check (pure).
 */
export function withHealthChecks(plan: ReplayPlan, outline: KeepalivedOutline): ReplayPlan {
  const checked = new Set(outline.virtualServers.filter((b) => outline.checkers.some((c) => c.within[0] === `virtual_server ${b.args}`.trim())).map((b) => b.line))
  return { ...plan, services: plan.services.map((s) => (checked.has(s.line) ? { ...s, checks: [...s.checks, 'health-checks'] } : s)) }
}
