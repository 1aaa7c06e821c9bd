/* udp_gso: UDP segmentation offload (UDP_SEGMENT): one send() of up to 44
 * datagrams' bytes, which the stack carries as one skb and cuts into
 * datagrams as late as it can (at the device, or never on loopback and veth
 * when the receiver has UDP_GRO on). */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include "udp_util.h"

static const char *const gso_stats[] = {"datagrams", "sends", NULL};
enum { ST_SENDS = 1 };

#define GSO_MAX_DATAGRAMS ZC_UDP_GSO_MAX

struct gso_state {
	char *buf;
	size_t span;
};

/* Used by udp_zerocopy too: UDP_SEGMENT of ZC_UDP_DATAGRAM on fd. */
int zc_udp_gso_enable(int fd, const char **what)
{
	int seg = ZC_UDP_DATAGRAM;
	if (setsockopt(fd, SOL_UDP, UDP_SEGMENT, &seg, sizeof seg) != 0) {
		*what = "setsockopt(UDP_SEGMENT)";
		return errno;
	}
	return 0;
}

static int gso_send(void *state, int fd, const char *buf, size_t n, const struct zc_copy_params *p,
		    struct zc_transfer_result *r)
{
	(void)state;
	for (;;) {
		ssize_t w = send(fd, buf, n, MSG_NOSIGNAL);
		if (w >= 0)
			break;
		if (!zc_udp_retry(errno, fd, p, r, "send(UDP_SEGMENT)"))
			return r->stopped ? ECANCELED : r->err;
	}
	r->moved += n;
	r->stats[ZC_UDP_ST_DATAGRAMS] += zc_udp_datagrams(n);
	r->stats[ST_SENDS]++;
	return 0;
}

static int gso_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	struct gso_state *s = state;
	s->span = zc_udp_span(p, GSO_MAX_DATAGRAMS);
	int e = zc_udp_gso_enable(io->dst[0], what);
	return e ? e : zc_udp_prepare(p, io, s->span, &s->buf, what);
}

static void gso_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			 struct zc_transfer_result *r)
{
	struct gso_state *s = state;
	r->path = io->src < 0 ? "send(UDP_SEGMENT), from memory" : "read, then send(UDP_SEGMENT)";
	zc_udp_transfer(s, gso_send, s->buf, s->span, p, io, r);
}

static void gso_release(void *state)
{
	struct gso_state *s = state;
	zc_udp_release(s->buf, s->span);
}

const struct zc_strategy zc_strategy_udp_gso = {
	.name = "udp_gso",
	.description = "UDP: segmentation offload (UDP_SEGMENT), up to 44 datagrams per send()",
	.sources = ZC_EP_FILE | ZC_EP_MEM,
	.sinks = ZC_EP_UDP,
	.max_sinks = 1,
	.sees_data = true,
	.default_chunk = GSO_MAX_DATAGRAMS * ZC_UDP_DATAGRAM,
	.state_size = sizeof(struct gso_state),
	.stat_names = gso_stats,
	.prepare = gso_prepare,
	.transfer = gso_transfer,
	.release = gso_release,
};
