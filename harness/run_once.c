/* The parent's side of one run: start the sink, fork the subject, open its
 * window, collect what it and the sink report, and judge the run. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cell.h"
#include "subject.h"
#include "window_split.h"
#include "../workloads/page_cache.h"
#include "../workloads/source_file.h"

const char *zc_cell_unsupported(const struct zc_strategy *s, const struct zc_workload *w)
{
	if (!(s->sources & w->source))
		return "its source kind is not supported by this strategy";
	if (!(s->sinks & w->sink))
		return "its sink kind is not supported by this strategy";
	if (w->nsinks > s->max_sinks)
		return "it has two sinks and this strategy writes to one";
	if (w->nsinks < (s->min_sinks ? s->min_sinks : 1))
		return "this strategy needs two sinks";
	return NULL;
}

void zc_workload_label(const struct zc_cell_params *p, char *buf, size_t len)
{
	if (p->remote)
		snprintf(buf, len, "%s (remote)", p->workload->name);
	else if (p->net_path == ZC_NET_VETH)
		snprintf(buf, len, "%s over veth, MTU %u", p->workload->name, p->mtu);
	else if (p->net_path == ZC_NET_BLACKHOLE)
		snprintf(buf, len, "%s into the blackhole", p->workload->name);
	else
		snprintf(buf, len, "%s", p->workload->name);
}

bool zc_cell_zc_sends(const struct zc_cell *c, uint64_t *completed, uint64_t *copied)
{
	const char *const *names = c->p.strategy->stat_names;
	int done = -1, cp = -1;
	for (int i = 0; names && names[i] && i < ZC_MAX_STATS; i++) {
		if (strcmp(names[i], "completions") == 0 || strcmp(names[i], "notifications") == 0)
			done = i;
		else if (strcmp(names[i], "zc_copied") == 0)
			cp = i;
	}
	if (done < 0 || cp < 0)
		return false;
	*completed = *copied = 0;
	for (size_t i = 0; i < c->nruns; i++)
		if (!c->runs[i].warmup && c->runs[i].measured) {
			*completed += c->runs[i].w.stats[done];
			*copied += c->runs[i].w.stats[cp];
		}
	return true;
}

static void set_reason(struct zc_cell *c, enum zc_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_reason(struct zc_cell *c, enum zc_status st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof c->reason, fmt, ap);
	va_end(ap);
	c->status = st;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Read exactly len bytes from fd, waking at least every 100 ms to look for
 * an interruption, giving up after timeout_ns. Returns 0, -1 on end of file
 * or error, -2 on timeout, -3 when interrupted. */
static int read_msg(int fd, void *buf, size_t len, uint64_t timeout_ns, const volatile sig_atomic_t *intr)
{
	size_t got = 0;
	uint64_t deadline = mono_ns() + timeout_ns;
	while (got < len) {
		if (intr && *intr)
			return -3;
		uint64_t now = mono_ns();
		if (now >= deadline)
			return -2;
		uint64_t left_ms = (deadline - now + 999999) / 1000000;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int rc = poll(&pfd, 1, left_ms < 100 ? (int)left_ms : 100);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

static void close_pair(int fds[2])
{
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static void reap(pid_t pid, bool kill_first)
{
	if (pid <= 0)
		return;
	if (kill_first)
		kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* Stop a subject that is mid-window because the harness was interrupted:
 * SIGTERM, so it stops at its next checkpoint and drains, then SIGKILL if it
 * is not gone within the kill bound. */
static void stop_subject(pid_t pid, uint64_t kill_after_ns)
{
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	for (uint64_t deadline = mono_ns() + kill_after_ns; mono_ns() < deadline;) {
		pid_t r = waitpid(pid, NULL, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			return;
		struct timespec ts = {0, 5 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	reap(pid, true);
}

static int append_run(struct zc_cell *c, const struct zc_run *r)
{
	if (c->nruns == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct zc_run *n = realloc(c->runs, cap * sizeof *n);
		if (!n)
			return -1;
		c->runs = n;
		c->cap = cap;
	}
	c->runs[c->nruns++] = *r;
	return 0;
}

/* errnos that mean "this kernel or filesystem does not do that": a strategy
 * that could not move a byte for one of them is skipped, not failed. */
static bool unsupported_errno(int e)
{
	return e == EINVAL || e == EXDEV || e == EOPNOTSUPP || e == ENOSYS || e == EPROTONOSUPPORT;
}

void zc_cell_wl_params(const struct zc_env *env, const struct zc_cell *cell, bool verify, struct zc_wl_params *wp)
{
	const struct zc_cell_params *p = &cell->p;
	*wp = (struct zc_wl_params){
		.w = p->workload,
		.streams = p->streams,
		.transfers = p->transfers,
		.segment = p->size / p->streams / p->transfers,
		.verify = verify,
		.redact = p->inspect == ZC_INSPECT_REDACT,
		.dest_fresh = p->dest_fresh,
		.source_path = cell->source_path,
		.dest_base = cell->dest_base,
		.peer_cpu = env->peer_cpu,
		.drain = p->drain,
		.checkpoint_ms = p->checkpoint_ms,
		.deadlines = p->deadlines,
		.stall_after = p->stall_after,
		.faults = env->faults,
		.send_mode = p->send_mode,
		.remote = p->remote ? env->remote : NULL,
		.tls = p->ktls || p->inspect == ZC_INSPECT_ENCRYPT,
		.net = env->net,
		.udp_rcvbuf = p->udp_rcvbuf,
		.udp_gro = p->udp_gro,
	};
}

/* After a verification failure: where the pattern file the run read differs
 * from the pattern, or -1 (a memory source reads no file; -2 unreadable). */
static int64_t source_corrupt_at(const struct zc_cell *cell)
{
	const struct zc_cell_params *p = &cell->p;
	if (p->workload->source == ZC_EP_MEM || !cell->source_path[0])
		return -1;
	return zc_source_file_check(cell->source_path, p->size / p->streams / p->transfers);
}

/* Judge a finished run and fill the parts of run that the messages carry.
 * Returns 0 when the run counts. */
static int judge(struct zc_cell *cell, const struct zc_result_msg *m, bool have_msg, int frc, const char *err,
		 const struct zc_sink_report *rep, struct zc_run *run)
{
	const struct zc_cell_params *p = &cell->p;
	/* A run stopped by a signal delivers less than the size: the sinks must
	 * then hold exactly what the subject says it delivered. */
	bool stopped = run->killed || (have_msg && m->stop_requested);
	int64_t source_bad = -1;
	uint64_t delivered = have_msg ? m->moved : rep->received / p->workload->nsinks;
	uint64_t expect = stopped ? delivered : p->size;
	if (have_msg && m->err && m->moved == 0 && unsupported_errno(m->err)) {
		set_reason(cell, ZC_SKIPPED, "%s: %s", m->what, strerror(m->err));
	} else if (have_msg && m->err) {
		/* What the sinks got before the error is accounted too: the
		 * subject's count is what it handed to the kernel, theirs what
		 * arrived (less, when a reset discarded what was queued). */
		char sink[160] = "";
		/* A destination overwritten in place keeps its size and its
		 * poisoned tail whatever was written: nothing to say there. */
		bool counted =
			frc == 0 && (p->workload->sink != ZC_EP_FILE || p->dest_fresh ||
				     (p->workload->source == ZC_EP_TCP && run->verified)); /* a verified prefix */
		if (!counted)
			;
		else if (rep->mismatch_at >= 0)
			snprintf(sink, sizeof sink,
				 "; the sink%s received %" PRIu64 ", first wrong byte at offset %" PRId64,
				 p->workload->nsinks > 1 ? "s" : "", rep->received, rep->mismatch_at);
		else
			snprintf(sink, sizeof sink, "; the sink%s received %" PRIu64 "%s",
				 p->workload->nsinks > 1 ? "s" : "", rep->received,
				 run->verified ? ", every byte verified" : "");
		set_reason(cell, ZC_FAILED, "%s: %s (after %" PRIu64 " bytes%s)", m->what, strerror(m->err), m->moved,
			   sink);
	} else if (frc != 0) {
		set_reason(cell, ZC_FAILED, "sink: %s", err);
	} else if (rep->err) {
		set_reason(cell, ZC_FAILED, "peer %s: %s", rep->what, strerror(rep->err));
	} else if (!stopped && m->moved != p->size) {
		set_reason(cell, ZC_FAILED, "strategy moved %" PRIu64 " of %" PRIu64 " bytes%s", m->moved, p->size,
			   p->workload->source & (ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE) ? " (the source ended early)"
										       : "");
	} else if (p->workload->sink == ZC_EP_UDP && have_msg &&
		   (rep->received > delivered || rep->udp_datagrams > m->w.stats[0])) {
		/* Datagrams may be lost, never made up. */
		set_reason(cell, ZC_FAILED,
			   "the peer received %" PRIu64 " bytes in %" PRIu64 " datagrams, more than the %" PRIu64
			   " bytes in %" PRIu64 " datagrams sent",
			   rep->received, rep->udp_datagrams, delivered, m->w.stats[0]);
	} else if (p->workload->sink != ZC_EP_UDP && rep->received != expect * p->workload->nsinks) {
		/* Each sink gets every byte: a workload with two sinks receives twice. */
		set_reason(cell, ZC_FAILED,
			   "sinks received %" PRIu64 " bytes, the subject delivered %" PRIu64 " to each of %u",
			   rep->received, expect, p->workload->nsinks);
	} else if (rep->mismatch_at >= 0 && (source_bad = source_corrupt_at(cell)) >= 0) {
		/* The copy moved what it was given: the source was wrong. */
		set_reason(cell, ZC_FAILED,
			   "source file corrupt: %s differs from the pattern at offset %" PRId64
			   " (the sink's first wrong byte is at offset %" PRId64
			   "); not the strategy's fault, and the next run generates the file again",
			   cell->source_path, source_bad, rep->mismatch_at);
		zc_source_file_distrust(cell->source_path);
	} else if (rep->mismatch_at >= 0) {
		char tls[112] = "";
		if (rep->tls_error[0])
			snprintf(tls, sizeof tls, " (%s)", rep->tls_error);
		if (p->streams > 1 || p->workload->nsinks > 1)
			set_reason(cell, ZC_FAILED,
				   "verification failed: first wrong byte at offset %" PRId64
				   " of stream %d, sink %d%s",
				   rep->mismatch_at, rep->mismatch_stream, rep->mismatch_sink, tls);
		else
			set_reason(cell, ZC_FAILED, "verification failed: first wrong byte at offset %" PRId64 "%s",
				   rep->mismatch_at, tls);
	} else if (have_msg && !stopped && p->inspect == ZC_INSPECT_CHECKSUM && !m->checksummed) {
		set_reason(cell, ZC_FAILED, "checksum mismatch: %s", m->checksum_error);
	} else {
		run->bytes = delivered;
		run->have_peer_usage = rep->have_peer_usage;
		run->peer_user_ns = rep->peer_user_ns;
		run->peer_sys_ns = rep->peer_sys_ns;
		run->have_peer_zc = rep->have_peer_zc;
		run->peer_zc_sends = rep->peer_zc_sends;
		run->peer_zc_completions = rep->peer_zc_completions;
		run->peer_zc_copied = rep->peer_zc_copied;
		run->have_wire = p->ktls || p->inspect == ZC_INSPECT_ENCRYPT;
		run->wire_bytes = rep->wire / p->workload->nsinks; /* per sink, as bytes */
		if (p->workload->sink == ZC_EP_UDP && have_msg) {
			/* Loss is counted, never hidden: sent against received. */
			run->udp = true;
			run->udp_blackhole = rep->udp_blackhole;
			run->udp_sent_datagrams = m->w.stats[0];
			run->udp_sent_bytes = delivered;
			run->udp_recv_datagrams = rep->udp_datagrams;
			run->udp_recv_bytes = rep->received;
			run->udp_rcvbuf = rep->udp_rcvbuf;
			run->have_udp_drops = rep->have_udp_drops;
			run->udp_socket_drops = rep->udp_socket_drops;
			if (rep->udp_blackhole)
				run->verified = false; /* nothing arrives anywhere to check */
		}
		if (have_msg) {
			run->ktls_zerocopy_ro = m->ktls_zerocopy_ro;
			run->measured = true;
			run->w = m->w;
			run->checksummed = m->checksummed && !stopped;
			run->crc = m->crc;
		}
		return 0;
	}
	return -1;
}

int zc_run_once(const struct zc_env *env, struct zc_cell *cell, bool warmup, bool verify)
{
	const struct zc_cell_params *p = &cell->p;
	char err[512] = "";
	struct zc_wl_params wp;
	/* A run stopped early is checked byte by byte: what it delivered is
	 * the figure under test. */
	bool shutdown = p->shutdown_after_ns > 0 && !warmup;
	zc_cell_wl_params(env, cell, verify || shutdown, &wp);
	wp.stop_expected = shutdown;
	/* A blind strategy into memory leaves no byte anyone can check: only
	 * the kernel's count (recv_trunc). */
	bool checkable = p->workload->sink != ZC_EP_MEM || p->strategy->sees_data;
	struct zc_run run = {
		.warmup = warmup, .verified = (verify || shutdown) && checkable, .source_cached_bytes = -1};

	if (p->workload->source == ZC_EP_FILE) {
		if (p->cache_cold && zc_cache_evict(cell->source_path, err, sizeof err) != 0) {
			set_reason(cell, ZC_FAILED, "cold cache: %s", err);
			return -1;
		}
		run.source_cached_bytes = zc_cache_resident(cell->source_path, err, sizeof err);
	}

	struct zc_wl_run wr;
	if (zc_wl_start(&wp, &wr, err, sizeof err) != 0) {
		set_reason(cell, ZC_FAILED, "workload set-up: %s", err);
		return -1;
	}
	int down[2] = {-1, -1}, up[2] = {-1, -1};
	if (pipe2(down, O_CLOEXEC) != 0 || pipe2(up, O_CLOEXEC) != 0) {
		set_reason(cell, ZC_FAILED, "pipe2: %s", strerror(errno));
		close_pair(down);
		close_pair(up);
		zc_wl_abort(&wr);
		return -1;
	}
	fflush(NULL); /* nothing buffered may be written twice by the child */
	pid_t pid = fork();
	if (pid < 0) {
		set_reason(cell, ZC_FAILED, "fork: %s", strerror(errno));
		close_pair(down);
		close_pair(up);
		zc_wl_abort(&wr);
		return -1;
	}
	if (pid == 0) {
		close(down[1]);
		close(up[0]);
		zc_subject_main(env, cell, &wp, &wr, down[0], up[1]);
	}
	close(down[0]);
	close(up[1]);
	zc_wl_parent_side(&wr); /* the subject and the peer hold their own ends */

	int rc = -1;
	uint64_t timeout_ns = (uint64_t)env->run_timeout_ms * 1000000ull;
	struct zc_ready_msg ready;
	struct zc_result_msg m;
	int got = read_msg(up[0], &ready, sizeof ready, timeout_ns, env->interrupted);
	if (got == -3) {
		set_reason(cell, ZC_INTERRUPTED, "interrupted");
		goto kill_all;
	}
	if (got != 0) {
		set_reason(cell, ZC_FAILED, "subject died during set-up");
		goto kill_all;
	}
	if (ready.err) {
		/* The kernel or the environment lacks something: the errno says what. */
		set_reason(cell, ZC_SKIPPED, "%s", ready.reason);
		goto kill_all;
	}
	zc_probes_arm(env->probes, pid);
	if (write(down[1], "g", 1) != 1 || zc_wl_go(&wr) != 0) {
		set_reason(cell, ZC_FAILED, "cannot start the run: %s", strerror(errno));
		goto kill_all;
	}
	uint64_t signal_at = 0;
	if (shutdown) {
		/* The shutdown benchmark: SIGTERM mid-transfer, then the subject
		 * has until the kill bound to stop, drain and report. */
		run.shutdown = true;
		got = read_msg(up[0], &m, sizeof m, p->shutdown_after_ns, env->interrupted);
		if (got == -2) {
			kill(pid, SIGTERM);
			signal_at = mono_ns();
			got = read_msg(up[0], &m, sizeof m, p->kill_after_ns, env->interrupted);
			if (got == -2) {
				reap(pid, true);
				run.killed = true;
				run.signal_to_exit_ns = mono_ns() - signal_at;
				pid = -1;
			}
		} else if (got == 0) {
			run.finished_before_signal = true;
		}
	} else {
		got = read_msg(up[0], &m, sizeof m, timeout_ns, env->interrupted);
	}
	if (got == -3) {
		set_reason(cell, ZC_INTERRUPTED, "interrupted");
		goto kill_all;
	}
	if (got != 0 && !run.killed) {
		if (got == -2)
			set_reason(cell, ZC_FAILED, "subject did not finish within %lu ms", env->run_timeout_ms);
		else
			set_reason(cell, ZC_FAILED, "subject died during its window");
		goto kill_all;
	}
	if (!run.killed) {
		run.counters = zc_probes_collect(env->probes, pid);
		if (run.counters && got == 0) {
			zc_split_zerocopy_bytes(run.counters, &m.w);
			zc_set_mapped_bytes(run.counters, &m.w, cell->p.strategy->stat_names);
		}
		reap(pid, false);
		pid = -1;
		if (signal_at)
			run.signal_to_exit_ns = mono_ns() - signal_at;
	}
	/* A stalled peer resumes once the subject is gone, and drains what the
	 * kernel still holds, so every delivered byte is counted and checked. */
	if (wr.peer > 0 && p->stall_after != UINT64_MAX)
		kill(wr.peer, SIGUSR1);

	struct zc_sink_report rep;
	err[0] = 0;
	int frc = zc_wl_finish(&wp, &wr, &rep, err, sizeof err);
	if (frc == 0 && !run.killed && p->workload->sink == ZC_EP_MEM) {
		/* A memory sink: the subject checked what it consumed, and the
		 * kernel counted it. */
		if (m.have_consumed) {
			rep.received = m.consumed;
		} else {
			frc = -1;
			snprintf(err, sizeof err, "the kernel's count of consumed bytes (TCP_INFO) is unreadable");
		}
		if (m.mismatch && rep.mismatch_at < 0) {
			rep.mismatch_at = (int64_t)m.mismatch_at;
			rep.mismatch_stream = (int)m.mismatch_stream;
			rep.mismatch_sink = 0;
		}
	}
	if (!run.killed)
		snprintf(cell->path, sizeof cell->path, "%s", m.path);
	if (judge(cell, &m, !run.killed, frc, err, &rep, &run) == 0) {
		if (append_run(cell, &run) == 0) {
			cell->verified_once |= verify;
			rc = 0;
		} else {
			set_reason(cell, ZC_FAILED, "out of memory");
		}
	}
	if (rc != 0 && run.counters)
		json_decref(run.counters);
	close(up[0]);
	close(down[1]);
	return rc;

kill_all:
	stop_subject(pid, p->kill_after_ns ? p->kill_after_ns : 2000000000ull);
	zc_wl_abort(&wr);
	close(up[0]);
	close(down[1]);
	return -1;
}

void zc_cell_cleanup(struct zc_cell *cell)
{
	if (cell->dest_base[0])
		zc_wl_remove_dests(cell->dest_base, cell->p.streams, cell->p.workload->nsinks);
}

void zc_cell_free(struct zc_cell *cell)
{
	for (size_t i = 0; i < cell->nruns; i++)
		json_decref(cell->runs[i].counters);
	free(cell->runs);
	cell->runs = NULL;
	cell->nruns = cell->cap = 0;
}
