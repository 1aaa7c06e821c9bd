/* pooled: the read/write loop with buffers from a small hot set kept alive
 * across transfers, like Go's sync.Pool. Each stream (thread) has its own
 * pool, its head on cache lines of its own, so threads never write to a line
 * another thread reads. */
#include <errno.h>
#include <stdalign.h>
#include <stdlib.h>

#include "io_util.h"
#include "strategy.h"

#define POOL_HOT 4 /* buffers kept alive */

struct pooled_state {
	alignas(64) void *free[POOL_HOT];
	unsigned nfree;
	size_t size;
	uint64_t gets, misses;
	/* Padding to a whole number of cache lines: the next stream's pool never
	 * shares a line with this one. */
	alignas(64) char end[];
};

static const char *const pooled_stats[] = {"pool_gets", "pool_misses", NULL};

static int pooled_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	(void)io;
	struct pooled_state *s = state;
	s->size = p->chunk;
	for (unsigned i = 0; i < POOL_HOT; i++) {
		int e = posix_memalign(&s->free[i], 64, p->chunk);
		if (e) {
			*what = "posix_memalign";
			return e;
		}
		zc_prefault(s->free[i], p->chunk);
		s->nfree++;
	}
	return 0;
}

static void *pool_get(struct pooled_state *s)
{
	s->gets++;
	if (s->nfree > 0)
		return s->free[--s->nfree];
	s->misses++;
	void *b;
	return posix_memalign(&b, 64, s->size) == 0 ? b : NULL;
}

static void pool_put(struct pooled_state *s, void *b)
{
	if (s->nfree < POOL_HOT)
		s->free[s->nfree++] = b;
	else
		free(b);
}

static void pooled_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			    struct zc_transfer_result *r)
{
	struct pooled_state *s = state;
	void *buf = pool_get(s);
	if (!buf) {
		r->err = ENOMEM;
		r->what = "posix_memalign";
		return;
	}
	r->path = "read/write, pooled buffer";
	zc_copy_through(buf, s->size, io, p, r);
	pool_put(s, buf);
	r->stats[0] = s->gets;
	r->stats[1] = s->misses;
}

static void pooled_release(void *state)
{
	struct pooled_state *s = state;
	for (unsigned i = 0; i < s->nfree; i++)
		free(s->free[i]);
}

const struct zc_strategy zc_strategy_pooled = {
	.name = "pooled",
	.description = "read()/write() through a buffer from a per-thread pool kept hot across transfers",
	.sources = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE,
	.sinks = ZC_EP_FILE | ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE | ZC_EP_MEM,
	.max_sinks = 2,
	.sees_data = true,
	.encrypts = true,
	.default_chunk = 32 * 1024,
	.state_size = sizeof(struct pooled_state),
	.stat_names = pooled_stats,
	.prepare = pooled_prepare,
	.transfer = pooled_transfer,
	.release = pooled_release,
};
