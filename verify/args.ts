import { BadInput } from './bad-input'

export interface VerifyArgs {
  /** `ipvsadm -S -n` output, hand-written rules, or a keepalived.conf. */
  file: string
  /** `iptables-save` output holding the director's mangle table. */
  mangle?: string
  /** `sysctl -a` output of the director. */
  sysctl?: string
  lintOnly: boolean
  /** The report as JSON on stdout instead of the summary. */
  json: boolean
}

export const USAGE = 'npm run verify -- <rules file | keepalived.conf> [--mangle iptables-save.txt] [--sysctl director-sysctl.txt] [--lint-only] [--json]'

/** Reads the command line; anything it does not know is a BadInput quoting the usage. */
export function parseVerifyArgs(argv: string[]): VerifyArgs {
  const files: string[] = []
  const args: Partial<VerifyArgs> = { lintOnly: false, json: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
    if (name === '--mangle' || name === '--sysctl') {
      const value = inline ?? argv[++i]
      if (!value || value.startsWith('--')) throw new BadInput(`${name} needs a file`, `usage: ${USAGE}`)
      args[name === '--mangle' ? 'mangle' : 'sysctl'] = value
    } else if (arg === '--lint-only') args.lintOnly = true
    else if (arg === '--json') args.json = true
    else if (arg.startsWith('-')) throw new BadInput(`unknown option ${arg}`, `usage: ${USAGE}`)
    else files.push(arg)
  }
  if (files.length !== 1) throw new BadInput(files.length === 0 ? 'no file to verify' : `one file at a time, got ${files.length}: ${files.join(' ')}`, `usage: ${USAGE}`)
  return { ...args, file: files[0]! } as VerifyArgs
}
