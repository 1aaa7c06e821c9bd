/* The peer protocol's framing: JSON lines on the control connection, the
 * header of a data connection, and the pieces both sides share. */
#include "remote.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../harness/host.h"

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int zc_proto_send(int fd, json_t *msg)
{
	char *s = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
	json_decref(msg);
	if (!s)
		return ENOMEM;
	size_t len = strlen(s);
	s[len] = '\n'; /* over the terminator: the length stays len + 1 */
	int e = 0;
	for (size_t off = 0; off < len + 1;) {
		ssize_t w = send(fd, s + off, len + 1 - off, MSG_NOSIGNAL);
		if (w > 0)
			off += (size_t)w;
		else if (w < 0 && errno == EINTR)
			continue;
		else {
			e = w < 0 ? errno : EIO;
			break;
		}
	}
	free(s);
	return e;
}

bool zc_proto_pending(const struct zc_line *l)
{
	return memchr(l->buf, '\n', l->len) != NULL;
}

/* Take one whole line out of l, parsed. */
static json_t *take_line(struct zc_line *l, char *err, size_t err_len)
{
	char *nl = memchr(l->buf, '\n', l->len);
	*nl = 0;
	json_error_t je;
	json_t *m = json_loads(l->buf, 0, &je);
	size_t used = (size_t)(nl - l->buf) + 1;
	memmove(l->buf, l->buf + used, l->len - used);
	l->len -= used;
	if (!m || !json_is_object(m) || !json_is_string(json_object_get(m, "op"))) {
		json_decref(m);
		snprintf(err, err_len, "not a zcbench peer message");
		return NULL;
	}
	return m;
}

json_t *zc_proto_recv(struct zc_line *l, int timeout_ms, const volatile sig_atomic_t *stop, char *err, size_t err_len)
{
	uint64_t deadline = mono_ms() + (uint64_t)timeout_ms;
	while (!zc_proto_pending(l)) {
		if (stop && *stop) {
			snprintf(err, err_len, "interrupted");
			return NULL;
		}
		if (l->len == sizeof l->buf) {
			snprintf(err, err_len, "a message longer than %d bytes", ZC_REMOTE_LINE_MAX);
			return NULL;
		}
		uint64_t now = mono_ms();
		if (now >= deadline) {
			snprintf(err, err_len, "no answer within %d ms", timeout_ms);
			return NULL;
		}
		uint64_t left = deadline - now;
		struct pollfd pfd = {.fd = l->fd, .events = POLLIN};
		int rc = poll(&pfd, 1, left < 100 ? (int)left : 100);
		if (rc < 0 && errno != EINTR) {
			snprintf(err, err_len, "poll: %s", strerror(errno));
			return NULL;
		}
		if (rc <= 0)
			continue;
		ssize_t n = recv(l->fd, l->buf + l->len, sizeof l->buf - l->len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, err_len, "connection lost: %s", strerror(errno));
			return NULL;
		}
		if (n == 0) {
			snprintf(err, err_len, "connection closed");
			return NULL;
		}
		l->len += (size_t)n;
	}
	return take_line(l, err, err_len);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void zc_proto_header(uint8_t out[ZC_REMOTE_HEADER], const uint8_t cookie[ZC_REMOTE_COOKIE], uint32_t run,
		     uint32_t index)
{
	memcpy(out, ZC_REMOTE_DATA_MAGIC, 8);
	memcpy(out + 8, cookie, ZC_REMOTE_COOKIE);
	put32(out + 8 + ZC_REMOTE_COOKIE, run);
	put32(out + 12 + ZC_REMOTE_COOKIE, index);
}

int zc_proto_read_exact(int fd, void *buf, size_t len, int timeout_ms)
{
	uint64_t deadline = mono_ms() + (uint64_t)timeout_ms;
	for (size_t got = 0; got < len;) {
		uint64_t now = mono_ms();
		if (now >= deadline)
			return -1;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int rc = poll(&pfd, 1, (int)(deadline - now));
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return -1;
		ssize_t n = recv(fd, (char *)buf + got, len - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

void zc_hex(const uint8_t *b, size_t len, char *out)
{
	for (size_t i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

int zc_unhex(const char *s, uint8_t *b, size_t len)
{
	if (!s || strlen(s) != 2 * len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		b[i] = (uint8_t)v;
	}
	return 0;
}

int zc_split_hostport(const char *s, char *host, size_t host_len, char *port, size_t port_len, char *err,
		      size_t err_len)
{
	const char *colon = strrchr(s, ':');
	const char *h = s;
	size_t hl = colon ? (size_t)(colon - s) : 0;
	if (hl >= 2 && s[0] == '[' && s[hl - 1] == ']') { /* [::1]:port */
		h++;
		hl -= 2;
	}
	if (!colon || hl == 0 || !colon[1] || hl >= host_len || strlen(colon + 1) >= port_len ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1)) {
		snprintf(err, err_len, "'%s' is not HOST:PORT (e.g. 192.0.2.7:5301 or [2001:db8::7]:5301)", s);
		return -1;
	}
	memcpy(host, h, hl);
	host[hl] = 0;
	snprintf(port, port_len, "%s", colon + 1);
	return 0;
}

json_t *zc_remote_host_json(void)
{
	json_t *h = zc_host_json();
	char name[256];
	if (gethostname(name, sizeof name) == 0) {
		name[sizeof name - 1] = 0;
		json_object_set_new(h, "hostname", json_string(name));
	} else {
		json_object_set_new(h, "hostname", json_null());
	}
	return h;
}

void zc_proto_keepalive(int fd)
{
	int one = 1, idle = 10, intvl = 5, cnt = 3;
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* one line, one segment, now */
}
