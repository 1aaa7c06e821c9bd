#include "options.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int parse_digits(const char **p, uint64_t *out, const char **why)
{
	const char *s = *p;
	if (!isdigit((unsigned char)*s)) {
		*why = *s == '-' ? "must not be negative" : "must start with a digit";
		return -1;
	}
	uint64_t v = 0;
	for (; isdigit((unsigned char)*s); s++) {
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10) {
			*why = "is too large";
			return -1;
		}
		v = v * 10 + d;
	}
	*p = s;
	*out = v;
	return 0;
}

int zc_parse_size(const char *s, uint64_t *out, const char **why)
{
	uint64_t v;
	if (parse_digits(&s, &v, why) != 0)
		return -1;
	unsigned shift = 0;
	switch (toupper((unsigned char)*s)) {
	case 0:
		break;
	case 'K':
		shift = 10;
		break;
	case 'M':
		shift = 20;
		break;
	case 'G':
		shift = 30;
		break;
	case 'T':
		shift = 40;
		break;
	default:
		*why = "has an unknown suffix (use K, M, G or T for KiB, MiB, GiB, TiB)";
		return -1;
	}
	if (shift) {
		s++;
		if (strcasecmp(s, "iB") == 0 || strcasecmp(s, "B") == 0)
			s += strlen(s);
	}
	if (*s) {
		*why = "has trailing characters (use K, M, G or T for KiB, MiB, GiB, TiB)";
		return -1;
	}
	if (shift && v > (UINT64_MAX >> shift)) {
		*why = "is too large";
		return -1;
	}
	*out = v << shift;
	return 0;
}

int zc_parse_count(const char *s, uint64_t min, uint64_t max, uint64_t *out, const char **why)
{
	uint64_t v;
	if (parse_digits(&s, &v, why) != 0)
		return -1;
	if (*s) {
		*why = "must be a whole number";
		return -1;
	}
	if (v < min || v > max) {
		*why = v < min ? "is too small" : "is too large";
		return -1;
	}
	*out = v;
	return 0;
}

int zc_parse_duration(const char *s, uint64_t *ns, const char **why)
{
	uint64_t v;
	if (parse_digits(&s, &v, why) != 0)
		return -1;
	static const struct {
		const char *unit;
		uint64_t ns;
	} units[] = {{"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000}};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(s, units[i].unit) != 0)
			continue;
		if (v > UINT64_MAX / units[i].ns) {
			*why = "is too large";
			return -1;
		}
		*ns = v * units[i].ns;
		return 0;
	}
	*why = "needs a unit (ns, us, ms or s)";
	return -1;
}

void zc_format_bytes(uint64_t n, char *buf, size_t len)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	unsigned u = 0;
	uint64_t whole = n;
	while (u < 4 && whole >= 1024 && whole % 1024 == 0) {
		whole /= 1024;
		u++;
	}
	if (whole < 1024 || u == 4) {
		snprintf(buf, len, "%llu %s", (unsigned long long)whole, units[u]);
		return;
	}
	double v = (double)n;
	u = 0;
	while (u < 4 && v >= 1024) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.2f %s", v, units[u]);
}

_Noreturn void zc_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("zcbench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

uint64_t zc_size_arg(const char *opt, const char *v)
{
	uint64_t n;
	const char *why;
	if (zc_parse_size(v, &n, &why) != 0)
		zc_usage_error("%s '%s' %s", opt, v, why);
	return n;
}

uint64_t zc_count_arg(const char *opt, const char *v, uint64_t min, uint64_t max)
{
	uint64_t n;
	const char *why;
	if (zc_parse_count(v, min, max, &n, &why) != 0)
		zc_usage_error("%s '%s' %s (valid: %" PRIu64 " to %" PRIu64 ")", opt, v, why, min, max);
	return n;
}

int zc_choice_arg(const char *opt, const char *v, const char *const *choices, size_t n)
{
	char valid[256] = "";
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v, choices[i]) == 0)
			return (int)i;
		snprintf(valid + strlen(valid), sizeof valid - strlen(valid), "%s%s", i ? ", " : "", choices[i]);
	}
	zc_usage_error("%s '%s' is not a valid choice (valid: %s)", opt, v, valid);
}

uint64_t zc_duration_arg(const char *opt, const char *v)
{
	uint64_t ns;
	const char *why;
	if (zc_parse_duration(v, &ns, &why) != 0)
		zc_usage_error("%s '%s' %s", opt, v, why);
	return ns;
}

size_t zc_split_list(const char *opt, const char *list, char **items, size_t max, char **storage)
{
	char *copy = strdup(list);
	if (!copy)
		zc_usage_error("out of memory");
	*storage = copy;
	size_t n = 0;
	for (char *p = copy;;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = 0;
		if (!*p)
			zc_usage_error("%s '%s' has an empty item", opt, list);
		if (n == max)
			zc_usage_error("%s '%s' has more than %zu items", opt, list, max);
		items[n++] = p;
		if (!comma)
			break;
		p = comma + 1;
	}
	return n;
}
