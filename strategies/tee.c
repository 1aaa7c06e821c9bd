/* tee: one stream to two sinks without copying. splice() fills pipe A from
 * the source, tee() duplicates A's page references into pipe B, and both
 * pipes are spliced to their sinks; both are empty before the next round. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "io_util.h"
#include "strategy.h"

struct tee_state {
	int a_r, a_w, b_r, b_w;
	size_t a_size, b_size;
};

static int tee_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	(void)io;
	struct tee_state *s = state;
	s->a_r = s->a_w = s->b_r = s->b_w = -1;
	int e = zc_pipe_open(&s->a_r, &s->a_w, p->pipe_size, &s->a_size, what);
	return e ? e : zc_pipe_open(&s->b_r, &s->b_w, p->pipe_size, &s->b_size, what);
}

static void tee_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			 struct zc_transfer_result *r)
{
	struct tee_state *s = state;
	r->path = "splice -> pipe, tee -> pipe, splice both";
	size_t step = p->chunk < s->b_size ? p->chunk : s->b_size;
	/* Bytes delivered to the second sink, counted from where the first
	 * sink's count stands now (earlier transfers are in r->moved). */
	uint64_t second = r->moved;
	for (;;) {
		if (zc_between_chunks(p)) {
			r->stopped = true;
			return;
		}
		ssize_t n = splice(io->src, NULL, s->a_w, NULL, step, SPLICE_F_MOVE);
		if (n == 0)
			return;
		if (n < 0) {
			if (zc_retry(errno, io->src, POLLIN, p, r, "splice(source->pipe)"))
				continue;
			return;
		}
		/* tee() may duplicate less than asked; it never consumes A. */
		for (ssize_t teed = 0; teed < n;) {
			ssize_t t = tee(s->a_r, s->b_w, (size_t)(n - teed), 0);
			if (t < 0 && errno == EINTR)
				continue;
			if (t <= 0) {
				r->err = t < 0 ? errno : EIO;
				r->what = "tee";
				return;
			}
			int err = zc_splice_drain(s->b_r, io->dst[1], (size_t)t, p, &second);
			if (zc_stopped_by(err, r)) {
				/* Stranded: what neither sink got of this round. */
				r->stranded += (uint64_t)(n - teed);
				return;
			}
			if (err) {
				r->err = err;
				r->what = "splice(pipe B->second sink)";
				return;
			}
			/* A's first t bytes are now duplicated: drain them to sink 1 so
			 * the next tee() starts at the bytes not yet duplicated. */
			uint64_t before = r->moved;
			err = zc_splice_drain(s->a_r, io->dst[0], (size_t)t, p, &r->moved);
			if (zc_stopped_by(err, r)) {
				r->stranded += (uint64_t)(n - teed) - (r->moved - before);
				return;
			}
			if (err) {
				r->err = err;
				r->what = "splice(pipe A->first sink)";
				return;
			}
			teed += t;
		}
		if (second != r->moved) {
			r->err = EIO;
			r->what = "tee (sinks diverged)";
			return;
		}
	}
}

static unsigned tee_pipe_fds(void *state, int *fds, unsigned max)
{
	struct tee_state *s = state;
	if (max < 2)
		return 0;
	fds[0] = s->a_r;
	fds[1] = s->b_r;
	return 2;
}

static void tee_release(void *state)
{
	struct tee_state *s = state;
	int fds[] = {s->a_r, s->a_w, s->b_r, s->b_w};
	for (unsigned i = 0; i < 4; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

const struct zc_strategy zc_strategy_tee = {
	.name = "tee",
	.description = "one stream to two sinks: splice() into a pipe, tee() it to a second pipe, splice() both out",
	.sources = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE,
	.sinks = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE,
	.min_sinks = 2,
	.max_sinks = 2,
	.sees_data = false,
	.default_chunk = 1024 * 1024,
	.uses = ZC_USES_PIPE,
	.state_size = sizeof(struct tee_state),
	.prepare = tee_prepare,
	.transfer = tee_transfer,
	.pipe_fds = tee_pipe_fds,
	.release = tee_release,
};
