/* io_uring_send_zc: IORING_OP_SEND_ZC from registered buffers to a socket.
 * A file or stream source is read into the buffers with READ_FIXED (the
 * pipeline in io_uring_util.c); a memory source is sent straight from its
 * memory, registered too when the kernel lets it. Each send completes twice:
 * its result (IORING_CQE_F_MORE), then a notification (IORING_CQE_F_NOTIF)
 * once the kernel no longer needs the buffer, which is only then reused.
 * With IORING_SEND_ZC_REPORT_USAGE the notification says whether the kernel
 * copied after all (it does on loopback), and the path says so. */
#include <inttypes.h>
#include <stdio.h>

#include "io_uring_util.h"
#include "io_util.h"
#include "strategy.h"

enum { ST_SENDS, ST_NOTIFS, ST_COPIED, ST_RESUBMITS };
static const char *const uring_zc_stats[] = {"sends", "notifications", "zc_copied", "resubmits", NULL};

struct uring_zc_state {
	struct zc_upipe u;
	char path[96];
};

static int uring_zc_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	struct uring_zc_state *s = state;
	s->u.st_reads = -1;
	s->u.st_writes = ST_SENDS;
	s->u.st_notifs = ST_NOTIFS;
	s->u.st_copied = ST_COPIED;
	s->u.st_resubmits = ST_RESUBMITS;
	return zc_upipe_prepare(&s->u, true, p, io, what);
}

static void uring_zc_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			      struct zc_transfer_result *r)
{
	struct uring_zc_state *s = state;
	r->path = "io_uring SEND_ZC";
	zc_upipe_run(&s->u, p, io, r);
}

/* Say what the kernel did, from this stream's counts. Short enough for the
 * result's path (63 characters). */
static void uring_zc_after_window(void *state, const struct zc_io *io, struct zc_transfer_result *r)
{
	(void)io;
	struct uring_zc_state *s = state;
	uint64_t notifs = r->stats[ST_NOTIFS], copied = r->stats[ST_COPIED];
	if (r->err && r->moved == 0)
		return; /* nothing went: the counts describe no transfer */
	if (s->u.usage_unknown)
		snprintf(s->path, sizeof s->path, "io_uring SEND_ZC (kernel does not report copies)");
	else if (notifs == 0)
		snprintf(s->path, sizeof s->path, "io_uring SEND_ZC (no sends)");
	else if (copied == notifs)
		snprintf(s->path, sizeof s->path, "io_uring SEND_ZC: all %" PRIu64 " sends copied (no zero-copy)",
			 notifs);
	else if (copied == 0)
		snprintf(s->path, sizeof s->path, "io_uring SEND_ZC: zero-copy (0 of %" PRIu64 " sends copied)",
			 notifs);
	else
		snprintf(s->path, sizeof s->path, "io_uring SEND_ZC: %" PRIu64 " of %" PRIu64 " sends copied", copied,
			 notifs);
	r->path = s->path;
}

static void uring_zc_release(void *state)
{
	struct uring_zc_state *s = state;
	zc_upipe_release(&s->u);
}

const struct zc_strategy zc_strategy_io_uring_send_zc = {
	.name = "io_uring_send_zc",
	.description = "io_uring IORING_OP_SEND_ZC from registered buffers to a socket",
	.sources = ZC_EP_FILE | ZC_EP_MEM | ZC_EP_TCP | ZC_EP_UNIX,
	/* Not unix sockets: the kernel answers SEND_ZC on one with EOPNOTSUPP
	 * (only TCP and UDP sockets declare SOCK_SUPPORT_ZC). */
	.sinks = ZC_EP_TCP,
	.max_sinks = 1,
	.sees_data = true,
	.encrypts = true,
	.default_chunk = 128 * 1024,
	.uses = ZC_USES_QD,
	.state_size = sizeof(struct uring_zc_state),
	.stat_names = uring_zc_stats,
	.prepare = uring_zc_prepare,
	.transfer = uring_zc_transfer,
	.after_window = uring_zc_after_window,
	.release = uring_zc_release,
};
