/* zcbench report: HTML, Markdown and gnuplot figures (PNG and SVG) from one or
 * more result files. */
#ifndef ZC_REPORT_H
#define ZC_REPORT_H

#include <stdbool.h>
#include <stddef.h>

/* Figure size in pixels: every PNG and SVG of a report has it. */
#define ZC_REPORT_FIG_WIDTH   960
#define ZC_REPORT_FIG_HEIGHT  540

/* Return values of zc_report_run. */
#define ZC_REPORT_OK	    0
#define ZC_REPORT_FAILED    -1 /* could not render or write (gnuplot missing, disk, ...) */
#define ZC_REPORT_BAD_INPUT -2 /* a file is missing, not JSON, or not a zcbench result file */

struct zc_report_opts {
	const char *const *files; /* result files, in the order the report shows them */
	size_t nfiles;
	const char *out_dir;   /* created when missing; files in it are overwritten */
	const char *plots_dir; /* the gnuplot scripts; NULL: zc_report_plots_dir() */
	const char *gnuplot;   /* the gnuplot program; NULL: "gnuplot" from PATH */
};

/* Write index.html, summary.md, one PNG and one SVG per figure, data/ (the
 * figures' data and render.sh, which redraws them) and plots/ (the scripts
 * used) into out_dir. Returns ZC_REPORT_OK, or another ZC_REPORT_* value with
 * a one-line reason in err. */
int zc_report_run(const struct zc_report_opts *o, char *err, size_t err_len);

/* For `zcbench all`: the same with the default scripts and gnuplot from
 * PATH. Returns 0, or -1 with a one-line reason in err. */
int zc_report_generate(const char *const *files, size_t nfiles, const char *out_dir, char *err, size_t err_len);

/* The report directory for a result file: "results/zcbench-X.json" gives
 * "results/zcbench-X-report" (a name without ".json" gets "-report" added). */
void zc_report_dir_for(const char *json_path, char *buf, size_t len);

/* Where the gnuplot scripts are: $ZCBENCH_PLOTS_DIR, else the source tree's
 * plots/ (compiled in as ZC_PLOTS_DIR). */
const char *zc_report_plots_dir(void);

#endif
