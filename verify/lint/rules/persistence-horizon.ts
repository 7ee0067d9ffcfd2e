import type { Finding } from '../finding'
import type { LintRule } from '../lint-rule'
import { entryLife, stickyFor } from '../connection-life'
import { serviceName } from '../../rules/service-name'
import type { LintInput } from '../lint-input'
import type { LocatedService } from '../../rules/rules-table'

const id = 'persistence-horizon'

/**
 * The real horizon of each persistent service, in seconds. The template is armed for -p from the
 * client's last new connection (ip_vs_sched_persist in ip_vs_core.c re-arms it on each) and
 * outlives -p while it governs a connection (stickyFor, from ip_vs_conn.c); suites/persistence
 * measured both: a template gone at -p, and one held past it by a FIN_WAIT longer than -p.
 * The timeouts come from the file's `--set` line, else the kernel's defaults: the kernel has no
 * sysctl for them (the timeout_* entries of ip_vs_ctl.c's vs_vars are compiled out). From the
 * sysctl file it takes expire_quiescent_template (Documentation/networking/ipvs-sysctl.rst):
 * at 0, the default, a template naming a server at weight 0 still sends its client there
 * (ip_vs_check_template in ip_vs_conn.c).
 */
export const persistenceHorizon: LintRule = {
  id,
  title: 'how long a persistent service really keeps a client on its server, in seconds',
  check(input) {
    return input.table.services.filter((svc) => svc.persistent !== undefined).map((svc) => horizonOf(svc, input))
  },
}

function protocolsOf(svc: LocatedService, { mangle }: LintInput): { protocols: string[]; assumed: boolean } {
  if (svc.protocol !== 'FWM') return { protocols: [svc.protocol.toLowerCase()], assumed: false }
  const marked = [...new Set((mangle?.marks ?? []).filter((m) => m.mark === svc.fwmark && m.protocol).map((m) => m.protocol!))]
  return marked.length ? { protocols: marked, assumed: false } : { protocols: ['tcp'], assumed: true }
}

function horizonOf(svc: LocatedService, input: LintInput): Finding {
  const { table, sysctl } = input
  const p = svc.persistent!
  const name = serviceName(svc)
  const { protocols, assumed } = protocolsOf(svc, input)
  const setting = table.timeouts.setting ?? '--set'
  const timeoutsFrom = table.timeouts.line ? `${setting} at line ${table.timeouts.line}` : `the kernel's defaults; the file has no ${setting}`
  const lives = protocols.map((proto) => ({
    proto,
    life: entryLife(
      proto,
      svc.realServers.map((rs) => rs.forward),
      table.timeouts,
    ),
  }))
  const modelled = lives.filter((l) => l.life)
  const closedMax = Math.max(p, ...modelled.map((l) => stickyFor(p, l.life!.closed.seconds)))
  const idleMax = Math.max(p, ...modelled.map((l) => stickyFor(p, l.life!.idle.seconds)))
  const outlives = closedMax > p
  const parts = modelled.map(({ proto, life }) => {
    const c = life!.closed
    const i = life!.idle
    const closedText = c.seconds > p ? `outlasts -p, so even a short visit keeps the client there ${stickyFor(p, c.seconds)} s` : 'ends within -p'
    return `${proto.toUpperCase()}: a finished connection stays ${c.seconds} s in ${c.state}, which ${closedText}; an open idle one stays ${i.seconds} s in ${i.state} and keeps it there up to ${stickyFor(p, i.seconds)} s`
  })
  const unmodelled = lives.filter((l) => !l.life).map((l) => l.proto.toUpperCase())
  const quiesced = svc.realServers.filter((rs) => rs.weight === 0)
  const eqt = sysctl?.get('net.ipv4.vs.expire_quiescent_template')
  const keepsQuiesced = quiesced.length > 0 && eqt?.value !== '1'
  const wire = [
    `The template lasts -p ${p} s from the client's last new connection; when -p runs out while connections under it still live, the kernel re-arms it 60 s at a time until they are gone.`,
    ...parts.map((s) => `${s}.`),
    unmodelled.length ? `${unmodelled.join(', ')} entries are not modelled: at least -p ${p} s.` : '',
    'A connection that keeps sending keeps the client on its server for as long as it lasts.',
    assumed ? `The protocol is assumed TCP: no MARK rule for mark ${svc.fwmark} names one.` : '',
    keepsQuiesced
      ? `Clients whose template names ${quiesced.map((rs) => rs.address).join(', ')} (weight 0) keep reaching it for the same time: net.ipv4.vs.expire_quiescent_template is ${eqt ? `${eqt.value} (sysctl line ${eqt.line})` : '0 by default'}.`
      : '',
    `Timeouts: tcp ${table.timeouts.tcp}, tcpfin ${table.timeouts.tcpFin}, udp ${table.timeouts.udp} s, from ${timeoutsFrom}.`,
  ]
    .filter(Boolean)
    .join(' ')
  const todo = [
    outlives
      ? `if -p ${p} is the stickiness you want, lower --set tcpfin below it (NAT's TIME_WAIT cannot be changed), or raise -p to ${closedMax}, the horizon it has anyway`
      : 'nothing if that is the stickiness you meant; `--set` lowers the idle bound',
    keepsQuiesced ? 'set net.ipv4.vs.expire_quiescent_template = 1 so that draining a server (weight 0) moves its clients at their next connection' : '',
  ]
    .filter(Boolean)
    .join('; ')
  return {
    rule: id,
    severity: outlives || keepsQuiesced ? 'warning' : 'info',
    file: 'rules',
    line: svc.line,
    service: name,
    summary: `${name} -p ${p}: a client stays on its server ${closedMax} s after its last new connection${idleMax > closedMax ? `, up to ${idleMax} s while a connection is left open` : ''}`,
    wire,
    todo,
  }
}
