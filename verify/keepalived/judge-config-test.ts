/** What keepalived's --config-test said about a file. */
export interface ConfigTestVerdict {
  accepted: boolean
  /** keepalived's messages, each once, in its order. */
  messages: string[]
  /** The messages that are about this host rather than the file (an interface it lacks). */
  aboutHost: string[]
}

/**
 * VRRP blocks name the director's interfaces; this host need not have them, and VRRP is not
 * replayed, so keepalived's complaint about a missing interface does not reject the file.
 */
const ABOUT_HOST = [/interface \S+ for \S+ \S+ doesn't exist/, /^Non-existent interface specified in configuration$/]

/**
 * keepalived's own verdict: --config-test exits 0 when it found nothing to say, and otherwise
 * (KEEPALIVED_EXIT_CONFIG_TEST, 5; 6 for script security) after printing each problem on stderr.
 * The file is rejected unless every message is about the host.
 */
export function judgeConfigTest(exitCode: number, stderr: string): ConfigTestVerdict {
  const messages = [...new Set(stderr.split(/\r?\n/).map((l) => l.trim()))].filter((l) => l !== '')
  const aboutHost = messages.filter((m) => ABOUT_HOST.some((re) => re.test(m)))
  return { accepted: exitCode === 0 || (messages.length > 0 && aboutHost.length === messages.length), messages, aboutHost }
}
