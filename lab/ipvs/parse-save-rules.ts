import { isIPv4, isIPv6 } from 'node:net'
import type { ForwardMethod, IpvsTimeouts, RealServer, ServiceKey, TunnelChecksum, TunnelInfo, TunnelType, VirtualService } from './types'
import { toLines, tokens, type Line } from './lines'
import { IpvsParseError } from './parse-error'
import { parseUint } from './numbers'
import { TUNNEL_TYPES } from './tunnel-info'
import { ipv4MaskOf } from './ipv4-mask'

/** ipvsadm's defaults when an option is left out (process_options, parse_timeout). */
const DEFAULT_SCHEDULER = 'wlc'
const DEFAULT_PERSISTENCE = 360
const DEFAULT_WEIGHT = 1
/** MAX_TIMEOUT in ipvsadm.c: 31 days. */
const MAX_TIMEOUT = 86400 * 31

/** One line of a restore file, as ipvsadm -R reads it, with where it stood. */
export type SaveRule =
  | { kind: 'service'; line: Line; service: VirtualService }
  | { kind: 'server'; line: Line; key: ServiceKey; server: RealServer }
  | { kind: 'timeouts'; line: Line; timeouts: IpvsTimeouts }

/**
 * Reads the lines ipvsadm -R accepts: `-A` and `-a` as `ipvsadm -S -n` prints them or as written
 * by hand with the long option names (with or without a leading `ipvsadm`), and `--set tcp tcpfin udp`. Options that are left out take
 * ipvsadm's defaults. A line ipvsadm itself would refuse (its `fail(2, ...)` in process_options)
 * is an IpvsParseError quoting the line; what only the kernel refuses (a service added twice) is
 * left to the caller, who knows what came before.
 */
export function parseSaveRules(text: string): SaveRule[] {
  return toLines(text)
    .filter((line) => !line.text.trim().startsWith('#'))
    .map((line): SaveRule => {
      // config_stream_read (ipvsadm's config_stream.c) drops every word "ipvsadm": a script of commands restores too
      const [command, ...args] = tokens(line).filter((t) => t !== 'ipvsadm')
      if (command === '-A' || command === '--add-service') return { kind: 'service', line, service: parseAddService(args, line) }
      if (command === '-a' || command === '--add-server') return { kind: 'server', line, ...parseAddServer(args, line) }
      if (command === '--set') return { kind: 'timeouts', line, timeouts: parseSet(args, line) }
      throw new IpvsParseError(`expected -A, -a or --set, got ${JSON.stringify(command)}`, line.no, line.text)
    })
}

/** The identity the kernel gives a service: address:port per protocol, or the mark and family. */
export function serviceId(k: ServiceKey): string {
  return k.protocol === 'FWM' ? `FWM ${k.fwmark}${k.ipv6 ? ' IPv6' : ''}` : `${k.protocol} ${k.address} ${k.port}`
}

/** Walks an argument list; every option must be consumed by the caller or it is an error. */
class Args {
  private i = 0
  constructor(
    private readonly args: string[],
    readonly line: Line,
  ) {}
  next(): string | undefined {
    return this.args[this.i++]
  }
  peek(): string | undefined {
    return this.args[this.i]
  }
  value(option: string): string {
    const v = this.next()
    if (v === undefined) throw new IpvsParseError(`option ${option} needs a value`, this.line.no, this.line.text)
    return v
  }
  fail(option: string): never {
    throw new IpvsParseError(`unexpected option ${JSON.stringify(option)}`, this.line.no, this.line.text)
  }
}

/** Handles the service-selecting options shared by -A and -a; returns false for other options. */
function takeServiceOption(opt: string, a: Args, key: Partial<ServiceKey>): boolean {
  const proto = { '-t': 'TCP', '--tcp-service': 'TCP', '-u': 'UDP', '--udp-service': 'UDP', '--sctp-service': 'SCTP' }[opt] as ServiceKey['protocol'] | undefined
  if (proto) {
    if (key.protocol) a.fail(opt)
    const ep = parseRuleEndpoint(a.value(opt), 'virtual service', a.line)
    Object.assign(key, { protocol: proto, address: ep.address, port: ep.port ?? 0 })
  } else if (opt === '-f' || opt === '--fwmark-service') {
    if (key.protocol) a.fail(opt)
    const fwmark = parseUint(a.value(opt), 'firewall mark', a.line, 0xffffffff)
    if (fwmark === 0) throw new IpvsParseError('firewall mark must be greater than zero', a.line.no, a.line.text)
    Object.assign(key, { protocol: 'FWM', fwmark })
  } else if (opt === '-6' || opt === '--ipv6') {
    // ipvsadm only accepts -6 after -f
    if (key.protocol !== 'FWM') throw new IpvsParseError('-6 used before -f', a.line.no, a.line.text)
    key.ipv6 = true
  } else {
    return false
  }
  return true
}

function requireKey(key: Partial<ServiceKey>, line: Line): ServiceKey {
  if (!key.protocol) throw new IpvsParseError('rule names no virtual service (-t, -u, --sctp-service or -f)', line.no, line.text)
  return key as ServiceKey
}

const isV6 = (k: ServiceKey) => (k.protocol === 'FWM' ? k.ipv6 === true : isIPv6(k.address!))

function parseAddService(args: string[], line: Line): VirtualService {
  const a = new Args(args, line)
  const key: Partial<ServiceKey> = {}
  const svc: Omit<VirtualService, keyof ServiceKey> = { scheduler: DEFAULT_SCHEDULER, flags: [], realServers: [] }
  let netmask: string | undefined
  for (let opt = a.next(); opt !== undefined; opt = a.next()) {
    if (takeServiceOption(opt, a, key)) continue
    if (opt === '-s' || opt === '--scheduler') svc.scheduler = a.value(opt)
    else if (opt === '-p' || opt === '--persistent') {
      // the timeout is optional (POPT_ARGFLAG_OPTIONAL); ipvsadm -S always prints it
      const v = a.peek()
      svc.persistent = v !== undefined && /^\d+$/.test(v) ? parseTimeout(a.next(), 1, line) : DEFAULT_PERSISTENCE
    } else if (opt === '-M' || opt === '--netmask') netmask = a.value(opt)
    else if (opt === '--pe') svc.pe = a.value(opt)
    else if (opt === '-o' || opt === '--ops') svc.ops = true
    else if (opt === '-b' || opt === '--sched-flags')
      svc.flags = a
        .value(opt)
        .split(',')
        .filter((f) => f !== '')
    else a.fail(opt)
  }
  const k = requireKey(key, line)
  if (netmask !== undefined) svc.netmask = readNetmask(netmask, isV6(k), line)
  // the host mask is ipvsadm's default and is never printed, so drop it for comparability
  if (svc.netmask === '255.255.255.255' || svc.netmask === '128') delete svc.netmask
  // ipvsadm only shows a mask on persistent services
  if (svc.persistent === undefined) delete svc.netmask
  checkService(k, svc, line)
  return { ...k, ...svc }
}

/** What process_options and parse_sched_flags refuse before anything reaches the kernel. */
function checkService(k: ServiceKey, svc: Omit<VirtualService, keyof ServiceKey>, line: Line): void {
  const refuse = (reason: string) => {
    throw new IpvsParseError(`ipvsadm refuses this: ${reason}`, line.no, line.text)
  }
  if (k.protocol !== 'FWM' && k.port === 0 && svc.persistent === undefined) refuse('port 0 is only allowed for a persistent service (-p)')
  if (svc.ops && k.protocol !== 'FWM' && k.protocol !== 'UDP') refuse('one-packet scheduling (-o) is only for UDP services')
  for (const flag of svc.flags) {
    const owner = /^(sh|mh)-(fallback|port)$/.exec(flag)?.[1]
    if (!owner && !/^flag-[123]$/.test(flag)) refuse(`invalid scheduler flag ${JSON.stringify(flag)}`)
    if (owner && owner !== svc.scheduler) refuse(`scheduler flag ${flag} needs -s ${owner}, not ${svc.scheduler}`)
  }
}

/** IPv4: inet_aton's reading, as a dotted mask; IPv6: a prefix length 1..128 (ipvsadm's -M). */
function readNetmask(text: string, ipv6: boolean, line: Line): string {
  if (ipv6) return String(parseUint(text, 'IPv6 netmask prefix', line, 128))
  const dotted = ipv4MaskOf(text)
  if (!dotted) throw new IpvsParseError(`netmask ${JSON.stringify(text)} is not a numeric IPv4 mask`, line.no, line.text)
  return dotted
}

function parseTimeout(token: string | undefined, min: number, line: Line): number {
  const seconds = parseUint(token, 'timeout', line, MAX_TIMEOUT)
  if (seconds < min) throw new IpvsParseError(`timeout ${seconds} is below ${min}`, line.no, line.text)
  return seconds
}

/** `--set tcp tcpfin udp`: three timeouts in seconds, 0 leaving that one unchanged. */
function parseSet(args: string[], line: Line): IpvsTimeouts {
  if (args.length !== 3) throw new IpvsParseError('--set needs 3 timeout values (tcp tcpfin udp)', line.no, line.text)
  const [tcp, tcpFin, udp] = args.map((v) => parseTimeout(v, 0, line)) as [number, number, number]
  return { tcp, tcpFin, udp }
}

const FORWARD_OPTIONS: Record<string, ForwardMethod> = { '-m': 'Masq', '--masquerading': 'Masq', '-g': 'Route', '--gatewaying': 'Route', '-i': 'Tunnel', '--ipip': 'Tunnel' }
const CSUM_OPTIONS: Record<string, TunnelChecksum> = { '--tun-nocsum': 'nocsum', '--tun-csum': 'csum', '--tun-remcsum': 'remcsum' }

function parseAddServer(args: string[], line: Line): { key: ServiceKey; server: RealServer } {
  const a = new Args(args, line)
  const key: Partial<ServiceKey> = {}
  let server: { address: string; port?: number } | undefined
  let forward: ForwardMethod = 'Route'
  let weight = DEFAULT_WEIGHT
  let upper: number | undefined
  let lower: number | undefined
  let tunType: TunnelType | undefined
  let tunPort: number | undefined
  let checksum: TunnelChecksum | undefined
  for (let opt = a.next(); opt !== undefined; opt = a.next()) {
    if (takeServiceOption(opt, a, key)) continue
    if (opt === '-r' || opt === '--real-server') server = parseRuleEndpoint(a.value(opt), 'real server', line)
    else if (FORWARD_OPTIONS[opt]) forward = FORWARD_OPTIONS[opt]!
    else if (opt === '-w' || opt === '--weight') weight = parseUint(a.value(opt), 'weight', line, 65535)
    else if (opt === '-x' || opt === '--u-threshold') upper = parseUint(a.value(opt), 'upper threshold', line, 2 ** 31 - 1)
    else if (opt === '-y' || opt === '--l-threshold') lower = parseUint(a.value(opt), 'lower threshold', line, 2 ** 31 - 1)
    else if (opt === '--tun-type') {
      const t = a.value(opt)
      if (!TUNNEL_TYPES.includes(t as TunnelType)) throw new IpvsParseError(`unknown tunnel type ${JSON.stringify(t)}`, line.no, line.text)
      tunType = t as TunnelType
    } else if (opt === '--tun-port') tunPort = parseUint(a.value(opt), 'tunnel port', line, 65535)
    else if (CSUM_OPTIONS[opt]) checksum = CSUM_OPTIONS[opt]
    else a.fail(opt)
  }
  const k = requireKey(key, line)
  if (!server) throw new IpvsParseError('-a without -r', line.no, line.text)
  // process_options: only a tunnel may lead to the other address family
  if (isIPv6(server.address) !== isV6(k) && forward !== 'Tunnel') {
    throw new IpvsParseError('ipvsadm refuses this: a real server of the other address family must be a tunnel (-i)', line.no, line.text)
  }
  // ipvsadm copies the virtual port when -r has none
  const rs: RealServer = { address: server.address, port: server.port ?? k.port ?? 0, forward, weight, activeConns: 0, inactiveConns: 0 }
  if (upper !== undefined) rs.upperThreshold = upper
  if (lower !== undefined) rs.lowerThreshold = lower
  const tunnel = tunnelInfo(forward, tunType, tunPort, checksum, line)
  if (tunnel) rs.tunnel = tunnel
  return { key: k, server: rs }
}

/** Tunnel options only apply to -i; fills in ipvsadm's defaults (ipip, no checksum). */
function tunnelInfo(forward: ForwardMethod, type: TunnelType | undefined, port: number | undefined, checksum: TunnelChecksum | undefined, line: Line): TunnelInfo | undefined {
  if (forward !== 'Tunnel') {
    if (type ?? port ?? checksum) throw new IpvsParseError('tunnel options without -i', line.no, line.text)
    return undefined
  }
  const info: TunnelInfo = { type: type ?? 'ipip' }
  if (info.type === 'gue') {
    if (port === undefined) throw new IpvsParseError('--tun-type gue needs --tun-port', line.no, line.text)
    info.port = port
  } else if (port !== undefined) throw new IpvsParseError(`--tun-port does not apply to ${info.type}`, line.no, line.text)
  if (info.type !== 'ipip') info.checksum = checksum ?? 'nocsum'
  else if (checksum) throw new IpvsParseError('checksum options do not apply to ipip', line.no, line.text)
  return info
}

/** parse_service(): `a.b.c.d[:port]`, `[v6]:port` or a bare IPv6 literal; numeric only (-n). */
function parseRuleEndpoint(token: string, what: string, line: Line): { address: string; port?: number } {
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(token)
  if (bracketed && isIPv6(bracketed[1]!)) return { address: bracketed[1]!, port: parseUint(bracketed[2], `${what} port`, line, 65535) }
  if (isIPv6(token)) return { address: token }
  const [address, port, ...rest] = token.split(':')
  if (rest.length === 0 && isIPv4(address!)) return port === undefined ? { address: address! } : { address: address!, port: parseUint(port, `${what} port`, line, 65535) }
  throw new IpvsParseError(`${what} ${JSON.stringify(token)} is not a numeric address[:port] (save with -n)`, line.no, line.text)
}
