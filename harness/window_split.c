/* A run's figures split by who did the work: the CPU time of the subject's
 * stream threads, of io_uring's kernel workers and of the harness's own
 * threads; the streams' CPU split into kernel time (inside syscalls, from
 * the eBPF syscall tracepoints) and user time (the rest); where the threads
 * ran; and the bytes of zero-copy sends by what their completions said. */
#include "window_split.h"

#include <stdlib.h>

static json_t *u64(uint64_t v)
{
	return json_integer((json_int_t)v);
}

/* The perf task clock of the run, or NULL when it was not counted. */
static const json_t *task_clock(const json_t *counters)
{
	const json_t *tc = json_object_get(json_object_get(counters, "perf"), "task_clock");
	const char *st = json_string_value(json_object_get(tc, "status"));
	return st && !strcmp(st, "ok") && json_is_integer(json_object_get(tc, "value")) ? json_object_get(tc, "value")
											: NULL;
}

json_t *zc_cpu_split_json(const struct zc_window *w, const json_t *counters)
{
	if (!w->have_thread_cpu)
		return json_null();
	json_t *j = json_object();
	uint64_t subject = w->cpu_streams_ns + w->cpu_workers_ns;
	json_object_set_new(j, "subject_ns", u64(subject));
	json_object_set_new(j, "streams_ns", u64(w->cpu_streams_ns));
	json_object_set_new(j, "io_workers_ns", u64(w->cpu_workers_ns));
	json_object_set_new(j, "io_workers", u64(w->workers_seen));
	json_object_set_new(j, "harness_ns", u64(w->cpu_harness_ns));
	const json_t *kern = json_object_get(counters, "syscall_kernel_ns");
	if (json_is_integer(kern)) {
		uint64_t k = (uint64_t)json_integer_value(kern);
		json_object_set_new(j, "streams_kernel_ns", u64(k));
		/* Time a stream spent on CPU outside syscalls: its own code, and
		 * page faults and interrupts that landed while it ran it. */
		json_object_set_new(j, "streams_user_ns",
				    w->cpu_streams_ns >= k ? u64(w->cpu_streams_ns - k) : json_null());
	} else {
		json_object_set_new(j, "streams_kernel_ns", json_null());
		json_object_set_new(j, "streams_user_ns", json_null());
	}
	const json_t *tc = task_clock(counters);
	json_object_set_new(j, "task_clock_ns", tc ? json_deep_copy(tc) : json_null());
	return j;
}

json_t *zc_placement_json(const struct zc_window *w, unsigned streams)
{
	json_t *cpus = json_array();
	for (unsigned k = 0; k < streams && k < ZC_MAX_STREAMS; k++)
		json_array_append_new(cpus, w->stream_cpu[k] < 0 ? json_null() : json_integer(w->stream_cpu[k]));
	return json_pack("{s:o,s:o,s:s}", "stream_cpus", cpus, "main_cpu",
			 w->main_cpu < 0 ? json_null() : json_integer(w->main_cpu), "rule",
			 "stream k on CPU (main_cpu + k) mod online CPUs; null: not pinned (--no-pin)");
}

void zc_split_zerocopy_bytes(json_t *counters, const struct zc_window *w)
{
	json_t *bytes = json_object_get(counters, "bytes");
	json_t *from = json_object_get(bytes, "from_user"), *pinned = json_object_get(bytes, "pinned_from_user");
	if (!json_is_integer(from) || !json_is_integer(pinned) || !w->zc_sent_pinned)
		return;
	json_int_t f = json_integer_value(from), moved = (json_int_t)w->zc_sent_pinned;
	if (moved > f)
		moved = f; /* cannot happen: every such byte was a send's return value */
	json_object_set_new(bytes, "from_user", json_integer(f - moved));
	json_object_set_new(bytes, "pinned_from_user", json_integer(json_integer_value(pinned) + moved));
}

void zc_set_mapped_bytes(json_t *counters, const struct zc_window *w, const char *const *stat_names)
{
	json_t *bytes = json_object_get(counters, "bytes");
	if (!json_is_object(bytes))
		return;
	if (!json_is_integer(json_object_get(bytes, "to_user"))) {
		json_object_set_new(bytes, "mapped_to_user", json_null());
		return;
	}
	uint64_t mapped = 0;
	for (size_t i = 0; stat_names && stat_names[i] && i < ZC_MAX_STATS; i++)
		if (strcmp(stat_names[i], "zerocopy_mapped_bytes") == 0)
			mapped = w->stats[i];
	json_object_set_new(bytes, "mapped_to_user", json_integer((json_int_t)mapped));
}

json_t *zc_victim_json(const struct zc_window *w)
{
	double r = w->victim_base_median_ns > 0 ? w->victim_median_ns / w->victim_base_median_ns : 0;
	double lines = w->victim_lines ? (double)w->victim_lines : 1;
	json_t *j = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "every_bytes", (json_int_t)w->victim_every, "walks",
			      (json_int_t)w->victim_walks, "kept", (json_int_t)w->victim_kept, "excluded_interrupted",
			      (json_int_t)w->victim_excluded, "merged", (json_int_t)w->victim_merged, "lines_per_walk",
			      (json_int_t)w->victim_lines, "lines", (json_int_t)(w->victim_kept * w->victim_lines),
			      "ns", (json_int_t)w->victim_kept_ns);
	json_object_set_new(j, "median_walk_ns", json_real(w->victim_median_ns));
	json_object_set_new(j, "baseline_median_walk_ns", json_real(w->victim_base_median_ns));
	json_object_set_new(j, "ns_per_line", json_real(w->victim_median_ns / lines));
	json_object_set_new(j, "baseline_ns_per_line", json_real(w->victim_base_median_ns / lines));
	json_object_set_new(j, "ratio", w->victim_kept ? json_real(r) : json_null());
	json_object_set_new(j, "interrupted_by", json_string(w->victim_by_switches ? "context_switch" : "duration"));
	return j;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median over the measured runs of cpu[key] * GiB / bytes; null when a
 * measured run lacks it. */
static json_t *cpu_median_per_gib(const json_t *runs, const char *key)
{
	size_t n = json_array_size(runs), m = 0;
	double v[n ? n : 1];
	for (size_t i = 0; i < n; i++) {
		const json_t *r = json_array_get(runs, i);
		if (json_is_true(json_object_get(r, "warmup")))
			continue;
		const json_t *x = json_object_get(json_object_get(r, "cpu"), key);
		json_int_t bytes = json_integer_value(json_object_get(r, "bytes"));
		if (!json_is_integer(x) || bytes <= 0)
			return json_null();
		v[m++] = (double)json_integer_value(x) * 1073741824.0 / (double)bytes;
	}
	if (!m)
		return json_null();
	qsort(v, m, sizeof *v, cmp_double);
	return json_real(m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2);
}

json_t *zc_cpu_split_summary(const json_t *runs)
{
	static const char *const keys[] = {"subject_ns",	"streams_ns",	   "io_workers_ns", "harness_ns",
					   "streams_kernel_ns", "streams_user_ns", "task_clock_ns"};
	json_t *j = json_object();
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		json_object_set_new(j, keys[i], cpu_median_per_gib(runs, keys[i]));
	return j;
}
