/* io_uring_recv: the io_uring receiver into memory (tcp-mem). One
 * READ_FIXED from the socket into a registered buffer at a time (a stream
 * has nothing to read ahead), the bytes consumed in place. A file sink is
 * the io_uring strategy's (READ_FIXED then WRITE_FIXED). */
#include <errno.h>
#include <sys/uio.h>

#include "io_uring_util.h"
#include "io_util.h"
#include "strategy.h"

#define UD_READ	  1
#define UD_CANCEL 2

struct urecv_state {
	struct io_uring ring;
	bool ring_ok;
	struct zc_uring_bufs bufs;
	uint64_t reads, resubmits;
};

static const char *const urecv_stats[] = {"reads", "resubmits", NULL};

static int urecv_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	(void)io;
	struct urecv_state *s = state;
	const struct zc_uring_op *ops[] = {&zc_uring_op_read_fixed};
	int e = zc_uring_open(&s->ring, 8, ops, 1, what);
	if (e)
		return e;
	s->ring_ok = true;
	e = zc_uring_bufs_alloc(&s->bufs, 1, p->chunk, what);
	if (e)
		return e;
	struct iovec iov = {zc_uring_buf(&s->bufs, 0), p->chunk};
	int rc = io_uring_register_buffers(&s->ring, &iov, 1);
	if (rc < 0) {
		*what = "io_uring_register_buffers";
		return -rc;
	}
	return 0;
}

/* Submit one request; returns 0 or an errno. */
static int urecv_submit_cancel(struct urecv_state *s)
{
	int err = 0;
	struct io_uring_sqe *sqe = zc_uring_sqe(&s->ring, &err);
	if (!sqe)
		return err;
	io_uring_prep_cancel64(sqe, UD_READ, 0);
	io_uring_sqe_set_data64(sqe, UD_CANCEL);
	return 0;
}

/* Wait for the read's completion. After a stop request a read still
 * waiting for data is cancelled; what it read before that still counts.
 * Returns 0 with *res, or an errno. */
static int urecv_wait(struct urecv_state *s, const struct zc_copy_params *p, int *res, bool *cancelled)
{
	bool have = false;
	unsigned cancels = 0;
	while (!have || cancels) {
		struct io_uring_cqe *cqe;
		int rc = zc_uring_wait(&s->ring, &cqe, zc_checkpoint_ms(p));
		if (rc == ETIME || rc == EINTR) { /* a checkpoint, or a signal: look at the stop flag */
			if (zc_stop_requested(p) && !*cancelled && !have) {
				int e = urecv_submit_cancel(s);
				if (e)
					return e;
				*cancelled = true;
				cancels++;
			}
			continue;
		}
		if (rc)
			return rc;
		uint64_t ud = io_uring_cqe_get_data64(cqe);
		int cres = cqe->res;
		io_uring_cqe_seen(&s->ring, cqe);
		if (ud == UD_CANCEL) {
			cancels--;
			continue;
		}
		have = true;
		*res = cres;
	}
	return 0;
}

static void urecv_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			   struct zc_transfer_result *r)
{
	struct urecv_state *s = state;
	r->path = "io_uring READ_FIXED into a registered buffer, consumed in memory";
	char *buf = zc_uring_buf(&s->bufs, 0);
	for (;;) {
		if (zc_stop_requested(p)) {
			r->stopped = true; /* no new data after a stop */
			break;
		}
		int err = 0;
		struct io_uring_sqe *sqe = zc_uring_sqe(&s->ring, &err);
		if (!sqe) {
			r->err = err;
			r->what = "io_uring_submit";
			break;
		}
		/* -1: a socket has no offset. */
		io_uring_prep_read_fixed(sqe, io->src, buf, (unsigned)s->bufs.size, (uint64_t)-1, 0);
		io_uring_sqe_set_data64(sqe, UD_READ);
		s->reads++;
		int res = 0;
		bool cancelled = false;
		err = urecv_wait(s, p, &res, &cancelled);
		if (err) {
			r->err = err;
			r->what = "io_uring_enter";
			break;
		}
		if (res > 0) {
			zc_inspect(p, buf, (size_t)res, r);
			zc_consume_memory(p, buf, (size_t)res, r);
			if (zc_between_chunks(p)) {
				r->stopped = true;
				break;
			}
			continue;
		}
		if (res == 0)
			break; /* end of stream */
		if (cancelled && (res == -ECANCELED || res == -EINTR || res == -EAGAIN)) {
			r->stopped = true;
			break;
		}
		if (res == -EINTR || res == -EAGAIN) {
			s->resubmits++;
			continue;
		}
		r->err = -res;
		r->what = "io_uring read";
		break;
	}
	r->stats[0] = s->reads;
	r->stats[1] = s->resubmits;
}

static void urecv_release(void *state)
{
	struct urecv_state *s = state;
	if (s->ring_ok)
		io_uring_queue_exit(&s->ring);
	s->ring_ok = false;
	zc_uring_bufs_free(&s->bufs);
}

const struct zc_strategy zc_strategy_io_uring_recv = {
	.name = "io_uring_recv",
	.description = "io_uring READ_FIXED from the socket into a registered buffer, consumed in memory",
	.sources = ZC_EP_TCP,
	.sinks = ZC_EP_MEM,
	.max_sinks = 1,
	.sees_data = true,
	.default_chunk = 128 * 1024,
	.state_size = sizeof(struct urecv_state),
	.stat_names = urecv_stats,
	.prepare = urecv_prepare,
	.transfer = urecv_transfer,
	.release = urecv_release,
};
