/* Honest about noise: warnings for what makes a figure less trustworthy than
 * its interval says. Per cell: bimodal runs, a first run much slower than
 * the rest, outliers. Per invocation: a busy machine at the start, a memcpy
 * ceiling that changed between the start and the end. Each warning is
 * {"code", "message"}; codes and thresholds: results/SCHEMA.md. */
#ifndef ZC_NOISE_H
#define ZC_NOISE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cell.h"

/* A gap between two groups of runs: the largest gap between consecutive
 * sorted log-throughputs is at least ln(1.1) (10%) and wider than the spread
 * (max/min) inside each group, and each group holds at least 2 runs. */
#define ZC_BIMODAL_MIN_GAP 1.1
/* The cell's first measured run slower than the median of the other
 * measured runs by this factor (a warm-up that was not enough). */
#define ZC_FIRST_RUN_SLOW 1.5
/* Calibrated memcpy ceiling at the end against the start. */
#define ZC_CEILING_DRIFT 0.10
/* Other runnable tasks (mean over the samples, all CPUs). */
#define ZC_BUSY_OTHERS 0.5
/* Steal time as a share of all CPU time over the samples. */
#define ZC_BUSY_STEAL 0.02

/* Whether x[0..n) splits into two groups as ZC_BIMODAL_MIN_GAP says; *nlow,
 * *low and *high get the size of the slower group and each group's median. */
bool zc_bimodal(const double *x, size_t n, size_t *nlow, double *low, double *high);

/* The warnings of one cell (an array, empty when none). New reference. */
json_t *zc_cell_warnings(const struct zc_cell *c);

struct zc_machine_state {
	int ncpu;
	double load1;	       /* 1-minute load average, -1 when unreadable */
	double others_running; /* mean of /proc/stat procs_running minus this process, -1 when unreadable */
	double steal_share;    /* steal / all CPU time over the samples, -1 when not reported */
	unsigned samples, interval_ms;
};

/* Sample the machine (samples x interval_ms, about 200 ms by default). */
void zc_machine_sample(struct zc_machine_state *st, unsigned samples, unsigned interval_ms);
json_t *zc_machine_state_json(const struct zc_machine_state *st);
/* Append the machine's warnings (busy, steal) to the array. */
void zc_machine_warnings(const struct zc_machine_state *st, json_t *warnings);
/* doctor's lines. */
void zc_machine_print(FILE *out, const struct zc_machine_state *st);

/* Append a calibration_drift warning when the two memcpy ceilings differ by
 * more than ZC_CEILING_DRIFT. */
void zc_ceiling_warning(double start_bps, double end_bps, json_t *warnings);

/* A {"code","message"} object. New reference. */
json_t *zc_warning(const char *code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print each warning of the array as "<prefix>warning: <message>". */
void zc_warnings_print(FILE *out, const json_t *warnings, const char *prefix);

#endif
