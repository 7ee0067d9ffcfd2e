/**
 * The shape of a script sent to a lab node in one round trip: named parts, each printing its
 * output and, where it matters, its exit code, so that one answer holds every step's result.
 */
export const part = (name: string) => `echo '@@part ${name}'`
export const heredoc = (file: string, text: string) => `cat > ${file} <<'LVS_REPLAY_EOF'\n${text.endsWith('\n') ? text : `${text}\n`}LVS_REPLAY_EOF`
/** The exit code of the command before it, as its part's last line. */
export const exitCode = 'echo "@@rc $?"'

export interface ScriptPart {
  output: string
  exitCode?: number
}

/** What each part printed, by its name (pure). */
export function parseParts(out: string): Map<string, ScriptPart> {
  const steps = new Map<string, ScriptPart>()
  for (const chunk of out.split(/^@@part /m).slice(1)) {
    const nl = chunk.indexOf('\n')
    const name = (nl < 0 ? chunk : chunk.slice(0, nl)).trim()
    let body = nl < 0 ? '' : chunk.slice(nl + 1)
    const rc = /^@@rc (\d+)\n?$/m.exec(body)
    if (rc) body = body.slice(0, rc.index)
    steps.set(name, { output: body, ...(rc && { exitCode: Number(rc[1]) }) })
  }
  return steps
}
