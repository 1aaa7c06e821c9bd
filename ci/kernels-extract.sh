#!/usr/bin/env bash
# Pull the result file out of what a ci/kernels guest wrote to its second
# serial port: the gzip+base64 text between ZCBENCH-RESULT-BEGIN and
# ZCBENCH-RESULT-END (carriage returns tolerated), then check it is JSON.
# Usage: ci/kernels-extract.sh SERIAL_LOG OUT.json
# Exit: 0 with OUT.json written; 1 when the log has no complete result (the
# guest's zcbench status, if it got that far, is on stderr); 2 for usage.
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: ci/kernels-extract.sh SERIAL_LOG OUT.json" >&2
  exit 2
fi
log=$1 out=$2
if [[ ! -r $log ]]; then
  echo "kernels-extract: cannot read $log" >&2
  exit 2
fi
status=$(tr -d '\r' <"$log" | sed -n 's/^ZCBENCH-EXIT \([0-9]*\)$/\1/p' | tail -n 1)
if ! tr -d '\r' <"$log" | grep -qx 'ZCBENCH-RESULT-END'; then
  echo "kernels-extract: $log holds no complete result (guest zcbench exit status: ${status:-none})" >&2
  exit 1
fi
tmp=$(mktemp "$out.XXXXXX")
trap 'rm -f "$tmp"' EXIT
if ! tr -d '\r' <"$log" | sed -n '/^ZCBENCH-RESULT-BEGIN$/,/^ZCBENCH-RESULT-END$/p' | sed '1d;$d' |
  base64 -d | gzip -dc >"$tmp" 2>/dev/null; then
  echo "kernels-extract: the result in $log is damaged (base64 or gzip)" >&2
  exit 1
fi
if ! jq -e '.schema | startswith("zcbench/")' "$tmp" >/dev/null 2>&1; then
  echo "kernels-extract: the result in $log is not a zcbench result file" >&2
  exit 1
fi
mv -f "$tmp" "$out"
trap - EXIT
if [[ -n $status && $status != 0 ]]; then
  echo "kernels-extract: note: the guest's zcbench exited $status (a failed cell, or interrupted)" >&2
fi
exit 0
