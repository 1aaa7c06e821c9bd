#!/usr/bin/env bash
# What ci/kernels needs beyond ci/setup.sh (run as root on Debian 12):
# qemu to boot the kernels, busybox-static for the initramfs's /init and
# tools, cpio to pack it. Installs only the packages that are missing.
# The static zcbench needs libbpf-dev, libelf-dev, zlib1g-dev and
# libjansson-dev, which ci/setup.sh installs (they ship the .a archives).
# Usage: bash ci/setup-kernels.sh
set -euo pipefail

packages=(qemu-system-x86 busybox-static cpio)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup-kernels: missing packages (${missing[*]}); run as root to install them" >&2
    exit 2
  fi
  echo "setup-kernels: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# ci/kernels finds the kernels with apt-cache search: the package lists must exist.
if [[ -z $(apt-cache search --names-only '^linux-image-[0-9.]+-[0-9]+-amd64$' 2>/dev/null | head -n 1) ]]; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq
  else
    echo "setup-kernels: apt's package lists are empty; run apt-get update as root" >&2
    exit 2
  fi
fi
