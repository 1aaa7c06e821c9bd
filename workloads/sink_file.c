/* File sinks. By default a destination is overwritten in place, its pages
 * already cached; with --dest fresh each run writes a new file, which
 * measures first-touch page-cache cost on purpose. */
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

/* Fill the destination (open as fd) with bytes that differ from the pattern
 * at every offset, so a run that writes nothing cannot pass verification. */
static int poison(int fd, const char *path, uint64_t size, char *err, size_t err_len)
{
	/* Truncated first, as a new file would be: no page of an earlier run's
	 * content survives. */
	if (ftruncate(fd, 0) != 0) {
		snprintf(err, err_len, "truncate %s: %s", path, strerror(errno));
		return -1;
	}
	unsigned char *buf = malloc(BLOCK);
	int rc = buf ? 0 : -1;
	if (!buf)
		snprintf(err, err_len, "out of memory");
	for (uint64_t off = 0; rc == 0 && off < size;) {
		size_t n = size - off < BLOCK ? (size_t)(size - off) : BLOCK;
		zc_pattern_fill(buf, off, n);
		for (size_t i = 0; i < n; i++)
			buf[i] ^= 0xff;
		ssize_t w = pwrite(fd, buf, n, (off_t)off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			snprintf(err, err_len, "write %s: %s", path, w < 0 ? strerror(errno) : "short write");
			rc = -1;
			break;
		}
		off += (uint64_t)w;
	}
	free(buf);
	return rc;
}

/* Open an existing destination made by this process, or create it new
 * (O_EXCL, O_NOFOLLOW: a name planted there, link or file, is refused). */
static int open_dest(const char *path, bool *created, char *err, size_t err_len)
{
	*created = false;
	int fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		*created = fd >= 0;
	}
	if (fd < 0) {
		snprintf(err, err_len, "create %s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() || st.st_nlink != 1) {
		snprintf(err, err_len, "%s is not a destination file zcbench made: refused", path);
		close(fd);
		return -1;
	}
	return fd;
}

int zc_dest_prepare(const char *path, uint64_t size, bool verify, bool fresh, char *err, size_t err_len)
{
	if (fresh) {
		if (unlink(path) != 0 && errno != ENOENT) {
			snprintf(err, err_len, "unlink %s: %s", path, strerror(errno));
			return -1;
		}
		return 0;
	}
	bool created;
	int fd = open_dest(path, &created, err, err_len);
	if (fd < 0)
		return -1;
	struct stat st;
	int rc = 0;
	if (created || verify || fstat(fd, &st) != 0 || (uint64_t)st.st_size != size)
		rc = poison(fd, path, size, err, err_len);
	if (close(fd) != 0 && rc == 0) {
		snprintf(err, err_len, "close %s: %s", path, strerror(errno));
		rc = -1;
	}
	return rc;
}

int zc_dest_verify(const char *path, uint64_t size, uint64_t period, bool redacted, uint64_t *received,
		   int64_t *mismatch_at, char *err, size_t err_len)
{
	*mismatch_at = -1;
	struct stat st;
	if (lstat(path, &st) != 0) {
		snprintf(err, err_len, "stat %s: %s", path, strerror(errno));
		return -1;
	}
	/* Overwritten in place, the file keeps its size whatever was written: the
	 * subject's own count and the content check are what tell. */
	*received = (uint64_t)st.st_size;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, err_len, "open %s: %s", path, strerror(errno));
		return -1;
	}
	unsigned char *buf = malloc(BLOCK);
	int rc = buf ? 0 : -1;
	if (!buf)
		snprintf(err, err_len, "out of memory");
	for (uint64_t off = 0; buf && off < size && *mismatch_at < 0;) {
		size_t want = size - off < BLOCK ? (size_t)(size - off) : BLOCK;
		ssize_t n = pread(fd, buf, want, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, err_len, "read %s at %llu: %s", path, (unsigned long long)off,
				 n < 0 ? strerror(errno) : "unexpected end of file");
			rc = -1;
			break;
		}
		int64_t bad = zc_pattern_check_periodic(buf, off, (size_t)n, period, redacted);
		if (bad >= 0)
			*mismatch_at = (int64_t)off + bad;
		off += (uint64_t)n;
	}
	free(buf);
	close(fd);
	return rc;
}
