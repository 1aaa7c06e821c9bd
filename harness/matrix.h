/* Running a set of cells with interleaved repetitions. */
#ifndef ZC_MATRIX_H
#define ZC_MATRIX_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cell.h"

enum zc_verify { ZC_VERIFY_FIRST, ZC_VERIFY_ALL };

struct zc_plan {
	unsigned warmup;
	/* Adaptive repetitions: at least min_runs measured rounds, then more
	 * until every verdict against the baseline is decided, max_runs rounds
	 * are done, or the next round would end past max_time_ns (0: no limit)
	 * after the first round began. */
	unsigned min_runs, max_runs;
	uint64_t max_time_ns;
	uint64_t time_ns;     /* --time: size runs from the warm-up to last this long; 0: off */
	const char *baseline; /* NULL: readwrite */
	enum zc_verify verify;
};

struct zc_plan_result {
	unsigned rounds;	     /* measured rounds run */
	const char *stopped_because; /* "decided", "max_runs", "max_time" or "interrupted" */
};

/* Runs round r of every cell before round r+1 of any (A B C A B C ...), so
 * drift over time hits every strategy alike. Warm-up rounds come first.
 * Returns 0, or -1 when interrupted (cells keep what they measured). */
int zc_matrix_run(const struct zc_env *env, struct zc_cell *cells, size_t ncells, const struct zc_plan *plan,
		  struct zc_plan_result *res);

/* The shutdown benchmark's figures, one row per cell that ran it (nothing
 * when none did). */
void zc_print_shutdown_table(FILE *out, const struct zc_cell *cells, size_t ncells);

#endif
