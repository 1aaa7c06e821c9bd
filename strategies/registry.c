/* The one table of strategies. Add a strategy here and nowhere else. */
#include <string.h>

#include "strategy.h"

extern const struct zc_strategy zc_strategy_readwrite, zc_strategy_pooled, zc_strategy_readv_writev, zc_strategy_mmap,
	zc_strategy_sendfile, zc_strategy_splice, zc_strategy_vmsplice, zc_strategy_vmsplice_gift, zc_strategy_tee,
	zc_strategy_copy_file_range, zc_strategy_io_uring, zc_strategy_io_uring_splice, zc_strategy_io_uring_send_zc,
	zc_strategy_msg_zerocopy, zc_strategy_recv_trunc, zc_strategy_tcp_zerocopy_receive, zc_strategy_io_uring_recv,
	zc_strategy_udp_sendto, zc_strategy_udp_sendmmsg, zc_strategy_udp_gso, zc_strategy_udp_zerocopy;

const struct zc_strategy *const zc_strategies[] = {
	&zc_strategy_readwrite,
	&zc_strategy_pooled,
	&zc_strategy_readv_writev,
	&zc_strategy_mmap,
	&zc_strategy_sendfile,
	&zc_strategy_splice,
	&zc_strategy_vmsplice,
	&zc_strategy_vmsplice_gift,
	&zc_strategy_tee,
	&zc_strategy_copy_file_range,
	&zc_strategy_io_uring,
	&zc_strategy_io_uring_splice,
	&zc_strategy_io_uring_send_zc,
	&zc_strategy_msg_zerocopy,
	&zc_strategy_recv_trunc,
	&zc_strategy_tcp_zerocopy_receive,
	&zc_strategy_io_uring_recv,
	&zc_strategy_udp_sendto,
	&zc_strategy_udp_sendmmsg,
	&zc_strategy_udp_gso,
	&zc_strategy_udp_zerocopy,
};
const size_t zc_strategy_count = sizeof zc_strategies / sizeof zc_strategies[0];

const struct zc_strategy *zc_strategy_find(const char *name)
{
	for (size_t i = 0; i < zc_strategy_count; i++)
		if (strcmp(zc_strategies[i]->name, name) == 0)
			return zc_strategies[i];
	return NULL;
}
