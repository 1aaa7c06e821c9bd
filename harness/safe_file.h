/* Files zcbench creates: results, reports and calibrations written
 * atomically and only over a regular file, and temp files that never outlive
 * the process (removed on every error path and by the signal handler). */
#ifndef ZC_SAFE_FILE_H
#define ZC_SAFE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* Whether path may be the output file of a command: a new name in an
 * existing, writable directory, or an existing regular file. An empty name,
 * a symbolic link, a directory, a device, a FIFO or a socket is refused. The
 * directory is probed by creating and removing a temp file in it, after
 * zc_out_sweep has removed the temps dead processes left there. Returns 0,
 * or -1 with a one-line reason in err (bad input: the caller exits 2). */
int zc_out_check(const char *path, char *err, size_t err_len);

/* Whether dir may be an output directory (a report): an existing directory
 * or a new path (created later, parents included). An empty name or an
 * existing non-directory is refused. Returns 0, or -1 with a reason. */
int zc_out_dir_check(const char *dir, char *err, size_t err_len);

/* Write len bytes to path: into a temp file beside it (created with O_EXCL
 * and O_NOFOLLOW, its name carrying the pid), fsync, then rename over path
 * (checked again to be absent or a regular file) and fsync the directory.
 * A reader sees the old file or the whole new one; on any error (ENOSPC,
 * EIO, ...) the temp is removed and path is untouched. Returns 0, or -1
 * with the errno text in err (a failure: the caller exits 1). */
int zc_out_write(const char *path, const void *data, size_t len, char *err, size_t err_len);

/* Create a new file "<dir>/<prefix><pid>-<what>-XXXXXX" with O_EXCL and
 * O_NOFOLLOW (mode 0600), flock'ed while the descriptor is open (a sweep
 * sees it is in use) and remembered so zc_tmp_cleanup can remove it. The
 * name goes to path. Returns the descriptor, or -1 with errno set. */
int zc_tmp_create(const char *dir, const char *prefix, const char *what, char *path, size_t len);

/* The temp at path was renamed or removed: forget it. */
void zc_tmp_forget(const char *path);

/* Remove from dir the output temps (".zcbench-tmp-<pid>-<what>-XXXXXX",
 * that exact shape) a process killed mid-write left behind: regular files
 * owned by the effective user, whose pid is not alive (or was reused: the
 * file is older than the process now holding it), and that no process holds
 * flock'ed (a writer in another pid namespace). Anything else is never
 * touched. Best effort: an unreadable directory is left alone. */
void zc_out_sweep(const char *dir);

/* When process pid started (seconds since the epoch), 0 when unknown. */
time_t zc_proc_started(pid_t pid);

/* Whether a file named with pid and last modified at mtime may belong to a
 * live process: the pid is alive and the file is not older than the process
 * (an older one was left by an earlier process with that pid). When the
 * process's start time cannot be read, true (kept). */
bool zc_pid_may_own(pid_t pid, time_t mtime);

/* Unlink every temp file still remembered. Async-signal-safe: for the
 * handler of a second interrupt. */
void zc_tmp_cleanup(void);

#endif
