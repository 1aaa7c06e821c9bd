#include "peer_send.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <linux/errqueue.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

#ifndef SO_EE_ORIGIN_ZEROCOPY
#define SO_EE_ORIGIN_ZEROCOPY 5
#endif
#ifndef SO_EE_CODE_ZEROCOPY_COPIED
#define SO_EE_CODE_ZEROCOPY_COPIED 1
#endif

int zc_send_buf_init(struct zc_send_buf *b, const struct zc_wl_params *p)
{
	*b = (struct zc_send_buf){.mode = p->send_mode};
	if (p->send_mode != ZC_SEND_SEND && p->send_mode != ZC_SEND_ZEROCOPY)
		return 0;
	b->len = (size_t)p->segment;
	if (b->len == 0)
		return 0;
	/* Anonymous memory, not the file's page-cache pages: a receiver may
	 * map anonymous pages sent with MSG_ZEROCOPY; kernels from 6.8 refuse
	 * page-cache ones. Written once here, so no fault lands in the run. */
	b->buf = mmap(NULL, b->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->buf == MAP_FAILED) {
		b->buf = NULL;
		return errno;
	}
	/* Read from the pattern file, as sendfile would send it: the file is
	 * the source every sink is checked against (a corrupt one is blamed). */
	int fd = open(p->source_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno;
	int e = 0;
	for (size_t off = 0; off < b->len && !e;) {
		ssize_t n = pread(fd, b->buf + off, b->len - off, (off_t)off);
		if (n > 0)
			off += (size_t)n;
		else if (n == 0)
			e = EIO; /* shorter than a segment */
		else if (errno != EINTR)
			e = errno;
	}
	close(fd);
	return e;
}

int zc_send_socket_setup(const struct zc_send_buf *b, int fd)
{
	int one = 1;
	if (b->mode == ZC_SEND_ZEROCOPY && setsockopt(fd, SOL_SOCKET, SO_ZEROCOPY, &one, sizeof one) != 0)
		return errno;
	return 0;
}

void zc_send_reap(struct zc_send_buf *b, int fd)
{
	if (b->mode != ZC_SEND_ZEROCOPY)
		return;
	for (;;) {
		char control[128];
		struct msghdr msg = {.msg_control = control, .msg_controllen = sizeof control};
		if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			return; /* EAGAIN: none queued */
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			struct sock_extended_err ee;
			if (c->cmsg_len < CMSG_LEN(sizeof ee))
				continue;
			memcpy(&ee, CMSG_DATA(c), sizeof ee);
			if (ee.ee_origin != SO_EE_ORIGIN_ZEROCOPY || ee.ee_errno != 0)
				continue;
			/* ee_info..ee_data: the range of sends completed. */
			uint64_t k = (uint64_t)(ee.ee_data - ee.ee_info) + 1;
			b->zc_completions += k;
			if (ee.ee_code & SO_EE_CODE_ZEROCOPY_COPIED)
				b->zc_copied += k;
		}
	}
}

ssize_t zc_send_some(struct zc_send_buf *b, int fd, uint64_t off, size_t n)
{
	int flags = MSG_DONTWAIT | MSG_NOSIGNAL | (b->mode == ZC_SEND_ZEROCOPY ? MSG_ZEROCOPY : 0);
	zc_send_reap(b, fd);
	ssize_t w = send(fd, b->buf + off, n, flags);
	if (w > 0 && b->mode == ZC_SEND_ZEROCOPY)
		b->zc_sends++;
	if (w < 0 && errno == ENOBUFS && b->mode == ZC_SEND_ZEROCOPY) {
		/* Too many completions outstanding (optmem): reap and retry later. */
		zc_send_reap(b, fd);
		errno = EAGAIN;
	}
	return w;
}

void zc_send_await_completions(struct zc_send_buf *b, const int *fds, unsigned n, int timeout_ms)
{
	if (b->mode != ZC_SEND_ZEROCOPY)
		return;
	struct pollfd pfd[n ? n : 1];
	for (int waited = 0; b->zc_completions < b->zc_sends && waited < timeout_ms; waited += 10) {
		for (unsigned i = 0; i < n; i++)
			pfd[i] = (struct pollfd){.fd = fds[i], .events = 0}; /* POLLERR is always reported */
		if (poll(pfd, n, 10) < 0 && errno != EINTR)
			return;
		for (unsigned i = 0; i < n; i++)
			zc_send_reap(b, fds[i]);
	}
}

void zc_send_buf_free(struct zc_send_buf *b)
{
	if (b->buf)
		munmap(b->buf, b->len);
	b->buf = NULL;
}
