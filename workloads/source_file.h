/* Source files: the pattern, generated once into the cache directory and
 * reused while its stamp's CRC32C matches its content. */
#ifndef ZC_SOURCE_FILE_H
#define ZC_SOURCE_FILE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "<cache_dir>/pattern-v<version>-<size>" into path. Returns 0 or -1 (too long). */
int zc_source_path(const char *cache_dir, uint64_t size, char *path, size_t len);

/* Make sure cache_dir holds the pattern file of exactly `size` bytes, its
 * content checked against the CRC32C its stamp carries; put its path in
 * path. A file that is missing, has no stamp, or is corrupt (a symbolic
 * link, not ours, the wrong size, a checksum mismatch) is generated again
 * through a temp file ("tmp-<pid>-pattern-*", O_EXCL, O_NOFOLLOW) and a
 * rename; generation looks at *stop after every MiB. Returns 0 when the
 * file is ready, 1 when it is ready but was corrupt (then warn holds one
 * line saying so), -1 with a reason in err, -2 when *stop was set (no temp
 * file is left). */
int zc_source_file_ensure(const char *cache_dir, uint64_t size, const volatile sig_atomic_t *stop, char *path,
			  size_t path_len, char *warn, size_t warn_len, char *err, size_t err_len);

/* Whether a regular file of `size` bytes is at the pattern's path (no
 * content check: for planning the space generation needs). */
bool zc_source_file_present(const char *cache_dir, uint64_t size);

/* The first offset where the file at path (of `size` bytes) differs from
 * the pattern, -1 when it does not, -2 when it cannot be read. */
int64_t zc_source_file_check(const char *path, uint64_t size);

/* Write path's stamp (path + ".stamp") for its content as it is now.
 * Returns 0, or -1 with a reason. */
int zc_source_stamp_write(const char *path, char *err, size_t err_len);

/* Stop trusting the pattern file at path: remove its stamp, so the next
 * run generates it again. */
void zc_source_file_distrust(const char *path);

#endif
