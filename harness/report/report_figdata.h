/* The pieces every figure is made of: a figure in the report's list, its data
 * file under data/ (plain whitespace-separated text with quoted labels, headed
 * by comments naming its columns) and the figures left out because nothing
 * was measured. Used by report_figures.c and report_shutdown.c; depends only
 * on the model. */
#ifndef ZC_REPORT_FIGDATA_H
#define ZC_REPORT_FIGDATA_H

#include "report_model.h"

/* A quoted label for a data file: control characters become spaces, a double
 * quote a single one, a backslash a slash (none can end or break the field). */
void zc_fig_label(struct zc_sbuf *b, const char *s);
/* The same for a tic label, which gnuplot reads as a format: % doubled. */
void zc_fig_tic_label(struct zc_sbuf *b, const char *s);
void zc_fig_num(struct zc_sbuf *b, struct zc_val v, double scale); /* " value" or " NaN" */
/* The comment block a data file starts with: its title, the result files and
 * the columns (text with its own "# " lines). */
void zc_fig_header(struct zc_sbuf *b, const struct zc_report *r, const char *title, const char *columns);
/* A figure gnuplot draws with plots/script; NULL when out of memory. */
struct zc_figure *zc_fig_add(struct zc_report *r, const char *stem, const char *script, size_t w, const char *title);
/* A figure left out: the page shows its title and text (why) instead. 0, or
 * -1 with err set when out of memory. */
int zc_fig_note(struct zc_report *r, const char *out_dir, const char *stem, size_t w, const char *title,
		const char *text, char *err, size_t err_len);
/* Write b as data/<stem>.dat (the figure's note wrapped for gnuplot first).
 * 0, or -1 with err set. */
int zc_fig_write(const char *out_dir, struct zc_figure *fig, struct zc_sbuf *b, char *err, size_t err_len);

#endif
