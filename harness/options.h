/* Parsing of command-line values: sizes with binary suffixes, lists. */
#ifndef ZC_OPTIONS_H
#define ZC_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "4096", "64K", "256M", "1G", "2T" (binary multiples; case-insensitive; an
 * optional "iB" or "B" after the letter). Rejects signs, junk, empty and
 * overflow. Returns 0, or -1 with *why set to a static explanation. */
int zc_parse_size(const char *s, uint64_t *out, const char **why);

/* A whole number in [min, max]. Same return convention. */
int zc_parse_count(const char *s, uint64_t min, uint64_t max, uint64_t *out, const char **why);

/* Format a byte count the way the human output shows it ("256 MiB", "1.5 GiB"). */
void zc_format_bytes(uint64_t n, char *buf, size_t len);

#endif
