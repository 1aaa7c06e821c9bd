#include "cache_dir.h"
#include "safe_file.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void zc_cache_dir_default(char *buf, size_t len)
{
	if (geteuid() == 0) {
		snprintf(buf, len, "/var/cache/zcbench");
		return;
	}
	const char *xdg = getenv("XDG_CACHE_HOME");
	if (xdg && xdg[0] == '/') {
		snprintf(buf, len, "%s/zcbench", xdg);
		return;
	}
	const char *home = getenv("HOME");
	if (!home || home[0] != '/') {
		struct passwd *pw = getpwuid(geteuid());
		home = pw && pw->pw_dir ? pw->pw_dir : "/";
	}
	snprintf(buf, len, "%s/.cache/zcbench", home);
}

int zc_cache_dir_check(const char *dir, char *err, size_t err_len)
{
	if (!dir[0]) {
		snprintf(err, err_len, "--cache-dir: the name is empty");
		return -1;
	}
	struct stat st;
	if (lstat(dir, &st) != 0 && errno == ENOENT) {
		int e = zc_mkdirs_mode(dir, 0700);
		if (e) {
			snprintf(err, err_len, "cache directory %s cannot be created: %s", dir, strerror(e));
			return -1;
		}
	}
	char real[PATH_MAX];
	if (!realpath(dir, real)) {
		snprintf(err, err_len, "cache directory %s: %s", dir, strerror(errno));
		return -1;
	}
	uid_t me = geteuid();
	if (stat(real, &st) != 0) {
		snprintf(err, err_len, "cache directory %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, err_len, "cache directory %s is not a directory", dir);
		return -1;
	}
	if (st.st_uid != me) {
		snprintf(err, err_len, "cache directory %s is owned by uid %ld, not by you (uid %ld): refused", dir,
			 (long)st.st_uid, (long)me);
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, err_len, "cache directory %s is writable by %s (mode %04o): refused (chmod go-w it)", dir,
			 st.st_mode & S_IWOTH ? "others" : "its group", (unsigned)(st.st_mode & 07777));
		return -1;
	}
	if (access(real, W_OK) != 0) {
		snprintf(err, err_len, "cache directory %s is not writable: %s", dir, strerror(errno));
		return -1;
	}
	/* Every directory above: nobody else may rename or replace the path. */
	char up[PATH_MAX];
	snprintf(up, sizeof up, "%s", real);
	for (char *slash = strrchr(up, '/'); slash; slash = strrchr(up, '/')) {
		if (slash == up)
			slash[1] = 0;
		else
			*slash = 0;
		if (stat(up, &st) != 0) {
			snprintf(err, err_len, "cache directory %s: %s: %s", dir, up, strerror(errno));
			return -1;
		}
		bool others_write = st.st_mode & (S_IWGRP | S_IWOTH);
		if ((st.st_uid != 0 && st.st_uid != me) || (others_write && !(st.st_mode & S_ISVTX))) {
			snprintf(err, err_len,
				 "cache directory %s is inside %s, which another user can change (owner uid %ld, "
				 "mode %04o): refused",
				 dir, up, (long)st.st_uid, (unsigned)(st.st_mode & 07777));
			return -1;
		}
		if (slash == up)
			break;
	}
	return 0;
}

/* "dest-<pid>-...", "tmp-<pid>-..." or "owner-<pid>.lock": the pid, or 0. */
static pid_t pid_in_name(const char *name)
{
	static const char *const prefixes[] = {"dest-", "tmp-", "owner-"};
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		size_t n = strlen(prefixes[i]);
		if (strncmp(name, prefixes[i], n) != 0)
			continue;
		const char *p = name + n;
		long pid = 0;
		for (; *p >= '0' && *p <= '9' && pid < (1l << 30); p++)
			pid = pid * 10 + (*p - '0');
		if (pid <= 0 || p == name + n)
			return 0;
		if (i < 2 ? *p == '-' : strcmp(p, ".lock") == 0)
			return (pid_t)pid;
		return 0;
	}
	return 0;
}

/* Remove pid's files from the directory. keep_since: when nonzero, files
 * modified at or after it are kept (they may belong to the live process). */
static void remove_files_of(int dfd, pid_t pid, time_t keep_since)
{
	int d2 = dup(dfd);
	DIR *d = d2 >= 0 ? fdopendir(d2) : NULL;
	if (!d) {
		if (d2 >= 0)
			close(d2);
		return;
	}
	rewinddir(d);
	uid_t me = geteuid();
	for (struct dirent *e; (e = readdir(d));) {
		if (pid_in_name(e->d_name) != pid || strncmp(e->d_name, "owner-", 6) == 0)
			continue;
		struct stat st;
		if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || st.st_uid != me ||
		    !(S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
			continue; /* not ours: never touched */
		if (keep_since && st.st_mtime >= keep_since - 1)
			continue;
		unlinkat(dfd, e->d_name, 0);
	}
	closedir(d);
}

/* Another process's files: removed only when we hold its lock. */
static void reap(int dfd, pid_t pid)
{
	char lock[64];
	snprintf(lock, sizeof lock, "owner-%ld.lock", (long)pid);
	bool made = false;
	int fd = openat(dfd, lock, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		fd = openat(dfd, lock, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		made = true;
	}
	if (fd < 0)
		return;
	struct stat st, now;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    flock(fd, LOCK_EX | LOCK_NB) != 0 || fstatat(dfd, lock, &now, AT_SYMLINK_NOFOLLOW) != 0 ||
	    now.st_ino != st.st_ino || now.st_dev != st.st_dev) {
		/* Not ours, held by a live owner, or replaced meanwhile. */
		close(fd);
		return;
	}
	/* No lock file: a process that never took one. If that pid lives now,
	 * only files older than the process are stale (the pid was reused). */
	time_t keep_since = 0;
	bool alive = kill(pid, 0) == 0 || errno == EPERM;
	if (made && alive) {
		keep_since = zc_proc_started(pid);
		if (!keep_since)
			keep_since = 1; /* unknown start: keep everything */
	}
	remove_files_of(dfd, pid, keep_since);
	unlinkat(dfd, lock, 0);
	close(fd);
}

int zc_dir_claim(const char *dir, char *err, size_t err_len)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		snprintf(err, err_len, "cannot open %s: %s", dir, strerror(errno));
		return -1;
	}
	pid_t self = getpid();
	char lock[64];
	snprintf(lock, sizeof lock, "owner-%ld.lock", (long)self);
	int fd = -1;
	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		fd = openat(dfd, lock, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT)
			fd = openat(dfd, lock, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0)
			break;
		/* A stale lock of our pid may be held for a moment by a process
		 * sweeping it: wait, then make sure it is still the file there. */
		struct stat st, now;
		int r;
		while ((r = flock(fd, LOCK_EX)) != 0 && errno == EINTR)
			;
		if (r != 0 || fstat(fd, &st) != 0 || fstatat(dfd, lock, &now, AT_SYMLINK_NOFOLLOW) != 0 ||
		    now.st_ino != st.st_ino || now.st_dev != st.st_dev || !S_ISREG(st.st_mode) ||
		    st.st_uid != geteuid()) {
			close(fd);
			fd = -1;
			errno = EAGAIN;
		}
	}
	if (fd < 0) {
		snprintf(err, err_len, "cannot lock %s/%s: %s", dir, lock, strerror(errno));
		close(dfd);
		return -1;
	}
	/* Files named with our pid were left by an earlier process with it. */
	remove_files_of(dfd, self, 0);
	/* Every other pid named in the directory. */
	DIR *d = fdopendir(dup(dfd));
	if (d)
		rewinddir(d); /* the duplicate shares the offset remove_files_of moved */
	pid_t *pids = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		pid_t pid = pid_in_name(e->d_name);
		if (!pid || pid == self)
			continue;
		bool seen = false;
		for (size_t i = 0; i < n && !seen; i++)
			seen = pids[i] == pid;
		if (seen)
			continue;
		if (n == cap) {
			size_t c = cap ? cap * 2 : 16;
			pid_t *p = realloc(pids, c * sizeof *p);
			if (!p)
				break;
			pids = p;
			cap = c;
		}
		pids[n++] = pid;
	}
	if (d)
		closedir(d);
	for (size_t i = 0; i < n; i++)
		reap(dfd, pids[i]);
	free(pids);
	close(dfd);
	return fd;
}

void zc_dir_release(const char *dir, int fd)
{
	if (fd < 0)
		return;
	char lock[PATH_MAX];
	zc_dir_lock_path(dir, lock, sizeof lock);
	unlink(lock);
	close(fd);
}

void zc_dir_lock_path(const char *dir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/owner-%ld.lock", dir, (long)getpid());
}
