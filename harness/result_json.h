/* Result files: building the JSON documented in results/SCHEMA.md and
 * writing it atomically. */
#ifndef ZC_RESULT_JSON_H
#define ZC_RESULT_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "cell.h"

#define ZC_SCHEMA  "zcbench/1"
#define ZC_VERSION "0.1.0"

/* A cell with its params, runs and summary. New reference. */
json_t *zc_cell_json(const struct zc_cell *cell);

/* A cell's "params" object. New reference. */
json_t *zc_cell_params_json(const struct zc_cell *cell);

/* The document around the cells. argv is recorded as `command`. */
json_t *zc_result_doc(int argc, char **argv, const char *started_at, struct zc_probes *probes);

/* Write doc to path ("-" is stdout) with zc_out_write: a temp file in the
 * same directory, fsync and rename, so a reader sees the old file or the
 * whole new one, and never over anything but a regular file. Returns 0, or
 * -1 with err set. */
int zc_write_json_atomic(const json_t *doc, const char *path, char *err, size_t err_len);

/* Whether path may be written: "-", or what zc_out_check (safe_file.h)
 * accepts. Returns 0, or -1 with a reason (bad input). */
int zc_check_writable(const char *path, char *err, size_t err_len);

/* Remove the temp files an interrupted write left (zc_tmp_cleanup), if any.
 * Safe to call from a signal handler. */
void zc_json_tmp_cleanup(void);

#endif
