/* The outputs (report_render.c, report_html.c, report_md.c): gnuplot for
 * every drawn figure (PNG and SVG, the scripts copied to out_dir/plots and
 * data/render.sh), index.html and summary.md. Each returns 0, or -1 with err
 * set. */
#ifndef ZC_REPORT_PAGES_H
#define ZC_REPORT_PAGES_H

#include "report_model.h"

int zc_report_render(const struct zc_report *r, const char *out_dir, const char *plots_dir, const char *gnuplot,
		     char *err, size_t err_len);
int zc_report_html(const struct zc_report *r, const char *out_dir, char *err, size_t err_len);
int zc_report_md(const struct zc_report *r, const char *out_dir, char *err, size_t err_len);

#endif
