import { BadInput } from './bad-input'

export type InputKind = 'ipvsadm rules' | 'keepalived.conf'

/** Keywords that open a keepalived.conf block or stand alone at its top level. */
const KEEPALIVED_TOP =
  /^(global_defs|vrrp_instance|vrrp_sync_group|vrrp_script|vrrp_track_process|virtual_server|virtual_server_group|static_ipaddress|static_routes|static_rules|linkbeat_interfaces|garp_group|track_file|bfd_instance|include|net_namespace|instance|use_pid_dir)\b/

/**
 * Tells a rules file from a keepalived.conf by what its first meaningful line is: ipvsadm rules
 * are options (`-A`, `--add-service`, `--set`, `ipvsadm -A`), a keepalived.conf opens with one of its top-level
 * keywords. Anything else is refused, naming what it looks like when it is a known neighbour.
 */
export function inputKindOf(text: string, file: string): InputKind {
  const first = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#') && !l.startsWith('!'))
  if (first === undefined) throw new BadInput(`${file} is empty`, 'pass the output of `ipvsadm -S -n` or a keepalived.conf')
  // ipvsadm -R drops the word ipvsadm (config_stream_read), so a script of ipvsadm commands is rules too
  if (first.startsWith('-') || /^ipvsadm\s+-/.test(first)) return 'ipvsadm rules'
  if (KEEPALIVED_TOP.test(first)) return 'keepalived.conf'
  if (/^IP Virtual Server version/.test(first)) throw new BadInput(`${file} is an ipvsadm listing, not rules`, 'save the rules with `ipvsadm -S -n` and pass that')
  if (first.startsWith('*') || /^:\S+ \S+/.test(first))
    throw new BadInput(`${file} looks like iptables-save output`, 'pass it with --mangle, and the ipvsadm rules or keepalived.conf as the file')
  throw new BadInput(`${file} is neither ipvsadm rules nor a keepalived.conf (first line: ${JSON.stringify(first)})`, 'pass the output of `ipvsadm -S -n` or a keepalived.conf')
}
