#include "subject.h"

#include <errno.h>
#include <fcntl.h>
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
#include <linux/sockios.h>
#include <time.h>
#include <unistd.h>

#include "../strategies/io_util.h"
#include "../workloads/crc32c.h"
#include "../workloads/pattern.h"

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
	pthread_barrier_t *start, *done;
	pid_t tid;    /* the thread running it, for interrupting blocked calls */
	int pipes[4]; /* the strategy's own pipes (read ends) */
	unsigned npipes;
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

static void *stream_thread(void *arg)
{
	struct stream *st = arg;
	st->tid = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(st->start);
	run_stream(st);
	pthread_barrier_wait(st->done);
	return NULL;
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
	};
	unsigned n = p->streams;
	struct stream *st = calloc(n, sizeof *st);
	pthread_t *tid = calloc(n, sizeof *tid);
	if (!st || !tid)
		not_ready(to_parent, ENOMEM, "out of memory");
	for (unsigned k = 0; k < n; k++) {
		open_stream(&st[k], k, cell, wp, wr, &cp, to_parent);
		if (s->pipe_fds)
			st[k].npipes = s->pipe_fds(st[k].state, st[k].pipes, 4);
	}
	st[0].tid = n == 1 ? (pid_t)syscall(SYS_gettid) : 0;
	stop.streams = st;
	stop.n = n;
	stop.checkpoint_ms = p->checkpoint_ms ? p->checkpoint_ms : ZC_CHECKPOINT_MS;
	stop.interrupt_blocked = p->deadlines;
	pthread_t watcher;
	int we = pthread_create(&watcher, NULL, signal_watcher, &stop_signals);
	if (we)
		not_ready(to_parent, we, "pthread_create (signal watcher) failed");

	/* Streams beyond one run on threads started now, parked on a barrier
	 * that the window opens. */
	pthread_barrier_t start, done;
	if (n > 1) {
		if (pthread_barrier_init(&start, NULL, n + 1) != 0 || pthread_barrier_init(&done, NULL, n + 1) != 0)
			not_ready(to_parent, EAGAIN, "pthread_barrier_init failed");
		for (unsigned k = 0; k < n; k++) {
			st[k].start = &start;
			st[k].done = &done;
			int e = pthread_create(&tid[k], NULL, stream_thread, &st[k]);
			if (e)
				not_ready(to_parent, e, "pthread_create failed");
		}
	}
	/* --victim: each stream's working set, faulted in and walked warm now;
	 * the same walk with no copy in between is the baseline. */
	double baseline = 0;
	if (p->victim_bytes) {
		cp.victims = calloc(n, sizeof *cp.victims);
		if (!cp.victims)
			not_ready(to_parent, ENOMEM, "out of memory");
		for (unsigned k = 0; k < n; k++) {
			void *b;
			if (posix_memalign(&b, 4096, p->victim_bytes) != 0)
				not_ready(to_parent, ENOMEM, "out of memory (victim working set)");
			zc_prefault(b, p->victim_bytes);
			cp.victims[k] = (struct zc_victim){.buf = b, .size = p->victim_bytes};
		}
		struct zc_victim *v = &cp.victims[0];
		for (int i = 0; i < 3; i++)
			zc_victim_walk(v);
		*v = (struct zc_victim){.buf = v->buf, .size = v->size};
		for (int i = 0; i < 50; i++)
			zc_victim_walk(v);
		baseline = v->lines ? (double)v->ns / (double)v->lines : 0;
		*v = (struct zc_victim){.buf = v->buf, .size = v->size};
	}
	zc_probes_subject_init(env->probes);

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

	/* The window: only the copy between the two clock reads. */
	struct rusage r0, r1;
	getrusage(RUSAGE_SELF, &r0);
	zc_probes_window_begin(env->probes);
	uint64_t t0 = now_ns();
	if (n == 1) {
		run_stream(&st[0]);
	} else {
		pthread_barrier_wait(&start);
		pthread_barrier_wait(&done);
	}
	uint64_t t1 = now_ns();
	zc_probes_window_end(env->probes);
	getrusage(RUSAGE_SELF, &r1);
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
	if (cp.victims) {
		for (unsigned k = 0; k < n; k++) {
			m.w.victim_ns += cp.victims[k].ns;
			m.w.victim_lines += cp.victims[k].lines;
			m.w.victim_walks += cp.victims[k].walks;
		}
		m.w.victim_baseline_ns_per_line = baseline;
	}
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
		for (unsigned i = 0; i < ZC_MAX_STATS; i++)
			m.w.stats[i] += tr->stats[i];
		if (k == 0) {
			snprintf(m.path, sizeof m.path, "%s", tr->path ? tr->path : s->name);
			m.crc = tr->crc;
		}
		if (m.checksummed && tr->crc != want_crc && !tr->err && !tr->stopped) {
			m.checksummed = false;
			snprintf(m.checksum_error, sizeof m.checksum_error, "stream %u: CRC32C %08x, expected %08x", k,
				 tr->crc, want_crc);
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
