#include "io_util.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

_Thread_local unsigned zc_thread_index;

int zc_wait_ready(int fd, short events, const struct zc_copy_params *p)
{
	for (;;) {
		if (zc_stop_requested(p))
			return ECANCELED;
		struct pollfd pfd = {.fd = fd, .events = events};
		int rc = poll(&pfd, 1, ZC_CHECKPOINT_MS);
		if (rc > 0)
			return 0;
		if (rc == 0)
			continue; /* a checkpoint: look at the stop flag again */
		if (errno != EINTR)
			return errno;
	}
}

int zc_write_all(int fd, const void *buf, size_t n, const struct zc_copy_params *p)
{
	const char *at = buf;
	while (n > 0) {
		ssize_t w = write(fd, at, n);
		if (w > 0) {
			at += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			int err = zc_wait_ready(fd, POLLOUT, p);
			if (err)
				return err;
			continue;
		}
		return w < 0 ? errno : EIO;
	}
	return 0;
}

ssize_t zc_read_some(int fd, void *buf, size_t n, const struct zc_copy_params *p)
{
	for (;;) {
		ssize_t r = read(fd, buf, n);
		if (r >= 0)
			return r;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {
			int err = zc_wait_ready(fd, POLLIN, p);
			if (err)
				return -err;
			continue;
		}
		return -errno;
	}
}

void zc_prefault(void *buf, size_t n)
{
	/* memset rather than one byte a page: the second pass over memory is the
	 * fast one on these VMs, and memset leaves it in the state a copy loop sees. */
	memset(buf, 0, n);
}

void zc_copy_through(void *buf, size_t size, int src, int dst, const struct zc_copy_params *p,
		     struct zc_transfer_result *r)
{
	for (;;) {
		ssize_t n = zc_read_some(src, buf, size, p);
		if (n == 0)
			return;
		if (n < 0) {
			r->err = (int)-n;
			r->what = "read";
			return;
		}
		int err = zc_write_all(dst, buf, (size_t)n, p);
		if (err) {
			r->err = err;
			r->what = "write";
			return;
		}
		r->moved += (uint64_t)n;
	}
}
