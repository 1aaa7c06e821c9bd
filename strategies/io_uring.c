/* io_uring: read/write through registered (fixed) buffers, qd of them, so
 * reads of a file run ahead of the writes. The pipeline itself is in
 * io_uring_util.c, shared with io_uring_send_zc; io_uring_splice is in
 * io_uring_splice.c. */
#include "io_uring_util.h"
#include "io_util.h"
#include "strategy.h"

struct uring_rw_state {
	struct zc_upipe u;
};

static const char *const uring_rw_stats[] = {"reads", "writes", "resubmits", NULL};

static int uring_rw_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	struct uring_rw_state *s = state;
	s->u.st_reads = 0;
	s->u.st_writes = 1;
	s->u.st_resubmits = 2;
	s->u.st_notifs = s->u.st_copied = -1;
	return zc_upipe_prepare(&s->u, false, p, io, what);
}

static void uring_rw_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			      struct zc_transfer_result *r)
{
	struct uring_rw_state *s = state;
	if (p->tls_tx) /* the records are written from unregistered buffers */
		r->path = p->src_kind == ZC_EP_FILE ? "io_uring READ_FIXED, AES-128-GCM records, WRITE; reads ahead"
						    : "io_uring READ_FIXED, AES-128-GCM records, WRITE";
	else
		r->path = p->src_kind == ZC_EP_FILE ? "io_uring READ_FIXED/WRITE_FIXED, reads ahead qd deep"
						    : "io_uring READ_FIXED/WRITE_FIXED, one read in flight";
	zc_upipe_run(&s->u, p, io, r);
}

static void uring_rw_release(void *state)
{
	struct uring_rw_state *s = state;
	zc_upipe_release(&s->u);
}

const struct zc_strategy zc_strategy_io_uring = {
	.name = "io_uring",
	.description = "io_uring read/write with registered fixed buffers at a queue depth (--qd)",
	.sources = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE,
	.sinks = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE,
	.max_sinks = 1,
	.sees_data = true,
	.encrypts = true,
	.default_chunk = 128 * 1024,
	.uses = ZC_USES_QD,
	.state_size = sizeof(struct uring_rw_state),
	.stat_names = uring_rw_stats,
	.prepare = uring_rw_prepare,
	.transfer = uring_rw_transfer,
	.release = uring_rw_release,
};
