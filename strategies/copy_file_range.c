/* copy_file_range: file to file inside the kernel. A filesystem may clone
 * (share extents) instead of copying; after the window the destination's
 * extents are asked (FIEMAP) so the result says which happened. */
#include <errno.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "io_util.h"
#include "strategy.h"

struct cfr_state {
	char path[96]; /* what after_window found out */
};

static int cfr_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	(void)state;
	(void)p;
	/* A one-byte copy with explicit offsets (file positions untouched, and
	 * the byte is rewritten by the transfer) tells before the window whether
	 * this pair of filesystems allows it at all: across filesystems the
	 * kernel says EXDEV, and the cell is skipped rather than falling back. */
	loff_t in = 0, out = 0;
	ssize_t n = copy_file_range(io->src, &in, io->dst[0], &out, 1, 0);
	if (n < 0) {
		*what = "copy_file_range";
		return errno;
	}
	return 0;
}

static void cfr_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			 struct zc_transfer_result *r)
{
	(void)state;
	r->path = "copy_file_range";
	for (;;) {
		if (zc_between_chunks(p)) {
			r->stopped = true;
			return;
		}
		ssize_t n = copy_file_range(io->src, NULL, io->dst[0], NULL, p->chunk, 0);
		if (n > 0) {
			r->moved += (uint64_t)n;
			continue;
		}
		if (n == 0)
			return;
		if (errno == EINTR)
			continue;
		r->err = errno;
		r->what = "copy_file_range";
		return;
	}
}

static void cfr_after_window(void *state, const struct zc_io *io, struct zc_transfer_result *r)
{
	struct cfr_state *s = state;
	if (r->moved == 0)
		return;
	struct {
		struct fiemap fm;
		struct fiemap_extent ext[8];
	} q;
	memset(&q, 0, sizeof q);
	q.fm.fm_length = ~0ull;
	q.fm.fm_flags = FIEMAP_FLAG_SYNC; /* delayed allocation hides extents until written back */
	q.fm.fm_extent_count = 8;
	if (ioctl(io->dst[0], FS_IOC_FIEMAP, &q.fm) != 0) {
		snprintf(s->path, sizeof s->path, "copy_file_range (clone or copy unknown: FIEMAP: %s)",
			 strerror(errno));
	} else {
		unsigned shared = 0;
		for (unsigned i = 0; i < q.fm.fm_mapped_extents && i < 8; i++)
			shared += (q.ext[i].fe_flags & FIEMAP_EXTENT_SHARED) != 0;
		snprintf(s->path, sizeof s->path, "%s",
			 shared ? "copy_file_range (cloned: extents shared)"
				: "copy_file_range (copied in the kernel: no shared extents)");
	}
	r->path = s->path;
}

const struct zc_strategy zc_strategy_copy_file_range = {
	.name = "copy_file_range",
	.description = "copy_file_range() file to file inside the kernel (a filesystem may clone instead)",
	.sources = ZC_EP_FILE,
	.sinks = ZC_EP_FILE,
	.max_sinks = 1,
	.sees_data = false,
	.default_chunk = 1024 * 1024,
	.state_size = sizeof(struct cfr_state),
	.prepare = cfr_prepare,
	.transfer = cfr_transfer,
	.after_window = cfr_after_window,
};
