/* The report in a real browser: headless Chromium loads index.html 1024 px
 * wide and the test fails on
 *   - a console message from the page (it has no script of its own, so any
 *     message is an error: a blocked or failed resource, a parse error),
 *   - a broken image (every <details> opened, every image loaded eagerly),
 *   - horizontal overflow: the page wider than the 1024 px window.
 * How: a small check page beside the report holds it in a 1024 px iframe
 * (--allow-file-access-from-files lets it look inside), waits for every image
 * and writes what it found into its own DOM, which --dump-dom prints
 * (--virtual-time-budget lets the waiting finish first); console messages come
 * from Chromium's log (--enable-logging=stderr). The same check runs first on
 * a page made to fail all three ways, so a check that could not fail would
 * show. The screenshot of the first screen (1024x1400, the answer) stays in
 * OUT_DIR (build/report-browser/ under ctest) for CI to keep.
 *
 * Skips (77) without chromium or gnuplot, except under CI (CI=true, as
 * GitHub sets it, or ZC_REQUIRE_BROWSER=1), where ci/setup.sh installs both
 * and a skip would hide a check that never ran.
 * Usage: test_report_browser ZCBENCH SAMPLE_DIR OUT_DIR */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "harness/util.h"
#include "report_fixture.h"
#include "run_cmd.h"

static char chromium[4096];

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

static const char check_page[] =
	"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">\n"
	"<iframe id=\"r\" src=\"report/index.html\" style=\"width:1024px;height:900px;border:0\"></iframe>\n"
	"<script>\n"
	"window.addEventListener('load', async () => {\n"
	"  const out = [];\n"
	"  const d = document.getElementById('r').contentDocument;\n"
	"  if (!d || !d.body) {\n"
	"    out.push('noaccess');\n"
	"  } else {\n"
	"    d.querySelectorAll('details').forEach(x => { x.open = true; });\n"
	"    const imgs = Array.from(d.images);\n"
	"    imgs.forEach(i => { i.loading = 'eager'; });\n"
	"    await Promise.all(imgs.map(i => i.complete ? 0 :\n"
	"      new Promise(r => { i.onload = r; i.onerror = r; })));\n"
	"    const broken = imgs.filter(i => !i.complete || i.naturalWidth === 0)\n"
	"      .map(i => i.getAttribute('src'));\n"
	"    const e = d.documentElement;\n"
	"    const wide = Array.from(d.body.querySelectorAll('*'))\n"
	"      .filter(x => x.getBoundingClientRect().right > e.clientWidth + 1)\n"
	"      .slice(0, 4).map(x => x.tagName.toLowerCase() + (x.className ? '.' + x.className : ''));\n"
	"    out.push('images=' + imgs.length, 'broken=' + (broken.join(',') || '-'),\n"
	"      'scroll=' + e.scrollWidth, 'client=' + e.clientWidth, 'wide=' + (wide.join(',') || '-'));\n"
	"  }\n"
	"  const p = document.createElement('pre');\n"
	"  p.id = 'result';\n"
	"  p.textContent = '@' + 'RESULT ' + out.join(' ') + ' @' + 'END';\n"
	"  document.body.appendChild(p);\n"
	"});\n"
	"</script></body></html>\n";

/* What the browser found in dir/report/index.html. */
struct found {
	bool ran;
	long images, scroll, client;
	char broken[1024], wide[512];
	size_t console; /* messages from the report's page */
	char first_console[512];
};

static const char *flags[] = {"--headless",
			      "--no-sandbox", /* as root, in a container */
			      "--disable-gpu",
			      "--disable-background-networking",
			      "--disable-component-update",
			      "--disable-sync",
			      "--no-first-run",
			      "--hide-scrollbars"};
#define NFLAGS (sizeof flags / sizeof flags[0])

/* chromium, the common flags and a fresh profile: returns how many words. */
static size_t chromium_argv(char **argv, char *profile_opt)
{
	size_t n = 0;
	argv[n++] = chromium;
	for (size_t i = 0; i < NFLAGS; i++)
		argv[n++] = (char *)flags[i];
	argv[n++] = profile_opt;
	return n;
}

static void browse(const char *dir, struct found *f)
{
	memset(f, 0, sizeof *f);
	char page[512], profile[512], profile_opt[600], url[600], report_url[600];
	snprintf(page, sizeof page, "%s/check.html", dir);
	CHECK(zc_write_file(page, check_page, strlen(check_page), NULL, 0) == 0);
	snprintf(profile, sizeof profile, "%s/profile-check", dir);
	snprintf(profile_opt, sizeof profile_opt, "--user-data-dir=%s", profile);
	snprintf(url, sizeof url, "file://%s", page);
	snprintf(report_url, sizeof report_url, "source: file://%s/report/", dir);
	char *argv[32];
	size_t n = chromium_argv(argv, profile_opt);
	argv[n++] = "--allow-file-access-from-files";
	argv[n++] = "--enable-logging=stderr";
	argv[n++] = "--v=0";
	argv[n++] = "--virtual-time-budget=30000";
	argv[n++] = "--window-size=1024,900";
	argv[n++] = "--dump-dom";
	argv[n++] = url;
	argv[n] = NULL;
	struct zc_sbuf out, err;
	zc_sb_init(&out);
	zc_sb_init(&err);
	struct zc_spawn how = {.stdout_fd = -1, .out = &out, .err = &err};
	int status = -1;
	char why[256] = "";
	CHECK(zc_spawn_wait(chromium, argv, &how, &status, why, sizeof why) == 0);
	if (status != 0)
		fprintf(stderr, "chromium exited %d: %s\n%.2000s\n", status, why, err.s ? err.s : "");
	const char *res = out.s ? strstr(out.s, "@RESULT ") : NULL;
	if (res) {
		f->ran = sscanf(res, "@RESULT images=%ld broken=%1023s scroll=%ld client=%ld wide=%511s", &f->images,
				f->broken, &f->scroll, &f->client, f->wide) == 5;
	}
	if (!f->ran)
		fprintf(stderr, "the check page wrote no result:\n%.3000s\n", out.s ? out.s : "");
	/* Console messages, e.g. `...:INFO:CONSOLE:3] "msg", source: file://DIR/report/index.html (3)`. */
	for (const char *p = err.s ? err.s : ""; (p = strstr(p, ":CONSOLE")) != NULL; p++) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		const char *src = strstr(p, report_url);
		if (src && (!eol || src < eol)) {
			if (!f->console++)
				snprintf(f->first_console, sizeof f->first_console, "%.*s", (int)len, p);
		}
	}
	zc_sb_free(&out);
	zc_sb_free(&err);
}

/* A page made to fail every check: the check must see all three. */
static void check_the_check(const char *tmp)
{
	char dir[256], rep[300];
	snprintf(dir, sizeof dir, "%s/bad", tmp);
	snprintf(rep, sizeof rep, "%s/report", dir);
	CHECK(zc_mkdirs(rep) == 0);
	static const char bad[] = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>"
				  "<img src=\"missing.png\" width=\"10\" height=\"10\">"
				  "<div style=\"width:1500px\">wide</div>"
				  "<script>console.error('made to fail');</script></body></html>\n";
	char path[400];
	snprintf(path, sizeof path, "%s/index.html", rep);
	CHECK(zc_write_file(path, bad, strlen(bad), NULL, 0) == 0);
	struct found f;
	browse(dir, &f);
	CHECK(f.ran);
	CHECK_EQ_U64(f.images, 1);
	CHECK(strcmp(f.broken, "missing.png") == 0);
	CHECK(f.scroll > f.client);
	CHECK_EQ_U64(f.console, 1);
	CHECK(strstr(f.first_console, "made to fail") != NULL);
}

static bool required(void)
{
	const char *ci = getenv("CI"), *req = getenv("ZC_REQUIRE_BROWSER");
	return (ci && strcmp(ci, "true") == 0) || (req && strcmp(req, "1") == 0);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: test_report_browser ZCBENCH SAMPLE_DIR OUT_DIR\n");
		return 2;
	}
	char gp[4096];
	bool have = zc_find_program("chromium", chromium, sizeof chromium);
	if (!have || !zc_find_program("gnuplot", gp, sizeof gp)) {
		fprintf(stderr, "%s is not installed (bash ci/setup.sh installs it)%s\n",
			have ? "gnuplot (Debian package gnuplot-nox)" : "chromium (Debian package chromium)",
			required() ? "" : ": skipping");
		return required() ? 1 : 77;
	}
	const char *samples = argv[2], *keep = argv[3];
	char tmp[] = "/tmp/zc-browser-XXXXXX";
	CHECK(mkdtemp(tmp) != NULL);
	check_the_check(tmp);

	/* The report a reader gets from one invocation with verdicts. */
	char file[300], out[300];
	snprintf(file, sizeof file, "%s/verdicts.json", tmp);
	CHECK(zc_fixture_verdicts(samples, file, "6.18.44-browser") == 0);
	snprintf(out, sizeof out, "%s/good/report", tmp);
	static struct cmd_result r;
	char *rep[] = {argv[1], "report", file, "--out", out, NULL};
	CHECK(run_cmd(rep, &r) == 0 && r.status == 0);
	if (r.status != 0)
		fprintf(stderr, "zcbench report: %s\n", r.err);
	char good[300];
	snprintf(good, sizeof good, "%s/good", tmp);
	struct found f;
	browse(good, &f);
	CHECK(f.ran);
	CHECK(f.images >= 12); /* two workloads of six figures */
	if (strcmp(f.broken, "-") != 0)
		fprintf(stderr, "broken images: %s\n", f.broken);
	CHECK(strcmp(f.broken, "-") == 0);
	if (f.scroll > f.client)
		fprintf(stderr, "wider than the window: %ld px in %ld (widest: %s)\n", f.scroll, f.client, f.wide);
	CHECK(f.ran && f.scroll <= f.client);
	if (f.console)
		fprintf(stderr, "%zu console message(s), the first: %s\n", f.console, f.first_console);
	CHECK_EQ_U64(f.console, 0);

	/* The first screen, kept for CI and for looking at. */
	CHECK(zc_mkdirs(keep) == 0);
	char shot[4400], shot_opt[4500], profile_opt[400], url[400];
	snprintf(shot, sizeof shot, "%s/index-1024.png", keep);
	unlink(shot);
	snprintf(shot_opt, sizeof shot_opt, "--screenshot=%s", shot);
	snprintf(profile_opt, sizeof profile_opt, "--user-data-dir=%s/profile-shot", tmp);
	snprintf(url, sizeof url, "file://%s/index.html", out);
	char *cr[32];
	size_t n = chromium_argv(cr, profile_opt);
	cr[n++] = shot_opt;
	cr[n++] = "--window-size=1024,1400";
	cr[n++] = url;
	cr[n] = NULL;
	CHECK(run_cmd(cr, &r) == 0 && r.status == 0);
	uint32_t w = 0, h = 0;
	CHECK(png_size(shot, &w, &h));
	CHECK_EQ_U64(w, 1024);
	CHECK_EQ_U64(h, 1400);
	if (!check_failures) {
		char *rm[] = {"/bin/rm", "-rf", tmp, NULL};
		run_cmd(rm, &r);
	} else {
		fprintf(stderr, "kept: %s\n", tmp);
	}
	fprintf(stderr, "screenshot: %s\n", shot);
	CHECK_DONE();
}
