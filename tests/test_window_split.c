/* The per-run splits of window_split.c on made-up windows: zero-copy bytes
 * moved by their completion reports, the CPU split's sums, placement. */
#include <jansson.h>
#include <string.h>

#include "../harness/window_split.h"
#include "check.h"

static json_int_t geti(const json_t *o, const char *k1, const char *k2)
{
	const json_t *x = json_object_get(o, k1);
	return json_integer_value(k2 ? json_object_get(x, k2) : x);
}

int main(void)
{
	/* 1 MiB sent with MSG_ZEROCOPY, 256 KiB of it not copied. */
	json_t *c = json_pack("{s:{s:I,s:I,s:I,s:I},s:I}", "bytes", "to_user", (json_int_t)0, "from_user",
			      (json_int_t)1048576, "pinned_from_user", (json_int_t)4096, "in_kernel", (json_int_t)0,
			      "syscall_kernel_ns", (json_int_t)700);
	struct zc_window w = {.zc_sent_copied = 786432, .zc_sent_pinned = 262144};
	zc_split_zerocopy_bytes(c, &w);
	CHECK_EQ_U64(geti(c, "bytes", "from_user"), 786432);
	CHECK_EQ_U64(geti(c, "bytes", "pinned_from_user"), 4096 + 262144);

	/* Null byte classes (io_uring) stay null. */
	json_t *n = json_pack("{s:{s:n,s:n}}", "bytes", "from_user", "pinned_from_user");
	zc_split_zerocopy_bytes(n, &w);
	CHECK(json_is_null(json_object_get(json_object_get(n, "bytes"), "from_user")));
	json_decref(n);

	/* CPU: streams 1000 ns of which 700 in syscalls; workers 500. */
	w = (struct zc_window){.have_thread_cpu = true,
			       .cpu_streams_ns = 1000,
			       .cpu_workers_ns = 500,
			       .cpu_harness_ns = 30,
			       .workers_seen = 1};
	json_t *cpu = zc_cpu_split_json(&w, c);
	CHECK_EQ_U64(geti(cpu, "subject_ns", NULL), 1500);
	CHECK_EQ_U64(geti(cpu, "streams_kernel_ns", NULL), 700);
	CHECK_EQ_U64(geti(cpu, "streams_user_ns", NULL), 300);
	CHECK_EQ_U64(geti(cpu, "io_workers_ns", NULL), 500);
	CHECK_EQ_U64(geti(cpu, "harness_ns", NULL), 30);
	CHECK(json_is_null(json_object_get(cpu, "task_clock_ns")));
	json_decref(cpu);
	/* Without eBPF the split's kernel and user parts are null, never 0. */
	json_t *none = json_object();
	cpu = zc_cpu_split_json(&w, none);
	CHECK(json_is_null(json_object_get(cpu, "streams_kernel_ns")) &&
	      json_is_null(json_object_get(cpu, "streams_user_ns")));
	json_decref(cpu);
	json_decref(none);
	json_decref(c);

	w.stream_cpu[0] = 0;
	w.stream_cpu[1] = 1;
	w.main_cpu = 0;
	json_t *pl = zc_placement_json(&w, 2);
	CHECK_EQ_U64(json_array_size(json_object_get(pl, "stream_cpus")), 2);
	CHECK_EQ_U64(json_integer_value(json_array_get(json_object_get(pl, "stream_cpus"), 1)), 1);
	json_decref(pl);
	return check_failures ? 1 : 0;
}
