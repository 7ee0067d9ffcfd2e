import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseCheckerStates } from './checker-states'

/** keepalived 2.2.7's checker dump in the 6.1 lab (--dump-conf on the console, at start: no checker has run). */
const dump = readFileSync(new URL('./__fixtures__/dump-checkers-2.2.7.txt', import.meta.url), 'utf8')
/** /tmp/keepalived_check.data on SIGUSR1, the broken keepalived.conf of suites/verify with its servers served: 8444 refused. */
const data = readFileSync(new URL('./__fixtures__/check-data-broken-2.2.7.txt', import.meta.url), 'utf8')

describe('parseCheckerStates', () => {
  it('reads each checker of the Health checkers section: its service as ipvsadm names it, its server, method and state', () => {
    expect(parseCheckerStates(dump)).toEqual([
      { service: 'FWM 10', address: '172.16.100.101', port: 0, method: 'HTTP_GET', hasRun: false, up: true },
      { service: 'TCP 172.16.100.201:8443', address: '172.16.100.111', port: 8443, method: 'TCP_CHECK', hasRun: false, up: true },
      { service: 'UDP 172.16.100.202:53', address: '172.16.100.121', port: 53, method: 'DNS_CHECK', hasRun: false, up: true },
    ])
  })

  it('reads the SIGUSR1 data file: the checker on the port nothing serves had its result, and is down', () => {
    expect(parseCheckerStates(data)).toEqual([
      { service: 'TCP 172.16.100.201:8443', address: '172.16.100.111', port: 8443, method: 'TCP_CHECK', hasRun: true, up: true },
      { service: 'TCP 172.16.100.201:8443', address: '172.16.100.112', port: 8443, method: 'TCP_CHECK', hasRun: true, up: false },
      { service: 'TCP 172.16.100.202:80', address: '172.16.100.121', port: 80, method: 'HTTP_GET', hasRun: true, up: true },
      { service: 'TCP 172.16.100.202:80', address: '172.16.100.122', port: 80, method: 'HTTP_GET', hasRun: true, up: true },
    ])
  })

  it('reads nothing outside the Health checkers section', () => {
    const text =
      ' ------< Virtual server >------\n   connection limit range = 0 -> 0\n------< Health checkers >------\n [10.0.0.1]:tcp:80 -> [10.0.1.1]:tcp:80\n   Up = no\n   Has run = yes\n   Keepalive method = TCP_CHECK\n'
    expect(parseCheckerStates(text)).toEqual([{ service: 'TCP 10.0.0.1:80', address: '10.0.1.1', port: 80, method: 'TCP_CHECK', hasRun: true, up: false }])
  })
})
