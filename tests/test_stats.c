#include "harness/stats.h"
#include "check.h"

int main(void)
{
	struct zc_summary s;
	double five[] = {5, 1, 4, 2, 3};
	zc_summarize(five, 5, &s);
	CHECK_NEAR(s.median, 3, 0);
	CHECK_NEAR(s.mean, 3, 0);
	CHECK_NEAR(s.min, 1, 0);
	CHECK_NEAR(s.max, 5, 0);
	CHECK_NEAR(s.stddev, 1.5811388300841898, 1e-15); /* sqrt(2.5) */
	/* n=5: no interval reaches 95%; [min,max] covers 1 - 2/32. */
	CHECK_NEAR(s.ci_low, 1, 0);
	CHECK_NEAR(s.ci_high, 5, 0);
	CHECK_NEAR(s.ci_level, 0.9375, 1e-15);

	double even[] = {4, 1, 3, 2};
	zc_summarize(even, 4, &s);
	CHECK_NEAR(s.median, 2.5, 0);

	/* n=10: [x(2), x(9)] covers 1 - 2*P(B<=1) = 1 - 2*11/1024 = 0.978515625;
	 * [x(3), x(8)] would cover 1 - 2*56/1024 = 0.890625 < 0.95. */
	double ten[] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
	zc_summarize(ten, 10, &s);
	CHECK_NEAR(s.ci_low, 2, 0);
	CHECK_NEAR(s.ci_high, 9, 0);
	CHECK_NEAR(s.ci_level, 0.978515625, 1e-15);
	CHECK_NEAR(s.median, 5.5, 0);

	double one[] = {7};
	zc_summarize(one, 1, &s);
	CHECK_NEAR(s.median, 7, 0);
	CHECK_NEAR(s.stddev, 0, 0);
	CHECK_NEAR(s.ci_level, 0, 0);

	/* Modified z-score: median 10, MAD 1; 0.6745*|30-10|/1 = 13.49 > 3.5. */
	double x[] = {10, 11, 9, 10, 30, 10, 11, 9};
	bool out[8];
	CHECK_EQ_U64(zc_outliers(x, 8, out), 1);
	CHECK(out[4]);
	CHECK(!out[0] && !out[1] && !out[2]);
	/* 15: 0.6745*5/1 = 3.37, not an outlier. */
	double y[] = {10, 11, 9, 10, 15, 10, 11, 9};
	CHECK_EQ_U64(zc_outliers(y, 8, out), 0);
	/* All equal: MAD 0, nothing flagged. */
	double z[] = {3, 3, 3};
	CHECK_EQ_U64(zc_outliers(z, 3, out), 0);
	CHECK_DONE();
}
