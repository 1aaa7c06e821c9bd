/* The subject: the process whose window is measured. */
#ifndef ZC_SUBJECT_H
#define ZC_SUBJECT_H

#include <stdint.h>

#include "cell.h"

/* Sent once the subject is set up (err 0) or could not be (err, reason). */
struct zc_ready_msg {
	int err;
	char reason[256];
};

/* Sent after the window. */
struct zc_result_msg {
	int err;	    /* the errno that ended a stream, or 0 */
	char what[48];	    /* the call that failed */
	char path[96];	    /* the path that ran */
	bool stopped;	    /* a stop request ended the copy early */
	uint64_t moved;	    /* bytes delivered, per sink, over all streams */
	struct zc_window w; /* the window's figures, as the run keeps them */
	bool checksummed;   /* --inspect checksum ran and every stream's CRC matched */
	uint32_t crc;	    /* stream 0's CRC32C */
	char checksum_error[96];
	bool stop_requested; /* SIGTERM/SIGINT during the window */
	/* Memory sinks: the first wrong byte a verifying consumer saw, and what
	 * the kernel says was consumed (the witness for "received"). */
	bool mismatch;
	uint64_t mismatch_at;
	unsigned mismatch_stream;
	bool have_consumed;
	uint64_t consumed;
	bool ktls_zerocopy_ro; /* --ktls: TLS_TX_ZEROCOPY_RO accepted on every sink */
};

/* Runs in the forked child: set up, report ready, wait for the go byte,
 * measure the copy, report, exit. Never returns. */
_Noreturn void zc_subject_main(const struct zc_env *env, const struct zc_cell *cell, const struct zc_wl_params *wp,
			       struct zc_wl_run *wr, int from_parent, int to_parent);

#endif
