/* The shutdown benchmark's part of the report (report_shutdown.c): per
 * workload its figures (sfx: the workload's name as file names end), and its
 * part of index.html and summary.md. */
#ifndef ZC_REPORT_SHUTDOWN_H
#define ZC_REPORT_SHUTDOWN_H

#include "report_model.h"

int zc_shutdown_figures(struct zc_report *r, size_t w, const char *sfx, const char *out_dir, char *err, size_t err_len);
void zc_shutdown_html(struct zc_sbuf *b, const struct zc_report *r, size_t w);
void zc_shutdown_md(struct zc_sbuf *b, const struct zc_report *r, size_t w);
extern const char zc_shutdown_how_to_read_html[];
extern const char zc_shutdown_how_to_read_md[];

#endif
