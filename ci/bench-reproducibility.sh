#!/usr/bin/env bash
# Reproducibility, measured (README "Verdicts"): N+1 `zcbench all` back to
# back, then for each consecutive pair of result files the share of verdicts
# decided in both and the contradictions (decided in both, opposite ways).
# The goal is no contradiction. Run it on a quiet machine.
#
# Usage: bash ci/bench-reproducibility.sh [--bin ZCBENCH] [--out-dir DIR] N [zcbench all options ...]
#        bash ci/bench-reproducibility.sh --files A.json B.json [C.json ...]   (files already made)
# Verdicts are matched by workload, strategy, baseline and the cell's params;
# the baseline's own entry is left out. Exit: 0, 1 when any contradiction was
# found, 2 for bad usage or a zcbench run that wrote no file.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$here/build/zcbench
out=$here/results/reproducibility
files=()
while [[ $# -gt 0 ]]; do
  case $1 in
  --bin) bin=$2; shift 2 ;;
  --out-dir) out=$2; shift 2 ;;
  --files) shift; files=("$@"); set --; break ;;
  *) break ;;
  esac
done
command -v jq >/dev/null || { echo "bench-reproducibility: jq is missing (ci/setup.sh installs it)" >&2; exit 2; }

if [[ ${#files[@]} -eq 0 ]]; then
  [[ $# -ge 1 && $1 =~ ^[1-9][0-9]*$ ]] || {
    echo "usage: ci/bench-reproducibility.sh [--bin ZCBENCH] [--out-dir DIR] N [zcbench all options ...]" >&2
    exit 2
  }
  n=$1
  shift
  [[ -x $bin ]] || { echo "bench-reproducibility: $bin is not built (run bash ci/setup.sh)" >&2; exit 2; }
  for ((i = 0; i <= n; i++)); do
    dir=$out/run-$i
    mkdir -p "$dir"
    rm -f "$dir"/zcbench-*.json
    echo "bench-reproducibility: zcbench all, run $((i + 1)) of $((n + 1))" >&2
    start=$(date +%s)
    "$bin" all --out-dir "$dir" "$@" >"$dir/stdout.txt" 2>"$dir/stderr.txt" || true
    f=$(ls -t "$dir"/zcbench-*.json 2>/dev/null | head -n 1 || true)
    [[ -n $f ]] || { echo "bench-reproducibility: run $i wrote no result file (see $dir/stderr.txt)" >&2; exit 2; }
    echo "bench-reproducibility: $f ($(($(date +%s) - start)) s)" >&2
    files+=("$f")
  done
fi
[[ ${#files[@]} -ge 2 ]] || { echo "bench-reproducibility: need two files or more" >&2; exit 2; }

# One line per verdict: key TAB decided TAB faster.
verdicts() {
  jq -r '.verdicts // [] | .[] | select(.strategy != .baseline)
    | [([.workload, .strategy, .baseline, (.params | tojson)] | join("|")), .decided, .faster] | @tsv' "$1" | sort
}

printf '%-5s %8s %14s %15s  %s\n' pair verdicts "decided both" contradictions "files"
total=0 both=0 contra=0
for ((i = 0; i + 1 < ${#files[@]}; i++)); do
  a=${files[i]} b=${files[i + 1]}
  read -r m d c < <(join -t $'\t' <(verdicts "$a") <(verdicts "$b") | awk -F'\t' '
    { m++; if ($2 == "true" && $4 == "true") { d++; if ($3 != $5) c++ } }
    END { print m + 0, d + 0, c + 0 }')
  share=$(awk -v d="$d" -v m="$m" 'BEGIN { printf "%d (%.0f%%)", d, m ? 100 * d / m : 0 }')
  printf '%-5s %8d %14s %15d  %s %s\n' "$((i + 1))" "$m" "$share" "$c" "$(basename "$a")" "$(basename "$b")"
  total=$((total + m)) both=$((both + d)) contra=$((contra + c))
done
awk -v t="$total" -v d="$both" -v c="$contra" -v p="$((${#files[@]} - 1))" 'BEGIN {
  printf "over %d pairs: %d of %d verdicts decided in both (%.0f%%), %d contradictions\n", p, d, t, t ? 100 * d / t : 0, c }'
[[ $contra -eq 0 ]]
