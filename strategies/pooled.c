/* pooled: the read/write loop with buffers from a small hot set kept alive
 * across transfers, like Go's sync.Pool. Each thread has its own pool head on
 * its own cache lines, so threads never write to a line another thread reads. */
#include <errno.h>
#include <stdalign.h>
#include <stdlib.h>

#include "io_util.h"
#include "strategy.h"

#define POOL_THREADS 64 /* pool heads; threads beyond this share by index modulo */
#define POOL_HOT     4	/* buffers kept per head */

struct pool_head {
	alignas(64) void *free[POOL_HOT];
	unsigned nfree;
	unsigned long long gets, misses;
};

struct pooled_state {
	struct pool_head heads[POOL_THREADS];
	size_t size;
};

static unsigned pool_index(void)
{
	return zc_thread_index % POOL_THREADS;
}

static int pooled_prepare(void *state, const struct zc_copy_params *p, const char **what)
{
	struct pooled_state *s = state;
	s->size = p->chunk;
	struct pool_head *h = &s->heads[pool_index()];
	for (unsigned i = 0; i < POOL_HOT; i++) {
		if (posix_memalign(&h->free[i], 64, p->chunk) != 0) {
			*what = "posix_memalign";
			return ENOMEM;
		}
		zc_prefault(h->free[i], p->chunk);
		h->nfree++;
	}
	return 0;
}

static void *pool_get(struct pooled_state *s, struct pool_head *h)
{
	h->gets++;
	if (h->nfree > 0)
		return h->free[--h->nfree];
	h->misses++;
	void *b;
	return posix_memalign(&b, 64, s->size) == 0 ? b : NULL;
}

static void pool_put(struct pool_head *h, void *b)
{
	if (h->nfree < POOL_HOT)
		h->free[h->nfree++] = b;
	else
		free(b);
}

static void pooled_transfer(void *state, const struct zc_copy_params *p, int src, int dst, struct zc_transfer_result *r)
{
	struct pooled_state *s = state;
	struct pool_head *h = &s->heads[pool_index()];
	void *buf = pool_get(s, h);
	if (!buf) {
		r->err = ENOMEM;
		r->what = "posix_memalign";
		return;
	}
	r->path = "read/write, pooled buffer";
	zc_copy_through(buf, s->size, src, dst, p, r);
	pool_put(h, buf);
}

static void pooled_release(void *state)
{
	struct pooled_state *s = state;
	for (unsigned t = 0; t < POOL_THREADS; t++)
		for (unsigned i = 0; i < s->heads[t].nfree; i++)
			free(s->heads[t].free[i]);
}

const struct zc_strategy zc_strategy_pooled = {
	.name = "pooled",
	.description = "read()/write() through a buffer from a per-thread pool kept hot across transfers",
	.sources = ZC_EP_ANY,
	.sinks = ZC_EP_ANY,
	.sees_data = true,
	.default_chunk = 32 * 1024,
	.state_size = sizeof(struct pooled_state),
	.prepare = pooled_prepare,
	.transfer = pooled_transfer,
	.release = pooled_release,
};
