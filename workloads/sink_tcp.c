/* A TCP sink on loopback: the parent listens, a peer process accepts and
 * drains, the subject connects. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../strategies/io_util.h"
#include "peer_drain.h"
#include "workload.h"

static int tcp_start(const struct zc_sink_cfg *c, struct zc_sink_run *r, char *err, size_t err_len)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof a;
	r->peer = -1;
	r->report_fd = -1;
	r->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (r->listen_fd < 0) {
		snprintf(err, err_len, "socket: %s", strerror(errno));
		return -1;
	}
	if (bind(r->listen_fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(r->listen_fd, 1) != 0 ||
	    getsockname(r->listen_fd, (struct sockaddr *)&a, &alen) != 0) {
		snprintf(err, err_len, "listen on 127.0.0.1: %s", strerror(errno));
		close(r->listen_fd);
		return -1;
	}
	r->port = ntohs(a.sin_port);
	int e = zc_peer_fork(r->listen_fd, 1, c, &r->peer, &r->report_fd);
	if (e) {
		snprintf(err, err_len, "fork peer: %s", strerror(e));
		close(r->listen_fd);
		r->listen_fd = -1;
		return -1;
	}
	return 0;
}

static int tcp_open(const struct zc_sink_cfg *c, struct zc_sink_run *r, int *fd, char *err, size_t err_len)
{
	(void)c;
	struct sockaddr_in a = {
		.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = htons(r->port)};
	close(r->listen_fd); /* the subject's copy; the peer holds its own */
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
		snprintf(err, err_len, "connect to 127.0.0.1:%u: %s", r->port, strerror(errno));
		if (s >= 0)
			close(s);
		return -1;
	}
	/* A send deadline: a blocked write returns EAGAIN at each checkpoint, so a
	 * loop sees a stop request even when the peer stalls. */
	struct timeval tv = {.tv_sec = 0, .tv_usec = ZC_CHECKPOINT_MS * 1000};
	if (setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0) {
		snprintf(err, err_len, "setsockopt(SO_SNDTIMEO): %s", strerror(errno));
		close(s);
		return -1;
	}
	*fd = s;
	return 0;
}

static int tcp_finish(const struct zc_sink_cfg *c, struct zc_sink_run *r, struct zc_sink_report *rep, char *err,
		      size_t err_len)
{
	(void)c;
	close(r->listen_fd);
	r->listen_fd = -1;
	int rc = zc_peer_collect(r->peer, r->report_fd, rep, err, err_len);
	r->peer = -1;
	return rc;
}

static void tcp_abort(struct zc_sink_run *r)
{
	if (r->peer > 0) {
		kill(r->peer, SIGKILL);
		while (waitpid(r->peer, NULL, 0) < 0 && errno == EINTR)
			;
		r->peer = -1;
	}
	if (r->report_fd >= 0)
		close(r->report_fd);
	r->report_fd = -1;
	if (r->listen_fd >= 0)
		close(r->listen_fd);
	r->listen_fd = -1;
}

const struct zc_sink_ops zc_sink_tcp = {
	.start = tcp_start,
	.open = tcp_open,
	.finish = tcp_finish,
	.abort = tcp_abort,
};
