/** A non-blank input line with its 1-based number, for error messages. */
export interface Line {
  no: number
  /** The line without trailing whitespace (ipvsadm pads columns with spaces). */
  text: string
}

/** Splits output into non-blank lines; blank lines carry no meaning in any ipvsadm listing. */
export function toLines(text: string): Line[] {
  return text
    .split(/\r?\n/)
    .map((raw, i) => ({ no: i + 1, text: raw.trimEnd() }))
    .filter((l) => l.text.trim() !== '')
}

export function tokens(line: Line): string[] {
  return line.text.trim().split(/\s+/)
}
