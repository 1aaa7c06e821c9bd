/* The gate's statistics against exact references: Student's t tail
 * probability against its closed forms (1, 2 and 4 degrees of freedom),
 * Welch's t-test on data whose statistic and degrees of freedom are worked
 * out by hand, and the Benjamini-Hochberg adjustment against values worked
 * out by hand the way R's p.adjust(p, "BH") defines them. */
#include <math.h>
#include <stdio.h>

#include "check.h"
#include "../harness/compare/gate_stats.h"

static void test_student_t(void)
{
	static const double ts[] = {0, 0.5, 1, 2.5, 3.674234614174767, 10, 40};
	for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
		double t = ts[i];
		/* df 1, the Cauchy distribution: P(|T| >= t) = 1 - 2 atan(t) / pi. */
		CHECK_NEAR(zc_student_t_p2(t, 1), 1 - 2 * atan(t) / M_PI, 1e-12);
		CHECK_NEAR(zc_student_t_p2(-t, 1), 1 - 2 * atan(t) / M_PI, 1e-12);
		/* df 2: 1 - t / sqrt(2 + t^2). */
		CHECK_NEAR(zc_student_t_p2(t, 2), 1 - t / sqrt(2 + t * t), 1e-12);
		/* df 4: 1 - (3/4) u (1 - t^2 / (12 (1 + t^2/4))), u = t / sqrt(1 + t^2/4). */
		double u = t / sqrt(1 + t * t / 4);
		CHECK_NEAR(zc_student_t_p2(t, 4), 1 - 0.75 * u * (1 - t * t / (12 * (1 + t * t / 4))), 1e-12);
	}
	/* The familiar table value: t = 2.228 at df 10 is the 5% two-sided point. */
	CHECK_NEAR(zc_student_t_p2(2.228138851986274, 10), 0.05, 1e-9);
	CHECK(zc_student_t_p2(INFINITY, 3) == 0);
	CHECK(zc_student_t_p2(NAN, 3) == 1);
}

static void test_welch(void)
{
	struct zc_welch w;
	/* 1,2,3 against 4,5,6: means 2 and 5, variances 1; se^2 = 2/3,
	 * t = 3 / sqrt(2/3), df = (2/3)^2 / (2 (1/3)^2 / 2) = 4. */
	const double x[] = {1, 2, 3}, y[] = {4, 5, 6};
	CHECK(zc_welch(x, 3, 0, y, 3, 0, &w) == 0);
	CHECK_NEAR(w.t, 3 / sqrt(2.0 / 3), 1e-12);
	CHECK_NEAR(w.df, 4, 1e-12);
	double t2 = 13.5, u = sqrt(t2) / sqrt(1 + t2 / 4);
	CHECK_NEAR(w.p, 1 - 0.75 * u * (1 - t2 / (12 * (1 + t2 / 4))), 1e-12);
	/* One side without variance: df = n - 1 of the other (here 2). */
	const double a[] = {1, 1, 1}, b[] = {2, 3, 4};
	CHECK(zc_welch(a, 3, 0, b, 3, 0, &w) == 0);
	CHECK_NEAR(w.df, 2, 1e-12);
	CHECK_NEAR(w.p, 1 - sqrt(12.0 / 14), 1e-12);
	/* A variance floor (a Poisson count: var >= mean): 11,11,11 against
	 * 13,13,13 with floors 11 and 13: se^2 = 24/3, t = 2 / sqrt(8). */
	const double c[] = {11, 11, 11}, d[] = {13, 13, 13};
	CHECK(zc_welch(c, 3, 11, d, 3, 13, &w) == 0);
	CHECK_NEAR(w.t, 2 / sqrt(8.0), 1e-12);
	CHECK(w.p > 0.5);
	/* No variance and no floor: equal means p 1, different p 0. */
	CHECK(zc_welch(c, 3, 0, c, 3, 0, &w) == 0 && w.p == 1);
	CHECK(zc_welch(c, 3, 0, d, 3, 0, &w) == 0 && w.p == 0);
	/* Too few values, not a number. */
	CHECK(zc_welch(c, 1, 0, d, 3, 0, &w) == -1);
	const double nan[] = {1, NAN};
	CHECK(zc_welch(nan, 2, 0, d, 3, 0, &w) == -1);
}

static void test_bh(void)
{
	/* Sorted 0.005, 0.01, 0.03, 0.04 (m = 4): x4/1 = 0.02, x4/2 = 0.02,
	 * x4/3 = 0.04, x4/4 = 0.04; monotone from the top: unchanged. */
	const double p[] = {0.01, 0.04, 0.03, 0.005};
	double q[4];
	CHECK(zc_bh_adjust(p, 4, q) == 0);
	const double want[] = {0.02, 0.04, 0.04, 0.02};
	for (int i = 0; i < 4; i++)
		CHECK_NEAR(q[i], want[i], 1e-15);
	/* Ties and the running minimum: sorted 0.02, 0.02, 0.2, 0.5, 0.9 (m = 5):
	 * 0.1, 0.05, 1/3, 0.625, 0.9; from the top: 0.9, 0.625, 1/3, 0.05, 0.05. */
	double r[] = {0.5, 0.9, 0.02, 0.02, 0.2};
	CHECK(zc_bh_adjust(r, 5, r) == 0); /* in place */
	const double want2[] = {0.625, 0.9, 0.05, 0.05, 0.2 * 5 / 3};
	for (int i = 0; i < 5; i++)
		CHECK_NEAR(r[i], want2[i], 1e-15);
	/* Capped at 1. */
	double one[] = {0.9, 0.95};
	CHECK(zc_bh_adjust(one, 2, one) == 0);
	CHECK_NEAR(one[0], 0.95, 1e-15);
	CHECK_NEAR(one[1], 0.95, 1e-15);
	CHECK(zc_bh_adjust(NULL, 0, NULL) == 0);
}

int main(void)
{
	test_student_t();
	test_welch();
	test_bh();
	CHECK_DONE();
}
