#!/bin/sh
# ci/bench-reproducibility.sh --files on constructed result files: pairs are
# matched by workload, strategy, baseline and params; a verdict decided both
# times the opposite way is a contradiction (exit 1); baselines are left out.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
v() { # strategy decided faster
  printf '{"workload":"file-tcp","strategy":"%s","baseline":"readwrite","params":{"chunk_bytes":131072},"decided":%s,"faster":%s}' "$1" "$2" "$3"
}
base=$(printf '{"workload":"file-tcp","strategy":"readwrite","baseline":"readwrite","params":{"chunk_bytes":131072},"decided":false,"faster":null}')
printf '{"verdicts":[%s,%s,%s]}\n' "$base" "$(v sendfile true true)" "$(v splice false null)" >"$dir/a.json"
printf '{"verdicts":[%s,%s,%s]}\n' "$base" "$(v sendfile true true)" "$(v splice true false)" >"$dir/b.json"
printf '{"verdicts":[%s,%s,%s]}\n' "$base" "$(v sendfile true false)" "$(v splice true false)" >"$dir/c.json"
rc=0
out=$(bash "$here/ci/bench-reproducibility.sh" --files "$dir/a.json" "$dir/b.json" "$dir/c.json") || rc=$?
echo "$out"
[ "$rc" -eq 1 ] || { echo "expected exit 1 (a contradiction), got $rc"; exit 1; }
echo "$out" | grep -q '^1 *2 *1 (50%) *0 ' || { echo "pair 1 wrong"; exit 1; }
echo "$out" | grep -q '^2 *2 *2 (100%) *1 ' || { echo "pair 2 wrong"; exit 1; }
echo "$out" | grep -q '^over 2 pairs: 3 of 4 verdicts decided in both (75%), 1 contradictions$' || { echo "total wrong"; exit 1; }
rc=0
bash "$here/ci/bench-reproducibility.sh" --files "$dir/a.json" "$dir/b.json" >/dev/null || rc=$?
[ "$rc" -eq 0 ] || { echo "expected exit 0 without a contradiction, got $rc"; exit 1; }
echo ok
