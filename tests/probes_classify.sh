#!/bin/sh
# An independent check of the probes' byte classes: zcbench runs under
# strace -f -yy, and each data syscall of the subject's window is classed
# here from its arguments and what the man pages say it does, with a table
# of this script's own (not zcbench's):
#   read(2) pread64 readv(2) preadv preadv2 recvfrom(2) recvmsg  -> to_user
#       (the kernel copies into the caller's buffers)
#   write(2) pwrite64 writev(2) pwritev pwritev2 sendto(2) sendmsg -> from_user
#       (the kernel copies out of them) - except a send with MSG_ZEROCOPY,
#       which the kernel pins instead unless its completion on the error
#       queue (ee_origin SO_EE_ORIGIN_ZEROCOPY = 5) carries
#       SO_EE_CODE_ZEROCOPY_COPIED (ee_code 1): pinned_from_user or from_user
#       by the completion of its send id (ids count the sends from 0);
#   vmsplice(2) on a pipe's write end  -> pinned_from_user (the pages are
#       referenced by the pipe, not copied); on a read end -> to_user (copied
#       out of the pipe); the end is known from pipe2's [read, write] result;
#   sendfile(2) splice(2) tee(2) copy_file_range(2) -> in_kernel.
# The sums per class must equal counters.bytes of the run. Exits 77 (skipped)
# without root, strace, jq or working eBPF.
# Usage: probes_classify.sh ZCBENCH
set -u
zcbench=$1
. "$(dirname "$0")/probes_lib.sh"
probes_setup probes_classify strace jq awk

classify() {
	awk '
	BEGIN {
		split("read pread64 readv preadv preadv2 recvfrom recvmsg", a); for (i in a) dir[a[i]] = "to_user"
		split("write pwrite64 writev pwritev pwritev2 sendto sendmsg", a); for (i in a) dir[a[i]] = "from_user"
		split("sendfile splice tee copy_file_range", a); for (i in a) dir[a[i]] = "in_kernel"
		# mapped_to_user: only getsockopt(TCP_ZEROCOPY_RECEIVE) maps bytes
		# (tcp(7)); none of the pairs below receives that way.
		b["to_user"] = b["from_user"] = b["pinned_from_user"] = b["in_kernel"] = b["mapped_to_user"] = 0
		nzc = 0
	}
	function retval(s) { if (!match(s, /\) += -?[0-9]+/)) return -1; s = substr(s, RSTART, RLENGTH); sub(/^\) += /, "", s); return s + 0 }
	# The fd<pipe:[inode]> key of the first argument.
	function fdkey(s) { return match(s, /\([0-9]+<pipe:\[[0-9]+\]>/) ? substr(s, RSTART + 1, RLENGTH - 1) : "" }
	function account(pid, name, call, whole,   r) {
		r = retval(whole)
		if (name == "pipe2" && match(whole, /\[[0-9]+<pipe:\[[0-9]+\]>, [0-9]+<pipe:\[[0-9]+\]>\]/)) {
			s = substr(whole, RSTART + 1, RLENGTH - 2); split(s, e, ", ")
			end[e[1]] = "read"; end[e[2]] = "write"
		}
		# Completions: wherever they show, inside the window or not.
		while (match(whole, /ee_origin=5, ee_type=[0-9]+, ee_code=[0-9]+, ee_info=[0-9]+, ee_data=[0-9]+/)) {
			c = substr(whole, RSTART, RLENGTH); whole = substr(whole, RSTART + RLENGTH)
			split(c, f, /[=,]/); code = f[6] + 0; lo = f[8] + 0; hi = f[10] + 0
			for (id = lo; id <= hi; id++) copied[id] = (code == 1) ? 1 : 0
		}
		if (!inwin[pid] || r <= 0) return
		if (name ~ /^send(to|msg)$/ && call ~ /MSG_ZEROCOPY/) { zc[nzc++] = r; return }
		if (name == "vmsplice") { k = fdkey(call); if (end[k] == "write") b["pinned_from_user"] += r; else if (end[k] == "read") b["to_user"] += r; else b["unknown_vmsplice"] += r; return }
		if (name in dir) b[dir[name]] += r
	}
	{
		pid = $1; rest = substr($0, length($1) + 2); sub(/^ +/, "", rest)
		if (rest ~ /^prctl\(PR_TASK_PERF_EVENTS_ENABLE/) { inwin[pid] = 1; next }
		if (rest ~ /^prctl\(PR_TASK_PERF_EVENTS_DISABLE/) { inwin[pid] = 0; next }
		if (match(rest, /^<\.\.\. [a-z0-9_]+ resumed>/)) {
			if (pid in pend) { account(pid, pend[pid], pcall[pid] rest, pcall[pid] rest); delete pend[pid] }
			next
		}
		if (!match(rest, /^[a-z0-9_]+\(/)) next
		name = substr(rest, 1, RLENGTH - 1)
		if (rest ~ /<unfinished \.\.\.>$/) {
			# Only a call that began inside the window counts.
			if (inwin[pid] || name == "pipe2" || name == "recvmsg") { pend[pid] = name; pcall[pid] = rest }
			next
		}
		account(pid, name, rest, rest)
	}
	END {
		for (i = 0; i < nzc; i++) {
			if (!(i in copied)) b["unreported_zerocopy"] += zc[i]
			else if (copied[i]) b["from_user"] += zc[i]
			else b["pinned_from_user"] += zc[i]
		}
		for (k in b) print k, b[k]
	}' "$1" | sort
}

for cfg in "readwrite file-tcp 64K" "readv_writev file-file 64K" "sendfile file-file 1M" "splice file-tcp 256K" \
	"tee file-tee 64K" "copy_file_range file-file 1M" "vmsplice mem-tcp 1M" "vmsplice_gift mem-tcp 1M" \
	"msg_zerocopy mem-tcp 128K" "msg_zerocopy file-tcp 64K"; do
	probes_traced_run "-f -qq -yy" 8M "$cfg" || continue
	classify "$tmp/trace" > "$tmp/strace.txt"
	jq -r '.results[0].runs[0].counters.bytes | to_entries[] | "\(.key) \(.value)"' "$tmp/r.json" | sort > "$tmp/ebpf.txt"
	probes_agree "$cfg" "strace and the man pages"
done
exit $fail
