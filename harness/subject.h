/* The subject: the process whose window is measured. */
#ifndef ZC_SUBJECT_H
#define ZC_SUBJECT_H

#include <stdint.h>

#include "cell.h"

/* Sent once the subject is set up (err 0) or could not be (err, what, reason). */
struct zc_ready_msg {
	int err;
	char what[48];
	char reason[256];
};

/* Sent after the window. */
struct zc_result_msg {
	int err;	/* the errno that ended the copy, or 0 */
	char what[48];	/* the call that failed */
	char path[64];	/* the path that ran */
	uint64_t moved; /* bytes the strategy delivered */
	uint64_t elapsed_ns, user_ns, sys_ns;
	long nvcsw, nivcsw, minflt, majflt;
};

/* Runs in the forked child: set up, report ready, wait for the go byte,
 * measure the copy, report, exit. Never returns. */
_Noreturn void zc_subject_main(const struct zc_env *env, const struct zc_cell *cell, const struct zc_sink_cfg *sink_cfg,
			       struct zc_sink_run *sink_run, int from_parent, int to_parent);

#endif
