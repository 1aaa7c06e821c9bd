/* The gate's statistics: Welch's t-test (on logarithms for timings, with a
 * Poisson floor on the variance for counts that depend on timing), the
 * Student t distribution it needs, and the Benjamini-Hochberg adjustment of
 * a family of p-values. */
#ifndef ZC_GATE_STATS_H
#define ZC_GATE_STATS_H

#include <stddef.h>

struct zc_welch {
	double t;  /* (mean(y) - mean(x)) / standard error; 0 when both are equal */
	double df; /* Welch-Satterthwaite degrees of freedom */
	double p;  /* two-sided */
};

/* Welch's unequal-variance t-test of x[0..nx) against y[0..ny) (each at
 * least 2 values). var_floor_x and var_floor_y: the smallest variance each
 * side is taken to have (0 for none). Both sides without variance: p is 1
 * when the means are equal and 0 otherwise. Returns 0, or -1 for too few
 * values or a value that is not finite. */
int zc_welch(const double *x, size_t nx, double var_floor_x, const double *y, size_t ny, double var_floor_y,
	     struct zc_welch *r);

/* The two-sided tail probability P(|T| >= |t|) of Student's t with df > 0
 * degrees of freedom (the regularized incomplete beta function, evaluated by
 * its continued fraction). */
double zc_student_t_p2(double t, double df);

/* Benjamini-Hochberg: the adjusted p-values of p[0..n) into q (may be p):
 * q(i) = min over the ranks j >= rank(i) of min(1, n * p(j) / j), p sorted
 * ascending. Returns 0, or -1 when out of memory. */
int zc_bh_adjust(const double *p, size_t n, double *q);

#endif
