#!/usr/bin/env bash
# How often the regression gate fails on identical code: N+1 back-to-back
# `zcbench all` invocations (same binary, same kernel, nothing changed), then
# `zcbench compare --fail-on-regression` on each consecutive pair. Prints
# each pair's verdict counts and, last, how many of the N pairs report any
# regression (issue 11's goal: at most 1 in 10). A timing benchmark: run it
# on a quiet machine only.
# Usage: bash ci/bench-gate-noise.sh [--bin ZCBENCH] [--out-dir DIR] N [zcbench all options ...]
#   (default DIR: a new directory under /tmp; the result files and each
#   pair's comparison, pair-K.txt and pair-K.json, are kept there)
# Environment: ZC_GATE_ARGS: extra `zcbench compare` options (e.g.
#   "--threshold 15% --drift memcpy"), word-split.
# Exit: 0 when at most one pair in 10 reports a regression (failing * 10 <= N),
#   1 otherwise, 2 for bad usage or an invocation that wrote no result file.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$here/build/zcbench
out=""
while [[ $# -gt 0 ]]; do
  case $1 in
  --bin) bin=$2; shift 2 ;;
  --out-dir) out=$2; shift 2 ;;
  -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) break ;;
  esac
done
if [[ $# -lt 1 || ! $1 =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: ci/bench-gate-noise.sh [--bin ZCBENCH] [--out-dir DIR] N [zcbench all options ...] (N: pairs, 1 or more)" >&2
  exit 2
fi
n=$1
shift
[[ -x $bin ]] || { echo "bench-gate-noise: $bin is not built (run bash ci/setup.sh)" >&2; exit 2; }
command -v jq >/dev/null || { echo "bench-gate-noise: jq is missing (ci/setup.sh installs it)" >&2; exit 2; }
if [[ -z $out ]]; then
  out=$(mktemp -d /tmp/zc-gate-noise-XXXXXX)
else
  mkdir "$out" || { echo "bench-gate-noise: $out exists; give a new directory" >&2; exit 2; }
fi
read -r -a gate_args <<<"${ZC_GATE_ARGS:-}"
files=()
for ((i = 0; i <= n; i++)); do
  dir=$out/run-$i
  mkdir "$dir"
  echo "bench-gate-noise: invocation $((i + 1)) of $((n + 1))" >&2
  rc=0
  "$bin" all --out-dir "$dir" "$@" >"$dir/stdout.txt" 2>"$dir/stderr.txt" || rc=$?
  f=$(ls "$dir"/zcbench-*.json 2>/dev/null | head -n 1 || true)
  if [[ -z $f ]]; then
    echo "bench-gate-noise: zcbench all wrote no result file (exit $rc; see $dir/stderr.txt)" >&2
    exit 2
  fi
  # A failed cell (exit 1) is the gate's business, not this script's.
  files+=("$f")
done
failing=0
printf '%-6s %-12s %-12s %-10s %-16s %-14s %s\n' pair regressions improvements unchanged not_significant not_comparable timing
for ((i = 0; i < n; i++)); do
  rc=0
  "$bin" compare "${files[i]}" "${files[i + 1]}" "${gate_args[@]}" --fail-on-regression \
    >"$out/pair-$i.txt" 2>"$out/pair-$i.err" || rc=$?
  "$bin" compare "${files[i]}" "${files[i + 1]}" "${gate_args[@]}" --format json >"$out/pair-$i.json" 2>/dev/null || true
  if [[ $rc -ne 0 && $rc -ne 1 ]]; then
    echo "bench-gate-noise: compare failed on pair $i (exit $rc; see $out/pair-$i.err)" >&2
    exit 2
  fi
  [[ $rc -eq 1 ]] && failing=$((failing + 1))
  jq -r --arg pair "$i" '[$pair, .summary.regression, .summary.improvement, .summary.unchanged,
      .summary.not_significant, .summary.not_comparable,
      (if .files[1].timing_comparable == false then "not comparable" else "compared" end)] | @tsv' \
    "$out/pair-$i.json" | awk -F'\t' '{printf "%-6s %-12s %-12s %-10s %-16s %-14s %s\n", $1, $2, $3, $4, $5, $6, $7}'
done
echo "bench-gate-noise: $failing of $n pairs of identical runs report a regression (goal: at most 1 in 10); files in $out"
(( failing * 10 <= n )) && exit 0
exit 1
