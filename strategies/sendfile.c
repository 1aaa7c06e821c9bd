/* sendfile: the kernel copies from the page cache of a file to a socket (or,
 * since Linux 2.6.33, to any file) without the payload entering user space. */
#include <errno.h>
#include <poll.h>
#include <sys/sendfile.h>

#include "io_util.h"
#include "strategy.h"

static void sendfile_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			      struct zc_transfer_result *r)
{
	(void)state;
	int src = io->src, dst = io->dst[0];
	r->path = "sendfile";
	for (;;) {
		if (zc_between_chunks(p)) {
			r->stopped = true; /* nothing is held in flight between calls */
			return;
		}
		/* Bounded chunks: each call returns, so a stop request is seen. */
		ssize_t n = sendfile(dst, src, NULL, p->chunk);
		if (n > 0) {
			r->moved += (uint64_t)n;
			continue;
		}
		if (n == 0)
			return;
		if (zc_retry(errno, dst, POLLOUT, p, r, "sendfile"))
			continue;
		return;
	}
}

const struct zc_strategy zc_strategy_sendfile = {
	.name = "sendfile",
	.description = "sendfile() from a file to the sink in bounded chunks; the payload stays in the kernel",
	.sources = ZC_EP_FILE,
	.sinks = ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_FILE | ZC_EP_PIPE,
	.max_sinks = 1,
	.sees_data = false,
	.default_chunk = 1024 * 1024,
	.transfer = sendfile_transfer,
};
