#!/bin/sh
# Writes vmlinux.h for the eBPF build: dumped from the running kernel's BTF
# when bpftool can read it, else the checked-in minimal fallback.
# Usage: gen_vmlinux.sh BPFTOOL BTF_FILE FALLBACK_HEADER OUTPUT
set -u
bpftool=$1 btf=$2 fallback=$3 out=$4
if [ -r "$btf" ] && "$bpftool" btf dump file "$btf" format c > "$out.tmp" 2>/dev/null && [ -s "$out.tmp" ]; then
	mv -f "$out.tmp" "$out"
	echo "vmlinux.h: generated from $btf"
else
	rm -f "$out.tmp"
	cp -f "$fallback" "$out" || exit 1
	echo "vmlinux.h: $btf not readable, using $(basename "$fallback")"
fi
