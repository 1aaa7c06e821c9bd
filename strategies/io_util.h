/* Loop helpers shared by the strategies: short transfers, EINTR and EAGAIN. */
#ifndef ZC_IO_UTIL_H
#define ZC_IO_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "strategy.h"
#include "../workloads/crc32c.h"
#include "../workloads/pattern.h"
#include "../workloads/tls_record.h"

/* --inspect encrypt, one per stream: the sealer and the buffer the records
 * are sealed into before they are written (cap payload bytes at a time). */
struct zc_tls_tx {
	struct zc_tls_seal seal;
	unsigned char *out;
	size_t out_size; /* bytes at out */
	size_t cap;	 /* payload bytes sealed before they are written */
};

/* The default checkpoint: a loop comes back at least this often to look at
 * the stop flag (--checkpoint sets it per run). */
#define ZC_CHECKPOINT_MS 100

/* Wait until fd is ready for events (POLLIN/POLLOUT), looking at the stop
 * flag at every checkpoint. Returns 0 to retry, or an errno: ECANCELED when a
 * stop was requested (at once for POLLIN: no new data is taken after a stop;
 * for POLLOUT only once the sink took nothing for a whole checkpoint). */
int zc_wait_ready(int fd, short events, const struct zc_copy_params *p);

/* The harness numbers the threads of one subject (0 for the main thread), so a
 * strategy can keep per-thread state without locks. */
extern _Thread_local unsigned zc_thread_index;

/* Walk a victim working set once, timed (see struct zc_victim). */
void zc_victim_walk(struct zc_victim *v);

/* True once a stop was requested. */
static inline int zc_stop_requested(const struct zc_copy_params *p)
{
	return p && p->stop && *p->stop;
}

/* Called by every strategy's loop between chunks: walks the stream's victim
 * working set when --victim is on, and says whether a stop was requested. */
static inline bool zc_between_chunks(const struct zc_copy_params *p)
{
	if (p->victims)
		zc_victim_walk(&p->victims[zc_thread_index]);
	return zc_stop_requested(p);
}

/* After a chunk was written (err: what the write returned): records err
 * unless a stop caused it, or a stop requested between chunks. True when the
 * strategy's loop must end. */
static inline bool zc_chunk_ends(int err, const struct zc_copy_params *p, struct zc_transfer_result *r)
{
	if (err) {
		if (!r->stopped)
			r->err = err;
		return true;
	}
	if (zc_between_chunks(p)) {
		r->stopped = true;
		return true;
	}
	return false;
}

/* Write all n bytes of buf to fd. Returns 0 or an errno (ECANCELED: a stop
 * was requested and the sink took nothing for a checkpoint). */
int zc_write_all(int fd, const void *buf, size_t n, const struct zc_copy_params *p);
/* The same, telling how many bytes were written before an error. */
int zc_write_progress(int fd, const void *buf, size_t n, const struct zc_copy_params *p, size_t *written);

/* The checkpoint interval of these parameters, in milliseconds. */
static inline unsigned zc_checkpoint_ms(const struct zc_copy_params *p)
{
	return p && p->checkpoint_ms ? p->checkpoint_ms : ZC_CHECKPOINT_MS;
}

/* If err is ECANCELED (a stop request ended a wait), mark r stopped and
 * return true; the caller then returns without an error. */
bool zc_stopped_by(int err, struct zc_transfer_result *r);

/* A call on fd failed with errno err. EINTR and EAGAIN (a deadline passed,
 * or the subject poked the loop at a checkpoint) wait until fd is ready for
 * events and return true: call again. Otherwise r says why the transfer
 * ends (stopped on a stop request, else err and what) and it returns false. */
bool zc_retry(int err, int fd, short events, const struct zc_copy_params *p, struct zc_transfer_result *r,
	      const char *what);

/* Read up to n bytes: retries EINTR, waits on EAGAIN. Returns bytes read
 * (0 at end of stream) or -errno. */
ssize_t zc_read_some(int fd, void *buf, size_t n, const struct zc_copy_params *p);

/* Touch every page of [buf, buf+n) by writing it, so first-touch faults happen
 * before a measured window rather than in it. */
void zc_prefault(void *buf, size_t n);

/* Apply --inspect to n bytes about to be written: fold them into r->crc, or
 * redact them in place. Only strategies that see the data call this. */
void zc_inspect(const struct zc_copy_params *p, void *buf, size_t n, struct zc_transfer_result *r);

/* A memory sink takes n bytes that arrived at stream offset r->moved: it
 * checks them against the pattern when verifying (the first wrong byte goes
 * to r->mismatch_at) and counts them in r->moved. --inspect is the caller's. */
void zc_consume_memory(const struct zc_copy_params *p, const void *buf, size_t n, struct zc_transfer_result *r);

/* Write n bytes to every sink of io (or consume them: memory sinks) and count them in r->moved. Returns 0 or
 * an errno; sets r->what, or r->stopped and r->stranded on a stop. */
int zc_write_sinks(const struct zc_io *io, const void *buf, size_t n, const struct zc_copy_params *p,
		   struct zc_transfer_result *r);

/* --inspect encrypt: seal the cnt buffers of iov (records never span two)
 * and write the records to every sink, counting payload bytes in r->moved
 * (on a short write: the payload of the whole records written). As
 * zc_write_sinks otherwise. */
struct iovec;
int zc_write_sealed(const struct zc_io *io, const struct iovec *iov, unsigned cnt, const struct zc_copy_params *p,
		    struct zc_transfer_result *r);

/* The obvious loop: read up to `size` bytes into buf, inspect them, write
 * them to every sink, until end of stream. Memory sources are copied into
 * buf chunk by chunk (the user-space copy a read() would make). Fills r. */
void zc_copy_through(void *buf, size_t size, const struct zc_io *io, const struct zc_copy_params *p,
		     struct zc_transfer_result *r);

/* Write a memory source straight to the sinks in chunks, no copy (what a
 * program that already holds its bytes does). Checksums if asked; redaction
 * needs a copy, so callers use zc_copy_through for it. */
void zc_write_memory(const struct zc_io *io, const struct zc_copy_params *p, struct zc_transfer_result *r);

/* A pipe for splice-based strategies: sized with F_SETPIPE_SZ when size is
 * not 0 (the size the kernel really gave goes to *actual), then filled and
 * emptied once so its ring is allocated before the window. Returns 0 or an
 * errno with *what naming the call. */
int zc_pipe_open(int *rd, int *wr, size_t size, size_t *actual, const char **what);

/* Splice exactly n bytes that are in the pipe to dst; *moved grows as they
 * go. Returns 0 or an errno; ECANCELED when a stop was requested and the
 * sink stalled, with the bytes not moved left (stranded) in the pipe. */
int zc_splice_drain(int pipe_rd, int dst, size_t n, const struct zc_copy_params *p, uint64_t *moved);

#endif
