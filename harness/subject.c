#include "subject.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <linux/futex.h>
#include <malloc.h>
#include <linux/sockios.h>
#include <dirent.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include "../strategies/io_util.h"
#include "../workloads/crc32c.h"
#include "../workloads/ktls.h"
#include "../workloads/pattern.h"
#include "../workloads/recv_witness.h"

/* One stream: its own strategy state, endpoints and result. */
struct stream {
	const struct zc_strategy *s;
	const struct zc_copy_params *cp;
	void *state;
	unsigned index;
	uint64_t transfers;
	int *src; /* one per transfer (file sources), or one for all */
	uint64_t nsrc;
	char *mem; /* memory sources */
	uint64_t mem_len;
	int dst[2];
	unsigned ndst;
	struct zc_transfer_result tr;
	struct gate *gate;
	int cpu;      /* the CPU it is pinned to, -1: not pinned */
	pid_t tid;    /* the thread running it, for interrupting blocked calls */
	int pipes[4]; /* the strategy's own pipes (read ends) */
	unsigned npipes;
	bool ktls_zerocopy_ro; /* --ktls: the kernel accepted TLS_TX_ZEROCOPY_RO on its sinks */
};

/* Set by SIGTERM or SIGINT: every stream stops taking new data at its next
 * checkpoint, drains what it has in flight, and the subject reports exactly
 * what was delivered. The subject is one process with one window, so the
 * handlers work on this one record. */
static volatile sig_atomic_t stop_requested;
static struct {
	struct stream *streams; /* set before the window opens */
	unsigned n;
	unsigned checkpoint_ms;
	bool interrupt_blocked;	 /* false for the blind variant (--no-deadlines) */
	volatile uint64_t at_ns; /* when the request arrived */
	uint64_t moved_at;	 /* bytes delivered by then */
	uint64_t in_flight;	 /* bytes in the streams' pipes and socket queues then */
	int sampled;		 /* in_flight is complete (atomic) */
	volatile pid_t watcher_tid;
} stop;

static uint64_t now_ns(void);

/* Bytes queued in fd: unread in a pipe or a receive queue (FIONREAD), or
 * unsent in a socket's send queue (SIOCOUTQ). */
static uint64_t queued(int fd, unsigned long req)
{
	int v = 0;
	return fd >= 0 && ioctl(fd, req, &v) == 0 && v > 0 ? (uint64_t)v : 0;
}

/* Make every stream's blocked call return EINTR, so its loop looks at the
 * stop flag. */
static void poke_streams(void)
{
	for (unsigned k = 0; k < stop.n; k++)
		if (stop.streams[k].tid > 0)
			syscall(SYS_tgkill, getpid(), stop.streams[k].tid, SIGUSR1);
}

/* Each checkpoint after a stop request (SIGALRM from the interval timer). */
static void on_checkpoint(int sig)
{
	(void)sig;
	int saved = errno;
	poke_streams();
	errno = saved;
}

static void on_poke(int sig)
{
	(void)sig; /* its only job is to make a blocked call return EINTR */
}

/* The signal-storm test hook (workloads/faults.h): SIGUSR2 at every stream
 * thread every storm_ns while the window is open, handled without
 * SA_RESTART, so every blocking call in every loop meets EINTR. */
static long storm_hits;

static void on_storm(int sig)
{
	(void)sig;
	__atomic_fetch_add(&storm_hits, 1, __ATOMIC_RELAXED); /* lock-free: async-signal-safe */
}

static int storm_start(const struct stream *st, unsigned n, uint64_t every_ns, timer_t *timers)
{
	struct sigaction sa = {.sa_handler = on_storm};
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR2, &sa, NULL) != 0)
		return errno;
	struct itimerspec its = {.it_interval = {.tv_sec = (time_t)(every_ns / 1000000000ull),
						 .tv_nsec = (long)(every_ns % 1000000000ull)}};
	its.it_value = its.it_interval;
	for (unsigned k = 0; k < n; k++) {
		/* Thread tids are set when the threads start: wait for them. */
		for (int i = 0; i < 10000 && !__atomic_load_n(&st[k].tid, __ATOMIC_ACQUIRE); i++)
			nanosleep(&(struct timespec){0, 100000}, NULL);
		struct sigevent sev = {.sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGUSR2};
		sev._sigev_un._tid = st[k].tid;
		if (timer_create(CLOCK_MONOTONIC, &sev, &timers[k]) != 0 ||
		    timer_settime(timers[k], 0, &its, NULL) != 0)
			return errno;
	}
	return 0;
}

static void storm_stop(timer_t *timers, unsigned n, uint64_t every_ns)
{
	for (unsigned k = 0; k < n; k++)
		timer_delete(timers[k]);
	zc_fault_note("signal-storm: %ld SIGUSR2 every %" PRIu64 " ns reached the subject's %u stream(s) in its window",
		      __atomic_load_n(&storm_hits, __ATOMIC_RELAXED), every_ns, n);
}

/* SIGTERM and SIGINT are taken by this thread of their own, not by a
 * handler on a stream's thread: the record below may wait on a pipe's lock
 * that a stream blocked in splice holds, and that must not delay any
 * stream. The blind variant stops here: nothing is interrupted, so a call
 * blocked in the kernel stays blocked, as under a runtime that only looks at
 * its cancellation between calls. */
static void *signal_watcher(void *arg)
{
	const sigset_t *set = arg;
	int sig;
	__atomic_store_n(&stop.watcher_tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	while (sigwait(set, &sig) != 0)
		;
	stop.at_ns = now_ns();
	for (unsigned k = 0; k < stop.n; k++)
		/* An aligned 64-bit load is never torn on x86-64; read once, for
		 * the record. */
		stop.moved_at += __atomic_load_n(&stop.streams[k].tr.moved, __ATOMIC_RELAXED);
	stop_requested = 1;
	if (stop.interrupt_blocked) {
		poke_streams();
		/* And again at every checkpoint, so even a call with no deadline
		 * of its own (a pipe) returns to its loop. */
		struct itimerval it = {.it_interval = {.tv_sec = stop.checkpoint_ms / 1000,
						       .tv_usec = (stop.checkpoint_ms % 1000) * 1000}};
		it.it_value = it.it_interval;
		setitimer(ITIMER_REAL, &it, NULL);
	}
	/* What the subject's own descriptors held: sampled right after the
	 * request, while the streams wind down. */
	uint64_t in_flight = 0;
	for (unsigned k = 0; k < stop.n; k++) {
		struct stream *st = &stop.streams[k];
		for (unsigned i = 0; i < st->npipes; i++)
			in_flight += queued(st->pipes[i], FIONREAD);
		for (unsigned j = 0; j < st->ndst; j++)
			if (st->cp->dst_kind & (ZC_EP_TCP | ZC_EP_UNIX))
				in_flight += queued(st->dst[j], SIOCOUTQ);
			else if (st->cp->dst_kind == ZC_EP_PIPE)
				in_flight += queued(st->dst[j], FIONREAD);
		if (st->cp->src_kind & (ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE))
			in_flight += queued(st->src[0], FIONREAD);
	}
	stop.in_flight = in_flight;
	__atomic_store_n(&stop.sampled, 1, __ATOMIC_RELEASE);
	return NULL;
}

static uint64_t ns_of(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000000ull + (uint64_t)tv.tv_usec * 1000ull;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts); /* vDSO: no syscall inside the window */
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static _Noreturn void send_and_exit(int fd, const void *msg, size_t len, int code)
{
	ssize_t w;
	do
		w = write(fd, msg, len);
	while (w < 0 && errno == EINTR);
	_exit(w == (ssize_t)len ? code : 1);
}

static _Noreturn void not_ready(int to_parent, int err, const char *reason)
{
	struct zc_ready_msg m = {.err = err ? err : EIO};
	snprintf(m.reason, sizeof m.reason, "%s", reason);
	send_and_exit(to_parent, &m, sizeof m, 0);
}

static void run_stream(struct stream *st)
{
	zc_thread_index = st->index;
	for (uint64_t t = 0; t < st->transfers && !st->tr.err && !st->tr.stopped; t++) {
		struct zc_io io = {.src = st->mem ? -1 : st->src[st->nsrc > 1 ? t : 0],
				   .src_mem = st->mem,
				   .src_len = st->mem_len,
				   .dst = {st->dst[0], st->dst[1]},
				   .ndst = st->ndst};
		st->s->transfer(st->state, st->cp, &io, &st->tr);
	}
}

/* Starting and ending the streams of a multi-stream window with no syscall
 * of theirs inside it. Each stream parks on `go` (a futex entered before the
 * window opens, so its return is not counted); the main thread opens the
 * window and wakes them (its own syscall: a harness thread's, counted
 * apart). The last stream to finish reads the clock and closes the eBPF
 * window itself, then wakes the main thread; the others wait on `release`
 * (entered inside the window, returning after it closed: not counted). */
struct gate {
	uint32_t go, release; /* futex words */
	uint32_t parked;      /* streams parked on go */
	uint32_t running;     /* futex word: streams still copying */
	uint64_t t1;	      /* when the last stream finished */
	struct zc_probes *probes;
};

static void futex_wait_while(uint32_t *word, uint32_t value)
{
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == value)
		syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, value, NULL, NULL, 0);
}

static void futex_wake_all(uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
}

/* A strategy that allocates per transfer (readwrite) must find its
 * thread's arena made and big enough before the window: one allocation of
 * the chunk now, and (zc_subject_main) no trimming and no mmap per
 * allocation, so no brk, mmap or munmap of the allocator lands in it. */
static void warm_allocator(const struct stream *st)
{
	size_t n = st->cp->chunk ? st->cp->chunk : 4096;
	void *b = malloc(n);
	if (b)
		zc_prefault(b, n);
	free(b);
}

static void *stream_thread(void *arg)
{
	struct stream *st = arg;
	struct gate *g = st->gate;
	zc_pin_cpu(st->cpu);
	warm_allocator(st);
	__atomic_store_n(&st->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	__atomic_add_fetch(&g->parked, 1, __ATOMIC_ACQ_REL);
	futex_wait_while(&g->go, 0);
	run_stream(st);
	if (__atomic_sub_fetch(&g->running, 1, __ATOMIC_ACQ_REL) == 0) {
		g->t1 = now_ns();
		zc_probes_ebpf_window_close(g->probes);
		futex_wake_all(&g->running);
	}
	futex_wait_while(&g->release, 0);
	return NULL;
}

/* True once thread tid of this process sleeps ('S' in its stat): a parked
 * stream or the signal watcher in sigwait. */
static bool thread_sleeps(pid_t tid)
{
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	const char *rp = strrchr(buf, ')'); /* comm may hold spaces */
	return rp && rp[1] == ' ' && rp[2] == 'S';
}

/* Wait (before the window) until tid is set and asleep, so none of its
 * start-up calls lands in the window. Gives up after ~10 s. */
static void wait_asleep(const volatile pid_t *tid)
{
	for (int i = 0; i < 10000; i++) {
		pid_t t = __atomic_load_n(tid, __ATOMIC_ACQUIRE);
		if (t > 0 && thread_sleeps(t))
			return;
		nanosleep(&(struct timespec){0, 1000000}, NULL);
	}
}

/* CPU time of each thread of the process, by class, from the threads'
 * scheduler clocks (exact to the ns for a sleeping thread). */
#define MAX_TASKS 512
struct thread_cpu {
	unsigned n;
	pid_t tid[MAX_TASKS];
	uint64_t ns[MAX_TASKS];
};

static uint64_t cpu_of_thread(pid_t tid)
{
	/* The kernel's MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED). */
	clockid_t id = (clockid_t)((~(unsigned)tid) << 3) | 6;
	struct timespec ts;
	if (clock_gettime(id, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void snapshot_threads(struct thread_cpu *tc)
{
	tc->n = 0;
	DIR *d = opendir("/proc/self/task");
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) && tc->n < MAX_TASKS) {
		pid_t tid = (pid_t)atoi(e->d_name);
		if (tid <= 0)
			continue;
		tc->tid[tc->n] = tid;
		tc->ns[tc->n++] = cpu_of_thread(tid);
	}
	closedir(d);
}

/* Sum the CPU time each thread spent between snapshots a and b by class:
 * a stream (streams[]), the harness's own (harness[]), or else a kernel
 * worker of io_uring (the only other threads the process can have). */
static void split_cpu(const struct thread_cpu *a, const struct thread_cpu *b, const pid_t *streams, unsigned n,
		      const pid_t *harness, unsigned nh, struct zc_window *w)
{
	for (unsigned i = 0; i < b->n; i++) {
		uint64_t before = 0;
		for (unsigned j = 0; j < a->n; j++)
			if (a->tid[j] == b->tid[i])
				before = a->ns[j];
		uint64_t d = b->ns[i] > before ? b->ns[i] - before : 0;
		bool done = false;
		for (unsigned k = 0; k < n && !done; k++)
			if (streams[k] == b->tid[i]) {
				w->cpu_streams_ns += d;
				done = true;
			}
		for (unsigned k = 0; k < nh && !done; k++)
			if (harness[k] == b->tid[i]) {
				w->cpu_harness_ns += d;
				done = true;
			}
		if (!done) {
			w->cpu_workers_ns += d;
			w->workers_seen += d > 0;
		}
	}
	w->have_thread_cpu = b->n > 0;
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return (a > b) - (a < b);
}

static double median_u32(uint32_t *v, uint64_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, cmp_u32);
	return n % 2 ? v[n / 2] : ((double)v[n / 2 - 1] + v[n / 2]) / 2;
}

/* --victim: each stream's working set, faulted in; the walk times of all
 * streams pooled into medians after the window. */
static void victim_setup(struct zc_copy_params *cp, struct stream *st, unsigned n, const struct zc_cell *cell,
			 const volatile uint64_t *switches, int to_parent)
{
	const struct zc_cell_params *p = &cell->p;
	cp->victims = calloc(n, sizeof *cp->victims);
	if (!cp->victims)
		not_ready(to_parent, ENOMEM, "out of memory");
	uint64_t every = p->victim_every ? p->victim_every : cell->chunk;
	uint64_t cap = p->size / n / every + 2;
	for (unsigned k = 0; k < n; k++) {
		void *b;
		if (posix_memalign(&b, 4096, p->victim_bytes) != 0)
			not_ready(to_parent, ENOMEM, "out of memory (victim working set)");
		zc_prefault(b, p->victim_bytes);
		struct zc_victim *v = &cp->victims[k];
		*v = (struct zc_victim){.buf = b,
					.size = p->victim_bytes,
					.every = every,
					.next_at = every,
					.moved = &st[k].tr.moved,
					.switches = switches ? &switches[k] : NULL,
					.cap = cap,
					.walk_ns = calloc(cap, sizeof(uint32_t)),
					.base_ns = calloc(cap, sizeof(uint32_t))};
		if (!v->walk_ns || !v->base_ns)
			not_ready(to_parent, ENOMEM, "out of memory (victim walk times)");
	}
	/* Without the eBPF switch count, a walk longer than 20 times a warm
	 * walk (and than 1 ms) is taken as interrupted. */
	struct zc_victim *v = &cp->victims[0];
	uint32_t warm[15];
	for (int i = 0; i < 15; i++) {
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		unsigned sum = 0;
		for (size_t j = 0; j < v->size; j += 64)
			sum += v->buf[j];
		clock_gettime(CLOCK_MONOTONIC, &b);
		v->sink += sum;
		warm[i] = (uint32_t)((b.tv_sec - a.tv_sec) * 1000000000ll + (b.tv_nsec - a.tv_nsec));
	}
	uint64_t thr = (uint64_t)(median_u32(warm, 15) * 20);
	thr = thr > 1000000 ? thr : 1000000;
	/* Tests set the threshold (0: every walk counts as interrupted). */
	const char *t = getenv("ZC_VICTIM_THRESHOLD_NS");
	if (t)
		thr = strtoull(t, NULL, 10);
	for (unsigned k = 0; k < n; k++)
		cp->victims[k].threshold_ns = thr;
}

static void victim_report(const struct zc_copy_params *cp, unsigned n, struct zc_window *w)
{
	uint64_t kept = 0;
	for (unsigned k = 0; k < n; k++)
		kept += cp->victims[k].kept;
	uint32_t *walk = calloc(kept ? kept : 1, sizeof *walk), *base = calloc(kept ? kept : 1, sizeof *base);
	if (!walk || !base)
		_exit(1);
	uint64_t at = 0;
	for (unsigned k = 0; k < n; k++) {
		const struct zc_victim *v = &cp->victims[k];
		memcpy(walk + at, v->walk_ns, v->kept * sizeof *walk);
		memcpy(base + at, v->base_ns, v->kept * sizeof *base);
		at += v->kept;
		w->victim_walks += v->walks;
		w->victim_excluded += v->excluded;
		w->victim_merged += v->merged;
	}
	w->victim_kept = kept;
	for (uint64_t i = 0; i < kept; i++)
		w->victim_kept_ns += walk[i];
	w->victim_every = cp->victims[0].every;
	w->victim_lines = cp->victims[0].size / 64;
	w->victim_by_switches = cp->victims[0].switches != NULL;
	w->victim_median_ns = median_u32(walk, kept);
	w->victim_base_median_ns = median_u32(base, kept);
	free(walk);
	free(base);
}

/* Set up stream k: its source, sinks and strategy state. Exits not-ready on
 * failure. */
static void open_stream(struct stream *st, unsigned k, const struct zc_cell *cell, const struct zc_wl_params *wp,
			struct zc_wl_run *wr, const struct zc_copy_params *cp, int to_parent)
{
	char err[256];
	const struct zc_cell_params *p = &cell->p;
	*st = (struct stream){.s = p->strategy, .cp = cp, .index = k, .transfers = p->transfers, .dst = {-1, -1}};
	unsigned src = p->workload->source;
	st->src = calloc(p->transfers, sizeof *st->src);
	if (!st->src)
		not_ready(to_parent, ENOMEM, "out of memory");
	st->nsrc = 1;
	if (src == ZC_EP_FILE) {
		st->nsrc = p->transfers;
		/* One descriptor per transfer, opened now: each starts at offset 0
		 * and no lseek or open lands in the window. */
		for (uint64_t t = 0; t < p->transfers; t++) {
			st->src[t] = open(cell->source_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			if (st->src[t] < 0) {
				snprintf(err, sizeof err, "open %s: %s", cell->source_path, strerror(errno));
				not_ready(to_parent, errno, err);
			}
		}
	} else if (src == ZC_EP_MEM) {
		/* Page-aligned (SPLICE_F_GIFT wants whole pages) and written once
		 * now, so no first touch lands in the window. */
		st->mem_len = wp->segment;
		size_t len = wp->segment ? (size_t)wp->segment : 1;
		st->mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (st->mem == MAP_FAILED)
			not_ready(to_parent, errno, "mmap for the memory source failed");
		zc_pattern_fill(st->mem, 0, (size_t)wp->segment);
		st->src[0] = -1;
	} else {
		st->src[0] = wr->subj_src[k];
	}
	st->ndst = p->workload->nsinks;
	for (unsigned j = 0; j < st->ndst; j++) {
		if (p->workload->sink == ZC_EP_FILE) {
			st->dst[j] = zc_wl_open_dest(wp, k, j, err, sizeof err);
			if (st->dst[j] < 0)
				not_ready(to_parent, errno, err);
		} else {
			st->dst[j] = wr->subj_dst[k][j];
		}
	}
	if (p->ktls) {
		/* Kernel TLS on every sink, before the strategy prepares: its
		 * set-up writes (none today) would otherwise go out in clear. */
		st->ktls_zerocopy_ro = true;
		for (unsigned j = 0; j < st->ndst; j++) {
			bool zc_ro;
			int e = zc_ktls_tx(st->dst[j], &zc_ro, err, sizeof err);
			if (e)
				not_ready(to_parent, e, err);
			st->ktls_zerocopy_ro &= zc_ro;
		}
	}
	st->state = aligned_alloc(64, ((p->strategy->state_size ? p->strategy->state_size : 1) + 63) / 64 * 64);
	if (!st->state)
		not_ready(to_parent, ENOMEM, "out of memory");
	memset(st->state, 0, p->strategy->state_size);
	if (p->strategy->prepare) {
		const char *what = "prepare";
		struct zc_io io = {.src = st->mem ? -1 : st->src[0],
				   .src_mem = st->mem,
				   .src_len = st->mem_len,
				   .dst = {st->dst[0], st->dst[1]},
				   .ndst = st->ndst};
		zc_thread_index = k;
		int e = p->strategy->prepare(st->state, cp, &io, &what);
		if (e) {
			snprintf(err, sizeof err, "%s: %s", what, strerror(e));
			not_ready(to_parent, e, err);
		}
	}
}

/* --inspect encrypt: a sealer per stream and the buffer its records are
 * sealed into, pre-faulted (cap payload bytes per write). Exits not-ready on
 * failure. */
static struct zc_tls_tx *tls_tx_setup(unsigned n, size_t cap, uint64_t corrupt_at, int to_parent)
{
	struct zc_tls_tx *t = calloc(n, sizeof *t);
	if (!t)
		not_ready(to_parent, ENOMEM, "out of memory");
	for (unsigned k = 0; k < n; k++) {
		if (zc_tls_seal_init(&t[k].seal, zc_tls_test_key, zc_tls_test_iv) != 0)
			not_ready(to_parent, ENOSYS, "libcrypto: AES-128-GCM cannot be set up");
		t[k].seal.corrupt_at = corrupt_at;
		t[k].cap = cap;
		/* Room for a record boundary per buffer sealed (readv_writev). */
		t[k].out_size = zc_tls_sealed_len(cap) + 66 * ZC_TLS_OVERHEAD;
		t[k].out = malloc(t[k].out_size);
		if (!t[k].out)
			not_ready(to_parent, ENOMEM, "out of memory");
		zc_prefault(t[k].out, t[k].out_size);
	}
	if (corrupt_at)
		zc_fault_note("tls-corrupt: flipping a bit of wire byte %" PRIu64 " of every stream", corrupt_at - 1);
	return t;
}

/* The CRC32C a stream should have produced: its segment, transfers times. */
static uint32_t expected_crc(const struct zc_wl_params *wp)
{
	uint32_t crc = 0;
	char buf[65536];
	for (uint64_t t = 0; t < wp->transfers; t++)
		for (uint64_t off = 0; off < wp->segment;) {
			size_t n = wp->segment - off < sizeof buf ? (size_t)(wp->segment - off) : sizeof buf;
			zc_pattern_fill(buf, off, n);
			crc = zc_crc32c(crc, buf, n);
			off += n;
		}
	return crc;
}

_Noreturn void zc_subject_main(const struct zc_env *env, const struct zc_cell *cell, const struct zc_wl_params *wp,
			       struct zc_wl_run *wr, int from_parent, int to_parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* no subject outlives the harness */
	/* No SA_RESTART: a poked call must return to its loop. */
	struct sigaction sa = {.sa_handler = on_checkpoint};
	sigfillset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = on_poke;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	zc_wl_subject_side(wr);
	zc_pin_cpu(env->subject_cpu);
	/* Freed memory stays with the allocator and every size up to 32 MiB
	 * comes from its heap: see warm_allocator. */
	mallopt(M_TRIM_THRESHOLD, INT32_MAX);
	mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
	mallopt(M_TOP_PAD, 64 * 1024 * 1024);
	/* Stop requests go to the watcher thread alone: blocked here before any
	 * stream thread exists, so every one inherits the mask. */
	static sigset_t stop_signals;
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);

	const struct zc_cell_params *p = &cell->p;
	const struct zc_strategy *s = p->strategy;
	struct zc_copy_params cp = {
		.chunk = cell->chunk,
		.pipe_size = p->pipe_size,
		.alloc = p->alloc,
		.qd = p->qd,
		.iovecs = p->iovecs,
		.populate = p->populate,
		.madv_sequential = p->madv_sequential,
		.inspect = p->inspect,
		.src_kind = p->workload->source,
		.dst_kind = p->workload->sink,
		.checkpoint_ms = p->checkpoint_ms,
		.stop = &stop_requested,
		.stop_at_ns = &stop.at_ns,
		.verify = wp->verify,
		.verify_period = wp->segment,
	};
	unsigned n = p->streams;
	if (p->inspect == ZC_INSPECT_ENCRYPT)
		cp.tls_tx = tls_tx_setup(n, cell->chunk * (s->uses & ZC_USES_IOVECS && p->iovecs ? p->iovecs : 1),
					 env->faults.tls_corrupt, to_parent);
	struct stream *st = calloc(n, sizeof *st);
	pthread_t *tid = calloc(n, sizeof *tid);
	if (!st || !tid)
		not_ready(to_parent, ENOMEM, "out of memory");
	for (unsigned k = 0; k < n; k++) {
		open_stream(&st[k], k, cell, wp, wr, &cp, to_parent);
		if (s->pipe_fds)
			st[k].npipes = s->pipe_fds(st[k].state, st[k].pipes, 4);
	}
	/* Placement: the main thread stays on the subject's CPU; stream k runs
	 * on CPU (subject + k) mod the online CPUs, so streams spread over the
	 * machine (stream 0 shares the main thread's CPU, which only waits). */
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	for (unsigned k = 0; k < n; k++)
		st[k].cpu = env->subject_cpu < 0 || ncpu < 1 ? -1 : (int)((env->subject_cpu + (long)k) % ncpu);
	st[0].tid = n == 1 ? (pid_t)syscall(SYS_gettid) : 0;
	if (n == 1)
		warm_allocator(&st[0]);
	stop.streams = st;
	stop.n = n;
	stop.checkpoint_ms = p->checkpoint_ms ? p->checkpoint_ms : ZC_CHECKPOINT_MS;
	stop.interrupt_blocked = p->deadlines;
	pthread_t watcher;
	int we = pthread_create(&watcher, NULL, signal_watcher, &stop_signals);
	if (we)
		not_ready(to_parent, we, "pthread_create (signal watcher) failed");

	/* Streams beyond one run on threads started now, parked until the
	 * window opens (struct gate). */
	struct gate gate = {.running = n, .probes = env->probes};
	if (n > 1) {
		for (unsigned k = 0; k < n; k++) {
			st[k].gate = &gate;
			int e = pthread_create(&tid[k], NULL, stream_thread, &st[k]);
			if (e)
				not_ready(to_parent, e, "pthread_create failed");
		}
		for (unsigned k = 0; k < n; k++)
			wait_asleep(&st[k].tid);
	}
	wait_asleep(&stop.watcher_tid);
	pid_t stream_tids[ZC_MAX_STREAMS], harness_tids[2];
	unsigned nharness = 0;
	for (unsigned k = 0; k < n; k++)
		stream_tids[k] = st[k].tid;
	harness_tids[nharness++] = stop.watcher_tid;
	if (n > 1)
		harness_tids[nharness++] = (pid_t)syscall(SYS_gettid);
	zc_probes_register_threads(env->probes, stream_tids, n, harness_tids, nharness);
	if (p->victim_bytes)
		victim_setup(&cp, st, n, cell, zc_probes_stream_switches(env->probes), to_parent);
	zc_probes_subject_init(env->probes);

	if (env->faults.subject_stop) {
		zc_fault_note("subject-stop: stopping before the window");
		raise(SIGSTOP);
	}
	struct zc_ready_msg ready = {0};
	if (write(to_parent, &ready, sizeof ready) != (ssize_t)sizeof ready)
		_exit(1);
	char go;
	ssize_t r;
	do
		r = read(from_parent, &go, 1);
	while (r < 0 && errno == EINTR);
	if (r != 1)
		_exit(0); /* the parent gave up on this run */

	timer_t *storm = NULL;
	uint64_t storm_ns = env->faults.signal_storm_ns;
	if (storm_ns) {
		storm = calloc(n, sizeof *storm);
		int e = storm ? storm_start(st, n, storm_ns, storm) : ENOMEM;
		if (e) {
			zc_fault_note("signal-storm: cannot start: %s", strerror(e));
			_exit(1);
		}
	}

	/* The window: only the copy between the two clock reads. */
	static struct thread_cpu cpu0, cpu1;
	struct rusage r0, r1;
	getrusage(RUSAGE_SELF, &r0);
	snapshot_threads(&cpu0);
	zc_probes_window_begin(env->probes);
	uint64_t t0 = now_ns(), t1;
	if (n == 1) {
		run_stream(&st[0]);
		t1 = now_ns();
	} else {
		__atomic_store_n(&gate.go, 1, __ATOMIC_RELEASE);
		futex_wake_all(&gate.go);
		for (uint32_t v; (v = __atomic_load_n(&gate.running, __ATOMIC_ACQUIRE)) != 0;)
			syscall(SYS_futex, &gate.running, FUTEX_WAIT_PRIVATE, v, NULL, NULL, 0);
		t1 = gate.t1;
	}
	zc_probes_window_end(env->probes);
	snapshot_threads(&cpu1);
	getrusage(RUSAGE_SELF, &r1);
	if (n > 1) {
		__atomic_store_n(&gate.release, 1, __ATOMIC_RELEASE);
		futex_wake_all(&gate.release);
	}
	if (storm)
		storm_stop(storm, n, storm_ns);
	/* No more checkpoint pokes: the copy is over. Block further stop
	 * signals too, so the record below is read once, complete. */
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	setitimer(ITIMER_REAL, &(struct itimerval){0}, NULL);

	struct zc_result_msg m = {0};
	m.w.elapsed_ns = t1 - t0;
	m.w.user_ns = ns_of(r1.ru_utime) - ns_of(r0.ru_utime);
	m.w.sys_ns = ns_of(r1.ru_stime) - ns_of(r0.ru_stime);
	m.w.nvcsw = r1.ru_nvcsw - r0.ru_nvcsw;
	m.w.nivcsw = r1.ru_nivcsw - r0.ru_nivcsw;
	m.w.minflt = r1.ru_minflt - r0.ru_minflt;
	m.w.majflt = r1.ru_majflt - r0.ru_majflt;
	if (stop_requested) {
		/* The watcher samples what was in flight; give it a moment to
		 * finish (it can wait on a pipe lock for up to a checkpoint). */
		for (int i = 0; i < 2000 && !__atomic_load_n(&stop.sampled, __ATOMIC_ACQUIRE); i++)
			nanosleep(&(struct timespec){0, 1000000}, NULL);
		m.stop_requested = true;
		m.w.stop_to_return_ns = t1 > stop.at_ns ? t1 - stop.at_ns : 0;
		m.w.moved_at_stop = stop.moved_at;
		m.w.in_flight_at_stop = stop.in_flight;
	}
	if (cp.victims)
		victim_report(&cp, n, &m.w);
	split_cpu(&cpu0, &cpu1, stream_tids, n, harness_tids, nharness, &m.w);
	m.w.main_cpu = (int16_t)env->subject_cpu;
	for (unsigned k = 0; k < n; k++)
		m.w.stream_cpu[k] = (int16_t)st[k].cpu;
	uint32_t want_crc = p->inspect == ZC_INSPECT_CHECKSUM ? expected_crc(wp) : 0;
	m.checksummed = p->inspect == ZC_INSPECT_CHECKSUM;
	for (unsigned k = 0; k < n; k++) {
		if (n > 1)
			pthread_join(tid[k], NULL);
		struct zc_transfer_result *tr = &st[k].tr;
		if (s->after_window)
			s->after_window(st[k].state,
					&(struct zc_io){.src = st[k].src[0],
							.dst = {st[k].dst[0], st[k].dst[1]},
							.ndst = st[k].ndst},
					tr);
		if (tr->err && !m.err) {
			m.err = tr->err;
			snprintf(m.what, sizeof m.what, "%s", tr->what ? tr->what : "");
		}
		m.stopped |= tr->stopped;
		m.moved += tr->moved;
		m.w.stranded += tr->stranded;
		m.w.zc_sent_copied += tr->zc_copied_bytes;
		m.w.zc_sent_pinned += tr->zc_pinned_bytes;
		for (unsigned i = 0; i < ZC_MAX_STATS; i++)
			m.w.stats[i] += tr->stats[i];
		if (k == 0) {
			snprintf(m.path, sizeof m.path, "%s", tr->path ? tr->path : s->name);
			m.ktls_zerocopy_ro = st[0].ktls_zerocopy_ro;
			m.crc = tr->crc;
		}
		if (tr->mismatch && !m.mismatch) {
			m.mismatch = true;
			m.mismatch_at = tr->mismatch_at;
			m.mismatch_stream = k;
		}
		if (m.checksummed && tr->crc != want_crc && !tr->err && !tr->stopped) {
			m.checksummed = false;
			snprintf(m.checksum_error, sizeof m.checksum_error, "stream %u: CRC32C %08x, expected %08x", k,
				 tr->crc, want_crc);
		}
	}
	/* A memory sink leaves nothing to check afterwards: the kernel's count
	 * of what left each socket's receive queue is the witness. */
	if (p->workload->sink == ZC_EP_MEM && p->workload->source == ZC_EP_TCP) {
		m.have_consumed = true;
		for (unsigned k = 0; k < n && m.have_consumed; k++) {
			uint64_t c = 0;
			m.have_consumed = zc_tcp_consumed(st[k].src[0], &c) == 0;
			m.consumed += c;
		}
	}
	/* Closing the sinks is what tells a peer its streams ended. */
	for (unsigned k = 0; k < n; k++) {
		if (s->release)
			s->release(st[k].state);
		for (unsigned j = 0; j < st[k].ndst; j++)
			close(st[k].dst[j]);
	}
	send_and_exit(to_parent, &m, sizeof m, 0);
}
