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
#include <unistd.h>

#include "cell.h"
#include "subject.h"

const char *zc_cell_unsupported(const struct zc_strategy *s, const struct zc_workload *w)
{
	if (!(s->sources & w->source))
		return "its source kind is not supported by this strategy";
	if (!(s->sinks & w->sink))
		return "its sink kind is not supported by this strategy";
	return NULL;
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

/* Read exactly len bytes from fd, waking every 100 ms to look for an
 * interruption, giving up after timeout_ms. Returns 0, -1 on end of file or
 * error, -2 on timeout, -3 when interrupted. */
static int read_msg(int fd, void *buf, size_t len, unsigned long timeout_ms, const volatile sig_atomic_t *intr)
{
	size_t got = 0;
	unsigned long waited = 0;
	while (got < len) {
		if (intr && *intr)
			return -3;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int rc = poll(&pfd, 1, 100);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return -1;
		if (rc == 0) {
			waited += 100;
			if (waited >= timeout_ms)
				return -2;
			continue;
		}
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
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

int zc_run_once(const struct zc_env *env, struct zc_cell *cell, bool warmup, bool verify)
{
	const struct zc_cell_params *p = &cell->p;
	const struct zc_sink_ops *ops = p->workload->sink_ops;
	char err[512] = "";
	struct zc_sink_cfg sc = {
		.expected = p->size,
		.period = p->size / p->transfers,
		.verify = verify,
		.dest_fresh = p->dest_fresh,
		.dest_path = cell->dest_path,
		.peer_cpu = env->peer_cpu,
		.drain = p->drain,
	};
	struct zc_sink_run sr = {.listen_fd = -1, .report_fd = -1, .peer = -1};
	if (ops->start(&sc, &sr, err, sizeof err) != 0) {
		set_reason(cell, ZC_FAILED, "sink set-up: %s", err);
		return -1;
	}

	int down[2], up[2];
	if (pipe2(down, O_CLOEXEC) != 0) {
		set_reason(cell, ZC_FAILED, "pipe2: %s", strerror(errno));
		ops->abort(&sr);
		return -1;
	}
	if (pipe2(up, O_CLOEXEC) != 0) {
		set_reason(cell, ZC_FAILED, "pipe2: %s", strerror(errno));
		close(down[0]);
		close(down[1]);
		ops->abort(&sr);
		return -1;
	}
	fflush(NULL); /* nothing buffered may be written twice by the child */
	pid_t pid = fork();
	if (pid < 0) {
		set_reason(cell, ZC_FAILED, "fork: %s", strerror(errno));
		close(down[0]);
		close(down[1]);
		close(up[0]);
		close(up[1]);
		ops->abort(&sr);
		return -1;
	}
	if (pid == 0) {
		close(down[1]);
		close(up[0]);
		zc_subject_main(env, cell, &sc, &sr, down[0], up[1]);
	}
	close(down[0]);
	close(up[1]);
	if (sr.listen_fd >= 0) {
		close(sr.listen_fd); /* the peer and the subject hold their own */
		sr.listen_fd = -1;
	}

	int rc = -1;
	struct zc_ready_msg ready;
	struct zc_result_msg m;
	int got = read_msg(up[0], &ready, sizeof ready, env->run_timeout_ms, env->interrupted);
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
	if (write(down[1], "g", 1) != 1) {
		set_reason(cell, ZC_FAILED, "cannot start subject: %s", strerror(errno));
		goto kill_all;
	}
	got = read_msg(up[0], &m, sizeof m, env->run_timeout_ms, env->interrupted);
	if (got == -3) {
		set_reason(cell, ZC_INTERRUPTED, "interrupted");
		goto kill_all;
	}
	if (got != 0) {
		if (got == -2)
			set_reason(cell, ZC_FAILED, "subject did not finish within %lu ms", env->run_timeout_ms);
		else
			set_reason(cell, ZC_FAILED, "subject died during its window");
		goto kill_all;
	}
	struct zc_run run = {.warmup = warmup, .verified = verify};
	run.counters = zc_probes_collect(env->probes, pid);
	reap(pid, false);
	pid = -1;

	struct zc_sink_report rep = {.mismatch_at = -1};
	err[0] = 0;
	int frc = ops->finish(&sc, &sr, &rep, err, sizeof err);
	snprintf(cell->path, sizeof cell->path, "%s", m.path);
	if (m.err) {
		set_reason(cell, ZC_FAILED, "%s: %s (after %" PRIu64 " bytes)", m.what, strerror(m.err), m.moved);
	} else if (frc != 0) {
		set_reason(cell, ZC_FAILED, "sink: %s", err);
	} else if (rep.err) {
		set_reason(cell, ZC_FAILED, "peer %s: %s", rep.what, strerror(rep.err));
	} else if (m.moved != p->size) {
		set_reason(cell, ZC_FAILED, "strategy moved %" PRIu64 " of %" PRIu64 " bytes", m.moved, p->size);
	} else if (rep.received != p->size) {
		set_reason(cell, ZC_FAILED, "sink received %" PRIu64 " of %" PRIu64 " bytes", rep.received, p->size);
	} else if (rep.mismatch_at >= 0) {
		set_reason(cell, ZC_FAILED, "verification failed: first wrong byte at offset %" PRId64,
			   rep.mismatch_at);
	} else {
		run.bytes = m.moved;
		run.elapsed_ns = m.elapsed_ns;
		run.user_ns = m.user_ns;
		run.sys_ns = m.sys_ns;
		run.nvcsw = m.nvcsw;
		run.nivcsw = m.nivcsw;
		run.minflt = m.minflt;
		run.majflt = m.majflt;
		run.have_peer_usage = rep.have_peer_usage;
		run.peer_user_ns = rep.peer_user_ns;
		run.peer_sys_ns = rep.peer_sys_ns;
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
	reap(pid, true);
	ops->abort(&sr);
	close(up[0]);
	close(down[1]);
	return -1;
}

void zc_cell_cleanup(struct zc_cell *cell)
{
	if (cell->dest_path[0])
		unlink(cell->dest_path);
}

void zc_cell_free(struct zc_cell *cell)
{
	for (size_t i = 0; i < cell->nruns; i++)
		json_decref(cell->runs[i].counters);
	free(cell->runs);
	cell->runs = NULL;
	cell->nruns = cell->cap = 0;
}
