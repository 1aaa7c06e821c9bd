/* readwrite: the article's baseline. A buffer allocated per transfer (as Go's
 * io.Copy does), data read into it and written out: every byte crosses into
 * user space and back. From a memory source it writes straight from memory. */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "io_util.h"
#include "strategy.h"

static void readwrite_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			       struct zc_transfer_result *r)
{
	(void)state;
	if (io->src < 0 && p->inspect != ZC_INSPECT_REDACT) {
		r->path = "write() from memory";
		zc_write_memory(io, p, r);
		return;
	}
	void *buf;
	if (p->alloc == ZC_ALLOC_FRESH) {
		/* A new mapping per transfer: its pages are faulted in by the first
		 * read, which is what a churning allocator costs. */
		buf = mmap(NULL, p->chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (buf == MAP_FAILED) {
			r->err = errno;
			r->what = "mmap";
			return;
		}
		r->path = "read/write, mmap'd buffer per transfer";
	} else {
		buf = malloc(p->chunk);
		if (!buf) {
			r->err = ENOMEM;
			r->what = "malloc";
			return;
		}
		r->path = "read/write, malloc'd buffer per transfer";
	}
	zc_copy_through(buf, p->chunk, io, p, r);
	if (p->alloc == ZC_ALLOC_FRESH) {
		if (munmap(buf, p->chunk) != 0 && !r->err) {
			r->err = errno;
			r->what = "munmap";
		}
	} else {
		free(buf);
	}
}

const struct zc_strategy zc_strategy_readwrite = {
	.name = "readwrite",
	.description = "read() into a user buffer allocated per transfer, then write() it",
	.sources = ZC_EP_ANY,
	.sinks = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE | ZC_EP_MEM,
	.max_sinks = 2,
	.sees_data = true,
	.encrypts = true,
	.uses = ZC_USES_ALLOC,
	.default_chunk = 32 * 1024,
	.transfer = readwrite_transfer,
};
