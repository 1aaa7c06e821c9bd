#!/bin/busybox sh
# shellcheck shell=dash
# /init of the initramfs that ci/kernels boots: busybox-static and a static
# zcbench, nothing else. Mounts what the probes need, runs zcbench on tmpfs,
# and sends the result file out on the second serial port (ttyS1, a file on
# the host) as gzip+base64 between markers, then powers off.
# The arguments for `zcbench all` are in /zcbench.args (one line).
/bin/busybox mkdir -p /bin /sbin /proc /sys /dev /tmp /run
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null ||
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# No block device in the guest: the cache directory and file sinks are tmpfs.
mount -t tmpfs -o size=75% tmpfs /tmp
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up

out=/dev/ttyS1
say() { echo "zcbench-guest: $*" > /dev/console; }
say "kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) cpus, accel ${zcbench_accel:-unknown}"
[ -e /sys/kernel/btf/vmlinux ] || say "no /sys/kernel/btf/vmlinux: eBPF probes will be unavailable"
[ -e /sys/kernel/tracing/events ] || say "no tracefs: tp/ programs will be unavailable"

# Kernel TLS modules, where ci/kernels packed them (ci/kernels-modules.sh), in
# load order; one that does not load (aesni-intel on a CPU without AES-NI)
# leaves the generic code to do the work.
if [ -d /lib/zc-modules ]; then
	loaded=""
	for m in /lib/zc-modules/*.ko; do
		insmod "$m" 2>/dev/null && loaded="$loaded ${m##*/}"
	done
	say "modules loaded:${loaded:- none}"
fi

# Set by ci/kernels on the kernel command line (zcbench_emulated=1 under TCG).
export ZCBENCH_EMULATED="${zcbench_emulated:-}"
mkdir -p /tmp/out /tmp/cache
cd /tmp || exit 1
start=$(cut -d' ' -f1 /proc/uptime)
# shellcheck disable=SC2046 # the arguments are words
/bin/zcbench all $(cat /zcbench.args) --out-dir /tmp/out --cache-dir /tmp/cache > /dev/console 2>&1
rc=$?
end=$(cut -d' ' -f1 /proc/uptime)
say "zcbench exited $rc after $start..$end s of uptime"

stty -F "$out" raw -echo 2>/dev/null
f=$(ls /tmp/out/*.json 2>/dev/null | head -n 1)
{
	echo "ZCBENCH-UPTIME $start $end"
	if [ -n "$f" ]; then
		echo "ZCBENCH-RESULT-BEGIN"
		gzip -c "$f" | base64
		echo "ZCBENCH-RESULT-END"
	fi
	echo "ZCBENCH-EXIT $rc"
} > "$out"
sync
poweroff -f || reboot -f
