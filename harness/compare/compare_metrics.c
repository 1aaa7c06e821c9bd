/* The metrics compare knows, and their per-run samples. */
#include <stdio.h>
#include <string.h>

#include "compare.h"

#define GIB 1073741824.0

static const struct zc_metric builtin[] = {
	{"throughput", ZC_SRC_THROUGHPUT, ZC_METRIC_TIMING, true, false, ""},
	{"cpu_ns_per_gib", ZC_SRC_CPU, ZC_METRIC_TIMING, false, false, ""},
	{"user_ns_per_gib", ZC_SRC_USER, ZC_METRIC_TIMING, false, false, ""},
	{"sys_ns_per_gib", ZC_SRC_SYS, ZC_METRIC_TIMING, false, false, ""},
	{"syscalls_per_gib", ZC_SRC_SYSCALLS, ZC_METRIC_COUNT, false, true, ""},
	{"context_switches_per_gib", ZC_SRC_CSW, ZC_METRIC_COUNT, false, true, ""},
	{"bytes_to_user_per_gib", ZC_SRC_TO_USER, ZC_METRIC_COUNT, false, true, ""},
	{"bytes_from_user_per_gib", ZC_SRC_FROM_USER, ZC_METRIC_COUNT, false, true, ""},
	{"bytes_in_kernel_per_gib", ZC_SRC_IN_KERNEL, ZC_METRIC_COUNT, false, true, ""},
	{"bytes_pinned_from_user_per_gib", ZC_SRC_PINNED, ZC_METRIC_COUNT, false, true, ""},
	{"bytes_mapped_to_user_per_gib", ZC_SRC_MAPPED, ZC_METRIC_COUNT, false, true, ""},
	{"off_cpu_ns_per_gib", ZC_SRC_OFF_CPU, ZC_METRIC_TIMING, false, true, ""},
};
#define NBUILTIN (sizeof builtin / sizeof builtin[0])

static const char *const default_names[] = {
	"throughput",
	"cpu_ns_per_gib",
	"syscalls_per_gib",
	"context_switches_per_gib",
	"bytes_to_user_per_gib",
	"bytes_from_user_per_gib",
	"bytes_in_kernel_per_gib",
};

/* perf counters that measure time, not events. */
static const char *const perf_timing[] = {"cycles", "ref_cycles", "task_clock", "cpu_clock", "bus_cycles"};

const char *zc_metric_valid_names(void)
{
	return "throughput, cpu_ns_per_gib, user_ns_per_gib, sys_ns_per_gib, syscalls_per_gib, "
	       "context_switches_per_gib, bytes_to_user_per_gib, bytes_from_user_per_gib, bytes_in_kernel_per_gib, "
	       "bytes_pinned_from_user_per_gib, bytes_mapped_to_user_per_gib, off_cpu_ns_per_gib, perf.NAME (a perf "
	       "counter per GiB, e.g. "
	       "perf.instructions), all";
}

int zc_metric_parse(const char *name, struct zc_metric *m)
{
	for (size_t i = 0; i < NBUILTIN; i++)
		if (strcmp(name, builtin[i].name) == 0) {
			*m = builtin[i];
			return 0;
		}
	if (strncmp(name, "perf.", 5) == 0) {
		const char *p = name + 5;
		size_t len = strlen(p);
		if (len == 0 || len >= sizeof m->perf_name)
			return -1;
		for (const char *c = p; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
				return -1;
		memset(m, 0, sizeof *m);
		snprintf(m->name, sizeof m->name, "%s", name);
		snprintf(m->perf_name, sizeof m->perf_name, "%s", p);
		m->src = ZC_SRC_PERF;
		m->probe = true;
		m->higher_is_better = false;
		m->kind = ZC_METRIC_COUNT;
		for (size_t i = 0; i < sizeof perf_timing / sizeof perf_timing[0]; i++)
			if (strcmp(p, perf_timing[i]) == 0)
				m->kind = ZC_METRIC_TIMING;
		return 0;
	}
	return -1;
}

size_t zc_metric_defaults(struct zc_metric *out)
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof default_names / sizeof default_names[0]; i++)
		if (zc_metric_parse(default_names[i], &out[n]) == 0)
			n++;
	return n;
}

size_t zc_metric_all(struct zc_metric *out)
{
	for (size_t i = 0; i < NBUILTIN; i++)
		out[i] = builtin[i];
	return NBUILTIN;
}

/* A JSON number as a double; -1 when x is not a non-negative number. */
static double num(const json_t *x)
{
	if (!json_is_number(x))
		return -1;
	double v = json_number_value(x);
	return v >= 0 ? v : -1;
}

static double counter(const json_t *run, const char *k1, const char *k2)
{
	const json_t *x = json_object_get(json_object_get(run, "counters"), k1);
	if (k2)
		x = json_object_get(x, k2);
	return num(x);
}

/* The metric's figure for one run, or -1 when it was not measured. */
static double run_value(const json_t *run, const struct zc_metric *m)
{
	double bytes = num(json_object_get(run, "bytes"));
	if (!(bytes > 0))
		return -1;
	double x = -1;
	switch (m->src) {
	case ZC_SRC_THROUGHPUT: {
		double ns = num(json_object_get(run, "elapsed_ns"));
		return ns > 0 ? bytes * 1e9 / ns : -1;
	}
	case ZC_SRC_CPU: {
		double u = num(json_object_get(run, "user_ns")), s = num(json_object_get(run, "sys_ns"));
		x = u < 0 || s < 0 ? -1 : u + s;
		break;
	}
	case ZC_SRC_USER:
		x = num(json_object_get(run, "user_ns"));
		break;
	case ZC_SRC_SYS:
		x = num(json_object_get(run, "sys_ns"));
		break;
	case ZC_SRC_SYSCALLS:
		x = counter(run, "syscalls_total", NULL);
		break;
	case ZC_SRC_CSW: {
		double v = counter(run, "context_switches", "voluntary");
		double i = counter(run, "context_switches", "involuntary");
		x = v < 0 || i < 0 ? -1 : v + i;
		break;
	}
	case ZC_SRC_OFF_CPU:
		x = counter(run, "off_cpu_ns", NULL);
		break;
	case ZC_SRC_TO_USER:
		x = counter(run, "bytes", "to_user");
		break;
	case ZC_SRC_FROM_USER:
		x = counter(run, "bytes", "from_user");
		break;
	case ZC_SRC_IN_KERNEL:
		x = counter(run, "bytes", "in_kernel");
		break;
	case ZC_SRC_PINNED:
		x = counter(run, "bytes", "pinned_from_user");
		break;
	case ZC_SRC_MAPPED:
		x = counter(run, "bytes", "mapped_to_user");
		break;
	case ZC_SRC_PERF: {
		const json_t *c =
			json_object_get(json_object_get(json_object_get(run, "counters"), "perf"), m->perf_name);
		const char *st = json_string_value(json_object_get(c, "status"));
		if (!st || strcmp(st, "ok") != 0)
			return -1;
		x = num(json_object_get(c, "value"));
		break;
	}
	}
	return x < 0 ? -1 : x * GIB / bytes;
}

long zc_metric_samples_indexed(const json_t *cell, const struct zc_metric *m, double *out, long *index)
{
	const json_t *runs = json_object_get(cell, "runs");
	long n = 0;
	for (size_t i = 0; i < json_array_size(runs); i++) {
		const json_t *run = json_array_get(runs, i);
		if (!json_is_object(run) || json_is_true(json_object_get(run, "warmup")))
			continue;
		double v = run_value(run, m);
		if (v < 0)
			return -1;
		if (index) {
			const json_t *ix = json_object_get(run, "index");
			index[n] = json_is_integer(ix) ? (long)json_integer_value(ix) : -1;
		}
		out[n++] = v;
	}
	return n;
}

long zc_metric_samples(const json_t *cell, const struct zc_metric *m, double *out)
{
	return zc_metric_samples_indexed(cell, m, out, NULL);
}

/* Syscalls whose number per run follows timing rather than the transfer:
 * io_uring_enter reaps whatever completed by then; the waits (futex, poll,
 * select, epoll) return when something happened; clock_gettime and its kin
 * are vDSO calls or real syscalls depending on the clock source (qemu's TCG
 * makes the TSC unstable); sleeps and sched_yield are back-off; receives
 * return what has arrived (MSG_ZEROCOPY's completions come in batches of
 * any size); splice, tee and vmsplice loop on a pipe or socket that takes or
 * gives what fits at that moment. */
static const char *const timing_syscalls[] = {
	"io_uring_enter",  "futex",	   "poll",	    "ppoll",	    "select", "pselect6",  "epoll_wait",
	"epoll_pwait",	   "epoll_pwait2", "clock_gettime", "gettimeofday", "time",   "nanosleep", "clock_nanosleep",
	"sched_yield",	   "recvmsg",	   "recvfrom",	    "recvmmsg",	    "splice", "tee",	   "vmsplice",
	"restart_syscall",
};

const char *zc_timing_syscalls(void)
{
	return "io_uring_enter, futex, poll, ppoll, select, pselect6, epoll_wait, epoll_pwait, epoll_pwait2, "
	       "clock_gettime, gettimeofday, time, nanosleep, clock_nanosleep, sched_yield, recvmsg, recvfrom, "
	       "recvmmsg, splice, tee, vmsplice, restart_syscall";
}

bool zc_metric_is_bytes(const struct zc_metric *m)
{
	return m->src == ZC_SRC_TO_USER || m->src == ZC_SRC_FROM_USER || m->src == ZC_SRC_IN_KERNEL ||
	       m->src == ZC_SRC_PINNED || m->src == ZC_SRC_MAPPED;
}

/* splice and its kin between two regular files go through a pipe only the
 * subject uses: it drains what it filled, so the count is fixed. */
static bool file_to_file(const char *workload)
{
	return workload && strcmp(workload, "file-file") == 0;
}

bool zc_metric_timing_dependent(const struct zc_metric *m, const json_t *cell, char *why, size_t why_len)
{
	if (why_len)
		why[0] = 0;
	if (m->kind == ZC_METRIC_TIMING || zc_metric_is_bytes(m))
		return false;
	if (m->src == ZC_SRC_CSW) {
		snprintf(why, why_len, "the scheduler decides context switches");
		return true;
	}
	if (m->src == ZC_SRC_PERF) {
		snprintf(why, why_len, "perf counts include interrupts, retries and waits");
		return true;
	}
	if (m->src != ZC_SRC_SYSCALLS)
		return false;
	const char *workload = json_string_value(json_object_get(cell, "workload"));
	/* The source end: a pipe or a socket gives what has arrived. */
	if (workload && (strncmp(workload, "pipe-", 5) == 0 || strncmp(workload, "tcp-", 4) == 0 ||
			 strncmp(workload, "unix-", 5) == 0)) {
		snprintf(why, why_len, "the subject reads from a pipe or socket (%s)", workload);
		return true;
	}
	const json_t *runs = json_object_get(cell, "runs");
	for (size_t i = 0; i < json_array_size(runs); i++) {
		const json_t *sc = json_object_get(json_object_get(json_array_get(runs, i), "counters"), "syscalls");
		for (size_t k = 0; k < sizeof timing_syscalls / sizeof timing_syscalls[0]; k++) {
			const json_t *v = json_object_get(sc, timing_syscalls[k]);
			if (!json_is_number(v) || json_number_value(v) <= 0)
				continue;
			if (file_to_file(workload) &&
			    (!strcmp(timing_syscalls[k], "splice") || !strcmp(timing_syscalls[k], "tee") ||
			     !strcmp(timing_syscalls[k], "vmsplice")))
				continue;
			snprintf(why, why_len, "%s calls depend on timing", timing_syscalls[k]);
			return true;
		}
	}
	return false;
}
