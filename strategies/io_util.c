#include "io_util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

_Thread_local unsigned zc_thread_index;

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int zc_wait_ready(int fd, short events, const struct zc_copy_params *p)
{
	bool draining = events & POLLOUT;
	uint64_t give_up = 0; /* once stopping: the end of the one checkpoint a sink gets (ns) */
	for (;;) {
		bool stopping = zc_stop_requested(p);
		/* After a stop request no new data is taken in; data already read
		 * is still written out, unless the sink takes nothing for a whole
		 * checkpoint (a stalled peer). */
		if (stopping && !draining)
			return ECANCELED;
		unsigned wait = zc_checkpoint_ms(p);
		if (stopping) {
			uint64_t now = mono_ns();
			if (!give_up)
				give_up = (p->stop_at_ns && *p->stop_at_ns ? *p->stop_at_ns : now) +
					  (uint64_t)wait * 1000000ull;
			if (now >= give_up)
				return ECANCELED;
			wait = (unsigned)((give_up - now + 999999) / 1000000);
		}
		struct pollfd pfd = {.fd = fd, .events = events};
		int rc = poll(&pfd, 1, (int)wait);
		if (rc > 0)
			return 0;
		if (rc < 0 && errno != EINTR)
			return errno;
		/* A checkpoint passed, or the subject interrupted the wait (it does
		 * so at every checkpoint after a stop): look at the flag again. */
	}
}

int zc_write_progress(int fd, const void *buf, size_t n, const struct zc_copy_params *p, size_t *written)
{
	const char *at = buf;
	*written = 0;
	while (n > 0) {
		/* Once stopping, every further call is gated by the one checkpoint
		 * the sink gets, so partial writes cannot stretch it. */
		if (zc_stop_requested(p)) {
			int err = zc_wait_ready(fd, POLLOUT, p);
			if (err)
				return err;
		}
		ssize_t w = write(fd, at, n);
		if (w > 0) {
			at += w;
			n -= (size_t)w;
			*written += (size_t)w;
			continue;
		}
		if (w < 0 && (errno == EINTR || errno == EAGAIN)) {
			/* EINTR too: after a stop request the subject interrupts
			 * blocked calls at every checkpoint. */
			int err = zc_wait_ready(fd, POLLOUT, p);
			if (err)
				return err;
			continue;
		}
		return w < 0 ? errno : EIO;
	}
	return 0;
}

int zc_write_all(int fd, const void *buf, size_t n, const struct zc_copy_params *p)
{
	size_t written;
	return zc_write_progress(fd, buf, n, p, &written);
}

ssize_t zc_read_some(int fd, void *buf, size_t n, const struct zc_copy_params *p)
{
	for (;;) {
		ssize_t r = read(fd, buf, n);
		if (r >= 0)
			return r;
		if (errno == EINTR || errno == EAGAIN) {
			int err = zc_wait_ready(fd, POLLIN, p);
			if (err)
				return -err;
			continue;
		}
		return -errno;
	}
}

void zc_prefault(void *buf, size_t n)
{
	/* memset rather than one byte a page: the second pass over memory is the
	 * fast one on these VMs, and memset leaves it in the state a copy loop sees. */
	memset(buf, 0, n);
}

void zc_inspect(const struct zc_copy_params *p, void *buf, size_t n, struct zc_transfer_result *r)
{
	if (p->inspect == ZC_INSPECT_CHECKSUM) {
		r->crc = zc_crc32c(r->crc, buf, n);
	} else if (p->inspect == ZC_INSPECT_REDACT) {
		unsigned char *b = buf;
		for (size_t i = 0; i < n; i++)
			b[i] = zc_redact_byte(b[i]);
	}
}

void zc_consume_memory(const struct zc_copy_params *p, const void *buf, size_t n, struct zc_transfer_result *r)
{
	if (p->verify && !r->mismatch) {
		int64_t bad =
			zc_pattern_check_periodic(buf, r->moved, n, p->verify_period, p->inspect == ZC_INSPECT_REDACT);
		if (bad >= 0) {
			r->mismatch = true;
			r->mismatch_at = r->moved + (uint64_t)bad;
		}
	}
	r->moved += n;
}

int zc_write_sinks(const struct zc_io *io, const void *buf, size_t n, const struct zc_copy_params *p,
		   struct zc_transfer_result *r)
{
	if (p->dst_kind == ZC_EP_MEM) {
		zc_consume_memory(p, buf, n, r);
		return 0;
	}
	if (p->tls_tx)
		return zc_write_sealed(io, &(struct iovec){.iov_base = (void *)buf, .iov_len = n}, 1, p, r);
	for (unsigned k = 0; k < io->ndst; k++) {
		size_t written;
		int err = zc_write_progress(io->dst[k], buf, n, p, &written);
		if (err == ECANCELED) {
			/* Stopped on a stalled sink: what reached the first sink is
			 * delivered, the rest of the buffer is stranded. */
			if (k == 0)
				r->moved += written;
			r->stranded += n - (k == 0 ? written : 0);
			r->stopped = true;
			return err;
		}
		if (err) {
			/* What a short write took before the error is delivered
			 * (a full disk, a reset peer): counted as on a stop. */
			if (k == 0)
				r->moved += written;
			r->what = "write";
			return err;
		}
	}
	r->moved += n;
	return 0;
}

/* Write `wire` bytes of sealed records (payload bytes of payload) to every
 * sink; as zc_write_sinks, counting payload. */
static int write_records(const struct zc_io *io, const unsigned char *out, size_t wire, size_t payload,
			 const struct zc_copy_params *p, struct zc_transfer_result *r)
{
	for (unsigned k = 0; k < io->ndst; k++) {
		size_t written;
		int err = zc_write_progress(io->dst[k], out, wire, p, &written);
		if (err) {
			/* Delivered: what the peer can decrypt, whole records. */
			uint64_t got = k == 0 ? zc_tls_payload_in(out, written) : 0;
			r->moved += got;
			if (err == ECANCELED) {
				r->stranded += payload - got;
				r->stopped = true;
			} else {
				r->what = "write";
			}
			return err;
		}
	}
	r->moved += payload;
	return 0;
}

int zc_write_sealed(const struct zc_io *io, const struct iovec *iov, unsigned cnt, const struct zc_copy_params *p,
		    struct zc_transfer_result *r)
{
	struct zc_tls_tx *t = &p->tls_tx[zc_thread_index];
	size_t wire = 0, payload = 0;
	for (unsigned i = 0; i < cnt; i++) {
		const char *at = iov[i].iov_base;
		for (size_t left = iov[i].iov_len; left > 0;) {
			size_t k = left < t->cap - payload ? left : t->cap - payload;
			if (k == 0 || wire + zc_tls_sealed_len(k) > t->out_size) {
				int err = write_records(io, t->out, wire, payload, p, r);
				if (err)
					return err;
				wire = payload = 0;
				continue;
			}
			if (zc_tls_seal(&t->seal, at, k, t->out + wire) != 0) {
				r->what = "AES-128-GCM (libcrypto)";
				return EIO;
			}
			wire += zc_tls_sealed_len(k);
			payload += k;
			at += k;
			left -= k;
		}
	}
	return payload ? write_records(io, t->out, wire, payload, p, r) : 0;
}

bool zc_retry(int err, int fd, short events, const struct zc_copy_params *p, struct zc_transfer_result *r,
	      const char *what)
{
	if (err == EINTR || err == EAGAIN) {
		err = zc_wait_ready(fd, events, p);
		if (!err)
			return true;
		if (zc_stopped_by(err, r))
			return false;
	}
	r->err = err;
	r->what = what;
	return false;
}

bool zc_stopped_by(int err, struct zc_transfer_result *r)
{
	if (err != ECANCELED)
		return false;
	r->stopped = true;
	return true;
}

void zc_copy_through(void *buf, size_t size, const struct zc_io *io, const struct zc_copy_params *p,
		     struct zc_transfer_result *r)
{
	uint64_t mem_off = 0;
	for (;;) {
		ssize_t n;
		if (io->src < 0) {
			uint64_t left = io->src_len - mem_off;
			n = (ssize_t)(left < size ? left : size);
			memcpy(buf, io->src_mem + mem_off, (size_t)n);
			mem_off += (uint64_t)n;
		} else {
			n = zc_read_some(io->src, buf, size, p);
		}
		if (n == 0)
			return;
		if (n < 0) {
			if (!zc_stopped_by((int)-n, r)) {
				r->err = (int)-n;
				r->what = "read";
			}
			return;
		}
		zc_inspect(p, buf, (size_t)n, r);
		if (zc_chunk_ends(zc_write_sinks(io, buf, (size_t)n, p, r), p, r))
			return;
	}
}

void zc_write_memory(const struct zc_io *io, const struct zc_copy_params *p, struct zc_transfer_result *r)
{
	for (uint64_t off = 0; off < io->src_len;) {
		uint64_t left = io->src_len - off;
		size_t n = left < p->chunk ? (size_t)left : p->chunk;
		if (p->inspect == ZC_INSPECT_CHECKSUM)
			r->crc = zc_crc32c(r->crc, io->src_mem + off, n);
		int err = zc_write_sinks(io, io->src_mem + off, n, p, r);
		off += n;
		if (zc_chunk_ends(err, p, r))
			return;
	}
}

int zc_pipe_open(int *rd, int *wr, size_t size, size_t *actual, const char **what)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0) {
		*what = "pipe2";
		return errno;
	}
	*rd = fds[0];
	*wr = fds[1];
	if (size && fcntl(fds[1], F_SETPIPE_SZ, (int)size) < 0) {
		*what = "fcntl(F_SETPIPE_SZ)";
		return errno;
	}
	int sz = fcntl(fds[1], F_GETPIPE_SZ);
	if (sz < 0) {
		*what = "fcntl(F_GETPIPE_SZ)";
		return errno;
	}
	*actual = (size_t)sz;
	static const char zeros[4096];
	char sink[4096];
	for (size_t left = (size_t)sz; left > 0;) {
		ssize_t w = write(fds[1], zeros, left < sizeof zeros ? left : sizeof zeros);
		if (w <= 0) {
			*what = "write(pipe)";
			return w < 0 ? errno : EIO;
		}
		if (read(fds[0], sink, (size_t)w) != w) {
			*what = "read(pipe)";
			return errno ? errno : EIO;
		}
		left -= (size_t)w;
	}
	return 0;
}

int zc_splice_drain(int pipe_rd, int dst, size_t n, const struct zc_copy_params *p, uint64_t *moved)
{
	/* A pipe sink has no send deadline: ask it not to block, and wait in
	 * poll instead, so the loop regains control at every checkpoint. */
	unsigned flags = SPLICE_F_MOVE | (p->dst_kind == ZC_EP_PIPE ? SPLICE_F_NONBLOCK : 0);
	while (n > 0) {
		if (zc_stop_requested(p)) {
			int err = zc_wait_ready(dst, POLLOUT, p);
			if (err)
				return err;
		}
		ssize_t m = splice(pipe_rd, NULL, dst, NULL, n, flags);
		if (m > 0) {
			n -= (size_t)m;
			*moved += (uint64_t)m;
			continue;
		}
		if (m == 0)
			return EIO; /* the pipe cannot be empty while it holds our bytes */
		if (errno != EINTR && errno != EAGAIN)
			return errno;
		/* Bytes in the pipe are drained even after a stop request: they
		 * already left the source. Only a sink that takes nothing for a
		 * whole checkpoint after the request ends the drain. */
		int err = zc_wait_ready(dst, POLLOUT, p);
		if (err)
			return err; /* ECANCELED: stopped on a stalled sink, n bytes stranded */
	}
	return 0;
}

static uint64_t victim_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t); /* vDSO: no syscall */
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static unsigned victim_pass(const struct zc_victim *v)
{
	unsigned sum = 0;
	for (size_t i = 0; i < v->size; i += 64)
		sum += v->buf[i];
	return sum;
}

void zc_victim_walk(struct zc_victim *v)
{
	uint64_t moved = *v->moved;
	if (moved < v->next_at)
		return;
	/* One walk per checkpoint however many multiples of `every` the last
	 * call crossed; the extra ones are counted, not walked (a second walk
	 * would find the cache it just warmed). */
	uint64_t crossed = (moved - v->next_at) / v->every + 1;
	v->merged += crossed - 1;
	v->next_at += crossed * v->every;
	uint64_t sw0 = v->switches ? *v->switches : 0;
	uint64_t a = victim_now();
	v->sink += victim_pass(v);
	uint64_t b = victim_now();
	v->sink += victim_pass(v);
	uint64_t c = victim_now();
	v->walks++;
	bool interrupted = v->switches ? *v->switches != sw0 : (b - a > v->threshold_ns || c - b > v->threshold_ns);
	if (interrupted) {
		v->excluded++;
		return;
	}
	if (v->kept < v->cap) {
		v->walk_ns[v->kept] = (uint32_t)((b - a) > UINT32_MAX ? UINT32_MAX : b - a);
		v->base_ns[v->kept] = (uint32_t)((c - b) > UINT32_MAX ? UINT32_MAX : c - b);
		v->kept++;
	}
}
