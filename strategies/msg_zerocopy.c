/* msg_zerocopy: not implemented yet. */
#include <errno.h>

#include "io_util.h"
#include "strategy.h"

static int mzc_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	(void)state;
	(void)p;
	(void)io;
	*what = "msg_zerocopy (not implemented)";
	return ENOSYS;
}

static void mzc_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			 struct zc_transfer_result *r)
{
	(void)state;
	(void)p;
	(void)io;
	r->err = ENOSYS;
	r->what = "msg_zerocopy";
}

const struct zc_strategy zc_strategy_msg_zerocopy = {
	.name = "msg_zerocopy",
	.description = "send(MSG_ZEROCOPY) from user buffers, completions reaped from the error queue",
	.sources = ZC_EP_FILE | ZC_EP_MEM | ZC_EP_TCP | ZC_EP_UNIX,
	.sinks = ZC_EP_TCP,
	.max_sinks = 1,
	.sees_data = true,
	.default_chunk = 128 * 1024,
	.prepare = mzc_prepare,
	.transfer = mzc_transfer,
};
