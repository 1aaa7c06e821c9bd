/* zcbench compare: the text and markdown reports, drawn from the JSON
 * comparison that zc_compare builds. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

#define MAX_COLS (ZC_COMPARE_MAX_FILES + 8)

/* A table of strings, drawn aligned (text) or with pipes (markdown). */
struct grid {
	size_t ncols, nrows, cap;
	char **cell; /* nrows * ncols, row-major; NULL is empty */
	bool right[MAX_COLS];
};

static void grid_row(struct grid *g)
{
	if (g->nrows == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 64;
		char **c = realloc(g->cell, cap * g->ncols * sizeof *c);
		if (!c)
			abort();
		g->cell = c;
		g->cap = cap;
	}
	memset(&g->cell[g->nrows * g->ncols], 0, g->ncols * sizeof *g->cell);
	g->nrows++;
}

static void grid_set(struct grid *g, size_t col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void grid_set(struct grid *g, size_t col, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	char **slot = &g->cell[(g->nrows - 1) * g->ncols + col];
	free(*slot);
	*slot = strdup(buf);
	if (!*slot)
		abort();
}

static void grid_free(struct grid *g)
{
	for (size_t i = 0; i < g->nrows * g->ncols; i++)
		free(g->cell[i]);
	free(g->cell);
}

/* The first row is the header. */
static void grid_print_text(FILE *out, const struct grid *g)
{
	size_t w[MAX_COLS] = {0};
	for (size_t r = 0; r < g->nrows; r++)
		for (size_t c = 0; c < g->ncols; c++) {
			const char *s = g->cell[r * g->ncols + c];
			if (s && strlen(s) > w[c])
				w[c] = strlen(s);
		}
	for (size_t r = 0; r < g->nrows; r++) {
		char line[4096] = "";
		for (size_t c = 0; c < g->ncols; c++) {
			const char *s = g->cell[r * g->ncols + c];
			size_t l = strlen(line);
			int width = g->right[c] || c + 1 < g->ncols ? (int)w[c] : 0;
			if (g->right[c])
				snprintf(line + l, sizeof line - l, "%s%*s", c ? "  " : "", width, s ? s : "");
			else
				snprintf(line + l, sizeof line - l, "%s%-*s", c ? "  " : "", width, s ? s : "");
		}
		size_t l = strlen(line);
		while (l && line[l - 1] == ' ')
			line[--l] = 0;
		fprintf(out, "%s\n", line);
	}
}

static void grid_print_markdown(FILE *out, const struct grid *g)
{
	for (size_t r = 0; r < g->nrows; r++) {
		fputc('|', out);
		for (size_t c = 0; c < g->ncols; c++) {
			const char *s = g->cell[r * g->ncols + c];
			fputc(' ', out);
			for (; s && *s; s++) {
				if (*s == '|')
					fputc('\\', out);
				fputc(*s, out);
			}
			fputs(" |", out);
		}
		fputc('\n', out);
		if (r == 0) {
			fputc('|', out);
			for (size_t c = 0; c < g->ncols; c++)
				fputs(g->right[c] ? " ---: |" : " --- |", out);
			fputc('\n', out);
		}
	}
}

/* ---- figures ---- */

/* 4.032G, 65.54k, 0.5: four significant digits with an SI prefix. */
static void si(double v, char *buf, size_t len)
{
	static const struct {
		double f;
		const char *p;
	} pre[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
	for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
		if (fabs(v) >= pre[i].f) {
			snprintf(buf, len, "%.4g%s", v / pre[i].f, pre[i].p);
			return;
		}
	snprintf(buf, len, "%.4g", v);
}

static void value_text(const json_t *v, char *buf, size_t len)
{
	if (!json_is_object(v)) {
		snprintf(buf, len, "n/a");
		return;
	}
	si(json_number_value(json_object_get(v, "median")), buf, len);
}

static void change_text(const json_t *j, char *buf, size_t len)
{
	const json_t *c = json_object_get(j, "change");
	if (json_is_true(json_object_get(j, "from_zero")))
		snprintf(buf, len, "from 0");
	else if (json_is_number(c))
		snprintf(buf, len, "%+.1f%%", 100 * json_number_value(c));
	else
		snprintf(buf, len, "-");
}

static bool judged_by_determinism(const json_t *j, double alpha)
{
	const char *v = json_string_value(json_object_get(j, "verdict"));
	return json_is_true(json_object_get(j, "deterministic")) &&
	       json_number_value(json_object_get(j, "p")) > alpha &&
	       (strcmp(v, "regression") == 0 || strcmp(v, "improvement") == 0);
}

static void verdict_text(const json_t *j, double alpha, bool markdown, char *buf, size_t len)
{
	const char *v = json_string_value(json_object_get(j, "verdict"));
	const char *det = judged_by_determinism(j, alpha) ? " (deterministic count)" : "";
	if (strcmp(v, "regression") == 0)
		snprintf(buf, len, "%s%s", markdown ? "**REGRESSION**" : "REGRESSION", det);
	else if (strcmp(v, "improvement") == 0)
		snprintf(buf, len, "improvement%s", det);
	else if (strcmp(v, "not_significant") == 0)
		snprintf(buf, len, "not significant");
	else if (strcmp(v, "not_comparable") == 0)
		snprintf(buf, len, "not comparable (%s)", json_string_value(json_object_get(j, "reason")));
	else
		snprintf(buf, len, "%s", v);
}

/* The matrix mark after a change: R regression, I improvement, ? beyond
 * the threshold but not significant. */
static const char *mark(const json_t *j)
{
	const char *v = json_string_value(json_object_get(j, "verdict"));
	if (strcmp(v, "regression") == 0)
		return " R";
	if (strcmp(v, "improvement") == 0)
		return " I";
	if (strcmp(v, "not_significant") == 0)
		return " ?";
	return "";
}

static bool cell_complete(const json_t *cell, size_t nfiles)
{
	const json_t *st = json_object_get(cell, "status");
	for (size_t f = 0; f < nfiles; f++) {
		const char *s = json_string_value(json_array_get(st, f));
		if (!s || strcmp(s, "ok") != 0)
			return false;
	}
	return true;
}

/* "only in base", "failed in new: ...": the row of a cell that is not
 * compared metric by metric (two files). */
static void cell_state_text(const json_t *cell, char *buf, size_t len, bool markdown, bool *regression)
{
	const json_t *st = json_object_get(cell, "status"), *rs = json_object_get(cell, "reasons");
	const char *b = json_string_value(json_array_get(st, 0)), *n = json_string_value(json_array_get(st, 1));
	*regression = false;
	if (!b) {
		snprintf(buf, len, "only in new");
	} else if (!n) {
		snprintf(buf, len, "only in base");
	} else if (strcmp(b, "ok") == 0 && strcmp(n, "failed") == 0) {
		*regression = true;
		const char *why = json_string_value(json_array_get(rs, 1));
		snprintf(buf, len, "%s: ok in base, failed in new: %s", markdown ? "**REGRESSION**" : "REGRESSION",
			 why ? why : "no reason given");
	} else {
		const char *side = strcmp(b, "ok") != 0 ? "base" : "new";
		const char *s = strcmp(b, "ok") != 0 ? b : n;
		const char *why = json_string_value(json_array_get(rs, strcmp(b, "ok") != 0 ? 0 : 1));
		snprintf(buf, len, "not comparable (%s in %s%s%s)", s, side, why ? ": " : "", why ? why : "");
	}
}

static void header(FILE *out, const json_t *cmp, bool markdown)
{
	const json_t *files = json_object_get(cmp, "files");
	size_t n = json_array_size(files);
	if (markdown)
		fputs("### zcbench compare\n\n", out);
	for (size_t f = 0; f < n; f++) {
		const json_t *jf = json_array_get(files, f);
		char role[16];
		if (n == 2)
			snprintf(role, sizeof role, "%s", f == 0 ? "base" : "new");
		else
			snprintf(role, sizeof role, "[%zu]", f + 1);
		fprintf(out, "%s%-4s  %s  %s  (%s%s)\n", markdown ? "- " : "", role,
			json_string_value(json_object_get(jf, "label")), json_string_value(json_object_get(jf, "path")),
			json_string_value(json_object_get(jf, "schema")),
			json_is_true(json_object_get(jf, "emulated")) ? ", emulated" : "");
	}
	fprintf(out, "%sthreshold %g%%, alpha %g, two-sided Mann-Whitney U over the measured runs%s\n",
		markdown ? "\n" : "", 100 * json_number_value(json_object_get(cmp, "threshold")),
		json_number_value(json_object_get(cmp, "alpha")), n > 2 ? "; each column relative to the first" : "");
	fputc('\n', out);
}

static void footer(FILE *out, const json_t *cmp, bool markdown)
{
	const json_t *notes = json_object_get(cmp, "notes"), *warnings = json_object_get(cmp, "warnings");
	if (json_array_size(notes) || json_array_size(warnings)) {
		fprintf(out, "\nNotes:\n%s", markdown ? "\n" : "");
		for (size_t i = 0; i < json_array_size(warnings); i++)
			fprintf(out, "%swarning: %s\n", markdown ? "- " : "  - ",
				json_string_value(json_array_get(warnings, i)));
		for (size_t i = 0; i < json_array_size(notes); i++)
			fprintf(out, "%s%s\n", markdown ? "- " : "  - ", json_string_value(json_array_get(notes, i)));
	}
	const json_t *s = json_object_get(cmp, "summary");
	json_int_t r = json_integer_value(json_object_get(s, "regression"));
	json_int_t i = json_integer_value(json_object_get(s, "improvement"));
	json_int_t nc = json_integer_value(json_object_get(s, "cells_not_compared"));
	fprintf(out,
		"\n%sSummary: %" JSON_INTEGER_FORMAT " regression%s, %" JSON_INTEGER_FORMAT " improvement%s, "
		"%" JSON_INTEGER_FORMAT " unchanged, %" JSON_INTEGER_FORMAT " not significant, %" JSON_INTEGER_FORMAT
		" not comparable; %" JSON_INTEGER_FORMAT " cell%s not compared (missing, failed or skipped)%s\n",
		markdown ? "**" : "", r, r == 1 ? "" : "s", i, i == 1 ? "" : "s",
		json_integer_value(json_object_get(s, "unchanged")),
		json_integer_value(json_object_get(s, "not_significant")),
		json_integer_value(json_object_get(s, "not_comparable")), nc, nc == 1 ? "" : "s", markdown ? "**" : "");
}

static void print_pair(FILE *out, const json_t *cmp, bool markdown)
{
	double alpha = json_number_value(json_object_get(cmp, "alpha"));
	struct grid g = {.ncols = 7};
	g.right[2] = g.right[3] = g.right[4] = g.right[5] = true;
	grid_row(&g);
	static const char *const head[] = {"cell", "metric", "base", "new", "change", "p", "verdict"};
	for (size_t c = 0; c < 7; c++)
		grid_set(&g, c, "%s", head[c]);
	const json_t *cells = json_object_get(cmp, "cells");
	const json_t *metrics = json_object_get(cmp, "metrics");
	for (size_t k = 0; k < json_array_size(cells); k++) {
		const json_t *cell = json_array_get(cells, k);
		const char *label = json_string_value(json_object_get(cell, "label"));
		if (!cell_complete(cell, 2)) {
			char state[400];
			bool reg;
			cell_state_text(cell, state, sizeof state, markdown, &reg);
			grid_row(&g);
			grid_set(&g, 0, "%s", label);
			grid_set(&g, 1, "-");
			grid_set(&g, 6, "%s", state);
			continue;
		}
		for (size_t i = 0; i < json_array_size(metrics); i++) {
			const char *name = json_string_value(json_object_get(json_array_get(metrics, i), "name"));
			const json_t *m = json_object_get(json_object_get(cell, "metrics"), name);
			const json_t *values = json_object_get(m, "values");
			const json_t *j = json_array_get(json_object_get(m, "vs_first"), 1);
			char b[32], n[32], ch[32], v[400];
			value_text(json_array_get(values, 0), b, sizeof b);
			value_text(json_array_get(values, 1), n, sizeof n);
			change_text(j, ch, sizeof ch);
			verdict_text(j, alpha, markdown, v, sizeof v);
			grid_row(&g);
			grid_set(&g, 0, "%s", i == 0 ? label : "");
			grid_set(&g, 1, "%s", name);
			grid_set(&g, 2, "%s", b);
			grid_set(&g, 3, "%s", n);
			grid_set(&g, 4, "%s", ch);
			if (json_is_number(json_object_get(j, "p")))
				grid_set(&g, 5, "%.2g", json_number_value(json_object_get(j, "p")));
			else
				grid_set(&g, 5, "-");
			grid_set(&g, 6, "%s", v);
		}
	}
	if (markdown)
		grid_print_markdown(out, &g);
	else
		grid_print_text(out, &g);
	grid_free(&g);
}

static void print_matrix(FILE *out, const json_t *cmp, bool markdown)
{
	const json_t *files = json_object_get(cmp, "files");
	size_t nf = json_array_size(files);
	struct grid g = {.ncols = 2 + nf};
	for (size_t c = 2; c < g.ncols; c++)
		g.right[c] = true;
	grid_row(&g);
	grid_set(&g, 0, "cell");
	grid_set(&g, 1, "metric");
	for (size_t f = 0; f < nf; f++)
		grid_set(&g, 2 + f, "%s", json_string_value(json_object_get(json_array_get(files, f), "label")));
	const json_t *cells = json_object_get(cmp, "cells");
	const json_t *metrics = json_object_get(cmp, "metrics");
	for (size_t k = 0; k < json_array_size(cells); k++) {
		const json_t *cell = json_array_get(cells, k);
		const json_t *st = json_object_get(cell, "status");
		for (size_t i = 0; i < json_array_size(metrics); i++) {
			const char *name = json_string_value(json_object_get(json_array_get(metrics, i), "name"));
			const json_t *m = json_object_get(json_object_get(cell, "metrics"), name);
			grid_row(&g);
			grid_set(&g, 0, "%s", i == 0 ? json_string_value(json_object_get(cell, "label")) : "");
			grid_set(&g, 1, "%s", name);
			for (size_t f = 0; f < nf; f++) {
				const char *s = json_string_value(json_array_get(st, f));
				char t[64];
				if (!s) {
					grid_set(&g, 2 + f, "missing");
				} else if (!json_string_value(json_array_get(st, 0))) {
					grid_set(&g, 2 + f, "no base");
				} else if (strcmp(s, "ok") != 0) {
					grid_set(&g, 2 + f, "%s", s);
				} else if (f == 0) {
					value_text(json_array_get(json_object_get(m, "values"), 0), t, sizeof t);
					grid_set(&g, 2, "%s", t);
				} else {
					const json_t *j = json_array_get(json_object_get(m, "vs_first"), f);
					const char *v = json_string_value(json_object_get(j, "verdict"));
					const json_t *val = json_array_get(json_object_get(m, "values"), f);
					if ((!v || strcmp(v, "not_comparable") == 0) && json_is_object(val)) {
						/* Measured here but not comparable with the first column. */
						value_text(val, t, sizeof t);
						grid_set(&g, 2 + f, "[%s]", t);
					} else if (!v || strcmp(v, "not_comparable") == 0) {
						grid_set(&g, 2 + f, "n/a");
					} else {
						change_text(j, t, sizeof t);
						grid_set(&g, 2 + f, "%s%s", t, mark(j));
					}
				}
			}
		}
	}
	if (markdown)
		grid_print_markdown(out, &g);
	else
		grid_print_text(out, &g);
	grid_free(&g);
	fprintf(out, "\nFirst column: the median; the others: the change of the median against it. R regression, "
		     "I improvement, ? beyond the threshold but not significant, [x] a median that cannot be compared "
		     "with the first column, n/a not comparable (--format json says why).\n");
}

static void print_regressions(FILE *out, const json_t *cmp, bool markdown)
{
	const json_t *regs = json_object_get(cmp, "regressions");
	if (!json_array_size(regs))
		return;
	fprintf(out, "\nRegressions:\n%s", markdown ? "\n" : "");
	for (size_t i = 0; i < json_array_size(regs); i++) {
		const json_t *r = json_array_get(regs, i);
		const char *metric = json_string_value(json_object_get(r, "metric"));
		fprintf(out, "%s%s %s in %s", markdown ? "- " : "  - ", json_string_value(json_object_get(r, "cell")),
			metric, json_string_value(json_object_get(r, "file")));
		if (strcmp(metric, "status") == 0) {
			fprintf(out, ": failed: %s\n", json_string_value(json_object_get(r, "reason")));
			continue;
		}
		char ch[32];
		change_text(r, ch, sizeof ch);
		fprintf(out, ": %s (p %.2g)\n", ch, json_number_value(json_object_get(r, "p")));
	}
}

static void print(FILE *out, const json_t *cmp, bool markdown)
{
	header(out, cmp, markdown);
	if (json_array_size(json_object_get(cmp, "files")) == 2)
		print_pair(out, cmp, markdown);
	else
		print_matrix(out, cmp, markdown);
	print_regressions(out, cmp, markdown);
	footer(out, cmp, markdown);
}

void zc_compare_print_text(FILE *out, const json_t *cmp)
{
	print(out, cmp, false);
}

void zc_compare_print_markdown(FILE *out, const json_t *cmp)
{
	print(out, cmp, true);
}
