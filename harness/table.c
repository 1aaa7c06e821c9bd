#include "table.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "noise.h"
#include "options.h"
#include "stats.h"

/* The run's task clock (perf, exact) in ns, or -1 when it was not counted. */
static double task_clock_ns(const struct zc_run *r)
{
	json_t *tc = json_object_get(json_object_get(r->counters, "perf"), "task_clock");
	const char *st = json_string_value(json_object_get(tc, "status"));
	json_t *v = json_object_get(tc, "value");
	return st && strcmp(st, "ok") == 0 && json_is_number(v) ? json_number_value(v) : -1;
}

struct figures {
	size_t n;
	double gbps;	 /* median, 10^9 bytes/s */
	double cpu;	 /* median CPU seconds per 10^9 bytes */
	bool task_clock; /* cpu from perf's task clock (else getrusage user+sys) */
};

static void figures_of(const struct zc_cell *c, struct figures *f)
{
	size_t cap = c->nruns ? c->nruns : 1, ntc = 0;
	double *t = malloc(cap * sizeof *t), *tc = malloc(cap * sizeof *tc), *ru = malloc(cap * sizeof *ru);
	if (!t || !tc || !ru)
		abort();
	*f = (struct figures){0};
	for (size_t k = 0; k < c->nruns; k++) {
		const struct zc_run *r = &c->runs[k];
		if (r->warmup || !r->measured || !r->w.elapsed_ns || !r->bytes)
			continue;
		t[f->n] = (double)r->bytes / (double)r->w.elapsed_ns;
		ru[f->n] = (double)(r->w.user_ns + r->w.sys_ns) / (double)r->bytes;
		double x = task_clock_ns(r);
		if (x >= 0)
			tc[ntc++] = x / (double)r->bytes;
		f->n++;
	}
	if (f->n) {
		f->gbps = zc_median(t, f->n);
		f->task_clock = ntc == f->n;
		f->cpu = f->task_clock ? zc_median(tc, ntc) : zc_median(ru, f->n);
	}
	free(t);
	free(tc);
	free(ru);
}

static const char *const status_words[] = {"ok", "skipped", "failed", "ok", "not run"};

static void row(FILE *out, const struct zc_cell *c, const struct zc_verdict *v)
{
	struct figures f;
	figures_of(c, &f);
	char rank[8] = "-", chunk[16], gbps[16] = "-", cpu[16] = "-", verdict[64] = "", status[16];
	if (v)
		snprintf(rank, sizeof rank, "%u", v->rank);
	zc_format_bytes(c->chunk, chunk, sizeof chunk);
	if (f.n) {
		snprintf(gbps, sizeof gbps, "%.2f", f.gbps);
		if (f.cpu > 0)
			snprintf(cpu, sizeof cpu, "%s%.3f", f.task_clock ? "" : "~", f.cpu);
		else
			snprintf(cpu, sizeof cpu, "<tick");
	}
	if (v && v->cell == v->baseline)
		snprintf(verdict, sizeof verdict, "baseline");
	else if (v && v->decided)
		snprintf(verdict, sizeof verdict, "%.2fx [%.2f, %.2f] %s", v->ratio, v->ci_low, v->ci_high,
			 v->faster ? "faster" : "slower");
	else if (v)
		snprintf(verdict, sizeof verdict, "%.2fx [%.2f, %.2f] undecided", v->ratio, v->ci_low, v->ci_high);
	if (v && v->unequal[0])
		snprintf(verdict + strlen(verdict), sizeof verdict - strlen(verdict), " *");
	snprintf(status, sizeof status, "%s", status_words[c->status]);
	fprintf(out, "%3s %-16s %-5s %7s %7s  %-30s %8s %4zu %s\n", rank, c->p.strategy->name,
		c->p.strategy->sees_data ? "sees" : "blind", chunk, gbps, verdict, cpu, f.n, status);
	/* A reason on a line of its own, cut to the width. */
	if (c->status != ZC_OK)
		fprintf(out, "%4s%.*s\n", "", ZC_TABLE_WIDTH - 4, c->reason);
	/* UDP: GB/s is what was sent; what did not arrive is said here. */
	uint64_t sent = 0, lost = 0;
	size_t udp_runs = 0;
	for (size_t i = 0; i < c->nruns; i++)
		if (!c->runs[i].warmup && c->runs[i].udp && !c->runs[i].udp_blackhole) {
			udp_runs++;
			sent += c->runs[i].udp_sent_datagrams;
			lost += c->runs[i].udp_sent_datagrams - c->runs[i].udp_recv_datagrams;
		}
	if (udp_runs)
		fprintf(out, "%4sUDP datagrams lost: %" PRIu64 " of %" PRIu64 " sent (%.2f%%) over %zu run%s\n", "",
			lost, sent, sent ? 100.0 * (double)lost / (double)sent : 0.0, udp_runs,
			udp_runs == 1 ? "" : "s");
	/* Zero-copy sends: whether the kernel really did not copy. */
	uint64_t zc_done, zc_copied;
	if (zc_cell_zc_sends(c, &zc_done, &zc_copied) && zc_done)
		fprintf(out, "%4szero-copy sends: %" PRIu64 " of %" PRIu64 " copied, %" PRIu64 " not copied\n", "",
			zc_copied, zc_done, zc_done - zc_copied);
}

static void header(FILE *out, const struct zc_cell *c, const char *baseline)
{
	char size[32], label[96];
	zc_format_bytes(c->p.size, size, sizeof size);
	zc_workload_label(&c->p, label, sizeof label);
	fprintf(out, "%s: %s per run, %u stream%s%s%s\n", label, size, c->p.streams, c->p.streams == 1 ? "" : "s",
		baseline ? "; ratios against " : "", baseline ? baseline : "");
	fprintf(out, "%3s %-16s %-5s %7s %7s  %-30s %8s %4s %s\n", "#", "strategy", "data", "chunk", "GB/s",
		"ratio [CI] verdict", "CPU s/GB", "runs", "status");
}

void zc_print_summary(FILE *out, const struct zc_cell *cells, size_t ncells, const struct zc_verdicts *vs,
		      json_t *const *cell_warnings, const json_t *warnings, uint64_t total_ns)
{
	bool *done = calloc(ncells ? ncells : 1, sizeof *done);
	if (!done)
		abort();
	bool any_tc = false, any_ru = false, any_unequal = false;
	for (size_t i = 0; i < ncells; i++) {
		if (done[i])
			continue;
		const struct zc_workload *w = cells[i].p.workload;
		bool headed = false;
		/* The verdict groups of this workload, each ranked. */
		for (size_t k = 0; k < vs->n;) {
			size_t end = k;
			while (end < vs->n && vs->v[end].group == vs->v[k].group)
				end++;
			if (cells[vs->v[k].cell].p.workload == w) {
				header(out, &cells[vs->v[k].baseline], cells[vs->v[k].baseline].p.strategy->name);
				headed = true;
				for (size_t m = k; m < end; m++) {
					const struct zc_verdict *v = &vs->v[m];
					row(out, &cells[v->cell], v);
					done[v->cell] = true;
					any_unequal |= v->unequal[0] != 0;
					struct figures f;
					figures_of(&cells[v->cell], &f);
					any_tc |= f.n && f.task_clock;
					any_ru |= f.n && !f.task_clock;
				}
			}
			k = end;
		}
		/* Then what has no verdict: failed, skipped, or nothing measured. */
		for (size_t k = i; k < ncells; k++) {
			if (done[k] || cells[k].p.workload != w)
				continue;
			if (!headed)
				header(out, &cells[k], NULL);
			headed = true;
			row(out, &cells[k], NULL);
			done[k] = true;
		}
		for (size_t k = 0; k < ncells; k++)
			if (cells[k].p.workload == w && cell_warnings && cell_warnings[k])
				zc_warnings_print(out, cell_warnings[k], "    ");
		fputc('\n', out);
	}
	free(done);

	size_t ok = 0, failed = 0, skipped = 0, not_run = 0;
	for (size_t i = 0; i < ncells; i++) {
		ok += cells[i].status == ZC_OK || cells[i].status == ZC_INTERRUPTED;
		failed += cells[i].status == ZC_FAILED;
		skipped += cells[i].status == ZC_SKIPPED;
		not_run += cells[i].status == ZC_NOT_RUN;
	}
	fprintf(out, "GB/s = 10^9 bytes/s, median of the runs. Ratio: median of same-round throughput\n"
		     "ratios; CI: its sign-exact interval (95%% or more when decided). CPU s/GB: the\n"
		     "subject's CPU seconds per 10^9 bytes, ");
	if (!any_ru)
		fputs("from perf's task clock.\n", out);
	else if (any_tc)
		fputs("from perf's task clock;\n~ marks getrusage user+sys (tick-grained).\n", out);
	else
		fputs("from getrusage user+sys\n(~: tick-grained; perf's task clock was not counted).\n", out);
	if (any_unequal)
		fputs("* not only the strategy differs from the baseline (see the chunk column)\n", out);
	unsigned long long s = (unsigned long long)(total_ns / 1000000000ull);
	fprintf(out, "cells: %zu ok, %zu failed, %zu skipped", ok, failed, skipped);
	if (not_run)
		fprintf(out, ", %zu not run", not_run);
	fprintf(out, "; total time %llum%02llus\n", s / 60, s % 60);
	if (warnings)
		zc_warnings_print(out, warnings, "");
}
