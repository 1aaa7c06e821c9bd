/* The verdicts through the binary (no timing asserted): `all` runs every
 * strategy of a workload at one chunk and writes the verdicts array; the
 * adaptive rounds stop for the reason they say; --time sizes runs in whole,
 * verified passes; progress and messages on stderr never land inside the
 * table when both streams go to one pipe. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "tests/run_cmd.h"

static char dir[] = "/tmp/zc-verdicts-XXXXXX";
static char cache_opt[320];

static json_t *load(const char *path)
{
	json_error_t e;
	json_t *doc = json_load_file(path, 0, &e);
	if (!doc)
		fprintf(stderr, "%s: %s\n", path, e.text);
	return doc;
}

/* all: one chunk per workload (the profile's), verdicts for each cell that ran. */
static void check_all_equal_chunks(const char *bin)
{
	char out_dir[320];
	snprintf(out_dir, sizeof out_dir, "%s/all", dir);
	char *args[] = {(char *)bin, "all", "--workload",  "file-tcp,file-file", "--size", "1M",      "--reps", "2",
			"--warmup",  "0",   "--no-probes", "--out-dir",		 out_dir,  cache_opt, NULL};
	static struct cmd_result r;
	CHECK(run_cmd(args, &r) == 0);
	CHECK(r.status == 0);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "ls %s/zcbench-*.json", out_dir);
	FILE *ls = popen(cmd, "r");
	char path[400] = "";
	if (ls) {
		if (!fgets(path, sizeof path, ls))
			path[0] = 0;
		pclose(ls);
	}
	path[strcspn(path, "\n")] = 0;
	json_t *doc = load(path);
	CHECK(doc != NULL);
	if (!doc)
		return;
	size_t i, ncells = 0;
	json_t *c;
	json_array_foreach(json_object_get(doc, "results"), i, c)
	{
		json_int_t chunk = json_integer_value(json_object_get(json_object_get(c, "params"), "chunk_bytes"));
		CHECK(chunk == 1048576);
		CHECK(json_is_array(json_object_get(c, "warnings")));
		ncells++;
	}
	CHECK(ncells >= 6);
	json_t *vs = json_object_get(doc, "verdicts");
	CHECK(json_array_size(vs) >= 4);
	json_t *v;
	json_array_foreach(vs, i, v)
	{
		CHECK(json_integer_value(json_object_get(v, "chunk_bytes")) == 1048576);
		CHECK(json_integer_value(json_object_get(v, "baseline_chunk_bytes")) == 1048576);
		CHECK(json_array_size(json_object_get(v, "unequal")) == 0);
		CHECK(strcmp(json_string_value(json_object_get(v, "baseline")), "readwrite") == 0);
		/* Two rounds reach 50%: nothing is decided. */
		CHECK(json_is_false(json_object_get(v, "decided")));
		CHECK(json_integer_value(json_object_get(v, "rounds")) == 2);
	}
	CHECK(json_is_array(json_object_get(doc, "warnings")));
	CHECK(json_is_object(json_object_get(json_object_get(doc, "noise"), "memcpy_at_end")));
	/* The answer first, then the table with the chunk and the counts. */
	CHECK(strncmp(r.out, "file-tcp: 1 MiB per run, chunk 1 MiB", 36) == 0);
	CHECK(strstr(r.out, "cells: ") != NULL);
	json_decref(doc);
}

/* One strategy has nothing to compare: the first check after --min-runs
 * finds every verdict decided. Three rounds never reach 95%: max_runs. */
static void check_adaptive(const char *bin)
{
	char out[320];
	snprintf(out, sizeof out, "%s/a.json", dir);
	int st;
	json_t *doc = zc_run_json(bin, out, cache_opt, &st, "run", "--strategy", "readwrite", "--workload", "file-tcp",
				  "--size", "1M", "--min-runs", "2", "--max-runs", "9", "--no-probes", NULL);
	CHECK(doc && st == 0);
	if (doc) {
		json_t *plan = json_object_get(doc, "plan");
		CHECK(json_integer_value(json_object_get(plan, "rounds")) == 2);
		CHECK(strcmp(json_string_value(json_object_get(plan, "stopped_because")), "decided") == 0);
		json_decref(doc);
	}
	doc = zc_run_json(bin, out, cache_opt, &st, "run", "--strategy", "readwrite,sendfile", "--workload", "file-tcp",
			  "--size", "1M", "--chunk", "64K", "--min-runs", "3", "--max-runs", "3", "--no-probes", NULL);
	CHECK(doc && st == 0);
	if (doc) {
		json_t *plan = json_object_get(doc, "plan");
		CHECK(json_integer_value(json_object_get(plan, "rounds")) == 3);
		CHECK(strcmp(json_string_value(json_object_get(plan, "stopped_because")), "max_runs") == 0);
		json_t *v = json_array_get(json_object_get(doc, "verdicts"), 0);
		CHECK_NEAR(json_real_value(json_object_get(v, "ci_level")), 0.75, 1e-12);
		json_decref(doc);
	}
}

/* --time: whole passes over the 1 MiB source, the same for both strategies,
 * every run holding exactly the bytes of its size. */
static void check_time(const char *bin)
{
	char out[320];
	snprintf(out, sizeof out, "%s/t.json", dir);
	int st;
	json_t *doc = zc_run_json(bin, out, cache_opt, &st, "run", "--strategy", "readwrite,splice", "--workload",
				  "file-file", "--size", "1M", "--chunk", "64K", "--time", "20ms", "--reps", "2",
				  "--verify", "all", "--no-probes", NULL);
	CHECK(doc && st == 0);
	if (!doc)
		return;
	json_int_t size0 = -1;
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(doc, "results"), i, c)
	{
		json_t *p = json_object_get(c, "params");
		json_int_t size = json_integer_value(json_object_get(p, "size_bytes"));
		CHECK(size % 1048576 == 0);
		CHECK(json_integer_value(json_object_get(p, "transfers")) == size / 1048576);
		if (size0 < 0)
			size0 = size;
		CHECK(size == size0);
		size_t k;
		json_t *run;
		json_array_foreach(json_object_get(c, "runs"), k, run)
		{
			if (json_is_true(json_object_get(run, "warmup")))
				continue;
			CHECK(json_integer_value(json_object_get(run, "bytes")) == size);
			CHECK(json_is_true(json_object_get(run, "verified")));
		}
	}
	CHECK(json_integer_value(json_object_get(json_object_get(doc, "plan"), "time_ns")) == 20000000);
	json_decref(doc);
}

/* stdout and stderr into one pipe: the table's lines stay whole and
 * together, progress and messages outside it; apart, each stream holds
 * only its own. */
static void check_streams(const char *bin)
{
	char script[1200];
	snprintf(script, sizeof script,
		 "'%s' run --strategy readwrite,sendfile,splice --workload file-tcp --size 1M --reps 2 "
		 "--no-probes %s --out %s/s.json 2>&1",
		 bin, cache_opt, dir);
	char *args[] = {"/bin/sh", "-c", script, NULL};
	static struct cmd_result merged, apart;
	CHECK(run_cmd(args, &merged) == 0 && merged.status == 0);
	/* The table runs from the first verdict line to "cells: ...". */
	const char *start = strstr(merged.out, "file-tcp: 1 MiB per run");
	const char *end = start ? strstr(start, "\ncells: ") : NULL;
	CHECK(start && end);
	if (start && end) {
		CHECK(strstr(start, "[cell ") == NULL || strstr(start, "[cell ") > end);
		const char *msg = strstr(start, "zcbench: ");
		CHECK(msg == NULL || msg > end);
		CHECK(start == merged.out || start[-1] == '\n');
	}
	char *args2[] = {(char *)bin,  "run",	   "--strategy",  "readwrite,sendfile,splice",
			 "--workload", "file-tcp", "--size",	  "1M",
			 "--reps",     "2",	   "--no-probes", cache_opt,
			 NULL};
	CHECK(run_cmd(args2, &apart) == 0 && apart.status == 0);
	CHECK(strstr(apart.out, "[cell ") == NULL && strstr(apart.out, "zcbench: ") == NULL);
	CHECK(strstr(apart.err, "[cell ") != NULL && strstr(apart.err, "GB/s") == NULL);
	/* Every line of the table fits 100 columns. */
	for (const char *l = apart.out; *l;) {
		size_t len = strcspn(l, "\n");
		if (len > 100)
			fprintf(stderr, "line of %zu columns: %.*s\n", len, (int)len, l);
		CHECK(len <= 100);
		l += len + (l[len] == '\n');
	}
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	CHECK(mkdtemp(dir) != NULL);
	snprintf(cache_opt, sizeof cache_opt, "--cache-dir=%s/cache", dir);
	check_all_equal_chunks(argv[1]);
	check_adaptive(argv[1]);
	check_time(argv[1]);
	check_streams(argv[1]);
	char rm[400];
	snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
	if (system(rm) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	CHECK_DONE();
}
