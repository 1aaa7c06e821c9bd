/* mmap: map the source file and write() from the mapping. The payload is
 * visible to the program without a read() copy; the write still copies it
 * into the kernel. --populate asks for MAP_POPULATE, --madvise sequential
 * for MADV_SEQUENTIAL. */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "io_util.h"
#include "strategy.h"

struct mmap_state {
	void *redact_buf; /* the mapping is read-only: redaction copies here */
};

static int mmap_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	(void)io;
	struct mmap_state *s = state;
	if (p->inspect != ZC_INSPECT_REDACT)
		return 0;
	s->redact_buf = malloc(p->chunk);
	if (!s->redact_buf) {
		*what = "malloc";
		return ENOMEM;
	}
	zc_prefault(s->redact_buf, p->chunk);
	return 0;
}

static void mmap_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			  struct zc_transfer_result *r)
{
	struct mmap_state *s = state;
	r->path = p->populate ? "mmap(MAP_POPULATE) + write()" : "mmap + write()";
	struct stat st;
	if (fstat(io->src, &st) != 0) {
		r->err = errno;
		r->what = "fstat";
		return;
	}
	size_t len = (size_t)st.st_size;
	if (len == 0)
		return;
	char *map = mmap(NULL, len, PROT_READ, MAP_SHARED | (p->populate ? MAP_POPULATE : 0), io->src, 0);
	if (map == MAP_FAILED) {
		r->err = errno;
		r->what = "mmap";
		return;
	}
	if (p->madv_sequential && madvise(map, len, MADV_SEQUENTIAL) != 0) {
		r->err = errno;
		r->what = "madvise";
		munmap(map, len);
		return;
	}
	struct zc_io from_map = *io;
	from_map.src = -1;
	from_map.src_mem = map;
	from_map.src_len = len;
	if (p->inspect == ZC_INSPECT_REDACT)
		zc_copy_through(s->redact_buf, p->chunk, &from_map, p, r);
	else
		zc_write_memory(&from_map, p, r);
	if (munmap(map, len) != 0 && !r->err) {
		r->err = errno;
		r->what = "munmap";
	}
}

static void mmap_release(void *state)
{
	free(((struct mmap_state *)state)->redact_buf);
}

const struct zc_strategy zc_strategy_mmap = {
	.name = "mmap",
	.description = "mmap() the source file and write() from the mapping",
	.sources = ZC_EP_FILE,
	.sinks = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE,
	.max_sinks = 2,
	.sees_data = true,
	.encrypts = true,
	.default_chunk = 1024 * 1024,
	.uses = ZC_USES_MMAP,
	.state_size = sizeof(struct mmap_state),
	.prepare = mmap_prepare,
	.transfer = mmap_transfer,
	.release = mmap_release,
};
