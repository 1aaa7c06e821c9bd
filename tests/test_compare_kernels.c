/* ci/kernels for real, as CI runs it: one Debian kernel (6.12, whose eBPF
 * probes load) booted under qemu beside the running kernel, with a tiny
 * profile, then compare across the two. About 45 s here under TCG (see
 * README, "Across kernels"). Skipped (77) when qemu, busybox-static or cpio
 * are missing (bash ci/setup-kernels.sh installs them), when not root, or
 * when ZC_SKIP_KERNELS=1. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "run_cmd.h"

#define SKIP 77

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
		puts("skipped: ci/kernels needs root (apt-get download, mknod, probes)");
		return SKIP;
	}
	if (system("command -v qemu-system-x86_64 >/dev/null && command -v cpio >/dev/null && "
		   "file -L /bin/busybox 2>/dev/null | grep -q 'statically linked'") != 0) {
		puts("skipped: qemu-system-x86_64, cpio or busybox-static missing (bash ci/setup-kernels.sh)");
		return SKIP;
	}

	char script[600], out[600], work[600], sbuild[600];
	snprintf(script, sizeof script, "%s/ci/kernels", src);
	snprintf(out, sizeof out, "%s/kernels-test/out", build);
	snprintf(work, sizeof work, "%s/kernels-test/work", build);
	snprintf(sbuild, sizeof sbuild, "%s/kernels-test/static", build);
	char *args[] = {"/bin/bash", script, "--kernels", "6.12,host", "--profile", "--size 4M --reps 2 --warmup 1",
			"--out",     out,    "--work",	  work,	       "--build",   sbuild,
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
	const json_t *guest = json_array_get(files, 0), *host = json_array_get(files, 1);
	const char *label = json_string_value(json_object_get(guest, "label"));
	CHECK(label && strncmp(label, "6.12.", 5) == 0);
	/* The guest says how it ran. */
	char name[300];
	snprintf(name, sizeof name, "%s.json", label ? label : "?");
	json_t *g = load(out, name);
	const json_t *vm = json_object_get(g, "vm");
	CHECK(json_is_object(vm));
	CHECK(strcmp(json_string_value(json_object_get(vm, "filesystem")) ?: "", "tmpfs") == 0);
	const char *accel = json_string_value(json_object_get(vm, "accel"));
	CHECK(accel && (strcmp(accel, "tcg") == 0 || strcmp(accel, "kvm") == 0));
	if (accel && strcmp(accel, "tcg") == 0) {
		CHECK(json_is_true(json_object_get(json_object_get(g, "host"), "emulated")));
		CHECK(json_is_true(json_object_get(guest, "emulated")));
		/* Emulated: compare left the timings out. */
		CHECK(json_array_size(json_object_get(cmp, "timing_left_out")) == 2);
	}
	CHECK(!json_is_true(json_object_get(host, "emulated")));
	/* Counts were compared: eBPF loads in 6.12 and here (root). */
	const json_t *cells = json_object_get(cmp, "cells");
	CHECK(json_array_size(cells) > 10);
	size_t judged = 0;
	for (size_t i = 0; i < json_array_size(cells); i++) {
		const json_t *m =
			json_object_get(json_object_get(json_array_get(cells, i), "metrics"), "syscalls_per_gib");
		const char *v = json_string_value(
			json_object_get(json_array_get(json_object_get(m, "vs_first"), 1), "verdict"));
		judged += v && strcmp(v, "not_comparable") != 0;
	}
	if (judged == 0) {
		fprintf(stderr, "no cell had its syscalls per GiB compared\n");
		check_failures++;
	}
	/* The report, its figure and the timings. */
	char p[700];
	static const char *const made[] = {"compare.txt", "compare.md", "matrix.svg", "timing.md"};
	for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", out, made[i]);
		if (access(p, R_OK) != 0) {
			fprintf(stderr, "ci/kernels made no %s\n", made[i]);
			check_failures++;
		}
	}
	printf("ci/kernels: %zu cells, syscalls per GiB compared in %zu\n", json_array_size(cells), judged);
	json_decref(g);
	json_decref(cmp);
	CHECK_DONE();
}
