/* The deterministic data pattern every source carries. Byte i of a stream is a
 * pure function of i, so a sink can verify any byte without the source. */
#ifndef ZC_PATTERN_H
#define ZC_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Version of the pattern function; part of every cached file's name. */
#define ZC_PATTERN_VERSION 1

/* Fill buf with the pattern bytes at stream offsets [offset, offset+len). */
void zc_pattern_fill(void *buf, uint64_t offset, size_t len);

/* The redaction --inspect redact applies, and the verifier expects: ASCII
 * digits become 'X' (masking numbers in a stream). */
static inline uint8_t zc_redact_byte(uint8_t b)
{
	return b >= '0' && b <= '9' ? 'X' : b;
}

/* Compare buf with the pattern at [offset, offset+len) (redacted when asked).
 * Returns the index in buf of the first wrong byte, or -1 when all match. */
int64_t zc_pattern_check(const void *buf, uint64_t offset, size_t len, bool redacted);

/* A stream made of `period`-byte segments, each one a copy of the pattern from
 * offset 0 (what N sequential transfers of one file produce). Checks
 * buf against stream offsets [offset, offset+len); returns the index of the
 * first wrong byte in buf or -1. period 0 means one unbroken pattern. */
int64_t zc_pattern_check_periodic(const void *buf, uint64_t offset, size_t len, uint64_t period, bool redacted);

/* Where in the pattern an 8-byte word came from: the word at an 8-aligned
 * offset o is a bijection of o/8 (splitmix64), so it names its own offset.
 * Returns that offset (a multiple of 8). A datagram that may arrive anywhere,
 * or never, is placed by its first word and then checked byte by byte. */
uint64_t zc_pattern_locate(const void *word);

#endif
