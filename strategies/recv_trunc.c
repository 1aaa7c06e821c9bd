/* recv_trunc: the receive floor. recv(MSG_TRUNC) on TCP advances the receive
 * queue without copying (the kernel frees the data), as iperf3's
 * --skip-rx-copy does: what receiving costs with no byte reaching user
 * memory. Blind: there is nothing to inspect or verify, only the count (which
 * the kernel witnesses, tcp-mem). */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "io_util.h"
#include "strategy.h"

struct trunc_state {
	void *buf;
};

/* TCP with MSG_TRUNC never writes the buffer, but a buffer of the asked
 * size is what the call's contract (and AddressSanitizer's check of it)
 * expects. Never touched, so it costs no page. */
static int recv_trunc_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	(void)io;
	struct trunc_state *s = state;
	s->buf = malloc(p->chunk);
	if (!s->buf) {
		*what = "malloc";
		return ENOMEM;
	}
	return 0;
}

static void recv_trunc_release(void *state)
{
	struct trunc_state *s = state;
	free(s->buf);
}

static void recv_trunc_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
				struct zc_transfer_result *r)
{
	struct trunc_state *s = state;
	r->path = "recv(MSG_TRUNC): discarded in the kernel, no copy";
	for (;;) {
		ssize_t n = recv(io->src, s->buf, p->chunk, MSG_TRUNC);
		if (n > 0) {
			r->moved += (uint64_t)n;
			if (zc_between_chunks(p)) {
				r->stopped = true;
				return;
			}
			continue;
		}
		if (n == 0)
			return;
		if (!zc_retry(errno, io->src, POLLIN, p, r, "recv(MSG_TRUNC)"))
			return;
	}
}

const struct zc_strategy zc_strategy_recv_trunc = {
	.name = "recv_trunc",
	.description = "recv(MSG_TRUNC): the kernel discards what arrived, nothing is copied (the receive floor)",
	.sources = ZC_EP_TCP,
	.sinks = ZC_EP_MEM,
	.max_sinks = 1,
	.sees_data = false,
	.default_chunk = 1024 * 1024,
	.state_size = sizeof(struct trunc_state),
	.prepare = recv_trunc_prepare,
	.transfer = recv_trunc_transfer,
	.release = recv_trunc_release,
};
