#!/bin/sh
# The cache-pollution probe (--victim) across chunk sizes, for the README:
# per strategy and chunk, the median over rounds of the cell's victim ratio
# (median walk after the copy / median walk right after it, interleaved in
# the same window), with the walks dropped as interrupted. The victim and
# the bytes delivered between walks (= the chunk; readv_writev moves
# --iovecs 1 chunk per call, so it too walks once per chunk) are the same for
# every strategy. What to expect on a quiet machine with a 1 MiB L2: every
# strategy, blind ones (sendfile, splice) included, within 10% of 1.0 while
# victim + chunk fit in L2 (64 KiB); data-touching ones (readwrite,
# readv_writev, mmap) rising with the chunk above L2 (256 KiB, 1 MiB, 4 MiB).
# Other load evicts the victim too during a long chunk: a quiet machine only.
# Not a test: a benchmark; run it on a quiet machine.
#
# Usage: ci/bench-victim.sh [ZCBENCH]
# Environment: ROUNDS (default 5), REPS per run (5), SIZE (256M), VICTIM (256K),
#              CHUNKS ("64K 256K 1M 4M"), WORKLOAD (file-tcp),
#              STRATEGIES ("readwrite readv_writev mmap sendfile splice"),
#              ZCBENCH_CACHE_DIR (zcbench's default if unset).
set -eu
zcbench=${1:-$(dirname "$0")/../build/zcbench}
rounds=${ROUNDS:-5}
reps=${REPS:-5}
size=${SIZE:-256M}
victim=${VICTIM:-256K}
chunks=${CHUNKS:-64K 256K 1M 4M}
workload=${WORKLOAD:-file-tcp}
strategies=${STRATEGIES:-readwrite readv_writev mmap sendfile splice}
command -v jq >/dev/null || { echo "bench-victim: needs jq" >&2; exit 2; }
tmp=$(mktemp -d /tmp/zc-bench-victim-XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
cache=${ZCBENCH_CACHE_DIR:+--cache-dir $ZCBENCH_CACHE_DIR}
strats=$(echo $strategies | tr ' ' ,)
r=1
while [ "$r" -le "$rounds" ]; do
	for c in $chunks; do
		# shellcheck disable=SC2086
		"$zcbench" run --strategy "$strats" --workload "$workload" --size "$size" --chunk "$c" --iovecs 1 \
			--reps "$reps" --warmup 1 --victim "$victim" $cache --out "$tmp/r-$r-$c.json" >/dev/null 2>&1 ||
			{ echo "bench-victim: zcbench failed (round $r, chunk $c)" >&2; exit 1; }
		jq -r --arg c "$c" '.results[] | select(.status == "ok") |
			"\(.strategy) \($c) \(.summary.victim.ratio) \(.summary.victim.walks) \(.summary.victim.excluded_interrupted)"' \
			"$tmp/r-$r-$c.json" >> "$tmp/rows"
	done
	r=$((r + 1))
done
printf '%-16s %6s %8s %8s %10s\n' strategy chunk ratio walks excluded
for s in $strategies; do
	for c in $chunks; do
		awk -v s="$s" -v c="$c" '$1 == s && $2 == c { print $3, $4, $5 }' "$tmp/rows" | sort -g |
			awk -v s="$s" -v c="$c" '{ v[++n] = $1; w += $2; x += $3 }
			END { if (!n) exit; m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
				printf "%-16s %6s %8.2f %8d %10d\n", s, c, m, w, x }' 
	done
done
