/* Result files for the report tests, made from results/sample/: the sample
 * as `zcbench run` writes it since the verdicts issue (a top-level "verdicts"
 * and "warnings" array), so the report's answer can be checked before every
 * checked-in sample has them. */
#ifndef ZC_TEST_REPORT_FIXTURE_H
#define ZC_TEST_REPORT_FIXTURE_H

/* Write samples/sample-all.json with verdicts and warnings to path, its
 * kernel release set to kernel. 0, or -1. */
int zc_fixture_verdicts(const char *samples, const char *path, const char *kernel);

/* The median throughput (bytes/s) of a strategy in a workload of
 * samples/sample-all.json; 0 when absent. */
double zc_fixture_median(const char *samples, const char *workload, const char *strategy);

#endif
