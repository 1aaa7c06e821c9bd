/* udp_zerocopy: UDP_SEGMENT sends with MSG_ZEROCOPY. The kernel pins the
 * pages instead of copying them and says on the socket's error queue when
 * it let go of each send, and whether it copied after all
 * (SO_EE_CODE_ZEROCOPY_COPIED: on loopback and veth, where the receiver
 * gets the data, every time; into a device that drops it, such as
 * --sink blackhole, never). Memory sources are sent from where they are and
 * a file from a read-only mapping of it: neither is written while the
 * kernel holds it, so no buffer ever waits for its completion; the counts
 * are awaited at the end of each transfer. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "io_util.h"
#include "udp_util.h"
#include "zerocopy_ids.h"

static const char *const uzc_stats[] = {"datagrams", "sends", "completions", "zc_copied", NULL};
enum { ST_SENDS = 1, ST_COMPLETIONS, ST_COPIED };

/* Checkpoints without a completion after which the end of a transfer stops
 * waiting for what is still owed (an error then). */
#define UZC_QUIET_CHECKPOINTS 10

struct uzc_state {
	size_t span;
	struct zc_ids ids; /* the sends in flight */
	char path[96];
};

/* Wait a checkpoint for completions to make room (the window full, or
 * optmem). Returns 0 to send again, ECANCELED on a stop, or an errno with
 * r->what set. */
static int make_room(struct uzc_state *s, int fd, const struct zc_copy_params *p, struct zc_transfer_result *r)
{
	int e = zc_ids_wait(&s->ids, fd, zc_checkpoint_ms(p), r);
	if (e && e != ETIME) {
		r->what = "MSG_ZEROCOPY completions";
		return e;
	}
	return zc_stop_requested(p) ? ECANCELED : 0;
}

static int uzc_send(void *state, int fd, const char *buf, size_t n, const struct zc_copy_params *p,
		    struct zc_transfer_result *r)
{
	struct uzc_state *s = state;
	for (;;) {
		ssize_t w = -1;
		int err = 0;
		if (zc_ids_outstanding(&s->ids) < ZC_IDS_WINDOW) {
			w = send(fd, buf, n, MSG_ZEROCOPY | MSG_NOSIGNAL);
			if (w >= 0)
				break;
			err = errno;
		}
		/* The window full, or over the socket's optmem limit (ENOBUFS):
		 * completions free both. */
		if (w < 0 && (err == 0 || (err == ENOBUFS && zc_ids_outstanding(&s->ids) > 0))) {
			int e = make_room(s, fd, p, r);
			if (e)
				return e;
			continue;
		}
		if (!zc_udp_retry(err, fd, p, r, "send(MSG_ZEROCOPY, UDP_SEGMENT)"))
			return r->stopped ? ECANCELED : r->err;
	}
	zc_ids_sent(&s->ids, n);
	r->moved += n;
	r->stats[ZC_UDP_ST_DATAGRAMS] += zc_udp_datagrams(n);
	r->stats[ST_SENDS]++;
	return 0;
}

static int uzc_prepare(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what)
{
	struct uzc_state *s = state;
	s->ids.st_completions = ST_COMPLETIONS;
	s->ids.st_copied = ST_COPIED;
	int one = 1;
	char *unused;
	int e = zc_udp_prepare(p, &(struct zc_io){.src = -1}, 0, &unused, what);
	if (e)
		return e;
	if (setsockopt(io->dst[0], SOL_SOCKET, SO_ZEROCOPY, &one, sizeof one) != 0) {
		*what = "setsockopt(SO_ZEROCOPY)";
		return errno;
	}
	s->span = zc_udp_span(p, ZC_UDP_GSO_MAX);
	return zc_udp_gso_enable(io->dst[0], what);
}

/* Every send of the transfer completed, or a reason. */
static void await_all(struct uzc_state *s, int fd, const struct zc_copy_params *p, struct zc_transfer_result *r)
{
	unsigned quiet = 0;
	while (zc_ids_outstanding(&s->ids) > 0) {
		int e = zc_ids_wait(&s->ids, fd, zc_checkpoint_ms(p), r);
		if (e == 0) {
			quiet = 0;
			continue;
		}
		if (e == ETIME && ++quiet < (zc_stop_requested(p) ? 1u : UZC_QUIET_CHECKPOINTS))
			continue;
		if (!r->err) {
			r->err = e == ETIME ? ETIMEDOUT : e;
			r->what = "MSG_ZEROCOPY completions";
		}
		return;
	}
}

static void uzc_transfer(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			 struct zc_transfer_result *r)
{
	struct uzc_state *s = state;
	int fd = io->dst[0];
	if (io->src < 0) {
		r->path = "send(MSG_ZEROCOPY, UDP_SEGMENT), from memory";
		zc_udp_transfer(s, uzc_send, NULL, s->span, p, io, r);
		await_all(s, fd, p, r);
		return;
	}
	/* A file: sent from a read-only mapping of its pages in the cache. */
	r->path = "send(MSG_ZEROCOPY, UDP_SEGMENT), from an mmap of the file";
	struct stat st;
	if (fstat(io->src, &st) != 0) {
		r->err = errno;
		r->what = "fstat(source)";
		return;
	}
	if (st.st_size == 0)
		return;
	void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, io->src, 0);
	if (map == MAP_FAILED) {
		r->err = errno;
		r->what = "mmap(source)";
		return;
	}
	struct zc_io mio = {.src = -1, .src_mem = map, .src_len = (uint64_t)st.st_size, .dst = {fd, -1}, .ndst = 1};
	zc_udp_transfer(s, uzc_send, NULL, s->span, p, &mio, r);
	await_all(s, fd, p, r);
	munmap(map, (size_t)st.st_size); /* the kernel keeps its own references to pages still pinned */
}

/* What the completions said, for the path (at most 63 characters). */
static void uzc_after_window(void *state, const struct zc_io *io, struct zc_transfer_result *r)
{
	(void)io;
	struct uzc_state *s = state;
	uint64_t n = r->stats[ST_COMPLETIONS], copied = r->stats[ST_COPIED];
	if (n == 0)
		return;
	if (copied == n)
		snprintf(s->path, sizeof s->path, "UDP MSG_ZEROCOPY: all %" PRIu64 " sends copied", n);
	else if (copied == 0)
		snprintf(s->path, sizeof s->path, "UDP MSG_ZEROCOPY: zero-copy (0 of %" PRIu64 " copied)", n);
	else
		snprintf(s->path, sizeof s->path, "UDP MSG_ZEROCOPY: %" PRIu64 " of %" PRIu64 " sends copied", copied,
			 n);
	r->path = s->path;
}

const struct zc_strategy zc_strategy_udp_zerocopy = {
	.name = "udp_zerocopy",
	.description = "UDP: UDP_SEGMENT sends with MSG_ZEROCOPY, completions counted (copied or not)",
	.sources = ZC_EP_FILE | ZC_EP_MEM,
	.sinks = ZC_EP_UDP,
	.max_sinks = 1,
	.sees_data = true,
	.default_chunk = ZC_UDP_GSO_MAX * ZC_UDP_DATAGRAM,
	.state_size = sizeof(struct uzc_state),
	.stat_names = uzc_stats,
	.prepare = uzc_prepare,
	.transfer = uzc_transfer,
	.after_window = uzc_after_window,
};
