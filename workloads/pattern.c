#include "pattern.h"

#include <string.h>

/* splitmix64: cheap, and every 8-byte word differs from its neighbours, so a
 * misplaced block (a short write replayed, a chunk skipped) is caught. */
static inline uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static inline uint8_t byte_at(uint64_t off)
{
	return (uint8_t)(mix(off >> 3) >> ((off & 7) * 8));
}

void zc_pattern_fill(void *buf, uint64_t offset, size_t len)
{
	uint8_t *p = buf;
	/* Unaligned head, then whole little-endian words, then the tail. */
	while (len > 0 && (offset & 7)) {
		*p++ = byte_at(offset++);
		len--;
	}
	while (len >= 8) {
		uint64_t w = mix(offset >> 3);
		memcpy(p, &w, 8); /* x86-64 is little-endian: byte k is bits 8k.. */
		p += 8;
		offset += 8;
		len -= 8;
	}
	while (len > 0) {
		*p++ = byte_at(offset++);
		len--;
	}
}

int64_t zc_pattern_check(const void *buf, uint64_t offset, size_t len, bool redacted)
{
	uint8_t want[16384];
	const uint8_t *p = buf;
	size_t done = 0;
	while (done < len) {
		size_t n = len - done < sizeof want ? len - done : sizeof want;
		zc_pattern_fill(want, offset + done, n);
		if (redacted)
			for (size_t i = 0; i < n; i++)
				want[i] = zc_redact_byte(want[i]);
		if (memcmp(want, p + done, n) != 0) {
			for (size_t i = 0; i < n; i++)
				if (want[i] != p[done + i])
					return (int64_t)(done + i);
		}
		done += n;
	}
	return -1;
}

int64_t zc_pattern_check_periodic(const void *buf, uint64_t offset, size_t len, uint64_t period, bool redacted)
{
	if (period == 0)
		return zc_pattern_check(buf, offset, len, redacted);
	const uint8_t *p = buf;
	size_t done = 0;
	while (done < len) {
		uint64_t in_seg = (offset + done) % period;
		uint64_t room = period - in_seg;
		size_t n = len - done < room ? len - done : (size_t)room;
		int64_t bad = zc_pattern_check(p + done, in_seg, n, redacted);
		if (bad >= 0)
			return (int64_t)done + bad;
		done += n;
	}
	return -1;
}

/* The inverse of x ^= x >> s. */
static inline uint64_t unshift(uint64_t y, unsigned s)
{
	uint64_t x = y;
	for (unsigned i = s; i < 64; i += s)
		x = y ^ (x >> s);
	return x;
}

/* The inverse of an odd multiplier modulo 2^64 (Newton: each step doubles
 * the correct low bits). */
static inline uint64_t mul_inverse(uint64_t m)
{
	uint64_t inv = m;
	for (int i = 0; i < 6; i++)
		inv *= 2 - m * inv;
	return inv;
}

uint64_t zc_pattern_locate(const void *word)
{
	uint64_t x;
	memcpy(&x, word, 8);
	x = unshift(x, 31);
	x *= mul_inverse(0x94d049bb133111ebull);
	x = unshift(x, 27);
	x *= mul_inverse(0xbf58476d1ce4e5b9ull);
	x = unshift(x, 30);
	x -= 0x9e3779b97f4a7c15ull;
	return x << 3;
}
