#!/usr/bin/env bash
# What ci/kernels needs beyond ci/setup.sh (run as root on Debian 12):
# qemu to boot the kernels, busybox-static for the initramfs's /init and
# tools, cpio to pack it. Installs only the packages that are missing.
# The static zcbench needs libbpf-dev, libelf-dev, zlib1g-dev and
# libjansson-dev, which ci/setup.sh installs (they ship the .a archives).
# Usage: bash ci/setup-kernels.sh
set -euo pipefail

packages=(qemu-system-x86 busybox-static cpio)

# shellcheck source=ci/install-missing.sh
. "$(dirname "$0")/install-missing.sh"
install_missing setup-kernels "${packages[@]}"
# ci/kernels finds the kernels with apt-cache search: the package lists must exist.
if [[ -z $(apt-cache search --names-only '^linux-image-[0-9.]+-[0-9]+-amd64$' 2>/dev/null | head -n 1) ]]; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq
  else
    echo "setup-kernels: apt's package lists are empty; run apt-get update as root" >&2
    exit 2
  fi
fi
