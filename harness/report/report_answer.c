/* The answer first (report_answer.h). The ratio bars are plain HTML: a
 * log-scale track per workload, a bar from 1 to the ratio coloured by
 * whether the strategy sees the data, the interval as a thin line over it.
 * Nothing here is computed from medians when a file has no verdicts: the
 * page says so instead. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_answer.h"
#include "report_compare.h"
#include "report_verdicts.h"

#define MAXV 256 /* verdicts shown per file and workload (a matrix has far fewer) */

static const char *kind_tag(int sees)
{
	return sees == 1   ? "<span class=\"tag sees\">sees</span>"
	       : sees == 0 ? "<span class=\"tag blind\">blind</span>"
			   : "<span class=\"tag\">?</span>";
}

static const char *kind_class(int sees)
{
	return sees == 1 ? "sees" : sees == 0 ? "blind" : "other";
}

/* The log-scale track of one table: [lo, hi] around 1. */
struct track {
	double lo, hi;
};

static void track_take(struct track *t, double v)
{
	if (v > 0 && isfinite(v)) {
		if (v < t->lo)
			t->lo = v;
		if (v > t->hi)
			t->hi = v;
	}
}

static double pos(const struct track *t, double v)
{
	double a = log(t->lo), z = log(t->hi);
	double p = (log(v) - a) / (z - a) * 100;
	return p < 0 ? 0 : p > 100 ? 100 : p;
}

static void track_pad(struct track *t)
{
	/* Some room either side, and never narrower than 0.8-1.25. */
	if (t->lo > 0.8)
		t->lo = 0.8;
	if (t->hi < 1.25)
		t->hi = 1.25;
	t->lo /= 1.08;
	t->hi *= 1.08;
}

/* One bar: from 1 to the ratio, the interval over it. */
static void bar(struct zc_sbuf *b, const struct track *t, int sees, double ratio, bool iv, double lo, double hi)
{
	double one = pos(t, 1), p = pos(t, ratio);
	double left = p < one ? p : one, width = fabs(p - one);
	zc_sb_printf(b, "<td class=\"track\"><div class=\"trk\"><span class=\"one\" style=\"left:%.2f%%\"></span>",
		     one);
	zc_sb_printf(b, "<span class=\"bar %s\" style=\"left:%.2f%%;width:%.2f%%\"></span>", kind_class(sees), left,
		     width < 0.4 ? 0.4 : width);
	if (iv)
		zc_sb_printf(b, "<span class=\"ci\" style=\"left:%.2f%%;width:%.2f%%\"></span>", pos(t, lo),
			     pos(t, hi) - pos(t, lo));
	zc_sb_puts(b, "</div></td>");
}

static void track_axis(struct zc_sbuf *b, const struct track *t)
{
	/* Tick labels at round ratios inside the track. */
	static const double ticks[] = {0.1, 0.25, 0.5, 0.8, 1, 1.25, 2, 4, 10};
	zc_sb_puts(b, "<div class=\"axis\">");
	for (size_t i = 0; i < sizeof ticks / sizeof ticks[0]; i++)
		if (ticks[i] > t->lo && ticks[i] < t->hi)
			zc_sb_printf(b, "<span style=\"left:%.2f%%\">%g&times;</span>", pos(t, ticks[i]), ticks[i]);
	zc_sb_puts(b, "</div>");
}

static void fmt_ratio(char *buf, size_t len, double v)
{
	snprintf(buf, len, v < 10 ? "%.2f" : "%.1f", v);
}

static const char *verdict_text(const struct zc_rverdict *v, bool self)
{
	if (self)
		return "baseline";
	if (v->faster == 1)
		return "faster";
	if (v->faster == 0)
		return "slower";
	return "undecided";
}

static void bytes_text(double v, char *buf, size_t len)
{
	char t[32];
	zc_fmt_bytes_short(v, t, sizeof t);
	size_t n = strlen(t);
	if (n && t[n - 1] >= 'A' && t[n - 1] <= 'Z')
		snprintf(buf, len, "%.*s %ciB", (int)(n - 1), t, t[n - 1]);
	else
		snprintf(buf, len, "%s B", t);
}

static bool same_chunk(const struct zc_report *r, const size_t *idx, size_t n)
{
	const struct zc_rverdict *v0 = &r->verdicts[idx[0]];
	for (size_t i = 1; i < n; i++) {
		const struct zc_rverdict *v = &r->verdicts[idx[i]];
		if (v->chunk.ok != v0->chunk.ok || v->chunk.v != v0->chunk.v)
			return false;
	}
	return true;
}

/* What the verdicts of one file and workload were measured with: chunk and
 * size (one value, or "per row" when they differ), baseline, rounds, method. */
static void meta_line(struct zc_sbuf *b, const struct zc_report *r, const size_t *idx, size_t n, bool html)
{
	const struct zc_rverdict *v0 = &r->verdicts[idx[0]];
	bool same_size = true;
	for (size_t i = 1; i < n; i++) {
		const struct zc_rverdict *v = &r->verdicts[idx[i]];
		same_size &= v->size.ok == v0->size.ok && v->size.v == v0->size.v;
	}
	char t[32];
	zc_sb_puts(b, html ? "<p class=\"meta\">" : "");
	if (same_chunk(r, idx, n) && v0->chunk.ok) {
		bytes_text(v0->chunk.v, t, sizeof t);
		zc_sb_printf(b, "chunk %s", t);
	} else {
		zc_sb_puts(b, "chunk per strategy (in its row)");
	}
	if (same_size && v0->size.ok) {
		bytes_text(v0->size.v, t, sizeof t);
		zc_sb_printf(b, " · %s per run", t);
	}
	if (v0->baseline) {
		zc_sb_puts(b, " · ratios against ");
		html ? zc_sb_html(b, v0->baseline) : zc_sb_md(b, v0->baseline);
	}
	if (v0->rounds.ok)
		zc_sb_printf(b, " · %.0f paired rounds", v0->rounds.v);
	if (v0->method) {
		zc_sb_puts(b, " · intervals: ");
		html ? zc_sb_html(b, v0->method) : zc_sb_md(b, v0->method);
		if (v0->level.ok)
			zc_sb_printf(b, " at %.1f%%", v0->level.v * 100);
	}
	zc_sb_puts(b, html ? "</p>\n" : "\n\n");
}

static bool is_self(const struct zc_rverdict *v)
{
	return v->baseline && strcmp(v->baseline, v->strategy) == 0;
}

/* The label a verdict row shows: its cell's (strategy and the params that
 * tell it apart) or the strategy. */
static const char *row_label(const struct zc_report *r, const struct zc_rverdict *v)
{
	return v->cell >= 0 ? r->cells[v->cell].label : v->strategy;
}

/* The price of control as the verdict table's last row, on the same track
 * (so its bar reads on the same scale), or a line saying why there is none. */
static void price_html(struct zc_sbuf *b, const struct zc_report *r, size_t f, size_t w, const struct track *t)
{
	struct zc_price p;
	zc_price_of_control(r, f, w, &p);
	if (!p.ok) {
		zc_sb_puts(b, "<tr class=\"price\"><td class=\"rank\"></td><td colspan=\"5\" class=\"na\">");
		zc_sb_html(b, p.why);
		zc_sb_puts(b, ".</td></tr>\n");
		return;
	}
	const struct zc_rverdict *s = &r->verdicts[p.seeing], *bl = &r->verdicts[p.blind];
	char rt[32], lo[32], hi[32];
	fmt_ratio(rt, sizeof rt, p.ratio);
	zc_sb_puts(b, "<tr class=\"price\"><td class=\"rank\"></td><td class=\"who\"><b>Price of control</b><br>"
		      "<span class=\"small\">");
	zc_sb_html(b, row_label(r, s));
	zc_sb_puts(b, " over ");
	zc_sb_html(b, row_label(r, bl));
	zc_sb_puts(
		b,
		"</span></td><td><span class=\"tag sees\">sees</span><br><span class=\"tag blind\">blind</span></td>");
	bar(b, t, -1, p.ratio, p.has_interval, p.lo, p.hi); /* grey: neither kind, a quotient of both */
	zc_sb_printf(b, "<td class=\"n\">%s&times;", rt);
	if (p.has_interval) {
		fmt_ratio(lo, sizeof lo, p.lo);
		fmt_ratio(hi, sizeof hi, p.hi);
		zc_sb_printf(b, "<br><span class=\"small\">%s&ndash;%s</span>", lo, hi);
	}
	zc_sb_puts(b, "</td><td class=\"what\">");
	if (p.ratio < 1)
		zc_sb_printf(b, "seeing the bytes costs %.0f%%", (1 - p.ratio) * 100);
	else
		zc_sb_printf(b, "seeing costs nothing: %.0f%% faster", (p.ratio - 1) * 100);
	if (p.has_interval) {
		zc_sb_printf(b, "<br><span class=\"small\">interval &ge;%.0f%% (Bonferroni)</span>", p.level * 100);
		if (p.lo <= 1 && p.hi >= 1)
			zc_sb_puts(b, "<br><span class=\"warn\">holds 1: undecided</span>");
	}
	zc_sb_puts(b, "</td></tr>\n");
}

static void file_heading(struct zc_sbuf *b, const struct zc_report *r, size_t f)
{
	if (r->nfiles > 1) {
		zc_sb_printf(b, "<h4>File %zu: ", f + 1);
		zc_sb_html(b, r->files[f].label);
		zc_sb_puts(b, "</h4>\n");
	}
}

static void workload_answer_html(struct zc_sbuf *b, const struct zc_report *r, size_t w)
{
	zc_sb_puts(b, "<div class=\"wl\"><h3>");
	zc_sb_html(b, r->workloads[w]);
	zc_sb_printf(b, " <a class=\"small\" href=\"#w%zu\">detail</a></h3>\n", w + 1);
	for (size_t f = 0; f < r->nfiles; f++) {
		file_heading(b, r, f);
		if (!r->files[f].has_verdicts) {
			zc_sb_puts(b, "<p class=\"na\">No verdicts in this file (older zcbench): the ranking needs "
				      "paired rounds, which only a newer <code>zcbench run</code> records. The detail "
				      "below has the medians.</p>\n");
			continue;
		}
		size_t idx[MAXV];
		size_t n = zc_verdicts_of(r, f, w, idx, MAXV);
		if (n == 0) {
			zc_sb_puts(b, "<p class=\"na\">No verdict for this workload in this file (its strategies "
				      "failed, were skipped, or it ran alone).</p>\n");
			continue;
		}
		struct track t = {1, 1};
		for (size_t i = 0; i < n; i++) {
			const struct zc_rverdict *v = &r->verdicts[idx[i]];
			track_take(&t, v->ratio.v);
			if (v->lo.ok)
				track_take(&t, v->lo.v);
			if (v->hi.ok)
				track_take(&t, v->hi.v);
		}
		struct zc_price p;
		zc_price_of_control(r, f, w, &p);
		if (p.ok) {
			track_take(&t, p.ratio);
			if (p.has_interval) {
				track_take(&t, p.lo);
				track_take(&t, p.hi);
			}
		}
		track_pad(&t);
		meta_line(b, r, idx, n, true);
		bool chunk_same = same_chunk(r, idx, n);
		zc_sb_puts(b, "<table class=\"verdicts\"><tr><th class=\"rank\">#</th><th class=\"who\">strategy</th>"
			      "<th>data</th><th class=\"track\">");
		track_axis(b, &t);
		zc_sb_puts(b, "</th><th class=\"n\">ratio</th><th class=\"what\">verdict</th></tr>\n");
		for (size_t i = 0; i < n; i++) {
			const struct zc_rverdict *v = &r->verdicts[idx[i]];
			char rt[32], lo[32], hi[32];
			fmt_ratio(rt, sizeof rt, v->ratio.v);
			zc_sb_puts(b, "<tr><td class=\"rank\">");
			if (v->rank.ok)
				zc_sb_printf(b, "%.0f", v->rank.v);
			/* The path (what the kernel did) as a tooltip: the rows stay one line. */
			zc_sb_puts(b, "</td><td class=\"who\"");
			if (v->cell >= 0 && r->cells[v->cell].path) {
				zc_sb_puts(b, " title=\"");
				zc_sb_html(b, r->cells[v->cell].path);
				zc_sb_puts(b, "\"");
			}
			zc_sb_puts(b, ">");
			zc_sb_html(b, row_label(r, v));
			if (!chunk_same && v->chunk.ok) {
				char ct[32];
				bytes_text(v->chunk.v, ct, sizeof ct);
				zc_sb_printf(b, " <span class=\"small\">%s</span>", ct);
			}
			zc_sb_printf(b, "</td><td>%s</td>", kind_tag(v->sees));
			bar(b, &t, v->sees, v->ratio.v, v->lo.ok && v->hi.ok, v->lo.v, v->hi.v);
			zc_sb_printf(b, "<td class=\"n\">%s&times;", rt);
			if (v->lo.ok && v->hi.ok && !is_self(v)) {
				fmt_ratio(lo, sizeof lo, v->lo.v);
				fmt_ratio(hi, sizeof hi, v->hi.v);
				zc_sb_printf(b, "<br><span class=\"small\">%s&ndash;%s</span>", lo, hi);
			}
			const char *vt = verdict_text(v, is_self(v));
			zc_sb_printf(b, "</td><td class=\"what %s\">%s</td></tr>\n",
				     strcmp(vt, "faster") == 0	 ? "ok"
				     : strcmp(vt, "slower") == 0 ? "bad"
								 : "na",
				     vt);
		}
		price_html(b, r, f, w, &t);
		zc_sb_puts(b, "</table>\n");
	}
	zc_compare_html(b, r, w);
	zc_sb_puts(b, "</div>\n");
}

void zc_answer_html(struct zc_sbuf *b, const struct zc_report *r)
{
	zc_sb_puts(b, "<section id=\"answer\"><h2>Which strategy, per workload</h2>\n"
		      "<p class=\"lead\">Each bar is a strategy's throughput against the baseline's, round by round "
		      "(the median of the per-round ratios; log scale, 1&times; = as fast as the baseline), the "
		      "thin line its interval. <span class=\"tag sees\">sees</span> strategies pass the bytes "
		      "through user memory and could inspect them; <span class=\"tag blind\">blind</span> ones "
		      "leave it to the kernel. The <b>price of control</b> is the best seeing strategy's "
		      "throughput over the best blind one's on the same workload.</p>\n");
	if (r->nworkloads == 0)
		zc_sb_puts(b, "<p class=\"na\">The result files hold no cells.</p>\n");
	for (size_t w = 0; w < r->nworkloads; w++)
		workload_answer_html(b, r, w);
	zc_sb_puts(b, "</section>\n");
}

/* ---- warnings ---- */

static void warn_item(struct zc_sbuf *b, bool html, const struct zc_report *r, size_t f, const char *code,
		      const char *where, const char *msg)
{
	zc_sb_puts(b, html ? "<li>" : "- ");
	if (r->nfiles > 1) {
		zc_sb_printf(b, html ? "<span class=\"small\">file %zu</span> " : "file %zu: ", f + 1);
	}
	if (where) {
		zc_sb_puts(b, html ? "<b>" : "**");
		html ? zc_sb_html(b, where) : zc_sb_md(b, where);
		zc_sb_puts(b, html ? "</b>: " : "**: ");
	}
	html ? zc_sb_html(b, msg) : zc_sb_md(b, msg);
	if (code) {
		zc_sb_puts(b, html ? " <code>" : " (`");
		html ? zc_sb_html(b, code) : zc_sb_md(b, code);
		zc_sb_puts(b, html ? "</code>" : "`)");
	}
	zc_sb_puts(b, html ? "</li>\n" : "\n");
}

/* Every warning of the files: their own (top-level and per cell) and what
 * the report sees in them (interrupted, probes off). Returns how many. */
static size_t each_warning(struct zc_sbuf *b, bool html, const struct zc_report *r)
{
	size_t n = 0;
	for (size_t f = 0; f < r->nfiles; f++) {
		const struct zc_rfile *file = &r->files[f];
		if (file->interrupted) {
			warn_item(b, html, r, f, NULL, NULL, "interrupted: partial results");
			n++;
		}
		for (size_t i = 0; i < json_array_size(file->warnings); i++) {
			const json_t *wj = json_array_get(file->warnings, i);
			const char *msg = zc_jstr(wj, "message");
			if (msg) {
				warn_item(b, html, r, f, zc_jstr(wj, "code"), NULL, msg);
				n++;
			}
		}
		char probe[512];
		zc_probe_note(file, probe, sizeof probe);
		if (strcmp(probe, "ok") != 0) {
			char t[600];
			snprintf(t, sizeof t,
				 "eBPF probe %s: syscalls, context switches and bytes crossing are not "
				 "measured",
				 probe);
			warn_item(b, html, r, f, NULL, NULL, t);
			n++;
		}
	}
	for (size_t i = 0; i < r->ncells; i++) {
		const struct zc_rcell *c = &r->cells[i];
		const json_t *ws = json_object_get(c->j, "warnings");
		for (size_t k = 0; k < json_array_size(ws); k++) {
			const json_t *wj = json_array_get(ws, k);
			const char *msg = zc_jstr(wj, "message");
			if (!msg)
				continue;
			char where[400];
			snprintf(where, sizeof where, "%s / %s", c->workload_name, c->label);
			warn_item(b, html, r, c->file, zc_jstr(wj, "code"), where, msg);
			n++;
		}
	}
	char perf[1024];
	zc_perf_missing_note(r, perf, sizeof perf);
	if (perf[0]) {
		char t[1100];
		snprintf(t, sizeof t, "Hardware counters: %s", perf);
		warn_item(b, html, r, 0, NULL, NULL, t);
		n++;
	}
	return n;
}

void zc_warnings_html(struct zc_sbuf *b, const struct zc_report *r)
{
	zc_sb_puts(b, "<section id=\"warnings\"><h2>Noise and machine warnings</h2>\n<ul class=\"warnings\">\n");
	if (each_warning(b, true, r) == 0)
		zc_sb_puts(b, "<li class=\"ok\">None recorded.</li>\n");
	zc_sb_puts(b, "</ul>\n");
	for (size_t f = 0; f < r->nfiles; f++)
		if (!r->files[f].warnings) {
			zc_sb_puts(b, "<p class=\"small na\">");
			if (r->nfiles > 1)
				zc_sb_printf(b, "File %zu: ", f + 1);
			zc_sb_puts(b, "no warnings array in this file (older zcbench): its run's noise checks are "
				      "not recorded.</p>\n");
		}
	zc_sb_puts(b, "</section>\n");
}

void zc_warnings_md(struct zc_sbuf *b, const struct zc_report *r)
{
	zc_sb_puts(b, "\n### Noise and machine warnings\n\n");
	if (each_warning(b, false, r) == 0)
		zc_sb_puts(b, "None recorded.\n");
}

/* ---- Markdown ---- */

/* A ratio as a short text bar for Markdown: ▇ per 10% away from 1. */
static void md_bar(struct zc_sbuf *b, double ratio)
{
	double l = log2(ratio);
	int n = (int)lround(fabs(l) * 10);
	if (n > 20)
		n = 20;
	if (n == 0) {
		zc_sb_puts(b, "·");
		return;
	}
	zc_sb_puts(b, l < 0 ? "−" : "+");
	for (int i = 0; i < n; i++)
		zc_sb_puts(b, "▇");
}

void zc_answer_md(struct zc_sbuf *b, const struct zc_report *r)
{
	zc_sb_puts(b, "## Which strategy, per workload\n\nThroughput against the baseline, paired round by round "
		      "(median of the per-round ratios, with its interval). *sees*: the bytes pass through user "
		      "memory; *blind*: the kernel moves them. Price of control: the best seeing strategy over the "
		      "best blind one.\n");
	for (size_t w = 0; w < r->nworkloads; w++) {
		zc_sb_puts(b, "\n### ");
		zc_sb_md(b, r->workloads[w]);
		zc_sb_puts(b, "\n\n");
		for (size_t f = 0; f < r->nfiles; f++) {
			if (r->nfiles > 1) {
				zc_sb_printf(b, "**File %zu: ", f + 1);
				zc_sb_md(b, r->files[f].label);
				zc_sb_puts(b, "**\n\n");
			}
			if (!r->files[f].has_verdicts) {
				zc_sb_puts(b, "No verdicts in this file (older zcbench).\n\n");
				continue;
			}
			size_t idx[MAXV];
			size_t n = zc_verdicts_of(r, f, w, idx, MAXV);
			if (n == 0) {
				zc_sb_puts(b, "No verdict for this workload in this file.\n\n");
				continue;
			}
			meta_line(b, r, idx, n, false);
			zc_sb_puts(b, "| # | strategy | data | ratio | interval | verdict | vs baseline "
				      "|\n|--:|---|---|--:|--:|---|---|\n");
			for (size_t i = 0; i < n; i++) {
				const struct zc_rverdict *v = &r->verdicts[idx[i]];
				char rt[32], lo[32], hi[32];
				fmt_ratio(rt, sizeof rt, v->ratio.v);
				zc_sb_puts(b, "| ");
				if (v->rank.ok)
					zc_sb_printf(b, "%.0f", v->rank.v);
				zc_sb_puts(b, " | ");
				zc_sb_md(b, row_label(r, v));
				if (!same_chunk(r, idx, n) && v->chunk.ok) {
					char ct[32];
					bytes_text(v->chunk.v, ct, sizeof ct);
					zc_sb_printf(b, " (%s)", ct);
				}
				zc_sb_printf(b, " | %s | %s× |",
					     v->sees == 1   ? "sees"
					     : v->sees == 0 ? "blind"
							    : "?",
					     rt);
				if (v->lo.ok && v->hi.ok && !is_self(v)) {
					fmt_ratio(lo, sizeof lo, v->lo.v);
					fmt_ratio(hi, sizeof hi, v->hi.v);
					zc_sb_printf(b, " %s–%s |", lo, hi);
				} else {
					zc_sb_puts(b, " – |");
				}
				const char *vt = verdict_text(v, is_self(v));
				bool strong = strcmp(vt, "faster") == 0 || strcmp(vt, "slower") == 0;
				zc_sb_printf(b, " %s%s%s | ", strong ? "**" : "", vt, strong ? "**" : "");
				md_bar(b, v->ratio.v);
				zc_sb_puts(b, " |\n");
			}
			struct zc_price p;
			zc_price_of_control(r, f, w, &p);
			if (!p.ok) {
				zc_sb_printf(b, "\n%s.\n\n", p.why);
				continue;
			}
			char rt[32], lo[32], hi[32];
			fmt_ratio(rt, sizeof rt, p.ratio);
			zc_sb_puts(b, "\n**Price of control:** ");
			zc_sb_md(b, row_label(r, &r->verdicts[p.seeing]));
			zc_sb_puts(b, " (best seeing) runs at **");
			zc_sb_printf(b, "%s×**", rt);
			zc_sb_puts(b, " the throughput of ");
			zc_sb_md(b, row_label(r, &r->verdicts[p.blind]));
			zc_sb_puts(b, " (best blind)");
			if (p.has_interval) {
				fmt_ratio(lo, sizeof lo, p.lo);
				fmt_ratio(hi, sizeof hi, p.hi);
				zc_sb_printf(b, ", interval %s–%s (coverage ≥ %.0f%%, Bonferroni)", lo, hi,
					     p.level * 100);
			}
			if (p.ratio < 1)
				zc_sb_printf(b, ": seeing the bytes costs %.0f%%", (1 - p.ratio) * 100);
			else
				zc_sb_printf(b, ": seeing costs nothing here (%.0f%% faster)", (p.ratio - 1) * 100);
			if (p.has_interval && p.lo <= 1 && p.hi >= 1)
				zc_sb_puts(b, ", undecided (the interval holds 1)");
			zc_sb_puts(b, ".\n\n");
		}
		zc_compare_md(b, r, w);
	}
}
