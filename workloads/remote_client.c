/* The client's side of the peer protocol (remote.h): the session opened once
 * per invocation, and each run's start, go, report and abort. */
#include "remote.h"

#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness/result_json.h" /* ZC_VERSION */
#include "pattern.h"

/* A connected TCP socket to addr, or -1 with errno. */
static int dial(const struct sockaddr *addr, socklen_t len)
{
	int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	while (connect(fd, addr, len) != 0) {
		if (errno == EINTR)
			continue;
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static const char *op_of(const json_t *m)
{
	return json_string_value(json_object_get(m, "op"));
}

/* The text of an {"op":"error"} message. */
static const char *message_of(const json_t *m)
{
	const char *s = json_string_value(json_object_get(m, "message"));
	return s ? s : "no reason given";
}

struct zc_remote *zc_remote_open(const char *hostport, const char *token, const volatile sig_atomic_t *stop,
				 bool *refused, char *err, size_t err_len)
{
	*refused = false;
	char host[256], port[16];
	if (zc_split_hostport(hostport, host, sizeof host, port, sizeof port, err, err_len) != 0)
		return NULL;
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
	int gr = getaddrinfo(host, port, &hints, &ai);
	if (gr != 0) {
		snprintf(err, err_len, "peer %s: %s", hostport, gai_strerror(gr));
		return NULL;
	}
	struct zc_remote *rm = calloc(1, sizeof *rm);
	if (!rm) {
		freeaddrinfo(ai);
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	rm->ctl = -1;
	rm->stop = stop;
	snprintf(rm->name, sizeof rm->name, "%s", hostport);
	int e = ECONNREFUSED;
	for (struct addrinfo *a = ai; a && rm->ctl < 0; a = a->ai_next) {
		rm->ctl = dial(a->ai_addr, a->ai_addrlen);
		if (rm->ctl < 0) {
			e = errno;
			continue;
		}
		memcpy(&rm->addr, a->ai_addr, a->ai_addrlen);
		rm->addr_len = a->ai_addrlen;
	}
	freeaddrinfo(ai);
	if (rm->ctl < 0) {
		snprintf(err, err_len, "cannot reach the peer at %s: %s (is `zcbench peer --listen %s` running there?)",
			 hostport, strerror(e), hostport);
		free(rm);
		return NULL;
	}
	zc_proto_keepalive(rm->ctl);
	rm->rd.fd = rm->ctl;
	char why[256];
	json_t *m = NULL;
	e = zc_proto_send(rm->ctl, json_pack("{s:s,s:i,s:s,s:s}", "op", "hello", "proto", ZC_REMOTE_PROTO, "version",
					     ZC_VERSION, "token", token ? token : ""));
	if (e) {
		snprintf(err, err_len, "peer %s: cannot send: %s", hostport, strerror(e));
	} else if (!(m = zc_proto_recv(&rm->rd, ZC_REMOTE_SHORT_MS, stop, why, sizeof why))) {
		snprintf(err, err_len, "peer %s: %s", hostport, why);
	} else if (strcmp(op_of(m), "welcome") != 0) {
		*refused = true;
		snprintf(err, err_len, "peer %s refused the session: %s", hostport,
			 strcmp(op_of(m), "error") == 0 ? message_of(m) : "an unexpected answer");
	} else {
		rm->host = json_incref(json_object_get(m, "host"));
		if (!rm->host)
			rm->host = json_null();
		json_decref(m);
		return rm;
	}
	json_decref(m);
	zc_remote_close(rm);
	return NULL;
}

void zc_remote_close(struct zc_remote *rm)
{
	if (!rm)
		return;
	if (rm->ctl >= 0)
		close(rm->ctl);
	json_decref(rm->host);
	free(rm);
}

/* The next message of this run: NULL with err when the session broke (it
 * stays broken) or the peer answered an error (it does not). */
static json_t *expect(struct zc_remote *rm, const char *op, int timeout_ms, char *err, size_t err_len)
{
	char why[256];
	json_t *m = zc_proto_recv(&rm->rd, timeout_ms, rm->stop, why, sizeof why);
	if (!m) {
		rm->broken = strcmp(why, "interrupted") != 0;
		snprintf(err, err_len, "peer %s: %s", rm->name, why);
		return NULL;
	}
	if (strcmp(op_of(m), op) == 0 &&
	    (json_integer_value(json_object_get(m, "run")) == rm->run || !json_object_get(m, "run")))
		return m;
	if (strcmp(op_of(m), "error") == 0)
		snprintf(err, err_len, "peer %s: %s", rm->name, message_of(m));
	else {
		rm->broken = true;
		snprintf(err, err_len, "peer %s: '%s' where '%s' was due", rm->name, op_of(m), op);
	}
	json_decref(m);
	return NULL;
}

int zc_remote_start(struct zc_remote *rm, const struct zc_wl_params *p, struct zc_wl_run *r, char *err, size_t err_len)
{
	if (rm->broken) {
		snprintf(err, err_len, "peer %s: the control connection was lost earlier", rm->name);
		return -1;
	}
	rm->run++;
	r->remote = rm;
	json_t *msg = json_pack("{s:s,s:I,s:s,s:i,s:I,s:I,s:b,s:b,s:s,s:s,s:i}", "op", "run", "run",
				(json_int_t)rm->run, "workload", p->w->name, "streams", (int)p->streams, "transfers",
				(json_int_t)p->transfers, "segment", (json_int_t)p->segment, "verify", p->verify,
				"redact", p->redact, "drain", zc_drain_names[p->drain], "send_mode",
				zc_send_mode_names[p->send_mode], "pattern", ZC_PATTERN_VERSION);
	int e = zc_proto_send(rm->ctl, msg);
	if (e) {
		rm->broken = true;
		snprintf(err, err_len, "peer %s: cannot send: %s", rm->name, strerror(e));
		return -1;
	}
	json_t *m = expect(rm, "connect", ZC_REMOTE_PREPARE_MS, err, err_len);
	if (!m)
		return -1;
	uint8_t cookie[ZC_REMOTE_COOKIE];
	int bad = zc_unhex(json_string_value(json_object_get(m, "cookie")), cookie, sizeof cookie);
	json_decref(m);
	if (bad) {
		rm->broken = true;
		snprintf(err, err_len, "peer %s: a connect message without a cookie", rm->name);
		return -1;
	}
	/* The subject's ends, in the order the peer's indexes name them. */
	for (unsigned k = 0; k < p->streams; k++)
		for (unsigned j = 0; j < 3; j++) {
			bool src = j == 0;
			if (src ? p->w->source != ZC_EP_TCP : p->w->sink != ZC_EP_TCP || j - 1 >= p->w->nsinks)
				continue;
			int fd = dial((const struct sockaddr *)&rm->addr, rm->addr_len);
			if (fd < 0) {
				snprintf(err, err_len, "peer %s: data connection: %s", rm->name, strerror(errno));
				return -1;
			}
			if (src)
				r->subj_src[k] = fd;
			else
				r->subj_dst[k][j - 1] = fd;
			uint8_t h[ZC_REMOTE_HEADER];
			zc_proto_header(h, cookie, rm->run, src ? ZC_REMOTE_IDX_SRC(k) : ZC_REMOTE_IDX_DST(k, j - 1));
			if (send(fd, h, sizeof h, MSG_NOSIGNAL) != (ssize_t)sizeof h) {
				snprintf(err, err_len, "peer %s: data connection: %s", rm->name, strerror(errno));
				return -1;
			}
		}
	m = expect(rm, "started", ZC_REMOTE_SHORT_MS * 3, err, err_len);
	json_decref(m);
	return m ? 0 : -1;
}

int zc_remote_go(struct zc_remote *rm)
{
	int e = zc_proto_send(rm->ctl, json_pack("{s:s}", "op", "go"));
	if (e)
		rm->broken = true;
	return e;
}

static uint64_t u64(const json_t *m, const char *key)
{
	json_int_t v = json_integer_value(json_object_get(m, key));
	return v > 0 ? (uint64_t)v : 0;
}

int zc_remote_collect(struct zc_remote *rm, struct zc_sink_report *rep, char *err, size_t err_len)
{
	json_t *m = expect(rm, "report", ZC_REMOTE_REPORT_MS, err, err_len);
	if (!m)
		return -1;
	rep->received = u64(m, "received");
	json_t *bad = json_object_get(m, "mismatch_at");
	rep->mismatch_at = json_is_integer(bad) ? (int64_t)json_integer_value(bad) : -1;
	rep->mismatch_stream = (int)u64(m, "mismatch_stream");
	rep->mismatch_sink = (int)u64(m, "mismatch_sink");
	rep->err = (int)u64(m, "errno");
	const char *what = json_string_value(json_object_get(m, "what"));
	snprintf(rep->what, sizeof rep->what, "%s", what ? what : "");
	json_t *user = json_object_get(m, "user_ns"), *sys = json_object_get(m, "sys_ns");
	rep->have_peer_usage = json_is_integer(user) && json_is_integer(sys);
	rep->peer_user_ns = u64(m, "user_ns");
	rep->peer_sys_ns = u64(m, "sys_ns");
	json_t *zc = json_object_get(m, "zerocopy");
	if (json_is_object(zc)) {
		rep->have_peer_zc = true;
		rep->peer_zc_sends = u64(zc, "sends");
		rep->peer_zc_completions = u64(zc, "completions");
		rep->peer_zc_copied = u64(zc, "copied");
	}
	json_decref(m);
	return 0;
}

void zc_remote_abort(struct zc_remote *rm)
{
	if (rm->broken)
		return;
	if (zc_proto_send(rm->ctl, json_pack("{s:s}", "op", "abort")) != 0) {
		rm->broken = true;
		return;
	}
	/* Whatever the run still had to say (a report that crossed the abort)
	 * is passed over until the peer confirms. */
	for (;;) {
		char why[256];
		json_t *m = zc_proto_recv(&rm->rd, ZC_REMOTE_SHORT_MS, NULL, why, sizeof why);
		if (!m) {
			rm->broken = true;
			return;
		}
		bool done = strcmp(op_of(m), "aborted") == 0;
		json_decref(m);
		if (done)
			return;
	}
}

void zc_remote_describe(const struct zc_remote *rm, json_t *doc)
{
	json_object_set_new(
		doc, "peer",
		json_pack("{s:s,s:i,s:s}", "address", rm->name, "protocol", ZC_REMOTE_PROTO, "path", "remote"));
	json_object_set(doc, "peer_host", rm->host);
	/* The subject's host block names its host too, so the two can be told
	 * apart (a loopback peer reports the same one). */
	json_t *mine = zc_remote_host_json();
	json_object_set(json_object_get(doc, "host"), "hostname", json_object_get(mine, "hostname"));
	json_decref(mine);
}
