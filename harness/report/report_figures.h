/* The workload figures (report_figures.c): decide them and write their data
 * files into out_dir/data. */
#ifndef ZC_REPORT_FIGURES_H
#define ZC_REPORT_FIGURES_H

#include "report_model.h"

/* Returns 0, or -1 with err set. */
int zc_report_figures(struct zc_report *r, const char *out_dir, char *err, size_t err_len);
/* Workload w's name as its figures' file names end: letters, digits, - and
 * _, numbered when an earlier workload sanitizes the same. */
void zc_workload_suffix(const struct zc_report *r, size_t w, char *sfx, size_t len);

#endif
