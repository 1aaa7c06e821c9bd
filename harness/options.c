#include "options.h"

#include "result_json.h" /* ZC_VERSION */

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
		*why = *s == '-' && isdigit((unsigned char)s[1]) ? "must not be negative" : "must start with a digit";
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
	/* An optional fraction, kept as digits over a power of ten. */
	uint64_t frac = 0, scale = 1;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s)) {
			*why = "needs digits after the decimal point";
			return -1;
		}
		for (; isdigit((unsigned char)*s); s++) {
			if (scale == 1000000000) {
				*why = "has more than 9 decimal places";
				return -1;
			}
			frac = frac * 10 + (uint64_t)(*s - '0');
			scale *= 10;
		}
	}
	static const struct {
		const char *unit;
		uint64_t ns;
	} units[] = {{"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000}};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(s, units[i].unit) != 0)
			continue;
		uint64_t u = units[i].ns;
		/* frac < scale <= 10^9 and u <= 10^9: frac * u fits. */
		if (frac * u % scale != 0) {
			*why = "is not a whole number of nanoseconds";
			return -1;
		}
		uint64_t part = frac * u / scale;
		if (v > (UINT64_MAX - part) / u) {
			*why = "is too large";
			return -1;
		}
		*ns = v * u + part;
		return 0;
	}
	*why = *s ? "has an unknown unit (use ns, us, ms or s, e.g. 250ms or 0.5s)"
		  : "needs a unit (ns, us, ms or s, e.g. 250ms or 0.5s)";
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

long zc_parse_list(const char *list, char **items, size_t max, char **storage, const char **why)
{
	char *copy = strdup(list);
	if (!copy) {
		*why = "cannot be copied (out of memory)";
		return -1;
	}
	size_t n = 0;
	for (char *p = copy;;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = 0;
		*why = !*p ? "has an empty item" : n == max ? "has too many items" : NULL;
		if (*why) {
			free(copy);
			return -1;
		}
		items[n++] = p;
		if (!comma)
			break;
		p = comma + 1;
	}
	*storage = copy;
	return (long)n;
}

size_t zc_split_list(const char *opt, const char *list, char **items, size_t max, char **storage)
{
	const char *why;
	long n = zc_parse_list(list, items, max, storage, &why);
	if (n < 0) {
		if (strcmp(why, "has too many items") == 0)
			zc_usage_error("%s '%s' has more than %zu items", opt, list, max);
		zc_usage_error("%s '%s' %s", opt, list, why);
	}
	return (size_t)n;
}

/* Options the unknown name may have meant: one a prefix of the other. */
static void near_names(const char *name, size_t len, const struct option *longopts, char *buf, size_t buflen)
{
	buf[0] = 0;
	for (const struct option *o = longopts; o->name; o++) {
		size_t ol = strlen(o->name);
		if (strncmp(o->name, name, len < ol ? len : ol) == 0 && len > 0)
			snprintf(buf + strlen(buf), buflen - strlen(buf), "%s--%s", buf[0] ? " or " : "", o->name);
	}
}

void zc_options_exact(const char *cmd, int argc, char **argv, const struct option *longopts)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			return;
		if (a[0] != '-' || a[1] == 0)
			continue; /* an operand, or "-" */
		if (a[1] != '-') {
			if (strcmp(a, "-h") == 0)
				continue;
			zc_usage_error("unknown option '%s' for %s (long options only, and -h; see zcbench %s --help)",
				       a, cmd, cmd);
		}
		const char *name = a + 2;
		size_t len = strcspn(name, "=");
		const struct option *o = longopts;
		while (o->name && !(strlen(o->name) == len && strncmp(o->name, name, len) == 0))
			o++;
		if (!o->name) {
			char near[512];
			near_names(name, len, longopts, near, sizeof near);
			if (near[0])
				zc_usage_error(
					"unknown option '--%.*s' for %s (did you mean %s? see zcbench %s --help)",
					(int)len, name, cmd, near, cmd);
			zc_usage_error("unknown option '--%.*s' for %s (see zcbench %s --help)", (int)len, name, cmd,
				       cmd);
		}
		if (o->has_arg == no_argument && name[len] == '=')
			zc_usage_error("option '--%s' takes no value (got '%s'; see zcbench %s --help)", o->name, a,
				       cmd);
		if (o->has_arg == required_argument && name[len] != '=') {
			if (i + 1 >= argc)
				zc_usage_error("option '--%s' needs a value (see zcbench %s --help)", o->name, cmd);
			i++;
		}
	}
}

void zc_print_version(void)
{
	printf("zcbench %s\n", ZC_VERSION);
}
