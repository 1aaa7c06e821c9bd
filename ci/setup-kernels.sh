#!/usr/bin/env bash
# What ci/kernels needs beyond ci/setup.sh (run as root on Debian 12):
# qemu to boot the kernels, busybox-static for the initramfs's /init and
# tools, cpio to pack it. Installs only the packages that are missing.
# The static zcbench needs libbpf-dev, libelf-dev, zlib1g-dev and
# libjansson-dev, which ci/setup.sh installs (they ship the .a archives).
# Usage: bash ci/setup-kernels.sh
set -euo pipefail

packages=(qemu-system-x86 busybox-static cpio debian-archive-keyring)

# shellcheck source=ci/install-missing.sh
. "$(dirname "$0")/install-missing.sh"
install_missing setup-kernels "${packages[@]}"
# The kernels themselves come through ci/kernels-fetch.sh's private apt
# configuration (build-kernels/apt): the system's package lists are not needed.
