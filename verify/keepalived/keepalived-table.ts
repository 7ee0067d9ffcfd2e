import { BadInput } from '../bad-input'
import type { RulesTable } from '../rules/rules-table'
import type { ConfigTest } from './config-test'

/**
 * The table a keepalived.conf programs, as keepalived itself reads it. keepalived prints its
 * virtual servers (--dump-conf) only from its checker process and only after ipvs_start() and
 * init_services() have programmed them into IPVS; --config-test returns before that (start_check
 * in keepalived/check/check_daemon.c, the same in 2.2.7 and today). Without a kernel whose IPVS
 * may be changed there is no reading: this host's kernel is left alone. The lab's director is
 * where it will be read: `keepalived --check --dont-fork --log-console --dump-conf --use-file
 * <file>`, then `ipvsadm -S -n` handled like a rules file. Until the lab does that, this says so.
 */
export async function keepalivedTable(test: ConfigTest, file: string): Promise<RulesTable> {
  throw new BadInput(
    `keepalived ${test.keepalived.version} accepted ${file}, but prints the virtual servers it would program only after programming them into IPVS, and reading them in the lab is not built yet`,
    'to lint the table now, run `ipvsadm -S -n` on a director where keepalived runs this file and verify that output',
  )
}
