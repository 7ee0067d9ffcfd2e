import { verdict, type Verdict } from '../../checks/verdict'
import type { IpvsTable } from '../../lab/ipvs/types'
import { serviceName } from '../rules/service-name'
import type { PlannedService } from '../replay/replay-plan'
import type { CheckerState } from './checker-states'

/**
 * The service's health checkers, run by keepalived against the lab's real servers: each has had
 * a result and found its server up, and the table still holds the server at the weight the file
 * gives it (keepalived removes a failed server, or sets it to weight 0 with inhibit_on_failure).
 * The lab's servers serve what the file sends them, so a checker that fails here (a port or a
 * path nothing serves) fails against the user's servers too (pure).
 */
export function healthChecked(service: PlannedService, states: CheckerState[], table: IpvsTable): Verdict {
  const mine = states.filter((s) => s.service === service.name)
  const listed = table.services.find((s) => serviceName(s) === service.name)
  return verdict(`keepalived's health checkers find every real server of ${service.name} up, and leave it in the table at its weight`, [
    mine.length === 0 && `keepalived reported no health checker for ${service.name}`,
    ...mine.flatMap((c) => {
      const rs = `${c.address}:${c.port}`
      const planned = service.servers.find((p) => p.address === c.address)
      const kept = listed?.realServers.find((r) => r.address === c.address)
      return [
        !c.hasRun && `${c.method} of ${rs} had no result yet`,
        c.hasRun && !c.up && `${c.method} of ${rs} failed: keepalived took the server down`,
        !kept && `${rs} is no longer in the table`,
        kept && planned && kept.weight !== planned.weight && `${rs} is at weight ${kept.weight} in the table, the file gives it ${planned.weight}`,
      ]
    }),
  ])
}
