#!/usr/bin/env bash
# Benchmark (not a test): what each way of draining a TCP stream costs the peer,
# so the cheapest one is the default. For each --drain method it runs sendfile
# on file-tcp (the strategy that pushes the peer hardest) and prints the median
# subject throughput and the peer's CPU time per GiB received, interleaved.
# Usage: ci/bench-peer-drain.sh [ZCBENCH] [ROUNDS] [SIZE]
set -euo pipefail

zc=${1:-build/zcbench}
rounds=${2:-5}
size=${3:-1G}
command -v jq >/dev/null || { echo "jq is missing: apt-get install jq" >&2; exit 2; }
work=$(mktemp -d /tmp/zc-drain.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

declare -A tput peer
for ((i = 1; i <= rounds; i++)); do
	for d in trunc read splice; do
		json=$("$zc" run --strategy sendfile --workload file-tcp --size "$size" --reps 1 --warmup 1 \
			--drain "$d" --cache-dir "$work" --out - 2>/dev/null)
		tput[$d]+="$(jq '.results[0].summary.throughput_bps.median / 1e9' <<<"$json") "
		peer[$d]+="$(jq '[.results[0].runs[] | select(.warmup | not) |
			(.peer_user_ns + .peer_sys_ns) / .bytes * 1073741824 / 1e9][0]' <<<"$json") "
	done
done

median() { printf '%s\n' $1 | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
printf '%-8s %16s %22s\n' drain "subject GB/s" "peer CPU s per GiB"
for d in trunc read splice; do
	printf '%-8s %16.2f %22.4f\n' "$d" "$(median "${tput[$d]}")" "$(median "${peer[$d]}")"
done
echo "sendfile on file-tcp, $size per run, median of $rounds interleaved rounds"
