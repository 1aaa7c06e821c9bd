#include "peer.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../strategies/strategy.h"
#include "pattern.h"
#include "peer_send.h"
#include "tls_record.h"
#include "udp_recv.h"

#define TRUNC_ASK (1u << 20)
/* read() and verification use a buffer that stays in L2, as iperf3's
 * 128 KiB blocks do; a 1 MiB copy target measured slower. */
#define COPY_BUF      (128u << 10)
#define PRODUCE_CHUNK (1u << 20)
/* UDP: once the subject is done, datagrams still queued or on their way
 * are taken until the sockets were silent this long. */
#define UDP_QUIET_MS 200
/* How long the parent waits for the report once the subject is done. */
#define REPORT_TIMEOUT_MS 60000
/* How long a MSG_ZEROCOPY sender waits, after its streams ended, for the
 * completions still owed (on loopback they come within microseconds). */
#define ZC_COMPLETION_WAIT_MS 2000

struct drain {
	int fd, stream, sink;
	uint64_t got;		 /* bytes read (on a TLS stream: wire bytes) */
	struct zc_tls_open *tls; /* a TLS stream's decoder, or NULL */
};

struct produce {
	int fd, stream;
	uint64_t sent, total;
	loff_t file_off; /* position in the pattern file */
};

/* Set when the parent tells a stalled peer to resume (SIGUSR1). The peer is
 * one process with one loop, so one flag. */
static volatile sig_atomic_t resumed;

static void on_resume(int sig)
{
	(void)sig;
	resumed = 1;
}

struct peer {
	const struct zc_wl_params *p;
	bool stopped_once; /* the peer-stop test hook fired */
	uint64_t produced; /* bytes sent over all producing streams */
	struct zc_sink_report rep;
	char *buf;
	int null_fd, pipe_r, pipe_w; /* splice drain: socket -> pipe -> /dev/null */
	int src_fd;		     /* the pattern file producers send from */
	struct zc_send_buf sb;	     /* TCP sources sent with send() or MSG_ZEROCOPY */
};

static void fail(struct peer *pe, const char *what, int err)
{
	if (pe->rep.err)
		return;
	pe->rep.err = err ? err : EIO;
	snprintf(pe->rep.what, sizeof pe->rep.what, "%s", what);
}

/* The peer-reset test hook: drop the stream with an RST (SO_LINGER 0; on a
 * unix socket or a pipe the close alone, with data unread). The caller
 * closes fd. */
static void reset_stream(int fd, const char *what, int stream, uint64_t at)
{
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) != 0 && errno != ENOTSOCK)
		zc_fault_note("peer-reset: setsockopt(SO_LINGER): %s", strerror(errno));
	zc_fault_note("peer-reset: %s stream %d reset after %" PRIu64 " bytes", what, stream, at);
}

/* How much a drain may take now: all it asks, up to a test hook's limit. */
static size_t drain_ask(const struct zc_wl_params *p, const struct drain *d, size_t ask)
{
	uint64_t limit = p->faults.peer_reset;
	if (limit && limit - d->got < ask)
		ask = (size_t)(limit - d->got);
	return ask;
}

/* The peer-stop test hook: stop once, after `bytes` over all streams. */
static void maybe_stop(struct peer *pe, uint64_t bytes)
{
	if (!pe->p->faults.peer_stop || pe->stopped_once || bytes < pe->p->faults.peer_stop)
		return;
	pe->stopped_once = true;
	zc_fault_note("peer-stop: stopping after %" PRIu64 " bytes", bytes);
	raise(SIGSTOP);
}

struct tls_check {
	struct peer *pe;
	const struct drain *d;
};

/* A decrypted record's payload: checked against the pattern. */
static void tls_check_plain(void *arg, const unsigned char *plain, size_t len, uint64_t off)
{
	struct tls_check *c = arg;
	struct zc_sink_report *rep = &c->pe->rep;
	if (rep->mismatch_at >= 0)
		return;
	int64_t bad = zc_pattern_check_periodic((const char *)plain, off, len, c->pe->p->segment, false);
	if (bad >= 0) {
		rep->mismatch_at = (int64_t)off + bad;
		rep->mismatch_stream = c->d->stream;
		rep->mismatch_sink = c->d->sink;
	}
}

/* n wire bytes of a TLS stream arrived in pe->buf: decode them (verifying:
 * decrypt and check every record), count payload as received. Returns 0. */
static int tls_drained(struct peer *pe, struct drain *d, size_t n)
{
	struct zc_tls_open *o = d->tls;
	uint64_t before = o->payload;
	bool failed = o->failed;
	struct tls_check c = {.pe = pe, .d = d};
	zc_tls_open_feed(o, pe->buf, n, pe->p->verify ? tls_check_plain : NULL, &c);
	if (o->failed && !failed && pe->rep.mismatch_at < 0) {
		/* A record that does not authenticate: none of its bytes can be
		 * trusted, so the first wrong byte is where its payload starts. */
		pe->rep.mismatch_at = (int64_t)o->failed_at;
		pe->rep.mismatch_stream = d->stream;
		pe->rep.mismatch_sink = d->sink;
		snprintf(pe->rep.tls_error, sizeof pe->rep.tls_error, "%s", o->why);
	}
	d->got += n;
	pe->rep.wire += n;
	pe->rep.received += o->payload - before;
	maybe_stop(pe, pe->rep.received);
	return 0;
}

/* Consume what is readable on d. Returns 1 at end of stream, 0 to go on,
 * -1 on error. */
static int drain_some(struct peer *pe, struct drain *d)
{
	const struct zc_wl_params *p = pe->p;
	ssize_t n;
	if (p->faults.peer_reset && d->got >= p->faults.peer_reset) {
		reset_stream(d->fd, "sink", d->stream, d->got);
		return 1;
	}
	if (d->got >= p->stall_after && !resumed) {
		/* A stalled peer: it stops reading but keeps the stream open, so
		 * the subject's sends back up until it gives up or is killed. Once
		 * the subject is gone the parent resumes it to count the rest. */
		sigset_t none;
		sigemptyset(&none);
		while (!resumed)
			sigsuspend(&none); /* SIGUSR1 is blocked elsewhere: no lost wake-up */
		return 0;
	}
	if (d->tls) {
		n = read(d->fd, pe->buf, drain_ask(p, d, COPY_BUF));
		if (n > 0)
			return tls_drained(pe, d, (size_t)n);
	} else if (p->verify || p->drain == ZC_DRAIN_READ) {
		n = read(d->fd, pe->buf, drain_ask(p, d, COPY_BUF));
		if (n > 0 && p->verify && pe->rep.mismatch_at < 0) {
			int64_t bad = zc_pattern_check_periodic(pe->buf, d->got, (size_t)n, p->segment, p->redact);
			if (bad >= 0) {
				pe->rep.mismatch_at = (int64_t)d->got + bad;
				pe->rep.mismatch_stream = d->stream;
				pe->rep.mismatch_sink = d->sink;
			}
		}
	} else if (p->drain == ZC_DRAIN_TRUNC) {
		n = recv(d->fd, pe->buf, drain_ask(p, d, TRUNC_ASK), MSG_TRUNC);
	} else {
		n = splice(d->fd, NULL, pe->pipe_w, NULL, drain_ask(p, d, TRUNC_ASK), SPLICE_F_MOVE);
		for (ssize_t left = n; left > 0;) {
			ssize_t m = splice(pe->pipe_r, NULL, pe->null_fd, NULL, (size_t)left, SPLICE_F_MOVE);
			if (m < 0 && errno == EINTR)
				continue;
			if (m <= 0) {
				fail(pe, "splice(pipe->/dev/null)", errno);
				return -1;
			}
			left -= m;
		}
	}
	if (n > 0) {
		d->got += (uint64_t)n;
		pe->rep.received += (uint64_t)n;
		maybe_stop(pe, pe->rep.received);
		return 0;
	}
	if (n == 0)
		return 1;
	if (errno == EINTR || errno == EAGAIN)
		return 0;
	fail(pe, "read", errno);
	return -1;
}

/* Send more of the pattern on pr without copying it (sendfile to sockets,
 * splice to pipes). Returns 1 when the stream is complete, 0 to go on, -1 on
 * error. */
static int produce_some(struct peer *pe, struct produce *pr)
{
	const struct zc_wl_params *p = pe->p;
	uint64_t left = pr->total - pr->sent;
	if (left == 0)
		return 1;
	if (p->faults.peer_reset) {
		if (pr->sent >= p->faults.peer_reset) {
			reset_stream(pr->fd, "source", pr->stream, pr->sent);
			return 1;
		}
		if (p->faults.peer_reset - pr->sent < left)
			left = p->faults.peer_reset - pr->sent;
	}
	uint64_t in_seg = p->segment - (uint64_t)pr->file_off;
	size_t n = (size_t)(left < in_seg ? left : in_seg);
	if (n > PRODUCE_CHUNK)
		n = PRODUCE_CHUNK;
	bool from_buf = pe->sb.buf != NULL;
	ssize_t w;
	if (p->w->source == ZC_EP_PIPE)
		w = splice(pe->src_fd, &pr->file_off, pr->fd, NULL, n, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
	else if (from_buf)
		w = zc_send_some(&pe->sb, pr->fd, (uint64_t)pr->file_off, n);
	else
		w = sendfile(pr->fd, pe->src_fd, &pr->file_off, n);
	if (w > 0 && from_buf)
		pr->file_off += w;
	if (w > 0) {
		pr->sent += (uint64_t)w;
		pe->produced += (uint64_t)w;
		maybe_stop(pe, pe->produced);
		if ((uint64_t)pr->file_off == p->segment)
			pr->file_off = 0; /* the next transfer's copy of the file */
		return pr->sent == pr->total;
	}
	if (w < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	/* The subject stopped reading and closed (a shutdown run): the stream
	 * ends here; what it delivered is checked at the sink. */
	if (w < 0 && (errno == EPIPE || errno == ECONNRESET))
		return 1;
	fail(pe,
	     p->w->source == ZC_EP_PIPE	       ? "splice(file->pipe)"
	     : !from_buf		       ? "sendfile"
	     : pe->sb.mode == ZC_SEND_ZEROCOPY ? "send(MSG_ZEROCOPY)"
					       : "send",
	     w < 0 ? errno : EIO);
	return -1;
}

/* UDP sinks: take datagrams on every stream until each got all its bytes,
 * or, once the parent closed done (the subject finished), until the sockets
 * were silent for UDP_QUIET_MS. What never came is the parent's to count. */
static void udp_drain(struct peer *pe, struct drain *d, unsigned nd, int done)
{
	const struct zc_wl_params *p = pe->p;
	uint64_t want = p->segment * p->transfers;
	struct zc_udp_rx rx[ZC_MAX_STREAMS];
	for (unsigned i = 0; i < nd; i++)
		rx[i] = (struct zc_udp_rx){.mismatch_at = -1};
	bool subject_done = false;
	struct pollfd pfd[ZC_MAX_STREAMS + 1];
	if (p->faults.peer_delay_ns) {
		zc_fault_note("peer-delay: the UDP peer waits %" PRIu64 " ns before its first receive",
			      p->faults.peer_delay_ns);
		struct timespec ts = {(time_t)(p->faults.peer_delay_ns / 1000000000ull),
				      (long)(p->faults.peer_delay_ns % 1000000000ull)};
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
	}
	for (;;) {
		unsigned n = 0, full = 0;
		for (unsigned i = 0; i < nd; i++) {
			full += d[i].got >= want;
			pfd[n++] = (struct pollfd){.fd = d[i].fd, .events = POLLIN};
		}
		if (full == nd)
			break;
		if (!subject_done)
			pfd[n++] = (struct pollfd){.fd = done, .events = POLLIN};
		int rc = poll(pfd, n, subject_done ? UDP_QUIET_MS : -1);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0) {
			fail(pe, "poll", errno);
			break;
		}
		if (rc == 0)
			break; /* silent since the subject finished */
		if (!subject_done && pfd[nd].revents)
			subject_done = true;
		for (unsigned i = 0; i < nd; i++) {
			if (!pfd[i].revents)
				continue;
			ssize_t got = zc_udp_receive(d[i].fd, pe->buf, TRUNC_ASK, p->verify, p->segment, &rx[i]);
			if (got < 0) {
				fail(pe, "recvmmsg", (int)-got);
				break;
			}
			d[i].got = rx[i].bytes;
			if (rx[i].mismatch_at >= 0 && pe->rep.mismatch_at < 0) {
				pe->rep.mismatch_at = rx[i].mismatch_at;
				pe->rep.mismatch_stream = d[i].stream;
				pe->rep.mismatch_sink = 0;
			}
		}
		if (pe->rep.err)
			break;
	}
	pe->rep.have_udp_drops = true;
	for (unsigned i = 0; i < nd; i++) {
		pe->rep.received += rx[i].bytes;
		pe->rep.udp_datagrams += rx[i].datagrams;
		uint64_t drops;
		if (zc_udp_socket_drops(d[i].fd, &drops) != 0)
			pe->rep.have_udp_drops = false;
		else
			pe->rep.udp_socket_drops += drops;
	}
}

static void wait_go(int go)
{
	char c;
	ssize_t r;
	do
		r = read(go, &c, 1);
	while (r < 0 && errno == EINTR);
	if (r != 1)
		_exit(0); /* the parent gave up on this run */
}

static _Noreturn void peer_main(const struct zc_wl_params *p, struct zc_wl_run *r, int report, int go, int done)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* no peer outlives the harness */
	struct sigaction sa = {.sa_handler = on_resume};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	/* Interruptions are the parent's to handle: it stops the subject, and
	 * the peer sees its streams end. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	zc_pin_cpu(p->peer_cpu);
	struct peer pe = {.p = p, .rep = {.mismatch_at = -1}, .null_fd = -1, .pipe_r = -1, .pipe_w = -1, .src_fd = -1};
	struct drain d[ZC_MAX_STREAMS * 2];
	struct produce pr[ZC_MAX_STREAMS];
	struct pollfd pfd[ZC_MAX_STREAMS * 3];
	unsigned nd = 0, np = 0;
	pe.buf = malloc(TRUNC_ASK);
	if (!pe.buf)
		fail(&pe, "malloc", ENOMEM);
	else
		memset(pe.buf, 0, TRUNC_ASK); /* fault it in now, not while draining */
	if (!p->verify && p->drain == ZC_DRAIN_SPLICE) {
		int fds[2];
		pe.null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (pe.null_fd < 0 || pipe2(fds, O_CLOEXEC) != 0)
			fail(&pe, "open(/dev/null) or pipe2", errno);
		else {
			pe.pipe_r = fds[0];
			pe.pipe_w = fds[1];
			fcntl(pe.pipe_w, F_SETPIPE_SZ, TRUNC_ASK); /* best effort: fewer calls */
		}
	}
	for (unsigned k = 0; k < p->streams; k++) {
		for (unsigned j = 0; j < 2; j++)
			if (r->peer_dst[k][j] >= 0)
				d[nd++] = (struct drain){.fd = r->peer_dst[k][j], .stream = (int)k, .sink = (int)j};
		if (r->peer_src[k] >= 0) {
			pr[np++] = (struct produce){
				.fd = r->peer_src[k], .stream = (int)k, .total = p->segment * p->transfers};
			if (fcntl(r->peer_src[k], F_SETFL, O_NONBLOCK) != 0)
				fail(&pe, "fcntl(O_NONBLOCK)", errno);
		}
	}
	struct zc_tls_open *tls = NULL;
	if (p->tls && nd > 0) {
		/* The fault hook: a key one bit off, as a peer that negotiated
		 * something else would hold. */
		unsigned char key[16];
		memcpy(key, zc_tls_test_key, sizeof key);
		if (p->faults.tls_wrong_key) {
			key[0] ^= 1;
			zc_fault_note("tls-wrong-key: the peer decrypts with another key");
		}
		tls = calloc(nd, sizeof *tls);
		if (!tls)
			fail(&pe, "calloc", ENOMEM);
		for (unsigned i = 0; tls && i < nd; i++) {
			if (zc_tls_open_init(&tls[i], key, zc_tls_test_iv, p->verify) != 0)
				fail(&pe, "AES-128-GCM set-up (libcrypto)", ENOMEM);
			d[i].tls = &tls[i];
		}
	}
	if (np > 0) {
		pe.src_fd = open(p->source_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (pe.src_fd < 0)
			fail(&pe, "open(source)", errno);
		int e = zc_send_buf_init(&pe.sb, p);
		if (e)
			fail(&pe, "read(send buffer)", e);
		for (unsigned i = 0; i < np && !e; i++)
			if ((e = zc_send_socket_setup(&pe.sb, pr[i].fd)) != 0)
				fail(&pe, "setsockopt(SO_ZEROCOPY)", e);
		/* Set up: the parent may now start the subject, whose window
		 * must not include this peer's preparation. */
		ssize_t rw;
		do
			rw = write(report, "r", 1);
		while (rw < 0 && errno == EINTR);
		wait_go(go);
	}
	/* go stays open: the parent's go byte must not meet a closed pipe. */

	if (p->w->sink == ZC_EP_UDP) {
		udp_drain(&pe, d, nd, done);
		nd = 0; /* taken: the loop below has nothing to do */
	}
	unsigned live_d = nd, live_p = np;
	bool d_done[ZC_MAX_STREAMS * 2] = {0}, p_done[ZC_MAX_STREAMS] = {0};
	while (!pe.rep.err && (live_d > 0 || live_p > 0)) {
		unsigned n = 0;
		int map[ZC_MAX_STREAMS * 3]; /* pfd index -> +d index+1 or -(p index+1) */
		for (unsigned i = 0; i < nd; i++)
			if (!d_done[i]) {
				pfd[n] = (struct pollfd){.fd = d[i].fd, .events = POLLIN};
				map[n++] = (int)i + 1;
			}
		for (unsigned i = 0; i < np; i++)
			if (!p_done[i]) {
				pfd[n] = (struct pollfd){.fd = pr[i].fd, .events = POLLOUT};
				map[n++] = -(int)i - 1;
			}
		if (poll(pfd, n, -1) < 0) {
			if (errno != EINTR)
				fail(&pe, "poll", errno);
			continue;
		}
		for (unsigned i = 0; i < n && !pe.rep.err; i++) {
			if (!pfd[i].revents)
				continue;
			if (map[i] > 0) {
				unsigned k = (unsigned)map[i] - 1;
				/* A lone stream needs no poll between reads: it blocks in
				 * the read itself, one syscall per chunk. */
				int rc;
				do
					rc = drain_some(&pe, &d[k]);
				while (rc == 0 && nd == 1 && np == 0);
				if (rc != 0) {
					d_done[k] = true;
					live_d--;
					close(d[k].fd);
				}
			} else {
				unsigned k = (unsigned)(-map[i]) - 1;
				int rc = produce_some(&pe, &pr[k]);
				if (rc != 0) {
					p_done[k] = true;
					live_p--;
					/* End of stream for the subject. MSG_ZEROCOPY sends
					 * still owe completions: the FIN goes now, the
					 * socket stays open to count them. */
					if (pe.sb.mode == ZC_SEND_ZEROCOPY)
						shutdown(pr[k].fd, SHUT_WR);
					else
						close(pr[k].fd);
				}
			}
		}
	}
	if (pe.sb.mode == ZC_SEND_ZEROCOPY) {
		int fds[ZC_MAX_STREAMS];
		for (unsigned i = 0; i < np; i++)
			fds[i] = pr[i].fd;
		zc_send_await_completions(&pe.sb, fds, np, ZC_COMPLETION_WAIT_MS);
		for (unsigned i = 0; i < np; i++)
			close(pr[i].fd);
		pe.rep.have_peer_zc = true;
		pe.rep.peer_zc_sends = pe.sb.zc_sends;
		pe.rep.peer_zc_completions = pe.sb.zc_completions;
		pe.rep.peer_zc_copied = pe.sb.zc_copied;
	}
	zc_send_buf_free(&pe.sb);
	for (unsigned i = 0; tls && i < nd; i++)
		zc_tls_open_free(&tls[i]);
	free(tls);
	ssize_t w = write(report, &pe.rep, sizeof pe.rep);
	_exit(w == (ssize_t)sizeof pe.rep ? 0 : 1);
}

int zc_peer_start(const struct zc_wl_params *p, struct zc_wl_run *r)
{
	int rp[2], gp[2] = {-1, -1}, dp[2] = {-1, -1};
	if (pipe2(rp, O_CLOEXEC) != 0)
		return errno;
	if (pipe2(gp, O_CLOEXEC) != 0 || (p->w->sink == ZC_EP_UDP && pipe2(dp, O_CLOEXEC) != 0)) {
		int e = errno;
		int *fds[] = {rp, gp, dp};
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 2; j++)
				if (fds[i][j] >= 0)
					close(fds[i][j]);
		return e;
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(rp[0]);
		close(rp[1]);
		close(gp[0]);
		close(gp[1]);
		if (dp[0] >= 0) {
			close(dp[0]);
			close(dp[1]);
		}
		return e;
	}
	if (pid == 0) {
		close(rp[0]);
		close(gp[1]);
		for (unsigned i = 0; i < 2; i++)
			if (r->peer_close[i] >= 0)
				close(r->peer_close[i]);
		if (dp[1] >= 0)
			close(dp[1]);
		/* The subject's ends stay with the subject: holding one here would
		 * hide the end of a stream from this loop. */
		for (unsigned k = 0; k < ZC_MAX_STREAMS; k++) {
			if (r->subj_src[k] >= 0)
				close(r->subj_src[k]);
			for (unsigned j = 0; j < 2; j++)
				if (r->subj_dst[k][j] >= 0)
					close(r->subj_dst[k][j]);
		}
		peer_main(p, r, rp[1], gp[0], dp[0]);
	}
	close(rp[1]);
	close(gp[0]);
	if (dp[0] >= 0)
		close(dp[0]);
	r->peer_done = dp[1];
	r->peer = pid;
	r->peer_report = rp[0];
	/* Only a producing peer waits for go; a draining one may already have
	 * seen its streams end and exited by the time go would be sent. */
	bool produces = false;
	for (unsigned k = 0; k < ZC_MAX_STREAMS; k++)
		produces |= r->peer_src[k] >= 0;
	if (produces) {
		r->peer_go = gp[1];
		/* Wait for the peer to be set up (its send buffer filled). */
		char c;
		ssize_t n;
		do
			n = read(rp[0], &c, 1);
		while (n < 0 && errno == EINTR);
		if (n != 1)
			return n < 0 ? errno : EIO; /* the caller's abort reaps it */
	} else {
		close(gp[1]);
		r->peer_go = -1;
	}
	return 0;
}

int zc_peer_collect(struct zc_wl_run *r, struct zc_sink_report *rep, char *err, size_t err_len)
{
	/* UDP: the subject is done; the peer takes what is still coming. */
	if (r->peer_done >= 0)
		close(r->peer_done);
	r->peer_done = -1;
	struct pollfd pfd = {.fd = r->peer_report, .events = POLLIN};
	int rc;
	do
		rc = poll(&pfd, 1, REPORT_TIMEOUT_MS);
	while (rc < 0 && errno == EINTR);
	if (rc <= 0) {
		snprintf(err, err_len, "peer gave no report within %d ms", REPORT_TIMEOUT_MS);
		kill(r->peer, SIGKILL);
	} else {
		ssize_t n = read(r->peer_report, rep, sizeof *rep);
		if (n != (ssize_t)sizeof *rep) {
			snprintf(err, err_len, "peer report truncated (%zd bytes)", n);
			rc = 0;
		}
	}
	close(r->peer_report);
	r->peer_report = -1;
	if (r->peer_go >= 0)
		close(r->peer_go);
	r->peer_go = -1;
	struct rusage ru;
	int status;
	while (wait4(r->peer, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			snprintf(err, err_len, "wait4(peer): %s", strerror(errno));
			return -1;
		}
	}
	r->peer = -1;
	if (rc <= 0)
		return -1;
	rep->have_peer_usage = true;
	rep->peer_user_ns = (uint64_t)ru.ru_utime.tv_sec * 1000000000ull + (uint64_t)ru.ru_utime.tv_usec * 1000ull;
	rep->peer_sys_ns = (uint64_t)ru.ru_stime.tv_sec * 1000000000ull + (uint64_t)ru.ru_stime.tv_usec * 1000ull;
	return 0;
}
