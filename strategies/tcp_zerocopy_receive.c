/* tcp_zerocopy_receive: receive without copying where the kernel can. The
 * socket is mmap'd once (PROT_READ, before the window); each
 * getsockopt(TCP_ZEROCOPY_RECEIVE) maps whole pages of the receive queue
 * into that range, and says how many bytes that cannot be mapped come first
 * (recv_skip_hint): those are recv()'d into a buffer, a copy. The mapped
 * pages are consumed in place (memory sinks) or written to the file, then
 * unmapped so the range is recycled. Whether a page can be mapped depends on
 * how the peer sent it (--send-mode): the counts of both kinds are the
 * kernel's replies, and the path states the share. */
#include <errno.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io_util.h"
#include "strategy.h"

struct zcr_state {
	char *map; /* the socket's mapping: pages of the receive queue land here */
	size_t map_len;
	char *buf; /* the bytes that cannot be mapped, copied */
	size_t buf_len;
	uint64_t mapped, copied, calls;
	char path[96];
};

static const char *const zcr_stats[] = {"zerocopy_mapped_bytes", "zerocopy_copied_bytes", "zerocopy_getsockopt_calls",
					NULL};

static int zcr_ask(int fd, struct zcr_state *s, struct tcp_zerocopy_receive *zc, uint32_t len)
{
	memset(zc, 0, sizeof *zc);
	zc->address = (uint64_t)(uintptr_t)s->map;
	zc->length = len;
	socklen_t zl = sizeof *zc;
	return getsockopt(fd, IPPROTO_TCP, TCP_ZEROCOPY_RECEIVE, zc, &zl) == 0 ? 0 : errno;
}

static int zcr_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	struct zcr_state *s = state;
	long page = sysconf(_SC_PAGESIZE);
	s->map_len = (p->chunk + (size_t)page - 1) / (size_t)page * (size_t)page;
	s->map = mmap(NULL, s->map_len, PROT_READ, MAP_SHARED, io->src, 0);
	if (s->map == MAP_FAILED) {
		s->map = NULL;
		*what = "mmap(TCP socket)";
		return errno;
	}
	/* A kernel without receive zero-copy says so here, before the window:
	 * the cell is then skipped with its errno. */
	struct tcp_zerocopy_receive zc;
	int e = getenv("ZCBENCH_HIDE_TCP_ZEROCOPY_RECEIVE") ? ENOPROTOOPT : zcr_ask(io->src, s, &zc, 0);
	if (e && e != EIO) { /* EIO: the peer already closed an empty stream */
		*what = "getsockopt(TCP_ZEROCOPY_RECEIVE)";
		return e;
	}
	s->buf_len = p->chunk;
	s->buf = malloc(s->buf_len);
	if (!s->buf) {
		*what = "malloc";
		return ENOMEM;
	}
	zc_prefault(s->buf, s->buf_len);
	return 0;
}

/* Hand n bytes at ptr to the sink. Redaction needs writable bytes and the
 * mapping is read-only: mapped bytes are then copied through the buffer. */
static int zcr_deliver(struct zcr_state *s, const char *ptr, size_t n, bool in_buf, const struct zc_copy_params *p,
		       const struct zc_io *io, struct zc_transfer_result *r)
{
	if (p->inspect == ZC_INSPECT_REDACT && !in_buf) {
		for (size_t off = 0; off < n;) {
			size_t k = n - off < s->buf_len ? n - off : s->buf_len;
			memcpy(s->buf, ptr + off, k);
			zc_inspect(p, s->buf, k, r);
			int err = zc_write_sinks(io, s->buf, k, p, r);
			if (err)
				return err;
			off += k;
		}
		return 0;
	}
	zc_inspect(p, (void *)ptr, n, r); /* checksum: reads only; redact: in the buffer */
	return zc_write_sinks(io, ptr, n, p, r);
}

/* Copy what is queued (end of stream, or bytes the kernel will not map).
 * Returns bytes taken, 0 at end of stream, -1 with errno. */
static ssize_t zcr_copy(struct zcr_state *s, int fd, size_t n)
{
	return recv(fd, s->buf, n < s->buf_len ? n : s->buf_len, MSG_DONTWAIT);
}

static void zcr_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			 struct zc_transfer_result *r)
{
	struct zcr_state *s = state;
	int fd = io->src;
	bool waited = false;
	for (;;) {
		struct tcp_zerocopy_receive zc;
		int e = zcr_ask(fd, s, &zc, (uint32_t)s->map_len);
		bool got = false;
		int err = 0;
		if (e == 0 && zc.err) {
			/* A socket error the call reported (and cleared): a reset. */
			r->err = zc.err < 0 ? -zc.err : zc.err;
			r->what = "getsockopt(TCP_ZEROCOPY_RECEIVE)";
			break;
		}
		if (e == 0) {
			s->calls++;
			if (zc.length > 0) {
				err = zcr_deliver(s, s->map, zc.length, false, p, io, r);
				s->mapped += zc.length;
				got = true;
				/* Recycle the range now: cheaper than letting the next
				 * call zap it (the kernel's tcp_mmap test does the same). */
				if (!err && madvise(s->map, zc.length, MADV_DONTNEED) != 0) {
					err = errno;
					r->what = "madvise(MADV_DONTNEED)";
				}
			}
			if (!err && zc.recv_skip_hint > 0) {
				ssize_t n = zcr_copy(s, fd, zc.recv_skip_hint);
				if (n > 0) {
					s->copied += (uint64_t)n;
					err = zcr_deliver(s, s->buf, (size_t)n, true, p, io, r);
					got = true;
				}
			}
		} else if (e != EIO && !zc_retry(e, fd, POLLIN, p, r, "getsockopt(TCP_ZEROCOPY_RECEIVE)")) {
			break;
		}
		if (!err && !got) {
			/* Nothing mapped or hinted: wait for data once, then take
			 * whatever is there by copy, which also tells the end of
			 * the stream (getsockopt says EIO there). */
			if (!waited) {
				waited = true;
				int we = zc_wait_ready(fd, POLLIN, p);
				if (we && !zc_stopped_by(we, r)) {
					r->err = we;
					r->what = "poll";
				}
				if (we)
					break;
				continue;
			}
			ssize_t n = zcr_copy(s, fd, s->buf_len);
			if (n == 0)
				break;
			if (n < 0 && errno != EAGAIN && errno != EINTR) {
				r->err = errno;
				r->what = "recv";
				break;
			}
			if (n < 0) {
				waited = false; /* not there yet after all: wait again */
				continue;
			}
			if (n > 0) {
				s->copied += (uint64_t)n;
				err = zcr_deliver(s, s->buf, (size_t)n, true, p, io, r);
				got = true;
			}
		}
		if (err) {
			if (!r->stopped) {
				r->err = err;
				if (!r->what)
					r->what = "write";
			}
			break;
		}
		waited = waited && !got;
		if (got && zc_between_chunks(p)) {
			r->stopped = true;
			break;
		}
	}
	r->stats[0] = s->mapped;
	r->stats[1] = s->copied;
	r->stats[2] = s->calls;
}

static void zcr_after_window(void *state, const struct zc_io *io, struct zc_transfer_result *r)
{
	(void)io;
	struct zcr_state *s = state;
	uint64_t total = s->mapped + s->copied;
	if (total == 0)
		snprintf(s->path, sizeof s->path, "TCP_ZEROCOPY_RECEIVE: nothing received");
	else
		snprintf(s->path, sizeof s->path, "TCP_ZEROCOPY_RECEIVE: %.1f%% mapped, %.1f%% copied",
			 100.0 * (double)s->mapped / (double)total, 100.0 * (double)s->copied / (double)total);
	r->path = s->path;
}

static void zcr_release(void *state)
{
	struct zcr_state *s = state;
	if (s->map)
		munmap(s->map, s->map_len);
	free(s->buf);
}

const struct zc_strategy zc_strategy_tcp_zerocopy_receive = {
	.name = "tcp_zerocopy_receive",
	.description = "mmap the TCP socket and map its receive queue with TCP_ZEROCOPY_RECEIVE; recv() what "
		       "cannot be mapped",
	.sources = ZC_EP_TCP,
	.sinks = ZC_EP_FILE | ZC_EP_MEM,
	.max_sinks = 1,
	.sees_data = true,
	.default_chunk = 512 * 1024,
	.state_size = sizeof(struct zcr_state),
	.stat_names = zcr_stats,
	.prepare = zcr_prepare,
	.transfer = zcr_transfer,
	.after_window = zcr_after_window,
	.release = zcr_release,
};
