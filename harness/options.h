/* Parsing of command-line values: sizes with binary suffixes, lists. */
#ifndef ZC_OPTIONS_H
#define ZC_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "4096", "64K", "256M", "1G", "2T" (binary multiples; case-insensitive; an
 * optional "iB" or "B" after the letter). Rejects signs, junk, empty and
 * overflow. Returns 0, or -1 with *why set to a static explanation. */
int zc_parse_size(const char *s, uint64_t *out, const char **why);

/* A whole number in [min, max]. Same return convention. */
int zc_parse_count(const char *s, uint64_t min, uint64_t max, uint64_t *out, const char **why);

/* "250ms", "2s", "500us", "100000ns", "0.5ms": a duration with its unit,
 * into nanoseconds; a fraction must come to whole nanoseconds. Same return
 * convention. */
int zc_parse_duration(const char *s, uint64_t *ns, const char **why);
uint64_t zc_duration_arg(const char *opt, const char *v);

/* Format a byte count the way the human output shows it ("256 MiB", "1.5 GiB"). */
void zc_format_bytes(uint64_t n, char *buf, size_t len);

/* Bad input: print "zcbench: <message>" as one line on stderr, exit 2. */
_Noreturn void zc_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parse a value or die with zc_usage_error naming the option. */
uint64_t zc_size_arg(const char *opt, const char *v);
uint64_t zc_count_arg(const char *opt, const char *v, uint64_t min, uint64_t max);
int zc_choice_arg(const char *opt, const char *v, const char *const *choices, size_t n);

/* Split a comma-separated list into at most max items (pointers into a
 * strdup'd copy the caller frees through *storage). Returns the count; dies
 * on an empty item. */
size_t zc_split_list(const char *opt, const char *list, char **items, size_t max, char **storage);

/* The same without dying: returns the count, or -1 with *why set (an empty
 * item, too many items; *storage is then freed). Every comma list of every
 * command goes through here, so "a,,b" and "a," mean the same everywhere. */
long zc_parse_list(const char *list, char **items, size_t max, char **storage, const char **why);

/* getopt_long takes any unambiguous prefix of a long option ("--out" for
 * "--out-dir"); zcbench takes exact names only. Checks argv[1..] (up to
 * "--") against longopts and dies with exit 2 on an unknown name, naming
 * the options it may have meant; also on a missing value or a value given
 * to an option that takes none. "-h" is the only short option. */
void zc_options_exact(const char *cmd, int argc, char **argv, const struct option *longopts);

/* "zcbench 0.1.0" on standard output, for --version. */
void zc_print_version(void);

#endif
