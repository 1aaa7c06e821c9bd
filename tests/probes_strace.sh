#!/bin/sh
# Cross-checks the eBPF counting against an independent tracer (the byte
# classification is checked on its own by probes_classify.sh): zcbench runs
# under strace -f, and the subject's syscalls strictly between its two perf
# prctl calls (PR_TASK_PERF_EVENTS_ENABLE / _DISABLE, which bracket the eBPF
# window) must match counters.syscalls name by name, and their return values
# summed per class must match counters.bytes. Exits 77 (skipped) without root,
# strace, jq or working eBPF.
# Usage: probes_strace.sh ZCBENCH
set -u
zcbench=$1
[ "$(id -u)" -eq 0 ] || { echo "probes_strace: skipped: not root"; exit 77; }
for t in strace jq awk; do
	command -v "$t" >/dev/null 2>&1 || { echo "probes_strace: skipped: no $t"; exit 77; }
done
tmp=$(mktemp -d /tmp/zc-probes-strace-XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# name count, then to_user/from_user/in_kernel byte sums, of the window.
strace_window() {
	awk '
	BEGIN {
		split("read pread64 readv preadv preadv2 recvfrom recvmsg", a); for (i in a) cls[a[i]] = "to_user"
		split("write pwrite64 writev pwritev pwritev2 sendto sendmsg vmsplice", a); for (i in a) cls[a[i]] = "from_user"
		split("sendfile splice tee copy_file_range", a); for (i in a) cls[a[i]] = "in_kernel"
		b["to_user"] = b["from_user"] = b["in_kernel"] = 0
	}
	function ret(s) { return match(s, /\) += -?[0-9]+/) ? substr(s, RSTART, RLENGTH) : "" }
	function add(name, s,   r) {
		r = ret(s); sub(/^\) += /, "", r)
		if (r != "" && r + 0 > 0 && (name in cls)) b[cls[name]] += r
	}
	{
		pid = $1; rest = substr($0, length($1) + 2); sub(/^ +/, "", rest)
		if (rest ~ /^prctl\(PR_TASK_PERF_EVENTS_ENABLE/) { win[pid] = 1; next }
		if (rest ~ /^prctl\(PR_TASK_PERF_EVENTS_DISABLE/) { win[pid] = 0; next }
		if (rest ~ /^<\.\.\. [a-z0-9_]+ resumed>/) {
			if (pid in pend) { add(pend[pid], rest); delete pend[pid] }
			next
		}
		if (!win[pid] || rest ~ /^(---|\+\+\+)/) next
		if (!match(rest, /^[a-z0-9_]+\(/)) next
		name = substr(rest, 1, RLENGTH - 1); n[name]++
		if (rest ~ /<unfinished \.\.\.>$/) pend[pid] = name; else add(name, rest)
	}
	END {
		for (k in n) print "syscall", k, n[k]
		for (k in b) print "bytes", k, b[k]
	}' "$1" | sort
}

fail=0
for cfg in "readwrite file-file 64K" "readwrite file-tcp 64K" "sendfile file-file 1M" "sendfile file-tcp 256K" \
	"splice file-file 1M" "pooled file-file 16K"; do
	set -- $cfg
	if ! strace -f -qq -o "$tmp/trace" "$zcbench" run --strategy "$1" --workload "$2" --chunk "$3" --size 16M \
		--reps 1 --warmup 0 --cache-dir "$tmp/cache" --out "$tmp/r.json" >/dev/null 2>"$tmp/err"; then
		echo "probes_strace: $cfg: zcbench failed:"; cat "$tmp/err"; fail=1; continue
	fi
	st=$(jq -r .probes.ebpf.status "$tmp/r.json")
	if [ "$st" != ok ]; then
		echo "probes_strace: skipped: eBPF $st: $(jq -r .probes.ebpf.reason "$tmp/r.json")"; exit 77
	fi
	grep -q PR_TASK_PERF_EVENTS_ENABLE "$tmp/trace" || { echo "probes_strace: skipped: no perf window markers"; exit 77; }
	strace_window "$tmp/trace" > "$tmp/strace.txt"
	jq -r '.results[0].runs[0].counters | (.syscalls | to_entries[] | "syscall \(.key) \(.value)"),
		(.bytes | to_entries[] | select(.key != "pinned_from_user" and .key != "mapped_to_user") | "bytes \(.key) \(.value)")' "$tmp/r.json" |
		sort > "$tmp/ebpf.txt"
	if diff "$tmp/strace.txt" "$tmp/ebpf.txt" > "$tmp/diff"; then
		echo "probes_strace: $cfg: agree: $(tr '\n' ' ' < "$tmp/ebpf.txt")"
	else
		echo "probes_strace: $cfg: DISAGREE (< strace, > eBPF):"; cat "$tmp/diff"; fail=1
	fi
done
exit $fail
