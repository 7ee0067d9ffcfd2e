import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { passed } from '../../checks/verdict'
import { parseIpvsList } from '../../lab/ipvs'
import { tcpCheck } from '../../lab/keepalived/vrrp-conf'
import { describeHealthRun, inhibited, putBack, takenOut, type HealthRun } from './health-checks'

const lab = (f: string) => readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url), 'utf8')

type Kind = 'checked' | 'inhibited' | 'unchecked'

/** The server's line in an `ipvsadm -Ln -t VIP:port` listing (pollTable's entry), undefined when it is not listed. */
function entryOf(listing: string, server: string) {
  const service = parseIpvsList(listing).services[0]
  return service?.realServers.find((r) => r.address === server && r.port === service.port)
}

/**
 * A health-check run as healthRun() in health-checks.test.ts built it. The master's two -Ln listings were attached
 * (`health-<kind>-down`, once the table changed for the server or the wait ended; `health-<kind>-back`, once it was
 * back): the server's lines in them are read here as the run read them. The rest was not attached on its own and
 * is read back from what the run saw (`health-<kind>-run`): the server, the seconds until the table changed and until
 * it was back (printed to the hundredth), the bounds, and the requests' answers (`-` unanswered).
 */
function healthRunOf(kind: Kind): HealthRun {
  const summary = lab(`health-${kind}-run-6.1.txt`)
  const stopped = /^nginx stopped on (\S+) \((\S+)\); the table changed for it after (.+) \(bound (\d+) s \+ (\d+) s\): /m.exec(summary)
  const started = /^nginx started again; back at weight 1 after (.+) \(bound (\d+) s \+ \d+ s\): /m.exec(summary)
  if (!stopped || !started) throw new Error(`health-${kind}: not a health-check run`)
  const seconds = (t: string) => (t === 'not within the wait' ? undefined : Number(/^(\S+) s$/.exec(t)![1]))
  const answers = (what: string) => {
    const line = new RegExp(`^requests ${what}: (.*)$`, 'm').exec(summary)?.[1]
    if (line === undefined) throw new Error(`health-${kind}: no requests ${what}`)
    return line.split(' ').map((a) => (a === '-' ? undefined : a))
  }
  const [, name = '', address = ''] = stopped
  const whileDown = entryOf(lab(`health-${kind}-down-6.1.txt`), address)
  const whileBack = entryOf(lab(`health-${kind}-back-6.1.txt`), address)
  return {
    server: { name, address },
    changedAfter: seconds(stopped[3]!),
    ...(whileDown ? { whileDown } : {}),
    answersWhileDown: answers('while it was down'),
    backAfter: seconds(started[1]!),
    ...(whileBack ? { whileBack } : {}),
    answersWhileBack: answers('after its return'),
    failBound: Number(stopped[4]),
    returnBound: Number(started[2]),
    toleranceSeconds: Number(stopped[5]),
  }
}

describe('health checks: the master’s -Ln listings and the client’s requests on the 6.1 lab (delay_loop 2 s)', () => {
  const checked = healthRunOf('checked')
  const inhibit = healthRunOf('inhibited')
  const unchecked = healthRunOf('unchecked')

  it('the runs rebuilt from the fixtures read as the lab’s runs did (what the run saw)', () => {
    expect(describeHealthRun(checked)).toBe(lab('health-checked-run-6.1.txt'))
    expect(describeHealthRun(inhibit)).toBe(lab('health-inhibited-run-6.1.txt'))
    expect(describeHealthRun(unchecked)).toBe(lab('health-unchecked-run-6.1.txt'))
  })

  it('reads the listings: checked, lvs-node-1 gone and lvs-node-2 alone; inhibited, lvs-node-1 at weight 0; unchecked, still at 1', () => {
    expect(checked.whileDown).toBeUndefined()
    expect(parseIpvsList(lab('health-checked-down-6.1.txt')).services[0]?.realServers.map((r) => `${r.address}:${r.port}`)).toEqual(['172.16.100.102:8009'])
    expect(inhibit.whileDown).toMatchObject({ address: '172.16.100.101', port: 8010, forward: 'Route', weight: 0 })
    expect(unchecked.whileDown).toMatchObject({ address: '172.16.100.101', port: 8011, weight: 1 })
    for (const run of [checked, inhibit, unchecked]) expect(run.whileBack?.weight).toBe(1)
  })

  it('the fail bound is delay_loop + retry x (delay_before_retry + connect_timeout) of the lab’s TCP_CHECK, the return bound delay_loop', () => {
    expect(checked.failBound).toBe(2 + tcpCheck.retry * (tcpCheck.delayBeforeRetry + tcpCheck.connectTimeout))
    expect(checked.returnBound).toBe(2)
  })

  it('nginx stopped on lvs-node-1: taken out after 3.18 s, every request answered by lvs-node-2', () => {
    expect(checked.changedAfter).toBe(3.18)
    expect(passed(takenOut(checked))).toBe(true)
  })

  it('with inhibit_on_failure it stays listed at weight 0 after 1.78 s, and the taken-out check fails on the same run', () => {
    expect(inhibit.changedAfter).toBe(1.78)
    expect(passed(inhibited(inhibit))).toBe(true)
    expect(takenOut(inhibit).failures).toEqual(['lvs-node-1 is still listed (weight 0)'])
  })

  it('the inhibited check fails on the run that took the server out', () => {
    expect(inhibited(checked).failures).toEqual(['lvs-node-1 was taken out of the table'])
  })

  it('no checker for lvs-node-1: it stays in the table and its turns go unanswered, and both checks fail as in the lab', () => {
    expect(takenOut(unchecked).failures).toEqual([
      'taking it out did not happen within the wait',
      'lvs-node-1 is still listed (weight 1)',
      'request 2 while lvs-node-1 was down went unanswered',
      'request 4 while lvs-node-1 was down went unanswered',
    ])
    expect(inhibited(unchecked).failures).toEqual([
      'setting its weight to 0 did not happen within the wait',
      'lvs-node-1 is listed at weight 1',
      'request 2 while lvs-node-1 was down went unanswered',
      'request 4 while lvs-node-1 was down went unanswered',
    ])
  })

  it('nginx back on lvs-node-1: back at weight 1 within delay_loop, it answers its turns again (checked and inhibited alike)', () => {
    expect(checked.backAfter).toBe(1.75)
    expect(passed(putBack(checked))).toBe(true)
    expect(passed(putBack(inhibit))).toBe(true)
  })

  it('the return fails when the server is still out and answers none of the requests (the checked run’s down readings as its return)', () => {
    const stillOut: HealthRun = { ...checked, backAfter: undefined, whileBack: checked.whileDown, answersWhileBack: checked.answersWhileDown }
    expect(putBack(stillOut).failures).toEqual([
      'putting it back did not happen within the wait',
      'lvs-node-1 is not listed after its return',
      'lvs-node-1 answered none of 4 requests after its return',
    ])
    expect(putBack({ ...inhibit, whileBack: inhibit.whileDown }).failures).toEqual(['lvs-node-1 is at weight 0 after its return'])
    expect(putBack({ ...checked, answersWhileBack: unchecked.answersWhileDown }).failures).toEqual([
      'lvs-node-1 answered none of 4 requests after its return',
      '2 requests went unanswered after its return',
    ])
  })

  it('timing: a change at exactly bound + tolerance holds, a hundredth later fails; likewise the return', () => {
    expect(passed(takenOut({ ...checked, changedAfter: 6 }))).toBe(true)
    expect(takenOut({ ...checked, changedAfter: 6.01 }).failures).toEqual(['taking it out took 6.01 s, over 4 s + 2 s'])
    expect(passed(putBack({ ...checked, backAfter: 4 }))).toBe(true)
    expect(putBack({ ...checked, backAfter: 4.2 }).failures).toEqual(['putting it back took 4.20 s, over 2 s + 2 s'])
  })

  it('fails when no request was sent while the server was down, or the stopped server itself answered', () => {
    expect(takenOut({ ...checked, answersWhileDown: [] }).failures).toEqual(['no request was sent while it was down'])
    expect(takenOut({ ...checked, answersWhileDown: checked.answersWhileBack }).failures).toEqual(['lvs-node-1 answered while its nginx was stopped'])
  })
})
