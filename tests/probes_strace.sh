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
. "$(dirname "$0")/probes_lib.sh"
probes_setup probes_strace strace jq awk

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

for cfg in "readwrite file-file 64K" "readwrite file-tcp 64K" "sendfile file-file 1M" "sendfile file-tcp 256K" \
	"splice file-file 1M" "pooled file-file 16K"; do
	probes_traced_run "-f -qq" 16M "$cfg" || continue
	grep -q PR_TASK_PERF_EVENTS_ENABLE "$tmp/trace" || { echo "probes_strace: skipped: no perf window markers"; exit 77; }
	strace_window "$tmp/trace" > "$tmp/strace.txt"
	jq -r '.results[0].runs[0].counters | (.syscalls | to_entries[] | "syscall \(.key) \(.value)"),
		(.bytes | to_entries[] | select(.key != "pinned_from_user" and .key != "mapped_to_user") | "bytes \(.key) \(.value)")' "$tmp/r.json" |
		sort > "$tmp/ebpf.txt"
	probes_agree "$cfg" strace
done
exit $fail
