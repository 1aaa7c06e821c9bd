/* Zero-copy sends say what the kernel did: msg_zerocopy and io_uring_send_zc
 * report in strategy_stats how many sends the kernel completed and how many
 * it copied after all, with the counts consistent once the transfer returned
 * (every send completed; copied no more than completed), and a path that
 * states exactly those counts. Relationships only: how many sends the kernel
 * copies depends on the path (all of them on loopback). */
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "run_cmd.h"

static const char *bin;
static char dir[] = "/tmp/zc-zerocopy-XXXXXX";
static char out[300], cache_opt[320];

/* zcbench with the arguments, --out and --cache-dir: the parsed result. */
#define zc(status, ...) zc_run_json(bin, out, cache_opt, status, __VA_ARGS__)

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "(none)";
}

static uint64_t stat_of(json_t *run, const char *k)
{
	json_t *v = json_object_get(json_object_get(run, "strategy_stats"), k);
	if (!json_is_integer(v)) {
		fprintf(stderr, "strategy_stats.%s missing\n", k);
		check_failures++;
	}
	return (uint64_t)json_integer_value(v);
}

/* The path a stream with these counts reports (prefix e.g. "io_uring SEND_ZC"). */
static void expected_path(char *buf, size_t len, const char *prefix, uint64_t done, uint64_t copied)
{
	if (copied == done)
		snprintf(buf, len, "%s: all %" PRIu64 " sends copied (no zero-copy)", prefix, done);
	else if (copied == 0)
		snprintf(buf, len, "%s: zero-copy (0 of %" PRIu64 " sends copied)", prefix, done);
	else
		snprintf(buf, len, "%s: %" PRIu64 " of %" PRIu64 " sends copied", prefix, copied, done);
}

/* One cell, one stream: ok, every run verified with every byte; the counts
 * consistent; the cell's path (from its last run) matching that run's. */
static void check_cell(const char *strategy, const char *workload, const char *size, uint64_t bytes,
		       const char *done_key, const char *prefix, size_t chunk)
{
	int st;
	json_t *doc = zc(&st, "run", "--strategy", strategy, "--workload", workload, "--size", size, "--reps", "2",
			 "--warmup", "1", "--verify", "all", NULL);
	json_t *cell = json_array_get(json_object_get(doc, "results"), 0);
	json_t *runs = json_object_get(cell, "runs");
	size_t nruns = json_array_size(runs);
	if (!doc || st != 0 || strcmp(str(cell, "status"), "ok") != 0 || nruns != 3) {
		fprintf(stderr, "%s on %s: exit %d, status %s, reason %s, %zu runs\n", strategy, workload, st,
			str(cell, "status"), str(cell, "reason"), nruns);
		check_failures++;
		json_decref(doc);
		return;
	}
	for (size_t i = 0; i < nruns; i++) {
		json_t *run = json_array_get(runs, i);
		uint64_t sends = stat_of(run, "sends"), done = stat_of(run, done_key),
			 copied = stat_of(run, "zc_copied");
		CHECK(json_is_true(json_object_get(run, "verified")));
		CHECK_EQ_U64((uint64_t)json_integer_value(json_object_get(run, "bytes")), bytes);
		/* Every send completed before the transfer returned. */
		CHECK_EQ_U64(done, sends);
		CHECK(copied <= done);
		/* No send carries more than a chunk. */
		CHECK(sends >= (bytes + chunk - 1) / chunk);
		/* Every byte sent is classed by its send's completion: copied, or
		 * only pinned; all copied exactly when every completion said so. */
		json_t *zs = json_object_get(run, "zerocopy_sends");
		uint64_t c = (uint64_t)json_integer_value(json_object_get(zs, "copied_bytes")),
			 p = (uint64_t)json_integer_value(json_object_get(zs, "pinned_bytes"));
		CHECK_EQ_U64(c + p, bytes);
		CHECK((copied == done) == (p == 0));
		CHECK((copied == 0) == (c == 0));
		if (i == nruns - 1) {
			char want[128];
			expected_path(want, sizeof want, prefix, done, copied);
			if (strcmp(str(cell, "path"), want) != 0) {
				fprintf(stderr, "%s on %s: path '%s', expected '%s'\n", strategy, workload,
					str(cell, "path"), want);
				check_failures++;
			}
		}
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

	const size_t chunk = 128 * 1024; /* both strategies' default */
	const char *wls[] = {"mem-tcp", "file-tcp", "tcp-proxy"};
	for (size_t w = 0; w < sizeof wls / sizeof wls[0]; w++) {
		check_cell("msg_zerocopy", wls[w], "16M", 16777216, "completions", "send(MSG_ZEROCOPY)", chunk);
		check_cell("io_uring_send_zc", wls[w], "16M", 16777216, "notifications", "io_uring SEND_ZC", chunk);
	}
	/* A size off every boundary: the last send is short. */
	check_cell("msg_zerocopy", "mem-tcp", "1048579", 1048579, "completions", "send(MSG_ZEROCOPY)", chunk);
	check_cell("io_uring_send_zc", "file-tcp", "1048579", 1048579, "notifications", "io_uring SEND_ZC", chunk);

	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	CHECK_DONE();
}
