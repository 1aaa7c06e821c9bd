#!/bin/sh
# The window holds no harness syscall: 10 measured runs each of readwrite
# (a malloc per transfer), sendfile and splice, with one stream and with
# two, must count the very same syscalls, name by name, in every run; and
# the harness's own threads' calls (the main thread waking and waiting for
# the streams) are reported apart, never among the subject's. Exits 77
# (skipped) without root, jq or working eBPF.
# Usage: probes_window_syscalls.sh ZCBENCH
set -u
zcbench=$1
[ "$(id -u)" -eq 0 ] || { echo "probes_window_syscalls: skipped: not root"; exit 77; }
command -v jq >/dev/null 2>&1 || { echo "probes_window_syscalls: skipped: no jq"; exit 77; }
tmp=$(mktemp -d /tmp/zc-window-XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

"$zcbench" run --strategy readwrite,sendfile,splice --workload file-file --size 8M --chunk 64K --streams 1,2 \
	--reps 10 --warmup 1 --cache-dir "$tmp/cache" --out "$tmp/r.json" >/dev/null 2>"$tmp/err" || {
	echo "probes_window_syscalls: zcbench failed:"; cat "$tmp/err"; exit 1; }
st=$(jq -r .probes.ebpf.status "$tmp/r.json")
[ "$st" = ok ] || { echo "probes_window_syscalls: skipped: eBPF $st"; exit 77; }
fail=0
cells=$(jq '.results | length' "$tmp/r.json")
[ "$cells" -eq 6 ] || { echo "probes_window_syscalls: $cells cells, want 6"; exit 1; }
i=0
while [ $i -lt "$cells" ]; do
	name=$(jq -r ".results[$i] | \"\(.strategy) --streams \(.params.streams)\"" "$tmp/r.json")
	runs=$(jq "[.results[$i].runs[] | select(.warmup | not)] | length" "$tmp/r.json")
	distinct=$(jq -c "[.results[$i].runs[] | select(.warmup | not) | .counters.syscalls] | unique" "$tmp/r.json")
	n=$(echo "$distinct" | jq length)
	foreign=$(jq -c "[.results[$i].runs[] | select(.warmup | not) | .counters.syscalls | keys[] |
		select(. != \"read\" and . != \"write\" and . != \"splice\" and . != \"sendfile\")] | unique" "$tmp/r.json")
	if [ "$runs" -ne 10 ] || [ "$n" -ne 1 ] || [ "$foreign" != "[]" ]; then
		echo "probes_window_syscalls: $name: $runs runs, $n distinct syscall sets: $distinct (not the copy's: $foreign)"
		fail=1
	else
		echo "probes_window_syscalls: $name: 10 runs, identical: $distinct"
	fi
	i=$((i + 1))
done
exit $fail
