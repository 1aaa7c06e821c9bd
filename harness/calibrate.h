/* The machine's ceilings, measured in a few seconds: single-core memcpy
 * bandwidth, the round trip of a trivial syscall, and pipe throughput with
 * plain write/read. `zcbench all` stores the object as host.calibration; the
 * report relates each strategy's figures to it. Keys: results/SCHEMA.md. */
#ifndef ZC_CALIBRATE_H
#define ZC_CALIBRATE_H

#include <jansson.h>
#include <stdio.h>

/* Measure everything. Never NULL (NULL only when out of memory). A part that
 * could not be measured has "bps"/"ns_per_call" null and a "reason". Forks one
 * child (the pipe's writer) and waits for it; pins nothing. Takes about a
 * second here. After SIGINT/SIGTERM (zc_interrupted) each part stops before
 * its next trial, its figure null with reason "interrupted", and the object
 * says "interrupted": true. */
json_t *zc_calibrate_measure(void);

/* Only the memcpy part (the cheap ceiling an invocation measures at its
 * start and end to see the machine's speed change): {"bps", ...}. */
json_t *zc_calibrate_memcpy(void);

/* The human table for a calibration object. */
void zc_calibrate_print(FILE *out, const json_t *cal);

/* Figures the report uses; each returns 0 and sets *v, or -1 when absent. */
int zc_calibrate_memcpy_bps(const json_t *cal, double *v);
int zc_calibrate_syscall_ns(const json_t *cal, double *v);
int zc_calibrate_pipe_bps(const json_t *cal, double *v);

#endif
