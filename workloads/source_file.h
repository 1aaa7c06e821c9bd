/* Source files: the pattern, generated once into a cache directory and reused
 * while its stamp says it is intact. */
#ifndef ZC_SOURCE_FILE_H
#define ZC_SOURCE_FILE_H

#include <stddef.h>
#include <stdint.h>

/* Make sure cache_dir holds a pattern file of exactly `size` bytes; put its
 * path in path. Returns 0, or -1 with a reason in err. */
int zc_source_file_ensure(const char *cache_dir, uint64_t size, char *path, size_t path_len, char *err, size_t err_len);

/* Create cache_dir (and its parents) if missing. Returns 0 or an errno. */
int zc_mkdir_p(const char *dir);

#endif
