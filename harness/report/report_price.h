/* The price of control (--price-of-control, issue 16) in the report: the
 * table zcbench printed at the end of the run, per file and workload, from
 * the result's "price_of_control" (nothing when no file has one). */
#ifndef ZC_REPORT_PRICE_H
#define ZC_REPORT_PRICE_H

#include "report_model.h"

void zc_price_html(struct zc_sbuf *b, const struct zc_report *r);
void zc_price_md(struct zc_sbuf *b, const struct zc_report *r);

#endif
