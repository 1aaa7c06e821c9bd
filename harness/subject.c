#include "subject.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

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

static _Noreturn void not_ready(int to_parent, int err, const char *what, const char *reason)
{
	struct zc_ready_msg m = {.err = err ? err : EIO};
	snprintf(m.what, sizeof m.what, "%s", what);
	snprintf(m.reason, sizeof m.reason, "%s", reason);
	send_and_exit(to_parent, &m, sizeof m, 0);
}

_Noreturn void zc_subject_main(const struct zc_env *env, const struct zc_cell *cell, const struct zc_sink_cfg *sink_cfg,
			       struct zc_sink_run *sink_run, int from_parent, int to_parent)
{
	char err[256] = "";
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* no subject outlives the harness */
	zc_pin_cpu(env->subject_cpu);

	const struct zc_cell_params *p = &cell->p;
	const struct zc_strategy *s = p->strategy;
	/* One descriptor per transfer, opened now: each starts at offset 0 and no
	 * lseek or open lands in the window. */
	int *src = calloc(p->transfers, sizeof *src);
	if (!src)
		not_ready(to_parent, ENOMEM, "calloc", "out of memory");
	for (uint64_t i = 0; i < p->transfers; i++) {
		src[i] = open(cell->source_path, O_RDONLY | O_CLOEXEC);
		if (src[i] < 0) {
			snprintf(err, sizeof err, "open %s: %s", cell->source_path, strerror(errno));
			not_ready(to_parent, errno, "open", err);
		}
	}
	int dst;
	if (p->workload->sink_ops->open(sink_cfg, sink_run, &dst, err, sizeof err) != 0)
		not_ready(to_parent, errno, "sink", err);

	struct zc_copy_params cp = {
		.chunk = cell->chunk,
		.pipe_size = p->pipe_size,
		.alloc = p->alloc,
		.src_kind = p->workload->source,
		.dst_kind = p->workload->sink,
	};
	void *state = calloc(1, s->state_size ? s->state_size : 1);
	if (!state)
		not_ready(to_parent, ENOMEM, "calloc", "out of memory");
	if (s->prepare) {
		const char *what = "prepare";
		int e = s->prepare(state, &cp, &what);
		if (e) {
			snprintf(err, sizeof err, "%s: %s", what, strerror(e));
			not_ready(to_parent, e, what, err);
		}
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
	struct zc_result_msg m = {0};
	struct zc_transfer_result tr = {0};
	struct rusage r0, r1;
	getrusage(RUSAGE_SELF, &r0);
	zc_probes_window_begin(env->probes);
	uint64_t t0 = now_ns();
	for (uint64_t i = 0; i < p->transfers && !tr.err; i++)
		s->transfer(state, &cp, src[i], dst, &tr);
	uint64_t t1 = now_ns();
	zc_probes_window_end(env->probes);
	getrusage(RUSAGE_SELF, &r1);

	m.err = tr.err;
	snprintf(m.what, sizeof m.what, "%s", tr.what ? tr.what : "");
	snprintf(m.path, sizeof m.path, "%s", tr.path ? tr.path : s->name);
	m.moved = tr.moved;
	m.elapsed_ns = t1 - t0;
	m.user_ns = ns_of(r1.ru_utime) - ns_of(r0.ru_utime);
	m.sys_ns = ns_of(r1.ru_stime) - ns_of(r0.ru_stime);
	m.nvcsw = r1.ru_nvcsw - r0.ru_nvcsw;
	m.nivcsw = r1.ru_nivcsw - r0.ru_nivcsw;
	m.minflt = r1.ru_minflt - r0.ru_minflt;
	m.majflt = r1.ru_majflt - r0.ru_majflt;

	if (s->release)
		s->release(state);
	free(state);
	/* Closing the sink is what tells a peer the stream ended. */
	close(dst);
	for (uint64_t i = 0; i < p->transfers; i++)
		close(src[i]);
	free(src);
	send_and_exit(to_parent, &m, sizeof m, 0);
}
