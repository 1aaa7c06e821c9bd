/* Every strategy x workload pair moves every byte exactly, at the edge sizes;
 * and a corrupted source is caught with the offset of the first wrong byte,
 * blamed on the source file, never on the copy. */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "harness/cell.h"
#include "workloads/pattern.h"
#include "workloads/source_file.h"
#include "run_cmd.h"

static const char *bin;
static char dir[] = "/tmp/zc-verify-XXXXXX";

/* Run one cell with every run verified; return its parsed JSON document. */
static json_t *run_cell(const char *strategy, const char *workload, uint64_t size, uint64_t transfers,
			const char *cache, int *status)
{
	char sz[32], tr[32], out[300], cache_opt[300];
	snprintf(sz, sizeof sz, "%" PRIu64, size);
	snprintf(tr, sizeof tr, "%" PRIu64, transfers);
	snprintf(out, sizeof out, "%s/out.json", dir);
	snprintf(cache_opt, sizeof cache_opt, "--cache-dir=%s", cache);
	char *argv[] = {(char *)bin,   "run",
			"--strategy",  (char *)strategy,
			"--workload",  (char *)workload,
			"--size",      sz,
			"--transfers", tr,
			"--reps",      "2",
			"--warmup",    "0",
			"--verify",    "all",
			"--out",       out,
			cache_opt,     NULL};
	static struct cmd_result r;
	if (run_cmd(argv, &r) != 0)
		return NULL;
	*status = r.status;
	json_error_t e;
	json_t *doc = json_load_file(out, 0, &e);
	if (!doc)
		fprintf(stderr, "%s %s %" PRIu64 ": no JSON (%s); stderr: %s\n", strategy, workload, size, e.text,
			r.err);
	unlink(out);
	return doc;
}

/* Byte 777777 of the 1 MiB pattern file flipped, and the stamp rewritten
 * to match: a file the cache trusts and the sink finds wrong. */
static void corrupt_and_stamp(const char *src)
{
	unsigned char good;
	zc_pattern_fill(&good, 777777, 1);
	int fd = open(src, O_RDWR);
	CHECK(fd >= 0);
	unsigned char bad = good ^ 0x55;
	CHECK(pwrite(fd, &bad, 1, 777777) == 1);
	close(fd);
	char err[512];
	CHECK(zc_source_stamp_write(src, err, sizeof err) == 0);
}

static void expect_exact(const char *strategy, const char *workload, uint64_t size, uint64_t transfers,
			 const char *cache)
{
	int status = -1;
	json_t *doc = run_cell(strategy, workload, size, transfers, cache, &status);
	json_t *cell = json_array_get(json_object_get(doc, "results"), 0);
	const char *st = json_string_value(json_object_get(cell, "status"));
	json_t *runs = json_object_get(cell, "runs");
	int ok = status == 0 && st && strcmp(st, "ok") == 0 && json_array_size(runs) == 2;
	/* A blind strategy into memory leaves nothing to check but the count. */
	const struct zc_strategy *s = zc_strategy_find(strategy);
	bool checkable = s->sees_data || zc_workload_find(workload)->sink != ZC_EP_MEM;
	for (size_t i = 0; ok && i < 2; i++) {
		json_t *run = json_array_get(runs, i);
		ok = json_is_true(json_object_get(run, "verified")) == checkable &&
		     (uint64_t)json_integer_value(json_object_get(run, "bytes")) == size;
	}
	if (!ok) {
		fprintf(stderr, "%s on %s, %" PRIu64 " bytes in %" PRIu64 " transfers: exit %d, status %s, reason %s\n",
			strategy, workload, size, transfers, status, st ? st : "(none)",
			json_string_value(json_object_get(cell, "reason")));
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
	char cache[300];
	snprintf(cache, sizeof cache, "%s/cache", dir);

	size_t pairs = 0;
	for (size_t si = 0; si < zc_strategy_count; si++) {
		const struct zc_strategy *s = zc_strategies[si];
		const uint64_t c = s->default_chunk;
		/* From the smallest size there is: --size 0 is bad input (exit 2,
		 * test_cli_options), a run of nothing measures nothing. */
		const uint64_t sizes[] = {1, 4095, 4097, c - 1, c + 1, 5 * 1048576 + 3};
		for (size_t wi = 0; wi < zc_workload_count; wi++) {
			const struct zc_workload *w = zc_workloads[wi];
			if (zc_cell_unsupported(s, w))
				continue;
			pairs++;
			for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
				expect_exact(s->name, w->name, sizes[k], 1, cache);
			/* Three sequential transfers of a 4097-byte file (a stream
			 * source ends once, so it has one transfer). */
			if (w->source == ZC_EP_FILE || w->source == ZC_EP_MEM)
				expect_exact(s->name, w->name, 3 * 4097, 3, cache);
		}
	}
	CHECK(pairs >= 8);

	/* Corrupt one byte of the cached source and stamp it as it now is, so the
	 * cache trusts it (as if it went bad between the check and the run):
	 * every pair must fail at exactly that offset, blamed on the source, not
	 * on the copy. */
	char src[400];
	snprintf(src, sizeof src, "%s/pattern-v1-%d", cache, 1048576);
	int status;
	json_decref(run_cell("readwrite", "file-file", 1048576, 1, cache, &status));
	char want[600];
	snprintf(want, sizeof want,
		 "source file corrupt: %s differs from the pattern at offset 777777 (the sink's first wrong byte is "
		 "at offset 777777",
		 src);
	for (size_t si = 0; si < zc_strategy_count; si++)
		for (size_t wi = 0; wi < zc_workload_count; wi++) {
			/* A memory source never reads the file; a blind strategy
			 * into memory never sees a byte (recv_trunc). */
			if (zc_cell_unsupported(zc_strategies[si], zc_workloads[wi]) ||
			    zc_workloads[wi]->source == ZC_EP_MEM ||
			    (zc_workloads[wi]->sink == ZC_EP_MEM && !zc_strategies[si]->sees_data))
				continue;
			/* The run that finds it stops trusting the file: corrupt it again. */
			corrupt_and_stamp(src);
			json_t *doc =
				run_cell(zc_strategies[si]->name, zc_workloads[wi]->name, 1048576, 1, cache, &status);
			json_t *cell = json_array_get(json_object_get(doc, "results"), 0);
			const char *reason = json_string_value(json_object_get(cell, "reason"));
			/* Several streams or sinks: the sink offset is that of its stream. */
			if (status != 1 || !reason || strncmp(reason, want, strlen(want)) != 0 ||
			    strcmp(json_string_value(json_object_get(cell, "status")), "failed") != 0) {
				fprintf(stderr, "corrupt source, %s on %s: exit %d, reason %s\n",
					zc_strategies[si]->name, zc_workloads[wi]->name, status,
					reason ? reason : "(none)");
				check_failures++;
			}
			json_decref(doc);
		}

	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	CHECK_DONE();
}
