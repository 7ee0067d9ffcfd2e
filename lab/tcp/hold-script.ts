import { heldMarker } from './held-connections'

/**
 * The shell that opens `count` held connections to `target` with socat, each writing what it
 * receives to `dir`/<id> (its pid in <id>.pid, the next id in `next`), and prints a
 * `@@held <id> <server|-> <lines>` line per connection (parseHeldConnections). One after the
 * other, each once its first line has come (or its socat has ended); `together`: all started,
 * then waited for. Shell builtins only in the loops: every process costs under emulation.
 */
export function holdScript(dir: string, target: string, count: number, { keepaliveSeconds, together = false }: { keepaliveSeconds?: number; together?: boolean } = {}): string {
  const keepalive = keepaliveSeconds ? `,keepalive,keepidle=${keepaliveSeconds},keepintvl=1,keepcnt=30` : ''
  return `
mkdir -p ${dir}
next=1; [ -f ${dir}/next ] && read -r next < ${dir}/next
first=$next; pids=()
# a connection's first line (the server's name) has come, or its socat has ended
answered() { [ -s ${dir}/$1 ] || ! kill -0 \${pids[$1]} 2>/dev/null; }
for k in $(seq ${count}); do
  i=$next; next=$((next + 1))
  setsid socat -U OPEN:${dir}/$i,creat,trunc TCP:${target},linger=0,connect-timeout=2${keepalive} </dev/null >/dev/null 2>&1 &
  pids[$i]=$!; echo $! > ${dir}/$i.pid
  ${together ? '' : 'for t in $(seq 60); do answered $i && break; sleep 0.05; done'}
done
echo $next > ${dir}/next
${together ? 'for t in $(seq 200); do w=0; for ((i = first; i < next; i++)); do answered $i || { w=1; break; }; done; [ $w = 0 ] && break; sleep 0.05; done' : ''}
for ((i = first; i < next; i++)); do
  name=-; lines=0
  if read -r line < ${dir}/$i && [ -n "$line" ]; then name=\${line%% *}; lines=1; fi
  echo "${heldMarker} $i $name $lines"
done`
}

/**
 * The shell that closes held connections (all of them when no ids are given): each socat
 * killed (its SO_LINGER 0 makes that a reset), one rm for all the files. A process per
 * connection took 2 s for ten; a connection that broke has no process left to kill, and the
 * agent's set -e must not end the script on it.
 */
export function releaseScript(dir: string, ids?: number[]): string {
  const which = ids ? ids.join(' ') : `$(ls ${dir} 2>/dev/null | grep -E '^[0-9]+$')`
  return `
files=()
for i in ${which}; do
  p=; [ -f ${dir}/$i.pid ] && read -r p < ${dir}/$i.pid && kill -9 $p 2>/dev/null || true
  files+=(${dir}/$i ${dir}/$i.pid)
done
[ \${#files[@]} -gt 0 ] && rm -f "\${files[@]}"
true`
}
