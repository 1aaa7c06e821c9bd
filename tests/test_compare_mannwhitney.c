/* The Mann-Whitney U test against published values and exact enumeration.
 *
 * Where the values come from:
 * - scipy.stats.mannwhitneyu's documentation example (males
 *   [19, 22, 16, 29, 24], females [20, 11, 17, 12]): U1 = 17, exact p =
 *   0.1111111111111111 (14 of the 126 splits are as extreme), asymptotic p
 *   with the continuity correction 0.11134688653314041.
 * - NAG g08amc's example (16 and 23 values, many ties): normal statistic
 *   2.8039 in size, one-tailed approximate probability 0.0025, so two-sided
 *   0.0050 (0.0050488 with the tie and continuity corrections).
 * - ClickHouse's mannWhitneyUTest example ([10, 11, 12] against [1, 2, 3]):
 *   U = 9, one-sided p 0.04042779918503192 with continuity correction, so
 *   two-sided 0.0808555983700...; exactly, 2 of the 20 splits: 0.1.
 * - DolphinDB's mannWhitneyUTest example ([5, 1, 4, 3, 5] against
 *   [2, 4, 7, -1, 0, 4], ties): two-sided p 0.518023 (U2 = 11, U1 = 19).
 * - Exact small cases by enumerating every split of the pooled sample
 *   (Python's itertools.combinations over the 1716 splits of 6 + 7 values):
 *   x = [3.1, 4.7, 2.2, 5.9, 1.4, 6.3], y = [7.7, 2.9, 8.4, 6.8, 5.1, 9.2,
 *   4.4]: U1 = 9, p = 174/1716 = 0.10139860139860139.
 * - Deterministic counts: [100, 100] against [120, 120] ties within each
 *   side, so the normal approximation with the tie correction applies:
 *   sigma^2 = 4/12 * (5 - 12/12) = 4/3, z = (4 - 2 - 0.5)/sqrt(4/3) =
 *   1.2990, p = 0.19393085228241; five against five: z = 2.88, p =
 *   0.0039767517097886.
 */
#include <math.h>

#include "harness/compare/mannwhitney.h"
#include "tests/check.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct zc_mw mw(const double *x, size_t n1, const double *y, size_t n2)
{
	struct zc_mw r = {0};
	CHECK(zc_mann_whitney(x, n1, y, n2, &r) == 0);
	return r;
}

int main(void)
{
	/* scipy's example, exact and asymptotic. */
	static const double males[] = {19, 22, 16, 29, 24}, females[] = {20, 11, 17, 12};
	struct zc_mw r = mw(males, N(males), females, N(females));
	CHECK(r.method == ZC_MW_EXACT);
	CHECK(!r.ties);
	CHECK_NEAR(r.u1, 17, 0);
	CHECK_NEAR(r.u2, 3, 0);
	CHECK_NEAR(r.p, 0.1111111111111111, 1e-15);
	CHECK(zc_mann_whitney_normal(males, N(males), females, N(females), &r) == 0);
	CHECK(r.method == ZC_MW_NORMAL);
	CHECK_NEAR(r.p, 0.11134688653314041, 1e-12);
	/* Swapping the samples swaps U1 and U2 and keeps p. */
	r = mw(females, N(females), males, N(males));
	CHECK_NEAR(r.u1, 3, 0);
	CHECK_NEAR(r.p, 0.1111111111111111, 1e-15);

	/* NAG's example: ties, normal approximation. */
	static const double g1[] = {13, 6, 12, 7, 12, 7, 10, 7, 10, 7, 16, 7, 10, 8, 9, 8};
	static const double g2[] = {17, 6,  10, 8,  15, 8,  15, 10, 15, 10, 14, 10,
				    14, 11, 14, 11, 13, 12, 13, 12, 13, 12, 12};
	r = mw(g1, N(g1), g2, N(g2));
	CHECK(r.method == ZC_MW_NORMAL);
	CHECK(r.ties);
	CHECK_NEAR(r.u1, 86, 0);
	CHECK_NEAR(r.p, 0.0050488458137747, 1e-12);
	CHECK_NEAR(r.p / 2, 0.0025, 0.00005);

	/* ClickHouse's example: exact, and normal. */
	static const double hi[] = {10, 11, 12}, lo[] = {1, 2, 3};
	r = mw(hi, 3, lo, 3);
	CHECK(r.method == ZC_MW_EXACT);
	CHECK_NEAR(r.u1, 9, 0);
	CHECK_NEAR(r.p, 0.1, 1e-15);
	CHECK(zc_mann_whitney_normal(hi, 3, lo, 3, &r) == 0);
	CHECK_NEAR(r.p / 2, 0.04042779918503192, 1e-12);

	/* DolphinDB's example: ties. */
	static const double dx[] = {5, 1, 4, 3, 5}, dy[] = {2, 4, 7, -1, 0, 4};
	r = mw(dx, N(dx), dy, N(dy));
	CHECK(r.method == ZC_MW_NORMAL);
	CHECK_NEAR(r.u1, 19, 0);
	CHECK_NEAR(r.u2, 11, 0);
	CHECK_NEAR(r.p, 0.518023, 1.5e-6); /* printed to 6 places; the exact figure is 0.5180221 */

	/* Enumerated: 6 against 7. */
	static const double ex[] = {3.1, 4.7, 2.2, 5.9, 1.4, 6.3}, ey[] = {7.7, 2.9, 8.4, 6.8, 5.1, 9.2, 4.4};
	r = mw(ex, N(ex), ey, N(ey));
	CHECK(r.method == ZC_MW_EXACT);
	CHECK_NEAR(r.u1, 9, 0);
	CHECK_NEAR(r.p, 174.0 / 1716.0, 1e-15);

	/* The exact test at its largest: 20 against 20, fully separated:
	 * 2 / C(40, 20). */
	double a[20], b[20];
	for (int i = 0; i < 20; i++) {
		a[i] = i;
		b[i] = 100 + i;
	}
	r = mw(a, 20, b, 20);
	CHECK(r.method == ZC_MW_EXACT);
	CHECK_NEAR(r.u1, 0, 0);
	CHECK_NEAR(r.p / 1.4508889103849688e-11, 1, 1e-12);
	/* 21 values: normal. */
	double c[21];
	for (int i = 0; i < 21; i++)
		c[i] = 200 + i;
	r = mw(a, 20, c, 21);
	CHECK(r.method == ZC_MW_NORMAL);

	/* Identical samples: nothing to rank. */
	static const double same[] = {7, 7, 7}, same2[] = {7, 7};
	r = mw(same, 3, same2, 2);
	CHECK(r.method == ZC_MW_ALL_TIED);
	CHECK_NEAR(r.p, 1, 0);

	/* Deterministic counts that differ. */
	static const double d100[] = {100, 100}, d120[] = {120, 120};
	r = mw(d100, 2, d120, 2);
	CHECK(r.method == ZC_MW_NORMAL);
	CHECK_NEAR(r.u1, 0, 0);
	CHECK_NEAR(r.p, 0.1939308522824107, 1e-12);
	static const double one5[] = {1, 1, 1, 1, 1}, two5[] = {2, 2, 2, 2, 2};
	r = mw(one5, 5, two5, 5);
	CHECK_NEAR(r.p, 0.003976751709788652, 1e-12);

	/* The same sample on both sides: the largest p. */
	static const double s4[] = {1, 2, 3, 4};
	r = mw(s4, 4, s4, 4);
	CHECK_NEAR(r.p, 1, 1e-12);

	/* Smallest p-values. */
	CHECK_NEAR(zc_mw_min_p(2, 2), 1.0 / 3.0, 1e-15);
	CHECK_NEAR(zc_mw_min_p(3, 3), 0.1, 1e-15);
	CHECK_NEAR(zc_mw_min_p(5, 5), 2.0 / 252.0, 1e-15);
	CHECK_NEAR(zc_mw_min_p(1, 1), 1, 0);

	/* Bad input. */
	static const double nan1[] = {NAN, 1};
	CHECK(zc_mann_whitney(nan1, 2, s4, 4, &r) == -1);
	CHECK(zc_mann_whitney(s4, 0, s4, 4, &r) == -1);
	CHECK_DONE();
}
