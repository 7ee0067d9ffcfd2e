/** What a conformance check concluded: it passes only with no failures. */
export interface Verdict {
  check: string
  failures: string[]
}

export function verdict(check: string, failures: (string | false | undefined)[]): Verdict {
  return { check, failures: failures.filter((f): f is string => typeof f === 'string') }
}

export function passed(v: Verdict): boolean {
  return v.failures.length === 0
}
