#include "io_uring_util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "io_util.h"

const struct zc_uring_op zc_uring_op_read_fixed = {IORING_OP_READ_FIXED, "READ_FIXED",
						   "io_uring op READ_FIXED not supported by this kernel"};
const struct zc_uring_op zc_uring_op_write_fixed = {IORING_OP_WRITE_FIXED, "WRITE_FIXED",
						    "io_uring op WRITE_FIXED not supported by this kernel"};
const struct zc_uring_op zc_uring_op_splice = {IORING_OP_SPLICE, "SPLICE",
					       "io_uring op SPLICE not supported by this kernel"};
const struct zc_uring_op zc_uring_op_send_zc = {IORING_OP_SEND_ZC, "SEND_ZC",
						"io_uring op SEND_ZC not supported by this kernel"};

/* The probe lists every op the kernel knows; 256 is the most the opcode
 * byte can name, so no newer kernel is cut off (this one reports 62, more
 * than liburing 2.3's header knows). */
#define PROBE_OPS 256

/* Is name in the hook's comma list? Case and spaces are not significant. */
static bool hidden(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *at = list; at && *at;) {
		at += strspn(at, ", \t");
		size_t len = strcspn(at, ", \t");
		if (len == n && strncasecmp(at, name, n) == 0)
			return true;
		at += len;
	}
	return false;
}

static int probe_ops(struct io_uring *ring, const struct zc_uring_op *const *ops, size_t nops, const char **what)
{
	/* io_uring_register_probe rather than io_uring_get_probe_ring: the
	 * latter returns NULL without saying why, and the errno is the reason. */
	struct io_uring_probe *pr = calloc(1, sizeof *pr + PROBE_OPS * sizeof pr->ops[0]);
	if (!pr) {
		*what = "calloc";
		return ENOMEM;
	}
	int rc = io_uring_register_probe(ring, pr, PROBE_OPS);
	if (rc < 0) {
		free(pr);
		*what = "io_uring_register(IORING_REGISTER_PROBE)";
		return -rc;
	}
	const char *hide = getenv(ZC_URING_HIDE_ENV);
	int e = 0;
	for (size_t i = 0; i < nops && !e; i++)
		if (hidden(hide, ops[i]->name) || !io_uring_opcode_supported(pr, ops[i]->op)) {
			*what = ops[i]->what;
			e = EOPNOTSUPP;
		}
	free(pr);
	return e;
}

/* Two rounds of NOPs through every SQE: the SQE array and both halves of the
 * CQ ring (twice the SQ's size) are touched now, not in the window. */
static int warm(struct io_uring *ring, const char **what)
{
	unsigned n = ring->sq.ring_entries;
	for (int round = 0; round < 2; round++) {
		unsigned queued = 0;
		for (struct io_uring_sqe *sqe; queued < n && (sqe = io_uring_get_sqe(ring)); queued++) {
			io_uring_prep_nop(sqe);
			io_uring_sqe_set_data64(sqe, 0);
		}
		int rc;
		do
			rc = io_uring_submit(ring);
		while (rc == -EINTR);
		if (rc < 0) {
			*what = "io_uring_submit (warm-up)";
			return -rc;
		}
		for (unsigned seen = 0; seen < queued; seen++) {
			struct io_uring_cqe *cqe;
			do
				rc = io_uring_wait_cqe(ring, &cqe);
			while (rc == -EINTR);
			if (rc < 0) {
				*what = "io_uring_wait_cqe (warm-up)";
				return -rc;
			}
			io_uring_cqe_seen(ring, cqe);
		}
	}
	return 0;
}

int zc_uring_open(struct io_uring *ring, unsigned entries, const struct zc_uring_op *const *ops, size_t nops,
		  const char **what)
{
	struct io_uring_params prm;
	memset(&prm, 0, sizeof prm);
	/* Network completions run as task work; cooperative task running
	 * spares an interrupt per completion, and every wait here enters the
	 * kernel anyway, which runs it. Kernels before 5.19 refuse the flag. */
	prm.flags = IORING_SETUP_COOP_TASKRUN;
	int rc = io_uring_queue_init_params(entries, ring, &prm);
	if (rc == -EINVAL) {
		memset(&prm, 0, sizeof prm);
		rc = io_uring_queue_init_params(entries, ring, &prm);
	}
	if (rc < 0) {
		*what = "io_uring_queue_init";
		return -rc;
	}
	int e = probe_ops(ring, ops, nops, what);
	if (!e)
		e = warm(ring, what);
	if (e)
		io_uring_queue_exit(ring);
	return e;
}

int zc_uring_bufs_alloc(struct zc_uring_bufs *b, unsigned nbuf, size_t size, const char **what)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	b->map_len = ((size_t)nbuf * size + page - 1) / page * page;
	b->mem = mmap(NULL, b->map_len ? b->map_len : page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->mem == MAP_FAILED) {
		b->mem = NULL;
		*what = "mmap (io_uring buffers)";
		return errno;
	}
	b->size = size;
	b->nbuf = nbuf;
	zc_prefault(b->mem, b->map_len);
	return 0;
}

void zc_uring_bufs_free(struct zc_uring_bufs *b)
{
	if (b->mem)
		munmap(b->mem, b->map_len);
	b->mem = NULL;
}

uint64_t zc_uring_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts); /* vDSO: no syscall */
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int zc_uring_wait(struct io_uring *ring, struct io_uring_cqe **cqe, unsigned ms)
{
	/* One io_uring_enter both submits and waits (io_uring_wait_cqe_timeout
	 * after io_uring_submit would take two); a CQE already there costs none. */
	struct __kernel_timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long long)(ms % 1000) * 1000000};
	*cqe = NULL;
	int rc = io_uring_submit_and_wait_timeout(ring, cqe, 1, &ts, NULL);
	if (rc >= 0 && *cqe)
		return 0;
	if (rc >= 0 || rc == -ETIME)
		return ETIME;
	/* A signal (the stop request's poke, or any other) ends the wait too:
	 * the caller looks at its flags, but counts no quiet checkpoint. */
	return -rc;
}

struct io_uring_sqe *zc_uring_sqe(struct io_uring *ring, int *err)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	if (sqe)
		return sqe;
	int rc;
	do
		rc = io_uring_submit(ring);
	while (rc == -EINTR);
	if (rc < 0) {
		*err = -rc;
		return NULL;
	}
	sqe = io_uring_get_sqe(ring);
	if (!sqe)
		*err = EBUSY;
	return sqe;
}

/* ---- The pipeline ----
 *
 * qd slots, each a registered buffer. Slot for sequence number s is s % qd:
 * a read is issued only when that slot is free, so slots are reused in
 * order and no lookup table is needed. A slot goes
 *   FREE -> READING -> READY -> QUEUED (inspected) -> WRITING -> [NOTIF] -> FREE.
 * Slots are inspected in sequence order (the checksum is order-dependent,
 * and redaction must precede the write). A file source is read up to qd
 * slots ahead at explicit offsets; a stream source (socket, pipe) has one
 * read in flight. A file sink takes every queued slot at once at its own
 * offset; a stream sink takes one write at a time, in order, the remainder
 * of a short write resubmitted before the next slot goes. With SEND_ZC a
 * buffer is reused only after its notification. */

enum { S_FREE, S_READING, S_READY, S_QUEUED, S_WRITING, S_NOTIF };
enum { K_READ = 1, K_WRITE, K_WRITE_MEM, K_CANCEL };

/* SEND_ZC notifications owed at most (one send in flight at a time, each
 * owing one until its buffer is released). */
#define ZC_NOTIF_RING 1024

/* The largest buffer io_uring registers (1 GiB); a bigger memory source is
 * registered in pieces of this size, and no send crosses a piece. */
#define REG_MAX (1ull << 30)

/* Checkpoints a run waits, after it cancelled everything, for requests that
 * still have not completed; then it returns and leaves them to the ring's
 * teardown (the buffers stay registered, hence pinned, until then). */
#define GIVE_UP_CHECKPOINTS 10

struct zc_upipe_slot {
	uint64_t seq;
	uint64_t pos; /* stream position of data[0], from the transfer's start */
	size_t len;   /* bytes held (while READING: read so far) */
	size_t done;  /* bytes written */
	char *data;
	unsigned buf_index;
	int notifs; /* SEND_ZC notifications still to come (can dip below 0 if one overtakes its send's CQE) */
	unsigned char st;
	size_t payload; /* encrypting, once sealed: the payload its records (len bytes) carry; else 0 */
	bool in_buf;	/* data is our buffer (else the memory source) */
	bool fixed;	/* data lies in a registered buffer */
};

struct run {
	struct zc_upipe *u;
	const struct zc_copy_params *p;
	const struct zc_io *io;
	struct zc_transfer_result *r;
	bool src_file, src_mem, dst_file;
	uint64_t src_start;
	uint64_t next_read, next_release, next_write; /* sequence numbers */
	uint64_t stream_pos;			      /* stream and memory sources: bytes taken so far */
	uint64_t written;			      /* this transfer */
	unsigned busy;				      /* slots not FREE */
	unsigned reads, writes, cancels;	      /* requests in flight */
	int mem_notifs;				      /* notifications of sends from the memory source */
	bool eof, stopping, cancelled_all;
	bool gave_up;	      /* stopped on a stalled sink: nothing more is written */
	unsigned cp;	      /* the checkpoint, ms */
	uint64_t last_cqe_ms; /* when something last completed */
	uint64_t stop_ms;     /* when the stop request was seen */
	int err;
	const char *what;
	/* SEND_ZC bytes by what their notifications said: sends go one at a
	 * time on a stream sink and their notifications come in send order, so
	 * the sizes of sends still owed a notification and notifications that
	 * overtook their send's result are paired first in, first out. */
	uint64_t zc_len[ZC_NOTIF_RING];
	bool zc_copied[ZC_NOTIF_RING];
	unsigned zc_len_head, zc_len_n, zc_flag_head, zc_flag_n;
};

/* Pair queued send sizes with queued notifications. */
static void zc_pair(struct run *x)
{
	while (x->zc_len_n && x->zc_flag_n) {
		uint64_t len = x->zc_len[x->zc_len_head];
		bool copied = x->zc_copied[x->zc_flag_head];
		x->zc_len_head = (x->zc_len_head + 1) % ZC_NOTIF_RING;
		x->zc_flag_head = (x->zc_flag_head + 1) % ZC_NOTIF_RING;
		x->zc_len_n--;
		x->zc_flag_n--;
		if (copied)
			x->r->zc_copied_bytes += len;
		else
			x->r->zc_pinned_bytes += len;
	}
}

static void zc_note_send(struct run *x, int res)
{
	if (x->zc_len_n < ZC_NOTIF_RING)
		x->zc_len[(x->zc_len_head + x->zc_len_n++) % ZC_NOTIF_RING] = res > 0 ? (uint64_t)res : 0;
	zc_pair(x);
}

static void zc_note_notif(struct run *x, bool copied)
{
	if (x->zc_flag_n < ZC_NOTIF_RING)
		x->zc_copied[(x->zc_flag_head + x->zc_flag_n++) % ZC_NOTIF_RING] = copied;
	zc_pair(x);
}

static void bump(struct run *x, int idx, uint64_t n)
{
	if (idx >= 0 && idx < ZC_MAX_STATS)
		x->r->stats[idx] += n;
}

static void fail(struct run *x, int err, const char *what)
{
	if (!x->err) {
		x->err = err;
		x->what = what;
	}
}

static struct io_uring_sqe *sqe_for(struct run *x, unsigned kind, unsigned slot)
{
	int err = 0;
	struct io_uring_sqe *sqe = zc_uring_sqe(&x->u->ring, &err);
	if (!sqe) {
		fail(x, err, "io_uring_submit");
		return NULL;
	}
	io_uring_sqe_set_data64(sqe, (uint64_t)kind << 32 | slot);
	return sqe;
}

static void slot_free(struct run *x, struct zc_upipe_slot *s)
{
	if (s->st != S_FREE) {
		s->st = S_FREE;
		x->busy--;
	}
}

static void issue_read(struct run *x, unsigned i)
{
	struct zc_upipe_slot *s = &x->u->slots[i];
	struct io_uring_sqe *sqe = sqe_for(x, K_READ, i);
	if (!sqe) {
		s->st = S_READY; /* nothing in flight: released (and dropped) as such */
		return;
	}
	/* -1 means "no offset": a socket or pipe has none. */
	uint64_t off = x->src_file ? x->src_start + s->pos + s->len : (uint64_t)-1;
	io_uring_prep_read_fixed(sqe, x->io->src, s->data + s->len, (unsigned)(x->u->bufs.size - s->len), off,
				 (int)s->buf_index);
	s->st = S_READING;
	x->reads++;
}

static void issue_write(struct run *x, unsigned i)
{
	struct zc_upipe *u = x->u;
	struct zc_upipe_slot *s = &u->slots[i];
	struct io_uring_sqe *sqe = sqe_for(x, u->send_zc && !s->in_buf ? K_WRITE_MEM : K_WRITE, i);
	if (!sqe) {
		slot_free(x, s);
		return;
	}
	const char *at = s->data + s->done;
	unsigned n = (unsigned)(s->len - s->done);
	if (!s->fixed && !u->send_zc) {
		io_uring_prep_write(sqe, x->io->dst[0], at, n, (uint64_t)-1); /* sealed records */
	} else if (u->send_zc) {
		/* MSG_WAITALL: the kernel itself retries a short send on a stream
		 * socket, so one request (one notification) carries the slot. */
		unsigned zcf = u->report_usage ? IORING_SEND_ZC_REPORT_USAGE : 0;
		if (s->fixed)
			io_uring_prep_send_zc_fixed(sqe, x->io->dst[0], at, n, MSG_NOSIGNAL | MSG_WAITALL, zcf,
						    s->buf_index);
		else
			io_uring_prep_send_zc(sqe, x->io->dst[0], at, n, MSG_NOSIGNAL | MSG_WAITALL, zcf);
	} else {
		uint64_t off = x->dst_file ? u->dst_off + s->pos + s->done : (uint64_t)-1;
		io_uring_prep_write_fixed(sqe, x->io->dst[0], at, n, off, (int)s->buf_index);
	}
	s->st = S_WRITING;
	x->writes++;
	bump(x, u->st_writes, 1);
}

/* Memory source: a slot points into the memory (no copy) or, to redact, holds
 * a copy, since the source is never written. */
static bool fill_mem(struct run *x, unsigned i)
{
	struct zc_upipe *u = x->u;
	struct zc_upipe_slot *s = &u->slots[i];
	uint64_t left = x->io->src_len - x->stream_pos;
	if (left == 0) {
		x->eof = true;
		return false;
	}
	size_t len = left < u->bufs.size ? (size_t)left : u->bufs.size;
	uint64_t piece = x->stream_pos / REG_MAX;
	if (u->mem_fixed && x->stream_pos + len > (piece + 1) * REG_MAX)
		len = (size_t)((piece + 1) * REG_MAX - x->stream_pos);
	const char *from = x->io->src_mem + x->stream_pos;
	*s = (struct zc_upipe_slot){.seq = x->next_read++, .pos = x->stream_pos, .len = len, .st = S_READY};
	if (x->p->inspect == ZC_INSPECT_REDACT) {
		s->data = zc_uring_buf(&u->bufs, i);
		memcpy(s->data, from, len);
		s->buf_index = i;
		s->in_buf = s->fixed = true;
	} else {
		s->data = (char *)from; /* only read: checksummed or sent */
		s->buf_index = u->bufs.nbuf + (unsigned)piece;
		s->fixed = u->mem_fixed;
	}
	x->busy++;
	x->stream_pos += len;
	return true;
}

static void issue_reads(struct run *x)
{
	struct zc_upipe *u = x->u;
	while (!x->eof && !x->stopping && !x->err) {
		unsigned i = (unsigned)(x->next_read % u->nslot);
		struct zc_upipe_slot *s = &u->slots[i];
		if (s->st != S_FREE)
			return;
		if (x->src_mem) {
			if (!fill_mem(x, i))
				return;
			continue;
		}
		if (!x->src_file && x->reads)
			return; /* a stream is read in order: one read at a time */
		*s = (struct zc_upipe_slot){.seq = x->next_read,
					    .pos = x->src_file ? x->next_read * u->bufs.size : 0,
					    .data = zc_uring_buf(&u->bufs, i),
					    .buf_index = i,
					    .st = S_READING,
					    .in_buf = true,
					    .fixed = true};
		x->next_read++;
		x->busy++;
		bump(x, u->st_reads, 1);
		issue_read(x, i);
	}
}

static void read_ready(struct run *x, struct zc_upipe_slot *s)
{
	if (!x->src_file) {
		s->pos = x->stream_pos;
		x->stream_pos += s->len;
	}
	s->st = S_READY;
}

/* Inspect ready slots in sequence order; a file sink gets them at once. */
static void release_ready(struct run *x)
{
	struct zc_upipe *u = x->u;
	while (!x->gave_up && x->next_release < x->next_read) {
		unsigned i = (unsigned)(x->next_release % u->nslot);
		struct zc_upipe_slot *s = &u->slots[i];
		if (s->seq != x->next_release || s->st != S_READY)
			return;
		x->next_release++;
		if (x->err || s->len == 0) {
			slot_free(x, s);
			continue;
		}
		zc_inspect(x->p, s->data, s->len, x->r);
		if (x->p->tls_tx) {
			/* Sealed in sequence order, so the records' sequence
			 * numbers follow the stream. */
			unsigned char *to = (unsigned char *)zc_uring_buf(&u->sealed, i);
			if (zc_tls_seal(&x->p->tls_tx[zc_thread_index].seal, s->data, s->len, to) != 0) {
				fail(x, EIO, "AES-128-GCM (libcrypto)");
				slot_free(x, s);
				continue;
			}
			s->payload = s->len;
			s->len = zc_tls_sealed_len(s->len);
			s->data = (char *)to;
			s->in_buf = true;
			s->fixed = false;
		}
		s->done = 0;
		s->st = S_QUEUED;
		if (x->dst_file)
			issue_write(x, i);
	}
}

/* A stream sink: the oldest queued slot, when nothing is being written. */
static void write_next(struct run *x)
{
	struct zc_upipe *u = x->u;
	while (!x->err && !x->gave_up && x->writes == 0 && x->next_write < x->next_release) {
		unsigned i = (unsigned)(x->next_write % u->nslot);
		struct zc_upipe_slot *s = &u->slots[i];
		if (s->seq != x->next_write || s->st == S_FREE || s->st == S_NOTIF) {
			x->next_write++; /* written already, or had nothing */
			continue;
		}
		if (s->st == S_QUEUED)
			issue_write(x, i);
		return;
	}
}

/* After an error nothing more is written: slots holding data with no request
 * in flight are let go. */
static void drop_idle(struct run *x)
{
	for (unsigned i = 0; i < x->u->nslot; i++) {
		struct zc_upipe_slot *s = &x->u->slots[i];
		if (s->st == S_READY || s->st == S_QUEUED)
			slot_free(x, s);
	}
}

static void cancel(struct run *x, uint64_t user_data, unsigned flags)
{
	struct io_uring_sqe *sqe = sqe_for(x, K_CANCEL, 0);
	if (!sqe)
		return;
	io_uring_prep_cancel64(sqe, user_data, (int)flags);
	x->cancels++;
}

static void cancel_all(struct run *x)
{
	x->cancelled_all = true;
	cancel(x, 0, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL);
}

static void begin_stop(struct run *x)
{
	x->stopping = true;
	x->stop_ms = zc_uring_now_ms();
	/* A stream read may wait forever on a quiet peer: cancel it. File
	 * reads finish by themselves, and their bytes are then written. */
	if (!x->src_file && x->reads) {
		unsigned i = (unsigned)((x->next_read - 1) % x->u->nslot);
		cancel(x, (uint64_t)K_READ << 32 | i, 0);
	}
}

static void on_read(struct run *x, unsigned i, int res)
{
	struct zc_upipe *u = x->u;
	struct zc_upipe_slot *s = &u->slots[i];
	x->reads--;
	if (res > 0) {
		s->len += (size_t)res;
		/* A short read of a file is finished at the next offset (0 there
		 * means end of file); a stream's short read is just what came. */
		if (x->src_file && s->len < u->bufs.size && !x->err && !x->gave_up) {
			bump(x, u->st_resubmits, 1);
			issue_read(x, i);
			return;
		}
		read_ready(x, s);
		return;
	}
	if (res == 0) {
		x->eof = true;
		read_ready(x, s);
		return;
	}
	/* Reads this run cancelled: all of them after an error or on a stalled
	 * sink, a stream's after a stop. A cancelled request may also end in
	 * -EINTR. */
	bool cancelled = x->err || x->gave_up || (x->stopping && !x->src_file);
	bool interrupted = zc_uring_retryable(res);
	if (interrupted && cancelled) {
		read_ready(x, s); /* what it read before the cancel still counts */
		return;
	}
	if (interrupted) { /* not cancelled by this loop: see zc_uring_retryable */
		bump(x, u->st_resubmits, 1);
		issue_read(x, i);
		return;
	}
	fail(x, -res, "io_uring read");
	read_ready(x, s);
}

static void finish_write(struct run *x, struct zc_upipe_slot *s)
{
	if (s->in_buf && s->notifs != 0)
		s->st = S_NOTIF; /* the kernel may still read the buffer */
	else
		slot_free(x, s);
}

static void on_write(struct run *x, unsigned i, int res)
{
	struct zc_upipe *u = x->u;
	struct zc_upipe_slot *s = &u->slots[i];
	x->writes--;
	if (res > 0) {
		size_t before = s->done;
		s->done += (size_t)res;
		/* Sealed records: delivered is the payload of whole records. */
		x->r->moved += s->payload ? zc_tls_payload_in((const unsigned char *)s->data, s->done) -
						    zc_tls_payload_in((const unsigned char *)s->data, before)
					  : (uint64_t)res;
		x->written += (uint64_t)res;
		if (s->done < s->len && !x->err && !x->gave_up) {
			bump(x, u->st_resubmits, 1);
			issue_write(x, i);
			return;
		}
		if (s->done < s->len && x->gave_up) {
			s->st = S_QUEUED; /* the rest is stranded */
			return;
		}
		finish_write(x, s);
		return;
	}
	if (x->gave_up && (res == -ECANCELED || res == -EINTR || res == -EAGAIN)) {
		s->st = S_QUEUED; /* cancelled on the stalled sink: stranded */
		return;
	}
	if (res == -EINVAL && u->send_zc && u->report_usage && !x->err) {
		/* Kernels 6.0 and 6.1 have SEND_ZC but not REPORT_USAGE. */
		u->report_usage = false;
		u->usage_unknown = true;
		issue_write(x, i);
		return;
	}
	if (zc_uring_retryable(res) && !x->err && !x->gave_up) {
		bump(x, u->st_resubmits, 1);
		issue_write(x, i);
		return;
	}
	/* A write returning 0 would loop forever if retried. */
	fail(x, res == 0 ? EIO : -res, u->send_zc ? "io_uring SEND_ZC" : "io_uring write");
	finish_write(x, s);
}

static void on_cqe(struct run *x, const struct io_uring_cqe *cqe)
{
	struct zc_upipe *u = x->u;
	uint64_t ud = io_uring_cqe_get_data64(cqe);
	unsigned kind = (unsigned)(ud >> 32), i = (unsigned)ud;
	if (kind == K_CANCEL) {
		x->cancels--;
		return;
	}
	if (i >= u->nslot)
		return; /* not ours (a warm-up NOP has user_data 0) */
	if (kind == K_READ) {
		on_read(x, i, cqe->res);
		return;
	}
	struct zc_upipe_slot *s = &u->slots[i];
	if (cqe->flags & IORING_CQE_F_NOTIF) {
		bump(x, u->st_notifs, 1);
		if ((uint32_t)cqe->res & IORING_NOTIF_USAGE_ZC_COPIED)
			bump(x, u->st_copied, 1);
		zc_note_notif(x, ((uint32_t)cqe->res & IORING_NOTIF_USAGE_ZC_COPIED) != 0);
		if (kind == K_WRITE_MEM) {
			x->mem_notifs--;
		} else if (--s->notifs == 0 && s->st == S_NOTIF) {
			slot_free(x, s);
		}
		return;
	}
	if (cqe->flags & IORING_CQE_F_MORE) { /* a notification follows */
		zc_note_send(x, cqe->res);
		if (kind == K_WRITE_MEM)
			x->mem_notifs++;
		else
			s->notifs++;
	}
	on_write(x, i, cqe->res);
}

void zc_upipe_run(struct zc_upipe *u, const struct zc_copy_params *p, const struct zc_io *io,
		  struct zc_transfer_result *r)
{
	struct run x = {.u = u,
			.p = p,
			.io = io,
			.r = r,
			.src_file = p->src_kind == ZC_EP_FILE,
			.src_mem = io->src < 0,
			.dst_file = p->dst_kind == ZC_EP_FILE};
	if (x.src_file) {
		/* Explicit offsets from wherever the descriptor stands. */
		off_t at = lseek(io->src, 0, SEEK_CUR);
		if (at < 0) {
			r->err = errno;
			r->what = "lseek(source)";
			return;
		}
		x.src_start = (uint64_t)at;
	}
	x.cp = zc_checkpoint_ms(p);
	x.last_cqe_ms = zc_uring_now_ms();
	unsigned stalls = 0;
	for (;;) {
		if (zc_between_chunks(p) && !x.stopping)
			begin_stop(&x);
		issue_reads(&x);
		release_ready(&x);
		if (!x.dst_file)
			write_next(&x);
		if (x.err) {
			drop_idle(&x);
			if (!x.cancelled_all && (x.reads || x.writes))
				cancel_all(&x);
		}
		/* Half a checkpoint: a stop request is seen within that, and
		 * the drain after it still ends within the bound below. */
		unsigned wait = x.cp / 2 ? x.cp / 2 : 1;
		if (x.stopping && !x.gave_up && !x.err) {
			/* After a stop, what is in flight still goes out, for one
			 * checkpoint at most, and not at all once nothing completed
			 * for a whole checkpoint (a stalled sink): then the rest is
			 * cancelled and counted as stranded. */
			uint64_t now = zc_uring_now_ms();
			uint64_t end =
				x.last_cqe_ms + x.cp < x.stop_ms + x.cp ? x.last_cqe_ms + x.cp : x.stop_ms + x.cp;
			if (now >= end) {
				x.gave_up = true;
				if (!x.cancelled_all && (x.reads || x.writes))
					cancel_all(&x);
			} else if (end - now < wait) {
				wait = (unsigned)(end - now);
			}
		}
		/* Having given up, notifications a stalled socket still owes
		 * are not waited for: no buffer is written again. */
		bool pending = x.reads || x.writes || x.cancels || (!x.gave_up && (x.mem_notifs || x.busy));
		if (!pending)
			break; /* end of stream, stop or error, with nothing in flight */
		struct io_uring_cqe *cqe;
		int rc = zc_uring_wait(&u->ring, &cqe, wait);
		if (rc == EINTR)
			continue; /* a signal, not a quiet checkpoint: a storm must not end the wait early */
		if (rc == ETIME) {
			/* Cancelled requests that never come back are left to the
			 * ring's teardown. */
			if ((x.err || x.gave_up) && ++stalls > GIVE_UP_CHECKPOINTS)
				break;
			continue; /* a checkpoint: look at the stop flag */
		}
		if (rc) {
			fail(&x, rc, "io_uring_enter");
			break;
		}
		stalls = 0;
		x.last_cqe_ms = zc_uring_now_ms();
		do {
			on_cqe(&x, cqe);
			io_uring_cqe_seen(&u->ring, cqe);
		} while (io_uring_peek_cqe(&u->ring, &cqe) == 0);
	}
	if (x.gave_up)
		for (unsigned i = 0; i < u->nslot; i++) {
			const struct zc_upipe_slot *s = &u->slots[i];
			if (s->st == S_READING || s->st == S_READY || s->st == S_QUEUED || s->st == S_WRITING)
				r->stranded += s->payload
						       ? s->payload - zc_tls_payload_in((const unsigned char *)s->data,
											s->done)
						       : s->len - s->done;
		}
	if (x.dst_file)
		u->dst_off += x.written;
	if (x.err) {
		r->err = x.err;
		r->what = x.what;
	} else if (x.stopping) {
		r->stopped = true;
	}
}

int zc_upipe_prepare(struct zc_upipe *u, bool send_zc, const struct zc_copy_params *p, const struct zc_io *io,
		     const char **what)
{
	u->send_zc = u->report_usage = send_zc;
	u->nslot = p->qd ? p->qd : 4;
	bool src_mem = io->src < 0;
	const struct zc_uring_op *ops[2];
	size_t nops = 0;
	if (!src_mem)
		ops[nops++] = &zc_uring_op_read_fixed;
	ops[nops++] = send_zc ? &zc_uring_op_send_zc : &zc_uring_op_write_fixed;
	/* Room for a read and a write per slot, and cancels. */
	int e = zc_uring_open(&u->ring, 2 * u->nslot + 8, ops, nops, what);
	if (e)
		return e;
	u->ring_ok = true;
	if (p->chunk > REG_MAX) {
		*what = "io_uring buffers (--chunk above 1 GiB)";
		return EINVAL;
	}
	e = zc_uring_bufs_alloc(&u->bufs, u->nslot, p->chunk, what);
	if (!e && p->tls_tx)
		e = zc_uring_bufs_alloc(&u->sealed, u->nslot, zc_tls_sealed_len(p->chunk), what);
	if (e)
		return e;
	u->slots = calloc(u->nslot, sizeof *u->slots);
	size_t pieces = send_zc && src_mem ? (size_t)((io->src_len + REG_MAX - 1) / REG_MAX) : 0;
	struct iovec *iov = calloc(u->nslot + pieces, sizeof *iov);
	if (!u->slots || !iov) {
		free(iov);
		*what = "calloc";
		return ENOMEM;
	}
	for (unsigned i = 0; i < u->nslot; i++)
		iov[i] = (struct iovec){zc_uring_buf(&u->bufs, i), p->chunk};
	for (size_t k = 0; k < pieces; k++) {
		uint64_t off = k * REG_MAX, left = io->src_len - off;
		iov[u->nslot + k] = (struct iovec){(char *)io->src_mem + off, left < REG_MAX ? (size_t)left : REG_MAX};
	}
	int rc = io_uring_register_buffers(&u->ring, iov, u->nslot + (unsigned)pieces);
	if (rc < 0 && pieces) /* e.g. over RLIMIT_MEMLOCK: send the memory unregistered */
		rc = io_uring_register_buffers(&u->ring, iov, u->nslot);
	else if (rc == 0)
		u->mem_fixed = pieces > 0;
	free(iov);
	if (rc < 0) {
		*what = "io_uring_register_buffers";
		return -rc;
	}
	if (p->dst_kind == ZC_EP_FILE) {
		off_t at = lseek(io->dst[0], 0, SEEK_CUR);
		if (at < 0) {
			*what = "lseek(sink)";
			return errno;
		}
		u->dst_off = (uint64_t)at;
	}
	return 0;
}

void zc_upipe_release(struct zc_upipe *u)
{
	/* The ring first: exiting it drops the registration (and pins). */
	if (u->ring_ok)
		io_uring_queue_exit(&u->ring);
	u->ring_ok = false;
	zc_uring_bufs_free(&u->bufs);
	zc_uring_bufs_free(&u->sealed);
	free(u->slots);
	u->slots = NULL;
}
