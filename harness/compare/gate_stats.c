/* The gate's statistics (see gate_stats.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gate_stats.h"

/* The continued fraction of the regularized incomplete beta function
 * (modified Lentz's method); converges quickly for x < (a + 1) / (a + b + 2). */
static double not_tiny(double v)
{
	return fabs(v) < 1e-300 ? 1e-300 : v;
}

/* One step of Lentz's method with numerator num: returns the factor. */
static double lentz_step(double num, double *c, double *d)
{
	*d = 1 / not_tiny(1 + num * *d);
	*c = not_tiny(1 + num / *c);
	return *d * *c;
}

static double beta_cf(double a, double b, double x)
{
	double c = 1, d = 1 / not_tiny(1 - (a + b) * x / (a + 1));
	double h = d;
	for (int m = 1; m <= 1000; m++) {
		double m2 = 2.0 * m;
		h *= lentz_step(m * (b - m) * x / ((a + m2 - 1) * (a + m2)), &c, &d);
		double del = lentz_step(-(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1)), &c, &d);
		h *= del;
		if (fabs(del - 1) < 1e-15)
			break;
	}
	return h;
}

/* I_x(a, b). */
static double inc_beta(double a, double b, double x)
{
	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
	if (x < (a + 1) / (a + b + 2))
		return exp(lbt) * beta_cf(a, b, x) / a;
	return 1 - exp(lbt) * beta_cf(b, a, 1 - x) / b;
}

double zc_student_t_p2(double t, double df)
{
	if (isnan(t) || !(df > 0))
		return 1;
	if (isinf(t))
		return 0;
	double p = inc_beta(df / 2, 0.5, df / (df + t * t));
	return p < 0 ? 0 : p > 1 ? 1 : p;
}

static void mean_var(const double *v, size_t n, double *mean, double *var)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += v[i];
	*mean = s / (double)n;
	double ss = 0;
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - *mean) * (v[i] - *mean);
	*var = ss / (double)(n - 1);
}

int zc_welch(const double *x, size_t nx, double var_floor_x, const double *y, size_t ny, double var_floor_y,
	     struct zc_welch *r)
{
	if (nx < 2 || ny < 2)
		return -1;
	for (size_t i = 0; i < nx; i++)
		if (!isfinite(x[i]))
			return -1;
	for (size_t i = 0; i < ny; i++)
		if (!isfinite(y[i]))
			return -1;
	double mx, vx, my, vy;
	mean_var(x, nx, &mx, &vx);
	mean_var(y, ny, &my, &vy);
	if (vx < var_floor_x)
		vx = var_floor_x;
	if (vy < var_floor_y)
		vy = var_floor_y;
	double ex = vx / (double)nx, ey = vy / (double)ny, se2 = ex + ey;
	if (!(se2 > 0)) {
		r->t = my == mx ? 0 : my > mx ? INFINITY : -INFINITY;
		r->df = (double)(nx + ny - 2);
		r->p = my == mx ? 1 : 0;
		return 0;
	}
	r->t = (my - mx) / sqrt(se2);
	r->df = se2 * se2 / (ex * ex / (double)(nx - 1) + ey * ey / (double)(ny - 1));
	r->p = zc_student_t_p2(r->t, r->df);
	return 0;
}

struct ranked {
	double p;
	size_t i;
};

static int by_p(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->p != y->p)
		return x->p < y->p ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

int zc_bh_adjust(const double *p, size_t n, double *q)
{
	if (n == 0)
		return 0;
	struct ranked *r = malloc(n * sizeof *r);
	if (!r)
		return -1;
	for (size_t i = 0; i < n; i++)
		r[i] = (struct ranked){p[i], i};
	qsort(r, n, sizeof *r, by_p);
	double running = 1;
	for (size_t k = n; k-- > 0;) {
		double v = r[k].p * (double)n / (double)(k + 1);
		if (v < running)
			running = v;
		q[r[k].i] = running;
	}
	free(r);
	return 0;
}
