/* The two-sided Mann-Whitney U test (Wilcoxon rank-sum) over two samples. */
#ifndef ZC_MANNWHITNEY_H
#define ZC_MANNWHITNEY_H

#include <stdbool.h>
#include <stddef.h>

enum zc_mw_method {
	/* The exact null distribution of U: no ties, both samples of at most
	 * ZC_MW_EXACT_MAX values. */
	ZC_MW_EXACT,
	/* The normal approximation with the tie correction of the variance and a
	 * continuity correction of 1/2 (as scipy.stats.mannwhitneyu's
	 * "asymptotic" method). */
	ZC_MW_NORMAL,
	/* Every value in both samples is the same: nothing to rank, p = 1. */
	ZC_MW_ALL_TIED,
};

#define ZC_MW_EXACT_MAX 20

struct zc_mw {
	double u1; /* U of the first sample: pairs (x, y) with x > y, ties count 1/2 */
	double u2; /* n1 * n2 - u1 */
	double p;  /* two-sided p-value */
	bool ties; /* some value occurs more than once (over both samples) */
	enum zc_mw_method method;
};

/* Test x[0..n1) against y[0..n2) (n1, n2 >= 1). Returns 0, or -1 when a
 * sample is empty or holds a NaN. */
int zc_mann_whitney(const double *x, size_t n1, const double *y, size_t n2, struct zc_mw *r);

/* The same with the normal approximation whatever the sizes and ties (for
 * tests against published values). */
int zc_mann_whitney_normal(const double *x, size_t n1, const double *y, size_t n2, struct zc_mw *r);

/* The smallest two-sided p-value the exact test can give for sample sizes
 * n1 and n2: 2 / C(n1 + n2, n1), at most 1. With 2 and 2 runs it is 1/3,
 * with 3 and 3 0.1, with 4 and 4 0.029, with 5 and 5 0.0079. */
double zc_mw_min_p(size_t n1, size_t n2);

const char *zc_mw_method_name(enum zc_mw_method m);

#endif
