#include "udp_util.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#include "io_util.h"

size_t zc_udp_span(const struct zc_copy_params *p, unsigned max_datagrams)
{
	size_t n = p->chunk / ZC_UDP_DATAGRAM;
	if (n < 1)
		n = 1;
	if (n > max_datagrams)
		n = max_datagrams;
	return n * ZC_UDP_DATAGRAM;
}

int zc_udp_prepare(const struct zc_copy_params *p, const struct zc_io *io, size_t span, char **buf, const char **what)
{
	*buf = NULL;
	if (p->dst_kind != ZC_EP_UDP) {
		*what = "a UDP strategy needs a UDP sink";
		return EINVAL;
	}
	if (p->inspect != ZC_INSPECT_NONE && p->inspect != ZC_INSPECT_CHECKSUM) {
		/* The receiver places each datagram by the pattern it carries:
		 * redacted or sealed bytes would name no offset. */
		*what = "--inspect redact or encrypt on UDP";
		return EOPNOTSUPP;
	}
	if (io->src < 0)
		return 0;
	*buf = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (*buf == MAP_FAILED) {
		*buf = NULL;
		*what = "mmap (buffer)";
		return errno;
	}
	zc_prefault(*buf, span);
	return 0;
}

void zc_udp_release(char *buf, size_t span)
{
	if (buf)
		munmap(buf, span);
}

bool zc_udp_retry(int err, int fd, const struct zc_copy_params *p, struct zc_transfer_result *r, const char *what)
{
	if (err == ENOBUFS && !zc_stop_requested(p)) {
		/* The device's queue is full (veth, a qdisc): no poll event says
		 * when it has room again. */
		nanosleep(&(struct timespec){0, 1000000}, NULL);
		return true;
	}
	return zc_retry(err, fd, POLLOUT, p, r, what);
}

/* Fill buf with up to span bytes of the file (short only at its end).
 * Returns the bytes read or -errno. */
static ssize_t fill(int fd, char *buf, size_t span, const struct zc_copy_params *p)
{
	size_t got = 0;
	while (got < span) {
		ssize_t n = zc_read_some(fd, buf + got, span - got, p);
		if (n < 0)
			return n;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

void zc_udp_transfer(void *state, zc_udp_send_fn send_fn, char *buf, size_t span, const struct zc_copy_params *p,
		     const struct zc_io *io, struct zc_transfer_result *r)
{
	int fd = io->dst[0];
	uint64_t off = 0;
	for (;;) {
		if (zc_between_chunks(p)) {
			r->stopped = true;
			return;
		}
		const char *from;
		size_t n;
		if (io->src < 0) {
			uint64_t left = io->src_len - off;
			n = left < span ? (size_t)left : span;
			from = io->src_mem + off;
			if (p->inspect == ZC_INSPECT_CHECKSUM)
				r->crc = zc_crc32c(r->crc, from, n);
		} else {
			ssize_t got = fill(io->src, buf, span, p);
			if (got < 0) {
				if (!zc_stopped_by((int)-got, r)) {
					r->err = (int)-got;
					r->what = "read";
				}
				return;
			}
			n = (size_t)got;
			zc_inspect(p, buf, n, r);
			from = buf;
		}
		if (n == 0)
			return;
		off += n;
		uint64_t before = r->moved;
		int e = send_fn(state, fd, from, n, p, r);
		if (e) {
			if (!zc_stopped_by(e, r) && !r->err)
				r->err = e;
			if (io->src >= 0 && e == ECANCELED)
				r->stranded += n - (r->moved - before); /* read, never sent */
			return;
		}
	}
}
