#include "peer_drain.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pattern.h"

#define PEER_BUF (1u << 20)
/* read() and verification use a slice that stays in L2, as iperf3's 128 KiB
 * blocks do; a 1 MiB copy target measured slower (ci/bench-vs-iperf3.sh). */
#define PEER_COPY (128u << 10)
/* How long the parent waits for a peer's report after the subject finished. */
#define PEER_REPORT_TIMEOUT_MS 60000

static void fail(struct zc_sink_report *rep, const char *what)
{
	rep->err = errno ? errno : EIO;
	snprintf(rep->what, sizeof rep->what, "%s", what);
}

static void drain_splice(int fd, struct zc_sink_report *rep)
{
	int p[2];
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null < 0 || pipe2(p, O_CLOEXEC) != 0) {
		fail(rep, null < 0 ? "open(/dev/null)" : "pipe2");
		return;
	}
	fcntl(p[1], F_SETPIPE_SZ, PEER_BUF); /* best effort: a bigger pipe means fewer calls */
	for (;;) {
		ssize_t n = splice(fd, NULL, p[1], NULL, PEER_BUF, SPLICE_F_MOVE);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail(rep, "splice(socket->pipe)");
			break;
		}
		rep->received += (uint64_t)n;
		while (n > 0) {
			ssize_t m = splice(p[0], NULL, null, NULL, (size_t)n, SPLICE_F_MOVE);
			if (m < 0 && errno == EINTR)
				continue;
			if (m <= 0) {
				fail(rep, "splice(pipe->/dev/null)");
				goto out;
			}
			n -= m;
		}
	}
out:
	close(p[0]);
	close(p[1]);
	close(null);
}

void zc_peer_drain(int fd, const struct zc_sink_cfg *c, struct zc_sink_report *rep)
{
	rep->mismatch_at = -1;
	if (!c->verify && c->drain == ZC_DRAIN_SPLICE) {
		drain_splice(fd, rep);
		return;
	}
	char *buf = malloc(PEER_BUF);
	if (!buf) {
		fail(rep, "malloc");
		return;
	}
	memset(buf, 0, PEER_BUF); /* fault it in now, not while draining */
	int flags = (!c->verify && c->drain == ZC_DRAIN_TRUNC) ? MSG_TRUNC : 0;
	/* MSG_TRUNC copies nothing, so it can ask for a lot at once. */
	size_t ask = flags ? PEER_BUF : PEER_COPY;
	for (;;) {
		ssize_t n = recv(fd, buf, ask, flags);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail(rep, "recv");
			break;
		}
		if (c->verify && rep->mismatch_at < 0) {
			int64_t bad = zc_pattern_check_periodic(buf, rep->received, (size_t)n, c->period);
			if (bad >= 0)
				rep->mismatch_at = (int64_t)rep->received + bad;
		}
		rep->received += (uint64_t)n;
	}
	free(buf);
}

int zc_peer_fork(int fd, int is_listener, const struct zc_sink_cfg *c, pid_t *pid, int *report_fd)
{
	int rp[2];
	if (pipe2(rp, O_CLOEXEC) != 0)
		return errno;
	pid_t p = fork();
	if (p < 0) {
		int e = errno;
		close(rp[0]);
		close(rp[1]);
		return e;
	}
	if (p == 0) {
		struct zc_sink_report rep = {.mismatch_at = -1};
		/* Die with the harness: no peer outlives a run. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(rp[0]);
		zc_pin_cpu(c->peer_cpu);
		int s = fd;
		if (is_listener) {
			s = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
			if (s < 0)
				fail(&rep, "accept");
			close(fd);
		}
		if (s >= 0)
			zc_peer_drain(s, c, &rep);
		ssize_t w = write(rp[1], &rep, sizeof rep);
		_exit(w == (ssize_t)sizeof rep ? 0 : 1);
	}
	close(rp[1]);
	*pid = p;
	*report_fd = rp[0];
	return 0;
}

int zc_peer_collect(pid_t pid, int report_fd, struct zc_sink_report *rep, char *err, size_t err_len)
{
	struct pollfd pfd = {.fd = report_fd, .events = POLLIN};
	int rc;
	do
		rc = poll(&pfd, 1, PEER_REPORT_TIMEOUT_MS);
	while (rc < 0 && errno == EINTR);
	if (rc <= 0) {
		snprintf(err, err_len, "peer gave no report within %d ms", PEER_REPORT_TIMEOUT_MS);
		kill(pid, SIGKILL);
	} else {
		ssize_t n = read(report_fd, rep, sizeof *rep);
		if (n != (ssize_t)sizeof *rep) {
			snprintf(err, err_len, "peer report truncated (%zd bytes)", n);
			rc = 0;
		}
	}
	close(report_fd);
	struct rusage ru;
	int status;
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			snprintf(err, err_len, "wait4(peer): %s", strerror(errno));
			return -1;
		}
	}
	if (rc <= 0)
		return -1;
	rep->have_peer_usage = true;
	rep->peer_user_ns = (uint64_t)ru.ru_utime.tv_sec * 1000000000ull + (uint64_t)ru.ru_utime.tv_usec * 1000ull;
	rep->peer_sys_ns = (uint64_t)ru.ru_stime.tv_sec * 1000000000ull + (uint64_t)ru.ru_stime.tv_usec * 1000ull;
	return 0;
}
