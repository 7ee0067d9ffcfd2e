#!/bin/bash
# The lab agent: the main process of every lab node. It reads one request a line on
# stdin ("<id> <base64 script>") and answers one line on stdout
# ("@@lab <id> <exit code> <base64 stdout> <base64 stderr>"). Running commands this way
# costs one round trip on an attached stream instead of a docker exec (seconds under
# emulation, see LAB-NOTES).
mkdir -p /run/lab
echo "@@lab-ready"
while IFS=' ' read -r id script; do
  out=/run/lab/$id.out err=/run/lab/$id.err
  printf '%s' "$script" | base64 -d > /run/lab/$id.sh
  bash /run/lab/$id.sh </dev/null >"$out" 2>"$err"
  rc=$?
  printf '@@lab %s %d %s %s\n' "$id" "$rc" "$(base64 -w0 "$out")" "$(base64 -w0 "$err")"
  rm -f "$out" "$err" /run/lab/$id.sh
done
