/* ci/kernels for real: the OLDEST (5.10) and the NEWEST Debian kernel of the
 * matrix booted under qemu with a tiny profile, and exact counts checked
 * inside each guest: the eBPF probes load on both (5.10's sched_switch has no
 * prev_state, 6.1's verifier refused the old histogram code), readwrite at
 * 64 KiB makes ceil(S/C)+1 reads and ceil(S/C) writes, sendfile ceil(S/C)+1
 * calls, splice through a pipe 2*ceil(S/C)+1 calls and twice the bytes in
 * the kernel; the kernel-work probes see sendfile enter TCP's send path once
 * per page before 6.5 and once per 16 pages after (the splice rework). Then the feature matrix and compare across the
 * two. Kernels are downloaded once into the source tree's build-kernels/ (a private apt configuration; the system's
 * sources are untouched). About 90 s here under TCG once downloaded (see README, "Across kernels"). Skipped (77) when
 * qemu, busybox-static or cpio are missing (bash ci/setup-kernels.sh installs them), when not root, or when
 * ZC_SKIP_KERNELS=1. */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "run_cmd.h"

#define SKIP  77
#define SIZE  (4u << 20)
#define CHUNK (64u << 10)

static json_t *load(const char *dir, const char *name)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	json_error_t e;
	json_t *j = json_load_file(p, 0, &e);
	if (!j) {
		fprintf(stderr, "%s: %s\n", p, e.text);
		check_failures++;
	}
	return j;
}

static json_int_t count(const json_t *run, const char *k1, const char *k2)
{
	const json_t *v = json_object_get(json_object_get(json_object_get(run, "counters"), k1), k2);
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

#define EXPECT_COUNT(kernel, cell, got, want)                                                                          \
	do {                                                                                                           \
		json_int_t g_ = (got), w_ = (want);                                                                    \
		if (g_ != w_) {                                                                                        \
			fprintf(stderr, "%s, %s: %s is %lld, expected %lld\n", kernel, cell, #got, (long long)g_,      \
				(long long)w_);                                                                        \
			check_failures++;                                                                              \
		}                                                                                                      \
	} while (0)

/* The exact counts of one guest's result file. */
static void check_guest(const json_t *g, const char *kernel)
{
	unsigned major = 0, minor = 0;
	sscanf(kernel, "%u.%u", &major, &minor);
	bool before_6_5 = major < 6 || (major == 6 && minor < 5);
	const json_t *ebpf = json_object_get(json_object_get(g, "probes"), "ebpf");
	const char *st = json_string_value(json_object_get(ebpf, "status"));
	if (!st || strcmp(st, "ok") != 0) {
		fprintf(stderr, "%s: eBPF probes did not load: %s\n", kernel,
			json_string_value(json_object_get(ebpf, "reason")) ?: "?");
		check_failures++;
		return;
	}
	CHECK(strcmp(json_string_value(json_object_get(json_object_get(g, "vm"), "kernel_cmdline_extra")) ?: "",
		     "tsc=reliable") == 0);
	const json_int_t n = SIZE / CHUNK;
	const json_t *cells = json_object_get(g, "results");
	int seen = 0;
	for (size_t i = 0; i < json_array_size(cells); i++) {
		const json_t *c = json_array_get(cells, i);
		const char *s = json_string_value(json_object_get(c, "strategy"));
		const char *status = json_string_value(json_object_get(c, "status"));
		if (!s || !status || strcmp(status, "ok") != 0) {
			fprintf(stderr, "%s: cell %s is %s\n", kernel, s ?: "?", status ?: "?");
			check_failures++;
			continue;
		}
		const json_t *runs = json_object_get(c, "runs");
		CHECK(json_array_size(runs) == 2);
		for (size_t r = 0; r < json_array_size(runs); r++) {
			const json_t *run = json_array_get(runs, r);
			/* sched_switch is attached: a number, even when 0. */
			CHECK(count(run, "context_switches", "voluntary") >= 0);
			if (strcmp(s, "readwrite") == 0) {
				EXPECT_COUNT(kernel, s, count(run, "syscalls", "read"), n + 1);
				EXPECT_COUNT(kernel, s, count(run, "syscalls", "write"), n);
				EXPECT_COUNT(kernel, s, count(run, "bytes", "to_user"), SIZE);
				EXPECT_COUNT(kernel, s, count(run, "bytes", "from_user"), SIZE);
			} else if (strcmp(s, "sendfile") == 0) {
				EXPECT_COUNT(kernel, s, count(run, "syscalls", "sendfile"), n + 1);
				EXPECT_COUNT(kernel, s, count(run, "bytes", "in_kernel"), SIZE);
				/* The splice rework of 6.5: TCP's send path entered once per
				 * page (sendpage) before, once per 16-page batch
				 * (sendmsg with MSG_SPLICE_PAGES) after. */
				EXPECT_COUNT(kernel, s, count(run, "kwork", "tcp_send_calls"),
					     before_6_5 ? SIZE / 4096 : SIZE / (16 * 4096));
			} else if (strcmp(s, "splice") == 0) {
				EXPECT_COUNT(kernel, s, count(run, "syscalls", "splice"), 2 * n + 1);
				EXPECT_COUNT(kernel, s, count(run, "bytes", "in_kernel"), 2 * (json_int_t)SIZE);
			}
		}
		seen++;
	}
	if (seen != 3) {
		fprintf(stderr, "%s: %d cells ok, expected 3\n", kernel, seen);
		check_failures++;
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_compare_kernels SOURCE_DIR BUILD_DIR\n");
		return 2;
	}
	const char *src = argv[1], *build = argv[2];
	const char *skip = getenv("ZC_SKIP_KERNELS");
	if (skip && strcmp(skip, "1") == 0) {
		puts("skipped: ZC_SKIP_KERNELS=1");
		return SKIP;
	}
	if (geteuid() != 0) {
		puts("skipped: ci/kernels needs root (mknod, probes)");
		return SKIP;
	}
	if (system("command -v qemu-system-x86_64 >/dev/null && command -v cpio >/dev/null && "
		   "file -L /bin/busybox 2>/dev/null | grep -q 'statically linked'") != 0) {
		puts("skipped: qemu-system-x86_64, cpio or busybox-static missing (bash ci/setup-kernels.sh)");
		return SKIP;
	}

	char script[600], out[600], sbuild[600], cmd[1400];
	snprintf(script, sizeof script, "%s/ci/kernels", src);
	snprintf(out, sizeof out, "%s/kernels-test/out", build);
	snprintf(sbuild, sizeof sbuild, "%s/kernels-test/static", build);
	/* ci/kernels writes into a directory it creates: this test's own, afresh. */
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", out);
	CHECK(system(cmd) == 0);
	char *args[] = {"/bin/bash",
			script,
			"--kernels",
			"5.10,newest",
			"--profile",
			"--strategy readwrite,sendfile,splice --workload file-tcp --size 4M --chunk 64K --reps 2 "
			"--warmup 0",
			"--out",
			out,
			"--build",
			sbuild,
			NULL};
	static struct cmd_result r;
	CHECK(run_cmd(args, &r) == 0);
	if (r.status != 0) {
		fprintf(stderr, "ci/kernels exited %d\n--- stderr (end):\n%s\n", r.status,
			strlen(r.err) > 4000 ? r.err + strlen(r.err) - 4000 : r.err);
		check_failures++;
		CHECK_DONE();
	}
	json_t *cmp = load(out, "compare.json");
	if (!cmp)
		CHECK_DONE();
	const json_t *files = json_object_get(cmp, "files");
	CHECK(json_array_size(files) == 2);
	const char *oldest = json_string_value(json_object_get(json_array_get(files, 0), "label"));
	const char *newest = json_string_value(json_object_get(json_array_get(files, 1), "label"));
	CHECK(oldest && strncmp(oldest, "5.10.", 5) == 0);
	CHECK(newest && strcmp(newest, oldest ?: "") != 0);
	const char *labels[] = {oldest, newest};
	for (int k = 0; k < 2; k++) {
		char name[300];
		snprintf(name, sizeof name, "%s.json", labels[k] ?: "?");
		json_t *g = load(out, name);
		if (!g)
			continue;
		const json_t *vm = json_object_get(g, "vm");
		const char *accel = json_string_value(json_object_get(vm, "accel"));
		CHECK(accel && (strcmp(accel, "tcg") == 0 || strcmp(accel, "kvm") == 0));
		if (accel && strcmp(accel, "tcg") == 0)
			CHECK(json_is_true(json_object_get(json_object_get(g, "host"), "emulated")));
		check_guest(g, labels[k] ?: "?");
		json_decref(g);
	}
	/* Counts were compared between the two guests. */
	const json_t *cells = json_object_get(cmp, "cells");
	CHECK(json_array_size(cells) == 3);
	size_t judged = 0;
	for (size_t i = 0; i < json_array_size(cells); i++) {
		const json_t *m =
			json_object_get(json_object_get(json_array_get(cells, i), "metrics"), "syscalls_per_gib");
		const char *v = json_string_value(
			json_object_get(json_array_get(json_object_get(m, "vs_first"), 1), "verdict"));
		judged += v && strcmp(v, "not_comparable") != 0;
	}
	CHECK(judged == 3);
	/* The feature matrix first in compare.md, the figure, the timings. */
	char p[700];
	static const char *const made[] = {"compare.txt", "features.md", "matrix.svg", "timing.md"};
	for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", out, made[i]);
		if (access(p, R_OK) != 0) {
			fprintf(stderr, "ci/kernels made no %s\n", made[i]);
			check_failures++;
		}
	}
	snprintf(p, sizeof p, "%s/compare.md", out);
	FILE *md = fopen(p, "r");
	char line[200] = "";
	CHECK(md && fgets(line, sizeof line, md));
	CHECK(strcmp(line, "## Feature matrix: what runs on each kernel\n") == 0);
	if (md)
		fclose(md);
	printf("ci/kernels: %s and %s, exact counts checked in both, %zu cells compared\n", oldest ?: "?",
	       newest ?: "?", judged);
	json_decref(cmp);
	CHECK_DONE();
}
