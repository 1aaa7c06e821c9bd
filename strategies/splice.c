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

static int splice_prepare(void *state, const struct zc_copy_params *p, const char **what)
{
	struct splice_state *s = state;
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0) {
		*what = "pipe2";
		return errno;
	}
	s->pipe_r = fds[0];
	s->pipe_w = fds[1];
	if (p->pipe_size && fcntl(s->pipe_w, F_SETPIPE_SZ, (int)p->pipe_size) < 0) {
		*what = "fcntl(F_SETPIPE_SZ)";
		return errno;
	}
	int sz = fcntl(s->pipe_w, F_GETPIPE_SZ);
	if (sz < 0) {
		*what = "fcntl(F_GETPIPE_SZ)";
		return errno;
	}
	s->pipe_size = (size_t)sz;
	/* Fill and empty the pipe once so the kernel has allocated its ring before
	 * the window opens. */
	static const char zeros[4096];
	size_t left = s->pipe_size;
	while (left > 0) {
		ssize_t w = write(s->pipe_w, zeros, left < sizeof zeros ? left : sizeof zeros);
		if (w <= 0) {
			*what = "write(pipe)";
			return w < 0 ? errno : EIO;
		}
		char sink[4096];
		if (read(s->pipe_r, sink, (size_t)w) != w) {
			*what = "read(pipe)";
			return errno ? errno : EIO;
		}
		left -= (size_t)w;
	}
	return 0;
}

/* Move `n` bytes already in the pipe to dst. Returns 0 or an errno. */
static int drain_pipe(struct splice_state *s, int dst, size_t n, const struct zc_copy_params *p,
		      struct zc_transfer_result *r)
{
	while (n > 0) {
		ssize_t m = splice(s->pipe_r, NULL, dst, NULL, n, SPLICE_F_MOVE);
		if (m > 0) {
			n -= (size_t)m;
			r->moved += (uint64_t)m;
			continue;
		}
		if (m == 0)
			return EIO; /* the pipe cannot be empty while we hold bytes in it */
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {
			int err = zc_wait_ready(dst, POLLOUT, p);
			if (!err)
				continue;
			return err;
		}
		return errno;
	}
	return 0;
}

static void splice_transfer(void *state, const struct zc_copy_params *p, int src, int dst, struct zc_transfer_result *r)
{
	struct splice_state *s = state;
	r->path = "splice";
	for (;;) {
		ssize_t n = splice(src, NULL, s->pipe_w, NULL, p->chunk, SPLICE_F_MOVE);
		if (n > 0) {
			int err = drain_pipe(s, dst, (size_t)n, p, r);
			if (err) {
				r->err = err;
				r->what = "splice(pipe->sink)";
				return;
			}
			continue;
		}
		if (n == 0)
			return;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {
			int err = zc_wait_ready(src, POLLIN, p);
			if (!err)
				continue;
			r->err = err;
		} else {
			r->err = errno;
		}
		r->what = "splice(source->pipe)";
		return;
	}
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
	.sees_data = false,
	.uses = ZC_USES_PIPE,
	.default_chunk = 1024 * 1024,
	.state_size = sizeof(struct splice_state),
	.prepare = splice_prepare,
	.transfer = splice_transfer,
	.release = splice_release,
};
