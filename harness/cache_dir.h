/* The cache directory: private to the user who runs zcbench, held by a lock
 * per process, and swept of what dead processes left behind. */
#ifndef ZC_CACHE_DIR_H
#define ZC_CACHE_DIR_H

#include <stddef.h>

/* The default cache directory: /var/cache/zcbench for root; for anyone
 * else $XDG_CACHE_HOME/zcbench (when it is an absolute path), else
 * $HOME/.cache/zcbench. Places another user cannot create first. */
void zc_cache_dir_default(char *buf, size_t len);

/* Create dir when missing (mode 0700, parents too) and check that it is
 * private: a directory owned by the effective user and not writable by group
 * or others, below directories owned by root or that user that no other user
 * can write (unless sticky, like /tmp), so nobody else can plant a file in it
 * or swap it. Returns 0, or -1 with a one-line reason (bad input: exit 2). */
int zc_cache_dir_check(const char *dir, char *err, size_t err_len);

/* Hold dir for this process: create "owner-<pid>.lock" there (O_EXCL,
 * O_NOFOLLOW) and flock it for the process's life (its children inherit
 * it), then remove what dead processes left: the files named "dest-<pid>-*"
 * and "tmp-<pid>-*" of a pid whose "owner-<pid>.lock" nobody holds (a dead
 * process: its pid may live again, but not with that lock held). When a
 * pid has no lock file at all and is alive, only its files older than that
 * process are removed (the pid was reused). Files owned by another user are
 * never touched. Returns the lock's descriptor, or -1 with a reason. */
int zc_dir_claim(const char *dir, char *err, size_t err_len);

/* Give dir back at the end of a run: remove this process's lock file (its
 * other files are gone by then) and close fd. */
void zc_dir_release(const char *dir, int fd);

/* The path of this process's lock file in dir, for a clean-up that cannot
 * call zc_dir_release (the handler of a second SIGINT/SIGTERM unlinks it). */
void zc_dir_lock_path(const char *dir, char *buf, size_t len);

#endif
