/* summary.md: the report's tables in GitHub Markdown, for CI job summaries
 * and pull-request comments (where the figures cannot be shown). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_answer.h"
#include "report_pages.h"
#include "report_price.h"
#include "report_shutdown.h"
#include "report_verdicts.h"

int zc_report_md(const struct zc_report *r, const char *out_dir, char *err, size_t err_len)
{
	struct zc_sbuf b;
	zc_sb_init(&b);
	zc_sb_puts(&b, "# zcbench report\n\n");
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct zc_rfile *f = &r->files[i];
		char probe[512];
		zc_probe_note(f, probe, sizeof probe);
		zc_sb_puts(&b, "- **");
		zc_sb_md(&b, f->label);
		zc_sb_puts(&b, "** (`");
		zc_sb_md(&b, f->base);
		zc_sb_puts(&b, "`): ");
		const char *cpu = zc_jstr(f->doc, "host.cpu_model");
		struct zc_val n = zc_jnum(f->doc, "host.cpus");
		zc_sb_md(&b, cpu ? cpu : "CPU not recorded");
		if (n.ok)
			zc_sb_printf(&b, ", %.0f CPUs", n.v);
		zc_sb_puts(&b, "; eBPF probe ");
		zc_sb_md(&b, strcmp(probe, "ok") == 0 ? "on" : probe);
		if (f->memcpy_bps.ok)
			zc_sb_printf(&b, "; memcpy %.2f GB/s", f->memcpy_bps.v / 1e9);
		if (f->syscall_ns.ok)
			zc_sb_printf(&b, ", syscall %.0f ns", f->syscall_ns.v);
		if (f->pipe_bps.ok)
			zc_sb_printf(&b, ", pipe %.2f GB/s", f->pipe_bps.v / 1e9);
		if (f->interrupted)
			zc_sb_puts(&b, "; **interrupted: partial results**");
		zc_sb_puts(&b, "\n");
	}
	zc_sb_puts(&b, "\n");
	zc_answer_md(&b, r);
	zc_warnings_md(&b, r);
	zc_price_md(&b, r);
	if (r->nworkloads)
		zc_sb_puts(&b, "\n## Detail per workload\n");
	for (size_t w = 0; w < r->nworkloads; w++) {
		bool hf = false;
		for (size_t i = 0; i < r->ncells; i++)
			hf |= r->cells[i].workload == w && r->cells[i].hf;
		/* GitHub folds <details>: the verdicts above stay the first screen. */
		zc_sb_puts(&b, "\n<details><summary>");
		zc_sb_html(&b, r->workloads[w]);
		zc_sb_puts(&b, ": medians per metric</summary>\n\n|");
		if (r->nfiles > 1)
			zc_sb_puts(&b, " kernel |");
		zc_sb_puts(&b, " strategy | data | GB/s | CI of median | of memcpy | CPU ms/GiB | syscalls/GiB | "
			       "share of CPU syscalls explain |");
		if (hf)
			zc_sb_puts(&b, " whole process GB/s |");
		zc_sb_puts(&b, "\n|");
		size_t ncols = 8 + (r->nfiles > 1) + hf;
		for (size_t k = 0; k < ncols; k++)
			zc_sb_puts(&b, k < (r->nfiles > 1) + 2u ? "---|" : "--:|");
		zc_sb_puts(&b, "\n");
		size_t *order = calloc(r->ncells ? r->ncells : 1, sizeof *order);
		if (!order) {
			b.oom = true;
			break;
		}
		size_t nrows = zc_cells_in_order(r, w, order);
		for (size_t k = 0; k < nrows; k++) {
			const struct zc_rcell *c = &r->cells[order[k]];
			zc_sb_puts(&b, "|");
			if (r->nfiles > 1) {
				zc_sb_puts(&b, " ");
				zc_sb_md(&b, r->files[c->file].label);
				zc_sb_puts(&b, " |");
			}
			zc_sb_puts(&b, " ");
			zc_sb_md(&b, c->label);
			zc_sb_printf(&b, " | %s |", c->sees_data == 1 ? "sees" : c->sees_data == 0 ? "blind" : "?");
			if (c->all_killed) {
				zc_sb_printf(&b, " no throughput: all %.0f measured runs were killed (shutdown) |",
					     c->sd_killed.v);
				for (size_t k = 3 + (r->nfiles > 1); k < ncols; k++)
					zc_sb_puts(&b, " |");
				zc_sb_puts(&b, "\n");
				continue;
			}
			if (!c->ok) {
				zc_sb_puts(&b, " **");
				zc_sb_md(&b, c->status);
				zc_sb_puts(&b, "**");
				if (c->reason) {
					zc_sb_puts(&b, ": ");
					zc_sb_md(&b, c->reason);
				}
				zc_sb_puts(&b, " |");
				for (size_t k = 3 + (r->nfiles > 1); k < ncols; k++)
					zc_sb_puts(&b, " |");
				zc_sb_puts(&b, "\n");
				continue;
			}
			zc_sb_cell(&b, &zc_cell_md, c->tput, "%.2f", 1e-9);
			if (c->tput_lo.ok && c->tput_hi.ok)
				zc_sb_printf(&b, " %.2f–%.2f (%.0f%%) |", c->tput_lo.v / 1e9, c->tput_hi.v / 1e9,
					     c->ci_level.ok ? c->ci_level.v * 100 : 0);
			else
				zc_sb_puts(&b, " – |");
			zc_sb_cell(&b, &zc_cell_md, zc_cell_memcpy_fraction(r, c), "%.0f%%", 100);
			if (c->task_clock.ok && c->task_clock.v > 0)
				zc_sb_printf(&b, " %.1f |", c->task_clock.v / 1e6);
			else if (c->cpu_user.ok && c->cpu_sys.ok)
				zc_sb_printf(&b, " %.1f + %.1f (user + sys, coarse) |", c->cpu_user.v / 1e6,
					     c->cpu_sys.v / 1e6);
			else
				zc_sb_puts(&b, " – |");
			zc_sb_cell_si(&b, &zc_cell_md, c->syscalls);
			zc_sb_cell(&b, &zc_cell_md, zc_cell_syscall_share(r, c), "%.1f%%", 100);
			if (hf)
				zc_sb_cell(&b, &zc_cell_md, zc_cell_hf_bps(c), "%.2f", 1e-9);
			zc_sb_puts(&b, "\n");
		}
		free(order);
		if (zc_shutdown_in_workload(r, w))
			zc_shutdown_md(&b, r, w);
		zc_sb_puts(&b, "\n</details>\n");
	}
	if (zc_shutdown_any(r))
		zc_sb_puts(&b, zc_shutdown_how_to_read_md);
	size_t bad = 0;
	for (size_t i = 0; i < r->ncells; i++)
		bad += !r->cells[i].ok && !r->cells[i].all_killed;
	zc_sb_printf(&b,
		     "\n%zu cell%s, %zu skipped or failed. Figures: `index.html` beside this file. "
		     "GB/s = 10⁹ bytes/s; medians over the measured runs; – = not measured.\n",
		     r->ncells, r->ncells == 1 ? "" : "s", bad);
	int rc = -1;
	char path[4096];
	snprintf(path, sizeof path, "%s/summary.md", out_dir);
	if (b.oom)
		snprintf(err, err_len, "out of memory");
	else
		rc = zc_write_file(path, b.s, b.len, err, err_len);
	zc_sb_free(&b);
	return rc;
}
