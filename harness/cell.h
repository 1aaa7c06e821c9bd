/* A cell: one strategy on one workload with one set of parameters, and the
 * runs measured for it. */
#ifndef ZC_CELL_H
#define ZC_CELL_H

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "../probes/probes.h"
#include "../strategies/strategy.h"
#include "../workloads/workload.h"

/* What every cell of one invocation shares. */
struct zc_env {
	const char *cache_dir;
	struct zc_probes *probes;
	int subject_cpu, peer_cpu; /* -1: not pinned */
	const volatile sig_atomic_t *interrupted;
	unsigned long run_timeout_ms; /* a subject still busy after this is killed */
	struct zc_faults faults;      /* test-only fault hooks (workloads/faults.h); all 0 normally */
	struct zc_remote *remote;     /* --peer: the session with the remote peer; NULL: local peers */
	const struct zc_netns *net;   /* --netns, --sink blackhole: the path of socket workloads; NULL: loopback */
};

struct zc_cell_params {
	const struct zc_strategy *strategy;
	const struct zc_workload *workload;
	uint64_t size;	    /* total bytes, over all streams and transfers */
	unsigned streams;   /* concurrent streams the size is split across */
	uint64_t transfers; /* sequential transfers per stream */
	size_t chunk;	    /* 0: the strategy's default */
	size_t pipe_size;
	unsigned qd, iovecs;
	bool populate, madv_sequential;
	enum zc_alloc alloc;
	enum zc_inspect inspect;
	bool dest_fresh;
	bool cache_cold;	    /* evict the source from the page cache before every run */
	enum zc_drain drain;	    /* resolved for the workload */
	unsigned checkpoint_ms;	    /* loops regain control at least this often */
	bool deadlines;		    /* false: the blind variant, no deadlines, no interrupts */
	uint64_t shutdown_after_ns; /* send SIGTERM this long after the window opens; 0: never */
	uint64_t stall_after;	    /* the drain peer stops reading after this many bytes */
	uint64_t kill_after_ns;	    /* a subject not gone this long after SIGTERM is killed */
	size_t victim_bytes;	    /* --victim: the working set walked between chunks; 0: off */
	uint64_t victim_every;	    /* --victim-every: bytes delivered between walks; 0: the chunk */

	/* --send-mode, resolved for the workload (AUTO: not a TCP source). */
	enum zc_send_mode send_mode;
	bool remote; /* --peer: the TCP streams' far ends are on the remote peer */
	/* --ktls: kernel TLS (TLS_TX) on the subject's TCP sinks. */
	bool ktls;
	uint64_t udp_rcvbuf; /* --udp-rcvbuf: UDP sinks' receive buffer */
	bool udp_gro;	     /* --udp-gro: the receiver aggregates datagrams (UDP_GRO) */
	/* Socket workloads: the path (--netns, --sink blackhole) and the veth MTU. */
	enum zc_net_path net_path;
	unsigned mtu;
};

/* What the subject measured over its window, sent back as it is. */
struct zc_window {
	uint64_t elapsed_ns, user_ns, sys_ns;
	long nvcsw, nivcsw, minflt, majflt;
	uint64_t stats[ZC_MAX_STATS]; /* the strategy's own counts (stat_names) */
	/* A stop request (SIGTERM/SIGINT) during the window. */
	uint64_t stop_to_return_ns; /* from the signal to every loop having returned */
	uint64_t moved_at_stop;	    /* bytes delivered when it arrived */
	uint64_t in_flight_at_stop; /* bytes in pipes and socket queues when it arrived */
	uint64_t stranded;	    /* bytes taken in but never delivered (stalled sinks) */
	/* --victim: walk pairs (after `every` bytes delivered, then at once
	 * again), those dropped as interrupted, multiples of `every` that got no
	 * walk of their own, and the medians over the kept pairs. */
	uint64_t victim_walks, victim_kept, victim_excluded, victim_merged, victim_every, victim_lines;
	uint64_t victim_kept_ns; /* the kept walks' summed time (not the baselines') */
	double victim_median_ns, victim_base_median_ns;
	bool victim_by_switches; /* interruptions seen by the eBPF switch count (else: by duration) */
	/* CPU time of the subject's threads over the window, from their
	 * scheduler clocks (CLOCK_THREAD_CPUTIME_ID of each thread), by class. */
	bool have_thread_cpu;
	uint64_t cpu_streams_ns, cpu_workers_ns, cpu_harness_ns;
	uint32_t workers_seen; /* io_uring worker threads that ran in the window */
	/* Placement: the CPU each stream was pinned to, -1: not pinned. */
	int16_t stream_cpu[ZC_MAX_STREAMS];
	int16_t main_cpu;
	/* Zero-copy sends, from their completion reports: bytes the kernel
	 * copied and bytes it only pinned (see zc_transfer_result). */
	uint64_t zc_sent_copied, zc_sent_pinned;
};

struct zc_run {
	bool warmup, verified, outlier;
	unsigned round;		     /* the interleaved round it ran in (0 = the first, warm-ups included) */
	int64_t source_cached_bytes; /* file sources: resident before the window; -1 otherwise */
	bool checksummed;	     /* --inspect checksum: every stream's CRC32C matched */
	uint32_t crc;		     /* stream 0's CRC32C */
	uint64_t bytes;
	bool measured;	    /* the subject reported its window (false when it was killed) */
	struct zc_window w; /* valid when measured */
	bool have_peer_usage;
	uint64_t peer_user_ns, peer_sys_ns;
	bool have_peer_zc; /* the peer sent with MSG_ZEROCOPY: its counts */
	uint64_t peer_zc_sends, peer_zc_completions, peer_zc_copied;
	/* A TLS stream (--inspect encrypt, --ktls): the bytes the sinks received
	 * on the wire, records' framing and tags included (bytes is payload). */
	bool have_wire;
	uint64_t wire_bytes;
	bool ktls_zerocopy_ro; /* --ktls: the kernel accepted TLS_TX_ZEROCOPY_RO */
	/* UDP sinks: datagrams and bytes the subject handed to the kernel and
	 * those the peer received (none counted into the blackhole), and the
	 * receive buffer the kernel granted. */
	bool udp, udp_blackhole;
	uint64_t udp_sent_datagrams, udp_sent_bytes, udp_recv_datagrams, udp_recv_bytes;
	int udp_rcvbuf;
	bool have_udp_drops;
	uint64_t udp_socket_drops;
	json_t *counters; /* from the probes, or NULL */
	/* The shutdown benchmark (--shutdown-after). */
	bool shutdown, finished_before_signal, killed;
	uint64_t signal_to_exit_ns; /* signal to the subject reaped (the harness's clock) */
};

/* ZC_INTERRUPTED is a run's outcome only: once the matrix stops, a cell with
 * measured runs is ZC_OK (the document says interrupted), one without is
 * ZC_NOT_RUN, never "ok" with nothing to show. */
enum zc_status { ZC_OK, ZC_SKIPPED, ZC_FAILED, ZC_INTERRUPTED, ZC_NOT_RUN };

struct zc_cell {
	struct zc_cell_params p;
	size_t chunk; /* the chunk really used */
	char source_path[4096];
	char dest_base[4096]; /* file sinks: "<dir>/dest-<pid>-<cell>", see zc_wl_params */
	enum zc_status status;
	char reason[512];
	char path[64]; /* what ran, as the strategy reported it */
	struct zc_run *runs;
	size_t nruns, cap;
	bool verified_once;
};

/* The workload as rows name it: its name, and off loopback the path
 * ("mem-udp over veth, MTU 1500", "mem-udp into the blackhole"), so runs
 * over different paths are never one row. */
void zc_workload_label(const struct zc_cell_params *p, char *buf, size_t len);

/* Zero-copy sends of the cell's measured runs by their completions (the
 * strategy's "zc_copied" of its "completions" or "notifications"). Returns
 * false when the strategy reports none. */
bool zc_cell_zc_sends(const struct zc_cell *c, uint64_t *completed, uint64_t *copied);

/* The reason a strategy cannot run a workload, or NULL when it can. */
const char *zc_cell_unsupported(const struct zc_strategy *s, const struct zc_workload *w);

/* Measure one run of the cell and append it (or set the cell's status).
 * verify: check every byte this run. Returns 0 when the run was measured. */
int zc_run_once(const struct zc_env *env, struct zc_cell *cell, bool warmup, bool verify);

/* The endpoint parameters of one run of the cell. */
void zc_cell_wl_params(const struct zc_env *env, const struct zc_cell *cell, bool verify, struct zc_wl_params *wp);

/* Remove files the cell created (its destinations). */
void zc_cell_cleanup(struct zc_cell *cell);
void zc_cell_free(struct zc_cell *cell);

#endif
