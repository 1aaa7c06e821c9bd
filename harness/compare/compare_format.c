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

/* Control characters from a result file must not reach a terminal: an ANSI
 * escape could rewrite the screen, a newline could forge a row. C0 and DEL
 * become \xNN, C1 (UTF-8 C2 80..C2 9F) \u00NN; the rest of UTF-8 is kept. */
static size_t safe_len(const char *s, char *out)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char tmp[8];
		const char *put = tmp;
		size_t l;
		if (*p < 0x20 || *p == 0x7f) {
			l = (size_t)snprintf(tmp, sizeof tmp, "\\x%02x", *p);
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			l = (size_t)snprintf(tmp, sizeof tmp, "\\u%04x", p[1]);
			p++;
		} else {
			tmp[0] = (char)*p;
			l = 1;
		}
		if (out)
			memcpy(out + n, put, l);
		n += l;
	}
	if (out)
		out[n] = 0;
	return n;
}

static char *safe_dup(const char *s)
{
	char *d = malloc(safe_len(s, NULL) + 1);
	if (!d)
		abort();
	safe_len(s, d);
	return d;
}

void zc_compare_put_safe(FILE *out, const char *s)
{
	char *d = safe_dup(s ? s : "");
	fputs(d, out);
	free(d);
}

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
	*slot = safe_dup(buf);
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
		snprintf(buf, len, "%+.1f%%", fabs(json_number_value(c)) < 5e-4 ? 0.0 : 100 * json_number_value(c));
	else
		snprintf(buf, len, "-");
}

static void verdict_text(const json_t *j, bool markdown, char *buf, size_t len)
{
	const char *v = json_string_value(json_object_get(j, "verdict"));
	const char *test = json_string_value(json_object_get(j, "test"));
	const char *det = test && strcmp(test, "deterministic") == 0 ? " (deterministic count)" : "";
	if (!v)
		snprintf(buf, len, "-");
	else if (strcmp(v, "regression") == 0)
		snprintf(buf, len, "%s%s", markdown ? "**REGRESSION**" : "REGRESSION", det);
	else if (strcmp(v, "improvement") == 0)
		snprintf(buf, len, "improvement%s", det);
	else if (strcmp(v, "not_significant") == 0)
		snprintf(buf, len, "not significant");
	else if (strcmp(v, "not_comparable") == 0)
		snprintf(buf, len, "not comparable (%s)", json_string_value(json_object_get(j, "reason")));
	else if (json_is_true(json_object_get(j, "below_min_count_diff")) &&
		 json_number_value(json_object_get(j, "diff_per_run")) > 0)
		snprintf(buf, len, "unchanged (below --min-count-diff)");
	else
		snprintf(buf, len, "%s", v);
}

/* The p-value shown: the adjusted one when there is one. */
static void p_text(const json_t *j, char *buf, size_t len)
{
	const json_t *q = json_object_get(j, "p_adjusted");
	if (json_is_number(q))
		snprintf(buf, len, "%.2g", json_number_value(q));
	else
		snprintf(buf, len, "-");
}

void zc_compare_bytes_text(const json_t *v, char *buf, size_t len)
{
	if (!json_is_integer(v)) {
		snprintf(buf, len, "-");
		return;
	}
	json_int_t b = json_integer_value(v);
	if (b >= 1073741824 && b % 1073741824 == 0)
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT "G", b / 1073741824);
	else if (b >= 1048576 && b % 1048576 == 0)
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT "M", b / 1048576);
	else if (b >= 1024 && b % 1024 == 0)
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT "K", b / 1024);
	else
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT, b);
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
		fprintf(out, "%s%-4s  ", markdown ? "- " : "", role);
		zc_compare_put_safe(out, json_string_value(json_object_get(jf, "label")));
		fputs("  ", out);
		zc_compare_put_safe(out, json_string_value(json_object_get(jf, "path")));
		fputs("  (", out);
		zc_compare_put_safe(out, json_string_value(json_object_get(jf, "schema")));
		fprintf(out, "%s)\n", json_is_true(json_object_get(jf, "emulated")) ? ", emulated" : "");
	}
	const json_t *drift = json_object_get(cmp, "drift");
	const char *method = json_string_value(json_object_get(drift, "method"));
	char how[300];
	if (method && strcmp(method, "baseline") == 0) {
		snprintf(how, sizeof how,
			 "timings relative to %s's figure of the same round (its own cells, and cells "
			 "whose partner moved, raw)",
			 json_string_value(json_object_get(drift, "baseline")));
	} else if (method && strcmp(method, "memcpy") == 0) {
		snprintf(how, sizeof how, "timings relative to the memcpy calibration");
	} else {
		snprintf(how, sizeof how, "raw timings (drift not removed)");
	}
	fprintf(out,
		"%sminimum effect %g%%, alpha %g after Benjamini-Hochberg over each column's tests, Welch's t-test "
		"over the measured runs; %s; counts must also move by %g per run%s\n",
		markdown ? "\n" : "", 100 * json_number_value(json_object_get(cmp, "threshold")),
		json_number_value(json_object_get(cmp, "alpha")), how,
		json_number_value(json_object_get(cmp, "min_count_diff")),
		n > 2 ? "; each column relative to the first" : "");
	fputc('\n', out);
}

static void footer(FILE *out, const json_t *cmp, bool markdown)
{
	const json_t *notes = json_object_get(cmp, "notes"), *warnings = json_object_get(cmp, "warnings");
	if (json_array_size(notes) || json_array_size(warnings)) {
		fprintf(out, "\nNotes:\n%s", markdown ? "\n" : "");
		for (size_t i = 0; i < json_array_size(warnings); i++) {
			fprintf(out, "%swarning: ", markdown ? "- " : "  - ");
			zc_compare_put_safe(out, json_string_value(json_array_get(warnings, i)));
			fputc('\n', out);
		}
		for (size_t i = 0; i < json_array_size(notes); i++) {
			fputs(markdown ? "- " : "  - ", out);
			zc_compare_put_safe(out, json_string_value(json_array_get(notes, i)));
			fputc('\n', out);
		}
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
	struct grid g = {.ncols = 9};
	g.right[1] = g.right[2] = g.right[4] = g.right[5] = g.right[6] = g.right[7] = true;
	grid_row(&g);
	static const char *const head[] = {"cell", "chunk",  "size",  "metric", "base",
					   "new",  "change", "p adj", "verdict"};
	for (size_t c = 0; c < 9; c++)
		grid_set(&g, c, "%s", head[c]);
	const json_t *cells = json_object_get(cmp, "cells");
	const json_t *metrics = json_object_get(cmp, "metrics");
	for (size_t k = 0; k < json_array_size(cells); k++) {
		const json_t *cell = json_array_get(cells, k);
		const char *label = json_string_value(json_object_get(cell, "label"));
		char chunk[32], size[32];
		zc_compare_bytes_text(json_object_get(cell, "chunk_bytes"), chunk, sizeof chunk);
		zc_compare_bytes_text(json_object_get(cell, "size_bytes"), size, sizeof size);
		if (!cell_complete(cell, 2)) {
			char state[400];
			bool reg;
			cell_state_text(cell, state, sizeof state, markdown, &reg);
			grid_row(&g);
			grid_set(&g, 0, "%s", label);
			grid_set(&g, 1, "%s", chunk);
			grid_set(&g, 2, "%s", size);
			grid_set(&g, 3, "-");
			grid_set(&g, 8, "%s", state);
			continue;
		}
		for (size_t i = 0; i < json_array_size(metrics); i++) {
			const char *name = json_string_value(json_object_get(json_array_get(metrics, i), "name"));
			const json_t *m = json_object_get(json_object_get(cell, "metrics"), name);
			const json_t *values = json_object_get(m, "values");
			const json_t *j = json_array_get(json_object_get(m, "vs_first"), 1);
			char b[32], n[32], ch[32], p[32], v[400];
			value_text(json_array_get(values, 0), b, sizeof b);
			value_text(json_array_get(values, 1), n, sizeof n);
			change_text(j, ch, sizeof ch);
			p_text(j, p, sizeof p);
			verdict_text(j, markdown, v, sizeof v);
			grid_row(&g);
			grid_set(&g, 0, "%s", i == 0 ? label : "");
			grid_set(&g, 1, "%s", i == 0 ? chunk : "");
			grid_set(&g, 2, "%s", i == 0 ? size : "");
			grid_set(&g, 3, "%s", name);
			grid_set(&g, 4, "%s", b);
			grid_set(&g, 5, "%s", n);
			grid_set(&g, 6, "%s", ch);
			grid_set(&g, 7, "%s", p);
			grid_set(&g, 8, "%s", v);
		}
	}
	if (markdown)
		grid_print_markdown(out, &g);
	else
		grid_print_text(out, &g);
	grid_free(&g);
	fprintf(out, "\nchange: of the medians after the drift is removed (--format json: raw_change, reference); p "
		     "adj: Benjamini-Hochberg adjusted.\n");
}

static void print_matrix(FILE *out, const json_t *cmp, bool markdown)
{
	const json_t *files = json_object_get(cmp, "files");
	size_t nf = json_array_size(files);
	struct grid g = {.ncols = 4 + nf};
	g.right[1] = g.right[2] = true;
	for (size_t c = 4; c < g.ncols; c++)
		g.right[c] = true;
	grid_row(&g);
	grid_set(&g, 0, "cell");
	grid_set(&g, 1, "chunk");
	grid_set(&g, 2, "size");
	grid_set(&g, 3, "metric");
	for (size_t f = 0; f < nf; f++)
		grid_set(&g, 4 + f, "%s", json_string_value(json_object_get(json_array_get(files, f), "label")));
	const json_t *cells = json_object_get(cmp, "cells");
	const json_t *metrics = json_object_get(cmp, "metrics");
	for (size_t k = 0; k < json_array_size(cells); k++) {
		const json_t *cell = json_array_get(cells, k);
		const json_t *st = json_object_get(cell, "status");
		char chunk[32], size[32];
		zc_compare_bytes_text(json_object_get(cell, "chunk_bytes"), chunk, sizeof chunk);
		zc_compare_bytes_text(json_object_get(cell, "size_bytes"), size, sizeof size);
		for (size_t i = 0; i < json_array_size(metrics); i++) {
			const char *name = json_string_value(json_object_get(json_array_get(metrics, i), "name"));
			const json_t *m = json_object_get(json_object_get(cell, "metrics"), name);
			size_t ref = (size_t)json_integer_value(json_object_get(m, "reference"));
			grid_row(&g);
			grid_set(&g, 0, "%s", i == 0 ? json_string_value(json_object_get(cell, "label")) : "");
			grid_set(&g, 1, "%s", i == 0 ? chunk : "");
			grid_set(&g, 2, "%s", i == 0 ? size : "");
			grid_set(&g, 3, "%s", name);
			for (size_t f = 0; f < nf; f++) {
				const char *s = json_string_value(json_array_get(st, f));
				const json_t *val = json_array_get(json_object_get(m, "values"), f);
				char t[64];
				if (!s) {
					grid_set(&g, 4 + f, "missing");
				} else if (!json_string_value(json_array_get(st, ref))) {
					grid_set(&g, 4 + f, f < ref ? "n/a" : "no base");
				} else if (strcmp(s, "ok") != 0) {
					grid_set(&g, 4 + f, "%s", s);
				} else if (f == ref) {
					value_text(val, t, sizeof t);
					grid_set(&g, 4 + f, "%s", t);
				} else if (f < ref) {
					/* A file before the count reference, without counters. */
					grid_set(&g, 4 + f, "n/a");
				} else {
					const json_t *j = json_array_get(json_object_get(m, "vs_first"), f);
					const char *v = json_string_value(json_object_get(j, "verdict"));
					if ((!v || strcmp(v, "not_comparable") == 0) && json_is_object(val)) {
						/* Measured here but not comparable with the reference column. */
						value_text(val, t, sizeof t);
						grid_set(&g, 4 + f, "[%s]", t);
					} else if (!v || strcmp(v, "not_comparable") == 0) {
						grid_set(&g, 4 + f, "n/a");
					} else {
						change_text(j, t, sizeof t);
						grid_set(&g, 4 + f, "%s%s", t, mark(j));
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
	fprintf(out, "\nFirst column: the median; the others: the change of the median against it (drift removed). "
		     "R regression, I improvement, ? beyond the minimum effect but not significant, [x] a median that "
		     "cannot be compared with the first column, n/a not comparable (--format json says why).\n");
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
		fputs(markdown ? "- " : "  - ", out);
		zc_compare_put_safe(out, json_string_value(json_object_get(r, "cell")));
		fprintf(out, " %s in ", metric);
		zc_compare_put_safe(out, json_string_value(json_object_get(r, "file")));
		if (strcmp(metric, "status") == 0) {
			fputs(": failed: ", out);
			zc_compare_put_safe(out, json_string_value(json_object_get(r, "reason")));
			fputc('\n', out);
			continue;
		}
		char ch[32];
		change_text(r, ch, sizeof ch);
		const json_t *q = json_object_get(r, "p_adjusted");
		if (json_is_number(q))
			fprintf(out, ": %s (p adj %.2g)\n", ch, json_number_value(q));
		else
			fprintf(out, ": %s (deterministic count)\n", ch);
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
