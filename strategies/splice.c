/* splice: source -> pipe -> sink. The pipe holds references to pages, not a
 * copy of them; every byte put in the pipe is drained to the sink before the
 * transfer returns, so nothing is left in flight. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "io_util.h"
#include "strategy.h"

struct splice_state {
	int pipe_r, pipe_w;
	size_t pipe_size; /* as the kernel reports it, not as asked */
};

static int splice_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	(void)io;
	struct splice_state *s = state;
	return zc_pipe_open(&s->pipe_r, &s->pipe_w, p->pipe_size, &s->pipe_size, what);
}

/* One end is already a pipe: splice needs no pipe of its own in between. */
static void splice_direct(const struct zc_copy_params *p, const struct zc_io *io, struct zc_transfer_result *r)
{
	r->path = "splice (direct: one end is a pipe)";
	unsigned flags = SPLICE_F_MOVE | SPLICE_F_NONBLOCK;
	for (;;) {
		if (zc_between_chunks(p)) {
			r->stopped = true; /* nothing is held between calls */
			return;
		}
		ssize_t n = splice(io->src, NULL, io->dst[0], NULL, p->chunk, flags);
		if (n > 0) {
			r->moved += (uint64_t)n;
			continue;
		}
		if (n == 0)
			return;
		if (errno == EINTR || errno == EAGAIN) {
			/* Either end may be the one not ready: wait for both. */
			struct pollfd pfd[2] = {{.fd = io->src, .events = POLLIN},
						{.fd = io->dst[0], .events = POLLOUT}};
			if (poll(pfd, 2, (int)zc_checkpoint_ms(p)) >= 0 || errno == EINTR)
				continue;
		}
		r->err = errno;
		r->what = "splice";
		return;
	}
}

static void splice_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			    struct zc_transfer_result *r)
{
	struct splice_state *s = state;
	if (p->src_kind == ZC_EP_PIPE || p->dst_kind == ZC_EP_PIPE) {
		splice_direct(p, io, r);
		return;
	}
	r->path = "splice";
	for (;;) {
		/* The pipe is empty here: everything spliced in was drained out. */
		if (zc_between_chunks(p)) {
			r->stopped = true;
			return;
		}
		ssize_t n = splice(io->src, NULL, s->pipe_w, NULL, p->chunk, SPLICE_F_MOVE);
		if (n > 0) {
			uint64_t before = r->moved;
			int err = zc_splice_drain(s->pipe_r, io->dst[0], (size_t)n, p, &r->moved);
			if (zc_stopped_by(err, r)) {
				r->stranded += (uint64_t)n - (r->moved - before); /* left in the pipe */
				return;
			}
			if (err) {
				r->err = err;
				r->what = "splice(pipe->sink)";
				return;
			}
			continue;
		}
		if (n == 0)
			return;
		if (zc_retry(errno, io->src, POLLIN, p, r, "splice(source->pipe)"))
			continue;
		return;
	}
}

static unsigned splice_pipe_fds(void *state, int *fds, unsigned max)
{
	struct splice_state *s = state;
	if (max < 1)
		return 0;
	fds[0] = s->pipe_r;
	return 1;
}

static void splice_release(void *state)
{
	struct splice_state *s = state;
	close(s->pipe_r);
	close(s->pipe_w);
}

const struct zc_strategy zc_strategy_splice = {
	.name = "splice",
	.description = "splice() source -> in-kernel pipe -> sink, draining the pipe before returning",
	.sources = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE,
	.sinks = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE,
	.max_sinks = 1,
	.sees_data = false,
	.uses = ZC_USES_PIPE,
	.default_chunk = 1024 * 1024,
	.state_size = sizeof(struct splice_state),
	.prepare = splice_prepare,
	.transfer = splice_transfer,
	.pipe_fds = splice_pipe_fds,
	.release = splice_release,
};
