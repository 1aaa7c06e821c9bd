#include "harness/options.h"
#include "check.h"

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

	char buf[32];
	zc_format_bytes(256ull << 20, buf, sizeof buf);
	CHECK(strcmp(buf, "256 MiB") == 0);
	zc_format_bytes(4097, buf, sizeof buf);
	CHECK(strcmp(buf, "4.00 KiB") == 0);
	zc_format_bytes(1000, buf, sizeof buf);
	CHECK(strcmp(buf, "1000 B") == 0);
	CHECK_DONE();
}
