/* udp_sendto: one datagram per send() on the connected socket, as a program
 * that knows nothing of batching or segmentation offload does: a syscall,
 * a route lookup and an skb per ZC_UDP_DATAGRAM bytes. */
#include <errno.h>
#include <sys/socket.h>

#include "udp_util.h"

static const char *const sendto_stats[] = {"datagrams", NULL};

struct sendto_state {
	char *buf;
	size_t span;
};

static int sendto_send(void *state, int fd, const char *buf, size_t n, const struct zc_copy_params *p,
		       struct zc_transfer_result *r)
{
	(void)state;
	while (n > 0) {
		size_t len = n < ZC_UDP_DATAGRAM ? n : ZC_UDP_DATAGRAM;
		ssize_t w = sendto(fd, buf, len, MSG_NOSIGNAL, NULL, 0);
		if (w < 0) {
			if (zc_udp_retry(errno, fd, p, r, "sendto"))
				continue;
			return r->stopped ? ECANCELED : r->err;
		}
		r->moved += len;
		r->stats[ZC_UDP_ST_DATAGRAMS]++;
		buf += len;
		n -= len;
	}
	return 0;
}

static int sendto_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	struct sendto_state *s = state;
	s->span = zc_udp_span(p, 1024);
	return zc_udp_prepare(p, io, s->span, &s->buf, what);
}

static void sendto_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			    struct zc_transfer_result *r)
{
	struct sendto_state *s = state;
	r->path = io->src < 0 ? "sendto per datagram, from memory" : "read, then sendto per datagram";
	zc_udp_transfer(s, sendto_send, s->buf, s->span, p, io, r);
}

static void sendto_release(void *state)
{
	struct sendto_state *s = state;
	zc_udp_release(s->buf, s->span);
}

const struct zc_strategy zc_strategy_udp_sendto = {
	.name = "udp_sendto",
	.description = "UDP: one send() per datagram (a file source read a chunk at a time first)",
	.sources = ZC_EP_FILE | ZC_EP_MEM,
	.sinks = ZC_EP_UDP,
	.max_sinks = 1,
	.sees_data = true,
	.default_chunk = 44 * ZC_UDP_DATAGRAM,
	.state_size = sizeof(struct sendto_state),
	.stat_names = sendto_stats,
	.prepare = sendto_prepare,
	.transfer = sendto_transfer,
	.release = sendto_release,
};
