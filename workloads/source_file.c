#include "source_file.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pattern.h"

int zc_mkdir_p(const char *dir)
{
	char buf[4096];
	if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf)
		return ENAMETOOLONG;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) != 0 && errno != EEXIST)
		return errno;
	return 0;
}

/* The stamp names what the file should be: version, size and the mtime it had
 * when it was written whole. Anything that rewrites the file changes its mtime. */
static void stamp_text(const struct stat *st, char *out, size_t len)
{
	snprintf(out, len, "zcbench-pattern v%d size=%lld mtime=%lld.%09ld\n", ZC_PATTERN_VERSION,
		 (long long)st->st_size, (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
}

static int stamp_matches(const char *path, const char *stamp_path, uint64_t size)
{
	struct stat st;
	if (stat(path, &st) != 0 || (uint64_t)st.st_size != size)
		return 0;
	char want[128], have[128] = {0};
	stamp_text(&st, want, sizeof want);
	FILE *f = fopen(stamp_path, "r");
	if (!f)
		return 0;
	size_t n = fread(have, 1, sizeof have - 1, f);
	fclose(f);
	return n == strlen(want) && memcmp(have, want, n) == 0;
}

static int generate(const char *path, const char *stamp_path, uint64_t size, char *err, size_t err_len)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, err_len, "cannot create %s: %s", tmp, strerror(errno));
		return -1;
	}
	enum { BLOCK = 1 << 20 };
	char *buf = malloc(BLOCK);
	int rc = -1;
	if (!buf) {
		snprintf(err, err_len, "out of memory");
		goto out;
	}
	for (uint64_t off = 0; off < size;) {
		size_t n = size - off < BLOCK ? (size_t)(size - off) : BLOCK;
		zc_pattern_fill(buf, off, n);
		size_t done = 0;
		while (done < n) {
			ssize_t w = write(fd, buf + done, n - done);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				snprintf(err, err_len, "cannot write %s: %s", tmp,
					 w < 0 ? strerror(errno) : "short write");
				goto out;
			}
			done += (size_t)w;
		}
		off += n;
	}
	if (fsync(fd) != 0) {
		snprintf(err, err_len, "fsync %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (rename(tmp, path) != 0) {
		snprintf(err, err_len, "rename %s: %s", tmp, strerror(errno));
		goto out;
	}
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(err, err_len, "stat %s: %s", path, strerror(errno));
		goto out;
	}
	char stamp[128];
	stamp_text(&st, stamp, sizeof stamp);
	FILE *f = fopen(stamp_path, "w");
	if (!f || fputs(stamp, f) < 0 || fclose(f) != 0) {
		snprintf(err, err_len, "cannot write %s: %s", stamp_path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(buf);
	close(fd);
	if (rc != 0)
		unlink(tmp);
	return rc;
}

int zc_source_file_ensure(const char *cache_dir, uint64_t size, char *path, size_t path_len, char *err, size_t err_len)
{
	int e = zc_mkdir_p(cache_dir);
	if (e) {
		snprintf(err, err_len, "cannot create cache directory %s: %s", cache_dir, strerror(e));
		return -1;
	}
	char stamp[4200];
	if (snprintf(path, path_len, "%s/pattern-v%d-%" PRIu64, cache_dir, ZC_PATTERN_VERSION, size) >= (int)path_len) {
		snprintf(err, err_len, "cache directory path too long");
		return -1;
	}
	snprintf(stamp, sizeof stamp, "%s.stamp", path);
	if (stamp_matches(path, stamp, size))
		return 0;
	return generate(path, stamp, size, err, err_len);
}
