/* readv_writev: scatter-gather. readv() fills N buffers of --chunk bytes in
 * one call and writev() sends what arrived in one call, so the syscall count
 * falls N-fold against readwrite at the same chunk while the bytes still
 * cross into user space and back. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/uio.h>

#include "io_util.h"
#include "strategy.h"

#define MAX_IOVECS 64

struct rwv_state {
	struct iovec iov[MAX_IOVECS];
	unsigned n;
};

static int rwv_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	(void)io;
	struct rwv_state *s = state;
	if (p->iovecs == 0 || p->iovecs > MAX_IOVECS) {
		*what = "--iovecs (1 to 64)";
		return EINVAL;
	}
	for (unsigned i = 0; i < p->iovecs; i++) {
		if (posix_memalign(&s->iov[i].iov_base, 64, p->chunk) != 0) {
			*what = "posix_memalign";
			return ENOMEM;
		}
		s->iov[i].iov_len = p->chunk;
		zc_prefault(s->iov[i].iov_base, p->chunk);
		s->n++;
	}
	return 0;
}

/* writev exactly `bytes` from the first buffers of s to fd, resuming short writes. */
static int writev_all(int fd, const struct rwv_state *s, size_t bytes, const struct zc_copy_params *p, size_t *written)
{
	*written = 0;
	struct iovec v[MAX_IOVECS];
	unsigned cnt = 0;
	for (unsigned i = 0; i < s->n && bytes > 0; i++) {
		v[cnt].iov_base = s->iov[i].iov_base;
		v[cnt].iov_len = bytes < s->iov[i].iov_len ? bytes : s->iov[i].iov_len;
		bytes -= v[cnt].iov_len;
		cnt++;
	}
	struct iovec *at = v;
	while (cnt > 0) {
		if (zc_stop_requested(p)) {
			int err = zc_wait_ready(fd, POLLOUT, p);
			if (err)
				return err;
		}
		ssize_t w = writev(fd, at, (int)cnt);
		if (w < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				int err = zc_wait_ready(fd, POLLOUT, p);
				if (err)
					return err;
				continue;
			}
			return errno;
		}
		size_t done = (size_t)w;
		*written += done;
		while (cnt > 0 && done >= at->iov_len) {
			done -= at->iov_len;
			at++;
			cnt--;
		}
		if (cnt > 0) {
			at->iov_base = (char *)at->iov_base + done;
			at->iov_len -= done;
		}
	}
	return 0;
}

static void rwv_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			 struct zc_transfer_result *r)
{
	struct rwv_state *s = state;
	r->path = p->tls_tx ? "readv, AES-128-GCM records, write" : "readv/writev";
	for (;;) {
		ssize_t n = readv(io->src, s->iov, (int)s->n);
		if (n == 0)
			return;
		if (n < 0) {
			if (zc_retry(errno, io->src, POLLIN, p, r, "readv"))
				continue;
			return;
		}
		size_t left = (size_t)n;
		for (unsigned i = 0; i < s->n && left > 0; i++) {
			size_t part = left < s->iov[i].iov_len ? left : s->iov[i].iov_len;
			zc_inspect(p, s->iov[i].iov_base, part, r);
			left -= part;
		}
		if (p->tls_tx) {
			/* Encrypting: each buffer's records sealed in a row, one
			 * write() per sink of all of them. */
			struct iovec v[MAX_IOVECS];
			unsigned cnt = 0;
			for (size_t left = (size_t)n; cnt < s->n && left > 0; cnt++) {
				v[cnt].iov_base = s->iov[cnt].iov_base;
				v[cnt].iov_len = left < s->iov[cnt].iov_len ? left : s->iov[cnt].iov_len;
				left -= v[cnt].iov_len;
			}
			if (zc_chunk_ends(zc_write_sealed(io, v, cnt, p, r), p, r))
				return;
			continue;
		}
		for (unsigned k = 0; k < io->ndst; k++) {
			size_t written;
			int err = writev_all(io->dst[k], s, (size_t)n, p, &written);
			if (zc_stopped_by(err, r)) {
				if (k == 0)
					r->moved += written;
				r->stranded += (uint64_t)n - (k == 0 ? written : 0);
				return;
			}
			if (err) {
				if (k == 0)
					r->moved += written; /* what a short writev took before the error */
				r->err = err;
				r->what = "writev";
				return;
			}
		}
		r->moved += (uint64_t)n;
		if (zc_between_chunks(p)) {
			r->stopped = true;
			return;
		}
	}
}

static void rwv_release(void *state)
{
	struct rwv_state *s = state;
	for (unsigned i = 0; i < s->n; i++)
		free(s->iov[i].iov_base);
}

const struct zc_strategy zc_strategy_readv_writev = {
	.name = "readv_writev",
	.description = "readv() into N buffers and writev() them in one call each (--iovecs N)",
	.sources = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE,
	.sinks = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE,
	.max_sinks = 2,
	.sees_data = true,
	.encrypts = true,
	.default_chunk = 32 * 1024,
	.uses = ZC_USES_IOVECS,
	.state_size = sizeof(struct rwv_state),
	.prepare = rwv_prepare,
	.transfer = rwv_transfer,
	.release = rwv_release,
};
