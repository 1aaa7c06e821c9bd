/* Which figures a report has, and their data files: plain whitespace-separated
 * text with quoted labels, one file per figure under data/, each headed by
 * comments naming its columns. The scripts in plots/ read them as they are.
 *
 * Bar figures share one layout: block 0 holds the file groups (x of the
 * group's centre, the group label: the kernel release), block 1 the bars
 * (x, label), and blocks 2 on hold the series the legend names, each
 * starting with a line holding only its quoted title. Cells are grouped by
 * result file along x, a gap between groups. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_internal.h"

/* A bar's place on the x axis. */
struct slot {
	size_t cell;
	double x;
};

struct layout {
	struct slot *slots;
	size_t n;
	struct {
		size_t file;
		double lo, hi;
	} * groups;
	size_t ngroups;
};

static void layout_free(struct layout *l)
{
	free(l->slots);
	free(l->groups);
	memset(l, 0, sizeof *l);
}

/* The ok cells of workload w, grouped by file. Returns -1 when out of memory. */
static int layout_workload(const struct zc_report *r, size_t w, struct layout *l)
{
	memset(l, 0, sizeof *l);
	l->slots = calloc(r->ncells ? r->ncells : 1, sizeof *l->slots);
	l->groups = calloc(r->nfiles, sizeof *l->groups);
	if (!l->slots || !l->groups) {
		layout_free(l);
		return -1;
	}
	double x = 0;
	for (size_t f = 0; f < r->nfiles; f++) {
		size_t first = l->n;
		for (size_t i = 0; i < r->ncells; i++) {
			const struct zc_rcell *c = &r->cells[i];
			if (c->file != f || c->workload != w || !c->ok)
				continue;
			l->slots[l->n].cell = i;
			l->slots[l->n++].x = ++x;
		}
		if (l->n > first) {
			l->groups[l->ngroups].file = f;
			l->groups[l->ngroups].lo = l->slots[first].x;
			l->groups[l->ngroups++].hi = l->slots[l->n - 1].x;
			x += 1; /* a gap before the next file's group */
		}
	}
	return 0;
}

/* A label for a data file: double quotes and control characters would end
 * or break the quoted field, so they become ' and space. */
static void put_label(struct zc_sbuf *b, const char *s)
{
	zc_sb_puts(b, "\"");
	for (; s && *s; s++) {
		char ch = *s;
		if (ch == '"')
			ch = '\'';
		else if ((unsigned char)ch < 0x20 || ch == 0x7f || ch == '\\')
			ch = ch == '\\' ? '/' : ' ';
		zc_sb_printf(b, "%c", ch);
	}
	zc_sb_puts(b, "\"");
}

static void put_num(struct zc_sbuf *b, struct zc_val v, double scale)
{
	if (v.ok)
		zc_sb_printf(b, " %.6g", v.v * scale);
	else
		zc_sb_puts(b, " NaN");
}

static struct zc_val val(double v)
{
	struct zc_val x = {true, v};
	return x;
}

static const struct zc_val none = {false, 0};

static void data_header(struct zc_sbuf *b, const struct zc_report *r, const char *title, const char *columns)
{
	zc_sb_puts(b, "# zcbench report data: ");
	zc_sb_puts(b, title);
	zc_sb_puts(b, "\n# Written by `zcbench report` from:\n");
	for (size_t i = 0; i < r->nfiles; i++)
		zc_sb_printf(b, "#   %s (%s)\n", r->files[i].path, r->files[i].label);
	zc_sb_puts(b, columns);
}

/* Blocks 0 and 1 of the bar layout. */
static void layout_blocks(struct zc_sbuf *b, const struct zc_report *r, const struct layout *l)
{
	zc_sb_puts(b, "\n# block 0: file groups: x_centre \"kernel release\"\n");
	for (size_t g = 0; g < l->ngroups; g++) {
		zc_sb_printf(b, "%g ", (l->groups[g].lo + l->groups[g].hi) / 2);
		put_label(b, r->files[l->groups[g].file].label);
		zc_sb_puts(b, "\n");
	}
	zc_sb_puts(b, "\n\n# block 1: bars: x \"cell\"\n");
	for (size_t i = 0; i < l->n; i++) {
		zc_sb_printf(b, "%g ", l->slots[i].x);
		put_label(b, r->cells[l->slots[i].cell].label);
		zc_sb_puts(b, "\n");
	}
}

static void series_start(struct zc_sbuf *b, const char *title)
{
	zc_sb_puts(b, "\n\n");
	put_label(b, title);
	zc_sb_puts(b, "\n");
}

/* Whether a cell sees the data, as the bar figures colour it: 0 sees the
 * data, 1 blind, 2 the result file does not say. */
static int sees_class(const struct zc_rcell *c)
{
	return c->sees_data == 1 ? 0 : c->sees_data == 0 ? 1 : 2;
}

static int add_fig(struct zc_report *r, struct zc_figure **out)
{
	if (r->nfigs == r->capfigs) {
		size_t cap = r->capfigs ? r->capfigs * 2 : 16;
		struct zc_figure *f = realloc(r->figs, cap * sizeof *f);
		if (!f)
			return -1;
		r->figs = f;
		r->capfigs = cap;
	}
	*out = &r->figs[r->nfigs++];
	memset(*out, 0, sizeof **out);
	return 0;
}

/* Break a note into lines of at most about 110 characters, at spaces: gnuplot
 * shows a newline in a label as a line break. */
static void wrap_note(char *s)
{
	size_t line = 0;
	char *last_space = NULL;
	for (char *p = s; *p; p++, line++) {
		if (*p == ' ')
			last_space = p;
		if (line >= 110 && last_space) {
			*last_space = '\n';
			line = (size_t)(p - last_space);
			last_space = NULL;
		}
	}
}

static int write_data(const char *out_dir, struct zc_figure *fig, struct zc_sbuf *b, char *err, size_t err_len)
{
	wrap_note(fig->note);
	if (b->oom) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/data/%s.dat", out_dir, fig->stem);
	return zc_write_file(path, b->s ? b->s : "", b->len, err, err_len);
}

/* A figure that only says what was not measured: its data is the text, one
 * row per line (x, y, "text"). */
static int note_figure(struct zc_report *r, const char *out_dir, const char *stem, size_t w, const char *title,
		       const char *text, char *err, size_t err_len)
{
	struct zc_figure *fig;
	if (add_fig(r, &fig) != 0) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	snprintf(fig->stem, sizeof fig->stem, "%s", stem);
	snprintf(fig->script, sizeof fig->script, "not_measured.gp");
	fig->workload = w;
	fig->kind = ZC_FIG_NOTE;
	snprintf(fig->title, sizeof fig->title, "%s", title);
	snprintf(fig->caption, sizeof fig->caption, "%s", text);
	fig->width = ZC_REPORT_FIG_WIDTH;
	fig->height = ZC_REPORT_NOTE_HEIGHT;
	struct zc_sbuf b;
	zc_sb_init(&b);
	data_header(&b, r, title, "# Not measured: the figure shows this text.\n# columns: x y \"line of text\"\n");
	/* Wrap at about 100 characters, at spaces. */
	char lines[6][128];
	size_t nl = 0;
	const char *p = text;
	while (*p && nl < 6) {
		size_t n = strlen(p);
		if (n > 100) {
			n = 100;
			while (n > 40 && p[n] != ' ')
				n--;
		}
		snprintf(lines[nl++], sizeof lines[0], "%.*s", (int)n, p);
		p += n;
		while (*p == ' ')
			p++;
	}
	for (size_t i = 0; i < nl; i++) {
		zc_sb_printf(&b, "0 %g ", ((double)nl - 1) / 2 - (double)i);
		put_label(&b, lines[i]);
		zc_sb_puts(&b, "\n");
	}
	int rc = write_data(out_dir, fig, &b, err, err_len);
	zc_sb_free(&b);
	return rc;
}

static struct zc_figure *data_figure(struct zc_report *r, const char *stem, const char *script, size_t w,
				     const char *title)
{
	struct zc_figure *fig;
	if (add_fig(r, &fig) != 0)
		return NULL;
	snprintf(fig->stem, sizeof fig->stem, "%s", stem);
	snprintf(fig->script, sizeof fig->script, "%s", script);
	fig->workload = w;
	fig->kind = ZC_FIG_DATA;
	snprintf(fig->title, sizeof fig->title, "%s", title);
	fig->width = ZC_REPORT_FIG_WIDTH;
	fig->height = ZC_REPORT_FIG_HEIGHT;
	return fig;
}

/* Which files a metric is missing for, among the cells of a layout; "" when
 * none. has(c) says whether a cell has it. */
static void missing_for(const struct zc_report *r, const struct layout *l, bool (*has)(const struct zc_rcell *),
			char *buf, size_t len)
{
	buf[0] = 0;
	for (size_t g = 0; g < l->ngroups; g++) {
		size_t f = l->groups[g].file, with = 0, without = 0;
		for (size_t i = 0; i < l->n; i++) {
			const struct zc_rcell *c = &r->cells[l->slots[i].cell];
			if (c->file == f)
				has(c) ? with++ : without++;
		}
		if (!without)
			continue;
		size_t n = strlen(buf);
		if (r->nfiles > 1)
			snprintf(buf + n, len - n, "%s%s%s", n ? ", " : "", with ? "some cells of " : "",
				 r->files[f].label);
		else
			snprintf(buf + n, len - n, "%s", with ? "some cells" : "any cell");
	}
}

static bool has_tput(const struct zc_rcell *c)
{
	return c->tput.ok;
}
static bool has_syscalls(const struct zc_rcell *c)
{
	return c->syscalls.ok;
}
static bool has_csw(const struct zc_rcell *c)
{
	return c->csw_vol.ok && c->csw_invol.ok;
}
static bool has_cpu(const struct zc_rcell *c)
{
	return c->cpu_user.ok && c->cpu_sys.ok;
}
static bool has_bytes(const struct zc_rcell *c)
{
	return c->to_user.ok || c->from_user.ok || c->in_kernel.ok;
}
static bool has_perf(const struct zc_rcell *c)
{
	if (!c->perf)
		return false;
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)c->perf, k, v)
	{
		if (json_is_number(v) && json_number_value(v) > 0)
			return true;
	}
	return false;
}
static bool has_victim(const struct zc_rcell *c)
{
	return c->victim_ratio.ok;
}
static bool has_hf(const struct zc_rcell *c)
{
	return c->hf;
}

static size_t count_with(const struct zc_report *r, const struct layout *l, bool (*has)(const struct zc_rcell *))
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += has(&r->cells[l->slots[i].cell]);
	return n;
}

/* Why the eBPF counters are missing, for notes: per file when several. */
static void ebpf_reason(const struct zc_report *r, char *buf, size_t len)
{
	buf[0] = 0;
	for (size_t i = 0; i < r->nfiles; i++) {
		char note[256];
		zc_probe_note(&r->files[i], note, sizeof note);
		if (strcmp(note, "ok") == 0)
			continue;
		size_t n = strlen(buf);
		if (r->nfiles > 1)
			snprintf(buf + n, len - n, "%s%s: eBPF probe %s", n ? "; " : "", r->files[i].label, note);
		else
			snprintf(buf + n, len - n, "eBPF probe %s", note);
	}
	if (!buf[0])
		snprintf(buf, len, "the eBPF probe was on but recorded no such counter");
}

/* The note of a figure some of whose cells lack the figure: with several
 * files the reason already names them. */
static void not_measured_note(const struct zc_report *r, struct zc_figure *fig, const char *miss, const char *why)
{
	if (r->nfiles > 1 && strstr(why, ": eBPF probe"))
		snprintf(fig->note, sizeof fig->note, "Not measured for %s.", why);
	else
		snprintf(fig->note, sizeof fig->note, "Not measured for %s (%s).", miss, why);
}

/* Bars coloured by whether the cell sees the data: one value per cell
 * (value, low, high, text above the bar). */
typedef void (*bar_value_fn)(const struct zc_report *r, const struct zc_rcell *c, struct zc_val *v, struct zc_val *lo,
			     struct zc_val *hi, char *text, size_t len);

static void sees_series(struct zc_sbuf *b, const struct zc_report *r, const struct layout *l, bar_value_fn value)
{
	zc_sb_puts(b, "\n\n# block 2\n");
	for (size_t i = 0; i < l->n; i++) {
		const struct zc_rcell *c = &r->cells[l->slots[i].cell];
		struct zc_val v, lo, hi;
		char text[64];
		value(r, c, &v, &lo, &hi, text, sizeof text);
		zc_sb_printf(b, "%g %d", l->slots[i].x, sees_class(c));
		put_num(b, v, 1);
		put_num(b, lo, 1);
		put_num(b, hi, 1);
		zc_sb_puts(b, " ");
		put_label(b, text);
		zc_sb_puts(b, "\n");
	}
}

static void tput_value(const struct zc_report *r, const struct zc_rcell *c, struct zc_val *v, struct zc_val *lo,
		       struct zc_val *hi, char *text, size_t len)
{
	*v = c->tput.ok ? val(c->tput.v / 1e9) : none;
	*lo = c->tput_lo.ok ? val(c->tput_lo.v / 1e9) : none;
	*hi = c->tput_hi.ok ? val(c->tput_hi.v / 1e9) : none;
	struct zc_val frac = zc_cell_memcpy_fraction(r, c);
	if (frac.ok)
		snprintf(text, len, "%.2f (%.0f%%)", v->v, frac.v * 100);
	else
		snprintf(text, len, "%.2f", v->v);
}

static void syscalls_value(const struct zc_report *r, const struct zc_rcell *c, struct zc_val *v, struct zc_val *lo,
			   struct zc_val *hi, char *text, size_t len)
{
	(void)r;
	*v = c->syscalls.ok && c->syscalls.v > 0 ? c->syscalls : none;
	*lo = *hi = none;
	if (c->syscalls.ok)
		zc_fmt_si(c->syscalls.v, text, len);
	else
		snprintf(text, len, "n/m");
}

static void victim_value(const struct zc_report *r, const struct zc_rcell *c, struct zc_val *v, struct zc_val *lo,
			 struct zc_val *hi, char *text, size_t len)
{
	(void)r;
	*v = c->victim_ratio;
	*lo = *hi = none;
	if (v->ok)
		snprintf(text, len, "%.2f", v->v);
	else
		snprintf(text, len, "n/m");
}

static void ci_note(const struct zc_report *r, const struct layout *l, char *buf, size_t len)
{
	double lowest = 1;
	size_t runs = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct zc_rcell *c = &r->cells[l->slots[i].cell];
		if (c->ci_level.ok && c->ci_level.v < lowest) {
			lowest = c->ci_level.v;
			runs = c->runs.ok ? (size_t)c->runs.v : 0;
		}
	}
	buf[0] = 0;
	if (lowest < 0.95)
		snprintf(
			buf, len,
			"Error bars: the interval of the median at its real coverage, %.1f%% with %zu runs (95%% needs "
			"--reps 6 or more).",
			lowest * 100, runs);
}

/* Stacked bars: two components and their total per cell. */
static void stacked_block(struct zc_sbuf *b, const struct zc_report *r, const struct layout *l, const char *t1,
			  const char *t2, struct zc_val (*get)(const struct zc_rcell *, int), double scale)
{
	zc_sb_printf(b, "\n\n\"%s\" \"%s\"\n", t1, t2);
	for (size_t i = 0; i < l->n; i++) {
		const struct zc_rcell *c = &r->cells[l->slots[i].cell];
		struct zc_val a = get(c, 0), d = get(c, 1);
		zc_sb_printf(b, "%g", l->slots[i].x);
		put_num(b, a, scale);
		put_num(b, d, scale);
		put_num(b, a.ok && d.ok ? val(a.v + d.v) : none, scale);
		char text[64] = "n/m";
		if (a.ok && d.ok)
			zc_fmt_si((a.v + d.v) * scale, text, sizeof text);
		zc_sb_puts(b, " ");
		put_label(b, text);
		zc_sb_puts(b, "\n");
	}
}

static struct zc_val get_csw(const struct zc_rcell *c, int k)
{
	return k == 0 ? c->csw_vol : c->csw_invol;
}

static struct zc_val get_cpu(const struct zc_rcell *c, int k)
{
	return k == 0 ? c->cpu_user : c->cpu_sys;
}

/* Clustered bars: nseries values per cell, side by side. */
static double cluster_x(double x, size_t s, size_t nseries)
{
	double w = 0.8 / (double)nseries;
	return x + ((double)s - ((double)nseries - 1) / 2) * w;
}

/* A workload name as part of a file name: letters, digits, - and _ only. */
static void sanitize(const char *name, char *buf, size_t len)
{
	size_t n = 0;
	for (; *name && n + 1 < len && n < 60; name++)
		buf[n++] = (isalnum((unsigned char)*name) || *name == '-' || *name == '_') ? *name : '_';
	buf[n] = 0;
	if (n == 0)
		snprintf(buf, len, "w");
}

/* Workload w's name as its figures' file names end: sanitized, numbered
 * when an earlier workload sanitizes the same. */
static void workload_suffix(const struct zc_report *r, size_t w, char *sfx, size_t len)
{
	char safe[80];
	sanitize(r->workloads[w], safe, sizeof safe);
	snprintf(sfx, len, "%s", safe);
	for (size_t k = 0; k < w; k++) {
		char other[80];
		sanitize(r->workloads[k], other, sizeof other);
		if (strcmp(other, safe) == 0)
			snprintf(sfx, len, "%s-%zu", safe, w + 1);
	}
}

static int workload_figures(struct zc_report *r, size_t w, const char *out_dir, char *err, size_t err_len)
{
	const char *wname = r->workloads[w];
	char sfx[100];
	workload_suffix(r, w, sfx, sizeof sfx);
	struct layout l;
	if (layout_workload(r, w, &l) != 0) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	int rc = -1;
	char stem[192], title[256], miss[512], why[512], text[1024];
	struct zc_sbuf b;
	zc_sb_init(&b);
	struct zc_figure *fig;
#define NEXT_FIG()                                                                                                     \
	do {                                                                                                           \
		zc_sb_free(&b);                                                                                        \
		zc_sb_init(&b);                                                                                        \
	} while (0)

	/* 1. Throughput by strategy. */
	snprintf(stem, sizeof stem, "throughput-%s", sfx);
	snprintf(title, sizeof title, "%s: throughput by strategy (median, GB/s)", wname);
	if (count_with(r, &l, has_tput) == 0) {
		if (note_figure(r, out_dir, stem, w, title, "No cell of this workload finished: nothing to plot.", err,
				err_len) != 0)
			goto out;
		rc = 0;
		goto out; /* without ok cells no other figure has anything either */
	}
	if (!(fig = data_figure(r, stem, "throughput.gp", w, title)))
		goto oom;
	ci_note(r, &l, fig->note, sizeof fig->note);
	snprintf(fig->caption, sizeof fig->caption,
		 "Median throughput of the measured runs (GB/s = 10^9 bytes/s), with the distribution-free "
		 "confidence interval of the median as error bars. Orange bars see the data (it passes through "
		 "user memory); blue ones are blind. %s",
		 r->files[0].memcpy_bps.ok || r->nfiles > 1
			 ? "The percentage above a bar is its share of the machine's single-core memcpy ceiling "
			   "(zcbench calibrate)."
			 : "No calibration in the result file, so no share of the memcpy ceiling.");
	data_header(&b, r, title,
		    "# block 2: x class median_GBps ci_low_GBps ci_high_GBps \"text above the bar\" (class: 0 sees the "
		    "data, 1 blind, 2 not stated)\n");
	layout_blocks(&b, r, &l);
	sees_series(&b, r, &l, tput_value);
	if (write_data(out_dir, fig, &b, err, err_len) != 0)
		goto out;
	NEXT_FIG();

	/* 2. Throughput against chunk size, where a sweep ran: a line per
	 * series (strategy and its other params) per file with two or more
	 * chunk sizes. */
	{
		size_t nseries = 0;
		double chunks[64];
		size_t nchunks = 0;
		struct zc_sbuf series;
		zc_sb_init(&series);
		for (size_t i = 0; i < l.n; i++) {
			const struct zc_rcell *c = &r->cells[l.slots[i].cell];
			bool first = true, distinct = false;
			for (size_t k = 0; k < i && first; k++) {
				const struct zc_rcell *o = &r->cells[l.slots[k].cell];
				first = !(o->file == c->file && strcmp(o->series, c->series) == 0);
			}
			if (!first || !c->chunk.ok)
				continue;
			for (size_t k = i + 1; k < l.n; k++) {
				const struct zc_rcell *o = &r->cells[l.slots[k].cell];
				distinct |= o->file == c->file && strcmp(o->series, c->series) == 0 && o->chunk.ok &&
					    o->chunk.v != c->chunk.v;
			}
			if (!distinct)
				continue;
			char name[256];
			if (r->nfiles > 1)
				snprintf(name, sizeof name, "%s (%s)", c->series, r->files[c->file].label);
			else
				snprintf(name, sizeof name, "%s", c->series);
			series_start(&series, name);
			nseries++;
			/* The series' points in chunk order. */
			double last = -1;
			for (;;) {
				const struct zc_rcell *next = NULL;
				for (size_t k = i; k < l.n; k++) {
					const struct zc_rcell *o = &r->cells[l.slots[k].cell];
					if (o->file != c->file || strcmp(o->series, c->series) != 0 || !o->chunk.ok ||
					    o->chunk.v <= last)
						continue;
					if (!next || o->chunk.v < next->chunk.v)
						next = o;
				}
				if (!next)
					break;
				last = next->chunk.v;
				zc_sb_printf(&series, "%.0f", next->chunk.v);
				put_num(&series, next->tput, 1e-9);
				put_num(&series, next->tput_lo, 1e-9);
				put_num(&series, next->tput_hi, 1e-9);
				zc_sb_puts(&series, "\n");
				bool seen = false;
				for (size_t k = 0; k < nchunks; k++)
					seen |= chunks[k] == next->chunk.v;
				if (!seen && nchunks < 64)
					chunks[nchunks++] = next->chunk.v;
			}
		}
		if (nseries > 0) {
			snprintf(stem, sizeof stem, "sweep-%s", sfx);
			snprintf(title, sizeof title, "%s: throughput against chunk size", wname);
			if (!(fig = data_figure(r, stem, "sweep.gp", w, title))) {
				zc_sb_free(&series);
				goto oom;
			}
			snprintf(fig->extra, sizeof fig->extra, "%zu", nseries);
			snprintf(fig->caption, sizeof fig->caption,
				 "Median throughput (GB/s) against the bytes asked for per call (log scale), with "
				 "the confidence interval of the median; one line per strategy and parameter set%s.",
				 r->nfiles > 1 ? " and result file" : "");
			data_header(&b, r, title,
				    "# block 0: x ticks: chunk_bytes \"label\"\n# blocks 1 on: one per line, its "
				    "title first: chunk_bytes median_GBps ci_low_GBps ci_high_GBps\n");
			for (size_t a = 0; a < nchunks; a++)
				for (size_t z = a + 1; z < nchunks; z++)
					if (chunks[z] < chunks[a]) {
						double t = chunks[a];
						chunks[a] = chunks[z];
						chunks[z] = t;
					}
			zc_sb_puts(&b, "\n# block 0\n");
			for (size_t k = 0; k < nchunks; k++) {
				char lab[32];
				zc_fmt_bytes_short(chunks[k], lab, sizeof lab);
				zc_sb_printf(&b, "%.0f ", chunks[k]);
				put_label(&b, lab);
				zc_sb_puts(&b, "\n");
			}
			zc_sb_puts(&b, series.s ? series.s : "");
			b.oom |= series.oom;
			zc_sb_free(&series);
			if (write_data(out_dir, fig, &b, err, err_len) != 0)
				goto out;
			NEXT_FIG();
		} else {
			zc_sb_free(&series);
		}
	}

	/* 3. Syscalls per GiB. */
	snprintf(stem, sizeof stem, "syscalls-%s", sfx);
	snprintf(title, sizeof title, "%s: syscalls per GiB moved", wname);
	ebpf_reason(r, why, sizeof why);
	if (count_with(r, &l, has_syscalls) == 0) {
		snprintf(text, sizeof text, "Syscalls per GiB: not measured on this machine (%s).", why);
		if (note_figure(r, out_dir, stem, w, title, text, err, err_len) != 0)
			goto out;
	} else {
		if (!(fig = data_figure(r, stem, "syscalls.gp", w, title)))
			goto oom;
		missing_for(r, &l, has_syscalls, miss, sizeof miss);
		if (miss[0])
			not_measured_note(r, fig, miss, why);
		snprintf(fig->caption, sizeof fig->caption,
			 "Syscalls the measured process entered and left inside the copy window per GiB moved "
			 "(eBPF raw_syscalls tracepoints; median over the measured runs; log scale).");
		data_header(&b, r, title,
			    "# block 2: x class syscalls_per_GiB NaN NaN \"text\" (class: 0 sees the data, 1 blind, 2 "
			    "not stated)\n");
		layout_blocks(&b, r, &l);
		sees_series(&b, r, &l, syscalls_value);
		if (write_data(out_dir, fig, &b, err, err_len) != 0)
			goto out;
		NEXT_FIG();
	}

	/* 4. Context switches per GiB, stacked. */
	snprintf(stem, sizeof stem, "ctxsw-%s", sfx);
	snprintf(title, sizeof title, "%s: context switches per GiB moved", wname);
	if (count_with(r, &l, has_csw) == 0) {
		if (note_figure(r, out_dir, stem, w, title,
				"Context switches per GiB: not measured on this machine (neither the eBPF probe nor "
				"getrusage figures are in the result file).",
				err, err_len) != 0)
			goto out;
	} else {
		if (!(fig = data_figure(r, stem, "ctxsw.gp", w, title)))
			goto oom;
		size_t probe = 0, rusage = 0;
		for (size_t i = 0; i < l.n; i++) {
			const struct zc_rcell *c = &r->cells[l.slots[i].cell];
			if (has_csw(c))
				c->csw_from_probe ? probe++ : rusage++;
		}
		snprintf(fig->caption, sizeof fig->caption,
			 "Voluntary (the process waited) and involuntary (it was preempted) context switches of the "
			 "measured process per GiB moved, stacked; median over the measured runs. Source: %s.",
			 probe && rusage ? "the eBPF sched_switch probe where it ran, getrusage elsewhere"
			 : probe	 ? "the eBPF sched_switch probe, inside the copy window"
					 : "getrusage deltas around the copy window (no eBPF probe)");
		data_header(
			&b, r, title,
			"# block 2: x voluntary_per_GiB involuntary_per_GiB total_per_GiB \"text\" (its first line: "
			"the two stack titles)\n");
		layout_blocks(&b, r, &l);
		stacked_block(&b, r, &l, "voluntary", "involuntary", get_csw, 1);
		if (write_data(out_dir, fig, &b, err, err_len) != 0)
			goto out;
		NEXT_FIG();
	}

	/* 5. CPU time per GiB, stacked. */
	snprintf(stem, sizeof stem, "cpu-%s", sfx);
	snprintf(title, sizeof title, "%s: CPU time per GiB moved (ms)", wname);
	if (count_with(r, &l, has_cpu) == 0) {
		if (note_figure(r, out_dir, stem, w, title,
				"CPU time per GiB: not in the result file (summary.cpu_ns_per_gib is missing).", err,
				err_len) != 0)
			goto out;
	} else {
		if (!(fig = data_figure(r, stem, "cputime.gp", w, title)))
			goto oom;
		snprintf(fig->caption, sizeof fig->caption,
			 "User and system CPU time of the measured process per GiB moved (ms), stacked; median over "
			 "the measured runs (getrusage, which the kernel accounts in scheduler ticks: short windows "
			 "read coarse). The drain peer's CPU time is not included.");
		data_header(
			&b, r, title,
			"# block 2: x user_ms_per_GiB sys_ms_per_GiB total_ms_per_GiB \"text\" (its first line: the "
			"two stack titles)\n");
		layout_blocks(&b, r, &l);
		stacked_block(&b, r, &l, "user", "sys", get_cpu, 1e-6);
		if (write_data(out_dir, fig, &b, err, err_len) != 0)
			goto out;
		NEXT_FIG();
	}

	/* 6. Bytes crossing the user/kernel boundary. */
	snprintf(stem, sizeof stem, "crossing-%s", sfx);
	snprintf(title, sizeof title, "%s: bytes crossing the user/kernel boundary per GiB moved", wname);
	if (count_with(r, &l, has_bytes) == 0) {
		snprintf(text, sizeof text,
			 "Bytes crossing the user/kernel boundary: not measured on this machine (%s).", why);
		if (note_figure(r, out_dir, stem, w, title, text, err, err_len) != 0)
			goto out;
	} else {
		if (!(fig = data_figure(r, stem, "crossing.gp", w, title)))
			goto oom;
		missing_for(r, &l, has_bytes, miss, sizeof miss);
		if (miss[0])
			not_measured_note(r, fig, miss, why);
		snprintf(fig->caption, sizeof fig->caption,
			 "GiB the data-moving syscalls copied per GiB delivered: into user memory (to user), out of "
			 "it (from user), and moved inside the kernel (in kernel; both legs of a splice through a "
			 "pipe count). A blind strategy should show nothing crossing.");
		data_header(&b, r, title,
			    "# blocks 2-4 (to user, from user, in kernel): x GiB_per_GiB NaN NaN \"text\"; x is offset "
			    "within the bar's slot\n");
		layout_blocks(&b, r, &l);
		static const char *const dir_titles[] = {"to user", "from user", "in kernel"};
		for (size_t s = 0; s < 3; s++) {
			series_start(&b, dir_titles[s]);
			for (size_t i = 0; i < l.n; i++) {
				const struct zc_rcell *c = &r->cells[l.slots[i].cell];
				struct zc_val v = s == 0 ? c->to_user : s == 1 ? c->from_user : c->in_kernel;
				zc_sb_printf(&b, "%.4f", cluster_x(l.slots[i].x, s, 3));
				put_num(&b, v, 1 / GIB_BYTES);
				zc_sb_puts(&b, " NaN NaN ");
				char t[32] = "";
				if (v.ok)
					snprintf(t, sizeof t, "%.2g", v.v / GIB_BYTES);
				put_label(&b, t);
				zc_sb_puts(&b, "\n");
			}
		}
		if (write_data(out_dir, fig, &b, err, err_len) != 0)
			goto out;
		NEXT_FIG();
	}

	/* 7. perf counters per GiB. */
	snprintf(stem, sizeof stem, "perf-%s", sfx);
	snprintf(title, sizeof title, "%s: perf counters per GiB moved", wname);
	zc_perf_missing_note(r, miss, sizeof miss);
	if (count_with(r, &l, has_perf) == 0 || r->nperf == 0) {
		snprintf(text, sizeof text, "Hardware counters: %s.",
			 miss[0] ? miss : "not measured on this machine (no perf counter in the result file)");
		if (note_figure(r, out_dir, stem, w, title, text, err, err_len) != 0)
			goto out;
	} else {
		if (!(fig = data_figure(r, stem, "perf.gp", w, title)))
			goto oom;
		/* Counters that are zero (or absent) in every cell: a log scale cannot
		 * draw them, so the note names them instead. */
		bool drawn[64] = {false};
		size_t slot_of[64] = {0}, ndrawn = 0;
		char zeros[256] = "";
		for (size_t s = 0; s < r->nperf && s < 64; s++) {
			for (size_t i = 0; i < l.n; i++) {
				const struct zc_rcell *c = &r->cells[l.slots[i].cell];
				const json_t *v = c->perf ? json_object_get(c->perf, r->perf_names[s]) : NULL;
				drawn[s] |= json_is_number(v) && json_number_value(v) > 0;
			}
			if (drawn[s]) {
				slot_of[s] = ndrawn++;
			} else {
				size_t n = strlen(zeros);
				snprintf(zeros + n, sizeof zeros - n, "%s%s", n ? ", " : "", r->perf_names[s]);
			}
		}
		snprintf(fig->note, sizeof fig->note, "%s%s%s%s%s", zeros, zeros[0] ? ": 0 in every cell" : "",
			 zeros[0] && miss[0] ? ". " : "", miss[0] ? "Hardware counters " : "", miss);
		snprintf(fig->extra, sizeof fig->extra, "%zu", ndrawn);
		snprintf(fig->caption, sizeof fig->caption,
			 "perf_event counters of the measured process per GiB moved, median over the measured runs "
			 "(log scale; task_clock is in ns; a zero cannot be drawn on a log scale). %s",
			 miss[0] ? "Hardware counters absent here were not measured on this machine." : "");
		data_header(&b, r, title,
			    "# blocks 2 on: one per counter, its name first: x value_per_GiB NaN NaN \"text\"; x is "
			    "offset within the bar's slot\n");
		layout_blocks(&b, r, &l);
		for (size_t s = 0; s < r->nperf && s < 64; s++) {
			if (!drawn[s])
				continue;
			series_start(&b, r->perf_names[s]);
			for (size_t i = 0; i < l.n; i++) {
				const struct zc_rcell *c = &r->cells[l.slots[i].cell];
				const json_t *v = c->perf ? json_object_get(c->perf, r->perf_names[s]) : NULL;
				struct zc_val x = json_is_number(v) && json_number_value(v) > 0
							  ? val(json_number_value(v))
							  : none;
				zc_sb_printf(&b, "%.4f", cluster_x(l.slots[i].x, slot_of[s], ndrawn));
				put_num(&b, x, 1);
				zc_sb_puts(&b, " NaN NaN \"\"\n");
			}
		}
		if (write_data(out_dir, fig, &b, err, err_len) != 0)
			goto out;
		NEXT_FIG();
	}

	/* 8. Victim cache-pollution ratio. */
	snprintf(stem, sizeof stem, "victim-%s", sfx);
	snprintf(title, sizeof title, "%s: cache pollution seen by a victim", wname);
	if (count_with(r, &l, has_victim) == 0) {
		if (note_figure(r, out_dir, stem, w, title,
				"Victim cache-pollution ratio: not measured on this machine (no cell has "
				"summary.victim).",
				err, err_len) != 0)
			goto out;
	} else {
		if (!(fig = data_figure(r, stem, "victim.gp", w, title)))
			goto oom;
		missing_for(r, &l, has_victim, miss, sizeof miss);
		if (miss[0])
			snprintf(fig->note, sizeof fig->note, "Not measured for %s.", miss);
		snprintf(fig->caption, sizeof fig->caption,
			 "A victim's time per cache line while the copy ran, over its time alone: 1 means the copy "
			 "left the victim's cache alone.");
		data_header(
			&b, r, title,
			"# block 2: x class ratio NaN NaN \"text\" (class: 0 sees the data, 1 blind, 2 not stated)\n");
		layout_blocks(&b, r, &l);
		sees_series(&b, r, &l, victim_value);
		if (write_data(out_dir, fig, &b, err, err_len) != 0)
			goto out;
		NEXT_FIG();
	}

	/* 9. In-process against whole-process throughput, where hyperfine ran. */
	if (count_with(r, &l, has_hf) > 0) {
		snprintf(stem, sizeof stem, "wholeprocess-%s", sfx);
		snprintf(title, sizeof title, "%s: in-process and whole-process throughput (GB/s)", wname);
		if (!(fig = data_figure(r, stem, "wholeprocess.gp", w, title)))
			goto oom;
		missing_for(r, &l, has_hf, miss, sizeof miss);
		if (miss[0])
			snprintf(fig->note, sizeof fig->note, "No whole-process timing for %s.", miss);
		snprintf(fig->caption, sizeof fig->caption,
			 "Left: the median of the in-process copy windows with its confidence interval. Right: the "
			 "bytes of one run over the median wall time of the whole `zcbench run` process under "
			 "hyperfine (start-up, set-up, one verified copy, exit), error bars from its fastest and "
			 "slowest run.");
		data_header(&b, r, title,
			    "# blocks 2-3 (in-process, whole process): x GBps low_GBps high_GBps \"text\"; x is offset "
			    "within the bar's slot\n");
		layout_blocks(&b, r, &l);
		static const char *const hf_titles[] = {"in-process (copy window)", "whole process (hyperfine)"};
		for (size_t s = 0; s < 2; s++) {
			series_start(&b, hf_titles[s]);
			for (size_t i = 0; i < l.n; i++) {
				const struct zc_rcell *c = &r->cells[l.slots[i].cell];
				struct zc_val v, lo, hi;
				if (s == 0) {
					v = c->tput, lo = c->tput_lo, hi = c->tput_hi;
				} else {
					v = zc_cell_hf_bps(c);
					lo = v.ok && c->hf_max.ok && c->hf_max.v > 0
						     ? val(c->size.v * 1e9 / c->hf_max.v)
						     : none;
					hi = v.ok && c->hf_min.ok && c->hf_min.v > 0
						     ? val(c->size.v * 1e9 / c->hf_min.v)
						     : none;
				}
				zc_sb_printf(&b, "%.4f", cluster_x(l.slots[i].x, s, 2));
				put_num(&b, v, 1e-9);
				put_num(&b, lo, 1e-9);
				put_num(&b, hi, 1e-9);
				char t[32] = "";
				if (v.ok)
					snprintf(t, sizeof t, "%.2f", v.v / 1e9);
				zc_sb_puts(&b, " ");
				put_label(&b, t);
				zc_sb_puts(&b, "\n");
			}
		}
		if (write_data(out_dir, fig, &b, err, err_len) != 0)
			goto out;
		NEXT_FIG();
	}
	rc = 0;
	goto out;
oom:
	snprintf(err, err_len, "out of memory");
out:
#undef NEXT_FIG
	zc_sb_free(&b);
	layout_free(&l);
	return rc;
}

int zc_report_figures(struct zc_report *r, const char *out_dir, char *err, size_t err_len)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/data", out_dir);
	int e = zc_mkdirs(dir);
	if (e) {
		snprintf(err, err_len, "cannot create %s: %s", dir, strerror(e));
		return -1;
	}
	for (size_t w = 0; w < r->nworkloads; w++) {
		if (workload_figures(r, w, out_dir, err, err_len) != 0)
			return -1;
		char sfx[100];
		workload_suffix(r, w, sfx, sizeof sfx);
		if (zc_shutdown_in_workload(r, w) && zc_shutdown_figures(r, w, sfx, out_dir, err, err_len) != 0)
			return -1;
	}
	return 0;
}

void zc_fig_label(struct zc_sbuf *b, const char *s)
{
	put_label(b, s);
}

void zc_fig_num(struct zc_sbuf *b, struct zc_val v, double scale)
{
	put_num(b, v, scale);
}

void zc_fig_header(struct zc_sbuf *b, const struct zc_report *r, const char *title, const char *columns)
{
	data_header(b, r, title, columns);
}

struct zc_figure *zc_fig_add(struct zc_report *r, const char *stem, const char *script, size_t w, const char *title)
{
	return data_figure(r, stem, script, w, title);
}

int zc_fig_note(struct zc_report *r, const char *out_dir, const char *stem, size_t w, const char *title,
		const char *text, char *err, size_t err_len)
{
	return note_figure(r, out_dir, stem, w, title, text, err, err_len);
}
