/* The shutdown benchmark's figures as the report reads them (`zcbench run
 * --shutdown-after DUR`): its settings, read from each file's command line
 * (the result file keeps them nowhere else), and each cell's
 * summary.shutdown, with the drained bytes taken from the runs. Drawing them
 * is report_shutdown.c's part. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../options.h"
#include "report_model.h"

/* The options of ours that take a value. */
static bool ours(const char *name)
{
	static const char *const names[] = {"shutdown-after", "checkpoint", "kill-after", "stall-peer"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

void zc_shutdown_opts_parse(const json_t *command, struct zc_rshutdown_opts *o)
{
	memset(o, 0, sizeof *o);
	o->deadlines = true;
	o->checkpoint_ns = 100e6;
	o->kill_after_ns = 2e9;
	size_t n = json_is_array(command) ? json_array_size(command) : 0;
	for (size_t i = 1; i < n; i++) {
		const char *arg = json_string_value(json_array_get(command, i));
		if (!arg || strncmp(arg, "--", 2) != 0)
			continue;
		if (!arg[2])
			break; /* "--": no options after it */
		/* "--name value" or "--name=value", as getopt_long takes them. */
		char name[64];
		const char *eq = strchr(arg, '='), *value = NULL;
		snprintf(name, sizeof name, "%.*s", (int)(eq ? eq - arg - 2 : (long)strlen(arg + 2)), arg + 2);
		if (eq)
			value = eq + 1;
		else if (i + 1 < n) {
			/* Another option's value is skipped too (`zcbench run` takes no
			 * operands), unless it looks like the next option. */
			const char *next = json_string_value(json_array_get(command, i + 1));
			if (ours(name) || (next && strncmp(next, "--", 2) != 0))
				value = json_string_value(json_array_get(command, ++i));
		}
		uint64_t v;
		const char *why;
		if (strcmp(name, "no-deadlines") == 0) {
			o->deadlines = false;
		} else if (!value) {
			continue;
		} else if (strcmp(name, "shutdown-after") == 0 && zc_parse_duration(value, &v, &why) == 0) {
			o->on = true;
			o->after_ns = (double)v;
		} else if (strcmp(name, "checkpoint") == 0 && zc_parse_duration(value, &v, &why) == 0) {
			o->checkpoint_ns = (double)v;
			o->checkpoint_set = true;
		} else if (strcmp(name, "kill-after") == 0 && zc_parse_duration(value, &v, &why) == 0) {
			o->kill_after_ns = (double)v;
			o->kill_after_set = true;
		} else if (strcmp(name, "stall-peer") == 0 && zc_parse_size(value, &v, &why) == 0) {
			o->stall_bytes.ok = true;
			o->stall_bytes.v = (double)v;
		}
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

void zc_shutdown_extract(struct zc_rcell *c)
{
	const json_t *s = json_object_get(json_object_get(c->j, "summary"), "shutdown");
	if (!json_is_object(s))
		return;
	c->sd = true;
	c->sd_runs = zc_jnum(s, "runs");
	c->sd_killed = zc_jnum(s, "killed_runs");
	c->sd_before = zc_jnum(s, "finished_before_signal_runs");
	c->sd_stop = zc_jnum(s, "signal_to_stop_ns.median");
	c->sd_stop_max = zc_jnum(s, "signal_to_stop_ns.max");
	c->sd_exit = zc_jnum(s, "signal_to_exit_ns.median");
	c->sd_exit_max = zc_jnum(s, "signal_to_exit_ns.max");
	c->sd_inflight = zc_jnum(s, "in_flight_bytes_at_signal.median");
	c->sd_inflight_max = zc_jnum(s, "in_flight_bytes_at_signal.max");
	c->sd_stranded = zc_jnum(s, "stranded_bytes.median");
	c->sd_stranded_max = zc_jnum(s, "stranded_bytes.max");
	c->all_killed =
		!c->tput.ok && c->sd_killed.ok && c->sd_killed.v > 0 && c->sd_runs.ok && c->sd_killed.v >= c->sd_runs.v;
	/* Drained after the signal: the median over the measured runs that
	 * have it (a killed run or one that finished first has null). */
	const json_t *runs = json_object_get(c->j, "runs");
	size_t n = json_array_size(runs), m = 0;
	double *v = calloc(n ? n : 1, sizeof *v);
	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		const json_t *run = json_array_get(runs, i);
		if (json_is_true(json_object_get(run, "warmup")))
			continue;
		struct zc_val d = zc_jnum(run, "shutdown.drained_after_signal_bytes");
		if (d.ok)
			v[m++] = d.v;
	}
	if (m) {
		qsort(v, m, sizeof *v, cmp_double);
		c->sd_drained.ok = c->sd_drained_max.ok = true;
		c->sd_drained.v = m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
		c->sd_drained_max.v = v[m - 1];
	}
	free(v);
}

bool zc_shutdown_in_workload(const struct zc_report *r, size_t w)
{
	for (size_t i = 0; i < r->ncells; i++)
		if (r->cells[i].workload == w && r->cells[i].sd)
			return true;
	return false;
}

bool zc_shutdown_any(const struct zc_report *r)
{
	for (size_t i = 0; i < r->ncells; i++)
		if (r->cells[i].sd)
			return true;
	return false;
}
