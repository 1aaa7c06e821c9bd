/* zc_probes_summarize on hand-made runs, and the shape of what the probes
 * report when switched off (--no-probes). Needs no privileges. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../probes/probes.h"
#include "check.h"

#define GIB 1073741824.0

static json_t *perf_counter(const char *status, json_int_t value)
{
	if (strcmp(status, "ok") == 0)
		return json_pack("{s:I,s:I,s:I,s:s,s:n}", "value", value, "enabled_ns", (json_int_t)1000, "running_ns",
				 (json_int_t)1000, "status", "ok", "reason");
	return json_pack("{s:n,s:n,s:n,s:s,s:s}", "value", "enabled_ns", "running_ns", "status", status, "reason",
			 "No such file or directory");
}

/* A run of `bytes` bytes whose counters are all `k` (per-run distinct). */
static json_t *run(bool warmup, json_int_t bytes, json_int_t k, const char *cs_status)
{
	json_t *perf = json_pack("{s:o,s:o,s:o}", "cycles", perf_counter("not_supported", 0), "page_faults",
				 perf_counter("ok", k), "context_switches", perf_counter(cs_status, k));
	json_t *c = json_pack("{s:{s:I},s:I,s:{s:I,s:I},s:I,s:{s:I,s:I,s:I},s:{},s:o}", "syscalls", "read", k,
			      "syscalls_total", k, "context_switches", "voluntary", k, "involuntary", 2 * k,
			      "off_cpu_ns", 10 * k, "bytes", "to_user", bytes, "from_user", 2 * bytes, "in_kernel",
			      (json_int_t)0, "latency", "perf", perf);
	return json_pack("{s:b,s:I,s:o}", "warmup", warmup, "bytes", bytes, "counters", c);
}

static double num(const json_t *o, const char *k1, const char *k2)
{
	const json_t *x = json_object_get(o, k1);
	if (k2)
		x = json_object_get(x, k2);
	if (!json_is_number(x)) {
		fprintf(stderr, "summary.%s%s%s is not a number\n", k1, k2 ? "." : "", k2 ? k2 : "");
		check_failures++;
		return -1;
	}
	return json_number_value(x);
}

static void test_medians(void)
{
	json_int_t half = (json_int_t)(GIB / 2);
	json_t *runs = json_array();
	json_array_append_new(runs, run(true, half, 1000000, "ok"));	  /* warm-up: left out */
	json_array_append_new(runs, run(false, half, 10, "ok"));	  /* per GiB: 20 */
	json_array_append_new(runs, run(false, half, 30, "ok"));	  /* 60 */
	json_array_append_new(runs, run(false, half, 20, "not_counted")); /* 40 */
	json_t *s = json_object();
	zc_probes_summarize(runs, s);
	CHECK_NEAR(num(s, "syscalls_per_gib", NULL), 40, 1e-9);
	CHECK_NEAR(num(s, "context_switches_per_gib", "voluntary"), 40, 1e-9);
	CHECK_NEAR(num(s, "context_switches_per_gib", "involuntary"), 80, 1e-9);
	CHECK_NEAR(num(s, "off_cpu_ns_per_gib", NULL), 400, 1e-9);
	CHECK_NEAR(num(s, "bytes_to_user_per_gib", NULL), GIB, 1e-3);
	CHECK_NEAR(num(s, "bytes_from_user_per_gib", NULL), 2 * GIB, 1e-3);
	CHECK_NEAR(num(s, "bytes_in_kernel_per_gib", NULL), 0, 1e-9);
	const json_t *perf = json_object_get(s, "perf_per_gib");
	CHECK(json_is_object(perf));
	CHECK_NEAR(num(perf, "page_faults", NULL), 40, 1e-9);
	/* not ok in every run, or in none: left out */
	CHECK(json_object_get(perf, "context_switches") == NULL);
	CHECK(json_object_get(perf, "cycles") == NULL);
	json_decref(s);

	/* An even count of measured runs: the mean of the middle two. */
	json_array_append_new(runs, run(false, half, 40, "ok")); /* 80 */
	s = json_object();
	zc_probes_summarize(runs, s);
	CHECK_NEAR(num(s, "syscalls_per_gib", NULL), 50, 1e-9);
	json_decref(s);
	json_decref(runs);
}

static void test_nulls(void)
{
	/* eBPF unavailable: its keys are null in the runs, so in the summary;
	 * perf still summarized. */
	json_t *runs = json_array();
	for (int i = 0; i < 3; i++) {
		json_t *r = run(false, 1 << 20, 5, "ok");
		json_t *c = json_object_get(r, "counters");
		static const char *const keys[] = {"syscalls",	 "syscalls_total", "context_switches",
						   "off_cpu_ns", "bytes",	   "latency"};
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			json_object_set_new(c, keys[k], json_null());
		json_array_append_new(runs, r);
	}
	json_t *s = json_object();
	zc_probes_summarize(runs, s);
	static const char *const sk[] = {"syscalls_per_gib",	    "context_switches_per_gib",
					 "off_cpu_ns_per_gib",	    "bytes_to_user_per_gib",
					 "bytes_from_user_per_gib", "bytes_in_kernel_per_gib"};
	for (size_t k = 0; k < sizeof sk / sizeof sk[0]; k++)
		CHECK(json_is_null(json_object_get(s, sk[k])));
	CHECK_NEAR(num(json_object_get(s, "perf_per_gib"), "page_faults", NULL), 5.0 * 1024, 1e-9);
	json_decref(s);
	json_decref(runs);

	/* Probes off: runs without counters; every key present and null. */
	runs = json_pack("[{s:b,s:I},{s:b,s:I}]", "warmup", 0, "bytes", (json_int_t)4096, "warmup", 0, "bytes",
			 (json_int_t)4096);
	s = json_object();
	zc_probes_summarize(runs, s);
	for (size_t k = 0; k < sizeof sk / sizeof sk[0]; k++) {
		CHECK(json_object_get(s, sk[k]) != NULL);
		CHECK(json_is_null(json_object_get(s, sk[k])));
	}
	CHECK(json_is_null(json_object_get(s, "perf_per_gib")));
	json_decref(s);
	json_decref(runs);
}

static void test_disabled(void)
{
	struct zc_probes *pr = zc_probes_open(false);
	json_t *st = zc_probes_status_json(pr);
	const json_t *ebpf = json_object_get(st, "ebpf");
	CHECK(strcmp(json_string_value(json_object_get(ebpf, "status")), "disabled") == 0);
	CHECK(json_is_string(json_object_get(ebpf, "reason")));
	const json_t *perf = json_object_get(st, "perf");
	CHECK_EQ_U64(json_object_size(perf), 10);
	const char *name;
	const json_t *v;
	json_object_foreach((json_t *)perf, name, v)
	{
		CHECK(strcmp(json_string_value(json_object_get(v, "status")), "disabled") == 0);
	}
	json_decref(st);
	/* Every call is a no-op, and there are no counters. */
	zc_probes_subject_init(pr);
	zc_probes_window_begin(pr);
	zc_probes_window_end(pr);
	CHECK(zc_probes_arm(pr, 1) == 0);
	CHECK(zc_probes_collect(pr, 1) == NULL);
	zc_probes_close(pr);
}

/* The doctor's report names every probe and says, for what is missing, why. */
static void test_doctor(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f) {
		check_failures++;
		return;
	}
	zc_probes_doctor(f);
	fclose(f);
	fputs(text, stderr);
	CHECK(strstr(text, "eBPF probes") != NULL);
	CHECK(strstr(text, "perf_event_paranoid") != NULL);
	CHECK(strstr(text, "task_clock") != NULL);
	CHECK(strstr(text, "cycles") != NULL);
	/* Either the probes work, or a reason is given. */
	CHECK(strstr(text, "eBPF probes load and attach") || strstr(text, "eBPF probes unavailable: "));
	free(text);
}

int main(void)
{
	test_doctor();
	test_medians();
	test_nulls();
	test_disabled();
	CHECK_DONE();
}
