#!/bin/sh
# Observer overhead of the probes: runs `zcbench run` on file-tcp for
# readwrite at 4K and 64K chunks and for sendfile, with probes on and with
# --no-probes, interleaved (the order alternates every round, since loopback
# throughput drifts over minutes), and prints per configuration the median
# over rounds of each run's median throughput, and the overhead:
#   overhead % = (median_off - median_on) / median_off * 100
# plus the median of the per-round paired overheads, and the same for the
# subject's CPU time per GiB (user + sys), which other load on the machine
# disturbs less than throughput. Not a test: a benchmark.
#
# Usage: probes/bench_observer.sh [ZCBENCH]
# Environment: ROUNDS (default 7), REPS per zcbench run (5), SIZE (512M),
#              WORKLOAD (file-tcp), CONFIGS ("readwrite:4K readwrite:64K sendfile:1M"),
#              ZCBENCH_CACHE_DIR (zcbench's default if unset),
#              CHRT=N: run zcbench as SCHED_FIFO priority N (root), so other
#              load on a shared machine disturbs the comparison less,
#              KWORK=off: the "on" runs leave the kwork probes (allocation,
#              skb and softirq tracepoints) out (ZC_PROBES_KWORK=off), so
#              their share of the cost shows against a default run.
set -eu
zcbench=${1:-$(dirname "$0")/../build/zcbench}
rounds=${ROUNDS:-7}
reps=${REPS:-5}
size=${SIZE:-512M}
workload=${WORKLOAD:-file-tcp}
configs=${CONFIGS:-readwrite:4K readwrite:64K sendfile:1M}
chrt=
[ -n "${CHRT:-}" ] && chrt="chrt -f $CHRT"
command -v jq >/dev/null || { echo "bench_observer: needs jq" >&2; exit 2; }
[ -x "$zcbench" ] || { echo "bench_observer: no zcbench at $zcbench" >&2; exit 2; }
tmp=$(mktemp -d /tmp/zc-bench-observer-XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

one() { # strategy chunk on|off -> median bytes/s, CPU ns/GiB
	flag=
	[ "$3" = off ] && flag=--no-probes
	ZC_PROBES_KWORK=${KWORK:-on} $chrt "$zcbench" run --strategy "$1" --workload "$workload" --size "$size" --chunk "$2" --reps "$reps" \
		--warmup 1 $flag --out "$tmp/r.json" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
	if [ "$3" = on ]; then
		st=$(jq -r .probes.ebpf.status "$tmp/r.json")
		[ "$st" = ok ] || { echo "bench_observer: eBPF probes $st: $(jq -r .probes.ebpf.reason "$tmp/r.json")" >&2; exit 1; }
	fi
	jq -r '.results[0].summary | "\(.throughput_bps.median) \(.cpu_ns_per_gib.user + .cpu_ns_per_gib.sys)"' "$tmp/r.json"
}

r=1
while [ "$r" -le "$rounds" ]; do
	for cfg in $configs; do
		s=${cfg%%:*} c=${cfg#*:}
		if [ $((r % 2)) -eq 1 ]; then order="on off"; else order="off on"; fi
		for m in $order; do
			v=$(one "$s" "$c" "$m")
			echo "$s $c $m $r $v" >> "$tmp/all"
			echo "$v" | awk -v r="$r" -v s="$s" -v c="$c" -v m="$m" \
				'{ printf "round %d %-9s %-4s probes %-3s %6.3f GB/s %7.1f ms CPU/GiB\n", r, s, c, m, $1 / 1e9, $2 / 1e6 }' >&2
		done
	done
	r=$((r + 1))
done

echo "zcbench observer overhead: $workload, size $size, $rounds rounds x $reps reps (+1 warm-up), interleaved${chrt:+, under $chrt}${KWORK:+, kwork probes $KWORK}"
printf '%-10s %-6s %9s %9s %9s %9s | %12s %12s %9s %9s\n' strategy chunk "on GB/s" "off GB/s" overhead paired \
	"on CPU/GiB" "off CPU/GiB" overhead paired
for cfg in $configs; do
	s=${cfg%%:*} c=${cfg#*:}
	awk -v s="$s" -v c="$c" '
	function median(a, n,   i, j, t) {
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
		return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
	}
	$1 == s && $2 == c { if ($3 == "on") { on[$4] = $5; con[$4] = $6 } else { off[$4] = $5; coff[$4] = $6 } }
	END {
		n = 0
		for (r in on) {
			n++; a[n] = on[r]; b[n] = off[r]; p[n] = (off[r] - on[r]) / off[r] * 100
			ca[n] = con[r]; cb[n] = coff[r]; cp[n] = (con[r] - coff[r]) / coff[r] * 100
		}
		mon = median(a, n); moff = median(b, n); mp = median(p, n)
		cmon = median(ca, n); cmoff = median(cb, n); cmp = median(cp, n)
		printf "%-10s %-6s %9.3f %9.3f %8.2f%% %8.2f%% | %9.1f ms %9.1f ms %8.2f%% %8.2f%%\n", s, c, mon / 1e9, moff / 1e9,
			(moff - mon) / moff * 100, mp, cmon / 1e6, cmoff / 1e6, (cmon - cmoff) / cmoff * 100, cmp
	}' "$tmp/all"
done
echo "throughput overhead = (off - on) / off; CPU overhead = (on - off) / off; paired: median over rounds"
