/* The verdicts (report_verdicts.c): per file and workload in rank order, and
 * the price of control. */
#ifndef ZC_REPORT_VERDICTS_H
#define ZC_REPORT_VERDICTS_H

#include "report_model.h"

/* Indices into r->verdicts of file f's verdicts for workload w, rank 1
 * first. Returns how many (at most max). */
size_t zc_verdicts_of(const struct zc_report *r, size_t f, size_t w, size_t *out, size_t max);

/* The price of control: the best strategy that sees the data against the
 * best blind one on the same path (workload), both from the verdicts. The
 * ratio is the quotient of their ratios to the common baseline; its interval
 * [seeing low / blind high, seeing high / blind low] holds with probability
 * at least the sum of the two coverages minus 1 (Bonferroni), so it is
 * conservative. */
struct zc_price {
	bool ok; /* both kinds have a verdict */
	long seeing, blind;
	double ratio;
	bool has_interval;
	double lo, hi, level;
	char why[128]; /* when !ok */
};
void zc_price_of_control(const struct zc_report *r, size_t f, size_t w, struct zc_price *p);

/* The order every figure and table of workload w shows its strategies in:
 * by the verdicts' rank (in the first file that has one), else fastest
 * median first; lower keys first. */
double zc_strategy_sort_key(const struct zc_report *r, size_t w, const char *label);
/* Workload w's cells in that order (file by file within a strategy; failed
 * and skipped cells last) into out (room for r->ncells). Returns how many.
 * In file order when out of memory. */
size_t zc_cells_in_order(const struct zc_report *r, size_t w, size_t *out);

#endif
