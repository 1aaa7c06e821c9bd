/* The deterministic data pattern every source carries. Byte i of a stream is a
 * pure function of i, so a sink can verify any byte without the source. */
#ifndef ZC_PATTERN_H
#define ZC_PATTERN_H

#include <stddef.h>
#include <stdint.h>

/* Version of the pattern function; part of every cached file's name. */
#define ZC_PATTERN_VERSION 1

/* Fill buf with the pattern bytes at stream offsets [offset, offset+len). */
void zc_pattern_fill(void *buf, uint64_t offset, size_t len);

/* Compare buf with the pattern at [offset, offset+len). Returns the index in
 * buf of the first wrong byte, or -1 when every byte matches. */
int64_t zc_pattern_check(const void *buf, uint64_t offset, size_t len);

/* A stream made of `period`-byte segments, each one a copy of the pattern from
 * offset 0 (what N sequential transfers of one file produce). Checks
 * buf against stream offsets [offset, offset+len); returns the index of the
 * first wrong byte in buf or -1. period 0 means one unbroken pattern. */
int64_t zc_pattern_check_periodic(const void *buf, uint64_t offset, size_t len, uint64_t period);

#endif
