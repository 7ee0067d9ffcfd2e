import type { Verdict } from '../../checks/verdict'
import type { Timings } from '../../fixtures/timings'
import type { CheckKind } from './replay-plan'
import type { RoundTripDifference } from './round-trip'

/** What a check looked at, as the suites attach it: ipvsadm's output, the request sequence, a capture summary. */
export interface Evidence {
  name: string
  text: string
}

/** A replayed check's verdict, with the kind of check it is. */
export interface ReplayVerdict extends Verdict {
  kind: CheckKind
}

/** One service of the file, replayed: its checks, what could not be checked, and the evidence. */
export interface ServiceReplay {
  name: string
  line: number
  verdicts: ReplayVerdict[]
  notChecked: string[]
  evidence: Evidence[]
}

export interface ReplayResult {
  lab: { mode: string; kernelRelease: string; reason: string }
  /** What the director was given and what it said (ipvsadm -R, iptables-restore, sysctl). */
  programming: Evidence[]
  services: ServiceReplay[]
  /** `ipvsadm -S -n` of the replayed table against the file. */
  roundTrip: { saved: string; differences: RoundTripDifference[] }
  notes: string[]
  timings: Timings
  /** Checks that failed, over every service. */
  failed: number
}
