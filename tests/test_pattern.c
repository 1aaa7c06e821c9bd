#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "workloads/pattern.h"

int main(void)
{
	enum { N = 100000 };
	unsigned char *a = malloc(N), *b = malloc(N);
	CHECK(a && b);
	zc_pattern_fill(a, 0, N);
	/* Any window filled on its own equals the same bytes of the whole. */
	zc_pattern_fill(b, 12345, 777);
	CHECK(memcmp(a + 12345, b, 777) == 0);
	zc_pattern_fill(b, 3, 5);
	CHECK(memcmp(a + 3, b, 5) == 0);
	CHECK(zc_pattern_check(a, 0, N, false) == -1);
	CHECK(zc_pattern_check(a + 1000, 1000, N - 1000, false) == -1);
	/* Shifted by one byte: caught at once. */
	CHECK(zc_pattern_check(a + 1, 0, 100, false) == 0);
	a[54321] ^= 1;
	CHECK(zc_pattern_check(a, 0, N, false) == 54321);
	CHECK(zc_pattern_check(a + 50000, 50000, N - 50000, false) == 4321);
	a[54321] ^= 1;
	/* Every 8-aligned word names its own offset (how a UDP receiver
	 * places a datagram that may arrive alone). */
	for (uint64_t off = 0; off + 8 <= N; off += 8)
		if (zc_pattern_locate(a + off) != off) {
			CHECK(zc_pattern_locate(a + off) == off);
			break;
		}
	unsigned char far[8];
	zc_pattern_fill(far, 1ull << 40, 8);
	CHECK(zc_pattern_locate(far) == 1ull << 40);
	/* Not a constant or a short cycle. */
	CHECK(a[0] != a[8] || a[1] != a[9]);

	/* A stream of three copies of a 4097-byte segment. */
	unsigned char *s = malloc(3 * 4097);
	for (int i = 0; i < 3; i++)
		zc_pattern_fill(s + i * 4097, 0, 4097);
	CHECK(zc_pattern_check_periodic(s, 0, 3 * 4097, 4097, false) == -1);
	CHECK(zc_pattern_check_periodic(s + 5000, 5000, 3 * 4097 - 5000, 4097, false) == -1);
	s[2 * 4097 + 10] ^= 0x80;
	CHECK(zc_pattern_check_periodic(s, 0, 3 * 4097, 4097, false) == 2 * 4097 + 10);
	CHECK(zc_pattern_check_periodic(s, 0, 3 * 4097, 0, false) == 4097);
	/* Redacted: digits masked in the data are expected masked. */
	unsigned char r[4096];
	zc_pattern_fill(r, 100, sizeof r);
	int digits = 0;
	for (size_t i = 0; i < sizeof r; i++) {
		digits += r[i] >= '0' && r[i] <= '9';
		r[i] = zc_redact_byte(r[i]);
	}
	CHECK(digits > 0);
	CHECK(zc_pattern_check(r, 100, sizeof r, true) == -1);
	CHECK(zc_pattern_check(r, 100, sizeof r, false) >= 0);
	free(a);
	free(b);
	free(s);
	CHECK_DONE();
}
