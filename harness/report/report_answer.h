/* The answer the page and summary.md open with (report_answer.c): per
 * workload the ranked verdicts as ratio bars with their intervals, the
 * chunk and size, seeing and blind strategies marked, the price of control,
 * compare's verdicts with several files; then the noise and machine
 * warnings. */
#ifndef ZC_REPORT_ANSWER_H
#define ZC_REPORT_ANSWER_H

#include "report_model.h"

void zc_answer_html(struct zc_sbuf *b, const struct zc_report *r);
void zc_warnings_html(struct zc_sbuf *b, const struct zc_report *r);
void zc_answer_md(struct zc_sbuf *b, const struct zc_report *r);
void zc_warnings_md(struct zc_sbuf *b, const struct zc_report *r);

#endif
