/* zcbench compare: the text and markdown reports, drawn from the JSON
 * comparison that zc_compare builds. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

#define MAX_COLS (ZC_COMPARE_MAX_FILES + 8)

/* A table of strings, drawn aligned (text) or with pipes (markdown). The
 * rows are kept as one block of text, each cell NUL-ended (escaped cells
 * hold no control character), so that 700,000 rows take their text's size,
 * not an allocation a cell; the row being filled is kept apart until done. */
struct grid {
	size_t ncols, nrows;
	bool right[MAX_COLS];
	size_t w[MAX_COLS];  /* the widest cell of each column */
	char *row[MAX_COLS]; /* the row being filled; NULL is empty */
	char *text;	     /* the rows before it: ncols strings each */
	size_t len, cap;
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

static void grid_put(struct grid *g, const char *cell)
{
	size_t l = strlen(cell) + 1;
	if (g->len + l > g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 65536;
		while (cap < g->len + l)
			cap *= 2;
		char *t = realloc(g->text, cap);
		if (!t)
			abort();
		g->text = t;
		g->cap = cap;
	}
	memcpy(g->text + g->len, cell, l);
	g->len += l;
}

/* The row being filled joins the others. */
static void grid_commit(struct grid *g)
{
	if (!g->nrows)
		return;
	for (size_t c = 0; c < g->ncols; c++) {
		const char *s = g->row[c] ? g->row[c] : "";
		if (strlen(s) > g->w[c])
			g->w[c] = strlen(s);
		grid_put(g, s);
		free(g->row[c]);
		g->row[c] = NULL;
	}
}

static void grid_row(struct grid *g)
{
	grid_commit(g);
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
	free(g->row[col]);
	g->row[col] = safe_dup(buf);
}

static void grid_free(struct grid *g)
{
	for (size_t c = 0; c < g->ncols; c++)
		free(g->row[c]);
	free(g->text);
}

/* Row by row, its cells into cell[ncols]: call with *at 0 first. */
static bool grid_next(const struct grid *g, size_t *at, const char **cell)
{
	if (*at >= g->len)
		return false;
	for (size_t c = 0; c < g->ncols; c++) {
		cell[c] = g->text + *at;
		*at += strlen(cell[c]) + 1;
	}
	return true;
}

/* The first row is the header. */
static void grid_print_text(FILE *out, struct grid *g)
{
	grid_commit(g);
	const char *cell[MAX_COLS];
	for (size_t at = 0; grid_next(g, &at, cell);) {
		char line[4096] = "";
		for (size_t c = 0; c < g->ncols; c++) {
			const char *s = cell[c];
			size_t l = strlen(line);
			int width = g->right[c] || c + 1 < g->ncols ? (int)g->w[c] : 0;
			if (g->right[c])
				snprintf(line + l, sizeof line - l, "%s%*s", c ? "  " : "", width, s);
			else
				snprintf(line + l, sizeof line - l, "%s%-*s", c ? "  " : "", width, s);
		}
		size_t l = strlen(line);
		while (l && line[l - 1] == ' ')
			line[--l] = 0;
		fprintf(out, "%s\n", line);
	}
}

static void grid_print_markdown(FILE *out, struct grid *g)
{
	grid_commit(g);
	const char *cell[MAX_COLS];
	size_t r = 0;
	for (size_t at = 0; grid_next(g, &at, cell); r++) {
		fputc('|', out);
		for (size_t c = 0; c < g->ncols; c++) {
			fputc(' ', out);
			for (const char *s = cell[c]; *s; s++) {
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

/* ---- the two-file table ---- */

static void pair_start(struct grid *g)
{
	*g = (struct grid){.ncols = 9};
	g->right[1] = g->right[2] = g->right[4] = g->right[5] = g->right[6] = g->right[7] = true;
	grid_row(g);
	static const char *const head[] = {"cell", "chunk",  "size",  "metric", "base",
					   "new",  "change", "p adj", "verdict"};
	for (size_t c = 0; c < 9; c++)
		grid_set(g, c, "%s", head[c]);
}

static void pair_cell(struct grid *g, const json_t *metrics, const json_t *cell, bool markdown)
{
	const char *label = json_string_value(json_object_get(cell, "label"));
	char chunk[32], size[32];
	zc_compare_bytes_text(json_object_get(cell, "chunk_bytes"), chunk, sizeof chunk);
	zc_compare_bytes_text(json_object_get(cell, "size_bytes"), size, sizeof size);
	if (!cell_complete(cell, 2)) {
		char state[400];
		bool reg;
		cell_state_text(cell, state, sizeof state, markdown, &reg);
		grid_row(g);
		grid_set(g, 0, "%s", label);
		grid_set(g, 1, "%s", chunk);
		grid_set(g, 2, "%s", size);
		grid_set(g, 3, "-");
		grid_set(g, 8, "%s", state);
		return;
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
		grid_row(g);
		grid_set(g, 0, "%s", i == 0 ? label : "");
		grid_set(g, 1, "%s", i == 0 ? chunk : "");
		grid_set(g, 2, "%s", i == 0 ? size : "");
		grid_set(g, 3, "%s", name);
		grid_set(g, 4, "%s", b);
		grid_set(g, 5, "%s", n);
		grid_set(g, 6, "%s", ch);
		grid_set(g, 7, "%s", p);
		grid_set(g, 8, "%s", v);
	}
}

static const char pair_key[] = "\nchange: of the medians after the drift is removed (--format json: raw_change, "
			       "reference); p adj: Benjamini-Hochberg adjusted.\n";

/* ---- the matrix of more files ---- */

static void matrix_start(struct grid *g, const json_t *files)
{
	size_t nf = json_array_size(files);
	*g = (struct grid){.ncols = 4 + nf};
	g->right[1] = g->right[2] = true;
	for (size_t c = 4; c < g->ncols; c++)
		g->right[c] = true;
	grid_row(g);
	grid_set(g, 0, "cell");
	grid_set(g, 1, "chunk");
	grid_set(g, 2, "size");
	grid_set(g, 3, "metric");
	for (size_t f = 0; f < nf; f++)
		grid_set(g, 4 + f, "%s", json_string_value(json_object_get(json_array_get(files, f), "label")));
}

/* One column of a matrix row: the reference's median, or the change against it. */
static void matrix_value(struct grid *g, size_t f, const json_t *cell, const json_t *m)
{
	const json_t *st = json_object_get(cell, "status");
	size_t ref = (size_t)json_integer_value(json_object_get(m, "reference"));
	const char *s = json_string_value(json_array_get(st, f));
	const json_t *val = json_array_get(json_object_get(m, "values"), f);
	char t[64];
	if (!s) {
		grid_set(g, 4 + f, "missing");
	} else if (!json_string_value(json_array_get(st, ref))) {
		grid_set(g, 4 + f, f < ref ? "n/a" : "no base");
	} else if (strcmp(s, "ok") != 0) {
		grid_set(g, 4 + f, "%s", s);
	} else if (f == ref) {
		value_text(val, t, sizeof t);
		grid_set(g, 4 + f, "%s", t);
	} else if (f < ref) {
		/* A file before the count reference, without counters. */
		grid_set(g, 4 + f, "n/a");
	} else {
		const json_t *j = json_array_get(json_object_get(m, "vs_first"), f);
		const char *v = json_string_value(json_object_get(j, "verdict"));
		if ((!v || strcmp(v, "not_comparable") == 0) && json_is_object(val)) {
			/* Measured here but not comparable with the reference column. */
			value_text(val, t, sizeof t);
			grid_set(g, 4 + f, "[%s]", t);
		} else if (!v || strcmp(v, "not_comparable") == 0) {
			grid_set(g, 4 + f, "n/a");
		} else {
			change_text(j, t, sizeof t);
			grid_set(g, 4 + f, "%s%s", t, mark(j));
		}
	}
}

static void matrix_cell(struct grid *g, size_t nf, const json_t *metrics, const json_t *cell)
{
	char chunk[32], size[32];
	zc_compare_bytes_text(json_object_get(cell, "chunk_bytes"), chunk, sizeof chunk);
	zc_compare_bytes_text(json_object_get(cell, "size_bytes"), size, sizeof size);
	for (size_t i = 0; i < json_array_size(metrics); i++) {
		const char *name = json_string_value(json_object_get(json_array_get(metrics, i), "name"));
		const json_t *m = json_object_get(json_object_get(cell, "metrics"), name);
		grid_row(g);
		grid_set(g, 0, "%s", i == 0 ? json_string_value(json_object_get(cell, "label")) : "");
		grid_set(g, 1, "%s", i == 0 ? chunk : "");
		grid_set(g, 2, "%s", i == 0 ? size : "");
		grid_set(g, 3, "%s", name);
		for (size_t f = 0; f < nf; f++)
			matrix_value(g, f, cell, m);
	}
}

static const char matrix_key[] =
	"\nFirst column: the median; the others: the change of the median against it (drift removed). R regression, "
	"I improvement, ? beyond the minimum effect but not significant, [x] a median that cannot be compared with "
	"the first column, n/a not comparable (--format json says why).\n";

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

/* ---- JSON, a cell at a time ---- */

#define JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY)

/* json_dump_callback's sink: the text indented by pad more spaces. */
struct indented {
	FILE *out;
	size_t pad;
};

static int put_indented(const char *buf, size_t len, void *data)
{
	const struct indented *in = data;
	for (size_t i = 0; i < len; i++) {
		fputc(buf[i], in->out);
		for (size_t k = 0; buf[i] == '\n' && k < in->pad; k++)
			fputc(' ', in->out);
	}
	return 0;
}

/* One value as json_dumpf writes it pad spaces deep (key: NULL in an array). */
static void json_member(FILE *out, bool first, size_t pad, const char *key, const json_t *v)
{
	struct indented in = {out, pad};
	fputs(first ? "\n" : ",\n", out);
	for (size_t k = 0; k < pad; k++)
		fputc(' ', out);
	if (key) {
		json_t *k = json_string(key);
		json_dump_callback(k, put_indented, &in, JSON_ENCODE_ANY);
		json_decref(k);
		fputs(": ", out);
	}
	json_dump_callback(v, put_indented, &in, JSON_FLAGS);
}

/* ---- the printer ---- */

struct zc_cmp_printer {
	FILE *out;
	enum zc_cmp_format format;
	const json_t *metrics;
	size_t nfiles;
	struct grid g;
	size_t head_keys, cells;
};

struct zc_cmp_printer *zc_compare_printer_new(FILE *out, enum zc_cmp_format format)
{
	struct zc_cmp_printer *p = calloc(1, sizeof *p);
	if (!p)
		abort();
	p->out = out;
	p->format = format;
	return p;
}

void zc_compare_printer_head(struct zc_cmp_printer *p, const json_t *head)
{
	p->metrics = json_object_get(head, "metrics");
	p->nfiles = json_array_size(json_object_get(head, "files"));
	if (p->format == ZC_CMP_JSON) {
		fputc('{', p->out);
		const char *key;
		const json_t *v;
		json_object_foreach((json_t *)head, key, v) json_member(p->out, p->head_keys++ == 0, 2, key, v);
		fputs(p->head_keys ? ",\n  \"cells\": [" : "\n  \"cells\": [", p->out);
		return;
	}
	bool markdown = p->format == ZC_CMP_MARKDOWN;
	header(p->out, head, markdown);
	if (p->nfiles == 2)
		pair_start(&p->g);
	else
		matrix_start(&p->g, json_object_get(head, "files"));
}

void zc_compare_printer_cell(struct zc_cmp_printer *p, const json_t *cell)
{
	if (p->format == ZC_CMP_JSON)
		json_member(p->out, p->cells == 0, 4, NULL, cell);
	else if (p->nfiles == 2)
		pair_cell(&p->g, p->metrics, cell, p->format == ZC_CMP_MARKDOWN);
	else
		matrix_cell(&p->g, p->nfiles, p->metrics, cell);
	p->cells++;
}

void zc_compare_printer_end(struct zc_cmp_printer *p, const json_t *cmp)
{
	FILE *out = p->out;
	if (p->format == ZC_CMP_JSON) {
		fputs(p->cells ? "\n  ]" : "]", out);
		/* The keys made after the cells: those after the head's. */
		size_t i = 0;
		const char *key;
		const json_t *v;
		json_object_foreach((json_t *)cmp, key, v) if (i++ >= p->head_keys && strcmp(key, "cells") != 0)
			json_member(out, false, 2, key, v);
		fputs("\n}\n", out);
		free(p);
		return;
	}
	bool markdown = p->format == ZC_CMP_MARKDOWN;
	if (markdown)
		grid_print_markdown(out, &p->g);
	else
		grid_print_text(out, &p->g);
	grid_free(&p->g);
	fputs(p->nfiles == 2 ? pair_key : matrix_key, out);
	print_regressions(out, cmp, markdown);
	footer(out, cmp, markdown);
	free(p);
}

void zc_compare_print(FILE *out, const json_t *cmp, enum zc_cmp_format format)
{
	struct zc_cmp_printer *p = zc_compare_printer_new(out, format);
	/* A whole document: its head is every key before "cells". */
	json_t *head = json_object();
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)cmp, key, v)
	{
		if (strcmp(key, "cells") == 0)
			break;
		json_object_set(head, key, v);
	}
	zc_compare_printer_head(p, head);
	const json_t *cells = json_object_get(cmp, "cells");
	for (size_t k = 0; k < json_array_size(cells); k++)
		zc_compare_printer_cell(p, json_array_get(cells, k));
	zc_compare_printer_end(p, cmp);
	json_decref(head);
}

void zc_compare_print_text(FILE *out, const json_t *cmp)
{
	zc_compare_print(out, cmp, ZC_CMP_TEXT);
}

void zc_compare_print_markdown(FILE *out, const json_t *cmp)
{
	zc_compare_print(out, cmp, ZC_CMP_MARKDOWN);
}
