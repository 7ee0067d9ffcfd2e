/**
 * One curl process fetching N URLs prints, for each transfer, the response headers (-D -),
 * the body, and a write-out line. This turns that output into one record per request.
 */
export interface HttpExchange {
  index: number
  /** curl's exit code for this transfer; 0 is success. */
  curlExit: number
  status: number
  /** The real server named by the page (`Welcome to nginx in NAME`). */
  server?: string
  /** The response said `Connection: close`. */
  connectionClose: boolean
  /** curl opened a new TCP connection for this request (num_connects). */
  newConnection: boolean
  localPort: number
  body: string
  /** The group of a one-process run over several sources (`curl ... --next ...`): see keyedWriteOut. */
  key?: string
}

export const transferMarker = '@@transfer'

/** The -w argument that makes the output parseable by parseCurlTransfers. */
export const curlWriteOut = `\\n${transferMarker} %{http_code} %{num_connects} %{local_port} %{exitcode}\\n`

/**
 * The -w argument of one `--next` group of a curl process that runs several groups: the
 * group's key ends each transfer's line, so that a refused connection (no address, no port)
 * still says whose it was. The key may hold spaces, not `%` or quotes.
 */
export const keyedWriteOut = (key: string) => `\\n${transferMarker} %{http_code} %{num_connects} %{local_port} %{exitcode} key=${key}\\n`

export function parseCurlTransfers(stdout: string): HttpExchange[] {
  const exchanges: HttpExchange[] = []
  const re = new RegExp(`\\n?${transferMarker} (\\d+) (\\d+) (\\d+) (\\d+)(?: key=([^\\n]*))?(?:\\n|$)`, 'g')
  let start = 0
  let m: RegExpExecArray | null
  while ((m = re.exec(stdout))) {
    const chunk = stdout.slice(start, m.index)
    start = re.lastIndex
    const split = chunk.search(/\r?\n\r?\n/)
    const head = split >= 0 ? chunk.slice(0, split) : chunk
    const body = split >= 0 ? chunk.slice(split).replace(/^\r?\n\r?\n/, '') : ''
    exchanges.push({
      index: exchanges.length,
      curlExit: Number(m[4]),
      status: Number(m[1]),
      server: /Welcome to nginx in ([\w.-]+)/.exec(body)?.[1],
      connectionClose: /^connection:\s*close\s*$/im.test(head),
      newConnection: Number(m[2]) > 0,
      localPort: Number(m[3]),
      body: body.trim(),
      ...(m[5] !== undefined ? { key: m[5] } : {}),
    })
  }
  return exchanges
}
