#!/bin/sh
# Kernel TLS for real (issue 16): ci/kernels boots Debian's 6.12 kernel under
# qemu with tls.ko and its crypto modules loaded from the initramfs
# (ci/kernels-modules.sh) and runs sendfile, splice, readwrite and mmap over
# TLS_TX on file-tcp, every byte decrypted and checked by the peer. Checked
# here: every cell ran (not skipped) in kernel mode, its payload exact, its
# wire bytes exactly the payload plus 22 per full 16 KiB record (sendfile and
# write hand the kernel 64 KiB per call: four whole records), the syscall
# counts those of plain TCP (the encryption is the kernel's, not a call of
# its own) and TLS_TX_ZEROCOPY_RO recorded. Skipped (77) as
# test_compare_kernels is: ZC_SKIP_KERNELS=1, not root, qemu, cpio or
# busybox-static missing.
# Usage: ktls_guest.sh SOURCE_DIR BUILD_DIR
set -eu
src=$1 build=$2
if [ "${ZC_SKIP_KERNELS:-}" = 1 ]; then echo "skipped: ZC_SKIP_KERNELS=1"; exit 77; fi
if [ "$(id -u)" != 0 ]; then echo "skipped: ci/kernels needs root"; exit 77; fi
if ! command -v qemu-system-x86_64 >/dev/null || ! command -v cpio >/dev/null ||
  ! file -L /bin/busybox 2>/dev/null | grep -q 'statically linked'; then
  echo "skipped: qemu-system-x86_64, cpio or busybox-static missing (bash ci/setup-kernels.sh)"
  exit 77
fi
out=$build/ktls-guest/out
rm -rf "$out"
size=4194304 chunk=65536
# The static build is test_compare_kernels' (the same directory; ctest runs
# the two one after the other: RESOURCE_LOCK).
bash "$src/ci/kernels" --kernels 6.12 --no-compare --out "$out" --build "$build/kernels-test/static" \
  --profile "--strategy sendfile,splice,readwrite,mmap --workload file-tcp --ktls --size 4M --chunk 64K --reps 1 --warmup 0 --verify all" ||
  echo "ci/kernels exited $? (a failed cell, or no result): checking what there is" >&2
json=$(ls "$out"/6.12*.json 2>/dev/null || true)
[ -n "$json" ] || { echo "FAILED: no result from the 6.12 guest" >&2; exit 1; }
fail=0
check() { # description, jq expression that must be true
  if ! jq -e "$2" "$json" >/dev/null; then
    echo "FAILED: $1 ($2)" >&2
    fail=1
  fi
}
check "the TLS modules were packed" '.vm.modules_packed | index("tls") != null'
check "four cells" '.results | length == 4'
check "every cell ran over kernel TLS" '[.results[] | select(.status == "ok" and .tls.mode == "kernel")] | length == 4'
check "every byte verified" "[.results[].runs[] | select(.verified and .bytes == $size)] | length == 4"
records=$((size / 16384))
check "wire bytes: payload + 22 per 16 KiB record" \
  "[.results[].runs[] | select(.wire_bytes == $size + $records * 22)] | length == 4"
check "TLS_TX_ZEROCOPY_RO recorded" '[.results[] | select(.tls.tx_zerocopy_ro | type == "boolean")] | length == 4'
n=$((size / chunk))
check "sendfile: n+1 calls, the payload in the kernel" \
  ".results[] | select(.strategy == \"sendfile\") | .runs[0].counters | .syscalls.sendfile == $n + 1 and .bytes.in_kernel == $size"
check "readwrite: n+1 reads, n writes, the payload to and from user" \
  ".results[] | select(.strategy == \"readwrite\") | .runs[0].counters | .syscalls.read == $n + 1 and .syscalls.write == $n and .bytes.to_user == $size and .bytes.from_user == $size"
check "splice: 2n+1 calls" \
  ".results[] | select(.strategy == \"splice\") | .runs[0].counters | .syscalls.splice == 2 * $n + 1"
if [ $fail != 0 ]; then
  jq -c '.results[] | {strategy, status, reason, tls, runs: [.runs[] | {bytes, wire_bytes, verified}]}' "$json" >&2
  exit 1
fi
echo "ktls guest: 4 cells over kernel TLS on $(jq -r .host.kernel_release "$json"), verified, exact counts"
