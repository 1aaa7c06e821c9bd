// SPDX-License-Identifier: GPL-2.0
/* zcbench's eBPF probes: syscall counts, bytes across the user/kernel boundary,
 * per-syscall latency and context switches of ONE process (zc_tgid), counted
 * only while its window is open (zc_enabled).
 *
 * The subject opens and closes its window by storing to zc_enabled through
 * the mmapped .data.ctl map: no syscall, so nothing of the harness's own is
 * counted. A syscall counts only when both its entry and its exit fall inside
 * the window: the entry records its timestamp only while the window is open
 * (in its CPU's slot, moved to a per-thread record if the thread switches out
 * before the exit), the exit counts only while the window is still open and
 * a record exists.
 *
 * Each program comes twice: tp_btf (preferred) and raw_tp (fallback for
 * kernels that refuse tp_btf); user space loads one set. Neither needs tracefs. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "zc_bpf_shared.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by user space before load (frozen afterwards): per syscall number, its
 * byte class (ZC_CLASS_*) and its latency histogram slot + 1 (0: none). */
const volatile __u8 zc_sys_class[ZC_NSYS] = {};
const volatile __u8 zc_sys_hist[ZC_NSYS] = {};
const volatile __u8 zc_sys_trunc_arg[ZC_NSYS] = {};

/* Window control, in a map of its own so the counters' cache lines never
 * share a line with what every syscall on every CPU reads. */
volatile __u32 zc_enabled SEC(".data.ctl") = 0;
volatile __u32 zc_tgid SEC(".data.ctl") = 0;
/* Written by the subject before its window (plain stores): its stream
 * threads and its own helper threads; every other thread of zc_tgid is a
 * kernel worker (io_uring). zc_stream_tids[0] == 0: none registered, every
 * thread counts as a stream. zc_stream_switches[i] counts stream i's
 * switch-outs, read by the subject without a syscall (the cache-pollution
 * probe drops walks that a switch interrupted). */
volatile __u32 zc_stream_tids[ZC_MAX_TIDS] SEC(".data.ctl");
volatile __u32 zc_harness_tids[ZC_MAX_HARNESS] SEC(".data.ctl");
volatile __u64 zc_stream_switches[ZC_MAX_TIDS] SEC(".data.ctl");

/* Per CPU: the subject's syscall in progress on this CPU, and the counters,
 * summed over CPUs by user space and zeroed by it before each window. One CPU
 * only ever touches its own copy, with preemption off and no nesting of these
 * programs, so plain increments are exact and no atomic is needed. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct zc_cpu);
} zc_percpu SEC(".maps");

/* Per thread of the subject, while it is off CPU: the syscall it was in (moved
 * here from its CPU's slot when it switched out) and when it left. */
struct zc_thread {
	__u64 sys_ts; /* entry time of the syscall in progress, 0: none */
	__u64 off_ts; /* switch-out time while off CPU, 0: none */
	__u32 nr;
	__u32 pad;
	__u64 sys_off; /* off-CPU time during the syscall in progress */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct zc_thread);
} zc_threads SEC(".maps");

static __always_inline struct zc_cpu *this_cpu(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&zc_percpu, &zero);
}

static __always_inline __u32 log2_32(__u32 v)
{
	__u32 shift, r;
	r = (v > 0xFFFF) << 4;
	v >>= r;
	shift = (v > 0xFF) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xF) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	r |= (v >> 1);
	return r;
}

static __always_inline __u32 log2_64(__u64 v)
{
	__u32 hi = v >> 32;
	return hi ? log2_32(hi) + 32 : log2_32((__u32)v);
}

/* ZC_THR_* of a thread of zc_tgid; *idx: its stream index (streams only). */
static __always_inline __u64 thread_class(__u32 tid, __u64 *idx)
{
	if (!zc_stream_tids[0])
		return ZC_THR_STREAM;
	for (__u64 i = 0; i < ZC_MAX_TIDS; i++) {
		__u32 t = zc_stream_tids[i];
		if (!t)
			break;
		if (t == tid) {
			*idx = i;
			return ZC_THR_STREAM;
		}
	}
	for (__u64 i = 0; i < ZC_MAX_HARNESS; i++)
		if (zc_harness_tids[i] == tid)
			return ZC_THR_HARNESS;
	return ZC_THR_WORKER;
}

static __always_inline struct zc_thread *thread_of(struct zc_cpu *c, __u32 tid)
{
	struct zc_thread *t = bpf_map_lookup_elem(&zc_threads, &tid);
	if (t)
		return t;
	struct zc_thread zero = {};
	bpf_map_update_elem(&zc_threads, &tid, &zero, BPF_NOEXIST);
	t = bpf_map_lookup_elem(&zc_threads, &tid);
	if (!t)
		c->lost++;
	return t;
}

/* Whether the receive call entering with these registers asked for
 * MSG_TRUNC (x86_64: the third argument in dx, the fourth in r10). */
static __always_inline bool wants_trunc(struct pt_regs *regs, __u32 nr)
{
	__u8 arg = zc_sys_trunc_arg[nr];
	long flags = 0;
	if (arg == 3)
		flags = BPF_CORE_READ(regs, dx);
	else if (arg == 4)
		flags = BPF_CORE_READ(regs, r10);
	return flags & ZC_MSG_TRUNC;
}

static __always_inline int on_sys_enter(struct pt_regs *regs, long id)
{
	if (!zc_enabled)
		return 0;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if ((__u32)(pid_tgid >> 32) != zc_tgid)
		return 0;
	struct zc_cpu *c = this_cpu();
	if (!c)
		return 0;
	__u64 idx = 0;
	if (thread_class((__u32)pid_tgid, &idx) != ZC_THR_STREAM) {
		c->harness_sys++; /* only io_uring workers never enter syscalls */
		return 0;
	}
	/* Any record here belonged to a thread that has since switched out,
	 * which moved it to zc_threads: the slot is free. */
	c->tid = (__u32)pid_tgid;
	__u32 nr = (id >= 0 && id < ZC_NSYS) ? (__u32)id : ZC_NSYS;
	if (nr < ZC_NSYS && wants_trunc(regs, nr))
		nr |= ZC_NR_TRUNC;
	c->nr = nr;
	c->sys_ts = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_sys_exit(long ret)
{
	if (!zc_enabled)
		return 0;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if ((__u32)(pid_tgid >> 32) != zc_tgid)
		return 0;
	__u32 tid = (__u32)pid_tgid;
	struct zc_cpu *c = this_cpu();
	if (!c)
		return 0;
	__u64 ts, off = 0;
	__u32 nr;
	if (c->sys_ts && c->tid == tid) {
		/* The usual case: entered on this CPU and never switched out. */
		ts = c->sys_ts;
		nr = c->nr;
		c->sys_ts = 0;
	} else {
		struct zc_thread *t = bpf_map_lookup_elem(&zc_threads, &tid);
		if (!t || !t->sys_ts)
			return 0; /* entered before the window opened */
		ts = t->sys_ts;
		nr = t->nr;
		off = t->sys_off;
		t->sys_ts = 0;
		t->sys_off = 0;
	}
	__u64 dur = bpf_ktime_get_ns() - ts;
	c->sys_kernel_ns += dur > off ? dur - off : 0;
	bool trunc = nr & ZC_NR_TRUNC;
	nr &= ~ZC_NR_TRUNC;
	if (nr >= ZC_NSYS) {
		c->sys_count[ZC_NSYS]++;
		return 0;
	}
	c->sys_count[nr]++;
	__u8 cls = zc_sys_class[nr];
	if (ret > 0 && !trunc && cls >= ZC_CLASS_TO_USER && cls < ZC_NCLASS)
		c->bytes[cls] += (__u64)ret;
	__u32 h = zc_sys_hist[nr];
	if (h) {
		/* 64-bit, so the bounds check and the access use one register:
		 * with a 32-bit index clang checks a zero-extended copy and
		 * indexes with the original, which 6.1's verifier rejects
		 * ("unbounded memory access"). */
		__u64 b = log2_64(dur);
		if (b >= ZC_NBUCKETS)
			b = ZC_NBUCKETS - 1;
		/* The mask keeps the verifier sure of the bound (ZC_NHIST is a power of 2). */
		__u64 slot = (h - 1) & (ZC_NHIST - 1);
		c->hist[slot][b]++;
	}
	return 0;
}

/* prev_state is the state prev had when it entered __schedule: a task that
 * was not preempted and not runnable went to sleep (voluntary, the kernel's
 * nvcsw); anything else is involuntary (nivcsw). A syscall in progress moves
 * from the CPU's slot to the thread's record, to be found wherever it ends. */
static __always_inline int on_switch(bool preempt, __u32 prev_tgid, __u32 prev_tid, __u32 next_tgid, __u32 next_tid,
				     unsigned int prev_state)
{
	__u32 target = zc_tgid;
	if (prev_tgid != target && next_tgid != target)
		return 0;
	struct zc_cpu *c = this_cpu();
	if (!c)
		return 0;
	__u64 now = bpf_ktime_get_ns();
	if (prev_tgid == target) {
		__u64 vol = (!preempt && prev_state != 0) ? ZC_CSW_VOLUNTARY : ZC_CSW_INVOLUNTARY;
		c->csw[vol]++;
		__u64 idx = ZC_MAX_TIDS;
		__u64 cls = thread_class(prev_tid, &idx) & (ZC_NTHR - 1);
		c->thr_csw[cls][vol & 1]++;
		if (idx < ZC_MAX_TIDS)
			zc_stream_switches[idx]++;
		struct zc_thread *t = thread_of(c, prev_tid);
		if (t) {
			t->off_ts = now;
			if (c->sys_ts && c->tid == prev_tid) {
				t->sys_ts = c->sys_ts;
				t->nr = c->nr;
				t->sys_off = 0;
			}
		}
		c->sys_ts = 0;
	}
	if (next_tgid == target) {
		struct zc_thread *t = bpf_map_lookup_elem(&zc_threads, &next_tid);
		if (t && t->off_ts) {
			__u64 off = now - t->off_ts;
			__u64 idx = 0;
			c->off_cpu_ns += off;
			c->thr_off_cpu_ns[thread_class(next_tid, &idx) & (ZC_NTHR - 1)] += off;
			if (t->sys_ts)
				t->sys_off += off;
			t->off_ts = 0;
		}
	}
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(zc_enter_btf, struct pt_regs *regs, long id)
{
	return on_sys_enter(regs, id);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(zc_exit_btf, struct pt_regs *regs, long ret)
{
	return on_sys_exit(ret);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(zc_switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state)
{
	if (!zc_enabled)
		return 0;
	return on_switch(preempt, prev->tgid, prev->pid, next->tgid, next->pid, prev_state);
}

/* Before 5.18 sched_switch has no prev_state argument (user space picks
 * these programs when the kernel's BTF says so): the state is read from prev,
 * as those kernels' own tracepoint did. task_struct::state became __state in
 * 5.14; the local flavours let CO-RE pick whichever the kernel has. */
struct task_struct___state_new {
	unsigned int __state;
} __attribute__((preserve_access_index));
struct task_struct___state_old {
	long state;
} __attribute__((preserve_access_index));

static __always_inline unsigned int task_state(struct task_struct *t)
{
	struct task_struct___state_new *n = (void *)t;
	if (bpf_core_field_exists(n->__state))
		return BPF_CORE_READ(n, __state);
	return (unsigned int)BPF_CORE_READ((struct task_struct___state_old *)t, state);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(zc_switch_nostate_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	if (!zc_enabled)
		return 0;
	return on_switch(preempt, prev->tgid, prev->pid, next->tgid, next->pid, task_state(prev));
}

SEC("raw_tp/sys_enter")
int BPF_PROG(zc_enter_raw, struct pt_regs *regs, long id)
{
	return on_sys_enter(regs, id);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(zc_exit_raw, struct pt_regs *regs, long ret)
{
	return on_sys_exit(ret);
}

SEC("raw_tp/sched_switch")
int BPF_PROG(zc_switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state)
{
	if (!zc_enabled)
		return 0;
	return on_switch(preempt, BPF_CORE_READ(prev, tgid), BPF_CORE_READ(prev, pid), BPF_CORE_READ(next, tgid),
			 BPF_CORE_READ(next, pid), prev_state);
}

SEC("raw_tp/sched_switch")
int BPF_PROG(zc_switch_nostate_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	if (!zc_enabled)
		return 0;
	return on_switch(preempt, BPF_CORE_READ(prev, tgid), BPF_CORE_READ(prev, pid), BPF_CORE_READ(next, tgid),
			 BPF_CORE_READ(next, pid), task_state(prev));
}
