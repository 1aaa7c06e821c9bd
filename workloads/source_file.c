#include "source_file.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../harness/safe_file.h"
#include "crc32c.h"
#include "pattern.h"

#define BLOCK (1u << 20)

int zc_source_path(const char *cache_dir, uint64_t size, char *path, size_t len)
{
	return snprintf(path, len, "%s/pattern-v%d-%" PRIu64, cache_dir, ZC_PATTERN_VERSION, size) >= (int)len ? -1 : 0;
}

/* The stamp: what the file must be, its checksum included, so one flipped
 * byte anywhere is caught on reuse. */
static void stamp_text(uint64_t size, uint32_t crc, char *out, size_t len)
{
	snprintf(out, len, "zcbench-pattern v%d size=%" PRIu64 " crc32c=%08x\n", ZC_PATTERN_VERSION, size, crc);
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* CRC32C of fd's first size bytes; -1 with errno on a read error or a short file. */
static int64_t crc_of(int fd, uint64_t size)
{
	char *buf = malloc(BLOCK);
	if (!buf)
		return -1;
	uint32_t crc = 0;
	uint64_t off = 0;
	while (off < size) {
		size_t want = size - off < BLOCK ? (size_t)(size - off) : BLOCK;
		ssize_t n = pread(fd, buf, want, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			free(buf);
			return -1;
		}
		crc = zc_crc32c(crc, buf, (size_t)n);
		off += (uint64_t)n;
	}
	free(buf);
	return crc;
}

/* Replace dst with a new file holding text, through a temp beside it. */
static int write_small(const char *dir, const char *dst, const char *text, char *err, size_t err_len)
{
	char tmp[4200];
	int fd = zc_tmp_create(dir, "tmp-", "stamp", tmp, sizeof tmp);
	if (fd < 0) {
		snprintf(err, err_len, "cannot create a temp file in %s: %s", dir, strerror(errno));
		return -1;
	}
	int rc = write_all(fd, text, strlen(text)) == 0 && fsync(fd) == 0 ? 0 : -1;
	if (rc != 0)
		snprintf(err, err_len, "cannot write %s: %s", dst, strerror(errno));
	close(fd);
	if (rc == 0 && rename(tmp, dst) != 0) {
		snprintf(err, err_len, "cannot rename to %s: %s", dst, strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(tmp);
	zc_tmp_forget(tmp);
	return rc;
}

static void dir_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');
	if (slash)
		snprintf(dir, len, "%.*s", (int)(slash - path), path);
	else
		snprintf(dir, len, ".");
}

int zc_source_stamp_write(const char *path, char *err, size_t err_len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, err_len, "cannot read %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	int64_t crc = crc_of(fd, (uint64_t)st.st_size);
	close(fd);
	if (crc < 0) {
		snprintf(err, err_len, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	char text[128], stamp[4200], dir[4200];
	stamp_text((uint64_t)st.st_size, (uint32_t)crc, text, sizeof text);
	snprintf(stamp, sizeof stamp, "%s.stamp", path);
	dir_of(path, dir, sizeof dir);
	return write_small(dir, stamp, text, err, err_len);
}

void zc_source_file_distrust(const char *path)
{
	char stamp[4200];
	snprintf(stamp, sizeof stamp, "%s.stamp", path);
	unlink(stamp);
}

/* The CRC32C the stamp promises, or -1 when there is no usable stamp. */
static int64_t stamp_crc(const char *stamp_path, uint64_t size)
{
	int fd = open(stamp_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	char have[128] = {0};
	ssize_t n = -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid())
		n = read(fd, have, sizeof have - 1);
	close(fd);
	if (n <= 0)
		return -1;
	have[n] = 0;
	int version;
	unsigned long long sz;
	unsigned crc;
	char nl;
	if (sscanf(have, "zcbench-pattern v%d size=%llu crc32c=%8x%c", &version, &sz, &crc, &nl) != 4 ||
	    version != ZC_PATTERN_VERSION || sz != size || nl != '\n')
		return -1;
	char want[128];
	stamp_text(size, crc, want, sizeof want);
	return strcmp(want, have) == 0 ? (int64_t)crc : -1;
}

/* Whether the file at path is the pattern its stamp describes. Returns 0
 * when it is, 1 when there is no file or no usable stamp (generate quietly),
 * 2 when it is corrupt (why says how). */
static int check_existing(const char *path, const char *stamp_path, uint64_t size, char *why, size_t why_len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		snprintf(why, why_len, "%s", errno == ELOOP ? "is a symbolic link" : strerror(errno));
		return 2;
	}
	struct stat st;
	int rc = 2;
	if (fstat(fd, &st) != 0) {
		snprintf(why, why_len, "cannot be examined: %s", strerror(errno));
	} else if (!S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		snprintf(why, why_len, "is not a regular file of yours");
	} else if ((uint64_t)st.st_size != size) {
		snprintf(why, why_len, "has %lld bytes, not %" PRIu64, (long long)st.st_size, size);
	} else {
		int64_t want = stamp_crc(stamp_path, size);
		int64_t have = want < 0 ? 0 : crc_of(fd, size);
		if (want < 0)
			rc = 1;
		else if (have < 0)
			snprintf(why, why_len, "cannot be read: %s", strerror(errno));
		else if (have != want)
			snprintf(why, why_len, "has CRC32C %08x, its stamp says %08x", (unsigned)have, (unsigned)want);
		else
			rc = 0;
	}
	close(fd);
	return rc;
}

static int generate(const char *dir, const char *path, const char *stamp_path, uint64_t size,
		    const volatile sig_atomic_t *stop, char *err, size_t err_len)
{
	/* No stamp while the file changes: a run killed halfway leaves a file
	 * the next run does not trust. */
	if (unlink(stamp_path) != 0 && errno != ENOENT) {
		snprintf(err, err_len, "cannot remove %s: %s", stamp_path, strerror(errno));
		return -1;
	}
	char tmp[4200];
	int fd = zc_tmp_create(dir, "tmp-", "pattern", tmp, sizeof tmp);
	if (fd < 0) {
		snprintf(err, err_len, "cannot create a temp file in %s: %s", dir, strerror(errno));
		return -1;
	}
	char *buf = malloc(BLOCK);
	int rc = -1;
	uint32_t crc = 0;
	if (!buf) {
		snprintf(err, err_len, "out of memory");
		goto out;
	}
	for (uint64_t off = 0; off < size;) {
		if (stop && *stop) {
			snprintf(err, err_len, "interrupted while generating %s", path);
			rc = -2;
			goto out;
		}
		size_t n = size - off < BLOCK ? (size_t)(size - off) : BLOCK;
		zc_pattern_fill(buf, off, n);
		crc = zc_crc32c(crc, buf, n);
		if (write_all(fd, buf, n) != 0) {
			snprintf(err, err_len, "cannot write %s: %s", tmp, strerror(errno));
			goto out;
		}
		off += n;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
		snprintf(err, err_len, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	/* rename replaces whatever is at path, a planted symlink included,
	 * without following it. */
	if (rename(tmp, path) != 0) {
		snprintf(err, err_len, "rename %s: %s", tmp, strerror(errno));
		goto out;
	}
	zc_tmp_forget(tmp);
	tmp[0] = 0;
	char text[128];
	stamp_text(size, crc, text, sizeof text);
	rc = write_small(dir, stamp_path, text, err, err_len);
out:
	free(buf);
	close(fd);
	if (tmp[0]) {
		unlink(tmp);
		zc_tmp_forget(tmp);
	}
	return rc;
}

int zc_source_file_ensure(const char *cache_dir, uint64_t size, const volatile sig_atomic_t *stop, char *path,
			  size_t path_len, char *warn, size_t warn_len, char *err, size_t err_len)
{
	warn[0] = 0;
	char stamp[4200];
	if (zc_source_path(cache_dir, size, path, path_len) != 0) {
		snprintf(err, err_len, "cache directory path too long");
		return -1;
	}
	snprintf(stamp, sizeof stamp, "%s.stamp", path);
	char why[256];
	int state = check_existing(path, stamp, size, why, sizeof why);
	if (state == 0)
		return 0;
	int rc = generate(cache_dir, path, stamp, size, stop, err, err_len);
	if (rc != 0)
		return rc;
	if (state == 2) {
		snprintf(warn, warn_len, "the cached pattern %s %s: it was corrupt and is generated again", path, why);
		return 1;
	}
	return 0;
}

bool zc_source_file_present(const char *cache_dir, uint64_t size)
{
	char path[4200];
	struct stat st;
	return zc_source_path(cache_dir, size, path, sizeof path) == 0 && lstat(path, &st) == 0 &&
	       S_ISREG(st.st_mode) && (uint64_t)st.st_size == size;
}

int64_t zc_source_file_check(const char *path, uint64_t size)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -2;
	unsigned char *buf = malloc(BLOCK);
	int64_t bad = buf ? -1 : -2;
	for (uint64_t off = 0; buf && off < size && bad == -1;) {
		size_t want = size - off < BLOCK ? (size_t)(size - off) : BLOCK;
		ssize_t n = pread(fd, buf, want, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			bad = -2;
			break;
		}
		if (n == 0) {
			bad = (int64_t)off; /* shorter than it must be */
			break;
		}
		int64_t at = zc_pattern_check(buf, off, (size_t)n, false);
		if (at >= 0)
			bad = (int64_t)off + at;
		off += (uint64_t)n;
	}
	free(buf);
	close(fd);
	return bad;
}
