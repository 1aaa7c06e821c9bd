/* The report as a person sees it: headless Chromium renders index.html of
 * the sample report and takes a screenshot of a 1280x2000 window. Checks that
 * the browser loaded and drew the page: a PNG of the window's size that is
 * not blank. (test_report checks that every image the page names exists;
 * the screenshot was looked at by hand when the report was designed.)
 * Skips (77) where chromium or gnuplot is absent.
 * Usage: test_report_browser ZCBENCH SAMPLE_DIR */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "harness/util.h"
#include "run_cmd.h"

static bool png_size(const char *path, uint32_t *w, uint32_t *h)
{
	unsigned char b[24];
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	size_t n = fread(b, 1, sizeof b, f);
	fclose(f);
	if (n != sizeof b || memcmp(b, "\x89PNG\r\n\x1a\n", 8) != 0 || memcmp(b + 12, "IHDR", 4) != 0)
		return false;
	*w = (uint32_t)b[16] << 24 | (uint32_t)b[17] << 16 | (uint32_t)b[18] << 8 | b[19];
	*h = (uint32_t)b[20] << 24 | (uint32_t)b[21] << 16 | (uint32_t)b[22] << 8 | b[23];
	return true;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_report_browser ZCBENCH SAMPLE_DIR\n");
		return 2;
	}
	char chromium[4096], gp[4096];
	if (!zc_find_program("chromium", chromium, sizeof chromium)) {
		fprintf(stderr, "chromium is not installed (Debian package chromium): skipping\n");
		return 77;
	}
	if (!zc_find_program("gnuplot", gp, sizeof gp)) {
		fprintf(stderr, "gnuplot is not installed (Debian package gnuplot-nox): skipping\n");
		return 77;
	}
	char tmp[] = "/tmp/zc-browser-XXXXXX";
	CHECK(mkdtemp(tmp) != NULL);
	char sample[4096], out[128], profile[160], shot[160], url[256], shot_opt[200], dir_opt[200];
	snprintf(sample, sizeof sample, "%s/sample-all.json", argv[2]);
	snprintf(out, sizeof out, "%s/report", tmp);
	static struct cmd_result r;
	char *rep[] = {argv[1], "report", sample, "--out", out, NULL};
	CHECK(run_cmd(rep, &r) == 0 && r.status == 0);
	snprintf(profile, sizeof profile, "%s/profile", tmp);
	snprintf(shot, sizeof shot, "%s/shot.png", tmp);
	snprintf(url, sizeof url, "file://%s/index.html", out);
	snprintf(shot_opt, sizeof shot_opt, "--screenshot=%s", shot);
	snprintf(dir_opt, sizeof dir_opt, "--user-data-dir=%s", profile);
	char *cr[] = {chromium,
		      "--headless",
		      "--no-sandbox",
		      "--disable-gpu",
		      "--disable-background-networking",
		      "--disable-component-update",
		      "--disable-sync",
		      "--no-first-run",
		      "--hide-scrollbars",
		      dir_opt,
		      shot_opt,
		      "--window-size=1280,2000",
		      url,
		      NULL};
	CHECK(run_cmd(cr, &r) == 0);
	if (r.status != 0)
		fprintf(stderr, "chromium exited %d:\n%s\n", r.status, r.err);
	if (access(shot, F_OK) != 0 && !check_failures) {
		/* The browser could not run here at all (no display stack, sandbox
		 * rules): that says nothing about the report. */
		fprintf(stderr, "chromium wrote no screenshot: skipping\n");
		return 77;
	}
	uint32_t w = 0, h = 0;
	CHECK(png_size(shot, &w, &h));
	CHECK_EQ_U64(w, 1280);
	CHECK_EQ_U64(h, 2000);
	/* A blank page compresses to almost nothing; the report does not. */
	FILE *f = fopen(shot, "rb");
	long size = 0;
	if (f) {
		fseek(f, 0, SEEK_END);
		size = ftell(f);
		fclose(f);
	}
	CHECK(size > 100000);
	if (!check_failures) {
		char *rm[] = {"/bin/rm", "-rf", tmp, NULL};
		run_cmd(rm, &r);
	} else {
		fprintf(stderr, "screenshot kept: %s\n", shot);
	}
	CHECK_DONE();
}
