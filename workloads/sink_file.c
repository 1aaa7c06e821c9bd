/* A file sink in the source's directory. By default the destination is
 * overwritten in place, its pages already cached; with --dest fresh each run
 * writes a new file, which measures first-touch page-cache cost on purpose. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pattern.h"
#include "workload.h"

#define BLOCK (1u << 20)

/* Fill the destination with bytes that differ from the pattern at every
 * offset, so a run that writes nothing cannot pass verification. */
static int poison(const char *path, uint64_t size, char *err, size_t err_len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, err_len, "create %s: %s", path, strerror(errno));
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
	if (close(fd) != 0 && rc == 0) {
		snprintf(err, err_len, "close %s: %s", path, strerror(errno));
		rc = -1;
	}
	return rc;
}

static int file_start(const struct zc_sink_cfg *c, struct zc_sink_run *r, char *err, size_t err_len)
{
	r->peer = -1;
	r->report_fd = -1;
	r->listen_fd = -1;
	if (c->dest_fresh) {
		if (unlink(c->dest_path) != 0 && errno != ENOENT) {
			snprintf(err, err_len, "unlink %s: %s", c->dest_path, strerror(errno));
			return -1;
		}
		return 0;
	}
	struct stat st;
	int exists = stat(c->dest_path, &st) == 0 && (uint64_t)st.st_size == c->expected;
	if (exists && !c->verify)
		return 0;
	return poison(c->dest_path, c->expected, err, err_len);
}

static int file_open(const struct zc_sink_cfg *c, struct zc_sink_run *r, int *fd, char *err, size_t err_len)
{
	(void)r;
	int flags = O_WRONLY | O_CLOEXEC | (c->dest_fresh ? O_CREAT | O_TRUNC : 0);
	*fd = open(c->dest_path, flags, 0644);
	if (*fd < 0) {
		snprintf(err, err_len, "open %s: %s", c->dest_path, strerror(errno));
		return -1;
	}
	return 0;
}

static int verify_file(const struct zc_sink_cfg *c, struct zc_sink_report *rep, char *err, size_t err_len)
{
	int fd = open(c->dest_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, err_len, "open %s: %s", c->dest_path, strerror(errno));
		return -1;
	}
	unsigned char *buf = malloc(BLOCK);
	int rc = buf ? 0 : -1;
	for (uint64_t off = 0; buf && off < c->expected && rep->mismatch_at < 0;) {
		size_t want = c->expected - off < BLOCK ? (size_t)(c->expected - off) : BLOCK;
		ssize_t n = pread(fd, buf, want, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, err_len, "read %s at %llu: %s", c->dest_path, (unsigned long long)off,
				 n < 0 ? strerror(errno) : "unexpected end of file");
			rc = -1;
			break;
		}
		int64_t bad = zc_pattern_check_periodic(buf, off, (size_t)n, c->period);
		if (bad >= 0)
			rep->mismatch_at = (int64_t)off + bad;
		off += (uint64_t)n;
	}
	free(buf);
	close(fd);
	return rc;
}

static int file_finish(const struct zc_sink_cfg *c, struct zc_sink_run *r, struct zc_sink_report *rep, char *err,
		       size_t err_len)
{
	(void)r;
	rep->mismatch_at = -1;
	struct stat st;
	if (stat(c->dest_path, &st) != 0) {
		snprintf(err, err_len, "stat %s: %s", c->dest_path, strerror(errno));
		return -1;
	}
	/* Overwritten in place, the file keeps its size whatever was written: the
	 * subject's own count and the content check are what tell. */
	rep->received = (uint64_t)st.st_size;
	if (!c->verify)
		return 0;
	return verify_file(c, rep, err, err_len);
}

static void file_abort(struct zc_sink_run *r)
{
	(void)r;
}

const struct zc_sink_ops zc_sink_file = {
	.start = file_start,
	.open = file_open,
	.finish = file_finish,
	.abort = file_abort,
};
