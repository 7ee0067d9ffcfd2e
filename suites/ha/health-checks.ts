import type { RealServer } from '../../lab/ipvs'
import { verdict, type Verdict } from '../../checks/verdict'

/**
 * What one health-check run saw on the master: nginx stopped on one real server, the table
 * polled until it changed for that server, requests while it was down; then nginx started
 * again, the table polled until the server was back, and requests again. Times on the lab's
 * clock, from the stop (and from the start).
 */
export interface HealthRun {
  server: { name: string; address: string }
  /** Seconds from nginx's stop until the table changed for the server (undefined: not within the wait). */
  changedAfter?: number
  /** The server's line in -Ln once it changed (or at the end of the wait); undefined: not listed. */
  whileDown?: RealServer
  answersWhileDown: (string | undefined)[]
  /** Seconds from nginx's start until the server was back at weight 1. */
  backAfter?: number
  whileBack?: RealServer
  answersWhileBack: (string | undefined)[]
  /** delay_loop + retry x (delay_before_retry + connect_timeout): the longest a checker takes to fail a server. */
  failBound: number
  /** delay_loop: the longest a checker takes to see it answer again. */
  returnBound: number
  toleranceSeconds: number
}

const down = (run: HealthRun) => [
  run.answersWhileDown.length === 0 && 'no request was sent while it was down',
  ...run.answersWhileDown.map((a, i) => a === undefined && `request ${i + 1} while ${run.server.name} was down went unanswered`),
  run.answersWhileDown.some((a) => a === run.server.name) && `${run.server.name} answered while its nginx was stopped`,
]

const timely = (seconds: number | undefined, bound: number, tolerance: number, what: string) => [
  seconds === undefined && `${what} did not happen within the wait`,
  seconds !== undefined && seconds > bound + tolerance && `${what} took ${seconds.toFixed(2)} s, over ${bound} s + ${tolerance} s`,
]

/**
 * 3. Health checks. keepalived's TCP_CHECK (check/check_tcp.c) connects to each real server
 * every delay_loop; a refused connection is retried `retry` times, delay_before_retry apart,
 * and then the server is taken out of the IPVS table (ipvs_cmd IP_VS_SO_SET_DELDEST), so no new
 * connection is scheduled to it: every request is answered by the others.
 */
export function takenOut(run: HealthRun): Verdict {
  return verdict(`nginx stopped on ${run.server.name}: keepalived takes it out of the table and every new request is answered`, [
    ...timely(run.changedAfter, run.failBound, run.toleranceSeconds, 'taking it out'),
    run.whileDown && `${run.server.name} is still listed (weight ${run.whileDown.weight})`,
    ...down(run),
  ])
}

/** 3, inhibit_on_failure: the failed server stays listed at weight 0 instead (IP_VS_SO_SET_EDITDEST), which schedules nothing to it. */
export function inhibited(run: HealthRun): Verdict {
  return verdict(`nginx stopped on ${run.server.name}, inhibit_on_failure: it stays in the table at weight 0 and every new request is answered`, [
    ...timely(run.changedAfter, run.failBound, run.toleranceSeconds, 'setting its weight to 0'),
    !run.whileDown && `${run.server.name} was taken out of the table`,
    run.whileDown && run.whileDown.weight !== 0 && `${run.server.name} is listed at weight ${run.whileDown.weight}`,
    ...down(run),
  ])
}

/** 3, the return: the checker's next success puts the server back at its weight, and it answers its turns again. */
export function putBack(run: HealthRun): Verdict {
  return verdict(`nginx back on ${run.server.name}: keepalived puts it back and it answers its turns`, [
    ...timely(run.backAfter, run.returnBound, run.toleranceSeconds, 'putting it back'),
    run.whileBack?.weight !== 1 && `${run.server.name} is ${run.whileBack ? `at weight ${run.whileBack.weight}` : 'not listed'} after its return`,
    !run.answersWhileBack.includes(run.server.name) && `${run.server.name} answered none of ${run.answersWhileBack.length} requests after its return`,
    run.answersWhileBack.some((a) => a === undefined) && `${run.answersWhileBack.filter((a) => a === undefined).length} requests went unanswered after its return`,
  ])
}

export function describeHealthRun(run: HealthRun): string {
  const line = (r?: RealServer) => (r ? `listed, weight ${r.weight}` : 'not listed')
  const t = (s?: number) => (s === undefined ? 'not within the wait' : `${s.toFixed(2)} s`)
  return [
    `nginx stopped on ${run.server.name} (${run.server.address}); the table changed for it after ${t(run.changedAfter)} (bound ${run.failBound} s + ${run.toleranceSeconds} s): ${line(run.whileDown)}`,
    `requests while it was down: ${run.answersWhileDown.map((a) => a ?? '-').join(' ')}`,
    `nginx started again; back at weight 1 after ${t(run.backAfter)} (bound ${run.returnBound} s + ${run.toleranceSeconds} s): ${line(run.whileBack)}`,
    `requests after its return: ${run.answersWhileBack.map((a) => a ?? '-').join(' ')}`,
  ].join('\n')
}
