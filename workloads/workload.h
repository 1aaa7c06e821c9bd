/* Workloads: a source kind and a sink kind, and the code that sets up the sink
 * side (a peer process, a destination file) and verifies what arrived. */
#ifndef ZC_WORKLOAD_H
#define ZC_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* How a drain peer consumes a stream it is not verifying. */
enum zc_drain {
	ZC_DRAIN_TRUNC,	 /* recv(MSG_TRUNC): TCP discards the data without copying it */
	ZC_DRAIN_READ,	 /* read() into a buffer */
	ZC_DRAIN_SPLICE, /* splice() to a pipe, then to /dev/null */
};
extern const char *const zc_drain_names[];

struct zc_sink_cfg {
	uint64_t expected;     /* bytes the sink should receive */
	uint64_t period;       /* the stream repeats the pattern every `period` bytes */
	bool verify;	       /* check every byte this run */
	bool dest_fresh;       /* file sinks: a new file each run instead of overwriting */
	const char *dest_path; /* file sinks: where the destination lives */
	int peer_cpu;	       /* CPU to pin a peer to, or -1 */
	enum zc_drain drain;
};

/* One run's sink side. */
struct zc_sink_run {
	int listen_fd;
	int report_fd; /* peer -> parent */
	pid_t peer;
	unsigned short port;
};

struct zc_sink_report {
	uint64_t received;
	int64_t mismatch_at; /* offset of the first wrong byte, or -1 */
	int err;	     /* errno that stopped the peer, 0 if none */
	char what[48];	     /* the call that failed */
	bool have_peer_usage;
	uint64_t peer_user_ns, peer_sys_ns;
};

struct zc_sink_ops {
	/* Parent, before the subject is forked. */
	int (*start)(const struct zc_sink_cfg *c, struct zc_sink_run *r, char *err, size_t err_len);
	/* Subject, before its window: the descriptor the strategy writes to. */
	int (*open)(const struct zc_sink_cfg *c, struct zc_sink_run *r, int *fd, char *err, size_t err_len);
	/* Parent, after the subject exited: what arrived. */
	int (*finish)(const struct zc_sink_cfg *c, struct zc_sink_run *r, struct zc_sink_report *rep, char *err,
		      size_t err_len);
	/* Parent, on failure or interruption: stop everything start() began. */
	void (*abort)(struct zc_sink_run *r);
};

struct zc_workload {
	const char *name;
	const char *description;
	unsigned source; /* zc_endpoint bit */
	unsigned sink;	 /* zc_endpoint bit */
	const struct zc_sink_ops *sink_ops;
};

extern const struct zc_workload *const zc_workloads[];
extern const size_t zc_workload_count;
const struct zc_workload *zc_workload_find(const char *name);

extern const struct zc_sink_ops zc_sink_tcp;
extern const struct zc_sink_ops zc_sink_file;

/* Pin the calling process to one CPU (no-op for cpu < 0). Returns 0 or an errno. */
int zc_pin_cpu(int cpu);

#endif
