#include "zerocopy_ids.h"

#include <errno.h>
#include <string.h>
#include <time.h> /* linux/errqueue.h uses struct timespec */
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

/* Mark ids [lo, hi] complete and move base past every completed id. Only
 * ids of sends in flight are looked at, so a range that makes no sense
 * cannot run away. */
static void complete(struct zc_ids *z, uint32_t lo, uint32_t hi, bool copied, struct zc_transfer_result *r)
{
	uint32_t n = hi - lo + 1;
	for (uint32_t k = 0; k < n && k < ZC_IDS_WINDOW; k++) {
		uint32_t id = lo + k;
		if (id - z->base < zc_ids_outstanding(z) && !z->done[id % ZC_IDS_WINDOW]) {
			z->done[id % ZC_IDS_WINDOW] = true;
			/* The completion says what the kernel did with these bytes. */
			if (copied)
				r->zc_copied_bytes += z->len[id % ZC_IDS_WINDOW];
			else
				r->zc_pinned_bytes += z->len[id % ZC_IDS_WINDOW];
		}
	}
	while (z->base != z->next_id && z->done[z->base % ZC_IDS_WINDOW]) {
		z->done[z->base % ZC_IDS_WINDOW] = false;
		z->base++;
	}
}

int zc_ids_reap(struct zc_ids *z, int fd, struct zc_transfer_result *r)
{
	for (;;) {
		union {
			char buf[CMSG_SPACE(sizeof(struct sock_extended_err)) + 64];
			struct cmsghdr align;
		} control;
		struct msghdr msg = {.msg_control = control.buf, .msg_controllen = sizeof control.buf};
		if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
			if (errno == EAGAIN)
				return 0;
			if (errno == EINTR)
				continue;
			return errno;
		}
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			if (!((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
			      (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)))
				continue;
			struct sock_extended_err ee;
			memcpy(&ee, CMSG_DATA(c), sizeof ee);
			if (ee.ee_origin != SO_EE_ORIGIN_ZEROCOPY) {
				if (ee.ee_errno)
					return (int)ee.ee_errno; /* a real error on the socket */
				continue;
			}
			/* ee_info..ee_data: a range of ids, inclusive (mod 2^32). */
			uint64_t n = (uint64_t)(uint32_t)(ee.ee_data - ee.ee_info) + 1;
			bool copied = ee.ee_code & SO_EE_CODE_ZEROCOPY_COPIED;
			r->stats[z->st_completions] += n;
			if (copied)
				r->stats[z->st_copied] += n;
			complete(z, ee.ee_info, ee.ee_data, copied, r);
		}
	}
}

int zc_ids_wait(struct zc_ids *z, int fd, unsigned ms, struct zc_transfer_result *r)
{
	uint64_t before = r->stats[z->st_completions];
	int e = zc_ids_reap(z, fd, r);
	if (e || r->stats[z->st_completions] != before)
		return e;
	/* The error queue has no event of its own: POLLERR is always reported
	 * while it holds something. */
	struct pollfd pfd = {.fd = fd, .events = 0};
	int rc = poll(&pfd, 1, (int)ms);
	if (rc < 0 && errno != EINTR)
		return errno;
	e = zc_ids_reap(z, fd, r);
	if (e)
		return e;
	return r->stats[z->st_completions] != before ? 0 : ETIME;
}
