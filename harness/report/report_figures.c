/* Which figures a workload has, and their data files (report_figdata.h has
 * the format). Bar figures share one layout, drawn by plots/strategy_bars.gp:
 * block 0 holds the x tics (a group's centre and its label: the strategy and
 * the params that tell it apart), block 1 the result files (number and label:
 * with several files each has its own fill pattern, named in the key), and
 * the blocks after it the series, each row ending in its file's number.
 * A group is one strategy; with several files it holds one bar per file, so
 * a before/after or a kernel matrix reads strategy by strategy. Groups are
 * ordered by the verdicts (rank 1 first) where the files have them, else by
 * median throughput, fastest first: every figure of a workload in one order.
 * Colour means one thing everywhere: orange sees the data, blue is blind,
 * grey not stated; series that are not strategies take other colours. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_figdata.h"
#include "report_figures.h"
#include "report_shutdown.h"
#include "report_verdicts.h"

/* A bar's place on the x axis. */
struct slot {
	size_t cell;
	double x;
};

struct group {
	const char *label;
	double lo, hi;
	double key; /* the sort key: rank, or 1000 + a throughput order */
};

struct layout {
	struct slot *slots;
	size_t n;
	struct group *groups;
	size_t ngroups;
	bool file_used[ZC_REPORT_MAX_FILES];
};

static void layout_free(struct layout *l)
{
	free(l->slots);
	free(l->groups);
	memset(l, 0, sizeof *l);
}

static struct zc_val val(double v)
{
	struct zc_val x = {true, v};
	return x;
}

static const struct zc_val none = {false, 0};

static int cmp_group(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* The ok cells of workload w that has(c) accepts (NULL: all), grouped by
 * strategy label, one bar per file. Returns -1 when out of memory. */
static int layout_workload(const struct zc_report *r, size_t w, bool (*has)(const struct zc_rcell *), struct layout *l)
{
	memset(l, 0, sizeof *l);
	l->slots = calloc(r->ncells ? r->ncells : 1, sizeof *l->slots);
	l->groups = calloc(r->ncells ? r->ncells : 1, sizeof *l->groups);
	if (!l->slots || !l->groups) {
		layout_free(l);
		return -1;
	}
	for (size_t i = 0; i < r->ncells; i++) {
		const struct zc_rcell *c = &r->cells[i];
		if (c->workload != w || !c->ok || (has && !has(c)))
			continue;
		bool seen = false;
		for (size_t g = 0; g < l->ngroups && !seen; g++)
			seen = strcmp(l->groups[g].label, c->label) == 0;
		if (!seen) {
			l->groups[l->ngroups].label = c->label;
			l->groups[l->ngroups].key = zc_strategy_sort_key(r, w, c->label);
			l->ngroups++;
		}
	}
	qsort(l->groups, l->ngroups, sizeof *l->groups, cmp_group);
	double x = 0;
	for (size_t g = 0; g < l->ngroups; g++) {
		size_t first = l->n;
		for (size_t f = 0; f < r->nfiles; f++)
			for (size_t i = 0; i < r->ncells; i++) {
				const struct zc_rcell *c = &r->cells[i];
				if (c->file != f || c->workload != w || !c->ok || (has && !has(c)) ||
				    strcmp(c->label, l->groups[g].label) != 0)
					continue;
				l->slots[l->n].cell = i;
				l->slots[l->n++].x = ++x;
				if (f < ZC_REPORT_MAX_FILES)
					l->file_used[f] = true;
			}
		l->groups[g].lo = l->slots[first].x;
		l->groups[g].hi = l->slots[l->n - 1].x;
		if (r->nfiles > 1)
			x += 0.6; /* a gap before the next strategy's bars */
	}
	return 0;
}

/* Blocks 0 and 1 of the bar layout. */
static void layout_blocks(struct zc_sbuf *b, const struct zc_report *r, const struct layout *l)
{
	zc_sb_puts(b, "\n# block 0: x tics: x_centre \"strategy\"\n");
	for (size_t g = 0; g < l->ngroups; g++) {
		zc_sb_printf(b, "%g ", (l->groups[g].lo + l->groups[g].hi) / 2);
		zc_fig_tic_label(b, l->groups[g].label);
		zc_sb_puts(b, "\n");
	}
	zc_sb_puts(b, "\n\n# block 1: result files: number \"label\"\n");
	for (size_t f = 0; f < r->nfiles && f < ZC_REPORT_MAX_FILES; f++) {
		if (!l->file_used[f])
			continue;
		zc_sb_printf(b, "%zu ", f + 1);
		zc_fig_label(b, r->files[f].label);
		zc_sb_puts(b, "\n");
	}
}

static void series_start(struct zc_sbuf *b, const char *title)
{
	zc_sb_puts(b, "\n\n");
	zc_fig_label(b, title);
	zc_sb_puts(b, "\n");
}

/* Whether a cell sees the data, as the bar figures colour it: 0 sees the
 * data, 1 blind, 2 the result file does not say. */
static int sees_class(const struct zc_rcell *c)
{
	return c->sees_data == 1 ? 0 : c->sees_data == 0 ? 1 : 2;
}

/* The file number a row ends with: which of block 1's patterns it takes. */
static void row_end(struct zc_sbuf *b, const struct zc_rcell *c)
{
	zc_sb_printf(b, " %zu\n", c->file + 1);
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
static bool has_task_clock(const struct zc_rcell *c)
{
	return c->task_clock.ok && c->task_clock.v > 0;
}
/* All three directions, and not all zero: a cell that delivered its bytes
 * with none crossing and none moved in the kernel moved them where no
 * syscall return value shows (io_uring requests; files from before these
 * were written as null say 0). */
static bool has_bytes(const struct zc_rcell *c)
{
	return c->to_user.ok && c->from_user.ok && c->in_kernel.ok &&
	       c->to_user.v + c->from_user.v + c->in_kernel.v > 0;
}
static bool is_count(const char *name)
{
	return strcmp(name, "task_clock") != 0; /* the one perf figure in ns: the CPU figure shows it */
}
static bool has_perf(const struct zc_rcell *c)
{
	if (!c->perf)
		return false;
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)c->perf, k, v)
	{
		if (is_count(k) && json_is_number(v) && json_number_value(v) > 0)
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

/* The cells of workload w (ok ones) that lack a figure, by label, for a
 * note: "io_uring, mmap" ("" when none). */
static void lacking(const struct zc_report *r, size_t w, bool (*has)(const struct zc_rcell *), char *buf, size_t len)
{
	buf[0] = 0;
	for (size_t i = 0; i < r->ncells; i++) {
		const struct zc_rcell *c = &r->cells[i];
		if (c->workload != w || !c->ok || has(c))
			continue;
		size_t n = strlen(buf);
		if (r->nfiles > 1)
			snprintf(buf + n, len - n, "%s%s (%s)", n ? ", " : "", c->label, r->files[c->file].label);
		else
			snprintf(buf + n, len - n, "%s%s", n ? ", " : "", c->label);
	}
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
		zc_fig_num(b, v, 1);
		zc_fig_num(b, lo, 1);
		zc_fig_num(b, hi, 1);
		zc_sb_puts(b, " ");
		zc_fig_label(b, text);
		row_end(b, c);
	}
}

static void tput_value(const struct zc_report *r, const struct zc_rcell *c, struct zc_val *v, struct zc_val *lo,
		       struct zc_val *hi, char *text, size_t len)
{
	*v = c->tput.ok ? val(c->tput.v / 1e9) : none;
	*lo = c->tput_lo.ok ? val(c->tput_lo.v / 1e9) : none;
	*hi = c->tput_hi.ok ? val(c->tput_hi.v / 1e9) : none;
	struct zc_val frac = zc_cell_memcpy_fraction(r, c);
	if (frac.ok && r->nfiles == 1)
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
	zc_fmt_si(c->syscalls.v, text, len);
}

static void task_clock_value(const struct zc_report *r, const struct zc_rcell *c, struct zc_val *v, struct zc_val *lo,
			     struct zc_val *hi, char *text, size_t len)
{
	(void)r;
	*v = val(c->task_clock.v / 1e6);
	*lo = *hi = none;
	snprintf(text, len, v->v < 10 ? "%.2f" : "%.0f", v->v);
}

static void victim_value(const struct zc_report *r, const struct zc_rcell *c, struct zc_val *v, struct zc_val *lo,
			 struct zc_val *hi, char *text, size_t len)
{
	(void)r;
	*v = c->victim_ratio;
	*lo = *hi = none;
	snprintf(text, len, "%.2f", v->v);
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
		snprintf(buf, len,
			 "Error bars: the interval of the median at its real coverage, %.1f%% with %zu runs (95%% "
			 "needs --reps 6 or more).",
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
		zc_fig_num(b, a, scale);
		zc_fig_num(b, d, scale);
		zc_fig_num(b, a.ok && d.ok ? val(a.v + d.v) : none, scale);
		char text[64] = "";
		if (a.ok && d.ok)
			zc_fmt_si((a.v + d.v) * scale, text, sizeof text);
		zc_sb_puts(b, " ");
		zc_fig_label(b, text);
		row_end(b, c);
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

void zc_workload_suffix(const struct zc_report *r, size_t w, char *sfx, size_t len)
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

/* Where a bytes figure of an io_uring cell went: the runs' reason. */
static const char *bytes_reason(const struct zc_report *r, size_t w)
{
	for (size_t i = 0; i < r->ncells; i++)
		if (r->cells[i].workload == w && r->cells[i].ok && !has_bytes(&r->cells[i]) && r->cells[i].bytes_reason)
			return r->cells[i].bytes_reason;
	return NULL;
}

static size_t count_ok(const struct zc_report *r, size_t w, bool (*has)(const struct zc_rcell *))
{
	size_t n = 0;
	for (size_t i = 0; i < r->ncells; i++)
		n += r->cells[i].workload == w && r->cells[i].ok && has(&r->cells[i]);
	return n;
}

/* Throughput against chunk size, where a sweep ran: a line per series
 * (strategy and its other params) per file with two or more chunk sizes. */
static int sweep_figure(struct zc_report *r, size_t w, const struct layout *l, const char *sfx, const char *out_dir,
			char *err, size_t err_len)
{
	const char *wname = r->workloads[w];
	char stem[192], title[256];
	struct zc_figure *fig;
	struct zc_sbuf b;
	zc_sb_init(&b);
	int rc = 0;
	size_t nseries = 0;
	double chunks[64];
	size_t nchunks = 0;
	struct zc_sbuf series;
	zc_sb_init(&series);
	for (size_t i = 0; i < l->n; i++) {
		const struct zc_rcell *c = &r->cells[l->slots[i].cell];
		bool first = true, distinct = false;
		for (size_t k = 0; k < i && first; k++) {
			const struct zc_rcell *o = &r->cells[l->slots[k].cell];
			first = !(o->file == c->file && strcmp(o->series, c->series) == 0);
		}
		if (!first || !c->chunk.ok)
			continue;
		for (size_t k = i + 1; k < l->n; k++) {
			const struct zc_rcell *o = &r->cells[l->slots[k].cell];
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
			for (size_t k = i; k < l->n; k++) {
				const struct zc_rcell *o = &r->cells[l->slots[k].cell];
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
			zc_fig_num(&series, next->tput, 1e-9);
			zc_fig_num(&series, next->tput_lo, 1e-9);
			zc_fig_num(&series, next->tput_hi, 1e-9);
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
		if (!(fig = zc_fig_add(r, stem, "sweep.gp", w, title))) {
			zc_sb_free(&series);
			{
				snprintf(err, err_len, "out of memory");
				return -1;
			}
		}
		snprintf(fig->extra, sizeof fig->extra, "%zu", nseries);
		snprintf(fig->caption, sizeof fig->caption,
			 "Median throughput (GB/s) against the bytes asked for per call (log scale), with "
			 "the confidence interval of the median; one line per strategy and parameter set%s.",
			 r->nfiles > 1 ? " and result file" : "");
		zc_fig_header(&b, r, title,
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
			zc_fig_tic_label(&b, lab);
			zc_sb_puts(&b, "\n");
		}
		zc_sb_puts(&b, series.s ? series.s : "");
		b.oom |= series.oom;
		zc_sb_free(&series);
		rc = zc_fig_write(out_dir, fig, &b, err, err_len);
		zc_sb_free(&b);
	} else {
		zc_sb_free(&series);
	}
	return rc;
}
/* The figures of one workload in the order the page shows them. */
struct wctx {
	struct zc_report *r;
	size_t w;
	const char *wname, *sfx, *out_dir;
	char *err;
	size_t err_len;
};

/* A bar figure being made: its layout, its entry and its data file. */
struct bar {
	struct layout l;
	struct zc_figure *fig;
	struct zc_sbuf b;
};

/* Start a bar figure over the cells has() accepts: its layout and data
 * header. Returns 1 when it has bars, 0 when none (the figure is then left
 * out with why_none as its line), -1 on failure. */
static int bar_start(struct wctx *x, struct bar *g, const char *kind, const char *script, const char *title_fmt,
		     bool (*has)(const struct zc_rcell *), const char *why_none, const char *columns)
{
	struct layout *l = &g->l;
	struct zc_figure **fig = &g->fig;
	struct zc_sbuf *b = &g->b;
	char stem[192], title[256];
	snprintf(stem, sizeof stem, "%s-%s", kind, x->sfx);
	snprintf(title, sizeof title, title_fmt, x->wname);
	if (layout_workload(x->r, x->w, has, l) != 0) {
		snprintf(x->err, x->err_len, "out of memory");
		return -1;
	}
	if (l->n == 0) {
		layout_free(l);
		return zc_fig_note(x->r, x->out_dir, stem, x->w, title, why_none, x->err, x->err_len) == 0 ? 0 : -1;
	}
	if (!(*fig = zc_fig_add(x->r, stem, script, x->w, title))) {
		layout_free(l);
		snprintf(x->err, x->err_len, "out of memory");
		return -1;
	}
	zc_sb_init(b);
	zc_fig_header(b, x->r, title, columns);
	layout_blocks(b, x->r, l);
	return 1;
}

static int bar_finish(struct wctx *x, struct bar *g)
{
	int rc = zc_fig_write(x->out_dir, g->fig, &g->b, x->err, x->err_len);
	zc_sb_free(&g->b);
	layout_free(&g->l);
	return rc;
}

/* The cells of the workload has() leaves out, named in the figure's note
 * after prefix ("Not measured for "); no note when there are none. */
static void note_lacking(struct wctx *x, struct bar *g, bool (*has)(const struct zc_rcell *), const char *prefix)
{
	char miss[512];
	lacking(x->r, x->w, has, miss, sizeof miss);
	if (miss[0])
		snprintf(g->fig->note, sizeof g->fig->note, "%s%s.", prefix, miss);
}

#define SEES_COLUMNS(what)                                                                                             \
	"# blocks 0, 1: the bar layout (plots/strategy_bars.gp)\n# block 2: x class " what                             \
	" \"text above the bar\" file (class: 0 sees the data, 1 blind, 2 not stated)\n"

static int throughput_figure(struct wctx *x)
{
	struct zc_report *r = x->r;
	struct bar g;
	int k = bar_start(x, &g, "throughput", "throughput.gp", "%s: throughput by strategy (median, GB/s)", has_tput,
			  "Throughput: no cell of this workload finished, so there is nothing to draw.",
			  SEES_COLUMNS("median_GBps ci_low_GBps ci_high_GBps"));
	if (k <= 0)
		return k;
	ci_note(r, &g.l, g.fig->note, sizeof g.fig->note);
	snprintf(g.fig->caption, sizeof g.fig->caption,
		 "Median throughput of the measured runs (GB/s = 10⁹ bytes/s), with the distribution-free confidence "
		 "interval of the median as error bars, fastest first. %s",
		 r->nfiles > 1 ? "One bar per result file, its fill pattern named in the key."
		 : r->files[0].memcpy_bps.ok
			 ? "The percentage above a bar is its share of the machine's single-core memcpy ceiling "
			   "(zcbench calibrate)."
			 : "No calibration in the result file, so no share of the memcpy ceiling.");
	sees_series(&g.b, r, &g.l, tput_value);
	return bar_finish(x, &g);
}

static int syscalls_figure(struct wctx *x)
{
	struct zc_report *r = x->r;
	char why[512], text[1024], zero[512] = "";
	ebpf_reason(r, why, sizeof why);
	snprintf(text, sizeof text, "Syscalls per GiB: not measured (%s).", why);
	struct bar g;
	int k = bar_start(x, &g, "syscalls", "syscalls.gp", "%s: syscalls per GiB moved", has_syscalls, text,
			  SEES_COLUMNS("syscalls_per_GiB NaN NaN"));
	if (k <= 0)
		return k;
	char miss[512];
	lacking(r, x->w, has_syscalls, miss, sizeof miss);
	for (size_t i = 0; i < g.l.n; i++) {
		const struct zc_rcell *c = &r->cells[g.l.slots[i].cell];
		if (c->syscalls.v <= 0) {
			size_t n = strlen(zero);
			snprintf(zero + n, sizeof zero - n, "%s%s", n ? ", " : "", c->label);
		}
	}
	snprintf(g.fig->note, sizeof g.fig->note, "%s%s%s%s%s%s", miss[0] ? "Not measured for " : "", miss,
		 miss[0] ? " (" : "", miss[0] ? why : "", miss[0] ? ")." : "",
		 zero[0] ? " 0 (not drawable on a log scale): " : "");
	if (zero[0]) {
		size_t n = strlen(g.fig->note);
		snprintf(g.fig->note + n, sizeof g.fig->note - n, "%s.", zero);
	}
	snprintf(g.fig->caption, sizeof g.fig->caption,
		 "Syscalls the measured process entered and left inside the copy window per GiB moved (eBPF "
		 "raw_syscalls tracepoints; median over the measured runs). Log scale from the decade below the "
		 "smallest value, so every bar shows.");
	sees_series(&g.b, r, &g.l, syscalls_value);
	return bar_finish(x, &g);
}

static int ctxsw_figure(struct wctx *x)
{
	struct zc_report *r = x->r;
	struct bar g;
	int k = bar_start(x, &g, "ctxsw", "ctxsw.gp", "%s: context switches per GiB moved", has_csw,
			  "Context switches per GiB: not measured (neither the eBPF probe nor getrusage figures are "
			  "in the result file).",
			  "# blocks 0, 1: the bar layout (plots/strategy_bars.gp)\n# block 2: x voluntary_per_GiB "
			  "involuntary_per_GiB total_per_GiB \"text\" file (its first line: the two stack titles)\n");
	if (k <= 0)
		return k;
	size_t probe = 0, rusage = 0;
	for (size_t i = 0; i < g.l.n; i++)
		r->cells[g.l.slots[i].cell].csw_from_probe ? probe++ : rusage++;
	snprintf(g.fig->caption, sizeof g.fig->caption,
		 "Voluntary (the process waited) and involuntary (it was preempted) context switches of the "
		 "measured process per GiB moved, stacked; median over the measured runs. Source: %s.",
		 probe && rusage ? "the eBPF sched_switch probe where it ran, getrusage elsewhere"
		 : probe	 ? "the eBPF sched_switch probe, inside the copy window"
				 : "getrusage deltas around the copy window (no eBPF probe)");
	stacked_block(&g.b, r, &g.l, "voluntary", "involuntary", get_csw, 1);
	return bar_finish(x, &g);
}

/* CPU time: perf's task clock where counted (ns-exact), else getrusage's
 * user and sys, which the kernel accounts in scheduler ticks. */
static int cpu_figure(struct wctx *x)
{
	struct zc_report *r = x->r;
	struct bar g;
	if (count_ok(r, x->w, has_task_clock) > 0) {
		int k = bar_start(x, &g, "cpu", "cputask.gp", "%s: CPU time per GiB moved (ms, perf task clock)",
				  has_task_clock, "", SEES_COLUMNS("ms_per_GiB NaN NaN"));
		if (k <= 0)
			return k;
		note_lacking(x, &g, has_task_clock, "No task clock for ");
		snprintf(g.fig->caption, sizeof g.fig->caption,
			 "CPU time of the measured process per GiB moved (ms), from perf's task clock (counted in "
			 "ns inside the copy window; median over the measured runs). The drain peer's CPU time is "
			 "not included.");
		sees_series(&g.b, r, &g.l, task_clock_value);
		return bar_finish(x, &g);
	}
	int k = bar_start(x, &g, "cpu", "cputime.gp", "%s: CPU time per GiB moved (ms, getrusage: coarse)", has_cpu,
			  "CPU time per GiB: not in the result file (summary.cpu_ns_per_gib is missing).",
			  "# blocks 0, 1: the bar layout (plots/strategy_bars.gp)\n# block 2: x user_ms_per_GiB "
			  "sys_ms_per_GiB total_ms_per_GiB \"text\" file (its first line: the two stack titles)\n");
	if (k <= 0)
		return k;
	snprintf(g.fig->note, sizeof g.fig->note,
		 "Coarse: getrusage counts CPU time in scheduler ticks, so a short window's user time often reads 0 "
		 "(under one tick), not a measured zero. No perf task clock in this file.");
	snprintf(g.fig->caption, sizeof g.fig->caption,
		 "User and system CPU time of the measured process per GiB moved (ms), stacked; median over the "
		 "measured runs, from getrusage (tick-grained: coarse). The drain peer's CPU time is not included.");
	stacked_block(&g.b, r, &g.l, "user", "sys", get_cpu, 1e-6);
	return bar_finish(x, &g);
}

static int crossing_figure(struct wctx *x)
{
	struct zc_report *r = x->r;
	char why[512], text[1024], miss[512];
	ebpf_reason(r, why, sizeof why);
	const char *br = bytes_reason(r, x->w);
	if (!br)
		br = "no data-moving syscall returned them: io_uring requests move data that no syscall return "
		     "value reports";
	bool probe_on = strstr(why, "recorded no such counter") != NULL;
	snprintf(text, sizeof text, "Bytes crossing the user/kernel boundary: not measured (%s).", probe_on ? br : why);
	struct bar g;
	int k = bar_start(x, &g, "crossing", "crossing.gp", "%s: bytes crossing the user/kernel boundary per GiB moved",
			  has_bytes, text,
			  "# blocks 0, 1: the bar layout (plots/strategy_bars.gp)\n# blocks 2-4 (to user, from user, "
			  "in kernel): x GiB_per_GiB NaN NaN \"text\" file; x is offset within the bar's slot\n");
	if (k <= 0)
		return k;
	lacking(r, x->w, has_bytes, miss, sizeof miss);
	if (miss[0])
		snprintf(g.fig->note, sizeof g.fig->note, "Not drawn, not measured: %s (%s).", miss,
			 probe_on ? br : why);
	snprintf(g.fig->caption, sizeof g.fig->caption,
		 "GiB the data-moving syscalls copied per GiB delivered: into user memory (to user), out of it "
		 "(from user), and moved inside the kernel (in kernel; both legs of a splice through a pipe "
		 "count). Pages pinned without a copy (vmsplice, zero-copy sends the kernel did not copy) cross "
		 "nothing and are not shown. A blind strategy should show nothing crossing.");
	static const char *const dir_titles[] = {"to user", "from user", "in kernel"};
	for (size_t s = 0; s < 3; s++) {
		series_start(&g.b, dir_titles[s]);
		for (size_t i = 0; i < g.l.n; i++) {
			const struct zc_rcell *c = &r->cells[g.l.slots[i].cell];
			struct zc_val v = s == 0 ? c->to_user : s == 1 ? c->from_user : c->in_kernel;
			zc_sb_printf(&g.b, "%.4f", cluster_x(g.l.slots[i].x, s, 3));
			zc_fig_num(&g.b, v, 1 / GIB_BYTES);
			zc_sb_puts(&g.b, " NaN NaN ");
			char t[32];
			snprintf(t, sizeof t, "%.2g", v.v / GIB_BYTES);
			zc_fig_label(&g.b, t);
			row_end(&g.b, c);
		}
	}
	return bar_finish(x, &g);
}

/* perf counters that count events (task_clock, in ns, is the CPU figure),
 * on one log axis of counts. */
static int perf_figure(struct wctx *x)
{
	struct zc_report *r = x->r;
	char hw[512], text[1024];
	zc_perf_missing_note(r, hw, sizeof hw);
	snprintf(text, sizeof text, "perf event counts: %s.",
		 hw[0] ? hw : "none above zero in the result file (task_clock, in ns, is the CPU figure above)");
	struct bar g;
	int k = bar_start(x, &g, "perf", "perf.gp", "%s: perf event counts per GiB moved", has_perf, text,
			  "# blocks 0, 1: the bar layout (plots/strategy_bars.gp)\n# blocks 2 on: one per counter, "
			  "its name first: x count_per_GiB NaN NaN \"\" file; x is offset within the bar's slot\n");
	if (k <= 0)
		return k;
	/* Counters that are zero (or absent) in every cell: a log scale cannot
	 * draw them, so the note names them instead. */
	bool drawn[64] = {false};
	size_t slot_of[64] = {0}, ndrawn = 0;
	char zeros[256] = "";
	for (size_t s = 0; s < r->nperf && s < 64; s++) {
		if (!is_count(r->perf_names[s]))
			continue;
		for (size_t i = 0; i < g.l.n; i++) {
			const struct zc_rcell *c = &r->cells[g.l.slots[i].cell];
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
	snprintf(g.fig->note, sizeof g.fig->note, "%s%s%s%s%s", zeros, zeros[0] ? ": 0 in every cell" : "",
		 zeros[0] && hw[0] ? ". " : "", hw[0] ? "Hardware counters " : "", hw);
	snprintf(g.fig->extra, sizeof g.fig->extra, "%zu", ndrawn);
	snprintf(g.fig->caption, sizeof g.fig->caption,
		 "perf_event counts of the measured process per GiB moved, median over the measured runs (log scale "
		 "from the decade below the smallest count; a zero cannot be drawn and is named in the note). The "
		 "task clock, in ns, is the CPU figure.");
	for (size_t s = 0; s < r->nperf && s < 64; s++) {
		if (!drawn[s])
			continue;
		series_start(&g.b, r->perf_names[s]);
		for (size_t i = 0; i < g.l.n; i++) {
			const struct zc_rcell *c = &r->cells[g.l.slots[i].cell];
			const json_t *v = c->perf ? json_object_get(c->perf, r->perf_names[s]) : NULL;
			struct zc_val y =
				json_is_number(v) && json_number_value(v) > 0 ? val(json_number_value(v)) : none;
			zc_sb_printf(&g.b, "%.4f", cluster_x(g.l.slots[i].x, slot_of[s], ndrawn));
			zc_fig_num(&g.b, y, 1);
			zc_sb_puts(&g.b, " NaN NaN \"\"");
			row_end(&g.b, c);
		}
	}
	return bar_finish(x, &g);
}

static int victim_figure(struct wctx *x)
{
	struct zc_report *r = x->r;
	struct bar g;
	int k = bar_start(x, &g, "victim", "victim.gp", "%s: cache pollution seen by a victim", has_victim,
			  "Cache pollution seen by a victim: not measured (it runs only with zcbench run --victim N).",
			  SEES_COLUMNS("ratio NaN NaN"));
	if (k <= 0)
		return k;
	note_lacking(x, &g, has_victim, "Not measured for ");
	snprintf(g.fig->caption, sizeof g.fig->caption,
		 "A victim's time per cache line while the copy ran, over its time alone: 1 means the copy left the "
		 "victim's cache alone.");
	sees_series(&g.b, r, &g.l, victim_value);
	return bar_finish(x, &g);
}

static int wholeprocess_figure(struct wctx *x)
{
	struct zc_report *r = x->r;
	if (count_ok(r, x->w, has_hf) == 0)
		return 0; /* hyperfine did not run: nothing to say */
	struct bar g;
	int k = bar_start(x, &g, "wholeprocess", "wholeprocess.gp",
			  "%s: in-process and whole-process throughput (GB/s)", has_hf, "",
			  "# blocks 0, 1: the bar layout (plots/strategy_bars.gp)\n# blocks 2-3 (in-process, whole "
			  "process): x GBps low_GBps high_GBps \"text\" file; x is offset within the bar's slot\n");
	if (k <= 0)
		return k;
	note_lacking(x, &g, has_hf, "No whole-process timing for ");
	snprintf(g.fig->caption, sizeof g.fig->caption,
		 "Green: the median of the in-process copy windows with its confidence interval. Purple: the bytes "
		 "of one run over the median wall time of the whole `zcbench run` process under hyperfine (start-up, "
		 "set-up, one verified copy, exit), error bars from its fastest and slowest run.");
	static const char *const hf_titles[] = {"in-process (copy window)", "whole process (hyperfine)"};
	for (size_t s = 0; s < 2; s++) {
		series_start(&g.b, hf_titles[s]);
		for (size_t i = 0; i < g.l.n; i++) {
			const struct zc_rcell *c = &r->cells[g.l.slots[i].cell];
			struct zc_val v, lo, hi;
			if (s == 0) {
				v = c->tput, lo = c->tput_lo, hi = c->tput_hi;
			} else {
				v = zc_cell_hf_bps(c);
				lo = v.ok && c->hf_max.ok && c->hf_max.v > 0 ? val(c->size.v * 1e9 / c->hf_max.v)
									     : none;
				hi = v.ok && c->hf_min.ok && c->hf_min.v > 0 ? val(c->size.v * 1e9 / c->hf_min.v)
									     : none;
			}
			zc_sb_printf(&g.b, "%.4f", cluster_x(g.l.slots[i].x, s, 2));
			zc_fig_num(&g.b, v, 1e-9);
			zc_fig_num(&g.b, lo, 1e-9);
			zc_fig_num(&g.b, hi, 1e-9);
			char t[32] = "";
			if (v.ok)
				snprintf(t, sizeof t, "%.2f", v.v / 1e9);
			zc_sb_puts(&g.b, " ");
			zc_fig_label(&g.b, t);
			row_end(&g.b, c);
		}
	}
	return bar_finish(x, &g);
}

static int workload_figures(struct zc_report *r, size_t w, const char *out_dir, char *err, size_t err_len)
{
	char sfx[100];
	zc_workload_suffix(r, w, sfx, sizeof sfx);
	struct wctx x = {r, w, r->workloads[w], sfx, out_dir, err, err_len};
	if (count_ok(r, w, has_tput) == 0) /* without ok cells no figure has anything */
		return throughput_figure(&x) < 0 ? -1 : 0;
	struct layout l;
	if (layout_workload(r, w, has_tput, &l) != 0) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	if (throughput_figure(&x) < 0 || sweep_figure(r, w, &l, sfx, out_dir, err, err_len) < 0) {
		layout_free(&l);
		return -1;
	}
	layout_free(&l);
	if (syscalls_figure(&x) < 0 || ctxsw_figure(&x) < 0 || cpu_figure(&x) < 0 || crossing_figure(&x) < 0 ||
	    perf_figure(&x) < 0 || victim_figure(&x) < 0 || wholeprocess_figure(&x) < 0)
		return -1;
	return 0;
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
		zc_workload_suffix(r, w, sfx, sizeof sfx);
		if (zc_shutdown_in_workload(r, w) && zc_shutdown_figures(r, w, sfx, out_dir, err, err_len) != 0)
			return -1;
	}
	return 0;
}
