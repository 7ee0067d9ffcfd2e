/**
 * sloppy_tcp (ip_vs_proto_tcp.c; ipvs-sysctl.rst names it only under sync_persist_mode), on
 * the NAT topology: a client's data segment that arrives when its connection has no entry any
 * more, at the default and changed, the one the other's control.
 */
import { describe } from 'vitest'
import { evidence } from '../../fixtures/evidence'
import type { Director } from '../../fixtures/nodes/director'
import { expectFail, expectPass } from '../../fixtures/verdict'
import { freshService, knobTest, oncePerValue, setKnob, vip, type KnobFixtures } from './knob-test'
import { clientEntry, describeSloppyRun, entryFromMidStream, noEntryWithoutSyn, type SloppyRun } from './sloppy-tcp'

const echoPort = 7000
const test = knobTest.extend<{ echo: void; sloppy: Director }>({
  echo: [
    async ({ realServers }, use) => {
      await realServers[0]?.sh(`
ss -ltn | grep -qF ':${echoPort} ' && exit 0
setsid socat TCP-LISTEN:${echoPort},fork,reuseaddr PIPE </dev/null >/dev/null 2>&1 &
for t in $(seq 40); do ss -ltn | grep -qF ':${echoPort} ' && exit 0; sleep 0.05; done
exit 1`)
      await use()
    },
    { scope: 'file', auto: true },
  ],
  sloppy: setKnob('sloppy_tcp', '1'),
})

describe('sloppy_tcp: a mid-stream segment arrives for a connection that has no entry', () => {
  const tcpTimeout = 3
  /**
   * One real server's echo endpoint behind a fresh service, the director's tcp timeout 3 s by
   * `--set`: the client sends a line (echoed), stays idle until its entry is gone (polled in
   * the director, not a fixed sleep), then sends another.
   */
  async function sloppyRun({ director, client, realServers: [rs], net }: KnobFixtures, value: number): Promise<SloppyRun> {
    if (!rs) throw new Error('the topology has no real server')
    const port = net.freshPort()
    const dir = `/tmp/sloppy-${port}`
    await director.ipvsadm(`--set ${tcpTimeout} 0 0`)
    const startingState = await freshService(director, port, echoPort, 'sloppy_tcp', { servers: [rs.address()] })
    const opened = await client.sh(
      `
d=${dir}; rm -rf $d; mkdir -p $d
setsid bash -c '
d=${dir}
exec 3<>/dev/tcp/${vip}/${port} || { echo connect-failed >>$d/out; echo first >>$d/out; echo done >>$d/out; exit; }
echo one >&3
if read -r -t 3 a <&3; then echo "first $a" >>$d/out; else echo "first" >>$d/out; fi
while [ ! -e $d/go ]; do sleep 0.1; done
echo two >&3 || echo write-failed >>$d/out
if read -r -t 3 b <&3; then echo "second $b" >>$d/out; else echo "second" >>$d/out; fi
echo done >>$d/out
# open until the director has been read, so that the entry is seen as the connection has it
for i in $(seq 100); do [ -e $d/close ] && break; sleep 0.1; done' </dev/null >$d/log 2>&1 &
for i in $(seq 100); do grep -q '^first' $d/out 2>/dev/null && break; sleep 0.05; done
cat $d/out`,
      undefined,
      { readOnly: true },
    )
    const where = { port, client: client.address() }
    const match = `$4 ~ /^${client.address().replace(/\./g, '\\.')}:/ && $5 == "${vip}:${port}"`
    const idle = await director.sh(
      `
ipvsadm -L -n -c
echo @@waiting
start=$(date +%s%N); gone=never
while :; do
  now=$(date +%s%N)
  ipvsadm -L -n -c | awk '${match}' | grep -q . || { gone=$(( (now - start) / 1000000 )); break; }
  [ $(( (now - start) / 1000000000 )) -ge 15 ] && break
  sleep 0.2
done
echo "@@gone $gone"`,
      undefined,
      { readOnly: true },
    )
    const sent = await client.sh(
      `d=${dir}\ntouch $d/go\nfor i in $(seq 100); do grep -q '^done' $d/out && break; sleep 0.05; done\ncat $d/out\necho @@log\ncat $d/log`,
      undefined,
      { readOnly: true },
    )
    const after = await director.sh('ipvsadm -L -n -c', undefined, { readOnly: true })
    await client.sh(`touch ${dir}/close`, undefined, { readOnly: true })
    const [beforeText = ''] = idle.split('@@waiting\n')
    const gone = /^@@gone (\S+)$/m.exec(idle)?.[1]
    const [out = '', log = ''] = sent.split('@@log\n')
    const line = (tag: string) => /^(\S+) (.+)$/m.exec(out.split('\n').find((l) => l.startsWith(`${tag} `)) ?? '')?.[2]
    const run: SloppyRun = {
      knob: value,
      firstEcho: line('first') ?? /^first (.+)$/m.exec(opened)?.[1],
      entryBefore: clientEntry(beforeText, where),
      entryGoneAfter: gone === undefined || gone === 'never' ? undefined : Number(gone) / 1000,
      secondEcho: line('second'),
      reset: /reset by peer/i.test(log),
      entryAfter: clientEntry(after, where),
    }
    await evidence('starting state', `${startingState}; ipvsadm --set ${tcpTimeout} 0 0; one real server, its echo endpoint :${echoPort}`)
    await evidence('ipvsadm -Lnc while the connection was open, then the wait for its entry to go', idle)
    await evidence("the client's two lines and its shell's errors", sent)
    await evidence('ipvsadm -Lnc after the second line', after)
    await evidence('what the run saw', describeSloppyRun(run))
    return run
  }
  const runAt = oncePerValue(sloppyRun, describeSloppyRun)

  test('sloppy_tcp=0 (the default): a segment without SYN and without an entry makes none; the client is reset', async ({ director, client, realServers, net }) => {
    await expectPass(noEntryWithoutSyn(await runAt({ director, client, realServers, net }, 0)))
  })

  test('sloppy_tcp=1: the segment is scheduled, an ESTABLISHED entry is made and the connection carries on', async ({ sloppy: _, director, client, realServers, net }) => {
    await expectPass(entryFromMidStream(await runAt({ director, client, realServers, net }, 1)))
  })

  describe('negative controls: each value is the other one’s control', () => {
    test('at 1 the makes-none check fails', async ({ sloppy: _, director, client, realServers, net }) => {
      await expectFail(noEntryWithoutSyn(await runAt({ director, client, realServers, net }, 1)))
    })
    test('at 0 the carries-on check fails', async ({ director, client, realServers, net }) => {
      await expectFail(entryFromMidStream(await runAt({ director, client, realServers, net }, 0)))
    })
  })
})
