#include "page_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int zc_cache_evict(const char *path, char *err, size_t err_len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, err_len, "open %s: %s", path, strerror(errno));
		return -1;
	}
	int rc = 0;
	/* Dirty pages cannot be dropped: write them back first. */
	if (fdatasync(fd) != 0) {
		snprintf(err, err_len, "fdatasync %s: %s", path, strerror(errno));
		rc = -1;
	} else {
		int e = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		if (e) {
			snprintf(err, err_len, "posix_fadvise(DONTNEED) %s: %s", path, strerror(e));
			rc = -1;
		}
	}
	close(fd);
	return rc;
}

int64_t zc_cache_resident(const char *path, char *err, size_t err_len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, err_len, "open %s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		snprintf(err, err_len, "fstat %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (st.st_size == 0) {
		close(fd);
		return 0;
	}
	size_t len = (size_t)st.st_size;
	long page = sysconf(_SC_PAGESIZE);
	void *map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		snprintf(err, err_len, "mmap %s: %s", path, strerror(errno));
		return -1;
	}
	size_t pages = (len + (size_t)page - 1) / (size_t)page;
	unsigned char *vec = malloc(pages);
	int64_t resident = -1;
	if (!vec) {
		snprintf(err, err_len, "out of memory");
	} else if (mincore(map, len, vec) != 0) {
		snprintf(err, err_len, "mincore %s: %s", path, strerror(errno));
	} else {
		resident = 0;
		for (size_t i = 0; i < pages; i++)
			if (vec[i] & 1)
				resident += i + 1 == pages ? (int64_t)(len - i * (size_t)page) : page;
	}
	free(vec);
	munmap(map, len);
	return resident;
}
