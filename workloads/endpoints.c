/* The endpoints of one run. The parent makes every descriptor pair before it
 * forks (a TCP connection through a loopback listener, a unix socketpair, a
 * pipe), so the subject and the peer each inherit only their own ends and set-up
 * never lands in a measured window. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../strategies/io_util.h"
#include "../strategies/strategy.h"
#include "peer.h"
#include "remote.h"
#include "sink_file.h"
#include "udp_recv.h"
#include "workload.h"

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void zc_wl_run_init(struct zc_wl_run *r)
{
	for (unsigned k = 0; k < ZC_MAX_STREAMS; k++) {
		r->subj_src[k] = r->peer_src[k] = -1;
		for (unsigned j = 0; j < 2; j++)
			r->subj_dst[k][j] = r->peer_dst[k][j] = -1;
	}
	r->peer = -1;
	r->peer_report = r->peer_go = r->peer_done = -1;
	r->udp_rcvbuf = 0;
	r->remote = NULL;
	r->peer_close[0] = r->peer_close[1] = -1;
}

/* The sockbuf test hook: SO_SNDBUF and SO_RCVBUF of `bytes` on fd. */
static int set_sockbuf(int fd, uint64_t bytes, char *err, size_t err_len)
{
	int v = (int)bytes;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof v) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof v) != 0) {
		snprintf(err, err_len, "setsockopt(SO_SNDBUF/SO_RCVBUF): %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* A connected pair of kind `kind`: data written to *wr arrives at *rd.
 * sockbuf (the test hook, 0: off) sizes both ends' socket buffers; a TCP
 * listener was given it already, so accepted ends inherit it. A TCP
 * connection is made in namespace conn_ns (-1: the harness's own) to the
 * listener, which is in the accepting side's. */
static int make_pair(unsigned kind, int listener, int conn_ns, uint64_t sockbuf, int *wr, int *rd, char *err,
		     size_t err_len)
{
	if (kind == ZC_EP_PIPE) {
		int fds[2];
		if (pipe2(fds, O_CLOEXEC) != 0) {
			snprintf(err, err_len, "pipe2: %s", strerror(errno));
			return -1;
		}
		*rd = fds[0];
		*wr = fds[1];
		return 0;
	}
	if (kind == ZC_EP_UNIX) {
		int fds[2];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
			snprintf(err, err_len, "socketpair: %s", strerror(errno));
			return -1;
		}
		*wr = fds[0];
		*rd = fds[1];
		if (sockbuf &&
		    (set_sockbuf(fds[0], sockbuf, err, err_len) || set_sockbuf(fds[1], sockbuf, err, err_len))) {
			close(fds[0]);
			close(fds[1]);
			return -1;
		}
		return 0;
	}
	struct sockaddr_in a;
	socklen_t alen = sizeof a;
	if (getsockname(listener, (struct sockaddr *)&a, &alen) != 0) {
		snprintf(err, err_len, "getsockname: %s", strerror(errno));
		return -1;
	}
	int c = zc_netns_socket(conn_ns, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c >= 0 && sockbuf && set_sockbuf(c, sockbuf, err, err_len) != 0) {
		close(c);
		return -1;
	}
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof a) != 0) {
		char ip[INET_ADDRSTRLEN] = "?";
		inet_ntop(AF_INET, &a.sin_addr, ip, sizeof ip);
		snprintf(err, err_len, "connect to %s:%u: %s", ip, ntohs(a.sin_port), strerror(errno));
		if (c >= 0)
			close(c);
		return -1;
	}
	int s = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
	if (s < 0) {
		snprintf(err, err_len, "accept: %s", strerror(errno));
		close(c);
		return -1;
	}
	*wr = c;
	*rd = s;
	return 0;
}

/* Socket deadlines on the subject's ends: a blocked call returns EAGAIN at
 * each checkpoint, so a loop sees a stop request even when its peer stalls. */
static int set_deadlines(const struct zc_wl_params *p, int fd, unsigned kind, char *err, size_t err_len)
{
	unsigned checkpoint_ms = p->checkpoint_ms ? p->checkpoint_ms : ZC_CHECKPOINT_MS;
	if (!p->deadlines || (kind != ZC_EP_TCP && kind != ZC_EP_UNIX && kind != ZC_EP_UDP))
		return 0;
	struct timeval tv = {.tv_sec = (time_t)(checkpoint_ms / 1000),
			     .tv_usec = (suseconds_t)(checkpoint_ms % 1000) * 1000};
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) {
		snprintf(err, err_len, "setsockopt(SO_SNDTIMEO/SO_RCVTIMEO): %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void dest_path(const struct zc_wl_params *p, unsigned k, unsigned j, char *buf, size_t len)
{
	snprintf(buf, len, "%s-%u-%u", p->dest_base, k, j);
}

/* A TCP listener on addr in namespace ns (-1: the harness's own). */
static int listen_on(int ns, const char *addr, uint64_t sockbuf, char *err, size_t err_len)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	inet_pton(AF_INET, addr, &a.sin_addr);
	int l = zc_netns_socket(ns, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) != 0 || listen(l, ZC_MAX_STREAMS * 3) != 0) {
		snprintf(err, err_len, "listen on %s: %s", addr, strerror(errno));
		if (l >= 0)
			close(l);
		return -1;
	}
	if (sockbuf && set_sockbuf(l, sockbuf, err, err_len) != 0) {
		close(l);
		return -1;
	}
	return l;
}

/* A UDP stream: the peer's socket bound in its namespace, the subject's
 * connected to it from its own (into the blackhole: to an address nobody
 * has, and no peer socket). */
static int make_udp_pair(const struct zc_wl_params *p, const struct zc_netns *net, struct zc_wl_run *r, unsigned k,
			 char *err, size_t err_len)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(9)}; /* discard */
	inet_pton(AF_INET, net->peer_addr, &a.sin_addr);
	if (net->path != ZC_NET_BLACKHOLE) {
		int s = zc_netns_socket(net->peer_ns, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		a.sin_port = 0;
		socklen_t alen = sizeof a;
		if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 ||
		    getsockname(s, (struct sockaddr *)&a, &alen) != 0) {
			snprintf(err, err_len, "UDP socket on %s: %s", net->peer_addr, strerror(errno));
			if (s >= 0)
				close(s);
			return -1;
		}
		r->peer_dst[k][0] = s;
		if (zc_udp_rx_setup(s, p->udp_rcvbuf, p->udp_gro, &r->udp_rcvbuf, err, err_len) != 0)
			return -1;
	}
	int c = zc_netns_socket(net->subj_ns, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof a) != 0) {
		snprintf(err, err_len, "UDP connect to %s:%u: %s", net->peer_addr, ntohs(a.sin_port), strerror(errno));
		if (c >= 0)
			close(c);
		return -1;
	}
	r->subj_dst[k][0] = c;
	return set_deadlines(p, c, ZC_EP_UDP, err, err_len);
}

int zc_wl_start(const struct zc_wl_params *p, struct zc_wl_run *r, char *err, size_t err_len)
{
	zc_wl_run_init(r);
	const struct zc_workload *w = p->w;
	static const struct zc_netns loopback = {.path = ZC_NET_LOOPBACK,
						 .subj_ns = -1,
						 .peer_ns = -1,
						 .subj_addr = "127.0.0.1",
						 .peer_addr = "127.0.0.1"};
	const struct zc_netns *net = p->net ? p->net : &loopback;
	/* Sink pairs: the subject connects, the peer accepts; source pairs the
	 * other way round. Over veth each listener is on its own side. */
	int to_peer = -1, to_subj = -1;
	if (net->path == ZC_NET_BLACKHOLE && w->sink != ZC_EP_UDP) {
		snprintf(err, err_len, "--sink blackhole takes UDP workloads only (a TCP stream needs its peer)");
		return -1;
	}
	if (p->remote) {
		/* The TCP ends go to the peer; only a file sink is made here. */
		if (zc_remote_start(p->remote, p, r, err, err_len) != 0)
			goto fail;
		for (unsigned k = 0; k < p->streams; k++) {
			if (r->subj_src[k] >= 0 && set_deadlines(p, r->subj_src[k], w->source, err, err_len) != 0)
				goto fail;
			for (unsigned j = 0; j < w->nsinks; j++) {
				if (r->subj_dst[k][j] >= 0 &&
				    set_deadlines(p, r->subj_dst[k][j], w->sink, err, err_len) != 0)
					goto fail;
				char path[4200];
				dest_path(p, k, j, path, sizeof path);
				if (w->sink == ZC_EP_FILE && zc_dest_prepare(path, p->segment * p->transfers, p->verify,
									     p->dest_fresh, err, err_len) != 0)
					goto fail;
			}
		}
		return 0;
	}
	if (w->sink == ZC_EP_TCP &&
	    (to_peer = listen_on(net->peer_ns, net->peer_addr, p->faults.sockbuf, err, err_len)) < 0)
		goto fail;
	if (w->source == ZC_EP_TCP &&
	    (to_subj = listen_on(net->subj_ns, net->subj_addr, p->faults.sockbuf, err, err_len)) < 0)
		goto fail;
	if (p->faults.sockbuf && (w->source | w->sink) & (ZC_EP_TCP | ZC_EP_UNIX))
		zc_fault_note("sockbuf: SO_SNDBUF and SO_RCVBUF of %" PRIu64 " bytes on every socket",
			      p->faults.sockbuf);
	for (unsigned k = 0; k < p->streams; k++) {
		if (w->source & (ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE)) {
			if (make_pair(w->source, to_subj, net->peer_ns, p->faults.sockbuf, &r->peer_src[k],
				      &r->subj_src[k], err, err_len) != 0 ||
			    set_deadlines(p, r->subj_src[k], w->source, err, err_len) != 0)
				goto fail;
		}
		if (w->sink == ZC_EP_UDP) {
			if (make_udp_pair(p, net, r, k, err, err_len) != 0)
				goto fail;
			continue;
		}
		for (unsigned j = 0; j < w->nsinks && w->sink != ZC_EP_MEM; j++) {
			if (w->sink == ZC_EP_FILE) {
				char path[4200];
				dest_path(p, k, j, path, sizeof path);
				if (zc_dest_prepare(path, p->segment * p->transfers, p->verify, p->dest_fresh, err,
						    err_len) != 0)
					goto fail;
				continue;
			}
			if (make_pair(w->sink, to_peer, net->subj_ns, p->faults.sockbuf, &r->subj_dst[k][j],
				      &r->peer_dst[k][j], err, err_len) != 0 ||
			    set_deadlines(p, r->subj_dst[k][j], w->sink, err, err_len) != 0)
				goto fail;
		}
	}
	close_fd(&to_peer);
	close_fd(&to_subj);
	bool blackhole = w->sink == ZC_EP_UDP && net->path == ZC_NET_BLACKHOLE;
	if (!blackhole &&
	    (w->source & (ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE) || !(w->sink & (ZC_EP_FILE | ZC_EP_MEM)))) {
		int e = zc_peer_start(p, r);
		if (e) {
			snprintf(err, err_len, "fork peer: %s", strerror(e));
			goto fail;
		}
	}
	return 0;
fail:
	close_fd(&to_peer);
	close_fd(&to_subj);
	zc_wl_abort(r);
	return -1;
}

void zc_wl_subject_side(struct zc_wl_run *r)
{
	for (unsigned k = 0; k < ZC_MAX_STREAMS; k++) {
		close_fd(&r->peer_src[k]);
		for (unsigned j = 0; j < 2; j++)
			close_fd(&r->peer_dst[k][j]);
	}
	close_fd(&r->peer_report);
	close_fd(&r->peer_go);
	if (r->remote)
		close(r->remote->ctl); /* the harness's, not the subject's */
	close_fd(&r->peer_done);
}

int zc_wl_open_dest(const struct zc_wl_params *p, unsigned stream, unsigned sink, char *err, size_t err_len)
{
	char path[4200];
	dest_path(p, stream, sink, path, sizeof path);
	/* fresh: zc_dest_prepare removed it, so it is created new; otherwise
	 * it is the file zc_dest_prepare made. Never through a symlink. */
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW | (p->dest_fresh ? O_CREAT | O_EXCL : 0), 0600);
	if (fd < 0)
		snprintf(err, err_len, "open %s: %s", path, strerror(errno));
	return fd;
}

void zc_wl_parent_side(struct zc_wl_run *r)
{
	for (unsigned k = 0; k < ZC_MAX_STREAMS; k++) {
		close_fd(&r->subj_src[k]);
		close_fd(&r->peer_src[k]);
		for (unsigned j = 0; j < 2; j++) {
			close_fd(&r->subj_dst[k][j]);
			close_fd(&r->peer_dst[k][j]);
		}
	}
}

int zc_wl_go(struct zc_wl_run *r)
{
	if (r->remote)
		return zc_remote_go(r->remote);
	if (r->peer_go < 0)
		return 0;
	ssize_t w;
	do
		w = write(r->peer_go, "g", 1);
	while (w < 0 && errno == EINTR);
	return w == 1 ? 0 : errno;
}

int zc_wl_finish(const struct zc_wl_params *p, struct zc_wl_run *r, struct zc_sink_report *rep, char *err,
		 size_t err_len)
{
	memset(rep, 0, sizeof *rep);
	rep->mismatch_at = -1;
	if (r->peer > 0 && zc_peer_collect(r, rep, err, err_len) != 0)
		return -1;
	if (r->remote) {
		struct zc_remote *rm = r->remote;
		r->remote = NULL; /* the run is over on the peer, report or not */
		if (zc_remote_collect(rm, rep, err, err_len) != 0)
			return -1;
	}
	if (p->w->sink == ZC_EP_UDP) {
		rep->udp_rcvbuf = r->udp_rcvbuf;
		rep->udp_blackhole = p->net && p->net->path == ZC_NET_BLACKHOLE;
	}
	if (p->w->sink != ZC_EP_FILE)
		return 0;
	for (unsigned k = 0; k < p->streams; k++)
		for (unsigned j = 0; j < p->w->nsinks; j++) {
			char path[4200];
			dest_path(p, k, j, path, sizeof path);
			uint64_t got;
			int64_t bad = -1;
			/* A socket source may end early (a stop, a reset): the
			 * file then holds a verified prefix. */
			if (p->verify && (p->stop_expected || p->w->source == ZC_EP_TCP)) {
				if (zc_dest_verify_prefix(path, p->segment * p->transfers, p->segment, p->redact, &got,
							  &bad, err, err_len) != 0)
					return -1;
			} else if (p->verify) {
				if (zc_dest_verify(path, p->segment * p->transfers, p->segment, p->redact, &got, &bad,
						   err, err_len) != 0)
					return -1;
			} else {
				struct stat st;
				if (lstat(path, &st) != 0) {
					snprintf(err, err_len, "stat %s: %s", path, strerror(errno));
					return -1;
				}
				got = (uint64_t)st.st_size;
			}
			rep->received += got;
			if (bad >= 0 && rep->mismatch_at < 0) {
				rep->mismatch_at = bad;
				rep->mismatch_stream = (int)k;
				rep->mismatch_sink = (int)j;
			}
		}
	return 0;
}

void zc_wl_abort(struct zc_wl_run *r)
{
	if (r->remote) {
		zc_wl_parent_side(r); /* the peer sees the streams end */
		zc_remote_abort(r->remote);
		r->remote = NULL;
	}
	if (r->peer > 0) {
		kill(r->peer, SIGKILL);
		while (waitpid(r->peer, NULL, 0) < 0 && errno == EINTR)
			;
		r->peer = -1;
	}
	close_fd(&r->peer_report);
	close_fd(&r->peer_go);
	close_fd(&r->peer_done);
	zc_wl_parent_side(r);
}

void zc_wl_remove_dests(const char *dest_base, unsigned streams, unsigned nsinks)
{
	for (unsigned k = 0; k < streams; k++)
		for (unsigned j = 0; j < nsinks; j++) {
			char path[4200];
			snprintf(path, sizeof path, "%s-%u-%u", dest_base, k, j);
			unlink(path);
		}
}
