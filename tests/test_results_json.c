/* The result file carries the keys later tools rely on (results/SCHEMA.md),
 * records which runs were verified, and leaves no temp file behind. */
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "harness/result_json.h"
#include "run_cmd.h"

static int has(json_t *obj, const char *path)
{
	/* path: dot-separated keys */
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	json_t *at = obj;
	for (char *save, *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save))
		at = json_object_get(at, k);
	if (!at)
		fprintf(stderr, "missing key %s\n", path);
	return at != NULL;
}

/* A run that moved no byte has no rate: throughput and CPU per GiB are null
 * (never 0.0), and so is its outlier flag; a run beside it that moved bytes
 * is summarized alone. */
static void zero_bytes_are_null(void)
{
	struct zc_run runs[3] = {
		{.warmup = true, .measured = true, .bytes = 0, .w = {.elapsed_ns = 1000}},
		{.measured = true, .bytes = 0, .w = {.elapsed_ns = 1000, .user_ns = 10, .sys_ns = 20}},
		{.measured = true, .bytes = 1 << 20, .w = {.elapsed_ns = 1000000, .user_ns = 100, .sys_ns = 200}},
	};
	struct zc_cell cell = {.p = {.strategy = zc_strategy_find("readwrite"),
				     .workload = zc_workload_find("file-file"),
				     .size = 1 << 20,
				     .streams = 1,
				     .transfers = 1},
			       .chunk = 4096,
			       .status = ZC_OK,
			       .runs = runs,
			       .nruns = 2};
	json_t *j = zc_cell_json(&cell);
	json_t *sum = json_object_get(j, "summary");
	CHECK(json_integer_value(json_object_get(sum, "runs")) == 1);
	CHECK(json_is_null(json_object_get(sum, "throughput_bps")));
	CHECK(json_is_null(json_object_get(sum, "cpu_ns_per_gib")));
	CHECK(json_is_null(json_object_get(sum, "outliers")));
	CHECK(json_is_null(json_object_get(json_array_get(json_object_get(j, "runs"), 1), "outlier")));
	json_decref(j);

	cell.nruns = 3;
	j = zc_cell_json(&cell);
	sum = json_object_get(j, "summary");
	CHECK(json_integer_value(json_object_get(sum, "runs")) == 2);
	CHECK_NEAR(json_real_value(json_object_get(json_object_get(sum, "throughput_bps"), "median")), 1048576e3, 1e-3);
	CHECK_NEAR(json_real_value(json_object_get(json_object_get(sum, "cpu_ns_per_gib"), "user")), 100.0 * 1024,
		   1e-9);
	CHECK(json_is_null(json_object_get(json_array_get(json_object_get(j, "runs"), 1), "outlier")));
	CHECK(json_is_false(json_object_get(json_array_get(json_object_get(j, "runs"), 2), "outlier")));
	json_decref(j);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	zero_bytes_are_null();
	char dir[] = "/tmp/zc-json-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char out[300], cache[300], cache_opt[320];
	snprintf(out, sizeof out, "%s/r.json", dir);
	snprintf(cache, sizeof cache, "%s/cache", dir);
	snprintf(cache_opt, sizeof cache_opt, "--cache-dir=%s", cache);

	char *args[] = {argv[1],  "run", "--strategy", "splice", "--workload", "file-file", "--size",  "4M",
			"--reps", "3",	 "--warmup",   "1",	 "--out",      out,	    cache_opt, NULL};
	static struct cmd_result r;
	CHECK(run_cmd(args, &r) == 0);
	CHECK(r.status == 0);
	json_error_t e;
	json_t *doc = json_load_file(out, 0, &e);
	CHECK(doc != NULL);
	if (!doc)
		CHECK_DONE();
	CHECK(strcmp(json_string_value(json_object_get(doc, "schema")), "zcbench/1") == 0);
	const char *top[] = {
		"tool.name",	  "tool.version", "host.kernel_release", "host.kernel_version", "host.machine",
		"host.cpu_model", "host.cpus",	  "host.mem_bytes",	 "started_at",		"command",
		"results",	  "probes",	  "interrupted"};
	for (size_t i = 0; i < sizeof top / sizeof top[0]; i++)
		CHECK(has(doc, top[i]));
	CHECK(json_is_false(json_object_get(doc, "interrupted")));
	json_t *cmd = json_object_get(doc, "command");
	CHECK(json_array_size(cmd) == 15 && strcmp(json_string_value(json_array_get(cmd, 1)), "run") == 0);

	json_t *cell = json_array_get(json_object_get(doc, "results"), 0);
	const char *keys[] = {"strategy",
			      "workload",
			      "sees_data",
			      "params.size_bytes",
			      "params.chunk_bytes",
			      "params.transfers",
			      "params.pipe_size_bytes",
			      "status",
			      "reason",
			      "path",
			      "runs",
			      "summary.runs",
			      "summary.throughput_bps.median",
			      "summary.throughput_bps.mean",
			      "summary.throughput_bps.stddev",
			      "summary.throughput_bps.min",
			      "summary.throughput_bps.max",
			      "summary.throughput_bps.ci95_low",
			      "summary.throughput_bps.ci95_high",
			      "summary.throughput_bps.ci_level",
			      "summary.cpu_ns_per_gib.user",
			      "summary.cpu_ns_per_gib.sys",
			      "summary.outliers"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		CHECK(has(cell, keys[i]));
	CHECK(strcmp(json_string_value(json_object_get(cell, "status")), "ok") == 0);
	CHECK(json_is_null(json_object_get(cell, "reason")));
	CHECK(json_is_false(json_object_get(cell, "sees_data")));
	CHECK(json_integer_value(json_object_get(json_object_get(cell, "params"), "size_bytes")) == 4 << 20);
	CHECK(json_integer_value(json_object_get(json_object_get(cell, "params"), "chunk_bytes")) == 1 << 20);
	CHECK(json_integer_value(json_object_get(json_object_get(cell, "summary"), "runs")) == 3);
	json_t *runs = json_object_get(cell, "runs");
	CHECK(json_array_size(runs) == 4);
	for (size_t i = 0; i < json_array_size(runs); i++) {
		json_t *run = json_array_get(runs, i);
		/* The warm-up run is the verified one; measured runs are not. */
		CHECK(json_is_boolean(json_object_get(run, "verified")));
		CHECK(json_is_true(json_object_get(run, "verified")) == (i == 0));
		CHECK(json_is_true(json_object_get(run, "warmup")) == (i == 0));
		CHECK(json_integer_value(json_object_get(run, "bytes")) == 4 << 20);
		CHECK(json_integer_value(json_object_get(run, "elapsed_ns")) > 0);
		CHECK(json_is_integer(json_object_get(run, "user_ns")));
		CHECK(json_is_integer(json_object_get(run, "sys_ns")));
		CHECK(json_is_integer(json_object_get(run, "minor_faults")));
	}
	json_t *tp = json_object_get(json_object_get(cell, "summary"), "throughput_bps");
	double lo = json_real_value(json_object_get(tp, "ci95_low"));
	double med = json_real_value(json_object_get(tp, "median"));
	double hi = json_real_value(json_object_get(tp, "ci95_high"));
	CHECK(lo > 0 && lo <= med && med <= hi);
	json_decref(doc);

	/* Nothing left behind: no temp JSON beside the result, no destination
	 * file in the cache, only the pattern and its stamp. */
	CHECK(count_dir_entries(dir, ".zcbench-") == 0);
	CHECK(count_dir_entries(cache, "dest-") == 0);
	CHECK(count_dir_entries(cache, "pattern-") == 2);

	/* --out - puts the JSON alone on stdout and the table on stderr. */
	char *args2[] = {argv[1], "run",    "--strategy", "readwrite", "--workload", "file-tcp", "--size",
			 "1M",	  "--reps", "1",	  "--out",     "-",	     cache_opt,	 NULL};
	CHECK(run_cmd(args2, &r) == 0);
	CHECK(r.status == 0);
	doc = json_loads(r.out, 0, &e);
	CHECK(doc != NULL);
	CHECK(strstr(r.err, "GB/s") != NULL); /* the table: GB/s = 10^9, as everywhere */
	json_decref(doc);

	char rm[400];
	snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
	CHECK(system(rm) == 0);
	CHECK_DONE();
}
