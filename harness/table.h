/* The terminal table after run and all: at most 100 columns, grouped by
 * workload (and by everything else that is not the strategy), each group
 * sorted by its verdicts, one CPU figure with its source named, GB/s = 10^9
 * bytes per second, and a last line that counts the cells and the time. */
#ifndef ZC_TABLE_H
#define ZC_TABLE_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "cell.h"
#include "verdicts.h"

#define ZC_TABLE_WIDTH 100

/* cell_warnings[i]: cell i's warnings array (may be NULL). */
void zc_print_summary(FILE *out, const struct zc_cell *cells, size_t ncells, const struct zc_verdicts *vs,
		      json_t *const *cell_warnings, const json_t *warnings, uint64_t total_ns);

#endif
