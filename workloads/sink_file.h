/* Destination files: prepared before a run, checked after it. */
#ifndef ZC_SINK_FILE_H
#define ZC_SINK_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Before a run. fresh: remove it (the subject creates it). Otherwise make it
 * exist with `size` bytes of cached pages; when verify, fill it with bytes
 * that differ from the pattern everywhere, so a run that writes nothing
 * cannot pass. Returns 0, or -1 with err. */
int zc_dest_prepare(const char *path, uint64_t size, bool verify, bool fresh, char *err, size_t err_len);

/* After a run: its size into *received and the first byte that differs from
 * the pattern (repeating every `period` bytes, redacted when asked) into
 * *mismatch_at, -1 if none. Returns 0, or -1 with err. */
int zc_dest_verify(const char *path, uint64_t size, uint64_t period, bool redacted, uint64_t *received,
		   int64_t *mismatch_at, char *err, size_t err_len);

/* After a run stopped early: *received is the length of the pattern prefix
 * (the bytes the subject delivered), *mismatch_at the first byte after it
 * that is not the poison zc_dest_prepare wrote, -1 if none. Returns 0, or -1
 * with err. */
int zc_dest_verify_prefix(const char *path, uint64_t size, uint64_t period, bool redacted, uint64_t *received,
			  int64_t *mismatch_at, char *err, size_t err_len);

#endif
