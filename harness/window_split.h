/* A run's figures split by thread class, placement and byte class (see
 * window_split.c). */
#ifndef ZC_WINDOW_SPLIT_H
#define ZC_WINDOW_SPLIT_H

#include <jansson.h>
#include <string.h>

#include "cell.h"

/* The run's "cpu" object (new ref; null without per-thread figures). */
json_t *zc_cpu_split_json(const struct zc_window *w, const json_t *counters);
/* The run's "placement" object (new ref). */
json_t *zc_placement_json(const struct zc_window *w, unsigned streams);
/* Move the bytes of zero-copy sends the kernel did not copy from
 * counters.bytes.from_user to pinned_from_user. */
void zc_split_zerocopy_bytes(json_t *counters, const struct zc_window *w);
/* Set counters.bytes.mapped_to_user: bytes that TCP_ZEROCOPY_RECEIVE mapped
 * into user space instead of copying them (the strategy's own count from the
 * kernel's replies; 0 for every other strategy), a class of its own; null
 * where the byte classes are (io_uring). */
void zc_set_mapped_bytes(json_t *counters, const struct zc_window *w, const char *const *stat_names);
/* A cell's "cpu_split_per_gib": medians over its measured runs (the
 * "runs" array) of each "cpu" figure per GiB, null where a run lacks it. */
json_t *zc_cpu_split_summary(const json_t *runs);
/* The run's "victim" object (new ref). */
json_t *zc_victim_json(const struct zc_window *w);

#endif
