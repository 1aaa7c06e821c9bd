/* Running a set of cells with interleaved repetitions. */
#ifndef ZC_MATRIX_H
#define ZC_MATRIX_H

#include <stdbool.h>
#include <stdio.h>

#include "cell.h"

enum zc_verify { ZC_VERIFY_FIRST, ZC_VERIFY_ALL };

struct zc_plan {
	unsigned reps, warmup;
	enum zc_verify verify;
};

/* Runs round r of every cell before round r+1 of any (A B C A B C ...), so
 * drift over time hits every strategy alike. Warm-up rounds come first.
 * Returns 0, or -1 when interrupted (cells keep what they measured). */
int zc_matrix_run(const struct zc_env *env, struct zc_cell *cells, size_t ncells, const struct zc_plan *plan);

/* The human summary: one aligned row per cell. */
void zc_print_table(FILE *out, const struct zc_cell *cells, size_t ncells);

/* The shutdown benchmark's figures, one row per cell that ran it (nothing
 * when none did). */
void zc_print_shutdown_table(FILE *out, const struct zc_cell *cells, size_t ncells);

#endif
