/* zcbench calibrate: every figure present with the documented type (exact
 * integers for counts, bytes and nanoseconds; reals for rates), the report's
 * accessors find them, and the command's JSON and errors. No timing is
 * asserted beyond "measured" (a positive figure).
 * Usage: test_calibrate ZCBENCH */
#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "harness/calibrate.h"
#include "run_cmd.h"

static void check_part(const json_t *cal, const char *part, const char *rate, size_t trials)
{
	const json_t *p = json_object_get(cal, part);
	CHECK(json_is_object(p));
	const json_t *r = json_object_get(p, rate);
	if (!json_is_real(r)) {
		fprintf(stderr, "%s.%s not measured: %s\n", part, rate,
			json_string_value(json_object_get(p, "reason")));
		check_failures++;
		return;
	}
	CHECK(json_real_value(r) > 0);
	CHECK(json_integer_value(json_object_get(p, "trials")) == (json_int_t)trials);
	const json_t *t = json_object_get(p, "trial_ns");
	CHECK(json_array_size(t) == trials);
	for (size_t i = 0; i < json_array_size(t); i++)
		CHECK(json_is_integer(json_array_get(t, i)) && json_integer_value(json_array_get(t, i)) > 0);
	CHECK(json_is_integer(json_object_get(p, "median_ns")));
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_calibrate ZCBENCH\n");
		return 2;
	}
	json_t *cal = zc_calibrate_measure();
	CHECK(cal != NULL);
	check_part(cal, "memcpy", "bps", 7);
	check_part(cal, "syscall", "ns_per_call", 5);
	check_part(cal, "pipe", "bps", 5);
	CHECK(json_integer_value(json_object_get(json_object_get(cal, "memcpy"), "buffer_bytes")) == 64 << 20);
	CHECK(json_integer_value(json_object_get(json_object_get(cal, "syscall"), "calls_per_trial")) == 200000);
	CHECK(json_integer_value(json_object_get(json_object_get(cal, "pipe"), "chunk_bytes")) == 1 << 20);
	CHECK(json_integer_value(json_object_get(json_object_get(cal, "pipe"), "bytes_per_trial")) == 256 << 20);
	CHECK(json_is_integer(json_object_get(cal, "elapsed_ns")));
	CHECK(json_is_string(json_object_get(cal, "measured_at")));
	/* The median is one of the trials; the rate is its exact quotient. */
	const json_t *m = json_object_get(cal, "memcpy");
	double bps;
	CHECK(zc_calibrate_memcpy_bps(cal, &bps) == 0);
	CHECK_NEAR(bps, (double)(64 << 20) * 1e9 / (double)json_integer_value(json_object_get(m, "median_ns")), 1e-3);
	double ns;
	CHECK(zc_calibrate_syscall_ns(cal, &ns) == 0);
	CHECK_NEAR(ns,
		   (double)json_integer_value(json_object_get(json_object_get(cal, "syscall"), "median_ns")) / 200000.0,
		   1e-9);
	CHECK(zc_calibrate_pipe_bps(cal, &bps) == 0);
	json_decref(cal);
	/* Absent figures are absent, not 0. */
	json_t *empty = json_object();
	CHECK(zc_calibrate_memcpy_bps(empty, &bps) == -1);
	CHECK(zc_calibrate_syscall_ns(NULL, &ns) == -1);
	json_decref(empty);

	/* The command: a table, and the same object as JSON. */
	char dir[] = "/tmp/zc-cal-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char out[128];
	snprintf(out, sizeof out, "%s/cal.json", dir);
	static struct cmd_result r;
	char *args[] = {argv[1], "calibrate", "--out", out, NULL};
	CHECK(run_cmd(args, &r) == 0 && r.status == 0);
	CHECK(strstr(r.out, "memcpy, one core") && strstr(r.out, "syscall round trip") &&
	      strstr(r.out, "pipe write/read"));
	json_t *doc = json_load_file(out, 0, NULL);
	CHECK(doc && json_is_real(json_object_get(json_object_get(doc, "memcpy"), "bps")));
	json_decref(doc);
	unlink(out);
	char *bad[] = {argv[1], "calibrate", "--bogus", NULL};
	CHECK(run_cmd(bad, &r) == 0 && r.status == 2 && count_lines(r.err) == 1);
	char *extra[] = {argv[1], "calibrate", "now", NULL};
	CHECK(run_cmd(extra, &r) == 0 && r.status == 2 && count_lines(r.err) == 1);
	snprintf(out, sizeof out, "%s/no/such/dir/cal.json", dir);
	char *unwritable[] = {argv[1], "calibrate", "--out", out, NULL};
	CHECK(run_cmd(unwritable, &r) == 0 && r.status == 2 && count_lines(r.err) == 1);
	rmdir(dir);
	CHECK_DONE();
}
