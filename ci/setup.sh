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
  libjansson-dev liburing-dev
  gnuplot-nox hyperfine iperf3 jq strace procps iproute2
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing packages (${missing[*]}); run as root to install them" >&2
    exit 2
  fi
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# tp/ programs find tracepoint ids under tracefs; a fresh machine may not have it mounted.
if [[ $(id -u) -eq 0 && ! -e /sys/kernel/tracing/events ]]; then
  mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
fi

# qemu, busybox-static and cpio for ci/kernels, which the tests run against
# a Debian kernel under emulation.
bash "$here/ci/setup-kernels.sh"

cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" >&2
