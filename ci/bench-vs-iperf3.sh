#!/usr/bin/env bash
# Benchmark (not a test): zcbench against iperf3 on the same loopback path,
# the same chunk size and the same CPUs, interleaved so drift hits both alike.
#   readwrite on file-tcp  vs  iperf3 -F FILE (reads the file, writes the socket)
#   sendfile  on file-tcp  vs  iperf3 -Z      (sendfile)
# iperf3 -Z sendfile()s one chunk-sized buffer file over and over (its pages
# stay in cache), so zcbench's sendfile does the same here: the size split
# into transfers of one chunk-sized file (--transfers size/chunk). readwrite
# and iperf3 -F both stream the whole file from the page cache.
# zcbench's peer drains with read() here, as iperf3's server does, so both
# receivers pay the same copy (zcbench's default drain, recv(MSG_TRUNC), is
# cheaper: ci/bench-peer-drain.sh). Prints each round and the ratios of the
# medians. The harness must not hold a strategy back: both ratios should be
# at least 0.9; the script exits 1 when one is not.
# Usage: ci/bench-vs-iperf3.sh [ZCBENCH] [ROUNDS] [SIZE] [CHUNK]
set -euo pipefail

zc=${1:-build/zcbench}
rounds=${2:-7}
size=${3:-1G}
chunk=${4:-128K}
command -v iperf3 >/dev/null || { echo "iperf3 is missing: apt-get install iperf3" >&2; exit 2; }
command -v jq >/dev/null || { echo "jq is missing: apt-get install jq" >&2; exit 2; }

work=$(mktemp -d /tmp/zc-vs-iperf3.XXXXXX)
server=
cleanup() {
	[[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$((20000 + RANDOM % 20000))
iperf3 -s -B 127.0.0.1 -p "$port" -A 1 >/dev/null 2>&1 &
server=$!
sleep 0.5

# The pattern file zcbench reads is the file iperf3 -F reads too.
"$zc" run --strategy readwrite --workload file-tcp --size "$size" --reps 1 --warmup 0 \
	--cache-dir "$work" --out "$work/prime.json" >/dev/null 2>&1
file=$(ls "$work"/pattern-v1-* | grep -v stamp)
bytes=$(stat -c %s "$file")
chunk_bytes=$(numfmt --from=iec "$chunk")
transfers=$((bytes / chunk_bytes))

zc_gbps() { # strategy [run options] -> GB/s (10^9), median of 3 measured runs after a verified warm-up
	local strategy=$1
	shift
	"$zc" run --strategy "$strategy" "$@" --workload file-tcp --size "$size" --chunk "$chunk" --reps 3 --warmup 1 \
		--drain read ${ZC_EXTRA:-} --cache-dir "$work" --out - 2>/dev/null | jq '.results[0].summary.throughput_bps.median / 1e9'
}
iperf_gbps() { # extra iperf3 flags -> GB/s of the sender
	iperf3 -c 127.0.0.1 -p "$port" -n "$bytes" -l "$chunk" -A 0 -J "$@" |
		jq '.end.sum_sent.bits_per_second / 8e9'
}

printf '%-6s %14s %14s %14s %14s\n' round "zc readwrite" "iperf3 -F" "zc sendfile" "iperf3 -Z"
rw=() ipf=() sf=() ipz=()
for ((i = 1; i <= rounds; i++)); do
	a=$(zc_gbps readwrite)
	b=$(iperf_gbps -F "$file")
	c=$(zc_gbps sendfile --transfers "$transfers")
	d=$(iperf_gbps -Z)
	rw+=("$a") ipf+=("$b") sf+=("$c") ipz+=("$d")
	printf '%-6s %14.2f %14.2f %14.2f %14.2f   GB/s\n' "$i" "$a" "$b" "$c" "$d"
done

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
m_rw=$(median "${rw[@]}") m_ipf=$(median "${ipf[@]}") m_sf=$(median "${sf[@]}") m_ipz=$(median "${ipz[@]}")
printf '%-6s %14.2f %14.2f %14.2f %14.2f   GB/s\n' median "$m_rw" "$m_ipf" "$m_sf" "$m_ipz"
awk -v a="$m_rw" -v b="$m_ipf" -v c="$m_sf" -v d="$m_ipz" -v s="$size" -v k="$chunk" 'BEGIN {
	printf "size %s, chunk %s, loopback, subject/client on CPU 0, peer/server on CPU 1, both receivers read()\n", s, k
	printf "ratio readwrite / iperf3 -F : %.2f\n", a / b
	printf "ratio sendfile  / iperf3 -Z : %.2f\n", c / d
	exit (a / b >= 0.9 && c / d >= 0.9) ? 0 : 1
}'
