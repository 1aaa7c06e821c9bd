/* The CI scripts the workflow calls: ci/compare-baseline.sh (the gate),
 * ci/save-baseline.sh, ci/bench-quick.sh, ci/kernels-extract.sh (results
 * out of a guest's serial log), ci/kernels's command line, and the workflow
 * itself (every step that runs something is one call of a script in ci/). */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "run_cmd.h"

static const char *bin, *src;
static char tmp[64];
static struct cmd_result r;

/* Run a NULL-terminated command line. Returns its exit status. */
static int run(const char *first, ...)
{
	char *argv[40];
	size_t n = 0;
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a && n < 39; a = va_arg(ap, const char *))
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	if (run_cmd(argv, &r) != 0) {
		fprintf(stderr, "cannot run %s\n", first);
		check_failures++;
		return -1;
	}
	return r.status;
}

#define RUN(...) run(__VA_ARGS__, NULL)

static void path(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void path(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	int rc = system(cmd);
	if (rc != 0) {
		fprintf(stderr, "'%s' failed (%d)\n", cmd, rc);
		check_failures++;
	}
}

static bool contains(const char *text, const char *s)
{
	return strstr(text, s) != NULL;
}

#define EXPECT_IN(text, s)                                                                                             \
	do {                                                                                                           \
		if (!contains(text, s)) {                                                                              \
			fprintf(stderr, "%s:%d: no '%s' in:\n%s\n", __FILE__, __LINE__, s, text);                      \
			check_failures++;                                                                              \
		}                                                                                                      \
	} while (0)

/* A copy of tests/data/compare/base.json with every run's elapsed time
 * doubled (throughput halved) in cell `only` (or all when -1) and the CPU
 * named cpu. */
static void slower_copy(const char *to, const char *cpu, int only)
{
	char from[512];
	path(from, sizeof from, "%s/tests/data/compare/base.json", src);
	json_error_t e;
	json_t *doc = json_load_file(from, 0, &e);
	if (!doc) {
		fprintf(stderr, "%s: %s\n", from, e.text);
		check_failures++;
		return;
	}
	json_object_set_new(json_object_get(doc, "host"), "cpu_model", json_string(cpu));
	json_object_set_new(json_object_get(doc, "host"), "kernel_release", json_string("6.1.0-slower"));
	json_t *cells = json_object_get(doc, "results");
	for (size_t i = 0; i < json_array_size(cells); i++) {
		if (only >= 0 && i != (size_t)only)
			continue;
		json_t *runs = json_object_get(json_array_get(cells, i), "runs");
		for (size_t j = 0; j < json_array_size(runs); j++) {
			json_t *run = json_array_get(runs, j);
			json_int_t ns = json_integer_value(json_object_get(run, "elapsed_ns"));
			json_object_set_new(run, "elapsed_ns", json_integer(2 * ns));
		}
	}
	CHECK(json_dump_file(doc, to, 0) == 0);
	json_decref(doc);
}

static void test_compare_baseline(void)
{
	char script[512], base[128], fresh[128], report[160], f[256];
	path(script, sizeof script, "%s/ci/compare-baseline.sh", src);
	path(base, sizeof base, "%s/baseline", tmp);
	path(fresh, sizeof fresh, "%s/new", tmp);
	path(report, sizeof report, "%s/report.md", tmp);
	sh("mkdir -p '%s' '%s'", base, fresh);

	/* No result yet: bad input. */
	CHECK(RUN("/bin/bash", script, "--bin", bin, base, fresh) == 2);
	EXPECT_IN(r.err, "compare-baseline: no result file (zcbench-*.json) in");
	/* The first run: no baseline, nothing to gate. */
	sh("cp '%s/tests/data/compare/new.json' '%s/zcbench-20250102T000000Z-6.12.0-new.json'", src, fresh);
	CHECK(RUN("/bin/bash", script, "--bin", bin, base, fresh) == 0);
	EXPECT_IN(r.out, "compare-baseline: no previous baseline in");
	/* A baseline: new.json regresses against base.json. */
	sh("cp '%s/tests/data/compare/base.json' '%s/zcbench-20250101T000000Z-6.1.0-base.json'", src, base);
	CHECK(RUN("/bin/bash", script, "--bin", bin, "--report", report, base, fresh) == 1);
	EXPECT_IN(r.out, "  - readwrite/file-tcp drain=trunc throughput in 6.12.0-new: -20.0% (p adj 4e-07)");
	EXPECT_IN(r.err, "compare-baseline: regression against");
	FILE *in = fopen(report, "r");
	CHECK(in != NULL);
	if (in) {
		char line[64] = "";
		CHECK(fgets(line, sizeof line, in) != NULL);
		CHECK(strcmp(line, "### zcbench compare\n") == 0);
		fclose(in);
	}
	/* A threshold above every change leaves the failed cell. */
	setenv("ZC_GATE_THRESHOLD", "40%", 1);
	CHECK(RUN("/bin/bash", script, "--bin", bin, base, fresh) == 1);
	/* Counts only: the failed cell still fails the gate. */
	setenv("ZC_GATE_METRICS", "syscalls_per_gib", 1);
	CHECK(RUN("/bin/bash", script, "--bin", bin, base, fresh) == 1);
	unsetenv("ZC_GATE_THRESHOLD");
	unsetenv("ZC_GATE_METRICS");

	/* Half the throughput of one cell on the same CPU: a regression. */
	sh("rm -f '%s'/zcbench-*.json", fresh);
	path(f, sizeof f, "%s/zcbench-20250103T000000Z-6.1.0-slower.json", fresh);
	slower_copy(f, "Test CPU", 1);
	CHECK(RUN("/bin/bash", script, "--bin", bin, base, fresh) == 1);
	EXPECT_IN(r.out, "  - sendfile/file-tcp throughput in 6.1.0-slower: -50.0% (p adj ");
	/* Half the throughput of every cell, the baseline's too: the machine
	 * was slower, timing is not comparable, counts are equal. */
	slower_copy(f, "Test CPU", -1);
	CHECK(RUN("/bin/bash", script, "--bin", bin, base, fresh) == 0);
	EXPECT_IN(r.err, "zcbench compare: warning: new (6.1.0-slower): machine slower: timing not comparable (the "
			 "baseline readwrite's throughput moved 0.50x, median of 3 cells; --max-drift 1.5)");
	EXPECT_IN(r.out, "compare-baseline: no regression against");
	/* The same on another CPU: timing is not comparable, counts are equal. */
	slower_copy(f, "Another CPU", -1);
	CHECK(RUN("/bin/bash", script, "--bin", bin, base, fresh) == 0);
	EXPECT_IN(r.out, "compare-baseline: the CPU differs (baseline: Test CPU; now: Another CPU): timing is not "
			 "comparable, the gate compares counts only");
	EXPECT_IN(r.out,
		  "  - base and new (6.1.0-slower) ran on different machines (host cpu_model differ): their cells "
		  "differ in more than the compared side");
	EXPECT_IN(r.out, "compare-baseline: no regression against");

	/* save-baseline keeps the newest result file, alone. */
	char save[512];
	path(save, sizeof save, "%s/ci/save-baseline.sh", src);
	CHECK(RUN("/bin/bash", save, fresh, base) == 0);
	char kept[300];
	path(kept, sizeof kept, "%s/zcbench-20250103T000000Z-6.1.0-slower.json", base);
	CHECK(access(kept, F_OK) == 0);
	path(kept, sizeof kept, "%s/zcbench-20250101T000000Z-6.1.0-base.json", base);
	CHECK(access(kept, F_OK) != 0);
	CHECK(RUN("/bin/bash", save, tmp, base) == 2);
}

static void test_bench_quick(void)
{
	char script[512], out[128], cache[160];
	path(script, sizeof script, "%s/ci/bench-quick.sh", src);
	path(out, sizeof out, "%s/quick", tmp);
	path(cache, sizeof cache, "--cache-dir=%s/cache", tmp);
	/* The quick profile, made tiny: one result file, every cell measured. */
	CHECK(RUN("/bin/bash", script, "--bin", bin, "--out-dir", out, "--size", "1M", "--reps", "2", "--warmup", "0",
		  cache) == 0);
	if (r.status != 0)
		fprintf(stderr, "%s\n", r.err);
	CHECK(RUN("/bin/sh", "-c", "ls \"$0\"/zcbench-*.json | wc -l", out) == 0);
	CHECK(strcmp(r.out, "1\n") == 0);
	CHECK(RUN("/bin/bash", script, "--bin", "/nonexistent/zcbench") == 2);
}

/* A serial log as a guest writes it: CR LF line ends, kernel noise around;
 * the result file is the one $J names. */
static void write_log(const char *log, bool complete, int status)
{
	sh("{ printf 'noise\\r\\nZCBENCH-UPTIME 1.0 2.0\\r\\n'; %s"
	   "printf 'ZCBENCH-EXIT %d\\r\\n'; } > '%s'",
	   complete ? "printf 'ZCBENCH-RESULT-BEGIN\\r\\n'; gzip -c \"$J\" | base64 | sed 's/$/\\r/'; "
		      "printf 'ZCBENCH-RESULT-END\\r\\n'; "
		    : "",
	   status, log);
}

static void test_extract(void)
{
	char script[512], json[512], log[160], out[160];
	path(script, sizeof script, "%s/ci/kernels-extract.sh", src);
	path(json, sizeof json, "%s/tests/data/compare/base.json", src);
	path(log, sizeof log, "%s/serial.log", tmp);
	path(out, sizeof out, "%s/extracted.json", tmp);
	setenv("J", json, 1);
	write_log(log, true, 0);
	CHECK(RUN("/bin/bash", script, log, out) == 0);
	json_t *a = json_load_file(json, 0, NULL), *b = json_load_file(out, 0, NULL);
	CHECK(a && b && json_equal(a, b));
	json_decref(a);
	json_decref(b);
	/* The guest's zcbench failed a cell: the result still comes out. */
	write_log(log, true, 1);
	CHECK(RUN("/bin/bash", script, log, out) == 0);
	EXPECT_IN(r.err, "kernels-extract: note: the guest's zcbench exited 1");
	/* No result: the guest died first. */
	write_log(log, false, 3);
	unlink(out);
	CHECK(RUN("/bin/bash", script, log, out) == 1);
	EXPECT_IN(r.err, "holds no complete result (guest zcbench exit status: 3)");
	CHECK(access(out, F_OK) != 0);
	/* Damaged in transit. */
	sh("printf 'ZCBENCH-RESULT-BEGIN\\nnot*base64\\nZCBENCH-RESULT-END\\n' > '%s'", log);
	CHECK(RUN("/bin/bash", script, log, out) == 1);
	EXPECT_IN(r.err, "is damaged (base64 or gzip)");
	CHECK(access(out, F_OK) != 0);
	/* Not a result file. */
	sh("{ echo ZCBENCH-RESULT-BEGIN; echo '{\"a\":1}' | gzip -c | base64; echo ZCBENCH-RESULT-END; } > '%s'", log);
	CHECK(RUN("/bin/bash", script, log, out) == 1);
	EXPECT_IN(r.err, "is not a zcbench result file");
	CHECK(RUN("/bin/bash", script, log) == 2);
}

static void test_kernels_cli(void)
{
	char script[512];
	path(script, sizeof script, "%s/ci/kernels", src);
	CHECK(RUN("/bin/bash", script, "--help") == 0);
	EXPECT_IN(r.out, "Usage: ci/kernels [options]");
	CHECK(RUN("/bin/bash", script, "--accel", "xen") == 2);
	CHECK(strcmp(r.err, "kernels: --accel 'xen' is not a valid choice (valid: auto, kvm, tcg)\n") == 0);
	CHECK(RUN("/bin/bash", script, "--frobnicate") == 2);
	CHECK(strcmp(r.err, "kernels: unknown option '--frobnicate' (see ci/kernels --help)\n") == 0);
	CHECK(RUN("/bin/bash", script, "--kernels", "host,/no/such/vmlinuz", "--dry-run") == 2);
	CHECK(strcmp(r.err, "kernels: --kernels: '/no/such/vmlinuz' is not a kernel line (e.g. 6.1), newest, a "
			    "linux-image/linux-binary package, a vmlinuz file or host\n") == 0);
	/* The host alone needs no qemu. */
	CHECK(RUN("/bin/bash", script, "--kernels", "host", "--dry-run") == 0);
	EXPECT_IN(r.out, "kernel 1: host host\n");
	CHECK(RUN("/bin/bash", script, "--compare-only", tmp, "--no-compare") == 2);
	CHECK(strcmp(r.err, "kernels: --compare-only and --no-compare exclude each other\n") == 0);
	CHECK(RUN("/bin/bash", script, "--compare-only", "/no/such/dir", "--dry-run") == 2);
	CHECK(strcmp(r.err, "kernels: --compare-only: '/no/such/dir' is not a directory\n") == 0);
	CHECK(RUN("/bin/bash", script, "--bin", "/no/such/zcbench") == 2);
	CHECK(strcmp(r.err, "kernels: --bin '/no/such/zcbench' is not an executable file\n") == 0);
	CHECK(RUN("/bin/bash", script, "--icount", "shift=auto;reboot") == 2);
}

/* The feature matrix: per strategy and kernel, from status, path, reason. */
static void test_kernels_features(void)
{
	char script[512], base[512], fresh[512];
	path(script, sizeof script, "%s/ci/kernels-features.sh", src);
	path(base, sizeof base, "%s/tests/data/compare/base.json", src);
	path(fresh, sizeof fresh, "%s/tests/data/compare/new.json", src);
	CHECK(RUN("/bin/bash", script, base, fresh) == 0);
	EXPECT_IN(r.out, "## Feature matrix: what runs on each kernel\n");
	EXPECT_IN(r.out, "| strategy | 6.1.0-base | 6.12.0-new |\n");
	EXPECT_IN(r.out, "| readwrite | ok 3 | ok 3, **FAILED 1** |\n");
	EXPECT_IN(r.out, "| pooled | ok 1 | - |\n");
	EXPECT_IN(r.out,
		  "| readwrite/file-file | x | failed: verification failed: first wrong byte at offset 777777 |\n");
	EXPECT_IN(r.out, "| splice/file-tcp | absent | x |\n");
	CHECK(RUN("/bin/bash", script, base, base) == 0);
	EXPECT_IN(r.out, "Every cell has the same status and path on every kernel.");
	CHECK(RUN("/bin/bash", script) == 2);
	path(base, sizeof base, "%s/tests/data/compare/not_zcbench.json", src);
	CHECK(RUN("/bin/bash", script, base) == 2);
	EXPECT_IN(r.err, "is not a zcbench result file");
}

/* Kernel-side work: rows only where the kernels differ beyond the runs'
 * spread. */
static void test_kernels_kwork(void)
{
	char script[512], a[128], b[128];
	path(script, sizeof script, "%s/ci/kernels-kwork.sh", src);
	path(a, sizeof a, "%s/kwork-a.json", tmp);
	path(b, sizeof b, "%s/kwork-b.json", tmp);
	/* Kernel a: one TCP send call per page; b: one per 16 pages; softirqs
	 * equal; packets overlapping between the runs. */
	sh("jq '.host.kernel_release=\"6.1.0-a\" | .results |= map(.runs |= map(.counters.kwork = {tcp_send_calls: "
	   "(.bytes/4096|floor), softirqs: 100, packets_sent: (if .index %% 2 == 0 then 1000 else 90000 end)}))' "
	   "'%s/tests/data/compare/base.json' > '%s'",
	   src, a);
	sh("jq '.host.kernel_release=\"6.12.0-b\" | .results |= map(.runs |= map(.counters.kwork = {tcp_send_calls: "
	   "(.bytes/65536|floor), softirqs: 100, packets_sent: (if .index %% 2 == 0 then 90000 else 1000 end)}))' "
	   "'%s/tests/data/compare/base.json' > '%s'",
	   src, b);
	CHECK(RUN("/bin/bash", script, a, b) == 0);
	EXPECT_IN(r.out, "## Kernel-side work per GiB\n");
	EXPECT_IN(r.out, "| cell | event | 6.1.0-a | 6.12.0-b |\n");
	EXPECT_IN(r.out, "| sendfile/file-tcp | tcp_send_calls | 262k [262k-262k] | 16k [16k-16k] |\n");
	CHECK(!contains(r.out, "softirqs"));
	CHECK(!contains(r.out, "packets_sent"));
	CHECK(RUN("/bin/bash", script, a, a) == 0);
	EXPECT_IN(r.out, "No event differs between these kernels beyond run-to-run spread.");
	CHECK(RUN("/bin/bash", script, a) == 2);
}

/* --compare-only: results of per-kernel jobs in subdirectories; an existing
 * --out gets a fresh subdirectory and nothing in it is touched; a failed
 * cell or probes that did not load fail the run unless allowed. */
static void test_kernels_compare_only(void)
{
	char script[512], jobs[128], outdir[128], keep[160];
	path(script, sizeof script, "%s/ci/kernels", src);
	path(jobs, sizeof jobs, "%s/jobs", tmp);
	path(outdir, sizeof outdir, "%s/kout", tmp);
	path(keep, sizeof keep, "%s/kout/keep.json", tmp);
	sh("mkdir -p '%s/a' '%s/b' '%s' && echo keep > '%s'", jobs, jobs, outdir, keep);
	sh("cp '%s/tests/data/compare/new.json' '%s/a/' && cp '%s/tests/data/compare/base.json' '%s/b/'", src, jobs,
	   src, jobs);
	/* Oldest kernel first, whatever the directory order. */
	CHECK(RUN("/bin/bash", script, "--compare-only", jobs, "--bin", bin, "--dry-run") == 0);
	EXPECT_IN(r.out, "result: ");
	CHECK(strstr(r.out, "b/base.json") && strstr(r.out, "a/new.json") &&
	      strstr(r.out, "b/base.json") < strstr(r.out, "a/new.json"));
	/* new.json has a failed cell: loud, exit 1. */
	CHECK(RUN("/bin/bash", script, "--compare-only", jobs, "--bin", bin, "--out", outdir) == 1);
	EXPECT_IN(r.err, "kernels: FAILED 6.12.0-new: 1 failed cell(s): readwrite/file-file: verification failed");
	EXPECT_IN(r.err, "writing into the new");
	CHECK(RUN("/bin/sh", "-c", "cat \"$0\"; ls \"$1\" | wc -l; cat \"$1\"/kernels-*/failures.txt | wc -l", keep,
		  outdir) == 0);
	CHECK(strcmp(r.out, "keep\n2\n1\n") == 0);
	CHECK(RUN("/bin/sh", "-c", "head -n 1 \"$0\"/kernels-*/compare.md", outdir) == 0);
	CHECK(strcmp(r.out, "## Feature matrix: what runs on each kernel\n") == 0);
	/* Allowed explicitly: exit 0, still said. */
	CHECK(RUN("/bin/bash", script, "--compare-only", jobs, "--bin", bin, "--out", outdir, "--allow-failures") == 0);
	EXPECT_IN(r.err, "failed, allowed by --allow-failures: 6.12.0-new");
	/* Probes that did not load. */
	sh("rm -f '%s/a/new.json' && cp '%s/tests/data/compare/nocounters.json' '%s/a/'", jobs, src, jobs);
	CHECK(RUN("/bin/bash", script, "--compare-only", jobs, "--bin", bin, "--out", outdir) == 1);
	EXPECT_IN(r.err, "kernels: FAILED 6.1.0-nocounters: eBPF probes did not load: ");
}

/* SIGTERM stops ci/kernels and what it runs: exit 130, nothing left. */
static void test_kernels_signal(void)
{
	char script[512], work[128];
	path(script, sizeof script, "%s/ci/kernels", src);
	path(work, sizeof work, "%s/sigwork", tmp);
	setenv("KS", script, 1);
	setenv("KB", bin, 1);
	setenv("KW", work, 1);
	setenv("KO", tmp, 1);
	CHECK(RUN("/bin/bash", "-c",
		  "bash \"$KS\" --kernels host --bin \"$KB\" --work \"$KW\" --out \"$KO/sigout\" --no-compare "
		  "--profile '--strategy readwrite --workload file-tcp --size 64M --reps 200 --warmup 0 --no-probes' "
		  ">/dev/null 2>&1 & p=$!; "
		  "for i in $(seq 100); do pgrep -f \"$KW/cache-host\" >/dev/null && break; sleep 0.1; done; "
		  "sleep 1; kill -TERM $p; wait $p; echo \"exit $?\"; sleep 1; "
		  "pgrep -f \"$KW/cache-host\" || echo 'nothing left'; ls \"$KW\" | grep -c '^run\\.' || true") == 0);
	CHECK(strcmp(r.out, "exit 130\nnothing left\n0\n") == 0);
	if (strcmp(r.out, "exit 130\nnothing left\n0\n") != 0)
		fprintf(stderr, "signal test:\n%s%s\n", r.out, r.err);
}

/* Every step of the workflow that runs something is `bash ci/SCRIPT ...`
 * with SCRIPT in the tree; the steps the issue asks for are there. */
static void test_workflow(void)
{
	char wf[512];
	path(wf, sizeof wf, "%s/.github/workflows/ci.yml", src);
	FILE *in = fopen(wf, "r");
	if (!in) {
		fprintf(stderr, "cannot read %s: %s\n", wf, strerror(errno));
		check_failures++;
		return;
	}
	char line[1024], all[32768] = "";
	int runs = 0;
	while (fgets(line, sizeof line, in)) {
		snprintf(all + strlen(all), sizeof all - strlen(all), "%s", line);
		const char *p = line + strspn(line, " ");
		if (strncmp(p, "run:", 4) != 0)
			continue;
		runs++;
		p += 4 + strspn(p + 4, " ");
		char script[256];
		if (sscanf(p, "bash ci/%255[^ \n]", script) != 1 || strchr(p, '|') || strchr(p, ';') ||
		    strstr(p, "&&")) {
			fprintf(stderr, "workflow step is not one call of a ci/ script: %s", line);
			check_failures++;
			continue;
		}
		char file[600];
		path(file, sizeof file, "%s/ci/%s", src, script);
		if (access(file, R_OK) != 0) {
			fprintf(stderr, "workflow calls ci/%s, which is not in the tree\n", script);
			check_failures++;
		}
	}
	fclose(in);
	CHECK(runs >= 6);
	EXPECT_IN(all, "run: bash ci/test.sh");
	EXPECT_IN(all, "run: bash ci/bench-quick.sh");
	EXPECT_IN(all, "run: bash ci/kernels");
	/* The kernel matrix: one job per kernel, then one comparing them all. */
	EXPECT_IN(all, "matrix:");
	EXPECT_IN(all, "--no-compare");
	EXPECT_IN(all, "run: bash ci/kernels --compare-only");
	EXPECT_IN(all, "uses: actions/download-artifact@");
	EXPECT_IN(all, "run: bash ci/compare-baseline.sh");
	EXPECT_IN(all, "uses: actions/upload-artifact@");
	EXPECT_IN(all, "uses: actions/cache/restore@");
}

/* ci/bench-gate-noise.sh's plumbing, with a stand-in for `zcbench all`
 * that writes base_cal.json twice, then slow30.json: pair 0 is identical
 * (no regression), pair 1 a 30% slower cell (a regression). The
 * real benchmark runs on a quiet machine (README). */
static void test_gate_noise(void)
{
	char script[512], stub[160], out[160], state[160];
	path(script, sizeof script, "%s/ci/bench-gate-noise.sh", src);
	path(stub, sizeof stub, "%s/stub-zcbench", tmp);
	path(out, sizeof out, "%s/noise", tmp);
	path(state, sizeof state, "%s/stub-count", tmp);
	FILE *f = fopen(stub, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fprintf(f,
		"#!/bin/bash\n"
		"if [[ $1 == all ]]; then\n"
		"  n=$(cat '%s' 2>/dev/null || echo 0); echo $((n + 1)) >'%s'\n"
		"  files=(base_cal base_cal slow30)\n"
		"  cp '%s/tests/data/compare/'${files[n]}.json \"$3/zcbench-$n.json\"; exit 0\n"
		"fi\n"
		"exec '%s' \"$@\"\n",
		state, state, src, bin);
	CHECK(fclose(f) == 0);
	CHECK(chmod(stub, 0755) == 0);
	CHECK(RUN("/bin/bash", script, "--bin", stub, "--out-dir", out, "2") == 1);
	EXPECT_IN(r.out,
		  "bench-gate-noise: 1 of 2 pairs of identical runs report a regression (goal: at most 1 in 10)");
	EXPECT_IN(r.out, "0      0            0            42         0                0              compared");
	EXPECT_IN(r.out, "1      1            0            41         0                0              compared");
	/* Bad usage. */
	CHECK(RUN("/bin/bash", script, "--bin", stub, "zero") == 2);
	EXPECT_IN(r.err, "usage: ci/bench-gate-noise.sh");
	CHECK(RUN("/bin/bash", script, "--bin", stub, "--out-dir", out, "1") == 2);
	EXPECT_IN(r.err, "exists; give a new directory");
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_compare_ci ZCBENCH SOURCE_DIR\n");
		return 2;
	}
	bin = argv[1];
	src = argv[2];
	snprintf(tmp, sizeof tmp, "/tmp/zc-compare-ci-XXXXXX");
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 1;
	}
	test_compare_baseline();
	test_bench_quick();
	test_extract();
	test_kernels_cli();
	test_kernels_features();
	test_kernels_kwork();
	test_kernels_compare_only();
	test_kernels_signal();
	test_workflow();
	test_gate_noise();
	sh("rm -rf '%s'", tmp);
	CHECK_DONE();
}
