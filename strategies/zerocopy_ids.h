/* The bookkeeping of MSG_ZEROCOPY sends, shared by msg_zerocopy (TCP) and
 * udp_zerocopy: every send that takes bytes takes the socket's next id, and
 * the kernel reports ranges of ids complete on the socket's error queue,
 * flagged SO_EE_CODE_ZEROCOPY_COPIED when it copied after all. The ids in
 * flight are tracked in a window, so each completion's bytes are classed
 * copied or pinned exactly once, in whatever order they come. */
#ifndef ZC_ZEROCOPY_IDS_H
#define ZC_ZEROCOPY_IDS_H

#include <stdbool.h>
#include <stdint.h>

#include "strategy.h"

/* Ids in flight at most (a strategy may keep fewer). */
#define ZC_IDS_WINDOW 1024

struct zc_ids {
	uint32_t next_id;		    /* the id the next successful send gets */
	uint32_t base;			    /* the lowest id not known to be complete */
	bool done[ZC_IDS_WINDOW];	    /* completed ids in [base, base + ZC_IDS_WINDOW) */
	uint64_t len[ZC_IDS_WINDOW];	    /* bytes each id in flight sent */
	unsigned st_completions, st_copied; /* where in r->stats completions are counted */
};

static inline uint32_t zc_ids_outstanding(const struct zc_ids *z)
{
	return z->next_id - z->base;
}

/* A send of len bytes took the next id; returns it. */
static inline uint32_t zc_ids_sent(struct zc_ids *z, uint64_t len)
{
	z->len[z->next_id % ZC_IDS_WINDOW] = len;
	return z->next_id++;
}

/* Read every completion queued on fd's error queue (never blocks), counting
 * them in r->stats and their bytes in r->zc_copied_bytes or
 * r->zc_pinned_bytes. Returns 0, or an errno (recvmsg's, or a real error
 * the queue reported). */
int zc_ids_reap(struct zc_ids *z, int fd, struct zc_transfer_result *r);

/* Wait up to ms for completions, then reap them. Returns 0 when some came,
 * ETIME when none did (or a signal ended the wait), or an errno. */
int zc_ids_wait(struct zc_ids *z, int fd, unsigned ms, struct zc_transfer_result *r);

#endif
