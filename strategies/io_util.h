/* Loop helpers shared by the strategies: short transfers, EINTR and EAGAIN. */
#ifndef ZC_IO_UTIL_H
#define ZC_IO_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "strategy.h"

/* Poll timeout used when a descriptor says EAGAIN: the loop comes back at least
 * this often to look at the stop flag. */
#define ZC_CHECKPOINT_MS 100

/* Wait until fd is ready for events (POLLIN/POLLOUT) or a checkpoint passes.
 * Returns 0 to retry, or an errno (ECANCELED when a stop was requested). */
int zc_wait_ready(int fd, short events, const struct zc_copy_params *p);

/* True once a stop was requested. */
static inline int zc_stop_requested(const struct zc_copy_params *p)
{
	return p->stop && *p->stop;
}

/* The harness numbers the threads of one subject (0 for the main thread), so a
 * strategy can keep per-thread state without locks. */
extern _Thread_local unsigned zc_thread_index;

/* Write all n bytes of buf to fd. Returns 0 or an errno. */
int zc_write_all(int fd, const void *buf, size_t n, const struct zc_copy_params *p);

/* Read up to n bytes: retries EINTR, waits on EAGAIN. Returns bytes read
 * (0 at end of stream) or -errno. */
ssize_t zc_read_some(int fd, void *buf, size_t n, const struct zc_copy_params *p);

/* Touch every page of [buf, buf+n) by writing it, so first-touch faults happen
 * before a measured window rather than in it. */
void zc_prefault(void *buf, size_t n);

/* The obvious loop: read up to `size` bytes into buf, write them out, until
 * end of stream. Fills r (moved, err, what). */
void zc_copy_through(void *buf, size_t size, int src, int dst, const struct zc_copy_params *p,
		     struct zc_transfer_result *r);

#endif
