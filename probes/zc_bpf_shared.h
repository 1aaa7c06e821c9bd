/* Constants shared by the eBPF programs (zc.bpf.c) and user space (probes.c). */
#ifndef ZC_BPF_SHARED_H
#define ZC_BPF_SHARED_H

/* Syscall numbers below this are counted by number; the rest (x32, unknown)
 * in one extra slot, ZC_NSYS, reported as "other". */
#define ZC_NSYS 512

/* Byte classes of a syscall's positive return value (zc_sys_class). */
#define ZC_CLASS_NONE	   0
#define ZC_CLASS_TO_USER   1 /* kernel -> user memory: read, recvmsg, ... */
#define ZC_CLASS_FROM_USER 2 /* user memory -> kernel: write, sendmsg, vmsplice, ... */
#define ZC_CLASS_IN_KERNEL 3 /* kernel -> kernel: sendfile, splice, tee, copy_file_range */
#define ZC_CLASS_PINNED	   4 /* user memory referenced, not copied: vmsplice into a pipe */
#define ZC_NCLASS	   5

/* zc_sys_trunc_arg: which argument of a receive call holds its flags (3 for
 * recvmsg, 4 for recvfrom; 0: none). With MSG_TRUNC a TCP receive discards
 * the bytes it returns instead of copying them, so they are not to_user. The
 * syscall in progress carries ZC_NR_TRUNC in its number. */
#define ZC_MSG_TRUNC 0x20
#define ZC_NR_TRUNC  0x80000000u

/* Thread classes of the subject (zc_cpu.thr_*): the stream threads the
 * subject registered (zc_stream_tids), the harness's own threads it
 * registered (zc_harness_tids), and every other thread of the process: the
 * kernel's io_uring workers (iou-wrk-*, iou-sqp-*), which the harness never
 * starts. Only stream threads' syscalls are counted by number. */
#define ZC_THR_STREAM  0
#define ZC_THR_WORKER  1
#define ZC_THR_HARNESS 2
#define ZC_NTHR	       4 /* a power of 2, for the verifier's bound */
#define ZC_MAX_TIDS    64
#define ZC_MAX_HARNESS 4

/* Latency histograms: ZC_NHIST syscalls get one (zc_sys_hist holds slot + 1),
 * each with ZC_NBUCKETS log2 buckets: bucket i counts latencies in
 * [2^i, 2^(i+1)) ns, bucket 0 also 0 ns, the last one everything above. */
#define ZC_NHIST    32 /* a power of 2 */
#define ZC_NBUCKETS 40

/* Context-switch counters. */
#define ZC_CSW_VOLUNTARY   0
#define ZC_CSW_INVOLUNTARY 1

/* The per-CPU value of the zc_percpu map: this CPU's slot for the subject's
 * syscall in progress, and this CPU's counters. */
#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif
struct zc_cpu {
	__u64 sys_ts; /* entry time of the syscall in progress, 0: none */
	__u32 tid;    /* the thread that entered it */
	__u32 nr;
	__u64 sys_count[ZC_NSYS + 1]; /* [ZC_NSYS]: "other" */
	__u64 bytes[ZC_NCLASS];	      /* indexed by ZC_CLASS_* (0 unused) */
	__u64 csw[2];		      /* ZC_CSW_VOLUNTARY, ZC_CSW_INVOLUNTARY */
	__u64 off_cpu_ns;
	__u64 lost; /* events dropped because the thread map was full */
	__u64 hist[ZC_NHIST][ZC_NBUCKETS];
	/* Per thread class (ZC_THR_*): switches and off-CPU time. csw and
	 * off_cpu_ns above are their sums over every class. */
	__u64 thr_csw[ZC_NTHR][2];
	__u64 thr_off_cpu_ns[ZC_NTHR];
	__u64 sys_kernel_ns; /* stream threads: time inside counted syscalls, on CPU */
	__u64 harness_sys;   /* syscalls the harness's own threads entered in the window */
};

#endif
