/* udp_sendmmsg: a chunk's datagrams in one sendmmsg() call, one message per
 * datagram: one syscall for many, but still one skb and one trip down the
 * stack per datagram. */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "udp_util.h"

static const char *const mmsg_stats[] = {"datagrams", "calls", NULL};
enum { ST_CALLS = 1 };

/* UIO_MAXIOV: the kernel takes at most this many messages per call. */
#define MMSG_MAX 1024

struct mmsg_state {
	char *buf;
	size_t span;
	struct mmsghdr *msgs;
	struct iovec *iov;
};

static int mmsg_send(void *state, int fd, const char *buf, size_t n, const struct zc_copy_params *p,
		     struct zc_transfer_result *r)
{
	struct mmsg_state *s = state;
	unsigned count = 0;
	for (size_t off = 0; off < n; off += ZC_UDP_DATAGRAM, count++) {
		size_t len = n - off < ZC_UDP_DATAGRAM ? n - off : ZC_UDP_DATAGRAM;
		s->iov[count] = (struct iovec){.iov_base = (void *)(buf + off), .iov_len = len};
		s->msgs[count] = (struct mmsghdr){.msg_hdr = {.msg_iov = &s->iov[count], .msg_iovlen = 1}};
	}
	unsigned done = 0;
	while (done < count) {
		int k = sendmmsg(fd, s->msgs + done, count - done, MSG_NOSIGNAL);
		r->stats[ST_CALLS]++;
		if (k < 0) {
			if (zc_udp_retry(errno, fd, p, r, "sendmmsg"))
				continue;
			return r->stopped ? ECANCELED : r->err;
		}
		for (int i = 0; i < k; i++)
			r->moved += s->iov[done + (unsigned)i].iov_len;
		r->stats[ZC_UDP_ST_DATAGRAMS] += (uint64_t)k;
		done += (unsigned)k;
	}
	return 0;
}

static int mmsg_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	struct mmsg_state *s = state;
	s->span = zc_udp_span(p, MMSG_MAX);
	size_t count = s->span / ZC_UDP_DATAGRAM;
	s->msgs = calloc(count, sizeof *s->msgs);
	s->iov = calloc(count, sizeof *s->iov);
	if (!s->msgs || !s->iov) {
		*what = "calloc (messages)";
		return ENOMEM;
	}
	return zc_udp_prepare(p, io, s->span, &s->buf, what);
}

static void mmsg_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			  struct zc_transfer_result *r)
{
	struct mmsg_state *s = state;
	r->path = io->src < 0 ? "sendmmsg, from memory" : "read, then sendmmsg";
	zc_udp_transfer(s, mmsg_send, s->buf, s->span, p, io, r);
}

static void mmsg_release(void *state)
{
	struct mmsg_state *s = state;
	zc_udp_release(s->buf, s->span);
	free(s->msgs);
	free(s->iov);
	s->msgs = NULL;
	s->iov = NULL;
}

const struct zc_strategy zc_strategy_udp_sendmmsg = {
	.name = "udp_sendmmsg",
	.description = "UDP: a chunk of datagrams per sendmmsg() call, one message each",
	.sources = ZC_EP_FILE | ZC_EP_MEM,
	.sinks = ZC_EP_UDP,
	.max_sinks = 1,
	.sees_data = true,
	.default_chunk = 64 * ZC_UDP_DATAGRAM,
	.state_size = sizeof(struct mmsg_state),
	.stat_names = mmsg_stats,
	.prepare = mmsg_prepare,
	.transfer = mmsg_transfer,
	.release = mmsg_release,
};
