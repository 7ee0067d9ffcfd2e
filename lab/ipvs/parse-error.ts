/**
 * Thrown when ipvsadm output does not look like what ipvsadm 1.31 prints.
 * The message is one line and quotes the offending input line, so a failing
 * conformance test shows what the kernel actually said.
 */
export class IpvsParseError extends Error {
  constructor(
    readonly reason: string,
    readonly lineNumber?: number,
    readonly line?: string,
  ) {
    super(lineNumber === undefined ? reason : `${reason} at line ${lineNumber}: ${JSON.stringify(line ?? '')}`)
    this.name = 'IpvsParseError'
  }
}
