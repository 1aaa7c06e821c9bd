/* Workloads: a source kind and one or two sinks of one kind, and the code that
 * builds their endpoints for a run: descriptor pairs made by the parent (one
 * end for the subject, one for the peer), a peer process that produces and
 * drains, destination files, and the checks of what arrived. */
#ifndef ZC_WORKLOAD_H
#define ZC_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "faults.h"
#include "netns.h"

#define ZC_MAX_STREAMS 64

struct zc_remote; /* a peer on another host: remote.h */

/* How a drain peer consumes a stream it is not verifying. */
enum zc_drain {
	ZC_DRAIN_AUTO,	 /* trunc for TCP, splice for unix sockets and pipes */
	ZC_DRAIN_TRUNC,	 /* recv(MSG_TRUNC): TCP discards the data without copying it */
	ZC_DRAIN_READ,	 /* read() into a buffer */
	ZC_DRAIN_SPLICE, /* splice() to a pipe, then to /dev/null */
};
extern const char *const zc_drain_names[]; /* indexed by enum zc_drain */

/* How the peer sends a TCP source stream (--send-mode): it decides what a
 * receiver can map with TCP_ZEROCOPY_RECEIVE. */
enum zc_send_mode {
	ZC_SEND_AUTO,	  /* send for the receive workloads, sendfile elsewhere */
	ZC_SEND_SEND,	  /* send() from a pre-faulted anonymous buffer */
	ZC_SEND_SENDFILE, /* sendfile() from the pattern file */
	ZC_SEND_ZEROCOPY, /* send(MSG_ZEROCOPY) from the anonymous buffer */
};
extern const char *const zc_send_mode_names[]; /* indexed by enum zc_send_mode */

struct zc_workload {
	const char *name;
	const char *description;
	unsigned source; /* zc_endpoint bit */
	unsigned sink;	 /* zc_endpoint bit */
	unsigned nsinks; /* 1, or 2 for workloads that duplicate a stream */
	/* Not in all's quick profile (its 3 minutes): UDP, one datagram per
	 * sendto, takes seconds per run. */
	bool full_profile_only;
};

extern const struct zc_workload *const zc_workloads[];
extern const size_t zc_workload_count;
const struct zc_workload *zc_workload_find(const char *name);

/* Everything the endpoints of one run depend on. */
struct zc_wl_params {
	const struct zc_workload *w;
	unsigned streams;	 /* concurrent streams */
	uint64_t transfers;	 /* sequential transfers per stream */
	uint64_t segment;	 /* bytes per transfer: the pattern file's size */
	bool verify;		 /* check every byte this run */
	bool redact;		 /* the stream arrives with digits masked (--inspect redact) */
	bool dest_fresh;	 /* file sinks: a new file each run */
	const char *source_path; /* the pattern file */
	const char *dest_base;	 /* file sinks: stream k, sink j is "<dest_base>-<k>-<j>" */
	int peer_cpu;
	enum zc_drain drain;	 /* resolved: never AUTO */
	unsigned checkpoint_ms;	 /* socket deadlines on the subject's ends */
	bool deadlines;		 /* false: no SO_SNDTIMEO/SO_RCVTIMEO (the blind variant) */
	uint64_t stall_after;	 /* the drain peer stops reading after this many bytes per sink stream */
	struct zc_faults faults; /* test-only fault hooks; all 0 normally */

	/* TCP sources: how the peer sends, resolved (AUTO for other sources). */
	enum zc_send_mode send_mode;
	/* A shutdown run: a file sink then holds a verified prefix. */
	bool stop_expected;
	/* --peer: the far ends of TCP streams are on the peer this session
	 * talks to (remote.h); NULL: a local peer process. */
	struct zc_remote *remote;
	/* The sink streams carry TLS records (--inspect encrypt, --ktls): the
	 * peer reads every byte, counts payload from the records' framing and,
	 * verifying, decrypts and checks every record (workloads/tls_record.h). */
	bool tls;
	/* The network path of socket workloads (--netns, --sink blackhole);
	 * NULL: loopback. */
	const struct zc_netns *net;
	uint64_t udp_rcvbuf; /* UDP sinks: the receive buffer asked for */
	bool udp_gro;	     /* UDP sinks: the receiver turns UDP_GRO on */
};

/* One run's endpoints. Descriptors are -1 where unused. */
struct zc_wl_run {
	int subj_src[ZC_MAX_STREAMS];	 /* the subject's source end (stream sources) */
	int subj_dst[ZC_MAX_STREAMS][2]; /* the subject's sink ends (stream sinks) */
	int peer_src[ZC_MAX_STREAMS];	 /* the peer's producing end */
	int peer_dst[ZC_MAX_STREAMS][2]; /* the peer's draining ends */
	pid_t peer;
	int peer_report;	  /* peer -> parent */
	int peer_go;		  /* parent -> peer: start producing */
	struct zc_remote *remote; /* set while a run on a remote peer is open */
	int peer_close[2];	  /* descriptors the forked peer closes first (the peer server's), -1 */
	int peer_done;		  /* parent -> peer (UDP sinks): closed once the subject is done */
	int udp_rcvbuf;		  /* UDP sinks: the receive buffer the kernel granted */
};

/* What arrived, over all streams and sinks. */
struct zc_sink_report {
	uint64_t received;   /* bytes over all sinks */
	int64_t mismatch_at; /* offset in its stream of the first wrong byte, or -1 */
	int mismatch_stream, mismatch_sink;
	int err; /* errno that stopped the peer, 0 if none */
	char what[48];
	bool have_peer_usage;
	uint64_t peer_user_ns, peer_sys_ns;
	/* --send-mode zerocopy: the peer's sends and what their completions said. */
	bool have_peer_zc;
	uint64_t peer_zc_sends, peer_zc_completions, peer_zc_copied;
	/* TLS streams: received counts payload; wire what arrived, framing and
	 * tags included. tls_error: why the first bad record was refused
	 * (mismatch_at is then where its payload starts). */
	uint64_t wire;
	char tls_error[96];
	/* UDP sinks: datagrams that arrived (bytes: received), and the receive
	 * buffer granted; no peer at all into the blackhole. */
	uint64_t udp_datagrams;
	int udp_rcvbuf;
	bool udp_blackhole;
	bool have_udp_drops;
	uint64_t udp_socket_drops; /* what the receiving sockets say they dropped */
};

/* The drain a workload really uses for `asked`; NULL, or the reason it is
 * not possible (e.g. MSG_TRUNC on a pipe). */
const char *zc_drain_resolve(const struct zc_workload *w, enum zc_drain asked, enum zc_drain *out);
/* The send mode a workload really uses for `asked` (AUTO where the source is
 * not TCP: nothing sends it). */
enum zc_send_mode zc_send_mode_resolve(const struct zc_workload *w, enum zc_send_mode asked);

/* Every descriptor -1, no peer: a run with no endpoint yet. */
void zc_wl_run_init(struct zc_wl_run *r);
/* Parent, before the subject is forked: make the descriptor pairs, prepare
 * destination files, start the peer. Returns 0, or -1 with err. */
int zc_wl_start(const struct zc_wl_params *p, struct zc_wl_run *r, char *err, size_t err_len);
/* Subject, right after fork: close the peer's ends. */
void zc_wl_subject_side(struct zc_wl_run *r);
/* Subject: open destination file k/j (file sinks). Returns the fd or -1. */
int zc_wl_open_dest(const struct zc_wl_params *p, unsigned stream, unsigned sink, char *err, size_t err_len);
/* Parent, once the subject is forked: close every end the parent holds. */
void zc_wl_parent_side(struct zc_wl_run *r);
/* Parent, right after the subject was told to start: start the producer. */
int zc_wl_go(struct zc_wl_run *r);
/* Parent, after the subject exited: collect the peer, verify files. */
int zc_wl_finish(const struct zc_wl_params *p, struct zc_wl_run *r, struct zc_sink_report *rep, char *err,
		 size_t err_len);
/* Parent, on failure or interruption: kill the peer, close everything. */
void zc_wl_abort(struct zc_wl_run *r);
/* Remove the destination files of a cell. */
void zc_wl_remove_dests(const char *dest_base, unsigned streams, unsigned nsinks);

/* Pin the calling process to one CPU (no-op for cpu < 0). Returns 0 or an errno. */
int zc_pin_cpu(int cpu);

#endif
