#include "udp_recv.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/sock_diag.h>

#include "../strategies/strategy.h"
#include "pattern.h"

/* Messages per recvmmsg, each up to the largest GRO aggregate. */
#define RX_VLEN	   16
#define RX_MSG_MAX 65536

int zc_udp_rx_setup(int fd, uint64_t rcvbuf, bool gro, int *effective, char *err, size_t err_len)
{
	int one = 1;
	if (gro && setsockopt(fd, SOL_UDP, UDP_GRO, &one, sizeof one) != 0) {
		snprintf(err, err_len, "setsockopt(UDP_GRO): %s", strerror(errno));
		return -1;
	}
	int v = rcvbuf > (uint64_t)(1u << 30) ? 1 << 30 : (int)rcvbuf;
	if (v > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof v) != 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof v) != 0) {
		snprintf(err, err_len, "setsockopt(SO_RCVBUF): %s", strerror(errno));
		return -1;
	}
	socklen_t sl = sizeof *effective;
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, effective, &sl) != 0) {
		snprintf(err, err_len, "getsockopt(SO_RCVBUF): %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Is off where a datagram of n bytes can start? On a datagram boundary of
 * its transfer, and ending within it. */
static bool placeable(uint64_t off, size_t n, uint64_t segment)
{
	return off % ZC_UDP_DATAGRAM == 0 && off < segment && n <= segment - off &&
	       (n == ZC_UDP_DATAGRAM || n == segment - off);
}

/* One datagram of n bytes at p: where it belongs, and whether it is right.
 * It names its offset by its first word (a short last one of a transfer by
 * its length); when that names nowhere it could be, its first word is wrong,
 * and it is checked where it would be had nothing been lost. */
static void check_datagram(const char *p, size_t n, uint64_t segment, struct zc_udp_rx *rx)
{
	uint64_t off = n >= 8 ? zc_pattern_locate(p) : segment - segment % ZC_UDP_DATAGRAM;
	if (!placeable(off, n, segment))
		off = rx->next_off;
	rx->next_off = off + n == segment ? 0 : off + n;
	if (rx->mismatch_at >= 0)
		return;
	if (!placeable(off, n, segment)) {
		rx->mismatch_at = (int64_t)off; /* nowhere it could be: its first byte is wrong */
		return;
	}
	int64_t bad = zc_pattern_check(p, off, n, false);
	if (bad >= 0)
		rx->mismatch_at = (int64_t)off + bad;
}

ssize_t zc_udp_receive(int fd, char *buf, size_t len, bool verify, uint64_t segment, struct zc_udp_rx *rx)
{
	struct mmsghdr msgs[RX_VLEN];
	struct iovec iov[RX_VLEN];
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl[RX_VLEN];
	unsigned vlen = (unsigned)(len / RX_MSG_MAX);
	if (vlen > RX_VLEN)
		vlen = RX_VLEN;
	if (vlen == 0)
		return -EINVAL;
	for (unsigned i = 0; i < vlen; i++) {
		iov[i] = (struct iovec){.iov_base = buf + (size_t)i * RX_MSG_MAX, .iov_len = RX_MSG_MAX};
		msgs[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iov[i],
						       .msg_iovlen = 1,
						       .msg_control = ctl[i].buf,
						       .msg_controllen = sizeof ctl[i].buf}};
	}
	int k = recvmmsg(fd, msgs, vlen, MSG_DONTWAIT, NULL);
	if (k < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	ssize_t total = 0;
	for (int i = 0; i < k; i++) {
		size_t n = msgs[i].msg_len;
		size_t seg = n; /* no cmsg: one datagram */
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c))
			if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
				int g;
				memcpy(&g, CMSG_DATA(c), sizeof g);
				if (g > 0)
					seg = (size_t)g;
			}
		if (seg == 0) { /* an empty datagram: none of ours */
			rx->datagrams++;
			if (rx->mismatch_at < 0)
				rx->mismatch_at = 0;
			continue;
		}
		const char *p = buf + (size_t)i * RX_MSG_MAX;
		for (size_t off = 0; off < n; off += seg) {
			size_t d = n - off < seg ? n - off : seg;
			rx->datagrams++;
			if (verify)
				check_datagram(p + off, d, segment, rx);
		}
		rx->bytes += n;
		total += (ssize_t)n;
	}
	return total;
}

int zc_udp_socket_drops(int fd, uint64_t *drops)
{
	uint32_t mem[SK_MEMINFO_VARS] = {0};
	socklen_t len = sizeof mem;
	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len) != 0)
		return errno;
	if (len < (SK_MEMINFO_DROPS + 1) * sizeof mem[0])
		return EOPNOTSUPP;
	*drops = mem[SK_MEMINFO_DROPS];
	return 0;
}
