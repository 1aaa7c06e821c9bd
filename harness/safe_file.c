#include "safe_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Temp files alive now, so a signal handler can remove them. Per process:
 * a second instance has its own. */
#define TMP_SLOTS 4
static char tmp_paths[TMP_SLOTS][PATH_MAX + 64];
static volatile sig_atomic_t tmp_live[TMP_SLOTS];

int zc_tmp_create(const char *dir, const char *prefix, const char *what, char *path, size_t len)
{
	if (snprintf(path, len, "%s/%s%ld-%s-XXXXXX", dir, prefix, (long)getpid(), what) >= (int)len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* mkostemp opens with O_CREAT|O_EXCL (a planted name, symlink or not,
	 * fails with EEXIST and another name is tried); O_NOFOLLOW says so. */
	int fd = mkostemp(path, O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	for (int i = 0; i < TMP_SLOTS; i++) {
		if (tmp_live[i])
			continue;
		snprintf(tmp_paths[i], sizeof tmp_paths[i], "%s", path);
		tmp_live[i] = 1;
		break;
	}
	return fd;
}

void zc_tmp_forget(const char *path)
{
	for (int i = 0; i < TMP_SLOTS; i++)
		if (tmp_live[i] && strcmp(tmp_paths[i], path) == 0)
			tmp_live[i] = 0;
}

void zc_tmp_cleanup(void)
{
	for (int i = 0; i < TMP_SLOTS; i++)
		if (tmp_live[i])
			unlink(tmp_paths[i]);
}

/* The directory part of path ("." when it has none). */
static void dir_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, len, ".");
	else if (slash == path)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

/* What is at path, in words, when it is not something we write over. */
static const char *not_a_file(mode_t m)
{
	if (S_ISLNK(m))
		return "a symbolic link";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISSOCK(m))
		return "a socket";
	return NULL;
}

/* path is absent or a regular file. */
static int target_ok(const char *path, char *err, size_t err_len)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, err_len, "cannot use %s: %s", path, strerror(errno));
		return -1;
	}
	const char *what = not_a_file(st.st_mode);
	if (what) {
		snprintf(err, err_len, "%s is %s: output goes only to a new name or over a regular file", path, what);
		return -1;
	}
	return 0;
}

int zc_out_check(const char *path, char *err, size_t err_len)
{
	if (!path[0]) {
		snprintf(err, err_len, "the output file name is empty");
		return -1;
	}
	if (path[strlen(path) - 1] == '/') {
		snprintf(err, err_len, "%s names a directory: give a file name", path);
		return -1;
	}
	if (target_ok(path, err, err_len) != 0)
		return -1;
	char dir[PATH_MAX], tmp[PATH_MAX + 64];
	dir_of(path, dir, sizeof dir);
	struct stat st;
	if (stat(dir, &st) != 0) {
		snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, err_len, "cannot write %s: %s is not a directory", path, dir);
		return -1;
	}
	int fd = zc_tmp_create(dir, ".zcbench-tmp-", "probe", tmp, sizeof tmp);
	if (fd < 0) {
		snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	unlink(tmp);
	zc_tmp_forget(tmp);
	return 0;
}

int zc_out_dir_check(const char *dir, char *err, size_t err_len)
{
	if (!dir[0]) {
		snprintf(err, err_len, "the output directory name is empty");
		return -1;
	}
	struct stat st;
	if (stat(dir, &st) != 0) {
		if (errno == ENOENT)
			return 0; /* created with its parents */
		snprintf(err, err_len, "cannot use %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		const char *what = not_a_file(st.st_mode);
		snprintf(err, err_len, "%s is %s, not a directory", dir, what ? what : "a file");
		return -1;
	}
	if (access(dir, W_OK) != 0) {
		snprintf(err, err_len, "cannot write into %s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int zc_out_write(const char *path, const void *data, size_t len, char *err, size_t err_len)
{
	if (!path[0]) {
		snprintf(err, err_len, "the output file name is empty");
		return -1;
	}
	if (target_ok(path, err, err_len) != 0)
		return -1;
	char dir[PATH_MAX], tmp[PATH_MAX + 64];
	dir_of(path, dir, sizeof dir);
	int fd = zc_tmp_create(dir, ".zcbench-tmp-", "out", tmp, sizeof tmp);
	if (fd < 0) {
		snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	int rc = -1;
	if (write_all(fd, data, len) != 0 || fchmod(fd, 0644) != 0)
		snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
	else if (fsync(fd) != 0)
		snprintf(err, err_len, "cannot write %s: fsync: %s", path, strerror(errno));
	else
		rc = 0;
	if (close(fd) != 0 && rc == 0) {
		snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
		rc = -1;
	}
	/* Checked again: what is there now is what rename replaces. */
	if (rc == 0 && target_ok(path, err, err_len) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0) {
		snprintf(err, err_len, "cannot rename to %s: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc != 0) {
		unlink(tmp);
		zc_tmp_forget(tmp);
		return -1;
	}
	zc_tmp_forget(tmp);
	/* The rename itself is durable once the directory is synced. */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		if (fsync(dfd) != 0 && errno != EINVAL) {
			snprintf(err, err_len, "cannot write %s: fsync of %s: %s", path, dir, strerror(errno));
			rc = -1;
		}
		close(dfd);
	}
	return rc;
}
