/* zcbench report on the checked-in samples (results/sample/): every expected
 * file is written, every PNG is a valid image of the size the HTML states
 * (one of the report's set sizes), the HTML references only files that
 * exist, counters that were not measured are said to be so, the shutdown
 * benchmark gets its figures and tables (and a file without it none), and
 * bad or foreign JSON gives one line on stderr and exit status 2.
 * Usage: test_report ZCBENCH SAMPLE_DIR. Skips (77) without gnuplot. */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "harness/report/report.h"
#include "harness/util.h"
#include "report_fixture.h"
#include "run_cmd.h"

static const char *bin, *samples;
static char tmp[64];
static struct cmd_result res;

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	struct zc_sbuf b;
	zc_sb_init(&b);
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		zc_sb_putn(&b, buf, n);
	fclose(f);
	if (!b.s)
		zc_sb_puts(&b, "");
	return b.s;
}

/* A file of a report, whole. */
static char *slurp_out(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return slurp(path);
}

static bool exists(const char *dir, const char *name)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	struct stat st;
	bool ok = stat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
	if (!ok)
		fprintf(stderr, "missing or empty: %s\n", p);
	return ok;
}

/* Whether dir/name is absent (a figure left out). */
static bool absent(const char *dir, const char *name)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return access(p, F_OK) != 0;
}

/* Width and height of a PNG from its IHDR chunk; false when it is not a PNG. */
static bool png_size(const char *path, uint32_t *w, uint32_t *h)
{
	unsigned char b[24];
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	size_t n = fread(b, 1, sizeof b, f);
	fclose(f);
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	if (n != sizeof b || memcmp(b, sig, 8) != 0 || memcmp(b + 12, "IHDR", 4) != 0)
		return false;
	*w = (uint32_t)b[16] << 24 | (uint32_t)b[17] << 16 | (uint32_t)b[18] << 8 | b[19];
	*h = (uint32_t)b[20] << 24 | (uint32_t)b[21] << 16 | (uint32_t)b[22] << 8 | b[23];
	return true;
}

static int report(const char *out, const char *const *files)
{
	char *argv[16] = {(char *)bin, "report"};
	size_t n = 2;
	for (; *files; files++)
		argv[n++] = (char *)*files;
	if (out) {
		argv[n++] = "--out";
		argv[n++] = (char *)out;
	}
	argv[n] = NULL;
	if (run_cmd(argv, &res) != 0)
		return -1;
	return res.status;
}

/* A report that must succeed. */
#define REPORT_OK(out, files)                                                                                          \
	do {                                                                                                           \
		if (report(out, files) != 0) {                                                                         \
			fprintf(stderr, "%s:%d: report exited %d:\n%s\n", __FILE__, __LINE__, res.status, res.err);    \
			check_failures++;                                                                              \
		}                                                                                                      \
	} while (0)

static void sample(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", samples, name);
}

/* The value of attribute attr (src or href) at p, or NULL. */
static const char *attr_value(const char *p, char *buf, size_t len)
{
	const char *q = strchr(p, '"');
	if (!q)
		return NULL;
	const char *e = strchr(q + 1, '"');
	if (!e || (size_t)(e - q - 1) >= len)
		return NULL;
	snprintf(buf, len, "%.*s", (int)(e - q - 1), q + 1);
	return buf;
}

/* Every src= and href= in the page names an existing file below dir (or is
 * an in-page anchor); every <img> states the PNG's real size, which is one of
 * the set sizes; every PNG in dir is shown. Returns how many images. */
static size_t check_html(const char *dir)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/index.html", dir);
	char *html = slurp(path);
	CHECK(html != NULL);
	if (!html)
		return 0;
	CHECK(strncmp(html, "<!DOCTYPE html>", 15) == 0);
	CHECK(strstr(html, "</html>") != NULL);
	size_t imgs = 0;
	for (const char *p = html; (p = strstr(p, "<img ")); p++) {
		char src[512], wbuf[32], hbuf[32];
		const char *s = strstr(p, "src=");
		const char *w = strstr(p, "width=");
		const char *h = strstr(p, "height=");
		CHECK(s && w && h);
		if (!s || !w || !h || !attr_value(s, src, sizeof src) || !attr_value(w, wbuf, sizeof wbuf) ||
		    !attr_value(h, hbuf, sizeof hbuf)) {
			CHECK(!"an <img> without src, width and height");
			continue;
		}
		char file[1024];
		snprintf(file, sizeof file, "%s/%s", dir, src);
		uint32_t pw = 0, ph = 0;
		bool png = png_size(file, &pw, &ph);
		if (!png)
			fprintf(stderr, "not a PNG: %s\n", file);
		CHECK(png);
		CHECK_EQ_U64(pw, strtoul(wbuf, NULL, 10));
		CHECK_EQ_U64(ph, strtoul(hbuf, NULL, 10));
		CHECK_EQ_U64(pw, ZC_REPORT_FIG_WIDTH);
		CHECK_EQ_U64(ph, ZC_REPORT_FIG_HEIGHT);
		imgs++;
	}
	size_t refs = 0;
	static const char *const attrs[] = {" src=\"", " href=\""};
	for (size_t a = 0; a < 2; a++) {
		for (const char *p = html; (p = strstr(p, attrs[a])); p++) {
			char ref[512];
			if (!attr_value(p, ref, sizeof ref))
				continue;
			refs++;
			if (ref[0] == '#')
				continue; /* a section of the page */
			bool relative = ref[0] != '/' && !strstr(ref, "://") && !strstr(ref, "..");
			if (!relative)
				fprintf(stderr, "not a relative path inside the report: %s\n", ref);
			CHECK(relative);
			CHECK(exists(dir, ref));
		}
	}
	CHECK(refs > imgs);
	/* Every PNG in the folder is on the page. */
	DIR *d = opendir(dir);
	CHECK(d != NULL);
	size_t pngs = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".png") != 0)
			continue;
		pngs++;
		char needle[600];
		snprintf(needle, sizeof needle, "src=\"%s\"", e->d_name);
		if (!strstr(html, needle))
			fprintf(stderr, "%s is not shown in index.html\n", e->d_name);
		CHECK(strstr(html, needle) != NULL);
	}
	if (d)
		closedir(d);
	CHECK_EQ_U64(pngs, imgs);
	free(html);
	return imgs;
}

static bool file_has(const char *dir, const char *name, const char *text)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	char *s = slurp(path);
	bool ok = s && strstr(s, text);
	if (!ok)
		fprintf(stderr, "%s does not contain \"%s\"\n", path, text);
	free(s);
	return ok;
}

/* The opposite of file_has, for what must not be there. */
static bool file_lacks(const char *dir, const char *name, const char *text)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	char *s = slurp(path);
	bool ok = s && !strstr(s, text);
	if (!ok)
		fprintf(stderr, "%s contains \"%s\" (or is missing)\n", path, text);
	free(s);
	return ok;
}

/* How often text occurs in a file of the report. */
static size_t count_in(const char *dir, const char *name, const char *text)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	char *s = slurp(path);
	size_t n = 0;
	for (const char *p = s; p && (p = strstr(p, text)); p += strlen(text))
		n++;
	free(s);
	return n;
}

/* Whether a PNG of the report has the given size. */
static bool png_is(const char *dir, const char *name, uint32_t w, uint32_t h)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	uint32_t pw = 0, ph = 0;
	bool ok = png_size(path, &pw, &ph) && pw == w && ph == h;
	if (!ok)
		fprintf(stderr, "%s is %ux%u, expected %ux%u\n", path, pw, ph, w, h);
	return ok;
}

/* The workloads of a result file, in order. */
static size_t workloads_of(const char *file, char names[][64], size_t max)
{
	json_t *doc = json_load_file(file, 0, NULL);
	size_t n = 0;
	json_t *results = json_object_get(doc, "results");
	for (size_t i = 0; i < json_array_size(results); i++) {
		const char *w = json_string_value(json_object_get(json_array_get(results, i), "workload"));
		bool seen = false;
		for (size_t k = 0; k < n; k++)
			seen |= strcmp(names[k], w) == 0;
		if (!seen && n < max)
			snprintf(names[n++], 64, "%s", w);
	}
	json_decref(doc);
	return n;
}

static void test_full_sample(void)
{
	char file[512], out[128], name[256];
	sample("sample-all.json", file, sizeof file);
	snprintf(out, sizeof out, "%s/all", tmp);
	const char *files[] = {file, NULL};
	REPORT_OK(out, files);
	snprintf(name, sizeof name, "%s/index.html\n", out);
	CHECK(strcmp(res.out, name) == 0);
	static const char *const top[] = {
		"index.html",	      "summary.md", "data/render.sh", "plots/common.gp", "plots/strategy_bars.gp",
		"plots/throughput.gp"};
	for (size_t i = 0; i < sizeof top / sizeof top[0]; i++)
		CHECK(exists(out, top[i]));
	char w[16][64];
	size_t nw = workloads_of(file, w, 16);
	CHECK(nw >= 2);
	/* Drawn: every figure with something measured. The victim figure has
	 * nothing (no --victim): left out, with a line saying why. */
	static const char *const kinds[] = {"throughput", "syscalls", "ctxsw", "cpu", "crossing", "perf"};
	for (size_t i = 0; i < nw; i++) {
		for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
			static const char *const ext[] = {"png", "svg"};
			for (size_t x = 0; x < 2; x++) {
				snprintf(name, sizeof name, "%s-%s.%s", kinds[k], w[i], ext[x]);
				CHECK(exists(out, name));
			}
			snprintf(name, sizeof name, "data/%s-%s.dat", kinds[k], w[i]);
			CHECK(exists(out, name));
			snprintf(name, sizeof name, "%s-%s.svg", kinds[k], w[i]);
			CHECK(file_has(out, name, "<svg"));
		}
		snprintf(name, sizeof name, "victim-%s.png", w[i]);
		CHECK(absent(out, name));
		/* The summary table and figures of each workload are on the page,
		 * collapsed under the answer. */
		snprintf(name, sizeof name, "<h2>Workload %s: detail</h2>\n<details>", w[i]);
		CHECK(file_has(out, "index.html", name));
		snprintf(name, sizeof name, "\n### %s\n", w[i]);
		CHECK(file_has(out, "summary.md", name));
		snprintf(name, sizeof name, "<details><summary>%s: medians per metric</summary>", w[i]);
		CHECK(file_has(out, "summary.md", name));
	}
	CHECK(check_html(out) == nw * 6);
	CHECK_EQ_U64(count_in(out, "index.html",
			      "<b>No figure</b> &middot; Cache pollution seen by a victim: not measured (it runs "
			      "only with zcbench run --victim N)."),
		     nw);
	/* No verdicts in this older file: said, nothing computed instead. */
	CHECK_EQ_U64(count_in(out, "index.html", "No verdicts in this file (older zcbench)"), nw);
	CHECK_EQ_U64(count_in(out, "summary.md", "No verdicts in this file (older zcbench)."), nw);
	CHECK(file_lacks(out, "index.html", "<b>Price of control</b><br>"));
	CHECK(file_has(out, "index.html", "no warnings array in this file (older zcbench)"));
	/* The answer opens the page: before the warnings, the detail and the machines. */
	char *html = slurp_out(out, "index.html");
	CHECK(html != NULL);
	if (html) {
		const char *answer = strstr(html, "<section id=\"answer\">"), *warn = strstr(html, "id=\"warnings\"");
		const char *detail = strstr(html, "<section id=\"w1\">"), *hosts = strstr(html, "id=\"hosts\"");
		CHECK(answer && warn && detail && hosts && answer < warn && warn < detail && detail < hosts);
		free(html);
	}
	/* The io_uring cells' bytes crossing were not measured (0 in every
	 * direction in this older file): not drawn as zero bars, the note says why. */
	snprintf(name, sizeof name, "data/crossing-%s.dat", w[0]);
	CHECK(file_lacks(out, name, "\"io_uring\""));
	CHECK(file_has(out, "data/render.sh", "Not drawn, not measured: io_uring ("));
	/* task_clock (ns) is the CPU figure, not a bar among the counts. */
	snprintf(name, sizeof name, "data/perf-%s.dat", w[0]);
	CHECK(file_lacks(out, name, "task_clock"));
	CHECK(file_has(out, name, "\"page_faults\""));
	snprintf(name, sizeof name, "data/cpu-%s.dat", w[0]);
	CHECK(file_has(out, name, "perf task clock"));
	/* The syscall axis covers every value: the script starts it a decade
	 * below the smallest one's. */
	CHECK(file_has(out, "plots/syscalls.gp", "floor(log10(STATS_min)) - 1"));
	/* This machine has no PMU: the page and the perf figures say so. */
	CHECK(file_has(out, "index.html", "not measured on this machine"));
	CHECK(file_has(out, "data/render.sh", "cycles, instructions"));
	/* Host block, calibration, skipped cells with their reasons. */
	CHECK(file_has(out, "index.html", "Kernel release"));
	CHECK(file_has(out, "index.html", "memcpy ceiling"));
	CHECK(file_has(out, "index.html", "Skipped and failed cells"));
	CHECK(file_has(out, "summary.md", "# zcbench report"));
	CHECK(file_has(out, "summary.md", "| readwrite | sees |"));
	CHECK(file_has(out, "summary.md", "GB/s = 10⁹ bytes/s"));
	CHECK(file_lacks(out, "index.html", "10^9"));
	CHECK(file_lacks(out, "plots/throughput.gp", "10^9"));
	/* No cell has summary.shutdown: no shutdown section, figure or note. */
	CHECK(file_lacks(out, "index.html", "Shutdown"));
	CHECK(file_lacks(out, "index.html", "shutdown-"));
	CHECK(file_lacks(out, "summary.md", "hutdown"));
	CHECK(file_lacks(out, "data/render.sh", "shutdown"));
	CHECK(access(out, F_OK) == 0);
	snprintf(name, sizeof name, "%s/plots/shutdown.gp", out);
	CHECK(access(name, F_OK) != 0);
	/* data/render.sh redraws every figure, and gnuplot has nothing to warn about. */
	char script[256];
	snprintf(script, sizeof script, "%s/data/render.sh", out);
	char *sh[] = {"/bin/sh", script, NULL};
	CHECK(run_cmd(sh, &res) == 0 && res.status == 0);
	if (res.err[0])
		fprintf(stderr, "render.sh said:\n%s\n", res.err);
	CHECK(res.err[0] == 0);
	/* Data files: plain text, quoted labels, the figure's title first. */
	snprintf(name, sizeof name, "data/throughput-%s.dat", w[0]);
	CHECK(file_has(out, name, "# zcbench report data: "));
	CHECK(file_has(out, name, "\n# block 2\n1 0 "));
	CHECK(file_has(out, name, " \"readwrite\"\n"));
	/* Without verdicts the bars go fastest first: mmap leads file-tcp here. */
	CHECK(file_has(out, name, "# block 0: x tics: x_centre \"strategy\"\n1 \"mmap\"\n2 \"readwrite\"\n"));
}

/* A file without any counter (probes off) renders and says what is missing. */
static void test_no_counters(void)
{
	char file[512], out[128], name[256];
	sample("sample-nocounters.json", file, sizeof file);
	snprintf(out, sizeof out, "%s/nocounters", tmp);
	const char *files[] = {file, NULL};
	REPORT_OK(out, files);
	char w[16][64];
	size_t nw = workloads_of(file, w, 16);
	CHECK(nw >= 1);
	check_html(out);
	for (size_t i = 0; i < nw; i++) {
		/* Nothing measured: no figure, one line saying why. */
		static const char *const notes[] = {"syscalls", "crossing", "perf", "victim"};
		for (size_t k = 0; k < 4; k++) {
			snprintf(name, sizeof name, "%s-%s.png", notes[k], w[i]);
			CHECK(absent(out, name));
		}
		/* Context switches still come from getrusage. */
		snprintf(name, sizeof name, "%s/ctxsw-%s.png", out, w[i]);
		uint32_t pw, ph;
		CHECK(png_size(name, &pw, &ph) && ph == ZC_REPORT_FIG_HEIGHT);
	}
	CHECK(file_has(out, "index.html", "--no-probes"));
	CHECK_EQ_U64(
		count_in(out, "index.html", "<b>No figure</b> &middot; Syscalls per GiB: not measured (eBPF probe "),
		nw);
	CHECK_EQ_U64(count_in(out, "index.html",
			      "<b>No figure</b> &middot; Bytes crossing the user/kernel boundary: not measured (eBPF "
			      "probe "),
		     nw);
	/* No task clock either: the CPU figure is getrusage's, and says it is coarse. */
	snprintf(name, sizeof name, "data/cpu-%s.dat", w[0]);
	CHECK(file_has(out, name, "getrusage: coarse"));
	CHECK(file_has(out, "data/render.sh", "Coarse: getrusage counts CPU time in scheduler ticks"));
}

/* Every perf counter unavailable, hardware and software: made from the sample. */
static void test_all_perf_unavailable(void)
{
	char file[512], mod[128], out[128], name[256];
	sample("sample-all.json", file, sizeof file);
	json_t *doc = json_load_file(file, 0, NULL);
	CHECK(doc != NULL);
	if (!doc)
		return;
	json_t *perf = json_object_get(json_object_get(doc, "probes"), "perf");
	const char *k;
	json_t *v;
	json_object_foreach(perf, k, v)
	{
		json_object_set_new(v, "status", json_string("not_supported"));
		json_object_set_new(v, "reason", json_string("test: no PMU here"));
	}
	json_t *results = json_object_get(doc, "results");
	for (size_t i = 0; i < json_array_size(results); i++) {
		json_t *c = json_array_get(results, i);
		json_t *s = json_object_get(c, "summary");
		if (json_is_object(s))
			json_object_set_new(s, "perf_per_gib", json_null());
		json_t *runs = json_object_get(c, "runs");
		for (size_t r = 0; r < json_array_size(runs); r++)
			json_object_del(json_object_get(json_array_get(runs, r), "counters"), "perf");
	}
	snprintf(mod, sizeof mod, "%s/noperf.json", tmp);
	CHECK(json_dump_file(doc, mod, 0) == 0);
	json_decref(doc);
	snprintf(out, sizeof out, "%s/noperf", tmp);
	const char *files[] = {mod, NULL};
	REPORT_OK(out, files);
	char w[16][64];
	size_t nw = workloads_of(mod, w, 16);
	for (size_t i = 0; i < nw; i++) {
		snprintf(name, sizeof name, "perf-%s.png", w[i]);
		CHECK(absent(out, name));
	}
	CHECK_EQ_U64(count_in(out, "index.html", "<b>No figure</b> &middot; perf event counts: "), nw);
	CHECK(file_has(out, "index.html", "test: no PMU here"));
	check_html(out);
}

/* Two files: the figures group by file, labelled by kernel release. */
static void test_two_files(void)
{
	char a[512], b[512], out[128], name[256];
	sample("sample-all.json", a, sizeof a);
	sample("sample-nocounters.json", b, sizeof b);
	snprintf(out, sizeof out, "%s/two", tmp);
	const char *files[] = {a, b, NULL};
	REPORT_OK(out, files);
	check_html(out);
	json_t *doc = json_load_file(a, 0, NULL);
	const char *rel = json_string_value(json_object_get(json_object_get(doc, "host"), "kernel_release"));
	CHECK(rel != NULL);
	char w[16][64];
	size_t nw = workloads_of(a, w, 16);
	CHECK(nw >= 1);
	/* The same kernel twice: numbered by file. */
	snprintf(name, sizeof name, "\"%s #1\"\n", rel ? rel : "");
	char dat[128];
	snprintf(dat, sizeof dat, "data/throughput-%s.dat", w[0]);
	CHECK(file_has(out, dat, name));
	snprintf(name, sizeof name, "\"%s #2\"\n", rel ? rel : "");
	CHECK(file_has(out, dat, name));
	CHECK(file_has(out, "index.html", "<th>Kernel</th>"));
	json_decref(doc);
	/* Several files need --out. */
	const char *again[] = {a, b, NULL};
	CHECK(report(NULL, again) == 2);
	CHECK(count_lines(res.err) == 1);
}

static void test_sweep_and_hyperfine(void)
{
	char file[512], out[128], name[256];
	sample("sample-sweep.json", file, sizeof file);
	snprintf(out, sizeof out, "%s/sweep", tmp);
	const char *files[] = {file, NULL};
	REPORT_OK(out, files);
	char w[16][64];
	size_t nw = workloads_of(file, w, 16);
	CHECK(nw >= 1);
	snprintf(name, sizeof name, "sweep-%s.png", w[0]);
	CHECK(exists(out, name));
	snprintf(name, sizeof name, "data/sweep-%s.dat", w[0]);
	CHECK(file_has(out, name, "4096 "));
	CHECK(file_has(out, name, "1048576 "));
	check_html(out);

	sample("sample-hyperfine.json", file, sizeof file);
	snprintf(out, sizeof out, "%s/hyperfine", tmp);
	files[0] = file;
	REPORT_OK(out, files);
	nw = workloads_of(file, w, 16);
	CHECK(nw >= 1);
	snprintf(name, sizeof name, "wholeprocess-%s.png", w[0]);
	CHECK(exists(out, name));
	snprintf(name, sizeof name, "data/wholeprocess-%s.dat", w[0]);
	CHECK(file_has(out, name, "\"whole process (hyperfine)\""));
	CHECK(file_has(out, "index.html", "whole process<br>GB/s (hyperfine)"));
	check_html(out);
}

/* The shutdown benchmark: the run with deadlines and its blind variant
 * (--no-deadlines, every run killed), two files in one report. */
static void test_shutdown(void)
{
	char file[512], blind[512], out[128], name[256];
	sample("sample-shutdown.json", file, sizeof file);
	sample("sample-shutdown-blind.json", blind, sizeof blind);
	snprintf(out, sizeof out, "%s/shutdown", tmp);
	const char *files[] = {file, blind, NULL};
	REPORT_OK(out, files);
	CHECK(exists(out, "plots/shutdown.gp"));
	char w[16][64];
	size_t nw = workloads_of(file, w, 16);
	CHECK(nw == 2);
	for (size_t i = 0; i < nw; i++) {
		/* Two full-size figures per workload from one data file. */
		static const char *const kinds[] = {"shutdown-time", "shutdown-bytes"};
		for (size_t k = 0; k < 2; k++) {
			snprintf(name, sizeof name, "%s-%s.png", kinds[k], w[i]);
			CHECK(png_is(out, name, ZC_REPORT_FIG_WIDTH, ZC_REPORT_FIG_HEIGHT));
			snprintf(name, sizeof name, "%s-%s.svg", kinds[k], w[i]);
			CHECK(file_has(out, name, "<svg"));
		}
		snprintf(name, sizeof name, "data/shutdown-%s.dat", w[i]);
		CHECK(file_has(out, name, "# zcbench report data: "));
		CHECK(file_has(out, name, "\n# block 4 ("));
		snprintf(name, sizeof name, "<h3 id=\"shutdown-w%zu\">Shutdown</h3>", i + 1);
		CHECK(file_has(out, "index.html", name));
		snprintf(name, sizeof name, "### Shutdown: %s\n", w[i]);
		CHECK(file_has(out, "summary.md", name));
	}
	/* Every figure is on the page: the shutdown ones beside the others
	 * (the victim figure has nothing measured: a line instead). */
	CHECK(check_html(out) == nw * 8);
	CHECK(file_has(out, "data/shutdown-file-tcp.dat", "\"killed 3/3\""));
	CHECK(file_has(out, "data/shutdown-file-tcp.dat", " #1: checkpoint 100 ms\"\n"));
	CHECK(file_has(out, "data/shutdown-file-tcp.dat", " #2: no deadlines, kill after 500 ms\"\n"));

	/* The table shows each blind cell's killed count, from the file. */
	json_t *doc = json_load_file(blind, 0, NULL);
	json_t *results = json_object_get(doc, "results");
	CHECK(json_array_size(results) == 3);
	size_t killed_cells = 0;
	for (size_t i = 0; i < json_array_size(results); i++) {
		json_t *sd = json_object_get(json_object_get(json_array_get(results, i), "summary"), "shutdown");
		json_int_t k = json_integer_value(json_object_get(sd, "killed_runs"));
		json_int_t n = json_integer_value(json_object_get(sd, "runs"));
		CHECK(k > 0 && k == n);
		char cell[128];
		snprintf(cell, sizeof cell, "<td class=\"n bad\">%lld of %lld</td>", (long long)k, (long long)n);
		CHECK(file_has(out, "index.html", cell));
		killed_cells++;
	}
	json_decref(doc);
	CHECK_EQ_U64(count_in(out, "index.html", " class=\"n bad\">"), killed_cells);
	CHECK_EQ_U64(count_in(out, "summary.md", " | **3 of 3** |"), killed_cells);
	/* Killed by design is not a failure, and says why there is no throughput. */
	CHECK(file_has(out, "index.html", "None: every cell ran"));
	CHECK_EQ_U64(count_in(out, "index.html", "no throughput: all 3 measured runs were killed"), killed_cells);
	CHECK(file_has(out, "summary.md", "10 cells, 0 skipped or failed."));
	/* The settings come from each file's command line; how to read them. */
	CHECK(file_has(out, "index.html", "loops regain control every 100 ms (--checkpoint, the default)"));
	CHECK(file_has(out, "index.html", "no deadlines (--no-deadlines, the blind variant)"));
	CHECK(file_has(out, "index.html", "still running 500 ms after the signal is killed (--kill-after)"));
	CHECK(file_has(out, "index.html", "<li id=\"reading-shutdown\">"));
	CHECK(file_has(out, "summary.md", "**How to read the shutdown tables.**"));

	/* render.sh redraws them, and gnuplot has nothing to warn about. */
	char script[256];
	snprintf(script, sizeof script, "%s/data/render.sh", out);
	char *sh[] = {"/bin/sh", script, NULL};
	CHECK(run_cmd(sh, &res) == 0 && res.status == 0);
	if (res.err[0])
		fprintf(stderr, "render.sh said:\n%s\n", res.err);
	CHECK(res.err[0] == 0);

	/* The blind variant alone: every run killed, so no byte counts at all:
	 * the bytes figure says so; the times are still drawn. */
	snprintf(out, sizeof out, "%s/shutdown-blind", tmp);
	const char *one[] = {blind, NULL};
	REPORT_OK(out, one);
	CHECK(check_html(out) == 1); /* the time figure; no cell has a throughput */
	CHECK(png_is(out, "shutdown-time-file-tcp.png", ZC_REPORT_FIG_WIDTH, ZC_REPORT_FIG_HEIGHT));
	CHECK(absent(out, "shutdown-bytes-file-tcp.png"));
	CHECK(file_has(out, "index.html",
		       "<b>No figure</b> &middot; Bytes in flight, drained and stranded: not measured, every "
		       "signalled run was killed"));
	CHECK(file_has(out, "index.html", "<td class=\"n bad\">3 of 3</td>"));
	snprintf(script, sizeof script, "%s/data/render.sh", out);
	CHECK(run_cmd(sh, &res) == 0 && res.status == 0 && res.err[0] == 0);

	/* Settings given as --name=value, and other values: read as such. */
	char mod[128];
	doc = json_load_file(file, 0, NULL);
	json_t *cmd = json_array();
	static const char *const argv[] = {"zcbench",	       "run", "--size",	      "1G", "--checkpoint=50ms",
					   "--shutdown-after", "1s",  "--kill-after", "3s", "--stall-peer=64K"};
	for (size_t i = 0; i < sizeof argv / sizeof argv[0]; i++)
		json_array_append_new(cmd, json_string(argv[i]));
	json_object_set_new(doc, "command", cmd);
	snprintf(mod, sizeof mod, "%s/shutdown-opts.json", tmp);
	CHECK(json_dump_file(doc, mod, 0) == 0);
	json_decref(doc);
	snprintf(out, sizeof out, "%s/shutdown-opts", tmp);
	const char *mods[] = {mod, NULL};
	REPORT_OK(out, mods);
	CHECK(file_has(out, "index.html",
		       "SIGTERM 1 s after each run&#39;s copy window opened; the drain peer stops "
		       "reading after 64 KiB per stream; loops regain control every 50 ms "
		       "(--checkpoint); a subject still running 3 s after the signal is killed "
		       "(--kill-after)."));
	CHECK(file_has(out, "data/shutdown-file-tcp.dat", "\"checkpoint 50 ms\""));
}

/* Bad input: one line on stderr, exit status 2, nothing written. */
static void expect_bad(const char *content, const char *want)
{
	char file[128], out[128];
	snprintf(file, sizeof file, "%s/bad.json", tmp);
	snprintf(out, sizeof out, "%s/bad-report", tmp);
	FILE *f = fopen(file, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs(content, f);
	fclose(f);
	const char *files[] = {file, NULL};
	int st = report(out, files);
	if (st != 2 || count_lines(res.err) != 1 || !strstr(res.err, want) || strncmp(res.err, "zcbench: ", 9) != 0) {
		fprintf(stderr, "for %s: status %d, stderr: %s(wanted \"%s\")\n", content, st, res.err, want);
		check_failures++;
	}
	CHECK(access(out, F_OK) != 0);
}

static void test_bad_input(void)
{
	expect_bad("{not json", "is not valid JSON");
	expect_bad("", "is not valid JSON");
	expect_bad("[1, 2, 3]", "is not a zcbench result file");
	expect_bad("{\"results\": []}", "is not a zcbench result file");
	expect_bad("{\"schema\": \"hyperfine/1\", \"results\": []}", "schema is \"hyperfine/1\"");
	expect_bad("{\"schema\": 7, \"results\": []}", "is not a zcbench result file");
	expect_bad("{\"schema\": \"zcbench/1\"}", "has no \"results\" array");
	expect_bad("{\"schema\": \"zcbench/1\", \"results\": [1]}", "results[0] is not an object");
	expect_bad("{\"schema\": \"zcbench/1\", \"schema\": \"x\", \"results\": []}", "is not valid JSON");

	char missing[128];
	snprintf(missing, sizeof missing, "%s/no-such-file.json", tmp);
	const char *files[] = {missing, NULL};
	CHECK(report(NULL, files) == 2);
	CHECK(count_lines(res.err) == 1 && strstr(res.err, "No such file or directory"));
	const char *none[] = {NULL};
	CHECK(report(NULL, none) == 2);
	CHECK(count_lines(res.err) == 1);
	char *opt[] = {(char *)bin, "report", "--bogus", NULL};
	CHECK(run_cmd(opt, &res) == 0 && res.status == 2 && count_lines(res.err) == 1);
}

/* Strange but well-formed cells: wrong types, odd names. Renders, escapes. */
static void test_odd_cells(void)
{
	char file[128], out[128];
	snprintf(file, sizeof file, "%s/odd.json", tmp);
	snprintf(out, sizeof out, "%s/odd", tmp);
	FILE *f = fopen(file, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs("{\"schema\": \"zcbench/9\", \"host\": 3, \"probes\": [], \"results\": ["
	      "{},"
	      "{\"strategy\": \"we\\\"ird <b>x</b>\", \"workload\": \"a/../b c\", \"status\": \"ok\", \"sees_data\": 1,"
	      " \"params\": {\"chunk_bytes\": \"big\"},"
	      " \"summary\": {\"throughput_bps\": {\"median\": 2e9, \"ci95_low\": \"x\"}, \"syscalls_per_gib\": null,"
	      " \"perf_per_gib\": {\"cycles\": \"many\"}}, \"runs\": 5},"
	      "{\"strategy\": 5, \"workload\": \"a/../b c\", \"status\": \"failed\", \"reason\": \"<script>\"}"
	      "]}",
	      f);
	fclose(f);
	const char *files[] = {file, NULL};
	REPORT_OK(out, files);
	check_html(out);
	CHECK(file_has(out, "index.html", "we&quot;ird &lt;b&gt;x&lt;/b&gt;"));
	CHECK(file_has(out, "index.html", "&lt;script&gt;"));
	char *html = NULL;
	char p[256];
	snprintf(p, sizeof p, "%s/index.html", out);
	html = slurp(p);
	CHECK(html && !strstr(html, "<b>x</b>") && !strstr(html, "<script>"));
	free(html);
	/* The workload name cannot escape the report folder. */
	CHECK(exists(out, "throughput-a____b_c.png"));
	CHECK(file_has(out, "data/throughput-a____b_c.dat", "\"we'ird <b>x</b>\""));
}

/* gnuplot missing, or no scripts: a clear error naming the package. */
static void test_missing_tools(void)
{
	char file[512], out[128];
	sample("sample-all.json", file, sizeof file);
	snprintf(out, sizeof out, "%s/nognuplot", tmp);
	const char *path = getenv("PATH");
	char saved[4096];
	snprintf(saved, sizeof saved, "%s", path ? path : "/usr/bin:/bin");
	setenv("PATH", "/nonexistent", 1);
	const char *files[] = {file, NULL};
	int st = report(out, files);
	setenv("PATH", saved, 1);
	CHECK(st == 1);
	CHECK(count_lines(res.err) == 1 && strstr(res.err, "Debian package gnuplot-nox"));

	char empty[128];
	snprintf(empty, sizeof empty, "%s/empty-plots", tmp);
	CHECK(mkdir(empty, 0755) == 0);
	char *argv[] = {(char *)bin, "report", file, "--out", out, "--plots", empty, NULL};
	CHECK(run_cmd(argv, &res) == 0 && res.status == 1);
	CHECK(count_lines(res.err) == 1 && strstr(res.err, "--plots DIR"));
}

static void unit_dir_for(void)
{
	char buf[256];
	zc_report_dir_for("results/zcbench-X.json", buf, sizeof buf);
	CHECK(strcmp(buf, "results/zcbench-X-report") == 0);
	zc_report_dir_for("r", buf, sizeof buf);
	CHECK(strcmp(buf, "r-report") == 0);
}

/* The answer: ranked verdicts, the price of control with its interval, the
 * warnings, the bars in the verdicts' order. */
static void test_verdicts(void)
{
	char file[128], out[128], name[512];
	snprintf(file, sizeof file, "%s/verdicts.json", tmp);
	CHECK(zc_fixture_verdicts(samples, file, "6.18.44-test") == 0);
	snprintf(out, sizeof out, "%s/verdicts", tmp);
	const char *files[] = {file, NULL};
	REPORT_OK(out, files);
	check_html(out);
	/* file-file: splice is fastest (rank 1), readwrite the baseline. */
	CHECK(file_has(out, "index.html", "<td class=\"rank\">1</td><td class=\"who\" title=\"splice\">splice"));
	CHECK(file_has(out, "index.html", "<td class=\"what na\">baseline</td>"));
	CHECK(file_has(out, "data/throughput-file-file.dat",
		       "# block 0: x tics: x_centre \"strategy\"\n1 \"splice\"\n2 \"copy_file_range\"\n"));
	/* The price of control, computed here the same way: best seeing (mmap)
	 * over best blind (splice in file-file, sendfile in file-tcp). */
	static const char *const wl[] = {"file-file", "file-tcp"}, *const blind[] = {"splice", "sendfile"};
	for (size_t w = 0; w < 2; w++) {
		double base = zc_fixture_median(samples, wl[w], "readwrite");
		double s = zc_fixture_median(samples, wl[w], "mmap") / base,
		       b = zc_fixture_median(samples, wl[w], blind[w]) / base;
		char want[256];
		snprintf(want, sizeof want,
			 "<td class=\"n\">%.2f&times;<br><span class=\"small\">%.2f&ndash;%.2f</span>", s / b,
			 s * 0.9 / (b * 1.1), s * 1.1 / (b * 0.9));
		CHECK(file_has(out, "index.html", want));
		snprintf(want, sizeof want,
			 "**Price of control:** mmap (best seeing) runs at **%.2f×** the throughput of %s (best blind)",
			 s / b, blind[w]);
		CHECK(file_has(out, "summary.md", want));
	}
	CHECK(file_has(out, "index.html", "seeing the bytes costs 26%<br><span class=\"small\">interval &ge;92% (Bonferroni)</span>"));
	CHECK_EQ_U64(count_in(out, "index.html", "<b>Price of control</b><br>"), 2);
	CHECK(file_has(out, "index.html",
		       "chunk per strategy (in its row) · 16 MiB per run · ratios against readwrite · 9 paired rounds "
		       "· intervals: sign-exact at 96.1%"));
	CHECK(file_lacks(out, "index.html", "No verdicts in this file"));
	/* Warnings, the file's and a cell's, with their codes. */
	CHECK(file_has(out, "index.html", "<li>test: runs fall into two clusters <code>bimodal</code></li>"));
	CHECK(file_has(out, "index.html",
		       "<li><b>file-tcp / sendfile</b>: test: rounds drifted <code>drift</code></li>"));
	CHECK(file_has(out, "summary.md", "- **file-tcp / sendfile**: test: rounds drifted (`drift`)"));
	CHECK(file_has(out, "summary.md", "| 1 | splice (1 MiB) | blind | 2.59× |"));
	/* The first screen answers: the verdicts come before anything else. */
	char *html = slurp_out(out, "index.html");
	if (html) {
		const char *main_at = strstr(html, "<main>"), *first_h2 = strstr(html, "<h2>");
		CHECK(main_at && first_h2 && strncmp(first_h2, "<h2>Which strategy, per workload</h2>", 37) == 0);
		free(html);
	}

	/* Two kernels with verdicts: bars by strategy, one per file, and compare's verdicts. */
	char file2[128];
	snprintf(file2, sizeof file2, "%s/verdicts2.json", tmp);
	CHECK(zc_fixture_verdicts(samples, file2, "6.1.0-test") == 0);
	snprintf(out, sizeof out, "%s/verdicts-two", tmp);
	const char *two[] = {file, file2, NULL};
	REPORT_OK(out, two);
	check_html(out);
	CHECK_EQ_U64(count_in(out, "data/throughput-file-file.dat", "\"splice\""), 1);
	CHECK(file_has(out, "data/throughput-file-file.dat", "\n1 \"6.18.44-test\"\n2 \"6.1.0-test\"\n"));
	/* splice's two bars side by side, the first file's first. */
	snprintf(name, sizeof name, "\n# block 2\n1 1 %.6g", zc_fixture_median(samples, "file-file", "splice") / 1e9);
	CHECK(file_has(out, "data/throughput-file-file.dat", name));
	CHECK(file_has(out, "data/throughput-file-file.dat", "\n2 1 "));
	CHECK_EQ_U64(count_in(out, "index.html", "<table class=\"cmp\">"), 2);
	CHECK(file_has(out, "index.html", "<tr><td>splice/file-file</td><td>2</td><td class=\"n\">+0.0%</td>"));
	CHECK(file_has(out, "summary.md", "| splice/file-file | 2 | +0.0% |"));
	CHECK(file_has(out, "index.html", "<h4>File 2: 6.1.0-test</h4>"));
	char script[256];
	snprintf(script, sizeof script, "%s/data/render.sh", out);
	char *sh[] = {"/bin/sh", script, NULL};
	CHECK(run_cmd(sh, &res) == 0 && res.status == 0 && res.err[0] == 0);
}

/* Issue 10: any string of a result file reaches gnuplot safely: a newline,
 * a % (gnuplot reads tic labels as formats), a quote, an escape byte. */
static void test_hostile_strings(void)
{
	char file[512], mod[128], out[128];
	sample("sample-all.json", file, sizeof file);
	json_t *doc = json_load_file(file, 0, NULL);
	CHECK(doc != NULL);
	if (!doc)
		return;
	json_t *results = json_object_get(doc, "results");
	json_object_set_new(json_object_get(doc, "host"), "kernel_release", json_string("6.1%s\nx\"y"));
	json_object_set_new(json_array_get(results, 0), "strategy", json_string("rw%s\n%d\\"));
	json_object_set_new(json_array_get(results, 0), "workload", json_string("file-tcp\n%x"));
	json_object_set_new(json_array_get(results, 1), "path", json_string("p%n\nq\x1b[31m"));
	json_object_set_new(json_object_get(json_array_get(results, 3), "params"), "alloc", json_string("a%n\nb\"c"));
	json_object_set_new(json_array_get(results, 2), "reason", json_string("r\x1b[31m%"));
	snprintf(mod, sizeof mod, "%s/hostile.json", tmp);
	CHECK(json_dump_file(doc, mod, 0) == 0);
	json_decref(doc);
	snprintf(out, sizeof out, "%s/hostile", tmp);
	const char *files[] = {mod, NULL};
	REPORT_OK(out, files);
	check_html(out);
	/* The workload's name becomes a safe file name; the labels stay one
	 * line each, % doubled where gnuplot reads a format. */
	CHECK(file_has(out, "data/throughput-file-tcp__x.dat", "\"rw%%s %%d/\"\n"));
	CHECK(file_has(out, "data/throughput-file-tcp__x.dat", "# zcbench report data: file-tcp %x: throughput"));
	CHECK(file_has(out, "index.html", "rw%s\n%d\\"));
	char script[256];
	snprintf(script, sizeof script, "%s/data/render.sh", out);
	char *sh[] = {"/bin/sh", script, NULL};
	CHECK(run_cmd(sh, &res) == 0 && res.status == 0);
	if (res.err[0])
		fprintf(stderr, "render.sh said:\n%s\n", res.err);
	CHECK(res.err[0] == 0);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_report ZCBENCH SAMPLE_DIR\n");
		return 2;
	}
	bin = argv[1];
	samples = argv[2];
	unit_dir_for();
	snprintf(tmp, sizeof tmp, "/tmp/zc-report-XXXXXX");
	CHECK(mkdtemp(tmp) != NULL);
	test_bad_input();
	char gp[4096];
	if (!zc_find_program("gnuplot", gp, sizeof gp)) {
		fprintf(stderr,
			"gnuplot is not installed (Debian package gnuplot-nox): skipping the rendering tests\n");
		return check_failures ? 1 : 77;
	}
	test_full_sample();
	test_no_counters();
	test_all_perf_unavailable();
	test_two_files();
	test_verdicts();
	test_hostile_strings();
	test_sweep_and_hyperfine();
	test_shutdown();
	test_odd_cells();
	test_missing_tools();
	if (!check_failures) {
		char *rm[] = {"/bin/rm", "-rf", tmp, NULL};
		run_cmd(rm, &res);
	}
	CHECK_DONE();
}
