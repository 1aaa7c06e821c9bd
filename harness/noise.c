#include "noise.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "stats.h"

json_t *zc_warning(const char *code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return json_pack("{s:s,s:s}", "code", code, "message", msg);
}

void zc_warnings_print(FILE *out, const json_t *warnings, const char *prefix)
{
	size_t i;
	const json_t *w;
	json_array_foreach(warnings, i, w)
	{
		/* Words wrapped at 100 columns, continuation lines indented. */
		const char *m = json_string_value(json_object_get(w, "message"));
		size_t col = (size_t)fprintf(out, "%swarning:", prefix), indent = strlen(prefix) + 2;
		while (m && *m) {
			size_t len = strcspn(m, " ");
			if (col + 1 + len > 100 && col > indent) {
				fprintf(out, "\n%*s", (int)indent, "");
				col = indent;
			} else {
				fputc(' ', out);
				col++;
			}
			col += fwrite(m, 1, len, out);
			m += len;
			while (*m == ' ')
				m++;
		}
		fputc('\n', out);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

bool zc_bimodal(const double *x, size_t n, size_t *nlow, double *low, double *high)
{
	if (n < 4)
		return false;
	double *l = malloc(n * sizeof *l);
	if (!l)
		abort();
	for (size_t i = 0; i < n; i++)
		l[i] = log(x[i] > 0 ? x[i] : 1e-300);
	qsort(l, n, sizeof *l, cmp_double);
	size_t at = 0; /* the gap is between l[at] and l[at + 1] */
	for (size_t i = 1; i + 1 < n; i++)
		if (l[i + 1] - l[i] > l[at + 1] - l[at])
			at = i;
	double gap = l[at + 1] - l[at];
	size_t nl = at + 1, nh = n - nl;
	bool yes = nl >= 2 && nh >= 2 && gap >= log(ZC_BIMODAL_MIN_GAP) && gap > l[at] - l[0] &&
		   gap > l[n - 1] - l[at + 1];
	if (yes) {
		*nlow = nl;
		*low = exp(nl % 2 ? l[nl / 2] : (l[nl / 2 - 1] + l[nl / 2]) / 2);
		const double *h = l + nl;
		*high = exp(nh % 2 ? h[nh / 2] : (h[nh / 2 - 1] + h[nh / 2]) / 2);
	}
	free(l);
	return yes;
}

static bool counts(const struct zc_run *r)
{
	return r->measured && r->w.elapsed_ns > 0 && r->bytes > 0;
}

static double bps(const struct zc_run *r)
{
	return (double)r->bytes * 1e9 / (double)r->w.elapsed_ns;
}

json_t *zc_cell_warnings(const struct zc_cell *c)
{
	json_t *a = json_array();
	size_t cap = c->nruns ? c->nruns : 1, n = 0;
	double *t = malloc(cap * sizeof *t);
	size_t *idx = malloc(cap * sizeof *idx);
	if (!t || !idx)
		abort();
	for (size_t i = 0; i < c->nruns; i++)
		if (!c->runs[i].warmup && counts(&c->runs[i])) {
			idx[n] = i;
			t[n++] = bps(&c->runs[i]);
		}
	size_t nlow;
	double lo, hi;
	if (zc_bimodal(t, n, &nlow, &lo, &hi))
		json_array_append_new(a, zc_warning("bimodal",
						    "%s/%s: runs fall in two groups, %zu near %.2f GB/s and %zu near "
						    "%.2f GB/s; a median hides this",
						    c->p.strategy->name, c->p.workload->name, nlow, lo / 1e9, n - nlow,
						    hi / 1e9));
	bool *out = malloc(cap * sizeof *out);
	if (!out)
		abort();
	size_t nout = n ? zc_outliers(t, n, out) : 0;
	if (nout) {
		char list[128] = "";
		for (size_t k = 0; k < n; k++)
			if (out[k])
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%zu", list[0] ? ", " : "",
					 idx[k]);
		json_array_append_new(a, zc_warning("outliers",
						    "%s/%s: %zu of %zu runs are outliers (modified z-score > %.1f; "
						    "runs[%s] in the JSON)",
						    c->p.strategy->name, c->p.workload->name, nout, n, ZC_OUTLIER_Z,
						    list));
	}
	/* The first measured run against the median of the others: a first run
	 * still slow after the warm-ups lowers the figures. */
	if (n >= 3 && t[0] * ZC_FIRST_RUN_SLOW < zc_median(t + 1, n - 1)) {
		size_t warmups = idx[0];
		json_array_append_new(a, zc_warning("first_run_slow",
						    "%s/%s: the first measured run (after %zu warm-up%s) was %.1fx "
						    "slower than the median of the rest; more --warmup would help",
						    c->p.strategy->name, c->p.workload->name, warmups,
						    warmups == 1 ? "" : "s", zc_median(t + 1, n - 1) / t[0]));
	}
	free(out);
	free(t);
	free(idx);
	return a;
}

/* ---- the machine ---- */

/* procs_running and the summed "cpu" line (all ticks, steal ticks). */
static int read_proc_stat(long *running, unsigned long long *all, unsigned long long *steal)
{
	FILE *f = fopen("/proc/stat", "r");
	if (!f)
		return -1;
	char line[512];
	int got = 0;
	*steal = 0;
	*all = 0;
	while (fgets(line, sizeof line, f)) {
		unsigned long long v[10] = {0};
		if (strncmp(line, "cpu ", 4) == 0) {
			int k = sscanf(line + 4, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
				       &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]);
			for (int i = 0; i < k && i < 8; i++) /* guest time is inside user already */
				*all += v[i];
			*steal = k >= 8 ? v[7] : 0;
			got |= k >= 8 ? 2 : 0;
		} else if (sscanf(line, "procs_running %ld", running) == 1) {
			got |= 1;
		}
	}
	fclose(f);
	return got == 3 ? 0 : -1;
}

void zc_machine_sample(struct zc_machine_state *st, unsigned samples, unsigned interval_ms)
{
	*st = (struct zc_machine_state){
		.ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN), .load1 = -1, .others_running = -1, .steal_share = -1};
	st->samples = samples;
	st->interval_ms = interval_ms;
	double la[1];
	if (getloadavg(la, 1) == 1)
		st->load1 = la[0];
	long running;
	unsigned long long all0, steal0, all1 = 0, steal1 = 0;
	if (read_proc_stat(&running, &all0, &steal0) != 0)
		return;
	double sum = 0;
	unsigned got = 0;
	for (unsigned i = 0; i < samples; i++) {
		struct timespec ts = {interval_ms / 1000, (long)(interval_ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
		if (read_proc_stat(&running, &all1, &steal1) != 0)
			continue;
		/* This process is running while it reads the file. */
		sum += running > 1 ? (double)(running - 1) : 0;
		got++;
	}
	if (got)
		st->others_running = sum / got;
	if (all1 > all0 && steal1 >= steal0)
		st->steal_share = (double)(steal1 - steal0) / (double)(all1 - all0);
}

json_t *zc_machine_state_json(const struct zc_machine_state *st)
{
	return json_pack("{s:i,s:o,s:o,s:o,s:i,s:i}", "cpus", st->ncpu, "load_1m",
			 st->load1 >= 0 ? json_real(st->load1) : json_null(), "others_running",
			 st->others_running >= 0 ? json_real(st->others_running) : json_null(), "steal_share",
			 st->steal_share >= 0 ? json_real(st->steal_share) : json_null(), "samples", st->samples,
			 "interval_ms", st->interval_ms);
}

void zc_machine_warnings(const struct zc_machine_state *st, json_t *warnings)
{
	if (st->others_running >= ZC_BUSY_OTHERS)
		json_array_append_new(
			warnings, zc_warning("busy_machine",
					     "busy machine at the start: %.1f other runnable tasks on average on %d "
					     "CPUs (/proc/stat procs_running); timings compete with them",
					     st->others_running, st->ncpu));
	else if (st->load1 >= st->ncpu)
		json_array_append_new(warnings,
				      zc_warning("busy_machine",
						 "busy machine: load average %.2f over the last minute on %d CPUs",
						 st->load1, st->ncpu));
	if (st->steal_share >= ZC_BUSY_STEAL)
		json_array_append_new(warnings, zc_warning("steal",
							   "the hypervisor stole %.1f%% of CPU time at the start "
							   "(/proc/stat steal)",
							   st->steal_share * 100));
}

void zc_machine_print(FILE *out, const struct zc_machine_state *st)
{
	fprintf(out, "Machine state (%u samples %u ms apart):\n", st->samples, st->interval_ms);
	if (st->load1 >= 0)
		fprintf(out, "  %-5s load average %.2f over 1 minute on %d CPUs\n",
			st->load1 >= st->ncpu ? "BUSY" : "ok", st->load1, st->ncpu);
	if (st->others_running >= 0)
		fprintf(out, "  %-5s %.1f other runnable tasks on average (/proc/stat procs_running)\n",
			st->others_running >= ZC_BUSY_OTHERS ? "BUSY" : "ok", st->others_running);
	if (st->steal_share >= 0)
		fprintf(out, "  %-5s steal %.1f%% of CPU time (reads 0 on some hypervisors even when runs slow down)\n",
			st->steal_share >= ZC_BUSY_STEAL ? "BUSY" : "ok", st->steal_share * 100);
	else
		fprintf(out, "  n/a   steal time: not reported by this kernel\n");
	json_t *w = json_array();
	zc_machine_warnings(st, w);
	if (json_array_size(w))
		fputs("  Timings taken now compete with other work: wait, or stop it, before measuring.\n", out);
	json_decref(w);
}

void zc_ceiling_warning(double start_bps, double end_bps, json_t *warnings)
{
	if (!(start_bps > 0) || !(end_bps > 0))
		return;
	double change = end_bps / start_bps - 1;
	if (fabs(change) > ZC_CEILING_DRIFT)
		json_array_append_new(
			warnings,
			zc_warning("calibration_drift",
				   "the memcpy ceiling moved %+.0f%% between the start (%.1f GB/s) and the end "
				   "(%.1f GB/s): the machine's speed changed during the invocation",
				   change * 100, start_bps / 1e9, end_bps / 1e9));
}
