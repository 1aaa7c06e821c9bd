/* The io_uring strategies: an op the probe reports missing skips the cell
 * with a reason naming the op (exit status 0); io_uring moves every byte at
 * queue depths 1 and 8, across odd sizes, several transfers, several streams
 * and with the checksum taken on the way. */
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "run_cmd.h"

static const char *bin;
static char dir[] = "/tmp/zc-uring-XXXXXX";
static char out[300], cache_opt[320];

/* zcbench with the arguments, --out and --cache-dir: the parsed result. */
#define zc(status, ...) zc_run_json(bin, out, cache_opt, status, __VA_ARGS__)

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "(none)";
}

/* The one cell of doc is skipped with exactly `reason`, and zcbench said 0. */
static void expect_skip(json_t *doc, int status, const char *strategy, const char *reason)
{
	json_t *cell = json_array_get(json_object_get(doc, "results"), 0);
	int ok = doc && status == 0 && strcmp(str(cell, "status"), "skipped") == 0 &&
		 strcmp(str(cell, "reason"), reason) == 0 && json_array_size(json_object_get(cell, "runs")) == 0;
	if (!ok) {
		fprintf(stderr, "%s with a hidden op: exit %d, status %s, reason '%s'; expected skipped, '%s'\n",
			strategy, status, str(cell, "status"), str(cell, "reason"), reason);
		check_failures++;
	}
	json_decref(doc);
}

/* Every cell of doc is ok and each of its runs verified exactly
 * `bytes` bytes. */
static void expect_exact(json_t *doc, int status, uint64_t bytes, const char *label)
{
	json_t *results = json_object_get(doc, "results");
	int ok = doc && status == 0 && json_array_size(results) > 0;
	for (size_t i = 0; ok && i < json_array_size(results); i++) {
		json_t *cell = json_array_get(results, i);
		json_t *runs = json_object_get(cell, "runs");
		ok = strcmp(str(cell, "status"), "ok") == 0 && json_array_size(runs) > 0;
		for (size_t j = 0; ok && j < json_array_size(runs); j++) {
			json_t *run = json_array_get(runs, j);
			ok = json_is_true(json_object_get(run, "verified")) &&
			     (uint64_t)json_integer_value(json_object_get(run, "bytes")) == bytes;
		}
		if (!ok)
			fprintf(stderr, "%s: exit %d, status %s, reason %s\n", label, status, str(cell, "status"),
				str(cell, "reason"));
	}
	if (!ok) {
		if (!doc)
			fprintf(stderr, "%s: no result (exit %d)\n", label, status);
		check_failures++;
	}
	json_decref(doc);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	bin = argv[1];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(out, sizeof out, "%s/r.json", dir);
	snprintf(cache_opt, sizeof cache_opt, "--cache-dir=%s/cache", dir);
	int st;
	json_t *doc;

	/* The test hook hides ops from the probe, as an older kernel would
	 * lack them: the cell is skipped, with the op named, and the run
	 * still succeeds. */
	CHECK(setenv("ZCBENCH_IO_URING_HIDE_OPS", "SPLICE,SEND_ZC", 1) == 0);
	doc = zc(&st, "run", "--strategy", "io_uring_splice", "--workload", "file-tcp", "--size", "1M", NULL);
	expect_skip(doc, st, "io_uring_splice",
		    "io_uring op SPLICE not supported by this kernel: Operation not supported");
	doc = zc(&st, "run", "--strategy", "io_uring_send_zc", "--workload", "mem-tcp", "--size", "1M", NULL);
	expect_skip(doc, st, "io_uring_send_zc",
		    "io_uring op SEND_ZC not supported by this kernel: Operation not supported");
	/* Ops not named stay: io_uring needs neither. */
	doc = zc(&st, "run", "--strategy", "io_uring", "--workload", "file-tcp", "--size", "1M", "--reps", "1",
		 "--verify", "all", NULL);
	expect_exact(doc, st, 1048576, "io_uring with SPLICE,SEND_ZC hidden");
	/* Names are matched whatever their case, among spaces. */
	CHECK(setenv("ZCBENCH_IO_URING_HIDE_OPS", " splice , read_fixed", 1) == 0);
	doc = zc(&st, "run", "--strategy", "io_uring", "--workload", "file-file", "--size", "1M", NULL);
	expect_skip(doc, st, "io_uring",
		    "io_uring op READ_FIXED not supported by this kernel: Operation not supported");
	/* In a list of strategies only the one missing its op is skipped. */
	CHECK(setenv("ZCBENCH_IO_URING_HIDE_OPS", "WRITE_FIXED", 1) == 0);
	doc = zc(&st, "run", "--strategy", "io_uring,io_uring_splice", "--workload", "file-file", "--size", "1M",
		 "--reps", "1", "--verify", "all", NULL);
	json_t *results = json_object_get(doc, "results");
	CHECK(st == 0 && json_array_size(results) == 2);
	for (size_t i = 0; i < json_array_size(results); i++) {
		json_t *cell = json_array_get(results, i);
		if (strcmp(str(cell, "strategy"), "io_uring") == 0)
			CHECK(strcmp(str(cell, "status"), "skipped") == 0 &&
			      strcmp(str(cell, "reason"),
				     "io_uring op WRITE_FIXED not supported by this kernel: Operation not supported") ==
				      0);
		else
			CHECK(strcmp(str(cell, "status"), "ok") == 0);
	}
	json_decref(doc);
	CHECK(unsetenv("ZCBENCH_IO_URING_HIDE_OPS") == 0);

	/* Queue depth 1 (no read-ahead) and 8 (reads out of order, writes at
	 * their offsets), file to file, byte-exact: sizes off every boundary,
	 * several transfers, several streams, the checksum on the way. */
	const char *sizes[] = {"1", "131071", "131073", "1048577", "5242883"};
	for (int q = 0; q < 2; q++) {
		const char *qd = q ? "8" : "1";
		for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
			char label[80];
			snprintf(label, sizeof label, "io_uring --qd %s file-file %s bytes", qd, sizes[k]);
			doc = zc(&st, "run", "--strategy", "io_uring", "--workload", "file-file", "--qd", qd, "--size",
				 sizes[k], "--reps", "2", "--warmup", "0", "--verify", "all", NULL);
			expect_exact(doc, st, strtoull(sizes[k], NULL, 10), label);
		}
		char label[80];
		snprintf(label, sizeof label, "io_uring --qd %s file-file, 3 transfers", qd);
		doc = zc(&st, "run", "--strategy", "io_uring", "--workload", "file-file", "--qd", qd, "--size",
			 "12582921", "--transfers", "3", "--reps", "2", "--warmup", "0", "--verify", "all", NULL);
		expect_exact(doc, st, 12582921, label);
		snprintf(label, sizeof label, "io_uring --qd %s file-file, 4 streams, checksum", qd);
		doc = zc(&st, "run", "--strategy", "io_uring", "--workload", "file-file", "--qd", qd, "--size", "16M",
			 "--streams", "4", "--inspect", "checksum", "--reps", "2", "--warmup", "0", "--verify", "all",
			 NULL);
		expect_exact(doc, st, 16777216, label);
	}
	/* An odd chunk, so reads end mid-buffer, and four streams on TCP. */
	doc = zc(&st, "run", "--strategy", "io_uring", "--workload", "file-tcp", "--qd", "8", "--chunk", "12345",
		 "--size", "16M", "--streams", "4", "--reps", "2", "--warmup", "0", "--verify", "all", NULL);
	expect_exact(doc, st, 16777216, "io_uring --qd 8 --chunk 12345 file-tcp, 4 streams");

	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	CHECK_DONE();
}
