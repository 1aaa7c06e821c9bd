#include "safe_file.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
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
	/* Held until the descriptor closes: a sweep by another process leaves
	 * the file alone even when it cannot tell our pid is alive. A file
	 * system without flock still has the pid check. */
	(void)flock(fd, LOCK_EX | LOCK_NB);
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

#define OUT_TMP_PREFIX ".zcbench-tmp-"

time_t zc_proc_started(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	const char *p = strrchr(buf, ')'); /* the command name may hold spaces */
	unsigned long long ticks = 0;
	/* After ')': state is field 3, starttime field 22. */
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", &ticks) != 1)
		return 0;
	f = fopen("/proc/stat", "re");
	if (!f)
		return 0;
	unsigned long long btime = 0;
	char line[256];
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "btime %llu", &btime) == 1)
			break;
	fclose(f);
	long hz = sysconf(_SC_CLK_TCK);
	return btime && hz > 0 ? (time_t)(btime + ticks / (unsigned long long)hz) : 0;
}

bool zc_pid_may_own(pid_t pid, time_t mtime)
{
	if (kill(pid, 0) != 0 && errno != EPERM)
		return false;
	time_t started = zc_proc_started(pid);
	/* One second of slack: the start time is rounded down to the tick. */
	return !started || mtime >= started - 1;
}

/* The pid in an output temp's name as zc_tmp_create makes it
 * (OUT_TMP_PREFIX "<pid>-<what>-XXXXXX", what in lower case, XXXXXX six
 * letters or digits), or 0 for any other name. */
static pid_t out_tmp_pid(const char *name)
{
	size_t n = strlen(OUT_TMP_PREFIX);
	if (strncmp(name, OUT_TMP_PREFIX, n) != 0)
		return 0;
	const char *p = name + n, *digits = p;
	long pid = 0;
	for (; *p >= '0' && *p <= '9' && pid < (1l << 30); p++)
		pid = pid * 10 + (*p - '0');
	if (p == digits || pid <= 0 || *p++ != '-')
		return 0;
	const char *what = p;
	while (*p >= 'a' && *p <= 'z')
		p++;
	if (p == what || *p++ != '-')
		return 0;
	size_t k = 0;
	while (k < 6 && isalnum((unsigned char)p[k]))
		k++;
	return k == 6 && !p[k] ? (pid_t)pid : 0;
}

void zc_out_sweep(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return;
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return;
	}
	uid_t me = geteuid();
	for (struct dirent *e; (e = readdir(d));) {
		pid_t pid = out_tmp_pid(e->d_name);
		struct stat st, now;
		if (!pid || fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
		    st.st_uid != me || zc_pid_may_own(pid, st.st_mtime))
			continue;
		/* Ours and its pid gone: removed unless a writer holds its lock
		 * (and only the file just looked at, not one swapped in). */
		int fd = openat(dfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (fstat(fd, &now) == 0 && now.st_ino == st.st_ino && now.st_dev == st.st_dev &&
		    flock(fd, LOCK_EX | LOCK_NB) == 0)
			unlinkat(dfd, e->d_name, 0);
		close(fd);
	}
	closedir(d);
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
	zc_out_sweep(dir);
	int fd = zc_tmp_create(dir, OUT_TMP_PREFIX, "probe", tmp, sizeof tmp);
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
	int fd = zc_tmp_create(dir, OUT_TMP_PREFIX, "out", tmp, sizeof tmp);
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
