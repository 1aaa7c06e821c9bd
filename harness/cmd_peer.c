/* zcbench peer: the far side of the TCP streams of `run --peer`, as a
 * long-lived server on another host (workloads/remote.h has the protocol).
 * One client at a time, as iperf3 -s serves: others are told it is busy.
 * Each run forks the same peer process a local run forks (workloads/peer.c),
 * so drains, verification and producers are one code; this file only
 * accepts, checks and relays. It writes nothing but pattern files in its
 * own cache directory. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cache_dir.h"
#include "cells_prepare.h"
#include "commands.h"
#include "options.h"
#include "signals.h"
#include "../workloads/pattern.h"
#include "../workloads/peer.h"
#include "../workloads/remote.h"
#include "../workloads/source_file.h"

#define TOKEN_MAX	  128
#define POLL_MS		  200
#define HELLO_MS	  5000
#define CONNECTIONS_MS	  30000
#define PEER_CPU_UNPINNED -1

/* The lock file, for the clean-up of a second signal (unlink only). */
static char lock_path[4200];

static void remove_lock_on_exit(void)
{
	if (lock_path[0])
		unlink(lock_path);
}

struct server {
	int listener;
	const char *token;
	const char *cache_dir;
	const volatile sig_atomic_t *stop;
	char client[128]; /* the session's client, as HOST:PORT */
	uint32_t runs;
	struct zc_line rd; /* the session's control connection */
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("zcbench: peer: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	fflush(stderr);
}

static void addr_text(const struct sockaddr_storage *a, char *buf, size_t len)
{
	char h[NI_MAXHOST], p[NI_MAXSERV];
	if (getnameinfo((const struct sockaddr *)a, sizeof *a, h, sizeof h, p, sizeof p,
			NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, a->ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", h, p);
}

static void send_error(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void send_error(int fd, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	zc_proto_send(fd, json_pack("{s:s,s:s}", "op", "error", "message", msg));
}

/* A newcomer while a client is served: told so, never read (reading could
 * stall the run in progress). */
static void refuse_busy(struct server *sv)
{
	/* The client served has left (its end of stream is queued, the
	 * session ends as soon as it is read): the newcomer, likely its
	 * successor, waits in the backlog instead. */
	char c;
	if (sv->rd.fd >= 0 && recv(sv->rd.fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0)
		return;
	int s = accept4(sv->listener, NULL, NULL, SOCK_CLOEXEC);
	if (s < 0)
		return;
	send_error(s, "busy: serving %s; try again when it is done", sv->client);
	close(s);
}

/* Equal strings, in a time that does not tell how much of them matched. */
static bool same_token(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = (unsigned char)(la != lb);
	for (size_t i = 0; i < la && i < TOKEN_MAX; i++)
		d |= (unsigned char)(a[i] ^ b[i < lb ? i : 0]);
	return d == 0;
}

static json_int_t int_of(const json_t *m, const char *key, json_int_t dflt)
{
	json_t *v = json_object_get(m, key);
	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

static int name_index(const char *s, const char *const *names, int n)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* The run's parameters from the client's message; NULL or the reason they
 * cannot be run here. */
static const char *run_params(const json_t *m, struct zc_wl_params *wp)
{
	static const char *const pattern_why = "another pattern version: run the same zcbench on both hosts";
	const struct zc_workload *w = zc_workload_find(json_string_value(json_object_get(m, "workload")));
	json_int_t streams = int_of(m, "streams", 0), transfers = int_of(m, "transfers", 0);
	json_int_t segment = int_of(m, "segment", 0);
	int drain = name_index(json_string_value(json_object_get(m, "drain")), zc_drain_names, 4);
	int send = name_index(json_string_value(json_object_get(m, "send_mode")), zc_send_mode_names, 4);
	if (!w)
		return "unknown workload (another zcbench version?)";
	if ((w->source != ZC_EP_TCP && w->sink != ZC_EP_TCP) || ((w->source | w->sink) & (ZC_EP_UNIX | ZC_EP_PIPE)))
		return "the workload has no TCP stream to serve";
	if (streams < 1 || streams > ZC_MAX_STREAMS || transfers < 1 || segment < 1 ||
	    (uint64_t)segment > ZC_SIZE_MAX_BYTES || (uint64_t)transfers > ZC_SIZE_MAX_BYTES / (uint64_t)segment)
		return "streams, transfers or segment out of range";
	if (drain < 0 || send < 0)
		return "unknown drain or send mode";
	if (int_of(m, "pattern", -1) != ZC_PATTERN_VERSION)
		return pattern_why;
	*wp = (struct zc_wl_params){
		.w = w,
		.streams = (unsigned)streams,
		.transfers = (uint64_t)transfers,
		.segment = (uint64_t)segment,
		.verify = json_is_true(json_object_get(m, "verify")),
		.redact = json_is_true(json_object_get(m, "redact")),
		.peer_cpu = PEER_CPU_UNPINNED,
		.drain = (enum zc_drain)drain,
		.stall_after = UINT64_MAX,
		.send_mode = (enum zc_send_mode)send,
	};
	return NULL;
}

/* Accept the run's data connections: each names its end with the cookie,
 * the run and an index. Returns 0, 1 when the client sent something on the
 * control connection instead (abort, or it went away), -1 with err. */
static int accept_ends(struct server *sv, const struct zc_wl_params *p, const uint8_t cookie[ZC_REMOTE_COOKIE],
		       struct zc_wl_run *r, char *err, size_t err_len)
{
	unsigned want = 0, got = 0;
	for (unsigned k = 0; k < p->streams; k++)
		want += (p->w->source == ZC_EP_TCP) + (p->w->sink == ZC_EP_TCP ? p->w->nsinks : 0);
	for (int waited = 0; got < want;) {
		if (*sv->stop) {
			snprintf(err, err_len, "the peer is stopping");
			return -1;
		}
		if (waited >= CONNECTIONS_MS) {
			snprintf(err, err_len, "%u of %u data connections arrived within %d ms", got, want,
				 CONNECTIONS_MS);
			return -1;
		}
		struct pollfd pfd[2] = {{.fd = sv->listener, .events = POLLIN}, {.fd = sv->rd.fd, .events = POLLIN}};
		int rc = poll(pfd, 2, POLL_MS);
		waited += POLL_MS; /* at most: an early wake-up only waits longer */
		if (rc <= 0)
			continue;
		if (pfd[1].revents || zc_proto_pending(&sv->rd))
			return 1;
		int s = accept4(sv->listener, NULL, NULL, SOCK_CLOEXEC);
		if (s < 0)
			continue;
		uint8_t h[ZC_REMOTE_HEADER], mine[ZC_REMOTE_HEADER];
		bool ok = zc_proto_read_exact(s, h, sizeof h, HELLO_MS) == 0;
		unsigned idx = ok ? ((unsigned)h[ZC_REMOTE_HEADER - 4] << 24 | (unsigned)h[ZC_REMOTE_HEADER - 3] << 16 |
				     (unsigned)h[ZC_REMOTE_HEADER - 2] << 8 | h[ZC_REMOTE_HEADER - 1])
				  : 0;
		zc_proto_header(mine, cookie, sv->runs, idx);
		unsigned k = idx / 3, j = idx % 3;
		int *slot = NULL;
		if (ok && memcmp(h, mine, sizeof h) == 0 && k < p->streams) {
			if (j == 0 && p->w->source == ZC_EP_TCP)
				slot = &r->peer_src[k];
			else if (j > 0 && p->w->sink == ZC_EP_TCP && j - 1 < p->w->nsinks)
				slot = &r->peer_dst[k][j - 1];
		}
		if (!slot || *slot >= 0) {
			if (!ok || memcmp(h, ZC_REMOTE_DATA_MAGIC, 8) != 0)
				send_error(s, "busy: serving %s; try again when it is done", sv->client);
			close(s);
			continue;
		}
		*slot = s;
		got++;
	}
	return 0;
}

static void send_report(int ctl, uint32_t run, const struct zc_sink_report *rep)
{
	json_t *m = json_pack("{s:s,s:I,s:I,s:I,s:i,s:i,s:i,s:s,s:s}", "op", "report", "run", (json_int_t)run,
			      "received", (json_int_t)rep->received, "mismatch_at", (json_int_t)rep->mismatch_at,
			      "mismatch_stream", rep->mismatch_stream, "mismatch_sink", rep->mismatch_sink, "errno",
			      rep->err, "what", rep->what, "error_text", rep->err ? strerror(rep->err) : "");
	if (rep->mismatch_at < 0)
		json_object_set_new(m, "mismatch_at", json_null());
	if (rep->have_peer_usage) {
		json_object_set_new(m, "user_ns", json_integer((json_int_t)rep->peer_user_ns));
		json_object_set_new(m, "sys_ns", json_integer((json_int_t)rep->peer_sys_ns));
	}
	if (rep->have_peer_zc)
		json_object_set_new(m, "zerocopy",
				    json_pack("{s:I,s:I,s:I}", "sends", (json_int_t)rep->peer_zc_sends, "completions",
					      (json_int_t)rep->peer_zc_completions, "copied",
					      (json_int_t)rep->peer_zc_copied));
	zc_proto_send(ctl, m);
}

/* One run. Returns 0 when the session goes on, -1 when it ended (the client
 * went away, or the peer is stopping). */
static int serve_run(struct server *sv, const json_t *msg)
{
	int ctl = sv->rd.fd;
	sv->runs = (uint32_t)int_of(msg, "run", 0);
	struct zc_wl_params wp;
	const char *why = run_params(msg, &wp);
	if (why) {
		send_error(ctl, "cannot run this: %s", why);
		return 0;
	}
	char path[4096] = "", err[512] = "", warn[512];
	if (wp.w->source == ZC_EP_TCP) {
		int rc = zc_source_file_ensure(sv->cache_dir, wp.segment, sv->stop, path, sizeof path, warn,
					       sizeof warn, err, sizeof err);
		if (rc == 1)
			say("warning: %s", warn);
		if (rc < 0) {
			send_error(ctl, "pattern file: %s", rc == -2 ? "the peer is stopping" : err);
			return rc == -2 ? -1 : 0;
		}
		wp.source_path = path;
	}
	uint8_t cookie[ZC_REMOTE_COOKIE];
	if (getrandom(cookie, sizeof cookie, 0) != (ssize_t)sizeof cookie) {
		send_error(ctl, "getrandom: %s", strerror(errno));
		return 0;
	}
	char hex[2 * ZC_REMOTE_COOKIE + 1];
	zc_hex(cookie, sizeof cookie, hex);
	zc_proto_send(ctl, json_pack("{s:s,s:I,s:s}", "op", "connect", "run", (json_int_t)sv->runs, "cookie", hex));
	struct zc_wl_run r;
	zc_wl_run_init(&r);
	int rc = accept_ends(sv, &wp, cookie, &r, err, sizeof err);
	if (rc == 0) {
		r.peer_close[0] = sv->listener;
		r.peer_close[1] = ctl;
		int e = zc_peer_start(&wp, &r);
		if (e) {
			snprintf(err, sizeof err, "starting the peer process: %s", strerror(e));
			rc = -1;
		}
	}
	zc_wl_parent_side(&r); /* the run's process holds the ends now */
	if (rc < 0)
		send_error(ctl, "%s", err);
	else if (rc == 0)
		zc_proto_send(ctl, json_pack("{s:s,s:I}", "op", "started", "run", (json_int_t)sv->runs));
	char what[160];
	snprintf(what, sizeof what, "run %" PRIu32 ": %s, %" PRIu64 " bytes x %u stream%s%s", sv->runs, wp.w->name,
		 wp.segment * wp.transfers, wp.streams, wp.streams == 1 ? "" : "s", wp.verify ? ", verified" : "");
	/* Until the report: go, abort, or the client gone. A message comes
	 * first when both are there: a go read after the report would be
	 * taken for the next run's. */
	while (rc == 0 || rc == 1) {
		if (*sv->stop) {
			zc_wl_abort(&r);
			return -1;
		}
		if (rc == 0 && !zc_proto_pending(&sv->rd)) {
			struct pollfd pfd[3] = {{.fd = ctl, .events = POLLIN},
						{.fd = r.peer_report, .events = POLLIN},
						{.fd = sv->listener, .events = POLLIN}};
			if (poll(pfd, 3, POLL_MS) <= 0)
				continue;
			if (pfd[2].revents)
				refuse_busy(sv);
			if (!pfd[0].revents && pfd[1].revents) {
				struct zc_sink_report rep;
				memset(&rep, 0, sizeof rep);
				rep.mismatch_at = -1;
				if (zc_peer_collect(&r, &rep, err, sizeof err) != 0) {
					send_error(ctl, "%s", err);
				} else {
					send_report(ctl, sv->runs, &rep);
					if (wp.w->sink != ZC_EP_TCP)
						say("%s: done", what);
					else if (rep.mismatch_at >= 0)
						say("%s: %" PRIu64
						    " bytes received, the first wrong byte at offset %" PRId64,
						    what, rep.received, rep.mismatch_at);
					else
						say("%s: %" PRIu64 " bytes received", what, rep.received);
				}
				return 0;
			}
			if (!pfd[0].revents)
				continue;
		}
		json_t *m = zc_proto_recv(&sv->rd, ZC_REMOTE_SHORT_MS, NULL, err, sizeof err);
		const char *op = m ? json_string_value(json_object_get(m, "op")) : "";
		if (m && strcmp(op, "go") == 0 && rc == 0) {
			zc_wl_go(&r);
			json_decref(m);
			continue;
		}
		bool said = m != NULL;
		zc_wl_abort(&r);
		if (m && strcmp(op, "abort") == 0)
			zc_proto_send(ctl, json_pack("{s:s}", "op", "aborted"));
		else if (m)
			send_error(ctl, "'%s' in the middle of a run", op);
		else
			say("%s: the client went away (%s); run stopped", what, err);
		json_decref(m);
		return said ? 0 : -1;
	}
	zc_wl_abort(&r);
	return 0;
}

/* Serve one client until it leaves. */
static void serve_session(struct server *sv)
{
	char err[256];
	for (;;) {
		if (*sv->stop)
			return;
		if (!zc_proto_pending(&sv->rd)) {
			struct pollfd pfd[2] = {{.fd = sv->rd.fd, .events = POLLIN},
						{.fd = sv->listener, .events = POLLIN}};
			if (poll(pfd, 2, POLL_MS) <= 0)
				continue;
			if (pfd[1].revents && !pfd[0].revents)
				refuse_busy(sv); /* else the client's word first: it may be leaving */
			if (!pfd[0].revents)
				continue;
		}
		json_t *m = zc_proto_recv(&sv->rd, ZC_REMOTE_SHORT_MS, sv->stop, err, sizeof err);
		if (!m) {
			say("session with %s ended (%s)", sv->client, err);
			return;
		}
		const char *op = json_string_value(json_object_get(m, "op"));
		int rc = 0;
		if (strcmp(op, "run") == 0)
			rc = serve_run(sv, m);
		else if (strcmp(op, "go") == 0)
			; /* a run's go that crossed its report (a short run): done with */
		else if (strcmp(op, "abort") == 0)
			zc_proto_send(sv->rd.fd, json_pack("{s:s}", "op", "aborted"));
		else
			send_error(sv->rd.fd, "unknown request '%s'", op);
		json_decref(m);
		if (rc != 0)
			return;
	}
}

/* A new connection while idle: a client's hello, checked. */
static void greet(struct server *sv)
{
	struct sockaddr_storage a;
	socklen_t alen = sizeof a;
	int s = accept4(sv->listener, (struct sockaddr *)&a, &alen, SOCK_CLOEXEC);
	if (s < 0)
		return;
	addr_text(&a, sv->client, sizeof sv->client);
	char err[256];
	sv->rd.fd = s;
	sv->rd.len = 0;
	json_t *m = zc_proto_recv(&sv->rd, HELLO_MS, sv->stop, err, sizeof err);
	const char *token = m ? json_string_value(json_object_get(m, "token")) : NULL;
	if (!m || strcmp(json_string_value(json_object_get(m, "op")), "hello") != 0) {
		/* A data connection of a session gone, or a stranger: no word. */
	} else if (int_of(m, "proto", 0) != ZC_REMOTE_PROTO) {
		send_error(s, "protocol %d is not this peer's %d: run the same zcbench version on both hosts",
			   (int)int_of(m, "proto", 0), ZC_REMOTE_PROTO);
		say("refused %s: protocol %d", sv->client, (int)int_of(m, "proto", 0));
	} else if (!token || !same_token(token, sv->token)) {
		send_error(s, "wrong token");
		say("refused %s: wrong token", sv->client);
	} else {
		zc_proto_keepalive(s);
		if (zc_proto_send(s, json_pack("{s:s,s:o}", "op", "welcome", "host", zc_remote_host_json())) == 0) {
			say("session with %s", sv->client);
			json_decref(m);
			m = NULL;
			serve_session(sv);
		}
	}
	json_decref(m);
	close(s);
	sv->rd.fd = -1;
	sv->client[0] = 0;
}

int zc_peer_serve(int listener, const char *token, const char *cache_dir, const volatile sig_atomic_t *stop)
{
	struct server *sv = calloc(1, sizeof *sv);
	if (!sv) {
		say("out of memory");
		return 1;
	}
	*sv = (struct server){.listener = listener, .token = token, .cache_dir = cache_dir, .stop = stop};
	sv->rd.fd = -1;
	while (!*sv->stop) {
		struct pollfd pfd = {.fd = listener, .events = POLLIN};
		if (poll(&pfd, 1, POLL_MS) > 0)
			greet(sv);
	}
	free(sv);
	return 0;
}

static int listen_on(const char *hostport, char *shown, size_t shown_len)
{
	char host[256], port[16], err[256];
	if (zc_split_hostport(hostport, host, sizeof host, port, sizeof port, err, sizeof err) != 0)
		zc_usage_error("--listen: %s", err);
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *ai = NULL;
	int gr = getaddrinfo(host, port, &hints, &ai);
	if (gr != 0)
		zc_usage_error("--listen '%s': %s", hostport, gai_strerror(gr));
	int fd = -1, e = 0;
	for (struct addrinfo *a = ai; a && fd < 0; a = a->ai_next) {
		fd = socket(a->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int one = 1;
		if (fd >= 0 && (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
				bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, 64) != 0)) {
			e = errno;
			close(fd);
			fd = -1;
		} else if (fd < 0) {
			e = errno;
		}
	}
	freeaddrinfo(ai);
	if (fd < 0)
		zc_usage_error("--listen '%s': %s", hostport, strerror(e));
	struct sockaddr_storage a;
	socklen_t alen = sizeof a;
	if (getsockname(fd, (struct sockaddr *)&a, &alen) != 0)
		zc_usage_error("--listen '%s': getsockname: %s", hostport, strerror(errno));
	addr_text(&a, shown, shown_len); /* port 0 becomes the port the kernel chose */
	return fd;
}

static const char peer_help[] = "usage: zcbench peer --listen ADDR:PORT [--token T] [--cache-dir DIR]\n"
				"\n"
				"Serves the far side of the TCP streams of `zcbench run --peer` and\n"
				"`zcbench all --peer` from another host: drains and verifies what the\n"
				"subject sends, produces what it receives (the pattern, generated here from\n"
				"its version, never shipped), and reports bytes, verification and its own\n"
				"CPU time per run. One client at a time; it serves the next when one\n"
				"leaves, also mid-run. Stop it with Ctrl-C or SIGTERM (exit 0).\n"
				"\n"
				"  --listen ADDR:PORT address and port to listen on (port 0: any free one;\n"
				"                     the line it prints says which)\n"
				"  --token T          the secret a client must present (--token on run/all);\n"
				"                     without it one is generated and printed. It keeps other\n"
				"                     people's clients out; it encrypts nothing\n"
				"  --cache-dir DIR    where pattern files go, the only place it writes\n"
				"                     (default: as for run)\n"
				"  -h, --help         this text\n"
				"  --version          the version\n";

int zc_cmd_peer(int argc, char **argv)
{
	enum { OPT_LISTEN = 256, OPT_TOKEN, OPT_CACHE_DIR, OPT_HELP, OPT_VERSION };
	static const struct option longopts[] = {
		{"listen", required_argument, 0, OPT_LISTEN},	    {"token", required_argument, 0, OPT_TOKEN},
		{"cache-dir", required_argument, 0, OPT_CACHE_DIR}, {"help", no_argument, 0, OPT_HELP},
		{"version", no_argument, 0, OPT_VERSION},	    {0, 0, 0, 0}};
	zc_options_exact("peer", argc, argv, longopts);
	const char *listen_at = NULL, *token = NULL, *cache = getenv("ZCBENCH_CACHE_DIR");
	opterr = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'h' || opt == OPT_HELP) {
			fputs(peer_help, stdout);
			return 0;
		}
		if (opt == OPT_VERSION) {
			zc_print_version();
			return 0;
		}
		if (opt == OPT_LISTEN)
			listen_at = optarg;
		else if (opt == OPT_TOKEN)
			token = optarg;
		else if (opt == OPT_CACHE_DIR)
			cache = optarg;
		else
			zc_usage_error("unknown or incomplete option '%s' for peer (see zcbench peer --help)",
				       argv[optind - 1]);
	}
	if (optind < argc)
		zc_usage_error("peer: unexpected argument '%s' (see zcbench peer --help)", argv[optind]);
	if (!listen_at)
		zc_usage_error("peer needs --listen ADDR:PORT (e.g. --listen 0.0.0.0:5301)");
	char made[2 * 16 + 1];
	if (token) {
		size_t n = strlen(token);
		if (n == 0 || n > TOKEN_MAX)
			zc_usage_error("--token must be 1 to %d characters", TOKEN_MAX);
		for (size_t i = 0; i < n; i++)
			if (token[i] <= ' ' || token[i] > '~')
				zc_usage_error("--token: printable ASCII without spaces only");
	} else {
		uint8_t b[16];
		if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b)
			zc_usage_error("--token: none given, and getrandom failed: %s", strerror(errno));
		zc_hex(b, sizeof b, made);
		token = made;
	}
	char dir[4096], err[4400];
	if (cache)
		snprintf(dir, sizeof dir, "%s", cache);
	else
		zc_cache_dir_default(dir, sizeof dir);
	if (zc_cache_dir_check(dir, err, sizeof err) != 0)
		zc_usage_error("%s", err);
	char shown[160];
	int listener = listen_on(listen_at, shown, sizeof shown);
	int lock = zc_dir_claim(dir, err, sizeof err);
	if (lock < 0) {
		close(listener);
		zc_usage_error("%s", err);
	}
	zc_dir_lock_path(dir, lock_path, sizeof lock_path);
	zc_signals_on_exit(remove_lock_on_exit);
	fprintf(stderr, "zcbench: peer listening on %s, token %s\n", shown, token);
	fflush(stderr);
	int rc = zc_peer_serve(listener, token, dir, zc_interrupt_flag());
	say("stopping");
	close(listener);
	lock_path[0] = 0;
	zc_dir_release(dir, lock);
	return rc;
}
