#include "matrix.h"

#include <stddef.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "stats.h"

#define GIB 1073741824.0

/* On a terminal one live line; otherwise one line per cell and round (the
 * rounds interleave the cells, so each cell shows up once a round). */
static void progress(bool tty, size_t cell, size_t ncells, const struct zc_cell *c, unsigned round, unsigned rounds,
		     bool warmup)
{
	fprintf(stderr, "%s[cell %zu/%zu, round %u/%u%s] %s %s%s", tty ? "\r\033[K" : "", cell, ncells, round, rounds,
		warmup ? ", warm-up" : "", c->p.strategy->name, c->p.workload->name, tty ? "" : "\n");
	fflush(stderr);
}

static bool stopped(const struct zc_env *env)
{
	return env->interrupted && *env->interrupted;
}

static size_t measured_runs(const struct zc_cell *c)
{
	size_t n = 0;
	for (size_t k = 0; k < c->nruns; k++)
		n += !c->runs[k].warmup && c->runs[k].measured;
	return n;
}

int zc_matrix_run(const struct zc_env *env, struct zc_cell *cells, size_t ncells, const struct zc_plan *plan)
{
	bool tty = isatty(STDERR_FILENO);
	unsigned rounds = plan->warmup + plan->reps;
	int rc = stopped(env) ? -1 : 0;
	for (unsigned round = 0; round < rounds && rc == 0; round++) {
		bool warmup = round < plan->warmup;
		for (size_t i = 0; i < ncells; i++) {
			struct zc_cell *c = &cells[i];
			if (c->status != ZC_OK)
				continue;
			if (stopped(env)) {
				rc = -1;
				break;
			}
			progress(tty, i + 1, ncells, c, round + 1, rounds, warmup);
			/* Every byte is checked at least once per invocation: the
			 * cell's first run, a warm-up when there is one. */
			bool verify = plan->verify == ZC_VERIFY_ALL || !c->verified_once;
			zc_run_once(env, c, warmup, verify);
			if (c->status == ZC_INTERRUPTED || stopped(env)) {
				if (c->status == ZC_INTERRUPTED)
					c->status = ZC_OK; /* keep what it measured; the doc says interrupted */
				rc = -1;
				break;
			}
		}
	}
	if (tty)
		fputs("\r\033[K", stderr);
	/* A signal after the last run still makes an interrupted invocation. */
	if (stopped(env))
		rc = -1;
	if (rc != 0)
		for (size_t i = 0; i < ncells; i++)
			if ((cells[i].status == ZC_OK || cells[i].status == ZC_INTERRUPTED) &&
			    measured_runs(&cells[i]) == 0) {
				/* An interrupted pattern generation said so already. */
				if (cells[i].status == ZC_OK || !cells[i].reason[0])
					snprintf(cells[i].reason, sizeof cells[i].reason,
						 "interrupted before its first measured run");
				cells[i].status = ZC_NOT_RUN;
			}
	return rc;
}

/* The run's task clock (perf, exact) in ns, or -1 when it was not counted. */
static double task_clock_ns(const struct zc_run *r)
{
	json_t *tc = json_object_get(json_object_get(r->counters, "perf"), "task_clock");
	const char *st = json_string_value(json_object_get(tc, "status"));
	json_t *v = json_object_get(tc, "value");
	return st && strcmp(st, "ok") == 0 && json_is_number(v) ? json_number_value(v) : -1;
}

void zc_print_table(FILE *out, const struct zc_cell *cells, size_t ncells)
{
	/* CPU s/GiB from perf's task clock when it was counted (exact); user and
	 * sys from getrusage, which this kind of VM accounts in whole ticks. */
	fprintf(out, "%-16s %-10s %-7s %9s %21s %10s %10s %10s %5s  %s\n", "strategy", "workload", "status", "GiB/s",
		"95% CI of median", "CPU s/GiB", "user", "sys", "runs", "notes");
	for (size_t i = 0; i < ncells; i++) {
		const struct zc_cell *c = &cells[i];
		size_t n = 0, ntc = 0;
		double tput[c->nruns ? c->nruns : 1], user[c->nruns ? c->nruns : 1], sys[c->nruns ? c->nruns : 1],
			cpu[c->nruns ? c->nruns : 1];
		for (size_t k = 0; k < c->nruns; k++) {
			const struct zc_run *r = &c->runs[k];
			if (r->warmup || !r->measured || !r->w.elapsed_ns || !r->bytes)
				continue;
			tput[n] = (double)r->bytes / GIB * 1e9 / (double)r->w.elapsed_ns;
			user[n] = (double)r->w.user_ns / 1e9 * GIB / (double)r->bytes;
			sys[n] = (double)r->w.sys_ns / 1e9 * GIB / (double)r->bytes;
			double tc = task_clock_ns(r);
			if (tc >= 0)
				cpu[ntc++] = tc / 1e9 * GIB / (double)r->bytes;
			n++;
		}
		static const char *const st[] = {"ok", "skipped", "failed", "ok", "not run"};
		if (n == 0) {
			fprintf(out, "%-16s %-10s %-7s %9s %21s %10s %10s %10s %5zu  %s\n", c->p.strategy->name,
				c->p.workload->name, st[c->status], "-", "-", "-", "-", "-", n,
				c->status == ZC_OK ? "" : c->reason);
			continue;
		}
		struct zc_summary s;
		zc_summarize(tput, n, &s);
		char ci[64], cpu_s[32];
		snprintf(ci, sizeof ci, "[%.2f, %.2f] %.0f%%", s.ci_low, s.ci_high, s.ci_level * 100);
		if (ntc == n)
			snprintf(cpu_s, sizeof cpu_s, "%.4f", zc_median(cpu, ntc));
		else
			snprintf(cpu_s, sizeof cpu_s, "-");
		fprintf(out, "%-16s %-10s %-7s %9.2f %21s %10s %10.4f %10.4f %5zu  %s\n", c->p.strategy->name,
			c->p.workload->name, st[c->status], s.median, ci, cpu_s, zc_median(user, n), zc_median(sys, n),
			n, c->status == ZC_OK ? "" : c->reason);
	}
}

/* Median of a per-run figure over the signalled shutdown runs, or -1. */
static double shutdown_median(const struct zc_cell *c, size_t off, bool need_measured)
{
	double v[c->nruns ? c->nruns : 1];
	size_t n = 0;
	for (size_t k = 0; k < c->nruns; k++) {
		const struct zc_run *r = &c->runs[k];
		if (r->warmup || !r->shutdown || r->finished_before_signal || (need_measured && !r->measured))
			continue;
		v[n++] = (double)*(const uint64_t *)((const char *)r + off);
	}
	return n ? zc_median(v, n) : -1;
}

void zc_print_shutdown_table(FILE *out, const struct zc_cell *cells, size_t ncells)
{
	bool any = false;
	for (size_t i = 0; i < ncells && !any; i++)
		for (size_t k = 0; k < cells[i].nruns && !any; k++)
			any = cells[i].runs[k].shutdown;
	if (!any)
		return;
	fprintf(out, "\nShutdown (medians over signalled runs):\n");
	fprintf(out, "%-16s %-10s %12s %12s %12s %12s %12s %7s\n", "strategy", "workload", "to stop ms", "to exit ms",
		"in flight", "drained", "stranded", "killed");
	for (size_t i = 0; i < ncells; i++) {
		const struct zc_cell *c = &cells[i];
		size_t killed = 0, runs = 0;
		for (size_t k = 0; k < c->nruns; k++) {
			runs += c->runs[k].shutdown && !c->runs[k].warmup;
			killed += c->runs[k].killed;
		}
		if (!runs)
			continue;
		double stop = shutdown_median(c, offsetof(struct zc_run, w.stop_to_return_ns), true);
		double exit_ = shutdown_median(c, offsetof(struct zc_run, signal_to_exit_ns), false);
		double inflight = shutdown_median(c, offsetof(struct zc_run, w.in_flight_at_stop), true);
		double stranded = shutdown_median(c, offsetof(struct zc_run, w.stranded), true);
		double drained = -1;
		{
			double v[c->nruns ? c->nruns : 1];
			size_t n = 0;
			for (size_t k = 0; k < c->nruns; k++) {
				const struct zc_run *r = &c->runs[k];
				if (!r->warmup && r->shutdown && !r->finished_before_signal && r->measured)
					v[n++] = (double)(r->bytes - r->w.moved_at_stop);
			}
			drained = n ? zc_median(v, n) : -1;
		}
		char f[5][32];
		double vals[5] = {stop / 1e6, exit_ / 1e6, inflight, drained, stranded};
		for (int j = 0; j < 5; j++) {
			if (vals[j] < 0)
				snprintf(f[j], sizeof f[j], "-");
			else if (j < 2)
				snprintf(f[j], sizeof f[j], "%.2f", vals[j]);
			else
				zc_format_bytes((uint64_t)vals[j], f[j], sizeof f[j]);
		}
		fprintf(out, "%-16s %-10s %12s %12s %12s %12s %12s %3zu/%-3zu\n", c->p.strategy->name,
			c->p.workload->name, f[0], f[1], f[2], f[3], f[4], killed, runs);
	}
}
