import type { LabSession } from '../lab-session'
import { readKeepalivedInLab, type LabReading } from './read-in-lab'

/**
 * The table a keepalived.conf programs, as keepalived itself reads it. keepalived prints its
 * virtual servers (--dump-conf) only from its checker process and only after ipvs_start() and
 * init_services() have programmed them into IPVS; --config-test returns before that (start_check
 * in keepalived/check/check_daemon.c, the same in 2.2.7 and today). This host's kernel is left
 * alone (it may have no IPVS, and its table is not ours to change): the file is read in a lab
 * node, on the lab of the run (started for it when the reading comes first), and its table read
 * back with `ipvsadm -S -n`. The lab's start counts in the reading's time when it was started for it.
 */
export function labKeepalived(session: LabSession): (conf: string) => Promise<LabReading> {
  return async (conf) => {
    const starting = !session.isStarted
    const lab = await session.lab()
    const reading = await readKeepalivedInLab(lab.info, conf)
    if (starting) reading.timings.unshift(...session.timings)
    return reading
  }
}
