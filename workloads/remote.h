/* A peer on another host (or in another network namespace): `zcbench peer`
 * serves, `zcbench run --peer HOST:PORT` uses it. One TCP port carries a
 * control connection per client and that client's data connections.
 *
 * Control: one JSON object per line, both ways. The client opens with
 * {"op":"hello","proto":1,"token":T}; the peer answers {"op":"welcome",
 * "host":{...}} or {"op":"error","message":M} and closes. Then, per run:
 *   client {"op":"run", "run":N, "workload", "streams", "transfers",
 *           "segment", "verify", "redact", "drain", "send_mode", "pattern"}
 *   peer   {"op":"connect","run":N,"cookie":HEX}  (its pattern file ready)
 *   client opens one data connection per stream end, each starting with a
 *          header (magic, cookie, run, index) before any payload
 *   peer   {"op":"started","run":N}             (its process set up)
 *   client {"op":"go"}                           (the subject's window opened)
 *   peer   {"op":"report","run":N, ...}          (once every stream ended)
 * {"op":"abort"} from the client at any point: the peer stops the run and
 * answers {"op":"aborted"}. Any step may be answered {"op":"error"}.
 *
 * The pattern is never shipped: it is a pure function of the offset
 * (workloads/pattern.h), so the peer generates its own copy, and "pattern"
 * carries ZC_PATTERN_VERSION so both sides agree on the function. */
#ifndef ZC_REMOTE_H
#define ZC_REMOTE_H

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "workload.h"

#define ZC_REMOTE_PROTO	     1
#define ZC_REMOTE_COOKIE     16
#define ZC_REMOTE_DATA_MAGIC "ZCPDATA1" /* 8 bytes, the first of a data connection */
#define ZC_REMOTE_HEADER     (8 + ZC_REMOTE_COOKIE + 4 + 4)
#define ZC_REMOTE_LINE_MAX   65536
#define ZC_REMOTE_SHORT_MS   10000  /* a reply that needs no work */
#define ZC_REMOTE_PREPARE_MS 600000 /* the peer generating a pattern file */
#define ZC_REMOTE_REPORT_MS  60000  /* the report, once the subject is done */
/* Data connection index of stream k's source end, and of its sink j. */
#define ZC_REMOTE_IDX_SRC(k)	((k)*3u)
#define ZC_REMOTE_IDX_DST(k, j) ((k)*3u + 1u + (j))

/* Buffered line reader over a socket. */
struct zc_line {
	int fd;
	size_t len;
	char buf[ZC_REMOTE_LINE_MAX];
};

/* Send msg (a reference is stolen) as one line. Returns 0 or an errno. */
int zc_proto_send(int fd, json_t *msg);
/* The next line as a JSON object with a string "op", waiting up to
 * timeout_ms and waking every 100 ms to look at *stop (may be NULL).
 * NULL with a reason in err: timeout, end of stream, junk, interrupted
 * (*stop set; err says "interrupted"). */
json_t *zc_proto_recv(struct zc_line *l, int timeout_ms, const volatile sig_atomic_t *stop, char *err, size_t err_len);
/* Whether l holds a whole line already (poll would not say so). */
bool zc_proto_pending(const struct zc_line *l);
/* Keepalive on a control connection (a host that vanished without a FIN is
 * noticed within about half a minute, not never) and no Nagle delay. */
void zc_proto_keepalive(int fd);
/* A data connection's header. */
void zc_proto_header(uint8_t out[ZC_REMOTE_HEADER], const uint8_t cookie[ZC_REMOTE_COOKIE], uint32_t run,
		     uint32_t index);
/* Read exactly len bytes from fd within timeout_ms. Returns 0 or -1. */
int zc_proto_read_exact(int fd, void *buf, size_t len, int timeout_ms);
/* Bytes as lower-case hex, and back (-1: not len bytes of hex). */
void zc_hex(const uint8_t *b, size_t len, char *out);
int zc_unhex(const char *s, uint8_t *b, size_t len);
/* "HOST:PORT" or "[V6]:PORT" into host and port. Returns 0 or -1 with err. */
int zc_split_hostport(const char *s, char *host, size_t host_len, char *port, size_t port_len, char *err,
		      size_t err_len);
/* The peer's host block: the subject's (zc_host_json) and its hostname. */
json_t *zc_remote_host_json(void);

/* The client's side of a session. */
struct zc_remote {
	int ctl;
	struct sockaddr_storage addr; /* where data connections go: the control's address */
	socklen_t addr_len;
	char name[300]; /* HOST:PORT as given */
	json_t *host;	/* the peer's host block */
	uint32_t run;	/* the run in progress or last run */
	bool broken;	/* the control connection failed: every later run fails */
	const volatile sig_atomic_t *stop;
	struct zc_line rd;
};

/* Connect to the peer at hostport and present token. Returns the session,
 * or NULL with one line in err; *refused is set when the peer answered
 * (a wrong token, another version) rather than being unreachable. */
struct zc_remote *zc_remote_open(const char *hostport, const char *token, const volatile sig_atomic_t *stop,
				 bool *refused, char *err, size_t err_len);
void zc_remote_close(struct zc_remote *rm);
/* Record the session in a result document: "peer" (address, protocol,
 * path), "peer_host" (the peer's host block), host.hostname. */
void zc_remote_describe(const struct zc_remote *rm, json_t *doc);

/* The peer's side (harness/cmd_peer.c): serve clients on listener, a
 * listening TCP socket (in whatever host or network namespace it was made),
 * one at a time, until *stop is set. token: what clients must present;
 * cache_dir: a private directory the caller holds (zc_dir_claim), where the
 * pattern files go. Returns 0, or 1 when it could not start. */
int zc_peer_serve(int listener, const char *token, const char *cache_dir, const volatile sig_atomic_t *stop);

/* One run against the peer (endpoints.c calls these when p->remote is set).
 * Start: send the run, open the data connections (the subject's ends in r),
 * wait until the peer is set up. Returns 0, or -1 with err. */
int zc_remote_start(struct zc_remote *rm, const struct zc_wl_params *p, struct zc_wl_run *r, char *err, size_t err_len);
/* The subject's window opened: the peer may produce. Returns 0 or an errno. */
int zc_remote_go(struct zc_remote *rm);
/* The subject is done: the peer's report. Returns 0, or -1 with err. */
int zc_remote_collect(struct zc_remote *rm, struct zc_sink_report *rep, char *err, size_t err_len);
/* Stop the run on the peer (a failure or an interruption here). */
void zc_remote_abort(struct zc_remote *rm);

#endif
