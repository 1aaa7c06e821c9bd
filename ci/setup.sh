#!/usr/bin/env bash
# One-step set-up on Debian 12 (run as root): install the Debian packages zcbench
# needs (only those missing, so a second run is quick), then configure and build
# with CMake in ./build (Release, -Wall -Wextra -Werror).
# Usage: bash ci/setup.sh [BUILD_DIR]
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}

packages=(
  build-essential cmake pkg-config clang llvm
  libbpf-dev bpftool libelf-dev zlib1g-dev
  libjansson-dev liburing-dev libssl-dev
  gnuplot-nox hyperfine iperf3 jq strace procps iproute2
  chromium  # tests/test_report_browser.c: the report in a real browser, headless
)

# shellcheck source=ci/install-missing.sh
. "$here/ci/install-missing.sh"
install_missing setup "${packages[@]}"

# tp/ programs find tracepoint ids under tracefs; a fresh machine may not have it mounted.
if [[ $(id -u) -eq 0 && ! -e /sys/kernel/tracing/events ]]; then
  mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
fi

# qemu, busybox-static and cpio for ci/kernels, which the tests run against
# a Debian kernel under emulation.
bash "$here/ci/setup-kernels.sh"

cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" >&2
