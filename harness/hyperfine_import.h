/* Whole-process timing under hyperfine: importing its --export-json output
 * into a cell of a zcbench result file (key `hyperfine`, results/SCHEMA.md). */
#ifndef ZC_HYPERFINE_IMPORT_H
#define ZC_HYPERFINE_IMPORT_H

#include <jansson.h>

/* The cell's `hyperfine` object from one entry of hyperfine's "results"
 * array: times in integer nanoseconds (rounded from hyperfine's seconds),
 * throughput from size_bytes (the bytes one run moves; <= 0: none).
 * command is the string hyperfine ran, argv the words it stands for.
 * Returns a new reference, or NULL with err set when the entry lacks
 * hyperfine's keys. */
json_t *zc_hyperfine_cell(const json_t *entry, double size_bytes, const char *command, char *const argv[], char *err,
			  size_t err_len);

/* The same from a hyperfine JSON file holding one command. */
json_t *zc_hyperfine_import_file(const char *path, double size_bytes, const char *command, char *const argv[],
				 char *err, size_t err_len);

/* A `hyperfine` object for a cell that was not timed: status and reason. */
json_t *zc_hyperfine_not_timed(const char *status, const char *reason, const char *command, char *const argv[]);

#endif
