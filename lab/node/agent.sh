#!/bin/bash
# The lab agent: the main process of every lab node. A request is a line
# "<id> <deadline seconds> <line count>" followed by that many lines of bash script; the
# answer is a line "@@lab <id> <exit code> <ok|deadline> <stdout bytes> <stderr bytes>"
# followed by exactly those bytes of stdout, then of stderr (lab/node/agent-protocol.ts).
# Running commands this way costs one round trip on an attached stream instead of a
# docker exec (seconds under emulation, see LAB-NOTES).
#
# Every process costs tens of milliseconds under emulation, so the agent itself starts
# none: the script runs in a forked subshell (no bash to exec), its end is read from a
# FIFO with the deadline as read's timeout (no timer process), and its output is read and
# sent with builtins (no base64). A script costs the agent about 40 ms instead of 550.
#
# Each script runs as a job of its own (set -m): a process group holding the script and
# what it runs or backgrounds. Past its deadline that group is killed and the answer says
# "deadline" (exit code 124), so that a stuck script cannot hold up the next one. What a
# script leaves running when it ends by itself (tcpdump in the background, a service
# detached with setsid) is left alone, and so, even on a deadline, is anything it moved
# out of its group (setsid, or job control turned on in the script).
LC_ALL=C # lengths in bytes; not exported, so the scripts' own programs keep their locale
dir=/run/lab
mkdir -p "$dir"
[ -p "$dir/done" ] || mkfifo "$dir/done"
exec 3<>"$dir/done" # read-write: opening never blocks, and the agent holds both ends
set -m

# answer ID RC STATUS OUTFILE ERRFILE
answer() {
  local o='' e=''
  [ -s "$4" ] && IFS= read -r -d '' o <"$4"
  [ -s "$5" ] && IFS= read -r -d '' e <"$5"
  printf '@@lab %s %d %s %d %d\n%s%s' "$1" "$2" "$3" "${#o}" "${#e}" "$o" "$e"
}

echo "@@lab-ready"
n=0
while IFS=' ' read -r id deadline count; do
  script=''
  if [[ $count =~ ^[0-9]+$ ]]; then
    for ((k = 0; k < count; k++)); do
      IFS= read -r line
      script+=$line$'\n'
    done
  fi
  if ! [[ $deadline =~ ^[0-9]+(\.[0-9]+)?$ && $count =~ ^[0-9]+$ ]]; then
    msg="lab-agent: bad request: expected \"<id> <deadline seconds> <line count>\", got \"$id $deadline $count\""$'\n'
    printf '@@lab %s 2 ok 0 %d\n%s' "$id" "${#msg}" "$msg"
    continue
  fi
  out=$dir/$id.out err=$dir/$id.err
  # set +m: the script's own background processes stay in its group, to be killed with it
  { (set +m; eval "$script") </dev/null >"$out" 2>"$err" 3>&-; echo "$id $?" >&3; } &
  pid=$!
  status=deadline rc=124
  # a line of an earlier script killed right as it ended is skipped by its id
  while IFS=' ' read -r -t "$deadline" -u 3 ended code; do
    if [[ $ended == "$id" ]]; then
      status=ok rc=$code
      break
    fi
  done
  [[ $status == deadline ]] && kill -KILL -- "-$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  answer "$id" "$rc" "$status" "$out" "$err"
  # the files go in batches, in the background: one rm every 50 scripts, never in a round trip.
  # The names are taken here, before the next script's files exist: a glob expanded in the
  # background could catch them.
  if ((++n % 50 == 0)); then
    answered=("$dir"/*.out "$dir"/*.err)
    rm -f "${answered[@]}" 2>/dev/null &
  fi
done
