/* zcbench compare on crafted result files with known outcomes (see
 * tests/data/compare/README.md): a clear regression, a noise-level change,
 * an improvement, missing cells, unavailable counters, a schema mismatch,
 * emulation, deterministic counts, malformed input; exit codes, which cells
 * regress, and the exact messages. */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "run_cmd.h"

static const char *bin, *data;
static struct cmd_result r;

/* Run zcbench compare with the arguments (NULL-terminated); file names
 * without a '/' or a leading '-' are taken from the data directory. */
static int vcompare(const char *first, va_list ap)
{
	static char paths[32][512];
	char *argv[40] = {(char *)bin, "compare"};
	size_t n = 2;
	for (const char *a = first; a && n < 38; a = va_arg(ap, const char *)) {
		if (a[0] != '-' && !strchr(a, '/') && strstr(a, ".json")) {
			snprintf(paths[n], sizeof paths[n], "%s/%s", data, a);
			argv[n] = paths[n];
			n++;
		} else {
			argv[n++] = (char *)a;
		}
	}
	argv[n] = NULL;
	if (run_cmd(argv, &r) != 0) {
		fprintf(stderr, "cannot run %s\n", bin);
		check_failures++;
		return -1;
	}
	return r.status;
}

static int compare(const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	int st = vcompare(first, ap);
	va_end(ap);
	return st;
}

static json_t *parse_out(void);

/* compare ... --format json, which must exit with want: its comparison. */
static json_t *compare_json(int want, const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	int st = vcompare(first, ap);
	va_end(ap);
	if (st != want) {
		fprintf(stderr, "compare %s ...: exit %d, expected %d\n%s", first, st, want, r.err);
		check_failures++;
	}
	return parse_out();
}

#define COMPARE(...)		compare(__VA_ARGS__, NULL)
#define COMPARE_JSON(want, ...) compare_json(want, __VA_ARGS__, "--format", "json", NULL)

static json_t *parse_out(void)
{
	json_error_t e;
	json_t *j = json_loads(r.out, 0, &e);
	if (!j) {
		fprintf(stderr, "compare --format json printed no JSON: %s\n%s\n", e.text, r.out);
		check_failures++;
		return json_object();
	}
	return j;
}

static const json_t *cell(const json_t *cmp, const char *label)
{
	const json_t *cells = json_object_get(cmp, "cells");
	for (size_t i = 0; i < json_array_size(cells); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(cells, i), "label")), label) == 0)
			return json_array_get(cells, i);
	fprintf(stderr, "no cell '%s' in the comparison\n", label);
	check_failures++;
	return NULL;
}

/* The judgement of metric in cell for file column col. */
static const json_t *judged(const json_t *cmp, const char *label, const char *metric, size_t col)
{
	const json_t *c = cell(cmp, label);
	return json_array_get(json_object_get(json_object_get(json_object_get(c, "metrics"), metric), "vs_first"), col);
}

static void expect_str(const char *what, const char *got, const char *want)
{
	if (!got || strcmp(got, want) != 0) {
		fprintf(stderr, "%s: got '%s', expected '%s'\n", what, got ? got : "(none)", want);
		check_failures++;
	}
}

/* The judgement's verdict is want; the judgement, for more checks. */
static const json_t *expect_verdict(const json_t *cmp, const char *label, const char *metric, size_t col,
				    const char *want)
{
	char what[256];
	snprintf(what, sizeof what, "%s %s [%zu]", label, metric, col);
	const json_t *j = judged(cmp, label, metric, col);
	expect_str(what, json_string_value(json_object_get(j, "verdict")), want);
	return j;
}

/* The string member key of j is want. */
static void expect_member(const json_t *j, const char *key, const char *want)
{
	expect_str(key, json_string_value(json_object_get(j, key)), want);
}

static void expect_reason(const json_t *cmp, const char *label, const char *metric, size_t col, const char *want)
{
	char what[256];
	snprintf(what, sizeof what, "%s %s [%zu] reason", label, metric, col);
	expect_str(what, json_string_value(json_object_get(judged(cmp, label, metric, col), "reason")), want);
}

static bool has_line(const char *text, const char *line)
{
	size_t l = strlen(line);
	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && (p[l] == '\n' || p[l] == 0))
			return true;
	return false;
}

#define EXPECT_LINE(text, line)                                                                                        \
	do {                                                                                                           \
		if (!has_line(text, line)) {                                                                           \
			fprintf(stderr, "%s:%d: no line '%s' in:\n%s\n", __FILE__, __LINE__, line, text);              \
			check_failures++;                                                                              \
		}                                                                                                      \
	} while (0)

/* Bad input: exit 2 and exactly one line on stderr, this one. */
#define EXPECT_USAGE(want, ...)                                                                                        \
	do {                                                                                                           \
		int st_ = COMPARE(__VA_ARGS__);                                                                        \
		if (st_ != 2 || count_lines(r.err) != 1 || strncmp(r.err, want, strlen(want)) != 0 ||                  \
		    r.err[strlen(want)] != '\n') {                                                                     \
			fprintf(stderr, "%s:%d: status %d, stderr:\n%s--- wanted:\n%s\n", __FILE__, __LINE__, st_,     \
				r.err, want);                                                                          \
			check_failures++;                                                                              \
		}                                                                                                      \
	} while (0)

static const char A[] = "readwrite/file-tcp drain=trunc";

static void test_regression_noise_improvement(void)
{
	json_t *cmp = COMPARE_JSON(0, "base.json", "new.json");
	/* A clear regression: throughput -20%, CPU +25%, every run apart. */
	expect_verdict(cmp, A, "throughput", 1, "regression");
	CHECK_NEAR(json_number_value(json_object_get(judged(cmp, A, "throughput", 1), "change")), -0.2, 1e-3);
	CHECK(json_number_value(json_object_get(judged(cmp, A, "throughput", 1), "p_adjusted")) < 1e-5);
	expect_str("A throughput test", json_string_value(json_object_get(judged(cmp, A, "throughput", 1), "test")),
		   "welch-log");
	/* readwrite is the baseline: judged raw (no calibration in these files). */
	expect_str("A reference",
		   json_string_value(
			   json_object_get(json_object_get(judged(cmp, A, "throughput", 1), "reference"), "fallback")),
		   "the baseline strategy itself");
	expect_verdict(cmp, A, "cpu_ns_per_gib", 1, "regression");
	expect_verdict(cmp, A, "syscalls_per_gib", 1, "unchanged");
	expect_verdict(cmp, A, "bytes_in_kernel_per_gib", 1, "unchanged"); /* 0 and 0 */
	/* Noise: +0.5% throughput; CPU +12% but the samples overlap. The
	 * baseline readwrite/file-tcp itself moved, so sendfile is not judged
	 * against its rounds (it would look 25% faster). */
	expect_verdict(cmp, "sendfile/file-tcp", "throughput", 1, "unchanged");
	expect_str(
		"sendfile reference",
		json_string_value(json_object_get(
			json_object_get(judged(cmp, "sendfile/file-tcp", "throughput", 1), "reference"), "fallback")),
		"the baseline readwrite/file-tcp drain=trunc itself changed");
	expect_verdict(cmp, "sendfile/file-tcp", "cpu_ns_per_gib", 1, "not_significant");
	CHECK(json_number_value(json_object_get(judged(cmp, "sendfile/file-tcp", "cpu_ns_per_gib", 1), "p_adjusted")) >
	      0.05);
	/* splice/file-file is judged against readwrite/file-file's same rounds,
	 * at another chunk: that is said. */
	const json_t *sref = json_object_get(judged(cmp, "splice/file-file", "throughput", 1), "reference");
	expect_member(sref, "method", "baseline");
	expect_member(sref, "cell", "readwrite/file-file chunk_bytes=32768");
	expect_member(sref, "differs", "chunk 1M against the reference's 32K");
	/* An improvement: throughput +30%, syscalls halved in every run. */
	expect_verdict(cmp, "splice/file-file", "throughput", 1, "improvement");
	expect_verdict(cmp, "splice/file-file", "syscalls_per_gib", 1, "improvement");
	CHECK(json_is_true(json_object_get(judged(cmp, "splice/file-file", "syscalls_per_gib", 1), "deterministic")));
	expect_verdict(cmp, "readwrite/file-file chunk_bytes=32768", "throughput", 1, "unchanged");
	/* Missing cells, a failed cell, params that differ. */
	const json_t *c = cell(cmp, "pooled/file-file");
	expect_str("pooled cell verdict", json_string_value(json_array_get(json_object_get(c, "cell_verdict"), 1)),
		   "not_in_new");
	CHECK(json_is_null(json_array_get(json_object_get(c, "status"), 1)));
	expect_reason(cmp, "pooled/file-file", "throughput", 1, "not in new");
	c = cell(cmp, "splice/file-tcp");
	expect_str("splice/file-tcp cell verdict",
		   json_string_value(json_array_get(json_object_get(c, "cell_verdict"), 1)), "not_in_base");
	c = cell(cmp, "readwrite/file-tcp drain=read");
	expect_str("drain=read cell verdict", json_string_value(json_array_get(json_object_get(c, "cell_verdict"), 1)),
		   "not_in_base");
	c = cell(cmp, "readwrite/file-file chunk_bytes=131072");
	expect_str("failed cell verdict", json_string_value(json_array_get(json_object_get(c, "cell_verdict"), 1)),
		   "failed");
	/* Exactly these regressions. */
	const json_t *regs = json_object_get(cmp, "regressions");
	CHECK_EQ_U64(json_array_size(regs), 3);
	static const char *const want[][2] = {
		{A, "throughput"}, {A, "cpu_ns_per_gib"}, {"readwrite/file-file chunk_bytes=131072", "status"}};
	for (size_t i = 0; i < 3 && i < json_array_size(regs); i++) {
		expect_str("regression cell", json_string_value(json_object_get(json_array_get(regs, i), "cell")),
			   want[i][0]);
		expect_str("regression metric", json_string_value(json_object_get(json_array_get(regs, i), "metric")),
			   want[i][1]);
	}
	const json_t *sum = json_object_get(cmp, "summary");
	CHECK_EQ_U64(json_integer_value(json_object_get(sum, "regression")), 3);
	CHECK_EQ_U64(json_integer_value(json_object_get(sum, "improvement")), 2);
	CHECK_EQ_U64(json_integer_value(json_object_get(sum, "not_significant")), 1);
	CHECK_EQ_U64(json_integer_value(json_object_get(sum, "cells_not_compared")), 4);
	json_decref(cmp);

	/* The gate. */
	CHECK(COMPARE("base.json", "new.json", "--fail-on-regression") == 1);
	CHECK(r.err[0] == 0);
	EXPECT_LINE(r.out, "  - readwrite/file-tcp drain=trunc throughput in 6.12.0-new: -20.0% (p adj 4e-07)");
	EXPECT_LINE(r.out, "  - readwrite/file-file chunk_bytes=131072 status in 6.12.0-new: failed: verification "
			   "failed: first wrong byte at offset 777777");
	EXPECT_LINE(r.out, "Summary: 3 regressions, 2 improvements, 23 unchanged, 1 not significant, 0 not "
			   "comparable; 4 cells not compared (missing, failed or skipped)");
	EXPECT_LINE(r.out,
		    "cell                                    chunk  size  metric                      base     new  "
		    "change    p adj  verdict");
	EXPECT_LINE(r.out,
		    "readwrite/file-tcp drain=trunc            32K  256M  throughput                    4G    3.2G  "
		    "-20.0%    4e-07  REGRESSION");
	EXPECT_LINE(r.out,
		    "pooled/file-file                          32K  256M  -                                        "
		    "                  only in base");
	/* Without the gate: a report, exit 0. */
	CHECK(COMPARE("base.json", "new.json") == 0);
	/* The same file twice: nothing changed; the labels are told apart. */
	CHECK(COMPARE("base.json", "base.json", "--fail-on-regression") == 0);
	char line[700];
	snprintf(line, sizeof line, "new   6.1.0-base (2)  %s/base.json  (zcbench/1)", data);
	EXPECT_LINE(r.out, line);
}

static void test_thresholds(void)
{
	/* A threshold above the changes: only the failed cell is left. */
	json_t *cmp = COMPARE_JSON(1, "base.json", "new.json", "--threshold", "35%", "--fail-on-regression");
	expect_verdict(cmp, A, "throughput", 1, "unchanged");
	expect_verdict(cmp, "splice/file-file", "throughput", 1, "unchanged");
	CHECK_EQ_U64(json_array_size(json_object_get(cmp, "regressions")), 1);
	json_decref(cmp);
	/* A stricter alpha: adjusted p 4e-7 is no longer significant. */
	cmp = COMPARE_JSON(0, "base.json", "new.json", "--alpha", "1e-7", "--metric", "throughput");
	expect_verdict(cmp, A, "throughput", 1, "not_significant");
	CHECK_EQ_U64(json_array_size(json_object_get(cmp, "metrics")), 1);
	json_decref(cmp);
	/* A perf counter: in every run of A, in no run of sendfile. */
	cmp = COMPARE_JSON(0, "base.json", "new.json", "--metric", "perf.instructions");
	expect_verdict(cmp, A, "perf.instructions", 1, "unchanged");
	expect_reason(cmp, "sendfile/file-tcp", "perf.instructions", 1, "unavailable in both");
	json_decref(cmp);
}

static void test_unavailable_counters(void)
{
	json_t *cmp = COMPARE_JSON(0, "base.json", "nocounters.json", "--fail-on-regression");
	expect_verdict(cmp, "readwrite/file-tcp", "syscalls_per_gib", 1, "not_comparable");
	expect_reason(cmp, "readwrite/file-tcp", "syscalls_per_gib", 1, "unavailable in new");
	expect_reason(cmp, "sendfile/file-tcp", "bytes_to_user_per_gib", 1, "unavailable in new");
	expect_verdict(cmp, "readwrite/file-tcp", "throughput", 1, "unchanged");
	expect_str("note", json_string_value(json_array_get(json_object_get(cmp, "notes"), 0)),
		   "new (6.1.0-nocounters) has no probe counters (not root: CAP_BPF and CAP_PERFMON needed): count "
		   "metrics are not comparable against it");
	json_decref(cmp);
	cmp = COMPARE_JSON(0, "nocounters.json", "base.json");
	expect_reason(cmp, "readwrite/file-tcp", "syscalls_per_gib", 1, "unavailable in base");
	json_decref(cmp);
	CHECK(COMPARE("base.json", "nocounters.json") == 0);
	EXPECT_LINE(r.out,
		    "                                                     syscalls_per_gib          65.55k   n/a       "
		    "-      -  not comparable (unavailable in new)");
}

static void test_schema_mismatch(void)
{
	CHECK(COMPARE("base.json", "schema2.json", "--fail-on-regression") == 0);
	EXPECT_LINE(r.out, "  - schema versions differ: base zcbench/1, new (6.1.0-schema2) zcbench/2; compared by the "
			   "keys both have, a figure either lacks is reported unavailable");
	EXPECT_LINE(r.out, "Summary: 0 regressions, 0 improvements, 42 unchanged, 0 not significant, 0 not "
			   "comparable; 0 cells not compared (missing, failed or skipped)");
}

static void test_emulated(void)
{
	/* Timings 50x off under emulation: left out, counts compared. */
	json_t *cmp = COMPARE_JSON(0, "base.json", "emulated.json", "--fail-on-regression");
	const json_t *left = json_object_get(cmp, "timing_left_out");
	CHECK_EQ_U64(json_array_size(left), 2);
	expect_str("left out", json_string_value(json_array_get(left, 0)), "throughput");
	expect_str("left out", json_string_value(json_array_get(left, 1)), "cpu_ns_per_gib");
	CHECK(json_object_get(json_object_get(cell(cmp, "readwrite/file-tcp"), "metrics"), "throughput") == NULL);
	expect_verdict(cmp, "readwrite/file-tcp", "syscalls_per_gib", 1, "unchanged");
	CHECK(json_is_true(json_object_get(json_array_get(json_object_get(cmp, "files"), 1), "emulated")));
	json_decref(cmp);
	CHECK(COMPARE("base.json", "emulated.json") == 0);
	EXPECT_LINE(r.out, "  - new (6.12.0-tcg) ran under emulation (host.emulated): timing metrics left out "
			   "(throughput, cpu_ns_per_gib); counts are compared; --timing compares timings anyway");
	/* --timing forces them, but every run is 50x slower, the baseline's
	 * too: "machine slower", not 12 regressions. */
	cmp = COMPARE_JSON(0, "base.json", "emulated.json", "--timing", "--fail-on-regression");
	CHECK_EQ_U64(json_array_size(json_object_get(cmp, "regressions")), 0);
	expect_verdict(cmp, "readwrite/file-tcp", "throughput", 1, "not_comparable");
	expect_reason(cmp, "readwrite/file-tcp", "throughput", 1, "machine slower: timing not comparable");
	json_decref(cmp);
	/* With the drift check and removal off, raw timings: 12 regressions. */
	cmp = COMPARE_JSON(1, "base.json", "emulated.json", "--timing", "--drift", "none", "--max-drift", "1000",
			   "--fail-on-regression");
	CHECK_EQ_U64(json_array_size(json_object_get(cmp, "regressions")), 12);
	expect_verdict(cmp, "readwrite/file-tcp", "throughput", 1, "regression");
	json_decref(cmp);
	/* Without a calibration, a baseline that moved cannot be told from
	 * drift: its workload falls back to raw figures, and says so. */
	cmp = COMPARE_JSON(0, "base.json", "emulated.json", "--timing", "--max-drift", "1000");
	expect_verdict(cmp, "sendfile/file-tcp", "throughput", 1, "regression");
	expect_str(
		"fallback",
		json_string_value(json_object_get(
			json_object_get(judged(cmp, "sendfile/file-tcp", "throughput", 1), "reference"), "fallback")),
		"the baseline readwrite/file-tcp itself changed");
	json_decref(cmp);
}

static void test_deterministic_counts(void)
{
	json_t *cmp = COMPARE_JSON(1, "tiny_base.json", "tiny_new.json", "--fail-on-regression");
	/* Two runs a side: syscalls +50% in every run is a regression by the
	 * exact rule; throughput -20% gets no test with fewer than 3 runs. */
	const json_t *j = expect_verdict(cmp, "readwrite/file-tcp", "syscalls_per_gib", 1, "regression");
	CHECK(json_is_true(json_object_get(j, "deterministic")));
	expect_member(j, "test", "deterministic");
	CHECK_NEAR(json_number_value(json_object_get(j, "diff_per_run")), 24579 - 16387, 1e-9);
	expect_verdict(cmp, "readwrite/file-tcp", "throughput", 1, "not_significant");
	expect_str("throughput test",
		   json_string_value(json_object_get(judged(cmp, "readwrite/file-tcp", "throughput", 1), "test")),
		   "none: fewer than 3 runs a side");
	expect_reason(cmp, "sendfile/file-tcp", "syscalls_per_gib", 1,
		      "too few runs: base 1, new 1, need 2 on each side");
	json_decref(cmp);
	expect_str("warnings", r.err,
		   "zcbench compare: warning: base (6.1.0-tiny): 2 of 2 cells have fewer than 5 measured runs "
		   "(fewest: 1): cells with fewer than 2 are not compared, the others' tests are weak\n"
		   "zcbench compare: warning: new (6.12.0-tiny): 2 of 2 cells have fewer than 5 measured runs "
		   "(fewest: 1): cells with fewer than 2 are not compared, the others' tests are weak\n");
	CHECK(COMPARE("tiny_base.json", "tiny_new.json") == 0);
	EXPECT_LINE(r.out, "                                 syscalls_per_gib          65.55k  98.32k  +50.0%      -  "
			   "REGRESSION (deterministic count)");
}

static void test_matrix(void)
{
	CHECK(COMPARE("base.json", "new.json", "third.json", "--metric", "throughput,syscalls_per_gib",
		      "--fail-on-regression") == 1);
	char line[700];
	snprintf(line, sizeof line, "[3]   6.18.0-third  %s/third.json  (zcbench/1)", data);
	EXPECT_LINE(r.out, line);
	EXPECT_LINE(r.out,
		    "cell                                    chunk  size  metric            6.1.0-base  6.12.0-new  "
		    "6.18.0-third");
	EXPECT_LINE(r.out,
		    "readwrite/file-tcp drain=trunc            32K  256M  throughput                4G    -20.0% R  "
		    "       +0.0%");
	EXPECT_LINE(r.out,
		    "                                                     syscalls_per_gib      65.55k       +0.0%  "
		    "    +10.0% R");
	EXPECT_LINE(r.out,
		    "splice/file-file                           1M  256M  throughput              9.9G    +29.0% I  "
		    "       +0.0%");
	EXPECT_LINE(r.out,
		    "pooled/file-file                          32K  256M  throughput                8G     missing  "
		    "       +0.0%");
	EXPECT_LINE(r.out,
		    "splice/file-tcp                            1M  256M  throughput           missing     no base  "
		    "     missing");
	json_t *cmp = COMPARE_JSON(0, "base.json", "new.json", "third.json");
	CHECK_EQ_U64(json_array_size(json_object_get(cmp, "files")), 3);
	expect_verdict(cmp, A, "syscalls_per_gib", 2, "regression");
	expect_verdict(cmp, A, "syscalls_per_gib", 1, "unchanged");
	CHECK(json_is_null(judged(cmp, A, "syscalls_per_gib", 0)));
	json_decref(cmp);
	/* Markdown. */
	CHECK(COMPARE("base.json", "new.json", "--format", "markdown") == 0);
	CHECK(strncmp(r.out, "### zcbench compare\n", 20) == 0);
	EXPECT_LINE(r.out, "| cell | chunk | size | metric | base | new | change | p adj | verdict |");
	EXPECT_LINE(r.out, "| readwrite/file-tcp drain=trunc | 32K | 256M | throughput | 4G | 3.2G | -20.0% | 4e-07 | "
			   "**REGRESSION** |");
}

static void test_bad_input(void)
{
	char want[1024];
	snprintf(want, sizeof want, "zcbench: %s/malformed.json: not valid JSON: ", data);
	CHECK(COMPARE("base.json", "malformed.json") == 2);
	CHECK(count_lines(r.err) == 1 && strncmp(r.err, want, strlen(want)) == 0);
	CHECK(r.out[0] == 0);
	snprintf(want, sizeof want,
		 "zcbench: %s/not_zcbench.json: not a zcbench result file (schema \"other/1\"; expected "
		 "\"zcbench/N\")",
		 data);
	EXPECT_USAGE(want, "base.json", "not_zcbench.json");
	snprintf(want, sizeof want, "zcbench: %s/no_results.json: malformed result file: no \"results\" array", data);
	EXPECT_USAGE(want, "no_results.json", "base.json");
	snprintf(want, sizeof want,
		 "zcbench: %s/bad_cell.json: malformed result file: results[0] needs a \"strategy\" and a "
		 "\"workload\" string and a \"params\" object",
		 data);
	EXPECT_USAGE(want, "base.json", "bad_cell.json");
	snprintf(want, sizeof want, "zcbench: cannot read %s/absent.json: No such file or directory", data);
	EXPECT_USAGE(want, "base.json", "absent.json");
	EXPECT_USAGE("zcbench: compare needs at least two result files, BASE.json and NEW.json (got 1; see zcbench "
		     "compare --help)",
		     "base.json");
	EXPECT_USAGE("zcbench: --metric 'speed' is not a metric (valid: throughput, cpu_ns_per_gib, "
		     "user_ns_per_gib, sys_ns_per_gib, syscalls_per_gib, context_switches_per_gib, "
		     "bytes_to_user_per_gib, bytes_from_user_per_gib, bytes_in_kernel_per_gib, "
		     "bytes_pinned_from_user_per_gib, bytes_mapped_to_user_per_gib, off_cpu_ns_per_gib, perf.NAME (a "
		     "perf counter per GiB, e.g. "
		     "perf.instructions), all)",
		     "--metric", "throughput,speed", "base.json", "new.json");
	EXPECT_USAGE("zcbench: --threshold 'five' is not a percentage (valid: a number from 0 to 1000, optionally "
		     "with %, e.g. 5%)",
		     "--threshold", "five", "base.json", "new.json");
	EXPECT_USAGE("zcbench: --alpha '1.5' is not a significance level (valid: a number between 0 and 1, e.g. "
		     "0.05)",
		     "--alpha", "1.5", "base.json", "new.json");
	EXPECT_USAGE("zcbench: --format 'html' is not a valid choice (valid: text, markdown, json)", "--format", "html",
		     "base.json", "new.json");
	EXPECT_USAGE("zcbench: unknown option '--gate' for compare (see zcbench compare --help)", "--gate", "base.json",
		     "new.json");
	CHECK(COMPARE("--help") == 0);
	CHECK(strncmp(r.out, "usage: zcbench compare BASE.json NEW.json", 41) == 0);
}

/* Real result files from this build: compare must read what run writes. */
static void test_real_files(void)
{
	char dir[] = "/tmp/zc-compare-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		check_failures++;
		return;
	}
	char cache[300], out[2][300];
	snprintf(cache, sizeof cache, "--cache-dir=%s/cache", dir);
	for (int i = 0; i < 2; i++) {
		snprintf(out[i], sizeof out[i], "%s/r%d.json", dir, i);
		char *argv[] = {(char *)bin, "run",  "--strategy", "readwrite", "--workload", "file-file",
				"--size",    "1M",   "--reps",	   "3",		"--warmup",   "0",
				"--out",     out[i], cache,	   NULL};
		CHECK(run_cmd(argv, &r) == 0);
		if (r.status != 0)
			fprintf(stderr, "zcbench run: status %d\n%s\n", r.status, r.err);
		CHECK(r.status == 0);
	}
	/* Two 1 MiB runs on a loaded machine may differ 2x in speed: the
	 * machine check is not what this test is about. */
	CHECK(compare(out[0], out[1], "--format", "json", "--max-drift", "1000", NULL) == 0);
	json_t *cmp = parse_out();
	CHECK_EQ_U64(json_array_size(json_object_get(cmp, "cells")), 1);
	const json_t *c = json_array_get(json_object_get(cmp, "cells"), 0);
	expect_str("label", json_string_value(json_object_get(c, "label")), "readwrite/file-file");
	const char *v = json_string_value(json_object_get(
		json_array_get(
			json_object_get(json_object_get(json_object_get(c, "metrics"), "throughput"), "vs_first"), 1),
		"verdict"));
	CHECK(v && strcmp(v, "not_comparable") != 0);
	json_decref(cmp);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

/* ---- the gate (issue 11) ---- */

static char tmpdir[64];

/* Write doc to tmpdir/name; returns the path (static storage per call site). */
static void write_doc(json_t *doc, const char *name, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", tmpdir, name);
	CHECK(json_dump_file(doc, path, 0) == 0);
}

static json_t *load_data(const char *name)
{
	char p[600];
	snprintf(p, sizeof p, "%s/%s", data, name);
	json_error_t e;
	json_t *d = json_load_file(p, 0, &e);
	if (!d) {
		fprintf(stderr, "%s: %s\n", p, e.text);
		check_failures++;
		return json_object();
	}
	return d;
}

/* A real slowdown is caught: each cell in turn with every measured run
 * taking 30% longer (the baseline readwrite's cells too, judged raw) is a
 * throughput regression, and the only one. */
static void test_slow30_every_cell(void)
{
	json_t *base = load_data("base_cal.json");
	size_t n = json_array_size(json_object_get(base, "results"));
	CHECK_EQ_U64(n, 6);
	for (size_t i = 0; i < n; i++) {
		json_t *d = json_deep_copy(base);
		json_t *runs = json_object_get(json_array_get(json_object_get(d, "results"), i), "runs");
		for (size_t k = 0; k < json_array_size(runs); k++) {
			json_t *r = json_array_get(runs, k);
			if (json_is_true(json_object_get(r, "warmup")))
				continue;
			json_int_t ns = json_integer_value(json_object_get(r, "elapsed_ns"));
			json_object_set_new(r, "elapsed_ns", json_integer(ns * 13 / 10));
		}
		char path[128];
		write_doc(d, "slow.json", path, sizeof path);
		json_decref(d);
		json_t *cmp = COMPARE_JSON(1, "base_cal.json", path, "--fail-on-regression");
		const json_t *regs = json_object_get(cmp, "regressions");
		const char *label =
			json_string_value(json_object_get(json_array_get(json_object_get(cmp, "cells"), i), "label"));
		CHECK_EQ_U64(json_array_size(regs), 1);
		expect_str("slow cell", json_string_value(json_object_get(json_array_get(regs, 0), "cell")), label);
		expect_str("slow metric", json_string_value(json_object_get(json_array_get(regs, 0), "metric")),
			   "throughput");
		CHECK_NEAR(json_number_value(json_object_get(json_array_get(regs, 0), "change")), 1 / 1.3 - 1, 0.01);
		json_decref(cmp);
	}
	json_decref(base);
	/* The same with slow30.json (sendfile/file-tcp): judged against the
	 * baseline's same round; a minimum effect of 30% lets it pass. */
	json_t *cmp = COMPARE_JSON(1, "base_cal.json", "slow30.json", "--fail-on-regression");
	expect_verdict(cmp, "sendfile/file-tcp", "throughput", 1, "regression");
	expect_str("method",
		   json_string_value(json_object_get(
			   json_object_get(judged(cmp, "sendfile/file-tcp", "throughput", 1), "reference"), "method")),
		   "baseline");
	json_decref(cmp);
	CHECK(COMPARE("base_cal.json", "slow30.json", "--fail-on-regression", "--threshold", "30%") == 0);
	EXPECT_LINE(r.out,
		    "Summary: 0 regressions, 0 improvements, 42 unchanged, 0 not significant, 0 not comparable; 0 "
		    "cells not compared (missing, failed or skipped)");
}

/* The same code on a machine 25% slower (memcpy and every timing). The
 * baseline's own cells are judged raw and regress; a baseline that moved
 * sends its workload to raw figures too (its ratios would show readwrite's
 * change), so every timing regresses: a change that slows every strategy
 * alike cannot be told from the machine's drift by a baseline reference,
 * and the gate fails rather than hide it. --drift memcpy removes it (at
 * the price of the memcpy ceiling's own drift). */
static void test_drift(void)
{
	json_t *cmp = COMPARE_JSON(1, "base_cal.json", "drift.json", "--fail-on-regression");
	CHECK_EQ_U64(json_array_size(json_object_get(cmp, "regressions")), 12); /* 6 throughput, 6 CPU */
	const json_t *j = judged(cmp, "readwrite/file-tcp", "throughput", 1);
	expect_member(json_object_get(j, "reference"), "method", "none");
	expect_member(json_object_get(j, "reference"), "fallback", "the baseline strategy itself");
	CHECK_NEAR(json_number_value(json_object_get(j, "change")), -0.2, 1e-6);
	j = judged(cmp, "sendfile/file-tcp", "throughput", 1);
	expect_member(json_object_get(j, "reference"), "fallback", "the baseline readwrite/file-tcp itself changed");
	CHECK_NEAR(json_number_value(json_object_get(j, "raw_change")), -0.2, 1e-6);
	const json_t *f1 = json_array_get(json_object_get(cmp, "files"), 1);
	CHECK(json_is_true(json_object_get(f1, "timing_comparable")));
	CHECK_NEAR(json_number_value(json_object_get(f1, "speed")), 0.8, 1e-12);
	CHECK_NEAR(json_number_value(json_object_get(f1, "baseline_speed")), 0.8, 1e-6);
	json_decref(cmp);
	/* --drift memcpy: every timing against memcpy (0.8 of the base's speed). */
	cmp = COMPARE_JSON(0, "base_cal.json", "drift.json", "--fail-on-regression", "--drift", "memcpy");
	j = judged(cmp, "readwrite/file-tcp", "throughput", 1);
	expect_member(json_object_get(j, "reference"), "method", "memcpy");
	CHECK_NEAR(json_number_value(json_object_get(json_object_get(j, "reference"), "speed")), 0.8, 1e-12);
	CHECK_NEAR(json_number_value(json_object_get(j, "change")), 0, 1e-6);
	json_decref(cmp);
	cmp = COMPARE_JSON(1, "base_cal.json", "drift.json", "--fail-on-regression", "--drift", "none");
	CHECK_EQ_U64(json_array_size(json_object_get(cmp, "regressions")), 12); /* 6 throughput, 6 CPU */
	json_decref(cmp);
}

/* Identical code, a memcpy ceiling that alone moved 1.67x (as measured here
 * between two quiet invocations): timing stays comparable and nothing
 * regresses; the memcpy figure is kept for the reader. */
static void test_memcpy_alone_moved(void)
{
	json_t *d = load_data("base_cal.json");
	json_t *mc = json_object_get(json_object_get(json_object_get(d, "host"), "calibration"), "memcpy");
	CHECK(mc != NULL);
	json_object_set_new(mc, "bps", json_real(json_number_value(json_object_get(mc, "bps")) * 1.67));
	char path[128];
	write_doc(d, "memcpy_moved.json", path, sizeof path);
	json_decref(d);
	CHECK(COMPARE("base_cal.json", path, "--fail-on-regression", "--format", "json") == 0);
	json_t *cmp = parse_out();
	const json_t *f1 = json_array_get(json_object_get(cmp, "files"), 1);
	CHECK(json_is_true(json_object_get(f1, "timing_comparable")));
	CHECK_NEAR(json_number_value(json_object_get(f1, "speed")), 1.67, 1e-9);
	CHECK_NEAR(json_number_value(json_object_get(f1, "baseline_speed")), 1, 1e-12);
	CHECK_EQ_U64(json_array_size(json_object_get(cmp, "regressions")), 0);
	CHECK_EQ_U64(json_array_size(json_object_get(cmp, "improvements")), 0);
	json_decref(cmp);
	/* --drift memcpy divides by it: every timing looks 40% slower. */
	CHECK(COMPARE("base_cal.json", path, "--fail-on-regression", "--drift", "memcpy") == 1);
}

/* A CPU hog during the new run: the file says so (memcpy at half speed, a
 * busy-machine warning), and timing is "not comparable", not 12 regressions. */
static void test_machine_slower(void)
{
	CHECK(COMPARE("base_cal.json", "hog.json", "--fail-on-regression") == 0);
	expect_str("hog stderr", r.err,
		   "zcbench compare: warning: new (6.1.0-hog) warns that the machine was busy or unsteady "
		   "(busy-machine): timing may not be comparable\n"
		   "zcbench compare: warning: new (6.1.0-hog): machine slower: timing not comparable (the baseline "
		   "readwrite's throughput moved 0.50x, median of 3 cells; memcpy 20.0 GB/s in base, 10.0 GB/s in new; "
		   "--max-drift 1.5)\n");
	EXPECT_LINE(r.out,
		    "readwrite/file-tcp                        32K  256M  throughput                    4G      2G  "
		    "     -      -  not comparable (machine slower: timing not comparable)");
	EXPECT_LINE(r.out,
		    "                                                     syscalls_per_gib          65.55k  65.55k  "
		    " +0.0%      -  unchanged");
	json_t *cmp = COMPARE_JSON(0, "base_cal.json", "hog.json");
	CHECK(json_is_false(json_object_get(json_array_get(json_object_get(cmp, "files"), 1), "timing_comparable")));
	CHECK_NEAR(json_number_value(json_object_get(json_array_get(json_object_get(cmp, "files"), 1), "speed")), 0.5,
		   1e-12);
	json_decref(cmp);
	/* Without a calibration, the baseline strategy's own slowdown tells. */
	CHECK(COMPARE("base.json", "hog_nocal.json", "--fail-on-regression") == 0);
	expect_str("hog_nocal stderr", r.err,
		   "zcbench compare: warning: new (6.1.0-hog-nocal): machine slower: timing not comparable (the "
		   "baseline readwrite's throughput moved 0.50x, median of 3 cells; --max-drift 1.5)\n");
	/* A looser --max-drift judges them: the baseline's rounds cancel the
	 * slowdown for the others, the baseline's own cells regress (raw). */
	cmp = COMPARE_JSON(0, "base.json", "hog_nocal.json", "--max-drift", "3");
	expect_verdict(cmp, "readwrite/file-tcp", "throughput", 1, "regression");
	json_decref(cmp);
}

/* Counts that depend on timing: io_uring_enter 11 against 13 per run is not
 * a regression (below --min-count-diff; and even without that minimum, the
 * Poisson floor finds nothing); 2048 against 4096 is. */
static void test_timing_counts(void)
{
	json_t *cmp = COMPARE_JSON(1, "uring_base.json", "uring_new.json", "--fail-on-regression");
	const json_t *j = expect_verdict(cmp, "io_uring/file-tcp", "syscalls_per_gib", 1, "unchanged");
	CHECK(json_is_true(json_object_get(j, "timing_dependent")));
	CHECK(json_is_false(json_object_get(j, "deterministic")));
	CHECK(json_is_true(json_object_get(j, "below_min_count_diff")));
	CHECK_NEAR(json_number_value(json_object_get(j, "diff_per_run")), 2, 1e-9);
	expect_member(j, "timing_dependent_why", "io_uring_enter calls depend on timing");
	j = expect_verdict(cmp, "io_uring/file-file", "syscalls_per_gib", 1, "regression");
	expect_member(j, "test", "welch-poisson-floor");
	/* Context switches 10 -> 14: timing-dependent, below the minimum. */
	expect_verdict(cmp, "io_uring/file-tcp", "context_switches_per_gib", 1, "unchanged");
	CHECK_EQ_U64(json_array_size(json_object_get(cmp, "regressions")), 1);
	json_decref(cmp);
	cmp = COMPARE_JSON(0, "uring_base.json", "uring_new.json", "--min-count-diff", "0");
	expect_verdict(cmp, "io_uring/file-tcp", "syscalls_per_gib", 1, "not_significant");
	expect_verdict(cmp, "io_uring/file-tcp", "context_switches_per_gib", 1, "not_significant");
	json_decref(cmp);
	/* A deterministic count below the minimum: splice/file-file's syscalls
	 * 2048 -> 1024 per GiB are 256 per 256 MiB run: judged; with a
	 * minimum of 300 per run, unchanged. */
	cmp = COMPARE_JSON(0, "base.json", "new.json", "--min-count-diff", "300");
	expect_verdict(cmp, "splice/file-file", "syscalls_per_gib", 1, "unchanged");
	json_decref(cmp);
}

/* Benjamini-Hochberg over the column's tests, exact: Welch's p of the
 * constructed cells has a closed form (Student's t with 2 and 4 degrees of
 * freedom); the third cell does not move, so it is no test (m = 2).
 * Reference: R's p.adjust(p, "BH") gives min(1, p * m / rank), made
 * monotone from the largest p down. */
static void test_multiplicity(void)
{
	json_t *cmp = COMPARE_JSON(0, "multi_base.json", "multi_new.json", "--metric", "syscalls_per_gib");
	double p1 = 1 - sqrt(6.0 / 7);
	double t2 = 13.5, u = sqrt(t2) / sqrt(1 + t2 / 4);
	double p2 = 1 - 0.75 * u * (1 - t2 / (12 * (1 + t2 / 4)));
	const char *c1 = "sendfile/file-file chunk_bytes=1048576", *c2 = "sendfile/file-file chunk_bytes=2097152",
		   *c3 = "sendfile/file-file chunk_bytes=3145728";
	CHECK_NEAR(json_number_value(json_object_get(judged(cmp, c1, "syscalls_per_gib", 1), "p")), p1, 1e-12);
	CHECK_NEAR(json_number_value(json_object_get(judged(cmp, c2, "syscalls_per_gib", 1), "p")), p2, 1e-12);
	CHECK_EQ_U64(json_integer_value(json_array_get(json_object_get(cmp, "tests"), 1)), 2);
	/* Ranks: p2 first (x 2/1), p1 second (x 2/2). */
	CHECK_NEAR(json_number_value(json_object_get(judged(cmp, c2, "syscalls_per_gib", 1), "p_adjusted")), 2 * p2,
		   1e-12);
	CHECK_NEAR(json_number_value(json_object_get(judged(cmp, c1, "syscalls_per_gib", 1), "p_adjusted")), p1, 1e-12);
	expect_verdict(cmp, c2, "syscalls_per_gib", 1, "regression"); /* 0.0426 <= 0.05 */
	expect_verdict(cmp, c1, "syscalls_per_gib", 1, "not_significant");
	expect_verdict(cmp, c3, "syscalls_per_gib", 1, "unchanged");
	json_decref(cmp);
	/* alpha 0.04: the adjusted 0.0426 no longer passes, the raw 0.0213 would. */
	CHECK(COMPARE("multi_base.json", "multi_new.json", "--metric", "syscalls_per_gib", "--alpha", "0.04",
		      "--format", "json") == 0);
	cmp = parse_out();
	expect_verdict(cmp, c2, "syscalls_per_gib", 1, "not_significant");
	json_decref(cmp);
}

/* Only regular files are read: a FIFO (which would block forever), a
 * device and a directory are one line and exit 2. */
static void test_not_regular(void)
{
	char fifo[128], want[300];
	snprintf(fifo, sizeof fifo, "%s/fifo.json", tmpdir);
	CHECK(mkfifo(fifo, 0600) == 0);
	snprintf(want, sizeof want, "zcbench: %s is not a regular file (a FIFO)", fifo);
	EXPECT_USAGE(want, "base.json", fifo);
	EXPECT_USAGE("zcbench: /dev/null is not a regular file (a character device)", "/dev/null", "base.json");
	snprintf(want, sizeof want, "zcbench: %s is not a regular file (a directory)", tmpdir);
	EXPECT_USAGE(want, "base.json", tmpdir);
	unlink(fifo);
}

/* Control characters from result files never reach the terminal raw. */
static void test_control_chars(void)
{
	CHECK(COMPARE("base.json", "ansi.json") == 0);
	CHECK(strchr(r.out, '\033') == NULL && strchr(r.out, '\007') == NULL && strstr(r.out, "\xc2\x9b") == NULL);
	CHECK(strstr(r.out, "forged row\n") == NULL);
	char line[700];
	snprintf(line, sizeof line, "new   6.1.0-\\x1b[2J\\x1b[31mred  %s/ansi.json  (zcbench/1)", data);
	EXPECT_LINE(r.out, line);
	EXPECT_LINE(r.out,
		    "evil\\x1b]0;title\\x07/file-tcp             32K  256M  -                                      "
		    "                  only in new");
	CHECK(strstr(r.out, "failed: bad\\x0aforged row\\u009b31m\n") != NULL);
	CHECK(COMPARE("base.json", "ansi.json", "--format", "markdown") == 0);
	CHECK(strchr(r.out, '\033') == NULL);
	/* JSON escapes by itself. */
	CHECK(COMPARE("base.json", "ansi.json", "--format", "json") == 0);
	CHECK(strchr(r.out, '\033') == NULL);
}

/* Many cells: matched by hash (O(n)). 20,000 cells, the second file in the
 * reverse order with one cell slower; correctness only, no timing. */
static void test_many_cells(void)
{
	const size_t n = 20000;
	char path[2][128];
	for (int f = 0; f < 2; f++) {
		snprintf(path[f], sizeof path[f], "%s/many%d.json", tmpdir, f);
		FILE *o = fopen(path[f], "w");
		CHECK(o != NULL);
		if (!o)
			return;
		fprintf(o, "{\"schema\":\"zcbench/1\",\"host\":{\"kernel_release\":\"k%d\"},\"results\":[", f);
		for (size_t q = 0; q < n; q++) {
			size_t i = f ? n - 1 - q : q;
			fprintf(o,
				"%s{\"strategy\":\"s%zu\",\"workload\":\"w\",\"params\":{\"chunk_bytes\":%zu},\"runs\":"
				"[",
				q ? "," : "", i % 7, 4096 * (i / 7 + 1));
			for (int k = 0; k < 5; k++)
				fprintf(o, "%s{\"index\":%d,\"bytes\":1048576,\"elapsed_ns\":%d}", k ? "," : "", k,
					(f && i == 12345 ? 200000 : 100000) + 1000 * k);
			fputs("]}", o);
		}
		fputs("]}\n", o);
		CHECK(fclose(o) == 0);
	}
	char out[160], cmd[700];
	snprintf(out, sizeof out, "%s/many.out", tmpdir);
	snprintf(cmd, sizeof cmd, "'%s' compare '%s' '%s' --metric throughput --format json >'%s'", bin, path[0],
		 path[1], out);
	CHECK(system(cmd) == 0);
	json_error_t e;
	json_t *cmp = json_load_file(out, 0, &e);
	CHECK(cmp != NULL);
	const json_t *sum = json_object_get(cmp, "summary");
	CHECK_EQ_U64(json_integer_value(json_object_get(sum, "cells")), n);
	CHECK_EQ_U64(json_integer_value(json_object_get(sum, "cells_not_compared")), 0);
	CHECK_EQ_U64(json_integer_value(json_object_get(sum, "regression")), 1);
	CHECK_EQ_U64(json_integer_value(json_object_get(sum, "unchanged")), n - 1);
	const json_t *reg = json_array_get(json_object_get(cmp, "regressions"), 0);
	char label[64];
	snprintf(label, sizeof label, "s%d/w chunk_bytes=%d", 12345 % 7, 4096 * (12345 / 7 + 1));
	expect_str("many: the slow cell", json_string_value(json_object_get(reg, "cell")), label);
	json_decref(cmp);
}

/* A base without counters does not hide the count columns: the files after
 * it are compared with the first that has counters, and the output says so. */
static void test_base_without_counters(void)
{
	CHECK(COMPARE("nocounters.json", "base.json", "third.json", "--metric", "throughput,syscalls_per_gib",
		      "--format", "json") == 0);
	json_t *cmp = parse_out();
	CHECK_EQ_U64(json_integer_value(json_object_get(cmp, "count_reference")), 1);
	expect_verdict(cmp, "readwrite/file-tcp", "syscalls_per_gib", 2, "regression");
	CHECK(json_is_null(judged(cmp, "readwrite/file-tcp", "syscalls_per_gib", 1)));
	expect_str("note", json_string_value(json_array_get(json_object_get(cmp, "notes"), 0)),
		   "base (6.1.0-nocounters) has no probe counters (not root: CAP_BPF and CAP_PERFMON needed): count "
		   "metrics "
		   "compare the files after it with the first that has them instead");
	json_decref(cmp);
	CHECK(COMPARE("nocounters.json", "base.json", "third.json", "--metric", "throughput,syscalls_per_gib") == 0);
	EXPECT_LINE(r.out, "  - count metrics: every file is compared with 6.1.0-base, the first with probe counters");
	EXPECT_LINE(r.out,
		    "                                                     syscalls_per_gib               n/a      "
		    "65.55k      +10.0% R");
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_compare ZCBENCH DATA_DIR\n");
		return 2;
	}
	bin = argv[1];
	data = argv[2];
	test_regression_noise_improvement();
	test_thresholds();
	test_unavailable_counters();
	test_schema_mismatch();
	test_emulated();
	test_deterministic_counts();
	test_matrix();
	test_bad_input();
	test_real_files();
	snprintf(tmpdir, sizeof tmpdir, "/tmp/zc-compare-gate-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_slow30_every_cell();
	test_drift();
	test_machine_slower();
	test_memcpy_alone_moved();
	test_timing_counts();
	test_multiplicity();
	test_not_regular();
	test_control_chars();
	test_many_cells();
	test_base_without_counters();
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	CHECK_DONE();
}
