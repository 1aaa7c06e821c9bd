/* Lifecycle: SIGTERM mid-transfer. For every strategy on file-tcp and
 * tcp-proxy: the loops return within two checkpoints of the signal, the sink
 * holds exactly the bytes the subject reports delivered (each one checked
 * against the pattern), with a working and with a stalled peer; and the blind
 * variant (no deadlines) has to be killed at the hard bound. */
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "harness/cell.h"
#include "run_cmd.h"

/* Generous on purpose: the bound under test is "within two checkpoints",
 * and a loaded 2-CPU machine must not make it flaky. */
#define CHECKPOINT_NS 500000000ull

static const char *bin;
static char out[300];
static const char *cache_opt = "--cache-dir=/var/tmp/zcbench-tests";

/* zcbench with the arguments, --out and --cache-dir: the parsed result. */
#define zc(status, ...) zc_run_json(bin, out, cache_opt, status, __VA_ARGS__)

static json_int_t num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* Check every cell of doc: ok, one signalled run, and what `expect` says. */
enum expect { STOPS_IN_TIME, KILLED };
static void check_cells(json_t *doc, enum expect expect, const char *label)
{
	json_t *results = json_object_get(doc, "results");
	CHECK(json_array_size(results) > 0);
	for (size_t i = 0; i < json_array_size(results); i++) {
		json_t *c = json_array_get(results, i);
		const char *name = json_string_value(json_object_get(c, "strategy"));
		const char *wl = json_string_value(json_object_get(c, "workload"));
		const char *status = json_string_value(json_object_get(c, "status"));
		json_t *run = json_array_get(json_object_get(c, "runs"), 0);
		json_t *sd = json_object_get(run, "shutdown");
		int ok = status && strcmp(status, "ok") == 0 && sd &&
			 json_is_false(json_object_get(sd, "finished_before_signal"));
		if (ok && expect == STOPS_IN_TIME) {
			/* Back in user space within two checkpoints, nothing left in
			 * a pipe, and (status ok) the sink got exactly what the
			 * subject delivered, every byte verified. */
			ok = json_is_false(json_object_get(sd, "killed")) &&
			     num(sd, "signal_to_stop_ns") <= (json_int_t)(2 * CHECKPOINT_NS) &&
			     json_is_true(json_object_get(run, "verified")) &&
			     num(sd, "delivered_bytes") == num(run, "bytes") && num(run, "bytes") > 0 &&
			     num(sd, "delivered_bytes") ==
				     num(sd, "delivered_bytes_at_signal") + num(sd, "drained_after_signal_bytes");
		} else if (ok) {
			ok = json_is_true(json_object_get(sd, "killed")) &&
			     json_is_null(json_object_get(sd, "signal_to_stop_ns"));
		}
		if (!ok) {
			char *dump = json_dumps(c, JSON_COMPACT);
			fprintf(stderr, "%s: %s on %s: %s\n", label, name, wl, dump ? dump : "?");
			free(dump);
			check_failures++;
		}
	}
}

/* Every strategy that runs on file-tcp or tcp-proxy, as a --strategy list. */
static void strategy_list(char *buf, size_t len)
{
	buf[0] = 0;
	const struct zc_workload *ft = zc_workload_find("file-tcp"), *tp = zc_workload_find("tcp-proxy");
	for (size_t i = 0; i < zc_strategy_count; i++) {
		const struct zc_strategy *s = zc_strategies[i];
		if (zc_cell_unsupported(s, ft) && zc_cell_unsupported(s, tp))
			continue;
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", buf[0] ? "," : "", s->name);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	bin = argv[1];
	char strategies[1024];
	strategy_list(strategies, sizeof strategies);
	char dir[] = "/tmp/zc-shutdown-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	snprintf(out, sizeof out, "%s/r.json", dir);
	int st;

	/* Each case on each workload. The signal comes 600 ms in; the copies
	 * must still be running then, even on an idle machine where a verified
	 * stream moves about 3 GB/s: file-tcp moves 8 GiB (four transfers of the
	 * 2 GiB pattern file), the proxy 2 GiB through two hops. */
	static const char *const workloads[][3] = {{"file-tcp", "8G", "4"}, {"tcp-proxy", "2G", "1"}};
	for (size_t w = 0; w < 2; w++) {
		/* A working peer: stop, drain, deliver exactly. */
		json_t *doc = zc(&st, "run", "--strategy", strategies, "--workload", workloads[w][0], "--size",
				 workloads[w][1], "--transfers", workloads[w][2], "--reps", "1", "--warmup", "0",
				 "--checkpoint", "500ms", "--shutdown-after", "600ms", NULL);
		CHECK(st == 0);
		check_cells(doc, STOPS_IN_TIME, "working peer");
		json_decref(doc);

		/* A stalled peer: the sends back up; every strategy still gives
		 * up within two checkpoints and says what it could not deliver. */
		doc = zc(&st, "run", "--strategy", strategies, "--workload", workloads[w][0], "--size", workloads[w][1],
			 "--transfers", workloads[w][2], "--reps", "1", "--warmup", "0", "--checkpoint", "500ms",
			 "--shutdown-after", "600ms", "--stall-peer", "256K", NULL);
		CHECK(st == 0);
		check_cells(doc, STOPS_IN_TIME, "stalled peer");
		json_decref(doc);
	}

	/* The blind variant: no deadlines, calls restarted after the signal; a
	 * stalled peer leaves it blocked in the kernel until the hard bound. */
	json_t *doc = zc(&st, "run", "--strategy", "readwrite,sendfile,splice", "--workload", "file-tcp", "--size",
			 "2G", "--reps", "1", "--warmup", "0", "--no-deadlines", "--shutdown-after", "600ms",
			 "--stall-peer", "256K", "--kill-after", "500ms", NULL);
	CHECK(st == 0);
	check_cells(doc, KILLED, "blind variant");
	json_decref(doc);

	char rm[400];
	snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
	CHECK(system(rm) == 0);
	CHECK_DONE();
}
