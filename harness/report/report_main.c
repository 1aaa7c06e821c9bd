/* zcbench report: the steps in order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_compare.h"
#include "report_figures.h"
#include "report_model.h"
#include "report_pages.h"
#include "../safe_file.h"

#ifndef ZC_PLOTS_DIR
#define ZC_PLOTS_DIR "plots"
#endif

const char *zc_report_plots_dir(void)
{
	const char *env = getenv("ZCBENCH_PLOTS_DIR");
	return env && *env ? env : ZC_PLOTS_DIR;
}

void zc_report_dir_for(const char *json_path, char *buf, size_t len)
{
	size_t n = strlen(json_path);
	if (n > 5 && strcmp(json_path + n - 5, ".json") == 0)
		n -= 5;
	snprintf(buf, len, "%.*s-report", (int)n, json_path);
}

int zc_report_run(const struct zc_report_opts *o, char *err, size_t err_len)
{
	struct zc_report r;
	int rc = zc_report_load(&r, o->files, o->nfiles, err, err_len);
	if (rc != ZC_REPORT_OK) {
		zc_report_free(&r);
		return rc;
	}
	rc = ZC_REPORT_FAILED;
	/* What rendering needs, before anything is written. */
	const char *gnuplot = o->gnuplot ? o->gnuplot : "gnuplot";
	const char *plots = o->plots_dir ? o->plots_dir : zc_report_plots_dir();
	char prog[4096], common[4096];
	if (!zc_find_program(gnuplot, prog, sizeof prog)) {
		snprintf(err, err_len,
			 "%s not found%s: install the Debian package gnuplot-nox (apt-get install gnuplot-nox)",
			 gnuplot, strchr(gnuplot, '/') ? "" : " in PATH");
		goto out;
	}
	snprintf(common, sizeof common, "%s/common.gp", plots);
	if (!zc_is_file(common)) {
		snprintf(err, err_len,
			 "the gnuplot scripts are not in %s (no common.gp there; give their folder with "
			 "--plots DIR)",
			 plots);
		goto out;
	}
	int e = zc_mkdirs(o->out_dir);
	if (e) {
		snprintf(err, err_len, "cannot create %s: %s", o->out_dir, strerror(e));
		goto out;
	}
	/* Temps a report killed mid-write left in the folders it writes. */
	static const char *const subdirs[] = {"", "/data", "/plots"};
	for (size_t i = 0; i < sizeof subdirs / sizeof subdirs[0]; i++) {
		char dir[4096];
		snprintf(dir, sizeof dir, "%s%s", o->out_dir, subdirs[i]);
		zc_out_sweep(dir);
	}
	if (zc_report_compare(&r, err, err_len) != 0 || zc_report_figures(&r, o->out_dir, err, err_len) != 0)
		goto out;
	if (zc_report_render(&r, o->out_dir, plots, prog, err, err_len) != 0)
		goto out;
	if (zc_report_html(&r, o->out_dir, err, err_len) != 0 || zc_report_md(&r, o->out_dir, err, err_len) != 0)
		goto out;
	rc = ZC_REPORT_OK;
out:
	zc_report_free(&r);
	return rc;
}

int zc_report_generate(const char *const *files, size_t nfiles, const char *out_dir, char *err, size_t err_len)
{
	struct zc_report_opts o = {.files = files, .nfiles = nfiles, .out_dir = out_dir};
	return zc_report_run(&o, err, err_len) == ZC_REPORT_OK ? 0 : -1;
}
