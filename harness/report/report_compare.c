/* compare's verdicts in a report over several files: the comparison is built
 * by compare's own code (harness/compare/compare.h: load, defaults, compare)
 * with its default options, and the report shows the throughput verdict of
 * each strategy per file against the first. Only documented keys of the
 * comparison (results/SCHEMA.md, `zcbench compare --format json`) are read. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../compare/compare.h"
#include "report_compare.h"

int zc_report_compare(struct zc_report *r, char *err, size_t err_len)
{
	if (r->nfiles < 2)
		return 0;
	struct zc_cmp_file files[ZC_REPORT_MAX_FILES];
	size_t n = 0;
	int rc = 0;
	for (; n < r->nfiles; n++) {
		if (zc_cmp_load(r->files[n].path, &files[n], err, err_len) != 0) {
			/* Not fatal: the report shows what it can and says why compare's
			 * verdicts are missing. */
			snprintf(r->compare_note, sizeof r->compare_note, "%s", err);
			rc = -1;
			break;
		}
	}
	if (rc == 0) {
		struct zc_cmp_opts o;
		memset(&o, 0, sizeof o);
		o.threshold = 0.05;
		o.alpha = 0.05;
		o.nmetrics = zc_metric_defaults(o.metrics);
		r->compare = zc_compare(files, r->nfiles, &o);
	}
	for (size_t i = 0; i < n; i++)
		json_decref(files[i].doc);
	return rc == 0 || r->compare_note[0] ? 0 : -1;
}

static const char *verdict_word(const char *v)
{
	if (!v)
		return "not compared";
	if (strcmp(v, "regression") == 0)
		return "slower (regression)";
	if (strcmp(v, "improvement") == 0)
		return "faster (improvement)";
	if (strcmp(v, "unchanged") == 0)
		return "unchanged (within the threshold)";
	if (strcmp(v, "not_significant") == 0)
		return "not significant";
	return "not comparable";
}

/* Calls row(ctx, cell, file index, vs) for each compared cell of workload w
 * and each file after the first. */
static void each_row(const struct zc_report *r, size_t w,
		     void (*row)(struct zc_sbuf *, const json_t *, size_t, const json_t *), struct zc_sbuf *b)
{
	const json_t *cells = json_object_get(r->compare, "cells");
	for (size_t i = 0; i < json_array_size(cells); i++) {
		const json_t *c = json_array_get(cells, i);
		const char *wl = zc_jstr(c, "workload");
		if (!wl || strcmp(wl, r->workloads[w]) != 0)
			continue;
		const json_t *vs =
			json_object_get(json_object_get(json_object_get(c, "metrics"), "throughput"), "vs_first");
		for (size_t f = 1; f < r->nfiles; f++)
			row(b, c, f, json_array_get(vs, f));
	}
}

static void html_row(struct zc_sbuf *b, const json_t *c, size_t f, const json_t *vs)
{
	(void)f;
	const char *label = zc_jstr(c, "label"), *v = zc_jstr(vs, "verdict"), *why = zc_jstr(vs, "reason");
	struct zc_val change = zc_jnum(vs, "change"), p = zc_jnum(vs, "p");
	const char *cls = v && strcmp(v, "regression") == 0 ? "bad" : v && strcmp(v, "improvement") == 0 ? "ok" : "na";
	zc_sb_puts(b, "<tr><td>");
	zc_sb_html(b, label ? label : "?");
	zc_sb_printf(b, "</td><td>%zu</td>", f + 1);
	zc_sb_cell(b, &zc_cell_html, change, "%+.1f%%", 100);
	zc_sb_cell(b, &zc_cell_html, p, "%.3g", 1);
	zc_sb_printf(b, "<td class=\"%s\">%s", cls, verdict_word(v));
	if (why) {
		zc_sb_puts(b, ": ");
		zc_sb_html(b, why);
	}
	zc_sb_puts(b, "</td></tr>\n");
}

static void md_row(struct zc_sbuf *b, const json_t *c, size_t f, const json_t *vs)
{
	const char *label = zc_jstr(c, "label"), *v = zc_jstr(vs, "verdict"), *why = zc_jstr(vs, "reason");
	struct zc_val change = zc_jnum(vs, "change"), p = zc_jnum(vs, "p");
	zc_sb_puts(b, "| ");
	zc_sb_md(b, label ? label : "?");
	zc_sb_printf(b, " | %zu |", f + 1);
	zc_sb_cell(b, &zc_cell_md, change, "%+.1f%%", 100);
	zc_sb_cell(b, &zc_cell_md, p, "%.3g", 1);
	bool strong = v && (strcmp(v, "regression") == 0 || strcmp(v, "improvement") == 0);
	zc_sb_printf(b, " %s%s%s", strong ? "**" : "", verdict_word(v), strong ? "**" : "");
	if (why) {
		zc_sb_puts(b, ": ");
		zc_sb_md(b, why);
	}
	zc_sb_puts(b, " |\n");
}

static void left_out(struct zc_sbuf *b, const struct zc_report *r, bool html)
{
	const json_t *lo = json_object_get(r->compare, "timing_left_out");
	for (size_t i = 0; i < json_array_size(lo); i++) {
		const char *m = json_string_value(json_array_get(lo, i));
		if (m && strcmp(m, "throughput") == 0) {
			zc_sb_puts(b, html ? "<p class=\"warn\">" : "\n");
			zc_sb_puts(b, "compare left throughput out: a file ran under emulation (timing there means "
				      "nothing).");
			zc_sb_puts(b, html ? "</p>\n" : "\n");
		}
	}
}

void zc_compare_html(struct zc_sbuf *b, const struct zc_report *r, size_t w)
{
	if (r->compare_note[0]) {
		zc_sb_puts(b, "<p class=\"warn\">No compare verdicts: ");
		zc_sb_html(b, r->compare_note);
		zc_sb_puts(b, "</p>\n");
	}
	if (!r->compare)
		return;
	zc_sb_printf(b,
		     "<p class=\"small\">Throughput of each file against file 1 (<code>zcbench compare</code>: "
		     "Mann-Whitney U over the runs, threshold %.0f%%, alpha %.2g).</p>\n",
		     zc_jnum(r->compare, "threshold").v * 100, zc_jnum(r->compare, "alpha").v);
	left_out(b, r, true);
	zc_sb_puts(b,
		   "<div class=\"wrap\"><table class=\"cmp\"><tr><th>cell</th><th>file</th><th class=\"n\">change</th>"
		   "<th class=\"n\">p</th><th>verdict</th></tr>\n");
	each_row(r, w, html_row, b);
	zc_sb_puts(b, "</table></div>\n");
}

void zc_compare_md(struct zc_sbuf *b, const struct zc_report *r, size_t w)
{
	if (r->compare_note[0]) {
		zc_sb_puts(b, "\nNo compare verdicts: ");
		zc_sb_md(b, r->compare_note);
		zc_sb_puts(b, "\n");
	}
	if (!r->compare)
		return;
	zc_sb_printf(b, "\nThroughput against file 1 (`zcbench compare`, threshold %.0f%%, alpha %.2g):\n",
		     zc_jnum(r->compare, "threshold").v * 100, zc_jnum(r->compare, "alpha").v);
	left_out(b, r, false);
	zc_sb_puts(b, "\n| cell | file | change | p | verdict |\n|---|--:|--:|--:|---|\n");
	each_row(r, w, md_row, b);
}
