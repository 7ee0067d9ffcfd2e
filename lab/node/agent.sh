#!/bin/bash
# The lab agent: the main process of every lab node. It reads one request a line on
# stdin ("<id> <deadline seconds> <base64 script>") and answers one line on stdout
# ("@@lab <id> <exit code> <ok|deadline> <base64 stdout> <base64 stderr>"). Running
# commands this way costs one round trip on an attached stream instead of a docker exec
# (seconds under emulation, see LAB-NOTES).
#
# Each script runs in a session of its own. Past its deadline, the script and everything
# it started in that session is killed and the answer says "deadline" (exit code 124), so
# that a stuck script cannot hold up the next one. What a script leaves running when it
# ends by itself (tcpdump in the background, a service detached with setsid) is left alone,
# and so, even on a deadline, is anything it detached into a session of its own.
mkdir -p /run/lab
echo "@@lab-ready"
while IFS=' ' read -r id deadline script; do
  out=/run/lab/$id.out err=/run/lab/$id.err
  if ! [[ $deadline =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
    printf '@@lab %s 2 ok  %s\n' "$id" "$(printf 'lab-agent: bad request: the deadline is "%s"\n' "$deadline" | base64 -w0)"
    continue
  fi
  printf '%s' "$script" | base64 -d > /run/lab/$id.sh
  # A background child is not a process group leader, so setsid does not fork: $! is the
  # id of the script's session and of its process group.
  setsid bash /run/lab/$id.sh </dev/null >"$out" 2>"$err" &
  pid=$!
  sleep "$deadline" &
  timer=$!
  first=
  wait -n -p first "$pid" "$timer"
  rc=$?
  if [[ $first == "$pid" ]]; then
    status=ok
    { kill "$timer"; wait "$timer"; } 2>/dev/null # stderr: no "Terminated" notice from bash
  else
    status=deadline rc=124
    # The group holds the script and what it runs or backgrounds; pkill -s also finds what
    # moved to another group of the session (job control in the script).
    { kill -KILL -- "-$pid"; pkill -KILL -s "$pid"; wait "$pid"; } 2>/dev/null
  fi
  printf '@@lab %s %d %s %s %s\n' "$id" "$rc" "$status" "$(base64 -w0 "$out")" "$(base64 -w0 "$err")"
  rm -f "$out" "$err" /run/lab/$id.sh
done
