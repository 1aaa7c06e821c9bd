/* Drawing the figures: gnuplot, run as a child without a shell, once per
 * figure and format, with the report directory as its working directory so
 * that data/render.sh can repeat exactly the same commands by hand. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"
#include "report_pages.h"

static int copy_file(const char *from, const char *to, char *err, size_t err_len)
{
	FILE *f = fopen(from, "re");
	if (!f) {
		snprintf(err, err_len, "cannot read %s: %s", from, strerror(errno));
		return -1;
	}
	struct zc_sbuf b;
	zc_sb_init(&b);
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		zc_sb_putn(&b, buf, n);
	int rd_err = ferror(f);
	fclose(f);
	int rc = -1;
	if (rd_err)
		snprintf(err, err_len, "cannot read %s", from);
	else if (b.oom)
		snprintf(err, err_len, "out of memory");
	else
		rc = zc_write_file(to, b.s ? b.s : "", b.len, err, err_len);
	zc_sb_free(&b);
	return rc;
}

/* gnuplot opens its output without O_EXCL: make sure the name is free, or
 * held by a regular file it may replace (removed first, so gnuplot creates
 * a new file and never writes through a link or into a device). */
static int clear_target(const char *out_dir, const char *name, char *err, size_t err_len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", out_dir, name);
	struct stat st;
	if (lstat(path, &st) != 0)
		return 0;
	if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
		snprintf(err, err_len, "%s is not a regular file: refused", path);
		return -1;
	}
	if (unlink(path) != 0) {
		snprintf(err, err_len, "cannot replace %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The last non-empty line of gnuplot's complaint: where it names the script
 * line and the problem. */
static void last_line(const char *text, char *buf, size_t len)
{
	const char *end = text + strlen(text);
	while (end > text && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	const char *start = end;
	while (start > text && start[-1] != '\n')
		start--;
	snprintf(buf, len, "%.*s", (int)(end - start), start);
}

/* argv for one figure in one format; strings live in fig and the caller's
 * buffers. */
static void figure_argv(const char *gnuplot, const struct zc_figure *fig, const char *ext, char *script,
			size_t script_len, char *data, size_t data_len, char *out, size_t out_len, char *w, char *h,
			char *argv[12])
{
	snprintf(script, script_len, "plots/%s", fig->script);
	snprintf(data, data_len, "data/%s.dat", fig->data[0] ? fig->data : fig->stem);
	snprintf(out, out_len, "%s.%s", fig->stem, ext);
	snprintf(w, 16, "%d", fig->width);
	snprintf(h, 16, "%d", fig->height);
	size_t i = 0;
	argv[i++] = (char *)gnuplot;
	argv[i++] = "-c";
	argv[i++] = script;
	argv[i++] = data;
	argv[i++] = out;
	argv[i++] = w;
	argv[i++] = h;
	argv[i++] = (char *)fig->title;
	argv[i++] = (char *)fig->note;
	argv[i++] = (char *)fig->extra;
	argv[i] = NULL;
}

int zc_report_render(const struct zc_report *r, const char *out_dir, const char *plots_dir, const char *gnuplot,
		     char *err, size_t err_len)
{
	char prog[4096];
	if (!zc_find_program(gnuplot, prog, sizeof prog)) {
		snprintf(err, err_len,
			 "%s not found%s: install the Debian package gnuplot-nox (apt-get install gnuplot-nox)",
			 gnuplot, strchr(gnuplot, '/') ? "" : " in PATH");
		return -1;
	}
	char dir[4096], from[4096], to[4096];
	snprintf(dir, sizeof dir, "%s/plots", out_dir);
	int e = zc_mkdirs(dir);
	if (e) {
		snprintf(err, err_len, "cannot create %s: %s", dir, strerror(e));
		return -1;
	}
	/* The scripts this report uses, beside it. */
	const char *scripts[64];
	size_t nscripts = 0;
	scripts[nscripts++] = "common.gp";
	scripts[nscripts++] = "bars.gp";
	scripts[nscripts++] = "strategy_bars.gp";
	for (size_t i = 0; i < r->nfigs; i++) {
		if (r->figs[i].kind != ZC_FIG_DATA)
			continue;
		bool seen = false;
		for (size_t k = 0; k < nscripts; k++)
			seen |= strcmp(scripts[k], r->figs[i].script) == 0;
		if (!seen && nscripts < 64)
			scripts[nscripts++] = r->figs[i].script;
	}
	for (size_t k = 0; k < nscripts; k++) {
		snprintf(from, sizeof from, "%s/%s", plots_dir, scripts[k]);
		if (!zc_is_file(from)) {
			snprintf(err, err_len, "gnuplot script %s not found (give the plots/ folder with --plots DIR)",
				 from);
			return -1;
		}
		snprintf(to, sizeof to, "%s/%s", dir, scripts[k]);
		if (copy_file(from, to, err, err_len) != 0)
			return -1;
	}

	static const char *const exts[] = {"png", "svg"};
	char *env[] = {"GNUPLOT_LIB=plots", NULL};
	struct zc_sbuf sh, gp_err;
	zc_sb_init(&sh);
	zc_sb_puts(&sh, "#!/bin/sh\n"
			"# Redraws every figure of this report from the data files beside this script,\n"
			"# with the gnuplot scripts in ../plots: the commands `zcbench report` ran.\n"
			"set -e\n"
			"cd \"$(dirname \"$0\")/..\"\n"
			"export GNUPLOT_LIB=plots\n");
	int rc = 0;
	for (size_t i = 0; i < r->nfigs && rc == 0; i++) {
		const struct zc_figure *fig = &r->figs[i];
		if (fig->kind != ZC_FIG_DATA)
			continue; /* left out: a line in the page, no image */
		for (size_t x = 0; x < 2 && rc == 0; x++) {
			char script[64], data[256], out[256], w[16], h[16];
			char *argv[12];
			figure_argv(prog, fig, exts[x], script, sizeof script, data, sizeof data, out, sizeof out, w, h,
				    argv);
			argv[0] = "gnuplot";
			zc_sb_shell_join(&sh, argv);
			zc_sb_puts(&sh, "\n");
			argv[0] = prog;
			if (clear_target(out_dir, out, err, err_len) != 0) {
				rc = -1;
				break;
			}
			zc_sb_init(&gp_err);
			struct zc_spawn how = {.cwd = out_dir, .extra_env = env, .stdout_fd = -1, .err = &gp_err};
			int status;
			if (zc_spawn_wait(prog, argv, &how, &status, err, err_len) != 0) {
				rc = -1;
			} else if (status != 0) {
				char line[400];
				last_line(gp_err.s ? gp_err.s : "", line, sizeof line);
				snprintf(err, err_len, "gnuplot failed drawing %s with plots/%s (exit status %d): %s",
					 out, fig->script, status, line[0] ? line : "no message");
				rc = -1;
			} else {
				/* A figure gnuplot did not write is a failure even when it exited 0. */
				char path[4096];
				snprintf(path, sizeof path, "%s/%s", out_dir, out);
				if (!zc_is_file(path)) {
					snprintf(err, err_len, "gnuplot wrote no %s (plots/%s)", path, fig->script);
					rc = -1;
				}
			}
			zc_sb_free(&gp_err);
		}
	}
	if (rc == 0) {
		snprintf(to, sizeof to, "%s/data/render.sh", out_dir);
		if (sh.oom) {
			snprintf(err, err_len, "out of memory");
			rc = -1;
		} else if (zc_write_file(to, sh.s, sh.len, err, err_len) != 0) {
			rc = -1;
		} else if (chmod(to, 0755) != 0) {
			snprintf(err, err_len, "chmod %s: %s", to, strerror(errno));
			rc = -1;
		}
	}
	zc_sb_free(&sh);
	return rc;
}
