#include "harness/options.h"
#include "check.h"

#include <stdlib.h>

static int size_ok(const char *s, unsigned long long want)
{
	uint64_t v = 0;
	const char *why = NULL;
	return zc_parse_size(s, &v, &why) == 0 && v == want;
}

static const char *size_err(const char *s)
{
	uint64_t v;
	const char *why = NULL;
	return zc_parse_size(s, &v, &why) == 0 ? NULL : why;
}

int main(void)
{
	CHECK(size_ok("0", 0));
	CHECK(size_ok("4095", 4095));
	CHECK(size_ok("64K", 65536));
	CHECK(size_ok("64k", 65536));
	CHECK(size_ok("256M", 256ull << 20));
	CHECK(size_ok("1G", 1ull << 30));
	CHECK(size_ok("1GiB", 1ull << 30));
	CHECK(size_ok("2T", 2ull << 40));
	CHECK(size_ok("18446744073709551615", 18446744073709551615ull));
	CHECK(strcmp(size_err("12Q"), "has an unknown suffix (use K, M, G or T for KiB, MiB, GiB, TiB)") == 0);
	CHECK(strcmp(size_err("-1"), "must not be negative") == 0);
	CHECK(strcmp(size_err(""), "must start with a digit") == 0);
	CHECK(strcmp(size_err("18446744073709551616"), "is too large") == 0);
	CHECK(strcmp(size_err("16777216T"), "is too large") == 0);
	CHECK(strcmp(size_err("1MX"), "has trailing characters (use K, M, G or T for KiB, MiB, GiB, TiB)") == 0);
	CHECK(size_err(" 1") != NULL);

	uint64_t v;
	const char *why;
	CHECK(zc_parse_count("5", 1, 10, &v, &why) == 0 && v == 5);
	CHECK(zc_parse_count("0", 1, 10, &v, &why) == -1 && strcmp(why, "is too small") == 0);
	CHECK(zc_parse_count("11", 1, 10, &v, &why) == -1 && strcmp(why, "is too large") == 0);
	CHECK(zc_parse_count("5K", 1, 10, &v, &why) == -1 && strcmp(why, "must be a whole number") == 0);

	/* Durations: a unit always; a fraction when it comes to whole ns. */
	CHECK(zc_parse_duration("250ms", &v, &why) == 0 && v == 250000000);
	CHECK(zc_parse_duration("0.5ms", &v, &why) == 0 && v == 500000);
	CHECK(zc_parse_duration("1.5s", &v, &why) == 0 && v == 1500000000);
	CHECK(zc_parse_duration("0.000000001s", &v, &why) == 0 && v == 1);
	CHECK(zc_parse_duration("2.25us", &v, &why) == 0 && v == 2250);
	CHECK(zc_parse_duration("0.5ns", &v, &why) == -1 && strcmp(why, "is not a whole number of nanoseconds") == 0);
	CHECK(zc_parse_duration("0.0000000001s", &v, &why) == -1 && strcmp(why, "has more than 9 decimal places") == 0);
	CHECK(zc_parse_duration("1.s", &v, &why) == -1 && strcmp(why, "needs digits after the decimal point") == 0);
	CHECK(zc_parse_duration(".5s", &v, &why) == -1 && strcmp(why, "must start with a digit") == 0);
	CHECK(zc_parse_duration("5", &v, &why) == -1 &&
	      strcmp(why, "needs a unit (ns, us, ms or s, e.g. 250ms or 0.5s)") == 0);
	CHECK(zc_parse_duration("5m", &v, &why) == -1 &&
	      strcmp(why, "has an unknown unit (use ns, us, ms or s, e.g. 250ms or 0.5s)") == 0);
	CHECK(zc_parse_duration("18446744073709551615ns", &v, &why) == 0 && v == UINT64_MAX);
	CHECK(zc_parse_duration("18446744073.709551615s", &v, &why) == 0 && v == UINT64_MAX);
	CHECK(zc_parse_duration("18446744073.709551616s", &v, &why) == -1 && strcmp(why, "is too large") == 0);
	CHECK(zc_parse_duration("18446744074s", &v, &why) == -1 && strcmp(why, "is too large") == 0);

	/* Lists: no empty item anywhere, a bounded count. */
	char *items[4], *storage;
	CHECK(zc_parse_list("a,bb,c", items, 4, &storage, &why) == 3 && strcmp(items[1], "bb") == 0);
	free(storage);
	CHECK(zc_parse_list("a", items, 4, &storage, &why) == 1 && strcmp(items[0], "a") == 0);
	free(storage);
	CHECK(zc_parse_list("a,", items, 4, &storage, &why) == -1 && strcmp(why, "has an empty item") == 0);
	CHECK(zc_parse_list(",a", items, 4, &storage, &why) == -1 && strcmp(why, "has an empty item") == 0);
	CHECK(zc_parse_list("a,,b", items, 4, &storage, &why) == -1 && strcmp(why, "has an empty item") == 0);
	CHECK(zc_parse_list("", items, 4, &storage, &why) == -1 && strcmp(why, "has an empty item") == 0);
	CHECK(zc_parse_list("a,b,c,d,e", items, 4, &storage, &why) == -1 && strcmp(why, "has too many items") == 0);

	char buf[32];
	zc_format_bytes(256ull << 20, buf, sizeof buf);
	CHECK(strcmp(buf, "256 MiB") == 0);
	zc_format_bytes(4097, buf, sizeof buf);
	CHECK(strcmp(buf, "4.00 KiB") == 0);
	zc_format_bytes(1000, buf, sizeof buf);
	CHECK(strcmp(buf, "1000 B") == 0);
	CHECK_DONE();
}
