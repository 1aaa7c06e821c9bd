/* msg_zerocopy: send(MSG_ZEROCOPY) from user memory. The kernel pins the
 * pages instead of copying them, so a buffer must not be rewritten until the
 * kernel says it is done with it: a completion on the socket's error queue
 * naming a range of send ids (each successful send() takes the next id).
 * A file or stream source is read into a ring of pre-faulted buffers, each
 * reused only after its sends completed; a memory source is sent from its
 * own memory. Completions flagged SO_EE_CODE_ZEROCOPY_COPIED mean the kernel
 * copied after all (always on loopback), and the path says so. */
#include <errno.h>
#include <inttypes.h>
#include <time.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io_util.h"
#include "strategy.h"
#include "zerocopy_ids.h"

enum { ST_SENDS, ST_COMPLETIONS, ST_COPIED, ST_ENOBUFS };
static const char *const mzc_stats[] = {"sends", "completions", "zc_copied", "enobufs", NULL};

/* Buffers in the ring: a read fills one while the sends of the others are
 * still waiting for their completions. */
#define MZC_NBUF 8
/* Sends allowed in flight (without a completion) at once: bounds the pinned
 * memory and the optmem each holds, and the window of ids tracked below. A
 * power of two. */
#define MZC_WINDOW 256
/* Checkpoints without a completion after which a transfer that an error
 * ends gives up waiting for the rest. */
#define MZC_QUIET_CHECKPOINTS 10

struct mzc_state {
	char *mem; /* MZC_NBUF buffers, `stride` bytes apart */
	size_t map_len, size;
	size_t stride;		     /* size, or with --inspect encrypt the records sealing size bytes take */
	unsigned cur;		     /* the buffer the next read fills */
	uint32_t buf_last[MZC_NBUF]; /* the last send id taken from each buffer */
	bool buf_sent[MZC_NBUF];     /* ...if any */
	struct zc_ids ids;	     /* the sends in flight (at most MZC_WINDOW) */
	char path[96];
};

static int mzc_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	struct mzc_state *s = state;
	s->ids.st_completions = ST_COMPLETIONS;
	s->ids.st_copied = ST_COPIED;
	int one = 1;
	if (setsockopt(io->dst[0], SOL_SOCKET, SO_ZEROCOPY, &one, sizeof one) != 0) {
		*what = "setsockopt(SO_ZEROCOPY)";
		return errno;
	}
	s->size = p->chunk;
	/* Encrypting, each buffer holds the records: the ciphertext is what
	 * the kernel may still read until the send completes. */
	s->stride = p->tls_tx ? zc_tls_sealed_len(p->chunk) : p->chunk;
	s->map_len = MZC_NBUF * s->stride;
	s->mem = mmap(NULL, s->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->mem == MAP_FAILED) {
		s->mem = NULL;
		*what = "mmap (buffers)";
		return errno;
	}
	zc_prefault(s->mem, s->map_len);
	return 0;
}

static uint32_t outstanding(const struct mzc_state *s)
{
	return zc_ids_outstanding(&s->ids);
}

static int reap(struct mzc_state *s, int fd, struct zc_transfer_result *r)
{
	return zc_ids_reap(&s->ids, fd, r);
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts); /* vDSO: no syscall */
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int wait_completions(struct mzc_state *s, int fd, unsigned ms, struct zc_transfer_result *r)
{
	return zc_ids_wait(&s->ids, fd, ms, r);
}

/* Wait until every send up to id (inclusive) completed, or every send if
 * all, a checkpoint at a time. Returns 0; ECANCELED once a stop was
 * requested, at once when waiting to refill a buffer (refill: no new data is
 * taken after a stop), else when nothing completed for a whole checkpoint
 * (the peer stalled: what it still owes is not waited for); ETIMEDOUT after
 * quiet_limit silent checkpoints when quiet_limit is not 0; or an errno. */
static int settle(struct mzc_state *s, int fd, bool all, uint32_t id, bool refill, unsigned quiet_limit,
		  const struct zc_copy_params *p, struct zc_transfer_result *r)
{
	unsigned cp = zc_checkpoint_ms(p);
	uint64_t last = now_ms();
	while (outstanding(s) && (all || (int32_t)(id - s->ids.base) >= 0)) {
		bool stopping = zc_stop_requested(p);
		if (stopping && refill)
			return ECANCELED;
		uint64_t quiet = now_ms() - last;
		if (stopping && quiet >= cp)
			return ECANCELED;
		if (quiet_limit && quiet >= (uint64_t)quiet_limit * cp)
			return ETIMEDOUT;
		int e = wait_completions(s, fd, stopping ? cp - (unsigned)quiet : cp, r);
		if (e == 0)
			last = now_ms();
		else if (e != ETIME)
			return e;
	}
	return 0;
}

/* Send the *left bytes at buf (ring buffer `slot`, or -1 for the memory
 * source); *left shrinks as they go. After a stop request they still go
 * out, for one checkpoint at most, and not at all once the sink took nothing
 * for a whole checkpoint (a stalled peer). Returns 0, ECANCELED when a stop
 * ended it so, or an errno with r->what set. */
static int send_all(struct mzc_state *s, int fd, const char *buf, size_t *left, int slot,
		    const struct zc_copy_params *p, struct zc_transfer_result *r)
{
	unsigned cp = zc_checkpoint_ms(p);
	uint64_t last = now_ms(); /* the sink last took something */
	uint64_t stop_seen = 0;
	while (*left > 0) {
		if (!stop_seen && zc_stop_requested(p))
			stop_seen = now_ms();
		if (stop_seen) {
			uint64_t from = last < stop_seen ? last : stop_seen;
			if (now_ms() >= from + cp)
				return ECANCELED;
		}
		if (outstanding(s) >= MZC_WINDOW) {
			int e = settle(s, fd, false, s->ids.base, false, 0, p, r);
			if (e) {
				r->what = "MSG_ZEROCOPY completions";
				return e;
			}
		}
		/* Once stopping, a send must not block past the deadline (its
		 * socket's own is a whole checkpoint): it waits in poll below. */
		int flags = MSG_ZEROCOPY | MSG_NOSIGNAL | (stop_seen ? MSG_DONTWAIT : 0);
		ssize_t w = send(fd, buf, *left, flags);
		if (w > 0) {
			/* Every send() that took bytes took an id, however many. */
			if (slot >= 0) {
				s->buf_last[slot] = s->ids.next_id;
				s->buf_sent[slot] = true;
			}
			zc_ids_sent(&s->ids, (uint64_t)w);
			r->stats[ST_SENDS]++;
			r->moved += (uint64_t)w;
			buf += w;
			*left -= (size_t)w;
			last = now_ms();
			continue;
		}
		if (w == 0) {
			r->what = "send(MSG_ZEROCOPY)";
			return EIO;
		}
		if (errno != EINTR && errno != EAGAIN && errno != ENOBUFS) {
			r->what = "send(MSG_ZEROCOPY)";
			return errno;
		}
		/* ENOBUFS: over the socket's optmem limit, which completions free.
		 * EAGAIN: the send deadline (SO_SNDTIMEO, a checkpoint) passed.
		 * EINTR: a signal, e.g. the subject's poke after a stop. */
		int why = errno;
		if (why == ENOBUFS)
			r->stats[ST_ENOBUFS]++;
		int e = reap(s, fd, r);
		if (e) {
			r->what = "MSG_ZEROCOPY completions";
			return e;
		}
		if (zc_stop_requested(p)) {
			if (!stop_seen)
				stop_seen = now_ms();
			uint64_t end = (last < stop_seen ? last : stop_seen) + cp, now = now_ms();
			if (now >= end)
				return ECANCELED;
			if (why == ENOBUFS) {
				e = wait_completions(s, fd, (unsigned)(end - now), r);
			} else {
				struct pollfd pfd = {.fd = fd, .events = POLLOUT};
				e = poll(&pfd, 1, (int)(end - now)) < 0 && errno != EINTR ? errno : 0;
			}
		} else if (why == ENOBUFS) {
			e = wait_completions(s, fd, cp, r);
		} else if (why == EAGAIN) {
			e = zc_wait_ready(fd, POLLOUT, p);
			if (e == ECANCELED)
				return e;
		}
		if (e && e != ETIME) {
			r->what = why == ENOBUFS ? "MSG_ZEROCOPY completions" : "poll(sink)";
			return e;
		}
	}
	return 0;
}

static void mzc_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			 struct zc_transfer_result *r)
{
	struct mzc_state *s = state;
	int fd = io->dst[0];
	r->path = "send(MSG_ZEROCOPY)";
	int e = 0;
	bool stalled = false; /* stopped on a sink that took nothing */
	bool redact = p->inspect == ZC_INSPECT_REDACT;
	uint64_t mem_off = 0;
	for (;;) {
		if (zc_between_chunks(p)) {
			e = ECANCELED;
			break;
		}
		const char *from;
		size_t n;
		int slot = -1;
		size_t payload = 0; /* encrypting: the payload the records in the buffer carry */
		if (io->src < 0 && !redact && !p->tls_tx) {
			uint64_t left = io->src_len - mem_off;
			n = left < s->size ? (size_t)left : s->size;
			from = io->src_mem + mem_off;
			mem_off += n;
			if (p->inspect == ZC_INSPECT_CHECKSUM)
				r->crc = zc_crc32c(r->crc, from, n);
		} else {
			/* The next buffer of the ring, once the kernel let go of it. */
			slot = (int)s->cur;
			if (s->buf_sent[slot]) {
				e = settle(s, fd, false, s->buf_last[slot], true, 0, p, r);
				if (e) {
					r->what = "MSG_ZEROCOPY completions";
					break;
				}
			}
			s->cur = (s->cur + 1) % MZC_NBUF;
			char *buf = s->mem + (size_t)slot * s->stride;
			/* Encrypting: the plaintext goes to the stream's staging
			 * buffer (a memory source is sealed from where it is), the
			 * records into the ring's buffer. */
			char *into = p->tls_tx ? (char *)p->tls_tx[zc_thread_index].out : buf;
			const char *plain = into;
			if (io->src < 0 && p->tls_tx) {
				uint64_t left = io->src_len - mem_off;
				n = left < s->size ? (size_t)left : s->size;
				plain = io->src_mem + mem_off;
				mem_off += n;
			} else if (io->src < 0) { /* redaction never touches the source: a copy */
				uint64_t left = io->src_len - mem_off;
				n = left < s->size ? (size_t)left : s->size;
				memcpy(buf, io->src_mem + mem_off, n);
				mem_off += n;
			} else {
				ssize_t got = zc_read_some(io->src, into, s->size, p);
				if (got < 0) {
					e = (int)-got;
					r->what = "read";
					break;
				}
				n = (size_t)got;
			}
			zc_inspect(p, buf, n, r);
			from = buf;
			if (p->tls_tx && n > 0) {
				if (zc_tls_seal(&p->tls_tx[zc_thread_index].seal, plain, n, (unsigned char *)buf) !=
				    0) {
					e = EIO;
					r->what = "AES-128-GCM (libcrypto)";
					break;
				}
				payload = n;
				n = zc_tls_sealed_len(n);
			}
		}
		if (n == 0)
			break; /* end of stream */
		size_t left = n;
		uint64_t moved = r->moved;
		e = send_all(s, fd, from, &left, slot, p, r);
		if (payload) {
			/* send_all counted wire bytes: delivered is the payload of
			 * the whole records sent. */
			uint64_t got = left ? zc_tls_payload_in((const unsigned char *)from, n - left) : payload;
			r->moved = moved + got;
			left = payload - got;
		}
		if (e == ECANCELED) {
			stalled = true;
			if (slot >= 0)
				r->stranded += left; /* read, never sent */
		}
		if (e)
			break;
	}
	/* Every send completes before the transfer returns: the next transfer
	 * refills the buffers. Only after a stop is that given up on, when the
	 * peer stalled: no buffer is written again, and release unmapping them
	 * is safe (the kernel holds its own references to pinned pages). */
	int e2 = 0;
	if (stalled)
		e2 = reap(s, fd, r);
	else
		e2 = settle(s, fd, true, 0, false, e && e != ECANCELED ? MZC_QUIET_CHECKPOINTS : 0, p, r);
	if (e2 == ECANCELED) {
		e2 = 0;
		if (!e)
			e = ECANCELED;
	}
	if (e == ECANCELED) {
		r->stopped = true;
		e = e2;
		if (e)
			r->what = "MSG_ZEROCOPY completions";
	} else if (!e && e2) {
		e = e2;
		r->what = "MSG_ZEROCOPY completions";
	}
	if (e)
		r->err = e;
}

/* Say what the kernel did, from this stream's counts; at most 63 characters
 * (the result's path). */
static void mzc_after_window(void *state, const struct zc_io *io, struct zc_transfer_result *r)
{
	(void)io;
	struct mzc_state *s = state;
	uint64_t n = r->stats[ST_COMPLETIONS], copied = r->stats[ST_COPIED];
	if (r->err && r->moved == 0)
		return; /* nothing went: the counts describe no transfer */
	if (n == 0)
		snprintf(s->path, sizeof s->path, "send(MSG_ZEROCOPY) (no sends)");
	else if (copied == n)
		snprintf(s->path, sizeof s->path, "send(MSG_ZEROCOPY): all %" PRIu64 " sends copied (no zero-copy)", n);
	else if (copied == 0)
		snprintf(s->path, sizeof s->path, "send(MSG_ZEROCOPY): zero-copy (0 of %" PRIu64 " sends copied)", n);
	else
		snprintf(s->path, sizeof s->path, "send(MSG_ZEROCOPY): %" PRIu64 " of %" PRIu64 " sends copied", copied,
			 n);
	r->path = s->path;
}

static void mzc_release(void *state)
{
	struct mzc_state *s = state;
	if (s->mem)
		munmap(s->mem, s->map_len);
	s->mem = NULL;
}

const struct zc_strategy zc_strategy_msg_zerocopy = {
	.name = "msg_zerocopy",
	.description = "send(MSG_ZEROCOPY) from user buffers, completions reaped from the error queue",
	.sources = ZC_EP_FILE | ZC_EP_MEM | ZC_EP_TCP | ZC_EP_UNIX,
	.sinks = ZC_EP_TCP,
	.max_sinks = 1,
	.sees_data = true,
	.encrypts = true,
	.default_chunk = 128 * 1024,
	.state_size = sizeof(struct mzc_state),
	.stat_names = mzc_stats,
	.prepare = mzc_prepare,
	.transfer = mzc_transfer,
	.after_window = mzc_after_window,
	.release = mzc_release,
};
