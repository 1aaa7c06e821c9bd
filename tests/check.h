/* A minimal assertion kit for ctest: each failed check prints where and
 * what, and main returns the failure count. */
#ifndef ZC_CHECK_H
#define ZC_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond)                                                                                                    \
	do {                                                                                                           \
		if (!(cond)) {                                                                                         \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                       \
			check_failures++;                                                                              \
		}                                                                                                      \
	} while (0)

#define CHECK_EQ_U64(a, b)                                                                                             \
	do {                                                                                                           \
		unsigned long long a_ = (a), b_ = (b);                                                                 \
		if (a_ != b_) {                                                                                        \
			fprintf(stderr, "%s:%d: %s == %llu, expected %llu\n", __FILE__, __LINE__, #a, a_, b_);         \
			check_failures++;                                                                              \
		}                                                                                                      \
	} while (0)

#define CHECK_NEAR(a, b, eps)                                                                                          \
	do {                                                                                                           \
		double a_ = (a), b_ = (b);                                                                             \
		if (!(a_ - b_ <= (eps) && b_ - a_ <= (eps))) {                                                         \
			fprintf(stderr, "%s:%d: %s == %.17g, expected %.17g\n", __FILE__, __LINE__, #a, a_, b_);       \
			check_failures++;                                                                              \
		}                                                                                                      \
	} while (0)

#define CHECK_DONE()                                                                                                   \
	do {                                                                                                           \
		if (check_failures)                                                                                    \
			fprintf(stderr, "%d check(s) failed\n", check_failures);                                       \
		return check_failures ? 1 : 0;                                                                         \
	} while (0)

#endif
