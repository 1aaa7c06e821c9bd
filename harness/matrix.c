#include "matrix.h"

#include <stddef.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "options.h"
#include "stats.h"
#include "verdicts.h"

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

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* --time: after the warm-up round, every cell of a group moves the same
 * whole number of passes over its source, enough that the group's median
 * warm-up would have lasted at least time_ns. File and memory sources repeat
 * their source (more sequential transfers, each verified against the same
 * pattern); stream sources produce a longer pattern. */
static void size_for_time(struct zc_cell *cells, size_t ncells, uint64_t time_ns)
{
	bool *seen = calloc(ncells ? ncells : 1, sizeof *seen);
	double *el = malloc((ncells ? ncells : 1) * sizeof *el);
	if (!seen || !el)
		abort();
	for (size_t i = 0; i < ncells; i++) {
		if (seen[i])
			continue;
		const struct zc_cell_params key = cells[i].p;
		size_t n = 0;
		for (size_t k = i; k < ncells; k++) {
			if (seen[k] || !zc_same_group(&key, &cells[k].p))
				continue;
			const struct zc_cell *c = &cells[k];
			if (c->nruns && c->runs[c->nruns - 1].measured && c->runs[c->nruns - 1].w.elapsed_ns)
				el[n++] = (double)c->runs[c->nruns - 1].w.elapsed_ns;
		}
		uint64_t passes = 1;
		if (n) {
			double med = zc_median(el, n);
			double k = (double)time_ns / med;
			passes = k > 1 ? (uint64_t)k + (k > (double)(uint64_t)k) : 1;
			if (passes > 100000)
				passes = 100000;
		}
		for (size_t k = i; k < ncells; k++) {
			if (seen[k] || !zc_same_group(&key, &cells[k].p))
				continue;
			seen[k] = true;
			struct zc_cell_params *p = &cells[k].p;
			unsigned src = p->workload->source;
			p->size *= passes;
			if (src == ZC_EP_FILE || src == ZC_EP_MEM)
				p->transfers *= passes;
		}
	}
	free(seen);
	free(el);
}

static const char *const stop_names[] = {"max_runs", "decided", "max_time", "interrupted"};

int zc_matrix_run(const struct zc_env *env, struct zc_cell *cells, size_t ncells, const struct zc_plan *plan,
		  struct zc_plan_result *res)
{
	bool tty = isatty(STDERR_FILENO);
	int rc = stopped(env) ? -1 : 0;
	uint64_t t0 = mono_ns(), last_round_ns = 0;
	*res = (struct zc_plan_result){.stopped_because = stop_names[0]};
	for (unsigned round = 0; rc == 0; round++) {
		bool warmup = round < plan->warmup;
		if (!warmup) {
			unsigned measured = round - plan->warmup;
			if (measured >= plan->max_runs)
				break;
			if (measured >= plan->min_runs) {
				struct zc_verdicts vs;
				zc_verdicts_compute(cells, ncells, plan->baseline, &vs);
				bool decided = zc_verdicts_all_decided(&vs);
				zc_verdicts_free(&vs);
				if (decided) {
					res->stopped_because = stop_names[1];
					break;
				}
				/* Hyperfine's budget: no round that would end past it. */
				if (plan->max_time_ns && mono_ns() - t0 + last_round_ns > plan->max_time_ns) {
					res->stopped_because = stop_names[2];
					break;
				}
			}
			if (round == plan->warmup && plan->time_ns)
				size_for_time(cells, ncells, plan->time_ns);
		}
		unsigned shown = plan->warmup + plan->max_runs;
		uint64_t r0 = mono_ns();
		for (size_t i = 0; i < ncells; i++) {
			struct zc_cell *c = &cells[i];
			if (c->status != ZC_OK)
				continue;
			if (stopped(env)) {
				res->stopped_because = stop_names[3];
				rc = -1;
				break;
			}
			progress(tty, i + 1, ncells, c, round + 1, shown, warmup);
			/* Every byte is checked at least once per invocation: the
			 * cell's first run, a warm-up when there is one. */
			bool verify = plan->verify == ZC_VERIFY_ALL || !c->verified_once;
			size_t before = c->nruns;
			zc_run_once(env, c, warmup, verify);
			if (c->nruns > before)
				c->runs[c->nruns - 1].round = round;
			/* A cell that failed or was skipped never runs again: its
			 * destination files go now, not after every other cell (a
			 * full disk would otherwise stay full for all of them). */
			if (c->status == ZC_FAILED || c->status == ZC_SKIPPED)
				zc_cell_cleanup(c);
			if (c->status == ZC_INTERRUPTED || stopped(env)) {
				if (c->status == ZC_INTERRUPTED)
					c->status = ZC_OK; /* keep what it measured; the doc says interrupted */
				res->stopped_because = stop_names[3];
				rc = -1;
				break;
			}
		}
		last_round_ns = mono_ns() - r0;
		if (!warmup)
			res->rounds++;
	}
	if (tty)
		fputs("\r\033[K", stderr);
	/* A signal after the last run still makes an interrupted invocation. */
	if (stopped(env)) {
		rc = -1;
		res->stopped_because = stop_names[3];
	}
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
