/* io_uring strategies: not implemented yet; each entry says so. */
#include <errno.h>

#include "io_util.h"
#include "strategy.h"

static int io_uring_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	(void)state;
	(void)p;
	(void)io;
	*what = "io_uring (not implemented)";
	return ENOSYS;
}

static void io_uring_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			      struct zc_transfer_result *r)
{
	(void)state;
	(void)p;
	(void)io;
	r->err = ENOSYS;
	r->what = "io_uring";
}

const struct zc_strategy zc_strategy_io_uring = {
	.name = "io_uring",
	.description = "io_uring read/write with registered fixed buffers at a queue depth (--qd)",
	.sources = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE,
	.sinks = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE,
	.max_sinks = 1,
	.sees_data = true,
	.default_chunk = 128 * 1024,
	.uses = ZC_USES_QD,
	.prepare = io_uring_prepare,
	.transfer = io_uring_transfer,
};

const struct zc_strategy zc_strategy_io_uring_splice = {
	.name = "io_uring_splice",
	.description = "io_uring IORING_OP_SPLICE source -> pipe -> sink",
	.sources = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE,
	.sinks = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE,
	.max_sinks = 1,
	.sees_data = false,
	.default_chunk = 1024 * 1024,
	.uses = ZC_USES_PIPE,
	.prepare = io_uring_prepare,
	.transfer = io_uring_transfer,
};

const struct zc_strategy zc_strategy_io_uring_send_zc = {
	.name = "io_uring_send_zc",
	.description = "io_uring IORING_OP_SEND_ZC from registered buffers to a socket",
	.sources = ZC_EP_FILE | ZC_EP_MEM | ZC_EP_TCP | ZC_EP_UNIX,
	.sinks = ZC_EP_TCP | ZC_EP_UNIX,
	.max_sinks = 1,
	.sees_data = true,
	.default_chunk = 128 * 1024,
	.uses = ZC_USES_QD,
	.prepare = io_uring_prepare,
	.transfer = io_uring_transfer,
};
