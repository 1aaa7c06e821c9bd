# Sourced by the strace cross-checks of the probes (probes_strace.sh,
# probes_classify.sh): what each does before and around every run. $name is
# the script's name in its messages; $fail is set to 1 by what fails.

# probes_setup NAME TOOL...: skipped (77) without root or one of the tools;
# $tmp: a directory of the script's own, removed at exit.
probes_setup() {
	name=$1
	shift
	[ "$(id -u)" -eq 0 ] || { echo "$name: skipped: not root"; exit 77; }
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || { echo "$name: skipped: no $t"; exit 77; }
	done
	tmp=$(mktemp -d "/tmp/zc-$(echo "$name" | tr _ -)-XXXXXX") || exit 1
	trap 'rm -rf "$tmp"' EXIT INT TERM
	fail=0
}

# probes_traced_run "STRACE OPTIONS" SIZE "STRATEGY WORKLOAD CHUNK": one run
# of $zcbench under strace into $tmp/trace, its result $tmp/r.json. Returns 1
# when zcbench failed (said); exits 77 when the eBPF probe did not run.
probes_traced_run() {
	opts=$1 size=$2 cfg=$3
	# shellcheck disable=SC2086
	set -- $cfg
	# shellcheck disable=SC2086
	if ! strace $opts -o "$tmp/trace" "$zcbench" run --strategy "$1" --workload "$2" --chunk "$3" --size "$size" \
		--reps 1 --warmup 0 --cache-dir "$tmp/cache" --out "$tmp/r.json" >/dev/null 2>"$tmp/err"; then
		echo "$name: $cfg: zcbench failed:"; cat "$tmp/err"; fail=1; return 1
	fi
	st=$(jq -r .probes.ebpf.status "$tmp/r.json")
	if [ "$st" != ok ]; then
		echo "$name: skipped: eBPF $st: $(jq -r .probes.ebpf.reason "$tmp/r.json")"; exit 77
	fi
}

# probes_agree "STRATEGY WORKLOAD CHUNK" WHO: $tmp/strace.txt (WHO's
# account) and $tmp/ebpf.txt the same; said either way.
probes_agree() {
	if diff "$tmp/strace.txt" "$tmp/ebpf.txt" > "$tmp/diff"; then
		echo "$name: $1: agree: $(tr '\n' ' ' < "$tmp/ebpf.txt")"
	else
		echo "$name: $1: DISAGREE (< $2, > eBPF):"; cat "$tmp/diff"; fail=1
	fi
}
