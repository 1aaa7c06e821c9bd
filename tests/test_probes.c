/* The probes against ground truth: a child follows the harness's subject
 * protocol (subject_init, ready, go, window_begin, work, window_end, done)
 * and the counters the parent collects must match what the child did, exactly.
 * Needs root and working eBPF: exits 77 (skipped) otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../probes/probes.h"
#include "check.h"

#define SKIP 77
#define MIB  (1024 * 1024)

/* What the child reports after its window. */
struct report {
	int err;
	uint64_t calls; /* the calls it made inside the window */
	uint64_t moved; /* bytes they returned */
	long nvcsw, nivcsw;
	uint64_t main_cpu_ns; /* the main thread's CPU time around the window */
};

struct job {
	const char *name;
	void (*prepare)(struct job *j); /* child, before ready: open files */
	void (*outside)(struct job *j); /* child, before and after the window */
	void (*after)(struct job *j);	/* child, after the window and its getrusage */
	void (*work)(struct job *j, struct report *r);
	const char *src_path, *dst_path;
	int src, dst, pipe_r, pipe_w;
	char *pages;
	struct zc_probes *pr; /* for jobs that register their threads */
	size_t npages;
};

static void die_child(const char *what)
{
	fprintf(stderr, "child: %s: %s\n", what, strerror(errno));
	_exit(3);
}

static void full_write(int fd, const void *p, size_t n)
{
	if (write(fd, p, n) != (ssize_t)n)
		die_child("report write");
}

static int full_read(int fd, void *p, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, (char *)p + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/* One run of the protocol. Returns the collected counters (new ref) and
 * fills rep; NULL when the child failed. */
static json_t *run_child(struct zc_probes *pr, struct job *j, struct report *rep)
{
	int ready[2], go[2];
	if (pipe(ready) || pipe(go)) {
		perror("pipe");
		return NULL;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return NULL;
	}
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		if (j->prepare)
			j->prepare(j);
		zc_probes_subject_init(pr);
		full_write(ready[1], "r", 1);
		char g;
		if (full_read(go[0], &g, 1))
			_exit(0);
		if (j->outside)
			j->outside(j);
		struct report r = {0};
		struct rusage r0, r1;
		struct timespec c0, c1;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
		getrusage(RUSAGE_SELF, &r0);
		zc_probes_window_begin(pr);
		j->work(j, &r);
		zc_probes_window_end(pr);
		getrusage(RUSAGE_SELF, &r1);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
		r.main_cpu_ns = (uint64_t)((c1.tv_sec - c0.tv_sec) * 1000000000L + (c1.tv_nsec - c0.tv_nsec));
		if (j->after)
			j->after(j);
		if (j->outside)
			j->outside(j);
		r.nvcsw = r1.ru_nvcsw - r0.ru_nvcsw;
		r.nivcsw = r1.ru_nivcsw - r0.ru_nivcsw;
		full_write(ready[1], &r, sizeof r);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	json_t *c = NULL;
	char r;
	if (full_read(ready[0], &r, 1) == 0) {
		zc_probes_arm(pr, pid);
		if (write(go[1], "g", 1) == 1 && full_read(ready[0], rep, sizeof *rep) == 0)
			c = zc_probes_collect(pr, pid); /* as the harness: before reaping */
	}
	int st;
	waitpid(pid, &st, 0);
	close(ready[0]);
	close(go[1]);
	if (!c || !WIFEXITED(st) || WEXITSTATUS(st) != 0 || rep->err) {
		fprintf(stderr, "%s: child failed (status %d, err %s)\n", j->name, st, strerror(rep->err));
		json_decref(c);
		check_failures++;
		return NULL;
	}
	return c;
}

static uint64_t u(const json_t *c, const char *k1, const char *k2)
{
	const json_t *x = json_object_get(c, k1);
	if (k2)
		x = json_object_get(x, k2);
	if (!json_is_integer(x)) {
		fprintf(stderr, "counters.%s%s%s is not an integer\n", k1, k2 ? "." : "", k2 ? k2 : "");
		check_failures++;
		return UINT64_MAX;
	}
	return (uint64_t)json_integer_value(x);
}

static uint64_t bucket_sum(const json_t *c, const char *name)
{
	const json_t *b = json_object_get(json_object_get(json_object_get(c, "latency"), name), "log2_buckets");
	uint64_t s = 0;
	size_t i;
	const json_t *v;
	json_array_foreach(b, i, v) s += (uint64_t)json_integer_value(v);
	return s;
}

/* ---- the jobs ---- */

static char buf10[10] = "0123456789";

static void open_devnull(struct job *j)
{
	j->dst = open("/dev/null", O_WRONLY);
	if (j->dst < 0)
		die_child("open /dev/null");
}

static void work_1000_writes(struct job *j, struct report *r)
{
	for (int i = 0; i < 1000; i++) {
		ssize_t n = write(j->dst, buf10, sizeof buf10);
		if (n != (ssize_t)sizeof buf10) {
			r->err = errno ? errno : EIO;
			return;
		}
		r->calls++;
		r->moved += (uint64_t)n;
	}
}

/* Syscalls around the window that must not count. */
static void noise(struct job *j)
{
	char b[64];
	for (int i = 0; i < 50; i++)
		if (write(j->dst, buf10, sizeof buf10) < 0)
			die_child("noise write");
	for (int i = 0; i < 200; i++)
		syscall(SYS_getpid);
	int z = open("/dev/zero", O_RDONLY);
	if (z < 0 || read(z, b, sizeof b) != (ssize_t)sizeof b)
		die_child("noise read");
	close(z);
	struct timespec ts = {0, 100000};
	nanosleep(&ts, NULL);
}

static void open_files(struct job *j)
{
	j->src = open(j->src_path, O_RDONLY);
	j->dst = open(j->dst_path, O_WRONLY | O_TRUNC);
	if (j->src < 0 || j->dst < 0)
		die_child("open");
}

static void work_sendfile(struct job *j, struct report *r)
{
	for (;;) {
		ssize_t n = sendfile(j->dst, j->src, NULL, 256 * 1024);
		r->calls++;
		if (n < 0) {
			r->err = errno;
			return;
		}
		if (n == 0)
			return;
		r->moved += (uint64_t)n;
	}
}

static void open_files_and_pipe(struct job *j)
{
	open_files(j);
	int p[2];
	if (pipe(p))
		die_child("pipe");
	j->pipe_r = p[0];
	j->pipe_w = p[1];
}

static void work_splice(struct job *j, struct report *r)
{
	for (;;) {
		ssize_t n = splice(j->src, NULL, j->pipe_w, NULL, 64 * 1024, SPLICE_F_MOVE);
		r->calls++;
		if (n < 0) {
			r->err = errno;
			return;
		}
		if (n == 0)
			return;
		r->moved += (uint64_t)n; /* bytes moved, once */
		while (n > 0) {
			ssize_t m = splice(j->pipe_r, NULL, j->dst, NULL, (size_t)n, SPLICE_F_MOVE);
			r->calls++;
			if (m <= 0) {
				r->err = m < 0 ? errno : EIO;
				return;
			}
			n -= m;
		}
	}
}

static void work_sleeps(struct job *j, struct report *r)
{
	(void)j;
	for (int i = 0; i < 20; i++) {
		struct timespec ts = {0, 1000000};
		if (syscall(SYS_nanosleep, &ts, NULL) != 0) {
			r->err = errno;
			return;
		}
		r->calls++;
	}
}

/* A CPU hog on the child's CPU, so the child gets preempted. */
static void start_hog(struct job *j)
{
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_setaffinity(0, sizeof one, &one) != 0)
		die_child("sched_setaffinity");
	pid_t hog = fork();
	if (hog < 0)
		die_child("fork");
	if (hog == 0) {
		for (;;)
			__asm__ volatile("" ::: "memory");
	}
	j->src = hog;
}

static void stop_hog(struct job *j)
{
	if (j->src > 0) {
		kill(j->src, SIGKILL);
		waitpid(j->src, NULL, 0);
		j->src = 0;
	}
}

/* 100 ms of user-space spinning (the vDSO clock makes no syscall) next to
 * the hog, and 5 sleeps. */
static void work_contended(struct job *j, struct report *r)
{
	(void)j;
	for (int k = 0; k < 5; k++) {
		struct timespec t0, t;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do
			clock_gettime(CLOCK_MONOTONIC, &t);
		while ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 20000000L);
		struct timespec ts = {0, 1000000};
		if (syscall(SYS_nanosleep, &ts, NULL) != 0) {
			r->err = errno;
			return;
		}
		r->calls++;
	}
}

static void map_pages(struct job *j)
{
	j->npages = 256;
	j->pages = mmap(NULL, j->npages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (j->pages == MAP_FAILED)
		die_child("mmap");
}

static void work_touch(struct job *j, struct report *r)
{
	for (size_t i = 0; i < j->npages; i++)
		((volatile char *)j->pages)[i * 4096] = 1;
	r->calls = 0;
}

/* Two threads write inside the window; the main thread waits by spinning, so
 * the only syscalls in the window are the threads' writes. The threads start
 * before the child reports ready and exit after its window. */
static int threads_started, threads_go, threads_done, threads_dst, threads_stop;
static pid_t threads_tid[2];

static void *writer(void *p)
{
	(void)p;
	pid_t tid = (pid_t)syscall(SYS_gettid);
	/* glibc's thread start-up syscalls are behind us now. */
	int k = __atomic_add_fetch(&threads_started, 1, __ATOMIC_ACQ_REL);
	__atomic_store_n(&threads_tid[k - 1], tid, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&threads_go, __ATOMIC_ACQUIRE))
		;
	for (int i = 0; i < 100; i++)
		if (write(threads_dst, buf10, 5) != 5)
			die_child("thread write");
	__atomic_add_fetch(&threads_done, 1, __ATOMIC_RELEASE);
	/* Never return: a thread's exit makes syscalls (madvise, sigprocmask)
	 * that would land in the window. The process's _exit ends it. */
	while (!__atomic_load_n(&threads_stop, __ATOMIC_ACQUIRE))
		;
	return NULL;
}

static void start_threads(struct job *j)
{
	open_devnull(j);
	threads_dst = j->dst;
	pthread_t t;
	for (int i = 0; i < 2; i++)
		if (pthread_create(&t, NULL, writer, NULL))
			die_child("pthread_create");
	while (__atomic_load_n(&threads_started, __ATOMIC_ACQUIRE) < 2)
		;
}

static void work_threads(struct job *j, struct report *r)
{
	(void)j;
	__atomic_store_n(&threads_go, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&threads_done, __ATOMIC_ACQUIRE) < 2)
		;
	/* 30 ms more with all three threads spinning, for the task clock. */
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 30000000L);
	r->calls = 200;
	r->moved = 1000;
}

/* The same two writers, one registered as the stream and the other, with
 * the main thread, as the harness's: only the stream's calls count by name;
 * the other's are counted apart. */
static void start_classed_threads(struct job *j)
{
	start_threads(j);
	while (!__atomic_load_n(&threads_tid[0], __ATOMIC_ACQUIRE) ||
	       !__atomic_load_n(&threads_tid[1], __ATOMIC_ACQUIRE))
		;
	pid_t harness[2] = {threads_tid[1], (pid_t)syscall(SYS_gettid)};
	zc_probes_register_threads(j->pr, &threads_tid[0], 1, harness, 2);
}

/* vmsplice of 10 pages into a pipe: user memory referenced, not copied. */
static void open_pipe_and_pages(struct job *j)
{
	int p[2];
	if (pipe(p))
		die_child("pipe");
	j->pipe_r = p[0];
	j->pipe_w = p[1];
	map_pages(j);
}

static void work_vmsplice(struct job *j, struct report *r)
{
	for (int i = 0; i < 10; i++) {
		struct iovec v = {.iov_base = j->pages + (size_t)i * 4096, .iov_len = 4096};
		ssize_t n = vmsplice(j->pipe_w, &v, 1, 0);
		if (n != 4096) {
			r->err = errno ? errno : EIO;
			return;
		}
		r->calls++;
		r->moved += (uint64_t)n;
	}
}

/* ---- checks ---- */

static void check_write_1000(struct zc_probes *pr, bool with_noise)
{
	struct job j = {.name = with_noise ? "writes+noise" : "writes",
			.prepare = open_devnull,
			.outside = with_noise ? noise : NULL,
			.work = work_1000_writes};
	struct report r = {0};
	json_t *c = run_child(pr, &j, &r);
	if (!c)
		return;
	CHECK_EQ_U64(r.calls, 1000);
	CHECK_EQ_U64(u(c, "syscalls", "write"), 1000);
	CHECK_EQ_U64(json_object_size(json_object_get(c, "syscalls")), 1);
	CHECK_EQ_U64(u(c, "syscalls_total", NULL), 1000);
	CHECK_EQ_U64(u(c, "bytes", "from_user"), 10000);
	CHECK_EQ_U64(u(c, "bytes", "to_user"), 0);
	CHECK_EQ_U64(u(c, "bytes", "in_kernel"), 0);
	CHECK_EQ_U64(bucket_sum(c, "write"), 1000);
	CHECK_EQ_U64(json_object_size(json_object_get(c, "latency")), 1);
	CHECK(json_is_string(json_object_get(json_object_get(json_object_get(c, "latency"), "write"), "unit")));
	CHECK(json_object_get(c, "ebpf_lost_events") == NULL);
	CHECK(json_object_get(c, "ebpf_missed_runs") == NULL);
	json_decref(c);
}

static int make_file(const char *path, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	char *b = malloc(size);
	if (!b) {
		close(fd);
		return -1;
	}
	for (size_t i = 0; i < size; i++)
		b[i] = (char)(i * 7);
	ssize_t w = write(fd, b, size);
	free(b);
	close(fd);
	return w == (ssize_t)size ? 0 : -1;
}

static void check_sendfile(struct zc_probes *pr, const char *src, const char *dst)
{
	struct job j = {
		.name = "sendfile", .prepare = open_files, .work = work_sendfile, .src_path = src, .dst_path = dst};
	struct report r = {0};
	json_t *c = run_child(pr, &j, &r);
	if (!c)
		return;
	CHECK_EQ_U64(r.moved, MIB);
	CHECK_EQ_U64(u(c, "syscalls", "sendfile"), r.calls);
	CHECK_EQ_U64(u(c, "syscalls_total", NULL), r.calls);
	CHECK_EQ_U64(u(c, "bytes", "in_kernel"), MIB);
	CHECK_EQ_U64(u(c, "bytes", "to_user"), 0);
	CHECK_EQ_U64(u(c, "bytes", "from_user"), 0);
	CHECK_EQ_U64(bucket_sum(c, "sendfile"), r.calls);
	json_decref(c);
}

static void check_splice(struct zc_probes *pr, const char *src, const char *dst)
{
	struct job j = {.name = "splice",
			.prepare = open_files_and_pipe,
			.work = work_splice,
			.src_path = src,
			.dst_path = dst};
	struct report r = {0};
	json_t *c = run_child(pr, &j, &r);
	if (!c)
		return;
	CHECK_EQ_U64(r.moved, MIB);
	CHECK_EQ_U64(u(c, "syscalls", "splice"), r.calls);
	CHECK_EQ_U64(u(c, "syscalls_total", NULL), r.calls);
	CHECK_EQ_U64(u(c, "bytes", "in_kernel"), 2 * MIB); /* both legs */
	CHECK_EQ_U64(u(c, "bytes", "to_user"), 0);
	CHECK_EQ_U64(u(c, "bytes", "from_user"), 0);
	json_decref(c);
}

/* Runs the job until eBPF's context switches equal the child's getrusage
 * deltas (at most 20 tries: on a loaded machine the race below is common) and
 * returns those counters. getrusage brackets a
 * little more than the eBPF window (its own return to user mode and the
 * perf prctl calls, where a preemption may land), so a rare extra
 * involuntary switch there is a race, not an error, and the job is run
 * again; eBPF counting MORE than getrusage is always an error. */
static json_t *run_until_exact(struct zc_probes *pr, struct job *j, struct report *r)
{
	for (int attempt = 1; attempt <= 20; attempt++) {
		memset(r, 0, sizeof *r);
		json_t *c = run_child(pr, j, r);
		if (!c)
			return NULL;
		uint64_t vol = u(c, "context_switches", "voluntary");
		uint64_t invol = u(c, "context_switches", "involuntary");
		fprintf(stderr, "%s: eBPF voluntary %llu involuntary %llu, getrusage %ld %ld, off-CPU %llu ns\n",
			j->name, (unsigned long long)vol, (unsigned long long)invol, r->nvcsw, r->nivcsw,
			(unsigned long long)u(c, "off_cpu_ns", NULL));
		CHECK(vol <= (uint64_t)r->nvcsw);
		CHECK(invol <= (uint64_t)r->nivcsw);
		if (vol == (uint64_t)r->nvcsw && invol == (uint64_t)r->nivcsw)
			return c;
		fprintf(stderr, "%s: getrusage saw a switch outside the eBPF window (attempt %d), again\n", j->name,
			attempt);
		json_decref(c);
	}
	fprintf(stderr, "%s: eBPF and getrusage never agreed\n", j->name);
	check_failures++;
	return NULL;
}

static void check_context_switches(struct zc_probes *pr)
{
	struct job j = {.name = "sleeps", .work = work_sleeps};
	struct report r;
	json_t *c = run_until_exact(pr, &j, &r);
	if (!c)
		return;
	uint64_t vol = u(c, "context_switches", "voluntary"), invol = u(c, "context_switches", "involuntary");
	CHECK(vol >= 20);
	/* 20 sleeps of 1 ms: about 20 ms off CPU. Not exactly at least 20 ms: the
	 * timer starts before the switch-out, and in a VM the host may stall the
	 * vCPU between the two. */
	CHECK(u(c, "off_cpu_ns", NULL) >= 15 * 1000000ull);
	CHECK(u(c, "off_cpu_ns", NULL) < 2000 * 1000000ull);
	CHECK_EQ_U64(u(c, "syscalls", "nanosleep"), 20);
	CHECK_EQ_U64(u(c, "syscalls_total", NULL), 20);
	/* perf's software count covers the window plus its prctl calls. */
	const json_t *cs = json_object_get(json_object_get(c, "perf"), "context_switches");
	if (strcmp(json_string_value(json_object_get(cs, "status")), "ok") == 0)
		CHECK((uint64_t)json_integer_value(json_object_get(cs, "value")) >= vol + invol);
	json_decref(c);
}

static void check_involuntary(struct zc_probes *pr)
{
	struct job j = {.name = "contended", .prepare = start_hog, .work = work_contended, .after = stop_hog};
	struct report r;
	json_t *c = run_until_exact(pr, &j, &r);
	if (!c)
		return;
	CHECK(u(c, "context_switches", "voluntary") >= 5);
	CHECK(u(c, "context_switches", "involuntary") >= 1);
	CHECK_EQ_U64(u(c, "syscalls_total", NULL), 5);
	json_decref(c);
}

static void check_perf(struct zc_probes *pr)
{
	struct job j = {.name = "touch", .prepare = map_pages, .work = work_touch};
	struct report r = {0};
	json_t *c = run_child(pr, &j, &r);
	if (!c)
		return;
	/* A window without syscalls: begin and end make none that count. */
	CHECK_EQ_U64(u(c, "syscalls_total", NULL), 0);
	CHECK_EQ_U64(json_object_size(json_object_get(c, "syscalls")), 0);
	const json_t *perf = json_object_get(c, "perf");
	static const char *const names[] = {
		"cycles",	   "instructions", "cache_references", "cache_misses",	 "l1d_read_misses",
		"llc_read_misses", "page_faults",  "context_switches", "cpu_migrations", "task_clock"};
	CHECK_EQ_U64(json_object_size(perf), 10);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const json_t *x = json_object_get(perf, names[i]);
		const char *st = json_string_value(json_object_get(x, "status"));
		const json_t *v = json_object_get(x, "value");
		const char *reason = json_string_value(json_object_get(x, "reason"));
		CHECK(st != NULL);
		if (!st)
			continue;
		if (strcmp(st, "ok") == 0) {
			CHECK(json_is_integer(v));
			CHECK(json_integer_value(json_object_get(x, "running_ns")) > 0);
			CHECK(json_integer_value(json_object_get(x, "enabled_ns")) >=
			      json_integer_value(json_object_get(x, "running_ns")));
		} else {
			/* Not measured: never a 0, always a reason. */
			CHECK(strcmp(st, "not_supported") == 0 || strcmp(st, "not_counted") == 0);
			CHECK(json_is_null(v));
			CHECK(reason && reason[0]);
		}
	}
	const json_t *pf = json_object_get(perf, "page_faults");
	CHECK(strcmp(json_string_value(json_object_get(pf, "status")), "ok") == 0);
	CHECK(json_integer_value(json_object_get(pf, "value")) >= 256); /* the pages touched */
	const json_t *tc = json_object_get(perf, "task_clock");
	CHECK(strcmp(json_string_value(json_object_get(tc, "status")), "ok") == 0);
	CHECK(json_integer_value(json_object_get(tc, "value")) > 0);
	json_decref(c);
}

static void check_threads(struct zc_probes *pr)
{
	struct job j = {.name = "threads", .prepare = start_threads, .work = work_threads};
	struct report r = {0};
	json_t *c = run_child(pr, &j, &r);
	if (!c)
		return;
	CHECK_EQ_U64(u(c, "syscalls", "write"), 200);
	CHECK_EQ_U64(u(c, "syscalls_total", NULL), 200);
	CHECK_EQ_U64(u(c, "bytes", "from_user"), 1000);
	/* The threads started before subject_init: their CPU time is in the
	 * task clock too, not only the main thread's. */
	const json_t *tc = json_object_get(json_object_get(c, "perf"), "task_clock");
	uint64_t task_clock = (uint64_t)json_integer_value(json_object_get(tc, "value"));
	fprintf(stderr, "threads: task clock %llu ns, main thread %llu ns\n", (unsigned long long)task_clock,
		(unsigned long long)r.main_cpu_ns);
	CHECK(task_clock > r.main_cpu_ns + r.main_cpu_ns / 2);
	json_decref(c);
}

static void check_thread_classes(struct zc_probes *pr)
{
	struct job j = {.name = "thread classes", .prepare = start_classed_threads, .work = work_threads, .pr = pr};
	struct report r = {0};
	json_t *c = run_child(pr, &j, &r);
	if (!c)
		return;
	CHECK_EQ_U64(u(c, "syscalls", "write"), 100);
	CHECK_EQ_U64(u(c, "syscalls_total", NULL), 100);
	CHECK_EQ_U64(u(c, "bytes", "from_user"), 500);
	CHECK_EQ_U64(u(json_object_get(c, "threads"), "harness", "syscalls"), 100);
	CHECK(u(c, "syscall_kernel_ns", NULL) > 0);
	json_decref(c);
}

static void check_vmsplice(struct zc_probes *pr)
{
	struct job j = {.name = "vmsplice", .prepare = open_pipe_and_pages, .work = work_vmsplice};
	struct report r = {0};
	json_t *c = run_child(pr, &j, &r);
	if (!c)
		return;
	CHECK_EQ_U64(u(c, "syscalls", "vmsplice"), 10);
	CHECK_EQ_U64(u(c, "bytes", "pinned_from_user"), 40960);
	CHECK_EQ_U64(u(c, "bytes", "from_user"), 0);
	json_decref(c);
}

int main(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "test_probes: skipped: not root\n");
		return SKIP;
	}
	struct zc_probes *pr = zc_probes_open(true);
	json_t *st = zc_probes_status_json(pr);
	const json_t *ebpf = json_object_get(st, "ebpf");
	if (strcmp(json_string_value(json_object_get(ebpf, "status")), "ok") != 0) {
		fprintf(stderr, "test_probes: skipped: eBPF unavailable: %s\n",
			json_string_value(json_object_get(ebpf, "reason")));
		json_decref(st);
		zc_probes_close(pr);
		return SKIP;
	}
	fprintf(stderr, "test_probes: eBPF attached as %s\n", json_string_value(json_object_get(ebpf, "attach")));
	json_decref(st);

	char dir[] = "/tmp/zc-test-probes-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	char src[64], dst[64];
	snprintf(src, sizeof src, "%s/src", dir);
	snprintf(dst, sizeof dst, "%s/dst", dir);
	if (make_file(src, MIB) || make_file(dst, 0)) {
		perror("make_file");
		return 1;
	}

	check_write_1000(pr, false);
	check_write_1000(pr, true);
	check_sendfile(pr, src, dst);
	check_splice(pr, src, dst);
	check_context_switches(pr);
	check_involuntary(pr);
	check_perf(pr);
	check_threads(pr);
	check_thread_classes(pr);
	check_vmsplice(pr);

	unlink(src);
	unlink(dst);
	rmdir(dir);
	zc_probes_close(pr);
	CHECK_DONE();
}
