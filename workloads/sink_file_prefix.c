/* File sinks of a run stopped early (the shutdown benchmark on tcp-file):
 * the subject wrote a prefix of the stream over a poisoned file, so what
 * arrived is the length of the run of pattern bytes from offset 0, and every
 * byte after it must still be the poison (a byte neither is a wrong write). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pattern.h"
#include "sink_file.h"

#define BLOCK (1u << 20)

int zc_dest_verify_prefix(const char *path, uint64_t size, uint64_t period, bool redacted, uint64_t *received,
			  int64_t *mismatch_at, char *err, size_t err_len)
{
	*mismatch_at = -1;
	*received = 0;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, err_len, "open %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* A fresh file holds only what was written. */
	uint64_t len = (uint64_t)st.st_size < size ? (uint64_t)st.st_size : size;
	unsigned char *buf = malloc(BLOCK), *want = malloc(BLOCK);
	int rc = buf && want ? 0 : -1;
	if (rc)
		snprintf(err, err_len, "out of memory");
	bool in_prefix = true;
	for (uint64_t off = 0; rc == 0 && off < len && *mismatch_at < 0;) {
		size_t ask = len - off < BLOCK ? (size_t)(len - off) : BLOCK;
		ssize_t n = pread(fd, buf, ask, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, err_len, "read %s at %llu: %s", path, (unsigned long long)off,
				 n < 0 ? strerror(errno) : "unexpected end of file");
			rc = -1;
			break;
		}
		size_t i = 0;
		if (in_prefix) {
			int64_t bad = zc_pattern_check_periodic(buf, off, (size_t)n, period, redacted);
			if (bad < 0) {
				*received = off + (uint64_t)n;
				off += (uint64_t)n;
				continue;
			}
			in_prefix = false;
			*received = off + (uint64_t)bad;
			i = (size_t)bad;
		}
		/* The poison: the pattern of the file's own offset, inverted
		 * (zc_dest_prepare). */
		zc_pattern_fill(want, off, (size_t)n);
		for (; i < (size_t)n; i++)
			if (buf[i] != (unsigned char)(want[i] ^ 0xff)) {
				/* A wrong byte, not a shorter delivery: report as a
				 * whole-file check would, at the end of the prefix. */
				*mismatch_at = (int64_t)*received;
				*received = (uint64_t)st.st_size;
				break;
			}
		off += (uint64_t)n;
	}
	free(buf);
	free(want);
	close(fd);
	return rc;
}
