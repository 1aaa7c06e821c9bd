#!/usr/bin/env bash
# The kernel-TLS modules of an unpacked Debian kernel package, as an extra
# initramfs archive for ci/kernels: tls.ko and the crypto it needs for
# AES-128-GCM (gcm, ghash, gf128mul, crypto_null; ctr and aes are built in),
# and the accelerated versions where the guest CPU has them (aesni-intel,
# ghash-clmulni-intel with cryptd and crypto_simd). Decompressed here (the
# guest's busybox insmod reads plain .ko), numbered in load order under
# lib/zc-modules/; the guest's /init (ci/kernels-init.sh) insmods them all and
# says which loaded. The kernel unpacks concatenated initramfs archives one
# after the other, so ci/kernels appends this one to the common archive.
# Usage: ci/kernels-modules.sh PACKAGE_DIR OUT.cpio.gz
# Exit: 0 with OUT written (the module names on stdout); 3 when the package
# ships no tls module (nothing written); 1 when a module cannot be unpacked;
# 2 for usage.
set -euo pipefail
if [[ $# -ne 2 || ! -d $1 ]]; then
  echo "usage: ci/kernels-modules.sh PACKAGE_DIR OUT.cpio.gz" >&2
  exit 2
fi
pkg=$1 out=$2
tls=$(find "$pkg" -path '*/kernel/net/tls/tls.ko*' -print -quit 2>/dev/null || true)
[[ -n $tls ]] || exit 3
kernel=${tls%/net/tls/*}
# Load order: what each depends on first (modinfo's depends= of 6.12).
order=(crypto/crypto_null lib/crypto/gf128mul crypto/ghash-generic crypto/gcm crypto/cryptd crypto/crypto_simd
  arch/x86/crypto/aesni-intel arch/x86/crypto/ghash-clmulni-intel net/tls/tls)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/lib/zc-modules"
i=0
for m in "${order[@]}"; do
  f=$(ls "$kernel/$m".ko* 2>/dev/null | head -n 1 || true)
  [[ -n $f ]] || continue # built in, or not shipped
  i=$((i + 1))
  to=$tmp/lib/zc-modules/$(printf '%02d' "$i")-$(basename "$m").ko
  case $f in
  *.ko.xz) xz -dc "$f" >"$to" ;;
  *.ko.zst) zstd -qdc "$f" >"$to" ;;
  *.ko.gz) gzip -dc "$f" >"$to" ;;
  *.ko) cp "$f" "$to" ;;
  *) echo "kernels-modules: $f: unknown compression" >&2; exit 1 ;;
  esac || { echo "kernels-modules: cannot unpack $f" >&2; exit 1; }
  basename "$m"
done
(cd "$tmp" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$out"
