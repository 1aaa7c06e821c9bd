#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double *sorted_copy(const double *x, size_t n)
{
	double *s = malloc(n * sizeof *s);
	if (!s)
		abort(); /* a few doubles per cell: running out here means the machine is gone */
	memcpy(s, x, n * sizeof *s);
	qsort(s, n, sizeof *s, cmp_double);
	return s;
}

static double median_sorted(const double *s, size_t n)
{
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
}

double zc_median(const double *x, size_t n)
{
	double *s = sorted_copy(x, n);
	double m = median_sorted(s, n);
	free(s);
	return m;
}

/* P(B <= k) for B ~ Binomial(n, 1/2). */
static double binom_cdf_half(size_t n, size_t k)
{
	double sum = 0, term = ldexp(1.0, -(int)n); /* C(n,0) / 2^n */
	for (size_t i = 0; i <= k && i <= n; i++) {
		sum += term;
		term = term * (double)(n - i) / (double)(i + 1);
	}
	return sum;
}

double zc_median_ci_rank(size_t n, double min_level, size_t *j_out)
{
	/* [x(j+1), x(n-j)] (1-based) covers the median with probability
	 * 1 - 2 P(B <= j). Take the largest j that keeps coverage >= min_level. */
	size_t j = 0;
	double level = n ? 1.0 - 2.0 * binom_cdf_half(n, 0) : 0;
	while (j + 1 < n / 2) {
		double next = 1.0 - 2.0 * binom_cdf_half(n, j + 1);
		if (next < min_level)
			break;
		j++;
		level = next;
	}
	if (n <= 1)
		level = 0;
	*j_out = j;
	return level;
}

void zc_summarize(const double *x, size_t n, struct zc_summary *s)
{
	memset(s, 0, sizeof *s);
	s->n = n;
	if (n == 0)
		return;
	double *v = sorted_copy(x, n);
	s->min = v[0];
	s->max = v[n - 1];
	s->median = median_sorted(v, n);
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	s->mean = sum / (double)n;
	double ss = 0;
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - s->mean) * (v[i] - s->mean);
	s->stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;

	size_t j;
	s->ci_level = zc_median_ci_rank(n, 0.95, &j);
	s->ci_low = v[j];
	s->ci_high = v[n - 1 - j];
	free(v);
}

size_t zc_outliers(const double *x, size_t n, bool *outlier)
{
	if (n == 0)
		return 0;
	double med = zc_median(x, n);
	double *dev = malloc(n * sizeof *dev);
	if (!dev)
		abort();
	for (size_t i = 0; i < n; i++)
		dev[i] = fabs(x[i] - med);
	double mad = zc_median(dev, n);
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		outlier[i] = mad > 0 && 0.6745 * dev[i] / mad > ZC_OUTLIER_Z;
		count += outlier[i];
	}
	free(dev);
	return count;
}
