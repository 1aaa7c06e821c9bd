/* vmsplice: user memory -> pipe -> sink. vmsplice() puts references to the
 * caller's pages in the pipe; splice() moves them on. The source memory is
 * never written while its pages sit in the pipe, and the pipe is drained
 * before the next vmsplice, so nothing the sink reads can change under it.
 * Two entries: plain, and with SPLICE_F_GIFT (the pages are page-aligned, as
 * the flag requires). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "io_util.h"
#include "strategy.h"

struct vmsplice_state {
	int pipe_r, pipe_w;
	size_t pipe_size;
	/* Redaction must not touch the source, so it works on a copy of the
	 * whole segment. Not a small reused buffer: a TCP sink keeps references
	 * to vmspliced pages until the data is acknowledged, so rewriting them
	 * with the next chunk would corrupt bytes already "sent". Every transfer
	 * writes the same bytes to the same place, which is harmless. A mapping
	 * of its own, not the allocator's: free() would write its bookkeeping
	 * into pages a socket may still hold when the subject releases it,
	 * while munmap leaves them as they are. */
	char *redact_buf;
	size_t redact_len;
};

static int vmsplice_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	struct vmsplice_state *s = state;
	int e = zc_pipe_open(&s->pipe_r, &s->pipe_w, p->pipe_size, &s->pipe_size, what);
	if (e || p->inspect != ZC_INSPECT_REDACT)
		return e;
	size_t len = io->src_len ? (size_t)io->src_len : 1;
	void *b = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED) {
		*what = "mmap (redaction buffer)";
		return errno;
	}
	s->redact_buf = b;
	s->redact_len = len;
	zc_prefault(s->redact_buf, len);
	return 0;
}

static void vmsplice_run(struct vmsplice_state *s, const struct zc_copy_params *p, const struct zc_io *io,
			 struct zc_transfer_result *r, unsigned flags)
{
	/* At most one pipe's worth at a time: vmsplice would block on a full
	 * pipe that only we can drain. */
	size_t step = p->chunk < s->pipe_size ? p->chunk : s->pipe_size;
	for (uint64_t off = 0; off < io->src_len;) {
		if (zc_between_chunks(p)) {
			r->stopped = true;
			return;
		}
		uint64_t left = io->src_len - off;
		size_t n = left < step ? (size_t)left : step;
		const char *from = io->src_mem + off;
		if (p->inspect == ZC_INSPECT_CHECKSUM) {
			r->crc = zc_crc32c(r->crc, from, n);
		} else if (p->inspect == ZC_INSPECT_REDACT) {
			memcpy(s->redact_buf + off, from, n);
			zc_inspect(p, s->redact_buf + off, n, r);
			from = s->redact_buf + off;
		}
		struct iovec iov = {.iov_base = (void *)from, .iov_len = n};
		while (iov.iov_len > 0) {
			ssize_t m = vmsplice(s->pipe_w, &iov, 1, flags);
			if (m < 0 && errno == EINTR)
				continue;
			if (m <= 0) {
				r->err = m < 0 ? errno : EIO;
				r->what = "vmsplice";
				return;
			}
			iov.iov_base = (char *)iov.iov_base + m;
			iov.iov_len -= (size_t)m;
			uint64_t before = r->moved;
			int err = zc_splice_drain(s->pipe_r, io->dst[0], (size_t)m, p, &r->moved);
			if (zc_stopped_by(err, r)) {
				r->stranded += (uint64_t)m - (r->moved - before);
				return;
			}
			if (err) {
				r->err = err;
				r->what = "splice(pipe->sink)";
				return;
			}
		}
		off += n;
	}
}

static void vmsplice_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			      struct zc_transfer_result *r)
{
	r->path = "vmsplice -> pipe -> splice";
	vmsplice_run(state, p, io, r, 0);
}

static void vmsplice_gift_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
				   struct zc_transfer_result *r)
{
	r->path = "vmsplice(SPLICE_F_GIFT) -> pipe -> splice";
	vmsplice_run(state, p, io, r, SPLICE_F_GIFT);
}

static unsigned vmsplice_pipe_fds(void *state, int *fds, unsigned max)
{
	struct vmsplice_state *s = state;
	if (max < 1)
		return 0;
	fds[0] = s->pipe_r;
	return 1;
}

static void vmsplice_release(void *state)
{
	struct vmsplice_state *s = state;
	close(s->pipe_r);
	close(s->pipe_w);
	if (s->redact_buf)
		munmap(s->redact_buf, s->redact_len);
}

const struct zc_strategy zc_strategy_vmsplice = {
	.name = "vmsplice",
	.description = "vmsplice() user memory into a pipe, splice() the pipe to the sink",
	.sources = ZC_EP_MEM,
	.sinks = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE,
	.max_sinks = 1,
	.sees_data = true,
	.default_chunk = 1024 * 1024,
	.uses = ZC_USES_PIPE,
	.state_size = sizeof(struct vmsplice_state),
	.prepare = vmsplice_prepare,
	.transfer = vmsplice_transfer,
	.pipe_fds = vmsplice_pipe_fds,
	.release = vmsplice_release,
};

const struct zc_strategy zc_strategy_vmsplice_gift = {
	.name = "vmsplice_gift",
	.description = "vmsplice() with SPLICE_F_GIFT (page-aligned memory) into a pipe, then splice()",
	.sources = ZC_EP_MEM,
	.sinks = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE,
	.max_sinks = 1,
	.sees_data = true,
	.default_chunk = 1024 * 1024,
	.uses = ZC_USES_PIPE,
	.state_size = sizeof(struct vmsplice_state),
	.prepare = vmsplice_prepare,
	.transfer = vmsplice_gift_transfer,
	.pipe_fds = vmsplice_pipe_fds,
	.release = vmsplice_release,
};
