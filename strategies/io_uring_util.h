/* What the io_uring strategies share: a ring set up and warmed before the
 * window, the probe (with its test hook), registered buffers, a bounded wait
 * for completions so every loop regains control at checkpoints, and the
 * read -> inspect -> write/send pipeline that io_uring and io_uring_send_zc
 * both run. */
#ifndef ZC_IO_URING_UTIL_H
#define ZC_IO_URING_UTIL_H

#include <liburing.h>
#include <stdbool.h>
#include <stddef.h>
#include <errno.h>
#include <stdint.h>

#include "strategy.h"

/* liburing 2.3's copy of the uapi header predates these (kernel 6.2); the
 * values are the kernel's (include/uapi/linux/io_uring.h), part of its ABI. */
#ifndef IORING_SEND_ZC_REPORT_USAGE
#define IORING_SEND_ZC_REPORT_USAGE (1U << 3)
#endif
#ifndef IORING_NOTIF_USAGE_ZC_COPIED
#define IORING_NOTIF_USAGE_ZC_COPIED (1U << 31)
#endif

/* Test hook: a comma list of op names (e.g. "SPLICE,SEND_ZC") that the probe
 * treats as missing, so a test can see the skip an older kernel would give.
 * Read in prepare, never cached. */
#define ZC_URING_HIDE_ENV "ZCBENCH_IO_URING_HIDE_OPS"

/* An op a strategy needs: its number, its name for the hook, and the skip
 * reason when it is missing. */
struct zc_uring_op {
	int op;
	const char *name;
	const char *what;
};
extern const struct zc_uring_op zc_uring_op_read_fixed, zc_uring_op_write_fixed, zc_uring_op_splice,
	zc_uring_op_send_zc;

/* Create a ring of at least `entries` SQEs, check that every op in ops[] is
 * supported and not hidden by the hook, and warm the ring's pages with two
 * rounds of NOPs (first touch is slow here). Returns 0 or an errno with
 * *what naming the failure; a missing op gives EOPNOTSUPP and that op's
 * `what`. On failure the ring is not left open. */
int zc_uring_open(struct io_uring *ring, unsigned entries, const struct zc_uring_op *const *ops, size_t nops,
		  const char **what);

/* Registered buffers: nbuf of size bytes each in one mapping, pre-faulted. */
struct zc_uring_bufs {
	char *mem;
	size_t map_len;
	size_t size;
	unsigned nbuf;
};
int zc_uring_bufs_alloc(struct zc_uring_bufs *b, unsigned nbuf, size_t size, const char **what);
void zc_uring_bufs_free(struct zc_uring_bufs *b);
static inline char *zc_uring_buf(const struct zc_uring_bufs *b, unsigned i)
{
	return b->mem + (size_t)i * b->size;
}

/* Submit what is queued, then wait for one completion for at most ms
 * milliseconds (a checkpoint, or what is left of one). Returns 0 with *cqe
 * set (not yet marked seen), ETIME when the time passed with nothing, EINTR
 * when a signal came first, or an errno. */
int zc_uring_wait(struct io_uring *ring, struct io_uring_cqe **cqe, unsigned ms);

/* A request result to submit again when this loop did not cancel it:
 * -EINTR and -EAGAIN (a signal, a socket deadline), and -ECANCELED, which
 * the kernel gives work it could not hand to an io-wq worker while the
 * submitting thread had a signal pending (seen under a signal storm: a
 * file read, a write and a splice failed so with nothing cancelled). */
static inline bool zc_uring_retryable(int res)
{
	return res == -EINTR || res == -EAGAIN || res == -ECANCELED;
}

/* CLOCK_MONOTONIC in milliseconds: how long a sink has taken nothing. */
uint64_t zc_uring_now_ms(void);

/* A free SQE, submitting what is queued to make room if the SQ is full.
 * NULL only when the kernel refuses the submission (*err set). */
struct io_uring_sqe *zc_uring_sqe(struct io_uring *ring, int *err);

/* The pipeline of io_uring and io_uring_send_zc. Per stream; zeroed by the
 * harness before prepare. */
struct zc_upipe_slot;
struct zc_upipe {
	struct io_uring ring;
	bool ring_ok;
	bool send_zc;	    /* sink op: SEND_ZC (else WRITE_FIXED) */
	bool report_usage;  /* SEND_ZC: IORING_SEND_ZC_REPORT_USAGE still asked for */
	bool usage_unknown; /* SEND_ZC: the kernel refused REPORT_USAGE */
	bool mem_fixed;	    /* a memory source is registered as fixed buffers nbuf.. */
	unsigned nslot;
	struct zc_uring_bufs bufs;
	/* --inspect encrypt: a buffer per slot the records are sealed into
	 * (unregistered); the slot then writes from it. */
	struct zc_uring_bufs sealed;
	struct zc_upipe_slot *slots;
	uint64_t dst_off; /* file sink: where the next transfer's bytes go */
	/* Indexes into zc_transfer_result.stats, or -1 for counts not kept. */
	int st_reads, st_writes, st_resubmits, st_notifs, st_copied;
};

/* Before the window: ring, probe, qd buffers of p->chunk bytes, registered
 * (with the memory source too when send_zc). Returns 0 or an errno. */
int zc_upipe_prepare(struct zc_upipe *u, bool send_zc, const struct zc_copy_params *p, const struct zc_io *io,
		     const char **what);
/* Inside the window: move io's source to dst[0] until end of stream, a stop
 * request or an error. After a stop request no new data is read; what was
 * read is written for one checkpoint at most, less if nothing completed
 * for a whole one (a stalled sink). Then reads and writes still in flight
 * are cancelled, the bytes they held are counted in r->stranded, and SEND_ZC
 * notifications the stalled socket still owes are not waited for: no buffer
 * is written again, and release unmapping them is safe (the kernel holds
 * its own references to pinned pages). Otherwise it returns with nothing in
 * flight. */
void zc_upipe_run(struct zc_upipe *u, const struct zc_copy_params *p, const struct zc_io *io,
		  struct zc_transfer_result *r);
void zc_upipe_release(struct zc_upipe *u);

#endif
