#!/usr/bin/env bash
# The measurement the profiles' one chunk rests on (README "Profiles"): every
# strategy on every workload at each chunk of --chunks, rounds interleaved,
# then per chunk how close each strategy comes to its own best chunk. Run it
# on a quiet machine (`zcbench doctor` says whether it is).
#
# Usage: bash ci/bench-chunk.sh [--bin ZCBENCH] [--out-dir DIR]
#                               [--chunks 16K,64K,128K,256K,1M] [zcbench all options ...]
#        bash ci/bench-chunk.sh --table RESULT.json   (the tables of a file already made)
# Prints, per workload and strategy, the median GB/s (10^9 bytes/s) at each
# chunk (* its best), then per chunk over all cells: the geometric mean of
# "GB/s at this chunk / GB/s at the cell's best chunk", the worst such share,
# and how many cells it is best for. The profile's chunk is the one with the
# highest geometric mean (ZC_PROFILE_CHUNK in harness/main.c).
# Exit: zcbench's (0; 1 for a failed cell; 2 for bad usage).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$here/build/zcbench
out=$here/results/chunk
chunks=16K,64K,128K,256K,1M
table=
while [[ $# -gt 0 ]]; do
  case $1 in
  --bin) bin=$2; shift 2 ;;
  --out-dir) out=$2; shift 2 ;;
  --chunks) chunks=$2; shift 2 ;;
  --table) table=$2; shift 2 ;;
  *) break ;;
  esac
done
command -v jq >/dev/null || { echo "bench-chunk: jq is missing (ci/setup.sh installs it)" >&2; exit 2; }

# The cells of a result file as "workload strategy chunk GB/s" lines.
cells() {
  jq -r '.results[] | select(.status == "ok" and .summary != null)
    | [.workload, .strategy, .params.chunk_bytes, (.summary.throughput_bps.median / 1e9)] | @tsv' "$1"
}

print_tables() {
  local data
  data=$(cells "$1")
  echo "GB/s (10^9 bytes/s), median over the rounds; * the strategy's best chunk"
  awk -F'\t' '
    function kib(b) { b += 0; return b >= 1048576 ? b / 1048576 "M" : b / 1024 "K" }
    { key = $1 "\t" $2; t[key, $3] = $4; if (!(key in seen)) { seen[key] = 1; keys[++nk] = key }
      if (!($3 in isc)) { isc[$3] = 1; ch[++nc] = $3 }
      if ($4 > best[key]) best[key] = $4 }
    END {
      n = nc; for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (ch[j] + 0 < ch[i] + 0) { x = ch[i]; ch[i] = ch[j]; ch[j] = x }
      line = "workload\tstrategy"; for (i = 1; i <= n; i++) line = line "\t" kib(ch[i]); print line
      for (k = 1; k <= nk; k++) {
        line = keys[k]
        for (i = 1; i <= n; i++) {
          v = t[keys[k], ch[i]]
          line = line "\t" (v == "" ? "-" : sprintf("%.2f%s", v, v == best[keys[k]] ? "*" : ""))
        }
        print line
      }
    }' <<<"$data" | column -t -s $'\t'
  echo
  echo "per chunk, over every workload x strategy cell: GB/s as a share of the cell's best chunk"
  awk -F'\t' '
    function kib(b) { b += 0; return b >= 1048576 ? b / 1048576 "M" : b / 1024 "K" }
    { key = $1 "\t" $2; t[key, $3] = $4; keys[key] = 1; ch[$3] = 1; if ($4 > best[key]) best[key] = $4 }
    END {
      print "chunk\tgeomean\tworst\tbest for"
      for (c in ch) {
        s = 0; m = 0; worst = 1; nbest = 0
        for (k in keys) if ((k, c) in t) { r = t[k, c] / best[k]; s += log(r); m++; if (r < worst) worst = r; if (r == 1) nbest++ }
        printf "%s\t%.3f\t%.3f\t%d of %d\n", kib(c), exp(s / m), worst, nbest, m | "sort -h"
      }
    }' <<<"$data" | column -t -s $'\t'
}

if [[ -n $table ]]; then
  print_tables "$table"
  exit 0
fi
[[ -x $bin ]] || { echo "bench-chunk: $bin is not built (run bash ci/setup.sh)" >&2; exit 2; }
mkdir -p "$out"
rm -f "$out"/zcbench-*.json
# Ten rounds for every chunk: a fixed count, so no chunk gets more rounds
# than another; extra arguments (e.g. --size, --reps) override it.
rc=0
"$bin" all --profile quick --chunk "$chunks" --reps 10 --max-time 3600s --out-dir "$out" "$@" >/dev/null || rc=$?
file=$(ls -t "$out"/zcbench-*.json | head -n 1)
print_tables "$file"
echo "from $file"
exit $rc
