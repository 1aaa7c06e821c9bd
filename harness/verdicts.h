/* Paired verdicts: within a group of cells that differ only in the strategy
 * (one workload, one size, one chunk ...), each strategy's throughput in a
 * round divided by the baseline strategy's throughput in the same round, so
 * drift between rounds cancels; the median of those ratios with its
 * sign-exact interval; "faster", "slower" or "undecided". Keys:
 * results/SCHEMA.md ("verdicts"). */
#ifndef ZC_VERDICTS_H
#define ZC_VERDICTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cell.h"

/* The coverage a verdict needs: an interval that cannot reach it decides
 * nothing. */
#define ZC_VERDICT_LEVEL	    0.95
#define ZC_VERDICT_DEFAULT_BASELINE "readwrite"

struct zc_verdict {
	size_t cell, baseline; /* indexes into the cells */
	size_t group;	       /* cells with the same group differ only in the strategy */
	double ratio;	       /* median of the per-round ratios cell / baseline */
	double ci_low, ci_high, ci_level;
	size_t rounds; /* paired rounds */
	bool decided, faster;
	unsigned rank;	     /* 1 = fastest within the group */
	char unequal[96];    /* what differs from the baseline cell besides the strategy ("" if nothing) */
	bool baseline_asked; /* the baseline is the one asked for (else a fallback) */
};

struct zc_verdicts {
	struct zc_verdict *v; /* grouped, each group ranked */
	size_t n, ngroups;
};

/* Whether two cells differ in nothing but the strategy (the chunk asked for
 * included; the chunk a strategy picks by default is not). */
bool zc_same_group(const struct zc_cell_params *a, const struct zc_cell_params *b);

/* The paired ratio's median and interval from n per-round ratios (n >= 1).
 * Exposed for the tests. */
void zc_paired_interval(const double *ratios, size_t n, struct zc_verdict *v);

/* The ratios of c's runs to b's runs from the same rounds (out: room for
 * c->nruns). Returns how many. */
size_t zc_paired_ratios(const struct zc_cell *c, const struct zc_cell *b, double *out);

/* --price-of-control (harness/cells.h): per workload, the five variants'
 * medians and each one's paired ratio to the blind copy. New reference: an
 * array, empty when no cell is a variant. */
json_t *zc_price_json(const struct zc_cell *cells, size_t ncells);
/* The same as a small table per workload. */
void zc_price_print(FILE *out, const json_t *price);

/* Verdicts for every cell with measured runs (status ok), baseline `asked`
 * (NULL: readwrite) where it runs in a group, else the group's first strategy
 * that sees the data, else its first. */
void zc_verdicts_compute(const struct zc_cell *cells, size_t ncells, const char *asked, struct zc_verdicts *out);
void zc_verdicts_free(struct zc_verdicts *vs);

/* Whether every verdict except the baselines' own is decided. */
bool zc_verdicts_all_decided(const struct zc_verdicts *vs);

/* The top-level "verdicts" array. New reference. */
json_t *zc_verdicts_json(const struct zc_cell *cells, const struct zc_verdicts *vs);

/* The answer first: per group, the ranked list in hyperfine's style. */
void zc_verdicts_print(FILE *out, const struct zc_cell *cells, const struct zc_verdicts *vs);

/* With a sweep of chunks (the full profile): per workload, each strategy at
 * its best chunk against the baseline at its own, paired by round. Prints
 * nothing without a sweep. */
void zc_best_chunks_print(FILE *out, const struct zc_cell *cells, size_t ncells, const char *asked);

/* One verdict as words: "ran 1.58x [1.41, 1.77] faster than readwrite",
 * "ran 1.22x [1.05, 1.41] slower than ...", "undecided against ...". */
void zc_verdict_words(const struct zc_cell *cells, const struct zc_verdict *v, char *buf, size_t len);

#endif
