/* With several result files the report carries compare's verdicts
 * (report_compare.c): every file against the first, as `zcbench compare`
 * decides them, through compare's public header only. */
#ifndef ZC_REPORT_COMPARE_H
#define ZC_REPORT_COMPARE_H

#include "report_model.h"

/* Build r->compare (nothing with one file). 0, or -1 with err set. */
int zc_report_compare(struct zc_report *r, char *err, size_t err_len);
/* Workload w's throughput verdicts as an HTML table, and as Markdown. */
void zc_compare_html(struct zc_sbuf *b, const struct zc_report *r, size_t w);
void zc_compare_md(struct zc_sbuf *b, const struct zc_report *r, size_t w);

#endif
