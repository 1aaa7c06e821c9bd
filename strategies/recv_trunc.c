/* recv_trunc: the receive floor. recv(MSG_TRUNC) on TCP advances the receive
 * queue without copying (the kernel frees the data), as iperf3's
 * --skip-rx-copy does: what receiving costs with no byte reaching user
 * memory. Blind: there is nothing to inspect or verify, only the count (which
 * the kernel witnesses, tcp-mem). */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>

#include "io_util.h"
#include "strategy.h"

static void recv_trunc_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
				struct zc_transfer_result *r)
{
	(void)state;
	r->path = "recv(MSG_TRUNC): discarded in the kernel, no copy";
	char dummy; /* TCP with MSG_TRUNC never writes the buffer */
	for (;;) {
		ssize_t n = recv(io->src, &dummy, p->chunk, MSG_TRUNC);
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
	.transfer = recv_trunc_transfer,
};
