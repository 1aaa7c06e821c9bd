/* io_uring_splice: IORING_OP_SPLICE source -> pipe -> sink. Each chunk is
 * spliced into the pipe and, linked behind it (IOSQE_IO_LINK), out to the
 * sink; whatever the second splice leaves is drained before the next chunk,
 * so nothing stays in the pipe between chunks or after the transfer. When
 * the source or the sink is itself a pipe, one splice moves it directly.
 * The kernel runs every splice in an io-wq worker (splice has no
 * non-blocking mode), so waits here are bounded by a checkpoint, and after a
 * stop request what is in the pipe is drained for one checkpoint at most,
 * less if the sink took nothing for a whole one: then the splice is
 * cancelled and what the pipe still holds is counted as stranded. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "io_uring_util.h"
#include "io_util.h"
#include "strategy.h"

enum { ST_SPLICES, ST_RESUBMITS };
static const char *const uring_splice_stats[] = {"splices", "resubmits", NULL};

enum { T_FIRST = 1, T_SECOND, T_CANCEL };

/* Checkpoints to wait for cancelled splices before leaving them to the
 * ring's teardown. */
#define GIVE_UP_CHECKPOINTS 10

struct uring_splice_state {
	struct io_uring ring;
	bool ring_ok;
	bool direct;
	int pipe_r, pipe_w;
	size_t pipe_size;
	uint64_t last_ms; /* when a splice last completed */
	uint64_t stop_ms; /* when the stop request was seen; 0 before */
};

static int uring_splice_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	(void)io;
	struct uring_splice_state *s = state;
	s->pipe_r = s->pipe_w = -1;
	s->direct = p->src_kind == ZC_EP_PIPE || p->dst_kind == ZC_EP_PIPE;
	const struct zc_uring_op *ops[] = {&zc_uring_op_splice};
	int e = zc_uring_open(&s->ring, 8, ops, 1, what);
	if (e)
		return e;
	s->ring_ok = true;
	return s->direct ? 0 : zc_pipe_open(&s->pipe_r, &s->pipe_w, p->pipe_size, &s->pipe_size, what);
}

static int queue_splice(struct uring_splice_state *s, int in, int out, size_t n, uint64_t tag, bool link,
			struct zc_transfer_result *r)
{
	int err = 0;
	struct io_uring_sqe *sqe = zc_uring_sqe(&s->ring, &err);
	if (!sqe)
		return err;
	/* Offsets -1: a file's own position, which advances as it would for
	 * splice(2) with NULL offsets; pipes have none. */
	io_uring_prep_splice(sqe, in, -1, out, -1, (unsigned)n, SPLICE_F_MOVE);
	io_uring_sqe_set_data64(sqe, tag);
	if (link)
		sqe->flags |= IOSQE_IO_LINK;
	r->stats[ST_SPLICES]++;
	return 0;
}

/* Submit what is queued and wait until the n splices tagged T_FIRST (and
 * T_SECOND) completed, res[] getting their results. Once a stop was
 * requested, splices still running a checkpoint after it, or after the last
 * completion (a stalled peer), are cancelled (*cancelled). A blocked splice
 * runs in an io-wq worker that no signal of ours reaches: only a cancel
 * gets it back. Returns 0 or an errno. */
static int run_splices(struct uring_splice_state *s, const struct zc_copy_params *p, unsigned n, int res[2],
		       bool *cancelled)
{
	bool done[2] = {false, n < 2};
	unsigned cancels = 0, stalls = 0, cp = zc_checkpoint_ms(p);
	*cancelled = false;
	while (!done[0] || !done[1] || cancels) {
		/* Half a checkpoint: a stop is seen within that, and the drain
		 * after it still ends within the bound. */
		unsigned wait = cp / 2 ? cp / 2 : 1;
		if (zc_stop_requested(p) && !*cancelled) {
			uint64_t now = zc_uring_now_ms();
			if (!s->stop_ms)
				s->stop_ms = now;
			uint64_t end = s->last_ms < s->stop_ms ? s->last_ms + cp : s->stop_ms + cp;
			if (now >= end) {
				int err = 0;
				struct io_uring_sqe *sqe = zc_uring_sqe(&s->ring, &err);
				if (!sqe)
					return err;
				io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL);
				io_uring_sqe_set_data64(sqe, T_CANCEL);
				cancels++;
				*cancelled = true;
			} else if (end - now < wait) {
				wait = (unsigned)(end - now);
			}
		}
		struct io_uring_cqe *cqe;
		int rc = zc_uring_wait(&s->ring, &cqe, wait);
		if (rc == EINTR)
			continue; /* a signal, not a quiet checkpoint */
		if (rc == ETIME) {
			/* Cancelled splices that never come back are left to the
			 * ring's teardown. */
			if (*cancelled && ++stalls > GIVE_UP_CHECKPOINTS)
				return ETIMEDOUT;
			continue;
		}
		if (rc)
			return rc;
		s->last_ms = zc_uring_now_ms();
		do {
			uint64_t tag = io_uring_cqe_get_data64(cqe);
			if (tag == T_CANCEL) {
				cancels--;
			} else if (tag == T_FIRST || tag == T_SECOND) {
				res[tag - T_FIRST] = cqe->res;
				done[tag - T_FIRST] = true;
			}
			io_uring_cqe_seen(&s->ring, cqe);
		} while (io_uring_peek_cqe(&s->ring, &cqe) == 0);
	}
	return 0;
}

/* Splice the *left bytes that sit in the pipe out to the sink, *left
 * shrinking as they go. Bytes in the pipe already left the source, so they
 * are drained even after a stop; only a sink that takes nothing for a
 * checkpoint then ends the drain: ECANCELED, the rest stranded in the pipe. */
static int drain(struct uring_splice_state *s, const struct zc_copy_params *p, int dst, size_t *left,
		 struct zc_transfer_result *r)
{
	while (*left > 0) {
		int e = queue_splice(s, s->pipe_r, dst, *left, T_FIRST, false, r);
		int res[2];
		bool cancelled;
		if (!e)
			e = run_splices(s, p, 1, res, &cancelled);
		if (e)
			return e;
		if (res[0] > 0) {
			r->moved += (uint64_t)res[0];
			*left -= (size_t)res[0];
			continue;
		}
		if (res[0] == 0)
			return EIO; /* the pipe cannot be empty while it holds our bytes */
		/* A socket sink's send deadline passed with nothing taken: after
		 * a stop, that is the stalled sink. */
		if (cancelled || (zc_stop_requested(p) && res[0] == -EAGAIN))
			return ECANCELED;
		if (!zc_uring_retryable(res[0]))
			return -res[0];
		r->stats[ST_RESUBMITS]++;
	}
	return 0;
}

static void splice_direct(struct uring_splice_state *s, const struct zc_copy_params *p, const struct zc_io *io,
			  struct zc_transfer_result *r)
{
	r->path = "io_uring SPLICE (direct: one end is a pipe)";
	for (;;) {
		if (zc_between_chunks(p)) {
			r->stopped = true; /* nothing is held between splices */
			return;
		}
		int res[2];
		bool cancelled;
		int e = queue_splice(s, io->src, io->dst[0], p->chunk, T_FIRST, false, r);
		if (!e)
			e = run_splices(s, p, 1, res, &cancelled);
		if (e) {
			r->err = e;
			r->what = "io_uring_enter";
			return;
		}
		if (res[0] > 0) {
			r->moved += (uint64_t)res[0];
			continue;
		}
		if (res[0] == 0)
			return;
		if (cancelled && (res[0] == -ECANCELED || res[0] == -EINTR)) {
			r->stopped = true;
			return;
		}
		if (zc_uring_retryable(res[0])) {
			r->stats[ST_RESUBMITS]++;
			continue;
		}
		r->err = -res[0];
		r->what = "io_uring splice";
		return;
	}
}

static void uring_splice_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
				  struct zc_transfer_result *r)
{
	struct uring_splice_state *s = state;
	s->last_ms = zc_uring_now_ms();
	s->stop_ms = 0;
	if (s->direct) {
		splice_direct(s, p, io, r);
		return;
	}
	r->path = "io_uring SPLICE source -> pipe -> sink, linked";
	/* At most a pipe's worth: a longer splice in would come back short,
	 * which breaks the link and costs a separate drain. */
	size_t step = p->chunk < s->pipe_size ? p->chunk : s->pipe_size;
	for (;;) {
		if (zc_between_chunks(p)) {
			r->stopped = true; /* the pipe is empty here */
			return;
		}
		int res[2];
		bool cancelled;
		int e = queue_splice(s, io->src, s->pipe_w, step, T_FIRST, true, r);
		if (!e)
			e = queue_splice(s, s->pipe_r, io->dst[0], step, T_SECOND, false, r);
		if (!e)
			e = run_splices(s, p, 2, res, &cancelled);
		if (e) {
			r->err = e;
			r->what = "io_uring_enter";
			return;
		}
		int in = res[0], out = res[1];
		/* A short first splice fails the link: the second then reports
		 * -ECANCELED and what the first put in the pipe is drained. */
		size_t in_pipe = in > 0 ? (size_t)in : 0;
		if (out > 0) {
			r->moved += (uint64_t)out;
			in_pipe -= (size_t)out;
		} else if (out < 0 && out != -ECANCELED && out != -EINTR && out != -EAGAIN) {
			r->err = -out;
			r->what = "io_uring splice(pipe->sink)";
			return;
		}
		if (in_pipe) {
			e = drain(s, p, io->dst[0], &in_pipe, r);
			if (e == ECANCELED) {
				r->stopped = true;
				r->stranded += in_pipe; /* left in the pipe */
				return;
			}
			if (e) {
				r->err = e;
				r->what = "io_uring splice(pipe->sink)";
				return;
			}
		}
		if (in == 0)
			return; /* end of stream */
		if (in > 0)
			continue;
		if (cancelled && (in == -ECANCELED || in == -EINTR)) {
			r->stopped = true;
			return;
		}
		if (zc_uring_retryable(in)) {
			r->stats[ST_RESUBMITS]++; /* a socket source's receive deadline, a signal */
			continue;
		}
		r->err = -in;
		r->what = "io_uring splice(source->pipe)";
		return;
	}
}

static void uring_splice_release(void *state)
{
	struct uring_splice_state *s = state;
	if (s->ring_ok)
		io_uring_queue_exit(&s->ring);
	s->ring_ok = false;
	if (s->pipe_r >= 0)
		close(s->pipe_r);
	if (s->pipe_w >= 0)
		close(s->pipe_w);
}

const struct zc_strategy zc_strategy_io_uring_splice = {
	.name = "io_uring_splice",
	.description = "io_uring IORING_OP_SPLICE source -> pipe -> sink",
	.sources = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE,
	.sinks = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE,
	.max_sinks = 1,
	.sees_data = false,
	.default_chunk = 1024 * 1024,
	.uses = ZC_USES_PIPE,
	.state_size = sizeof(struct uring_splice_state),
	.stat_names = uring_splice_stats,
	.prepare = uring_splice_prepare,
	.transfer = uring_splice_transfer,
	/* No pipe_fds: the harness reads FIONREAD on them from its SIGTERM
	 * handler, and FIONREAD takes the pipe's mutex, which an io-wq worker
	 * blocked in splice(pipe -> stalled socket) holds until the send
	 * deadline passes, again and again: the handler, and with it the stop,
	 * would wait that long. What the pipe holds when a stop gives up is
	 * still counted, in r->stranded. */
	.release = uring_splice_release,
};
