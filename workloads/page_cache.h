/* The page cache state of a source file: measured before every run, and
 * emptied for --cache cold. */
#ifndef ZC_PAGE_CACHE_H
#define ZC_PAGE_CACHE_H

#include <stddef.h>
#include <stdint.h>

/* Drop the file's pages from the page cache (fdatasync, then
 * posix_fadvise(DONTNEED)). Returns 0, or -1 with err. */
int zc_cache_evict(const char *path, char *err, size_t err_len);

/* Bytes of the file resident in the page cache (mincore), or -1 with err. */
int64_t zc_cache_resident(const char *path, char *err, size_t err_len);

#endif
