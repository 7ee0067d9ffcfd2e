export type Severity = 'error' | 'warning' | 'info'

/**
 * One thing the lint has to say about the configuration. An error is a rule that cannot do what
 * it says; a warning works but surprises; an info states a fact worth knowing (the horizon).
 */
export interface Finding {
  /** The lint rule that found it (verify/lint/rules/<rule>.ts). */
  rule: string
  severity: Severity
  /** Which input the line is in. */
  file: 'rules' | 'mangle' | 'sysctl'
  /** 1-based line; absent when the finding is about something the file lacks. */
  line?: number
  /** The service it is about, as ipvsadm -Ln names it (`TCP 172.16.100.200:80`, `FWM 10`). */
  service?: string
  /** What is wrong, in one sentence. */
  summary: string
  /** What it means for the packets: who gets which server, what the client sees. */
  wire: string
  /** What to change. */
  todo: string
}

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info']
