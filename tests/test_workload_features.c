/* Workload features against ground truth: cold and hot page cache measured
 * by mincore, inspection (CRC32C equal to the test's own, redaction verified
 * at the sink, blind strategies skipped), streams, sweeps expanding into
 * cells, and a forced skip (copy_file_range across filesystems). */
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "harness/cell.h"
#include "run_cmd.h"
#include "workloads/crc32c.h"
#include "workloads/pattern.h"

static const char *bin;
static char dir[] = "/tmp/zc-feat-XXXXXX";
static char cache_opt[300], out[300];

/* zcbench with the arguments, --out and --cache-dir: the parsed result. */
#define zc(status, ...) zc_run_json(bin, out, cache_opt, status, __VA_ARGS__)

static json_t *cell(json_t *doc, size_t i)
{
	return json_array_get(json_object_get(doc, "results"), i);
}

static const char *str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "(null)";
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	bin = argv[1];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(cache_opt, sizeof cache_opt, "--cache-dir=%s/cache", dir);
	snprintf(out, sizeof out, "%s/r.json", dir);
	int st;
	json_t *doc;

	/* Cold cache: nothing of the source is resident before any run; hot:
	 * all of it is (mincore, measured by the harness before the window). */
	doc = zc(&st, "run", "--strategy", "readwrite", "--workload", "file-tcp", "--size", "8M", "--reps", "2",
		 "--cache", "cold", NULL);
	CHECK(st == 0);
	json_t *runs = json_object_get(cell(doc, 0), "runs");
	CHECK(json_array_size(runs) == 3);
	for (size_t i = 0; i < json_array_size(runs); i++)
		CHECK(json_integer_value(json_object_get(json_array_get(runs, i), "source_cached_bytes")) == 0);
	CHECK(strcmp(str(json_object_get(cell(doc, 0), "params"), "cache"), "cold") == 0);
	json_decref(doc);
	doc = zc(&st, "run", "--strategy", "readwrite", "--workload", "file-tcp", "--size", "8M", "--reps", "2", NULL);
	runs = json_object_get(cell(doc, 0), "runs");
	for (size_t i = 1; i < json_array_size(runs); i++)
		CHECK(json_integer_value(json_object_get(json_array_get(runs, i), "source_cached_bytes")) == 8 << 20);
	json_decref(doc);

	/* Checksum: the CRC32C each seeing strategy computed on the way equals
	 * the test's own over the pattern; a blind strategy is skipped. */
	enum { SZ = 3 << 20 };
	char *buf = malloc(SZ);
	zc_pattern_fill(buf, 0, SZ);
	char want[16];
	snprintf(want, sizeof want, "%08x", zc_crc32c(0, buf, SZ));
	free(buf);
	doc = zc(&st, "run", "--strategy", "readwrite,mmap,readv_writev,sendfile", "--workload", "file-tcp", "--size",
		 "3M", "--reps", "1", "--inspect", "checksum", NULL);
	CHECK(st == 0);
	CHECK(json_array_size(json_object_get(doc, "results")) == 4);
	for (size_t i = 0; i < 4; i++) {
		json_t *c = cell(doc, i);
		if (strcmp(str(c, "strategy"), "sendfile") == 0) {
			CHECK(strcmp(str(c, "status"), "skipped") == 0);
			CHECK(strcmp(str(c, "reason"), "blind strategy cannot inspect") == 0);
			continue;
		}
		CHECK(strcmp(str(c, "status"), "ok") == 0);
		json_t *r = json_object_get(c, "runs");
		for (size_t k = 0; k < json_array_size(r); k++)
			CHECK(strcmp(str(json_array_get(r, k), "crc32c"), want) == 0);
	}
	json_decref(doc);

	/* Redaction: every seeing strategy on every workload delivers the
	 * pattern with its digits masked, checked byte by byte at the sink. */
	doc = zc(&st, "run", "--strategy", "all", "--workload", "all", "--size", "2M", "--reps", "1", "--warmup", "0",
		 "--inspect", "redact", NULL);
	CHECK(st == 0);
	size_t seeing = 0;
	for (size_t i = 0; i < json_array_size(json_object_get(doc, "results")); i++) {
		json_t *c = cell(doc, i);
		const char *status = str(c, "status");
		if (json_is_true(json_object_get(c, "sees_data"))) {
			seeing++;
			if (strcmp(status, "ok") != 0 && strcmp(status, "skipped") != 0)
				fprintf(stderr, "redact: %s on %s: %s %s\n", str(c, "strategy"), str(c, "workload"),
					status, str(c, "reason"));
			CHECK(strcmp(status, "failed") != 0);
		} else {
			CHECK(strcmp(str(c, "reason"), "blind strategy cannot inspect") == 0);
		}
	}
	CHECK(seeing >= 20);
	json_decref(doc);

	/* Streams: four concurrent streams, every byte of each verified. */
	doc = zc(&st, "run", "--strategy", "readwrite,pooled,sendfile,splice", "--workload",
		 "file-tcp,file-file,tcp-proxy", "--streams", "4", "--size", "4M", "--reps", "1", "--verify", "all",
		 NULL);
	CHECK(st == 0);
	CHECK(json_array_size(json_object_get(doc, "results")) == 11); /* sendfile cannot read a socket */
	for (size_t i = 0; i < json_array_size(json_object_get(doc, "results")); i++) {
		json_t *c = cell(doc, i);
		if (strcmp(str(c, "status"), "ok") != 0)
			fprintf(stderr, "streams: %s on %s: %s\n", str(c, "strategy"), str(c, "workload"),
				str(c, "reason"));
		CHECK(strcmp(str(c, "status"), "ok") == 0);
		CHECK(json_integer_value(json_object_get(json_object_get(c, "params"), "streams")) == 4);
	}
	json_decref(doc);

	/* Sweeps: 2 sizes x 2 chunks = 4 cells, each with its own params. */
	doc = zc(&st, "run", "--strategy", "readwrite", "--workload", "file-file", "--size", "1M,2M", "--chunk",
		 "4K,64K", "--reps", "1", NULL);
	CHECK(st == 0);
	CHECK(json_array_size(json_object_get(doc, "results")) == 4);
	const json_int_t sizes[] = {1 << 20, 1 << 20, 2 << 20, 2 << 20}, chunks[] = {4096, 65536, 4096, 65536};
	for (size_t i = 0; i < 4; i++) {
		json_t *p = json_object_get(cell(doc, i), "params");
		CHECK(json_integer_value(json_object_get(p, "size_bytes")) == sizes[i]);
		CHECK(json_integer_value(json_object_get(p, "chunk_bytes")) == chunks[i]);
	}
	json_decref(doc);
	/* "all" takes exactly the supported strategies. */
	doc = zc(&st, "run", "--strategy", "all", "--workload", "file-file", "--size", "1M", "--reps", "1", NULL);
	size_t supported = 0;
	const struct zc_workload *ff = zc_workload_find("file-file");
	for (size_t i = 0; i < zc_strategy_count; i++)
		supported += zc_cell_unsupported(zc_strategies[i], ff) == NULL;
	CHECK(json_array_size(json_object_get(doc, "results")) == supported);
	json_decref(doc);

	/* The cache-pollution probe walks its working set once between chunks:
	 * readwrite after each of its 64 writes of 64 KiB; sendfile before each
	 * of its 4 calls of 1 MiB and before the one that reads the end. */
	/* The cache-pollution probe walks after every --victim-every bytes
	 * delivered, the same for every strategy: 4 MiB / 512 KiB = 8 walks,
	 * whatever each call moves (readv_writev: 8 chunks of 64 KiB a call),
	 * each kept or dropped as interrupted, never lost. */
	doc = zc(&st, "run", "--strategy", "readwrite,readv_writev,sendfile,splice,mmap", "--workload",
		 "file-file,file-tcp", "--size", "4M", "--chunk", "64K", "--reps", "1", "--warmup", "0", "--victim",
		 "256K", "--victim-every", "512K", NULL);
	CHECK(st == 0);
	CHECK(json_array_size(json_object_get(doc, "results")) == 10);
	for (size_t i = 0; i < 10; i++) {
		json_t *c = cell(doc, i);
		json_t *v = json_object_get(json_array_get(json_object_get(c, "runs"), 0), "victim");
		json_int_t w = json_integer_value(json_object_get(v, "walks"));
		if (w != 8)
			fprintf(stderr, "victim: %s walked %lld times, want 8\n", str(c, "strategy"), (long long)w);
		CHECK(w == 8);
		CHECK(json_integer_value(json_object_get(v, "merged")) == 0);
		CHECK(json_integer_value(json_object_get(v, "every_bytes")) == 512 * 1024);
		CHECK(json_integer_value(json_object_get(v, "kept")) +
			      json_integer_value(json_object_get(v, "excluded_interrupted")) ==
		      w);
		CHECK(json_integer_value(json_object_get(v, "lines_per_walk")) == 256 * 1024 / 64);
		double walk = json_real_value(json_object_get(v, "median_walk_ns"));
		double base = json_real_value(json_object_get(v, "baseline_median_walk_ns"));
		double ratio = json_real_value(json_object_get(v, "ratio"));
		CHECK(base > 0 && walk > 0);
		CHECK(ratio > walk / base * 0.999999 && ratio < walk / base * 1.000001);
		CHECK(json_integer_value(json_object_get(json_object_get(c, "params"), "victim_bytes")) == 256 * 1024);
		CHECK(json_is_object(json_object_get(json_object_get(c, "summary"), "victim")));
	}
	json_decref(doc);

	/* At the default (a walk per chunk) readv_writev, moving 8 chunks a
	 * call, gets one walk a call and says how many walks it could not have:
	 * 4M / 64K = 64 = 8 walks + 56 merged. */
	doc = zc(&st, "run", "--strategy", "readv_writev", "--workload", "file-file", "--size", "4M", "--chunk", "64K",
		 "--iovecs", "8", "--reps", "1", "--warmup", "0", "--victim", "256K", NULL);
	CHECK(st == 0);
	{
		json_t *v = json_object_get(json_array_get(json_object_get(cell(doc, 0), "runs"), 0), "victim");
		CHECK(json_integer_value(json_object_get(v, "walks")) == 8);
		CHECK(json_integer_value(json_object_get(v, "merged")) == 56);
	}
	json_decref(doc);

	/* Interrupted walks are dropped and counted: with the duration rule
	 * (no eBPF) at a threshold of 0 ns every walk counts as interrupted. */
	setenv("ZC_VICTIM_THRESHOLD_NS", "0", 1);
	doc = zc(&st, "run", "--strategy", "sendfile", "--workload", "file-file", "--size", "4M", "--chunk", "64K",
		 "--reps", "1", "--warmup", "0", "--victim", "256K", "--no-probes", NULL);
	unsetenv("ZC_VICTIM_THRESHOLD_NS");
	CHECK(st == 0);
	{
		json_t *v = json_object_get(json_array_get(json_object_get(cell(doc, 0), "runs"), 0), "victim");
		CHECK(json_integer_value(json_object_get(v, "walks")) == 64);
		CHECK(json_integer_value(json_object_get(v, "excluded_interrupted")) == 64);
		CHECK(json_integer_value(json_object_get(v, "kept")) == 0);
		CHECK(json_is_null(json_object_get(v, "ratio")));
		CHECK(strcmp(str(v, "interrupted_by"), "duration") == 0);
		CHECK(json_object_get(json_object_get(cell(doc, 0), "summary"), "victim") == NULL);
	}
	json_decref(doc);

	/* Forced skip: copy_file_range from the cache (ext4 here) into tmpfs is
	 * refused by the kernel; the cell says so and nothing falls back. */
	if (access("/dev/shm", W_OK) == 0) {
		doc = zc(&st, "run", "--strategy", "copy_file_range", "--workload", "file-file", "--size", "1M",
			 "--dest-dir", "/dev/shm", NULL);
		CHECK(st == 0);
		CHECK(strcmp(str(cell(doc, 0), "status"), "skipped") == 0);
		CHECK(strcmp(str(cell(doc, 0), "reason"), "copy_file_range: Invalid cross-device link") == 0);
		CHECK(json_array_size(json_object_get(cell(doc, 0), "runs")) == 0);
		json_decref(doc);
	}

	char rm[400];
	snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
	CHECK(system(rm) == 0);
	CHECK_DONE();
}
