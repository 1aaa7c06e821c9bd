/* Summary statistics over a cell's repetitions. */
#ifndef ZC_STATS_H
#define ZC_STATS_H

#include <stdbool.h>
#include <stddef.h>

struct zc_summary {
	size_t n;
	double median, mean, stddev, min, max;
	/* A distribution-free confidence interval for the median from order
	 * statistics: [x(j), x(k)] with the binomial coverage `ci_level`, the
	 * smallest such interval with coverage >= 95%. With fewer than 6 samples
	 * no interval reaches 95%; the widest one, [min, max], is given with its
	 * real (lower) coverage. */
	double ci_low, ci_high, ci_level;
};

/* Summarize n samples (n >= 1). */
void zc_summarize(const double *x, size_t n, struct zc_summary *s);

/* The sign-exact (order statistic) interval for the median of n samples:
 * the sorted samples' 0-based ranks [*j, n-1-*j], whose coverage is
 * 1 - 2 P(B <= *j) with B ~ Binomial(n, 1/2). *j is the largest rank keeping
 * coverage >= min_level; when none does, *j = 0 ([min, max]). Returns the
 * real coverage (0 for n <= 1). */
double zc_median_ci_rank(size_t n, double min_level, size_t *j);

/* Median of n samples (n >= 1); x is not modified. */
double zc_median(const double *x, size_t n);

/* Flags outliers by the modified z-score (Iglewicz and Hoaglin): 0.6745 *
 * |x - median| / MAD > 3.5. Sets outlier[i]; returns how many. With MAD 0 no
 * sample is flagged. */
size_t zc_outliers(const double *x, size_t n, bool *outlier);

#define ZC_OUTLIER_Z 3.5

#endif
