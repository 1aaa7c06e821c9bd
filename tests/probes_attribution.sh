#!/bin/sh
# Attribution by thread: io_uring_splice (every splice request runs on an
# io_uring worker, iou-wrk) must show the worker apart from the stream
# thread - its CPU time in cpu.io_workers_ns and inside cpu.subject_ns,
# its switches under threads.io_workers, not in the subject's
# context_switches - and two readwrite streams must sit on CPUs 0 and 1
# (placement), with the main thread's futex calls under threads.harness,
# never among the subject's syscalls (not under AddressSanitizer, whose
# allocator maps memory for a malloc per transfer). Exits 77 (skipped) without root, jq,
# 2 CPUs or working eBPF.
# Usage: probes_attribution.sh ZCBENCH
set -u
zcbench=$1
[ "$(id -u)" -eq 0 ] || { echo "probes_attribution: skipped: not root"; exit 77; }
command -v jq >/dev/null 2>&1 || { echo "probes_attribution: skipped: no jq"; exit 77; }
[ "$(nproc)" -ge 2 ] || { echo "probes_attribution: skipped: one CPU"; exit 77; }
tmp=$(mktemp -d /tmp/zc-attr-XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
check() { # description, jq filter that must print true
	if [ "$(jq -r "$2" "$tmp/r.json")" = true ]; then echo "probes_attribution: ok: $1"
	else echo "probes_attribution: FAILED: $1 ($2)"; fail=1; fi
}

"$zcbench" run --strategy io_uring_splice --workload file-file --size 16M --reps 3 --warmup 0 \
	--cache-dir "$tmp/cache" --out "$tmp/r.json" >/dev/null 2>"$tmp/err" || {
	echo "probes_attribution: zcbench failed:"; cat "$tmp/err"; exit 1; }
[ "$(jq -r .probes.ebpf.status "$tmp/r.json")" = ok ] || { echo "probes_attribution: skipped: no eBPF"; exit 77; }
runs='.results[0].runs[]'
check "io_uring_splice: a worker ran in every run, with CPU time of its own" \
	"[$runs | .cpu.io_workers >= 1 and .cpu.io_workers_ns > 0] | all"
check "io_uring_splice: subject CPU = streams + workers, exactly" \
	"[$runs | .cpu.subject_ns == .cpu.streams_ns + .cpu.io_workers_ns] | all"
check "io_uring_splice: the worker's switches are its own, the subject's are the stream's" \
	"[$runs | .counters.threads.io_workers.context_switches.involuntary + .counters.threads.io_workers.context_switches.voluntary > 0
		and .counters.context_switches == .counters.threads.streams.context_switches
		and .counters.off_cpu_ns == .counters.threads.streams.off_cpu_ns] | all"
# user = CPU - kernel, or null (never negative, never clamped) in a run where
# the syscall time read above the thread's clock.
check "io_uring_splice: user + kernel = the stream's CPU" \
	"([$runs | .cpu.streams_user_ns == null or .cpu.streams_user_ns + .cpu.streams_kernel_ns == .cpu.streams_ns] | all)
	and ([$runs | .cpu.streams_user_ns != null] | any)"

"$zcbench" run --strategy readwrite --workload file-file --size 16M --streams 2 --reps 3 --warmup 0 \
	--cache-dir "$tmp/cache" --out "$tmp/r.json" >/dev/null 2>"$tmp/err" || {
	echo "probes_attribution: zcbench failed:"; cat "$tmp/err"; exit 1; }
check "readwrite --streams 2: streams on CPUs 0 and 1, the main thread on 0" \
	"[$runs | .placement.stream_cpus == [0, 1] and .placement.main_cpu == 0] | all"
check "readwrite --streams 2: the harness's calls counted apart, none among the subject's" \
	"[$runs | .counters.threads.harness.syscalls >= 1 and (.counters.syscalls | keys == [\"read\", \"write\"])] | all"
check "readwrite --streams 2: no worker" "[$runs | .cpu.io_workers == 0 and .cpu.io_workers_ns == 0] | all"

"$zcbench" run --strategy readwrite --workload file-file --size 4M --streams 2 --reps 1 --warmup 0 --no-pin \
	--cache-dir "$tmp/cache" --out "$tmp/r.json" >/dev/null 2>"$tmp/err" || {
	echo "probes_attribution: zcbench failed:"; cat "$tmp/err"; exit 1; }
check "--no-pin: placement left to the scheduler" \
	"[$runs | .placement.stream_cpus == [null, null] and .placement.main_cpu == null] | all"
exit $fail
