#include "cells_prepare.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "../workloads/source_file.h"
#include "options.h"

static uint64_t segment_of(const struct zc_cell *c)
{
	return c->p.size / c->p.streams / c->p.transfers;
}

/* Free bytes for an unprivileged writer, less the margin; 0 when unknown. */
static int space_of(const char *dir, uint64_t *usable, uint64_t *margin, dev_t *dev, char *err, size_t err_len)
{
	struct statvfs vfs;
	struct stat st;
	if (statvfs(dir, &vfs) != 0 || stat(dir, &st) != 0) {
		snprintf(err, err_len, "cannot examine %s: %s", dir, strerror(errno));
		return -1;
	}
	uint64_t total = (uint64_t)vfs.f_blocks * vfs.f_frsize;
	*margin = total / 50 > (1u << 20) ? total / 50 : (1u << 20);
	*usable = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	*dev = st.st_dev;
	return 0;
}

static int too_big(const char *what, const char *dir, uint64_t need, uint64_t usable, uint64_t margin, char *err,
		   size_t err_len)
{
	char n[32], u[32], m[32];
	zc_format_bytes(need, n, sizeof n);
	zc_format_bytes(usable, u, sizeof u);
	zc_format_bytes(margin, m, sizeof m);
	snprintf(err, err_len, "%s need %s in %s, which has %s free (a margin of %s is kept): use a smaller --size",
		 what, n, dir, u, m);
	return -1;
}

int zc_cells_check_space(const struct zc_cell *cells, size_t n, const char *cache_dir, const char *dest_dir, char *err,
			 size_t err_len)
{
	uint64_t patterns = 0, dests = 0;
	for (size_t i = 0; i < n; i++) {
		const struct zc_cell *c = &cells[i];
		if (c->p.size > ZC_SIZE_MAX_BYTES) {
			snprintf(err, err_len, "--size %" PRIu64 " is above the maximum of 1T (%llu bytes)", c->p.size,
				 ZC_SIZE_MAX_BYTES);
			return -1;
		}
		if (c->p.workload->sink == ZC_EP_FILE)
			dests += c->p.size * c->p.workload->nsinks;
		if (c->p.workload->source == ZC_EP_MEM)
			continue; /* reads no file */
		uint64_t seg = segment_of(c);
		bool counted = false;
		for (size_t k = 0; k < i && !counted; k++)
			counted = cells[k].p.workload->source != ZC_EP_MEM && segment_of(&cells[k]) == seg;
		if (!counted && !zc_source_file_present(cache_dir, seg))
			patterns += seg;
	}
	uint64_t usable, margin, dusable, dmargin;
	dev_t dev, ddev;
	if (space_of(cache_dir, &usable, &margin, &dev, err, err_len) != 0)
		return -1;
	if (dest_dir) {
		if (space_of(dest_dir, &dusable, &dmargin, &ddev, err, err_len) != 0)
			return -1;
		if (ddev != dev) {
			if (dests > 0 && (dests > dusable || dusable - dests < dmargin))
				return too_big("the destination files", dest_dir, dests, dusable, dmargin, err,
					       err_len);
			dests = 0;
		}
	}
	uint64_t need = patterns + dests;
	if (need > 0 && (need > usable || usable - need < margin))
		return too_big(dests ? "the pattern and destination files" : "the pattern files", cache_dir, need,
			       usable, margin, err, err_len);
	return 0;
}

int zc_cells_prepare_sources(struct zc_cell *cells, size_t n, const char *cache_dir, const volatile sig_atomic_t *stop)
{
	for (size_t i = 0; i < n; i++) {
		struct zc_cell *c = &cells[i];
		if (c->p.workload->source == ZC_EP_MEM)
			continue; /* the subject fills its memory itself */
		uint64_t seg = segment_of(c);
		/* One check per file and invocation: a later cell of the same size
		 * takes the path an earlier one made ready. */
		bool done = false;
		for (size_t k = 0; k < i && !done; k++) {
			if (segment_of(&cells[k]) != seg || !cells[k].source_path[0])
				continue;
			memcpy(c->source_path, cells[k].source_path, sizeof c->source_path);
			done = true;
		}
		if (done)
			continue;
		char warn[600], err[512];
		int rc = zc_source_file_ensure(cache_dir, seg, stop, c->source_path, sizeof c->source_path, warn,
					       sizeof warn, err, sizeof err);
		if (rc == 1)
			fprintf(stderr, "zcbench: warning: %s\n", warn);
		if (rc == -2) {
			for (size_t k = i; k < n; k++)
				if (cells[k].status == ZC_OK) {
					cells[k].status = ZC_INTERRUPTED;
					snprintf(cells[k].reason, sizeof cells[k].reason,
						 "interrupted before its pattern file was ready");
				}
			return -1;
		}
		if (rc == -1) {
			c->source_path[0] = 0; /* a later cell of this size tries again */
			if (c->status == ZC_OK) {
				c->status = ZC_FAILED;
				snprintf(c->reason, sizeof c->reason, "source: %s", err);
			}
		}
	}
	return 0;
}
