#include "mannwhitney.h"

#include <math.h>
#include <stdlib.h>

struct ranked {
	double v;
	int group; /* 0: x, 1: y */
};

static int cmp_ranked(const void *a, const void *b)
{
	double x = ((const struct ranked *)a)->v, y = ((const struct ranked *)b)->v;
	return (x > y) - (x < y);
}

const char *zc_mw_method_name(enum zc_mw_method m)
{
	switch (m) {
	case ZC_MW_EXACT:
		return "exact";
	case ZC_MW_NORMAL:
		return "normal";
	case ZC_MW_ALL_TIED:
		return "all tied";
	}
	return "?";
}

double zc_mw_min_p(size_t n1, size_t n2)
{
	/* C(n1 + n2, n1), in floating point: exact far beyond the sizes used. */
	double c = 1;
	for (size_t i = 1; i <= n1; i++)
		c = c * (double)(n2 + i) / (double)i;
	double p = 2.0 / c;
	return p > 1 ? 1 : p;
}

/* The number of arrangements with each U, for sizes m and k: the
 * coefficients of the Gaussian binomial [m + k choose m]_q, built as
 * prod_{i=1..m} (1 - q^(k+i)) / (1 - q^i), each step an exact polynomial
 * with non-negative integer coefficients (at most C(40, 20) ~ 1.4e11, exact
 * in a double). Returns the array of m*k+1 counts (caller frees), or NULL. */
static double *u_counts(size_t m, size_t k)
{
	size_t len = m * k + m + 1;
	double *c = calloc(len, sizeof *c);
	if (!c)
		return NULL;
	c[0] = 1;
	for (size_t i = 1; i <= m; i++) {
		size_t shift = k + i, top = (i - 1) * k + shift;
		for (size_t d = top; d >= shift; d--)
			c[d] -= c[d - shift];
		for (size_t d = i; d <= top; d++)
			c[d] += c[d - i];
	}
	return c;
}

static double exact_p(size_t n1, size_t n2, double u1)
{
	size_t m = n1 < n2 ? n1 : n2, k = n1 < n2 ? n2 : n1;
	double *c = u_counts(m, k);
	if (!c)
		return NAN;
	size_t top = m * k, u = (size_t)u1;
	double total = 0, le = 0, ge = 0;
	for (size_t d = 0; d <= top; d++) {
		total += c[d];
		if (d <= u)
			le += c[d];
		if (d >= u)
			ge += c[d];
	}
	free(c);
	double p = 2 * (le < ge ? le : ge) / total;
	return p > 1 ? 1 : p;
}

static int mann_whitney(const double *x, size_t n1, const double *y, size_t n2, bool force_normal, struct zc_mw *r)
{
	if (n1 == 0 || n2 == 0)
		return -1;
	size_t n = n1 + n2;
	struct ranked *a = malloc(n * sizeof *a);
	if (!a)
		return -1;
	for (size_t i = 0; i < n1; i++)
		a[i] = (struct ranked){x[i], 0};
	for (size_t i = 0; i < n2; i++)
		a[n1 + i] = (struct ranked){y[i], 1};
	for (size_t i = 0; i < n; i++)
		if (isnan(a[i].v)) {
			free(a);
			return -1;
		}
	qsort(a, n, sizeof *a, cmp_ranked);

	/* Midranks; R1 is the rank sum of x; tie_sum is sum(t^3 - t) over groups. */
	double r1 = 0, tie_sum = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && a[j + 1].v == a[i].v)
			j++;
		double t = (double)(j - i + 1), mid = (double)(i + j) / 2.0 + 1.0;
		for (size_t k = i; k <= j; k++)
			if (a[k].group == 0)
				r1 += mid;
		tie_sum += t * t * t - t;
		i = j + 1;
	}
	free(a);

	double nn1 = (double)n1, nn2 = (double)n2;
	r->u1 = r1 - nn1 * (nn1 + 1) / 2;
	r->u2 = nn1 * nn2 - r->u1;
	r->ties = tie_sum > 0;
	if (!force_normal && !r->ties && n1 <= ZC_MW_EXACT_MAX && n2 <= ZC_MW_EXACT_MAX) {
		r->method = ZC_MW_EXACT;
		r->p = exact_p(n1, n2, r->u1);
		return isnan(r->p) ? -1 : 0;
	}
	double nt = (double)n;
	double var = nn1 * nn2 / 12.0 * ((nt + 1) - tie_sum / (nt * (nt - 1)));
	if (!(var > 0)) {
		r->method = ZC_MW_ALL_TIED;
		r->p = 1;
		return 0;
	}
	double u = r->u1 > r->u2 ? r->u1 : r->u2;
	double z = (u - nn1 * nn2 / 2 - 0.5) / sqrt(var);
	r->method = ZC_MW_NORMAL;
	r->p = erfc(z / sqrt(2.0));
	if (r->p > 1)
		r->p = 1;
	return 0;
}

int zc_mann_whitney(const double *x, size_t n1, const double *y, size_t n2, struct zc_mw *r)
{
	return mann_whitney(x, n1, y, n2, false, r);
}

int zc_mann_whitney_normal(const double *x, size_t n1, const double *y, size_t n2, struct zc_mw *r)
{
	return mann_whitney(x, n1, y, n2, true, r);
}
