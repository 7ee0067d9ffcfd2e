import { timed, type Timings } from '../fixtures/timings'
import { readLabConfig } from '../lab/config'
import { phase } from '../lab/progress'
import { labRunDir } from '../lab/reports-dir'
import { startLab, type StartedLab } from '../lab/start-lab'

/**
 * The lab of one `npm run verify`, started when first asked for: by the reading of a
 * keepalived.conf (its table can only be read where keepalived may program IPVS), then by the
 * replay, on the same boot. Whoever ends the run stops it.
 */
export class LabSession {
  readonly timings: Timings = []
  private started?: Promise<StartedLab>

  constructor(private readonly start: () => Promise<StartedLab> = () => startLab(readLabConfig(), labRunDir())) {}

  get isStarted(): boolean {
    return this.started !== undefined
  }

  lab(): Promise<StartedLab> {
    this.started ??= timed(this.timings, 'lab start', () => phase('lab start', this.start))
    return this.started
  }

  async stop(): Promise<void> {
    const started = this.started
    this.started = undefined
    if (started) await (await started.catch(() => undefined))?.stop()
  }
}
