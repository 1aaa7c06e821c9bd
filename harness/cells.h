/* Expanding options into cells: lists of strategies, workloads, sizes, chunk
 * sizes and stream counts become one cell per supported combination. */
#ifndef ZC_CELLS_H
#define ZC_CELLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cell.h"

struct zc_cell_opts {
	const char *strategies; /* comma list of names, or "all" */
	const char *workloads;	/* comma list of names, or "all" */
	const char *sizes;	/* comma list of sizes */
	const char *chunks;	/* comma list of sizes, or NULL for each strategy's default */
	const char *streams;	/* comma list of counts */
	uint64_t transfers;
	bool transfers_set;
	uint64_t pipe_size;
	unsigned qd, iovecs;
	bool populate, madv_sequential;
	enum zc_alloc alloc;
	enum zc_inspect inspect;
	bool dest_fresh, cache_cold;
	enum zc_drain drain;
	enum zc_send_mode send_mode; /* --send-mode: how the peer sends TCP sources */
	bool ktls;		     /* --ktls: kernel TLS on TCP sinks */
	bool price_of_control;	     /* --price-of-control: zc_price_variants instead of the strategies */
	uint64_t checkpoint_ns;
	bool no_deadlines;
	uint64_t shutdown_after_ns, kill_after_ns;
	uint64_t stall_after;  /* UINT64_MAX: the peer never stalls */
	uint64_t victim_bytes; /* 0: no cache-pollution probe */
	uint64_t victim_every; /* bytes delivered between walks; 0: the chunk */
	uint64_t udp_rcvbuf;   /* --udp-rcvbuf */
	bool udp_no_gro;
	bool quick; /* all's quick profile: "all" leaves out full_profile_only workloads */ /* --udp-gro off */
	enum zc_net_path net_path; /* --netns: veth; --sink blackhole */
	unsigned mtu;		   /* --mtu (veth) */
	const char *cache_dir;	   /* pattern files */
	const char *dest_dir;	   /* destination files; NULL: the cache directory */
	bool remote;		   /* --peer: TCP workloads only, their streams to the remote peer */
};

/* --price-of-control: the article's trade on one workload, as five cells
 * (zc_price_print, harness/verdicts.h): a blind copy, the same with the
 * kernel encrypting, and a program that sees the data encrypting, checksumming
 * or redacting it. */
#define ZC_PRICE_VARIANTS 5
struct zc_price_variant {
	const char *label, *strategy;
	enum zc_inspect inspect;
	bool ktls;
};
extern const struct zc_price_variant zc_price_variants[ZC_PRICE_VARIANTS];

/* Build the cells (one per supported combination, in workload-major order
 * so a report reads workload by workload). Dies with exit status 2 on bad
 * input. The caller frees *cells. */
size_t zc_cells_build(const struct zc_cell_opts *o, struct zc_cell **cells);

#endif
