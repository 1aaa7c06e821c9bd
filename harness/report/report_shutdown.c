/* The shutdown benchmark in the report (`zcbench run --shutdown-after DUR`):
 * per workload one data file drawn twice by plots/shutdown.gp (the time from
 * the signal to the exit, and the bytes in flight, drained and stranded), and
 * its table in index.html and summary.md. A file without summary.shutdown in
 * any cell gets none of this. The figures come from report_shutdown_load.c. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../options.h"
#include "report_figdata.h"
#include "report_shutdown.h"

#define MIB 1048576.0

static struct zc_val val_of(double v)
{
	struct zc_val x = {true, v};
	return x;
}

/* A duration for text: "100 ms", "2 s", "1.5 ms". */
static void fmt_dur(double ns, char *buf, size_t len)
{
	if (ns >= 1e9 && fmod(ns, 1e9) == 0)
		snprintf(buf, len, "%.0f s", ns / 1e9);
	else if (ns >= 1e6)
		snprintf(buf, len, "%g ms", ns / 1e6);
	else
		snprintf(buf, len, "%g us", ns / 1e3);
}

/* Milliseconds in a table: two decimals below 10 ms, one above. */
static void fmt_ms(double ns, char *buf, size_t len)
{
	double ms = ns / 1e6;
	snprintf(buf, len, ms < 10 ? "%.2f" : "%.1f", ms);
}

/* Bytes above a bar, short: "0", "812", "6.5K", "467K", "4.0M", "11M". */
static void fmt_bytes_tiny(double v, char *buf, size_t len)
{
	if (v < 1024)
		snprintf(buf, len, "%.0f", v);
	else if (v < MIB)
		snprintf(buf, len, v < 10 * 1024 ? "%.1fK" : "%.0fK", v / 1024);
	else
		snprintf(buf, len, v < 10 * MIB ? "%.1fM" : "%.0fM", v / MIB);
}

static void fmt_bytes(double v, char *buf, size_t len)
{
	zc_format_bytes(v > 0 ? (uint64_t)(v + 0.5) : 0, buf, len);
}

/* What tells one invocation's shutdown runs from another's, short. */
static void variant(const struct zc_rfile *f, char *buf, size_t len)
{
	char d[32];
	if (!f->shutdown.on) {
		snprintf(buf, len, "settings not recorded");
	} else if (f->shutdown.deadlines) {
		fmt_dur(f->shutdown.checkpoint_ns, d, sizeof d);
		snprintf(buf, len, "checkpoint %s", d);
	} else {
		fmt_dur(f->shutdown.kill_after_ns, d, sizeof d);
		snprintf(buf, len, "no deadlines, kill after %s", d);
	}
}

/* Whether the shutdown cells of workload w come from more than one file. */
static bool several_files(const struct zc_report *r, size_t w)
{
	size_t first = (size_t)-1;
	for (size_t i = 0; i < r->ncells; i++) {
		const struct zc_rcell *c = &r->cells[i];
		if (c->workload != w || !c->sd)
			continue;
		if (first == (size_t)-1)
			first = c->file;
		else if (c->file != first)
			return true;
	}
	return false;
}

/* Whether file f has shutdown cells in workload w. */
static bool file_in_workload(const struct zc_report *r, size_t w, size_t f)
{
	for (size_t i = 0; i < r->ncells; i++)
		if (r->cells[i].workload == w && r->cells[i].file == f && r->cells[i].sd)
			return true;
	return false;
}

/* A file group's label in the figures: its variant, after the file's label
 * when the workload has several. */
static void group_label(const struct zc_report *r, size_t w, size_t f, char *buf, size_t len)
{
	char v[96];
	variant(&r->files[f], v, sizeof v);
	if (several_files(r, w))
		snprintf(buf, len, "%.120s: %s", r->files[f].label, v);
	else
		snprintf(buf, len, "%s", v);
}

/* Where a bar sits: the shutdown cells of workload w grouped by file, a
 * gap between files, as the other bar figures lay theirs out. */
struct sd_slot {
	const struct zc_rcell *c;
	double x;
};

static size_t layout(const struct zc_report *r, size_t w, struct sd_slot *slots)
{
	size_t n = 0;
	double x = 0;
	for (size_t f = 0; f < r->nfiles; f++) {
		size_t first = n;
		for (size_t i = 0; i < r->ncells; i++) {
			const struct zc_rcell *c = &r->cells[i];
			if (c->file != f || c->workload != w || !c->sd)
				continue;
			slots[n].c = c;
			slots[n++].x = ++x;
		}
		if (n > first)
			x += 1;
	}
	return n;
}

/* A cell's state in the time figure: 0 every signalled run stopped and
 * exited by itself, 1 some run was killed, 2 no run was signalled (all
 * finished first) or the summary has no exit time. */
static int time_state(const struct zc_rcell *c)
{
	if (!c->sd_exit.ok)
		return 2;
	return c->sd_killed.ok && c->sd_killed.v > 0 ? 1 : 0;
}

int zc_shutdown_figures(struct zc_report *r, size_t w, const char *sfx, const char *out_dir, char *err, size_t err_len)
{
	const char *wname = r->workloads[w];
	struct sd_slot *slots = calloc(r->ncells ? r->ncells : 1, sizeof *slots);
	if (!slots) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	size_t n = layout(r, w, slots);
	struct zc_sbuf b;
	zc_sb_init(&b);
	char title[256], label[256], t[64], data[192];
	snprintf(data, sizeof data, "shutdown-%s", sfx);
	snprintf(title, sizeof title, "%s: shutdown", wname);
	zc_fig_header(&b, r, title,
		      "# One data file for two figures (plots/shutdown.gp): EXTRA \"time ...\" draws blocks 2-3,\n"
		      "# \"bytes UNIT\" block 4.\n"
		      "# block 0: file groups: x_centre \"label\"\n"
		      "# block 1: bars: x \"cell\"\n"
		      "# block 2: reference lines, one per file group: x_lo x_hi checkpoint_ms kill_bound_ms\n"
		      "#          (NaN where not drawn: no checkpoint without deadlines; the kill bound only\n"
		      "#          where a run was killed)\n"
		      "# block 3: time from the signal: x state exit_median_ms exit_max_ms stop_median_ms "
		      "stop_max_ms text_y_ms \"text\" \"killed text\" \"max text\"\n"
		      "#          state: 0 every signalled run exited by itself, 1 some run was killed, 2 no "
		      "signalled run;\n"
		      "#          text_y_ms: where the text goes (the median, else the bottom of the axis); the "
		      "max text\n"
		      "#          goes above the whisker, where the slowest run was well above the median\n"
		      "# block 4: bytes (in UNIT, see EXTRA): x in_flight_median in_flight_max drained_median "
		      "drained_max stranded_median stranded_max \"in flight\" \"drained\" \"stranded\" \"note\"\n");

	/* Blocks 0 and 1: the groups and the bars. */
	zc_sb_puts(&b, "\n# block 0\n");
	for (size_t i = 0; i < n;) {
		size_t k = i;
		while (k + 1 < n && slots[k + 1].c->file == slots[i].c->file)
			k++;
		group_label(r, w, slots[i].c->file, label, sizeof label);
		zc_sb_printf(&b, "%g ", (slots[i].x + slots[k].x) / 2);
		zc_fig_tic_label(&b, label);
		zc_sb_puts(&b, "\n");
		i = k + 1;
	}
	zc_sb_puts(&b, "\n\n# block 1\n");
	for (size_t i = 0; i < n; i++) {
		zc_sb_printf(&b, "%g ", slots[i].x);
		zc_fig_tic_label(&b, slots[i].c->label);
		zc_sb_puts(&b, "\n");
	}

	/* Block 2: the checkpoint and the kill bound of each group, and the
	 * range of the values, to choose the scale. */
	double lo = INFINITY, hi = 0;
	zc_sb_puts(&b, "\n\n# block 2\n");
	for (size_t i = 0; i < n;) {
		size_t k = i;
		bool killed = false;
		for (; k < n && slots[k].c->file == slots[i].c->file; k++)
			killed |= time_state(slots[k].c) == 1;
		const struct zc_rshutdown_opts *o = &r->files[slots[i].c->file].shutdown;
		struct zc_val cp = {o->on && o->deadlines, o->checkpoint_ns};
		struct zc_val kb = {o->on && killed, o->kill_after_ns};
		zc_sb_printf(&b, "%g %g", slots[i].x - 0.45, slots[k - 1].x + 0.45);
		zc_fig_num(&b, cp, 1e-6);
		zc_fig_num(&b, kb, 1e-6);
		zc_sb_puts(&b, "\n");
		if (cp.ok)
			lo = fmin(lo, cp.v), hi = fmax(hi, cp.v);
		if (kb.ok)
			lo = fmin(lo, kb.v), hi = fmax(hi, kb.v);
		i = k;
	}

	/* Block 3: the times. The scale is chosen first: a wide range of times
	 * reads best on a log scale. */
	for (size_t i = 0; i < n; i++) {
		const struct zc_rcell *c = slots[i].c;
		if (c->sd_exit.ok && c->sd_exit.v > 0)
			lo = fmin(lo, c->sd_exit.v), hi = fmax(hi, c->sd_exit.v);
		if (c->sd_exit_max.ok)
			hi = fmax(hi, c->sd_exit_max.v);
	}
	bool log = hi > 0 && lo < INFINITY && hi / lo > 20;
	/* The bottom of a log axis, as plots/shutdown.gp sets it: the decade
	 * below a third of the shortest median. */
	double shortest = INFINITY;
	for (size_t i = 0; i < n; i++)
		if (slots[i].c->sd_exit.ok && slots[i].c->sd_exit.v > 0)
			shortest = fmin(shortest, slots[i].c->sd_exit.v);
	double bottom = log && shortest < INFINITY ? pow(10, floor(log10(shortest / 1e6 / 3))) : 0;
	zc_sb_puts(&b, "\n\n# block 3\n");
	for (size_t i = 0; i < n; i++) {
		const struct zc_rcell *c = slots[i].c;
		zc_sb_printf(&b, "%g %d", slots[i].x, time_state(c));
		zc_fig_num(&b, c->sd_exit, 1e-6);
		zc_fig_num(&b, c->sd_exit_max, 1e-6);
		zc_fig_num(&b, c->sd_stop, 1e-6);
		zc_fig_num(&b, c->sd_stop_max, 1e-6);
		zc_fig_num(&b, c->sd_exit.ok ? c->sd_exit : val_of(bottom * 1e6), 1e-6);
		if (c->sd_exit.ok)
			fmt_ms(c->sd_exit.v, t, sizeof t);
		else
			snprintf(t, sizeof t, "%s",
				 c->sd_before.ok && c->sd_before.v > 0 ? "finished before the signal" : "n/m");
		zc_sb_puts(&b, " ");
		zc_fig_label(&b, t);
		t[0] = 0;
		if (time_state(c) == 1)
			snprintf(t, sizeof t, "killed %.0f/%.0f", c->sd_killed.v, c->sd_runs.ok ? c->sd_runs.v : 0);
		zc_sb_puts(&b, " ");
		zc_fig_label(&b, t);
		t[0] = 0;
		if (c->sd_exit.ok && c->sd_exit_max.ok && c->sd_exit_max.v > 1.5 * c->sd_exit.v) {
			char ms[32];
			fmt_ms(c->sd_exit_max.v, ms, sizeof ms);
			snprintf(t, sizeof t, "max %s", ms);
		}
		zc_sb_puts(&b, " ");
		zc_fig_label(&b, t);
		zc_sb_puts(&b, "\n");
	}

	/* Block 4: the bytes, in MiB when any reaches one, else KiB. */
	double top = 0;
	for (size_t i = 0; i < n; i++) {
		const struct zc_rcell *c = slots[i].c;
		struct zc_val all[] = {c->sd_inflight, c->sd_inflight_max, c->sd_drained_max, c->sd_stranded_max};
		for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
			if (all[k].ok)
				top = fmax(top, all[k].v);
	}
	bool mib = top >= MIB;
	double scale = 1 / (mib ? MIB : 1024);
	zc_sb_printf(&b, "\n\n# block 4 (%s)\n", mib ? "MiB" : "KiB");
	for (size_t i = 0; i < n; i++) {
		const struct zc_rcell *c = slots[i].c;
		zc_sb_printf(&b, "%g", slots[i].x);
		struct zc_val v[] = {c->sd_inflight,	c->sd_inflight_max, c->sd_drained,
				     c->sd_drained_max, c->sd_stranded,	    c->sd_stranded_max};
		for (size_t k = 0; k < 6; k++)
			zc_fig_num(&b, v[k], scale);
		for (size_t k = 0; k < 6; k += 2) {
			t[0] = 0;
			if (v[k].ok)
				fmt_bytes_tiny(v[k].v, t, sizeof t);
			zc_sb_puts(&b, " ");
			zc_fig_label(&b, t);
		}
		/* Why a cell has no bars. */
		t[0] = 0;
		if (!c->sd_inflight.ok && !c->sd_stranded.ok)
			snprintf(t, sizeof t, "%s",
				 time_state(c) == 1   ? "killed"
				 : time_state(c) == 2 ? "not signalled"
						      : "not measured");
		zc_sb_puts(&b, " ");
		zc_fig_label(&b, t);
		zc_sb_puts(&b, "\n");
	}

	int rc = -1;
	char path[4096];
	snprintf(path, sizeof path, "%s/data/%s.dat", out_dir, data);
	if (b.oom) {
		snprintf(err, err_len, "out of memory");
		goto out;
	}
	if (zc_write_file(path, b.s, b.len, err, err_len) != 0)
		goto out;

	/* The figures; one with nothing to draw says why instead. */
	bool any_time = false, any_bytes = false, any_killed = false;
	for (size_t i = 0; i < n; i++) {
		const struct zc_rcell *c = slots[i].c;
		any_time |= c->sd_exit.ok;
		any_bytes |= c->sd_inflight.ok || c->sd_drained.ok || c->sd_stranded.ok;
		any_killed |= time_state(c) == 1;
	}
	char stem[192];
	struct zc_figure *fig;
	snprintf(stem, sizeof stem, "shutdown-time-%s", sfx);
	snprintf(title, sizeof title, "%s: time from SIGTERM to exit (ms)", wname);
	if (!any_time) {
		if (zc_fig_note(r, out_dir, stem, w, title,
				"Time from SIGTERM to exit: no run of this workload has one (every run finished "
				"before the signal was due).",
				err, err_len) != 0)
			goto out;
		r->figs[r->nfigs - 1].shutdown = true;
	} else {
		if (!(fig = zc_fig_add(r, stem, "shutdown.gp", w, title)))
			goto oom;
		fig->shutdown = true;
		snprintf(fig->data, sizeof fig->data, "%s", data);
		snprintf(fig->extra, sizeof fig->extra, "time %s", log ? "log" : "linear");
		snprintf(
			fig->caption, sizeof fig->caption,
			"Median time from sending SIGTERM to reaping the subject (ms%s), over the signalled runs; the "
			"whisker reaches the slowest run. Red bars: some run was still going at the kill bound and was "
			"killed, so its bar stands at the kill time. Dashed lines: the checkpoint (loops regain "
			"control "
			"at least this often) and, where a run was killed, the kill bound.",
			log ? ", log scale" : "");
	}
	snprintf(stem, sizeof stem, "shutdown-bytes-%s", sfx);
	snprintf(title, sizeof title, "%s: bytes at and after SIGTERM (%s)", wname, mib ? "MiB" : "KiB");
	if (!any_bytes) {
		if (zc_fig_note(r, out_dir, stem, w, title,
				any_killed ? "Bytes in flight, drained and stranded: not measured, every signalled run "
					     "was killed (a killed run reports no byte counts)."
					   : "Bytes in flight, drained and stranded: not in the result file.",
				err, err_len) != 0)
			goto out;
		r->figs[r->nfigs - 1].shutdown = true;
		rc = 0;
		goto out;
	}
	if (!(fig = zc_fig_add(r, stem, "shutdown.gp", w, title)))
		goto oom;
	fig->shutdown = true;
	snprintf(fig->data, sizeof fig->data, "%s", data);
	snprintf(fig->extra, sizeof fig->extra, "bytes %s", mib ? "MiB" : "KiB");
	snprintf(fig->caption, sizeof fig->caption,
		 "Per strategy, medians over the signalled runs with whiskers to the largest: bytes the "
		 "subject's descriptors held at the signal (pipes, unacknowledged send queues, source receive "
		 "queues), bytes it delivered after the signal while draining, and bytes it had taken from the "
		 "source that never reached the sink. A killed run reports none of them.");
	rc = 0;
	goto out;
oom:
	snprintf(err, err_len, "out of memory");
out:
	zc_sb_free(&b);
	free(slots);
	return rc;
}

/* The settings of each file with shutdown cells in workload w, one line
 * each (HTML or Markdown). */
static void settings_text(const struct zc_rfile *f, char *buf, size_t len)
{
	const struct zc_rshutdown_opts *o = &f->shutdown;
	if (!o->on) {
		snprintf(buf, len, "settings not recorded (no --shutdown-after in the command line)");
		return;
	}
	char after[32], cp[32], kill[32], stall[48] = "";
	fmt_dur(o->after_ns, after, sizeof after);
	fmt_dur(o->checkpoint_ns, cp, sizeof cp);
	fmt_dur(o->kill_after_ns, kill, sizeof kill);
	if (o->stall_bytes.ok)
		zc_format_bytes((uint64_t)o->stall_bytes.v, stall, sizeof stall);
	size_t k = (size_t)snprintf(buf, len, "SIGTERM %s after each run's copy window opened; ", after);
	if (k < len && o->stall_bytes.ok)
		k += (size_t)snprintf(buf + k, len - k, "the drain peer stops reading after %s per stream; ", stall);
	if (k < len && o->deadlines)
		k += (size_t)snprintf(buf + k, len - k, "loops regain control every %s (--checkpoint%s); ", cp,
				      o->checkpoint_set ? "" : ", the default");
	else if (k < len)
		k += (size_t)snprintf(buf + k, len - k,
				      "no deadlines (--no-deadlines, the blind variant): blocked calls are not "
				      "interrupted; ");
	if (k < len)
		snprintf(buf + k, len - k, "a subject still running %s after the signal is killed (--kill-after%s).",
			 kill, o->kill_after_set ? "" : ", the default");
}

/* How a page writes the settings list and the run column: HTML or
 * Markdown. */
struct markup {
	void (*text)(struct zc_sbuf *b, const char *s); /* escaped */
	const char *item, *item_end, *bold, *bold_end;
	const char *run, *run_sep, *run_end; /* around the file's label and variant */
};
static const struct markup html = {
	zc_sb_html, "<li>", "</li>\n", "<b>", "</b>", "<td>", "<br><span class=\"small\">", "</span></td>"};
static const struct markup md = {zc_sb_md, "- ", "\n", "**", "**", " ", ", ", " |"};

/* A row's run column: which file, which variant. */
static void run_cell(struct zc_sbuf *b, const struct zc_rfile *f, const struct markup *m)
{
	char v[96];
	variant(f, v, sizeof v);
	zc_sb_puts(b, m->run);
	m->text(b, f->label);
	zc_sb_puts(b, m->run_sep);
	m->text(b, v);
	zc_sb_puts(b, m->run_end);
}

/* The settings, once per file with shutdown cells in workload w. */
static void settings_items(struct zc_sbuf *b, const struct zc_report *r, size_t w, bool several, const struct markup *m)
{
	for (size_t f = 0; f < r->nfiles; f++) {
		if (!file_in_workload(r, w, f))
			continue;
		char text[512], v[96];
		settings_text(&r->files[f], text, sizeof text);
		zc_sb_puts(b, m->item);
		if (several) {
			variant(&r->files[f], v, sizeof v);
			zc_sb_puts(b, m->bold);
			m->text(b, r->files[f].label);
			zc_sb_puts(b, ", ");
			m->text(b, v);
			zc_sb_puts(b, m->bold_end);
			zc_sb_puts(b, ": ");
		}
		m->text(b, text);
		zc_sb_puts(b, m->item_end);
	}
}

void zc_shutdown_html(struct zc_sbuf *b, const struct zc_report *r, size_t w)
{
	bool several = several_files(r, w);
	zc_sb_printf(b, "<h3 id=\"shutdown-w%zu\">Shutdown</h3>\n<ul class=\"settings\">\n", w + 1);
	settings_items(b, r, w, several, &html);
	zc_sb_puts(b, "</ul>\n<p class=\"small\">The throughput above covers only the copy before the stop. "
		      "<a href=\"#reading-shutdown\">How to read the shutdown benchmark</a>.</p>\n");
	zc_sb_puts(b, "<div class=\"wrap\"><table class=\"summary shutdown\">\n<tr>");
	if (several)
		zc_sb_puts(b, "<th>Run</th>");
	zc_sb_puts(b, "<th>Strategy</th><th class=\"n\">Runs<br>signalled</th><th class=\"n\">Killed</th>"
		      "<th class=\"n\">signal &rarr; stop<br>ms, median</th>"
		      "<th class=\"n\">signal &rarr; exit<br>ms, median</th>"
		      "<th class=\"n\">in flight<br>at the signal</th><th class=\"n\">drained<br>after it</th>"
		      "<th class=\"n\">stranded</th></tr>\n");
	for (size_t i = 0; i < r->ncells; i++) {
		const struct zc_rcell *c = &r->cells[i];
		if (c->workload != w || !c->sd)
			continue;
		zc_sb_puts(b, "<tr>");
		if (several)
			run_cell(b, &r->files[c->file], &html);
		zc_sb_puts(b, "<td><b>");
		zc_sb_html(b, c->label);
		zc_sb_puts(b, "</b>");
		if (strcmp(c->status, "ok") != 0) {
			zc_sb_printf(b, "<br><span class=\"%s\">", strcmp(c->status, "skipped") == 0 ? "warn" : "bad");
			zc_sb_html(b, c->status);
			if (c->reason) {
				zc_sb_puts(b, ": ");
				zc_sb_html(b, c->reason);
			}
			zc_sb_puts(b, "</span>");
		}
		zc_sb_puts(b, "</td>");
		if (c->sd_runs.ok) {
			zc_sb_printf(b, "<td class=\"n\">%.0f", c->sd_runs.v);
			if (c->sd_before.ok && c->sd_before.v > 0)
				zc_sb_printf(b, "<br><span class=\"small\">%.0f finished before it</span>",
					     c->sd_before.v);
			zc_sb_puts(b, "</td>");
		} else {
			zc_sb_puts(b, "<td class=\"n na\">&ndash;</td>");
		}
		if (!c->sd_killed.ok)
			zc_sb_puts(b, "<td class=\"n na\">&ndash;</td>");
		else if (c->sd_killed.v > 0)
			zc_sb_printf(b, "<td class=\"n bad\">%.0f of %.0f</td>", c->sd_killed.v,
				     c->sd_runs.ok ? c->sd_runs.v : 0);
		else
			zc_sb_puts(b, "<td class=\"n\">0</td>");
		zc_sb_cell_pair(b, &zc_cell_html, c->sd_stop, c->sd_stop_max, fmt_ms);
		zc_sb_cell_pair(b, &zc_cell_html, c->sd_exit, c->sd_exit_max, fmt_ms);
		zc_sb_cell_pair(b, &zc_cell_html, c->sd_inflight, c->sd_inflight_max, fmt_bytes);
		zc_sb_cell_pair(b, &zc_cell_html, c->sd_drained, c->sd_drained_max, fmt_bytes);
		zc_sb_cell_pair(b, &zc_cell_html, c->sd_stranded, c->sd_stranded_max, fmt_bytes);
		zc_sb_puts(b, "</tr>\n");
	}
	zc_sb_puts(b, "</table></div>\n");
}

void zc_shutdown_md(struct zc_sbuf *b, const struct zc_report *r, size_t w)
{
	bool several = several_files(r, w);
	zc_sb_puts(b, "\n### Shutdown: ");
	zc_sb_md(b, r->workloads[w]);
	zc_sb_puts(b, "\n\n");
	settings_items(b, r, w, several, &md);
	zc_sb_puts(b, "\n|");
	if (several)
		zc_sb_puts(b, " run |");
	zc_sb_puts(
		b,
		" strategy | runs signalled | killed | signal→stop ms (median / max) | signal→exit ms (median / max) | "
		"in flight at the signal | drained after it | stranded |\n|");
	if (several)
		zc_sb_puts(b, "---|");
	zc_sb_puts(b, "---|--:|--:|--:|--:|--:|--:|--:|\n");
	for (size_t i = 0; i < r->ncells; i++) {
		const struct zc_rcell *c = &r->cells[i];
		if (c->workload != w || !c->sd)
			continue;
		zc_sb_puts(b, "|");
		if (several)
			run_cell(b, &r->files[c->file], &md);
		zc_sb_puts(b, " ");
		zc_sb_md(b, c->label);
		if (strcmp(c->status, "ok") != 0) {
			zc_sb_puts(b, " (**");
			zc_sb_md(b, c->status);
			zc_sb_puts(b, "**)");
		}
		zc_sb_puts(b, " |");
		if (c->sd_runs.ok)
			zc_sb_printf(b, " %.0f |", c->sd_runs.v);
		else
			zc_sb_puts(b, " – |");
		if (!c->sd_killed.ok)
			zc_sb_puts(b, " – |");
		else if (c->sd_killed.v > 0)
			zc_sb_printf(b, " **%.0f of %.0f** |", c->sd_killed.v, c->sd_runs.ok ? c->sd_runs.v : 0);
		else
			zc_sb_puts(b, " 0 |");
		zc_sb_cell_pair(b, &zc_cell_md, c->sd_stop, c->sd_stop_max, fmt_ms);
		zc_sb_cell_pair(b, &zc_cell_md, c->sd_exit, c->sd_exit_max, fmt_ms);
		zc_sb_cell_pair(b, &zc_cell_md, c->sd_inflight, c->sd_inflight_max, fmt_bytes);
		zc_sb_cell_pair(b, &zc_cell_md, c->sd_drained, c->sd_drained_max, fmt_bytes);
		zc_sb_cell_pair(b, &zc_cell_md, c->sd_stranded, c->sd_stranded_max, fmt_bytes);
		zc_sb_puts(b, "\n");
	}
}

const char zc_shutdown_how_to_read_html[] =
	"<li id=\"reading-shutdown\"><b>Shutdown</b> (<code>--shutdown-after</code>): each measured run gets "
	"SIGTERM that long after its copy window opened. The loops regain control at each checkpoint "
	"(<code>--checkpoint</code>, 100 ms by default), so <b>signal &rarr; stop</b> (the subject's handler to "
	"every loop having returned) is at most about one checkpoint; <b>signal &rarr; exit</b> runs from "
	"sending the signal to reaping the subject. A stalled peer (<code>--stall-peer</code>) gets one "
	"checkpoint after the signal to take more: what it has not taken by then is <b>stranded</b> in a pipe "
	"or a user buffer. The blind variant (<code>--no-deadlines</code>) is never interrupted in a blocked "
	"call, so with a stalled peer it is killed at the hard bound (<code>--kill-after</code>, 2 s by "
	"default) and reports no stop time and no byte counts. <b>In flight</b>: what the subject's own "
	"descriptors held at the signal; <b>drained</b>: what it delivered after it.</li>\n";

const char zc_shutdown_how_to_read_md[] =
	"\n**How to read the shutdown tables.** Each measured run gets SIGTERM the set time after its copy "
	"window opened. The copy loops regain control at every checkpoint (`--checkpoint`, 100 ms by default), "
	"so signal→stop is at most about one checkpoint. A stalled peer gets one checkpoint after the signal to "
	"take more; what it has not taken by then is stranded. The blind variant (`--no-deadlines`) is never "
	"interrupted in a blocked call: with a stalled peer it is killed at the hard bound (`--kill-after`, 2 s "
	"by default), and a killed run reports no stop time and no byte counts. signal→exit runs from sending "
	"the signal to reaping (or killing) the subject.\n";
