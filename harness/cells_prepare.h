/* What runs after the cells are built and before anything is written to the
 * cache: the sizes against a maximum and the free space, then the pattern
 * files. */
#ifndef ZC_CELLS_PREPARE_H
#define ZC_CELLS_PREPARE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "cell.h"

/* The largest --size zcbench accepts: 1 TiB per cell. */
#define ZC_SIZE_MAX_BYTES (1ull << 40)

/* Refuse (-1 with one line in err: bad input, exit 2) a cell larger than
 * ZC_SIZE_MAX_BYTES, or cells whose files do not fit: the pattern files
 * not yet in cache_dir and every file-sink destination (all exist at once:
 * the rounds interleave the cells), against the free space that statvfs
 * reports for each directory, less a margin of 2% of the filesystem (at
 * least 1 MiB). dest_dir NULL: the cache directory. Returns 0 when they fit. */
int zc_cells_check_space(const struct zc_cell *cells, size_t n, const char *cache_dir, const char *dest_dir, char *err,
			 size_t err_len);

/* Make every cell's pattern file ready (a memory source needs none) (zc_source_file_ensure) and set its
 * source_path; a corrupt file is generated again with one warning line on
 * stderr; a cell whose file cannot be made fails with the reason. Returns 0,
 * or -1 when *stop was set while generating (no temp file is left; the
 * cells not ready are marked interrupted). */
int zc_cells_prepare_sources(struct zc_cell *cells, size_t n, const char *cache_dir, const volatile sig_atomic_t *stop);

#endif
