/* index.html: one page, its style inline, its only outside references the
 * figures (PNG shown, SVG and data linked) beside it by relative path. The
 * skeleton, the style and the reading notes are the files in templates/
 * (compiled in by embed.cmake); this fills them. The answer comes first
 * (report_answer.c), the detail per workload after it, collapsed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report_templates.h"
#include "../result_json.h"
#include "report.h"
#include "report_answer.h"
#include "report_price.h"
#include "report_shutdown.h"
#include "report_verdicts.h"

static void host_row(struct zc_sbuf *b, const struct zc_report *r, const char *name,
		     void (*cell)(struct zc_sbuf *, const struct zc_rfile *))
{
	zc_sb_printf(b, "<tr><th>%s</th>", name);
	for (size_t i = 0; i < r->nfiles; i++) {
		zc_sb_puts(b, "<td>");
		cell(b, &r->files[i]);
		zc_sb_puts(b, "</td>");
	}
	zc_sb_puts(b, "</tr>\n");
}

static void str_or_dash(struct zc_sbuf *b, const char *s)
{
	if (s)
		zc_sb_html(b, s);
	else
		zc_sb_puts(b, "<span class=\"na\">not recorded</span>");
}

static void h_file(struct zc_sbuf *b, const struct zc_rfile *f)
{
	zc_sb_puts(b, "<code>");
	zc_sb_html(b, f->path);
	zc_sb_puts(b, "</code>");
}
static void h_label(struct zc_sbuf *b, const struct zc_rfile *f)
{
	zc_sb_puts(b, "<b>");
	zc_sb_html(b, f->label);
	zc_sb_puts(b, "</b>");
}
static void h_kver(struct zc_sbuf *b, const struct zc_rfile *f)
{
	str_or_dash(b, zc_jstr(f->doc, "host.kernel_version"));
}
static void h_machine(struct zc_sbuf *b, const struct zc_rfile *f)
{
	str_or_dash(b, zc_jstr(f->doc, "host.machine"));
}
static void h_cpu(struct zc_sbuf *b, const struct zc_rfile *f)
{
	str_or_dash(b, zc_jstr(f->doc, "host.cpu_model"));
	struct zc_val n = zc_jnum(f->doc, "host.cpus");
	if (n.ok)
		zc_sb_printf(b, ", %.0f online", n.v);
}
static void h_mem(struct zc_sbuf *b, const struct zc_rfile *f)
{
	struct zc_val m = zc_jnum(f->doc, "host.mem_bytes");
	if (m.ok)
		zc_sb_printf(b, "%.1f GiB", m.v / GIB_BYTES);
	else
		str_or_dash(b, NULL);
}
static void h_started(struct zc_sbuf *b, const struct zc_rfile *f)
{
	str_or_dash(b, zc_jstr(f->doc, "started_at"));
	if (f->interrupted)
		zc_sb_puts(b, " <span class=\"bad\">interrupted: partial results</span>");
}
static void h_command(struct zc_sbuf *b, const struct zc_rfile *f)
{
	const json_t *cmd = json_object_get(f->doc, "command");
	if (!json_is_array(cmd) || json_array_size(cmd) == 0) {
		str_or_dash(b, NULL);
		return;
	}
	zc_sb_puts(b, "<code>");
	for (size_t i = 0; i < json_array_size(cmd); i++) {
		const char *a = json_string_value(json_array_get(cmd, i));
		if (i)
			zc_sb_puts(b, " ");
		zc_sb_html(b, a ? a : "?");
	}
	zc_sb_puts(b, "</code>");
}
static void h_ebpf(struct zc_sbuf *b, const struct zc_rfile *f)
{
	char note[512];
	zc_probe_note(f, note, sizeof note);
	if (strcmp(note, "ok") == 0) {
		const char *attach = zc_jstr(f->probes, "ebpf.attach");
		zc_sb_puts(b, "<span class=\"ok\">on</span>");
		if (attach) {
			zc_sb_puts(b, " (");
			zc_sb_html(b, attach);
			zc_sb_puts(b, ")");
		}
		zc_sb_puts(b, ": syscalls, context switches, bytes crossing");
	} else {
		zc_sb_puts(b, "<span class=\"warn\">off</span>: ");
		zc_sb_html(b, note);
	}
}
static void h_perf(struct zc_sbuf *b, const struct zc_rfile *f)
{
	const json_t *perf = f->probes ? json_object_get(f->probes, "perf") : NULL;
	if (!json_is_object(perf)) {
		zc_sb_puts(b, "<span class=\"na\">not recorded</span>");
		return;
	}
	struct zc_sbuf on, off;
	zc_sb_init(&on);
	zc_sb_init(&off);
	const char *name;
	const json_t *v;
	json_object_foreach((json_t *)perf, name, v)
	{
		const char *st = zc_jstr(v, "status");
		if (st && strcmp(st, "ok") == 0) {
			zc_sb_puts(&on, on.len ? ", " : "");
			zc_sb_html(&on, name);
		}
	}
	/* Those not counted, grouped by reason: "cycles, instructions (No such file or directory)". */
	const char *done[64];
	size_t ndone = 0;
	json_object_foreach((json_t *)perf, name, v)
	{
		const char *st = zc_jstr(v, "status");
		if (st && strcmp(st, "ok") == 0)
			continue;
		const char *why = zc_jstr(v, "reason");
		if (!why)
			why = st ? st : "no status";
		bool seen = false;
		for (size_t k = 0; k < ndone; k++)
			seen |= strcmp(done[k], why) == 0;
		if (seen || ndone == 64)
			continue;
		done[ndone++] = why;
		zc_sb_puts(&off, off.len ? "; " : "");
		const char *n2;
		const json_t *v2;
		size_t count = 0;
		json_object_foreach((json_t *)perf, n2, v2)
		{
			const char *st2 = zc_jstr(v2, "status");
			const char *why2 = zc_jstr(v2, "reason");
			if (st2 && strcmp(st2, "ok") == 0)
				continue;
			if (strcmp(why2 ? why2 : st2 ? st2 : "no status", why) != 0)
				continue;
			zc_sb_puts(&off, count++ ? ", " : "");
			zc_sb_html(&off, n2);
		}
		zc_sb_puts(&off, " (");
		zc_sb_html(&off, why);
		zc_sb_puts(&off, ")");
	}
	if (on.len)
		zc_sb_printf(b, "<span class=\"ok\">counted</span>: %s", on.s);
	if (off.len)
		zc_sb_printf(b, "%s<span class=\"warn\">not measured on this machine</span>: %s", on.len ? "<br>" : "",
			     off.s);
	if (!on.len && !off.len)
		zc_sb_puts(b, "<span class=\"na\">none</span>");
	zc_sb_free(&on);
	zc_sb_free(&off);
}
static void h_memcpy(struct zc_sbuf *b, const struct zc_rfile *f)
{
	if (f->memcpy_bps.ok)
		zc_sb_printf(b, "%.2f GB/s <span class=\"small\">one core, 64 MiB buffers</span>",
			     f->memcpy_bps.v / 1e9);
	else
		zc_sb_puts(b, "<span class=\"na\">no calibration in this file (zcbench calibrate)</span>");
}
static void h_syscall(struct zc_sbuf *b, const struct zc_rfile *f)
{
	if (f->syscall_ns.ok)
		zc_sb_printf(b, "%.1f ns <span class=\"small\">getppid</span>", f->syscall_ns.v);
	else
		zc_sb_puts(b, "<span class=\"na\">&ndash;</span>");
}
static void h_pipe(struct zc_sbuf *b, const struct zc_rfile *f)
{
	if (f->pipe_bps.ok)
		zc_sb_printf(b, "%.2f GB/s <span class=\"small\">1 MiB chunks, 1 MiB pipe</span>", f->pipe_bps.v / 1e9);
	else
		zc_sb_puts(b, "<span class=\"na\">&ndash;</span>");
}
static void h_hyperfine(struct zc_sbuf *b, const struct zc_rfile *f)
{
	if (!f->hyperfine && !f->any_hyperfine) {
		zc_sb_puts(b, "<span class=\"na\">none (zcbench hyperfine)</span>");
		return;
	}
	const char *ver = zc_jstr(f->hyperfine, "version");
	struct zc_val runs = zc_jnum(f->hyperfine, "runs"), warm = zc_jnum(f->hyperfine, "warmup");
	zc_sb_puts(b, "hyperfine ");
	zc_sb_html(b, ver ? ver : "");
	if (runs.ok && warm.ok)
		zc_sb_printf(b, ", %.0f runs after %.0f warm-up per cell", runs.v, warm.v);
}

static void host_block(struct zc_sbuf *b, const struct zc_report *r)
{
	zc_sb_puts(b, "<section id=\"hosts\"><h2>Machines and probes</h2>\n<details><summary>Kernel, CPU, command, "
		      "probes and calibration of each result file</summary>\n<div class=\"wrap\"><table "
		      "class=\"hosts\">\n");
	host_row(b, r, "Result file", h_file);
	host_row(b, r, "Kernel release", h_label);
	host_row(b, r, "Kernel build", h_kver);
	host_row(b, r, "Architecture", h_machine);
	host_row(b, r, "CPU", h_cpu);
	host_row(b, r, "Memory", h_mem);
	host_row(b, r, "Started (UTC)", h_started);
	host_row(b, r, "Command", h_command);
	host_row(b, r, "eBPF probe", h_ebpf);
	host_row(b, r, "perf counters", h_perf);
	host_row(b, r, "memcpy ceiling", h_memcpy);
	host_row(b, r, "Syscall round trip", h_syscall);
	host_row(b, r, "Pipe write/read", h_pipe);
	host_row(b, r, "Whole-process timing", h_hyperfine);
	zc_sb_puts(b, "</table></div></details></section>\n");
}

static void anchor(struct zc_sbuf *b, size_t w)
{
	zc_sb_printf(b, "w%zu", w + 1);
}

static bool workload_has_hf(const struct zc_report *r, size_t w)
{
	for (size_t i = 0; i < r->ncells; i++)
		if (r->cells[i].workload == w && r->cells[i].hf)
			return true;
	return false;
}

static void summary_table(struct zc_sbuf *b, const struct zc_report *r, size_t w)
{
	bool hf = workload_has_hf(r, w);
	zc_sb_puts(b, "<div class=\"wrap\"><table class=\"summary\">\n<tr>");
	if (r->nfiles > 1)
		zc_sb_puts(b, "<th>Kernel</th>");
	zc_sb_puts(b, "<th>Strategy</th><th>Data</th><th class=\"n\">Runs</th><th class=\"n\">GB/s median</th>"
		      "<th class=\"n\">CI of median</th><th class=\"n\">of memcpy</th>"
		      "<th class=\"n\">CPU<br>ms/GiB</th><th class=\"n\">syscalls<br>/GiB</th>"
		      "<th class=\"n\">share of CPU<br>syscalls explain</th><th class=\"n\">ctx switches<br>/GiB</th>"
		      "<th class=\"n\">GiB to / from<br>user per GiB</th>");
	if (hf)
		zc_sb_puts(b, "<th class=\"n\">whole process<br>GB/s (hyperfine)</th>");
	zc_sb_puts(b, "</tr>\n");
	size_t *order = calloc(r->ncells ? r->ncells : 1, sizeof *order);
	if (!order) {
		b->oom = true;
		return;
	}
	size_t n = zc_cells_in_order(r, w, order);
	for (size_t k = 0; k < n; k++) {
		const struct zc_rcell *c = &r->cells[order[k]];
		zc_sb_puts(b, "<tr>");
		if (r->nfiles > 1) {
			zc_sb_puts(b, "<td>");
			zc_sb_html(b, r->files[c->file].label);
			zc_sb_puts(b, "</td>");
		}
		zc_sb_puts(b, "<td><b>");
		zc_sb_html(b, c->label);
		zc_sb_puts(b, "</b>");
		if (c->path) {
			zc_sb_puts(b, "<br><span class=\"small\">");
			zc_sb_html(b, c->path);
			zc_sb_puts(b, "</span>");
		}
		zc_sb_puts(b, "</td>");
		zc_sb_printf(b, "<td>%s</td>",
			     c->sees_data == 1	 ? "<span class=\"tag sees\">sees</span>"
			     : c->sees_data == 0 ? "<span class=\"tag blind\">blind</span>"
						 : "<span class=\"na\">?</span>");
		if (c->all_killed) {
			/* The shutdown benchmark's blind variant: killed by design. */
			zc_sb_printf(b,
				     "<td colspan=\"%d\" class=\"warn\">no throughput: all %.0f measured runs were "
				     "killed at the kill bound (<a href=\"#shutdown-w%zu\">shutdown</a>)</td></tr>\n",
				     9 + hf, c->sd_killed.v, w + 1);
			continue;
		}
		if (!c->ok) {
			int span = 9 + hf;
			zc_sb_printf(b, "<td colspan=\"%d\" class=\"%s\">%s", span,
				     strcmp(c->status, "skipped") == 0 ? "warn" : "bad",
				     strcmp(c->status, "ok") == 0 ? "no summary" : "");
			zc_sb_html(b, strcmp(c->status, "ok") == 0 ? "" : c->status);
			if (c->reason) {
				zc_sb_puts(b, ": ");
				zc_sb_html(b, c->reason);
			}
			zc_sb_puts(b, "</td></tr>\n");
			continue;
		}
		zc_sb_cell(b, &zc_cell_html, c->runs, "%.0f", 1);
		zc_sb_cell(b, &zc_cell_html, c->tput, "%.2f", 1e-9);
		if (c->tput_lo.ok && c->tput_hi.ok) {
			zc_sb_printf(b, "<td class=\"n\">%.2f &ndash; %.2f", c->tput_lo.v / 1e9, c->tput_hi.v / 1e9);
			/* The coverage goes under the interval, small. */
			if (c->ci_level.ok)
				zc_sb_printf(b, "<br><span class=\"small\">%.1f%% coverage</span>",
					     c->ci_level.v * 100);
			zc_sb_puts(b, "</td>");
		} else {
			zc_sb_puts(b, "<td class=\"n na\">&ndash;</td>");
		}
		struct zc_val frac = zc_cell_memcpy_fraction(r, c);
		zc_sb_cell(b, &zc_cell_html, frac, "%.0f%%", 100);
		/* perf's task clock where counted; getrusage's ticks are coarse. */
		if (c->task_clock.ok && c->task_clock.v > 0)
			zc_sb_printf(b, "<td class=\"n\">%.1f</td>", c->task_clock.v / 1e6);
		else if (c->cpu_user.ok && c->cpu_sys.ok)
			zc_sb_printf(b,
				     "<td class=\"n\">%.1f + %.1f<br><span class=\"small\">user + sys, "
				     "coarse</span></td>",
				     c->cpu_user.v / 1e6, c->cpu_sys.v / 1e6);
		else
			zc_sb_puts(b, "<td class=\"n na\">&ndash;</td>");
		zc_sb_cell_si(b, &zc_cell_html, c->syscalls);
		struct zc_val share = zc_cell_syscall_share(r, c);
		zc_sb_cell(b, &zc_cell_html, share, "%.1f%%", 100);
		struct zc_val csw = {c->csw_vol.ok && c->csw_invol.ok, c->csw_vol.v + c->csw_invol.v};
		zc_sb_cell_si(b, &zc_cell_html, csw);
		if (c->to_user.ok && c->from_user.ok && c->in_kernel.ok &&
		    c->to_user.v + c->from_user.v + c->in_kernel.v > 0)
			zc_sb_printf(b, "<td class=\"n\">%.2f / %.2f</td>", c->to_user.v / GIB_BYTES,
				     c->from_user.v / GIB_BYTES);
		else
			zc_sb_puts(b, "<td class=\"n na\">&ndash;</td>");
		if (hf) {
			struct zc_val v = zc_cell_hf_bps(c);
			if (v.ok)
				zc_sb_printf(b,
					     "<td class=\"n\">%.2f<br><span class=\"small\">%.1f ms median</span></td>",
					     v.v / 1e9, c->hf_median.v / 1e6);
			else if (c->hf_reason) {
				zc_sb_puts(b, "<td class=\"small bad\">");
				zc_sb_html(b, c->hf_reason);
				zc_sb_puts(b, "</td>");
			} else
				zc_sb_puts(b, "<td class=\"n na\">&ndash;</td>");
		}
		zc_sb_puts(b, "</tr>\n");
	}
	free(order);
	zc_sb_puts(b, "</table></div>\n");
}

static void figure_html(struct zc_sbuf *b, const struct zc_figure *f)
{
	if (f->kind == ZC_FIG_LEFT_OUT) {
		/* The text names the figure: "Syscalls per GiB: not measured (why)." */
		zc_sb_puts(b, "<p class=\"leftout\"><b>No figure</b> &middot; ");
		zc_sb_html(b, f->caption);
		zc_sb_puts(b, "</p>\n");
		return;
	}
	zc_sb_puts(b, "<figure><a href=\"");
	zc_sb_html(b, f->stem);
	zc_sb_puts(b, ".svg\"><img src=\"");
	zc_sb_html(b, f->stem);
	zc_sb_printf(b, ".png\" width=\"%d\" height=\"%d\" loading=\"lazy\" alt=\"", f->width, f->height);
	zc_sb_html(b, f->title);
	zc_sb_puts(b, "\"></a><figcaption>");
	zc_sb_html(b, f->caption);
	zc_sb_puts(b, " <span class=\"small\"><a href=\"");
	zc_sb_html(b, f->stem);
	zc_sb_puts(b, ".svg\">SVG</a> &middot; <a href=\"data/");
	zc_sb_html(b, f->data[0] ? f->data : f->stem);
	zc_sb_puts(b, ".dat\">data</a></span></figcaption></figure>\n");
}

/* The figures of workload w (shutdown ones or the others): the drawn ones,
 * then a line for each one left out. */
static void figures_html(struct zc_sbuf *b, const struct zc_report *r, size_t w, bool shutdown)
{
	zc_sb_puts(b, "<div class=\"figs\">\n");
	for (size_t i = 0; i < r->nfigs; i++)
		if (r->figs[i].workload == w && r->figs[i].shutdown == shutdown && r->figs[i].kind == ZC_FIG_DATA)
			figure_html(b, &r->figs[i]);
	zc_sb_puts(b, "</div>\n");
	for (size_t i = 0; i < r->nfigs; i++)
		if (r->figs[i].workload == w && r->figs[i].shutdown == shutdown && r->figs[i].kind == ZC_FIG_LEFT_OUT)
			figure_html(b, &r->figs[i]);
}

static void problems(struct zc_sbuf *b, const struct zc_report *r)
{
	zc_sb_puts(b, "<section id=\"problems\"><h2>Skipped and failed cells</h2>\n");
	size_t n = 0;
	for (size_t i = 0; i < r->ncells; i++)
		n += !r->cells[i].ok && !r->cells[i].all_killed;
	if (n == 0) {
		zc_sb_puts(b, "<p class=\"ok\">None: every cell ran and has a summary.</p>\n");
	} else {
		zc_sb_puts(b, "<div class=\"wrap\"><table>\n<tr>");
		if (r->nfiles > 1)
			zc_sb_puts(b, "<th>Kernel</th>");
		zc_sb_puts(b, "<th>Workload</th><th>Strategy</th><th>Status</th><th>Reason</th></tr>\n");
		for (size_t i = 0; i < r->ncells; i++) {
			const struct zc_rcell *c = &r->cells[i];
			if (c->ok || c->all_killed)
				continue;
			zc_sb_puts(b, "<tr>");
			if (r->nfiles > 1) {
				zc_sb_puts(b, "<td>");
				zc_sb_html(b, r->files[c->file].label);
				zc_sb_puts(b, "</td>");
			}
			zc_sb_puts(b, "<td>");
			zc_sb_html(b, c->workload_name);
			zc_sb_puts(b, "</td><td>");
			zc_sb_html(b, c->label);
			zc_sb_printf(b, "</td><td class=\"%s\">", strcmp(c->status, "skipped") == 0 ? "warn" : "bad");
			zc_sb_html(b, c->status);
			zc_sb_puts(b, "</td><td>");
			if (c->reason)
				zc_sb_html(b, c->reason);
			else if (strcmp(c->status, "ok") == 0)
				zc_sb_puts(b, "no summary (no measured run)");
			else
				zc_sb_puts(b, "<span class=\"na\">no reason given</span>");
			zc_sb_puts(b, "</td></tr>\n");
		}
		zc_sb_puts(b, "</table></div>\n");
	}
	size_t nhf = 0;
	for (size_t i = 0; i < r->ncells; i++)
		nhf += r->cells[i].ok && !r->cells[i].hf && r->cells[i].hf_reason;
	if (nhf) {
		zc_sb_puts(b, "<h3>Whole-process timing that failed</h3><ul>\n");
		for (size_t i = 0; i < r->ncells; i++) {
			const struct zc_rcell *c = &r->cells[i];
			if (!c->ok || c->hf || !c->hf_reason)
				continue;
			zc_sb_puts(b, "<li>");
			zc_sb_html(b, c->label);
			zc_sb_puts(b, " on ");
			zc_sb_html(b, c->workload_name);
			zc_sb_puts(b, ": ");
			zc_sb_html(b, c->hf_reason);
			zc_sb_puts(b, "</li>\n");
		}
		zc_sb_puts(b, "</ul>\n");
	}
	zc_sb_puts(b, "</section>\n");
}

/* Appends tpl with each @NAME@ replaced by the value of that name. */
static void fill(struct zc_sbuf *b, const char *tpl, const char *const names[], const char *const values[], size_t n)
{
	const char *p = tpl;
	while (*p) {
		const char *at = strchr(p, '@');
		if (!at) {
			zc_sb_puts(b, p);
			break;
		}
		zc_sb_putn(b, p, (size_t)(at - p));
		bool done = false;
		for (size_t i = 0; i < n && !done; i++) {
			size_t len = strlen(names[i]);
			if (strncmp(at + 1, names[i], len) == 0 && at[1 + len] == '@') {
				zc_sb_puts(b, values[i]);
				p = at + len + 2;
				done = true;
			}
		}
		if (!done) {
			zc_sb_puts(b, "@");
			p = at + 1;
		}
	}
}

static size_t count_figs(const struct zc_report *r, size_t w, enum zc_fig_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nfigs; i++)
		n += r->figs[i].workload == w && r->figs[i].kind == kind;
	return n;
}

int zc_report_html(const struct zc_report *r, const char *out_dir, char *err, size_t err_len)
{
	char when[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);

	struct zc_sbuf title, sub, nav, m, page;
	zc_sb_init(&title);
	zc_sb_init(&sub);
	zc_sb_init(&nav);
	zc_sb_init(&m);
	zc_sb_init(&page);
	for (size_t i = 0; i < r->nfiles; i++) {
		zc_sb_puts(&title, i ? ", " : "");
		zc_sb_html(&title, r->files[i].label);
		zc_sb_puts(&sub, i ? "; " : "");
		if (r->nfiles > 1)
			zc_sb_printf(&sub, "%zu: ", i + 1);
		zc_sb_html(&sub, r->files[i].base);
		zc_sb_puts(&sub, " (kernel ");
		zc_sb_html(&sub, r->files[i].kernel);
		zc_sb_puts(&sub, ")");
	}
	zc_sb_printf(&sub, " &middot; generated %s by zcbench %s", when, ZC_VERSION);
	zc_sb_puts(&nav, "<a href=\"#answer\">Answer</a><a href=\"#warnings\">Warnings</a>");
	for (size_t w = 0; w < r->nworkloads; w++) {
		zc_sb_puts(&nav, "<a href=\"#");
		anchor(&nav, w);
		zc_sb_puts(&nav, "\">");
		zc_sb_html(&nav, r->workloads[w]);
		zc_sb_puts(&nav, "</a>");
	}
	zc_sb_puts(&nav, "<a href=\"#problems\">Skipped and failed</a><a href=\"#hosts\">Machines</a>"
			 "<a href=\"#reading\">How to read</a>");

	zc_answer_html(&m, r);
	zc_warnings_html(&m, r);
	zc_price_html(&m, r);
	problems(&m, r);
	for (size_t w = 0; w < r->nworkloads; w++) {
		zc_sb_puts(&m, "<section id=\"");
		anchor(&m, w);
		zc_sb_puts(&m, "\"><h2>Workload ");
		zc_sb_html(&m, r->workloads[w]);
		zc_sb_puts(&m, ": detail</h2>\n");
		size_t drawn = count_figs(r, w, ZC_FIG_DATA), left = count_figs(r, w, ZC_FIG_LEFT_OUT);
		zc_sb_printf(&m, "<details><summary>Medians per metric, %zu figure%s", drawn, drawn == 1 ? "" : "s");
		if (left)
			zc_sb_printf(&m, ", %zu left out (not measured)", left);
		zc_sb_puts(&m, "</summary>\n");
		summary_table(&m, r, w);
		if (zc_shutdown_in_workload(r, w)) {
			zc_shutdown_html(&m, r, w);
			figures_html(&m, r, w, true);
			zc_sb_puts(&m, "<h3>Throughput and costs</h3>\n");
		}
		figures_html(&m, r, w, false);
		zc_sb_puts(&m, "</details></section>\n");
	}
	host_block(&m, r);
	zc_sb_puts(&m, zc_tpl_how_to_read);
	if (zc_shutdown_any(r))
		zc_sb_puts(&m, zc_shutdown_how_to_read_html);
	zc_sb_puts(&m, "</ul></section>\n");

	static const char *const names[] = {"TITLE", "STYLE", "SUBTITLE", "NAV", "MAIN"};
	const char *values[] = {title.s ? title.s : "", zc_tpl_style, sub.s ? sub.s : "", nav.s ? nav.s : "",
				m.s ? m.s : ""};
	fill(&page, zc_tpl_page, names, values, 5);
	int rc = -1;
	char path[4096];
	snprintf(path, sizeof path, "%s/index.html", out_dir);
	if (page.oom || title.oom || sub.oom || nav.oom || m.oom)
		snprintf(err, err_len, "out of memory");
	else
		rc = zc_write_file(path, page.s, page.len, err, err_len);
	zc_sb_free(&title);
	zc_sb_free(&sub);
	zc_sb_free(&nav);
	zc_sb_free(&m);
	zc_sb_free(&page);
	return rc;
}
