/* The peer: one process on the far side of every stream endpoint of a run.
 * It produces source streams (after the parent's go) and drains sink streams,
 * all in one poll loop, and must cost less than the subject so it is never
 * the bottleneck. When verifying it checks every byte instead of discarding. */
#ifndef ZC_PEER_H
#define ZC_PEER_H

#include "workload.h"

/* Fork the peer for run r (its ends: r->peer_src, r->peer_dst). Sets r->peer,
 * r->peer_report and r->peer_go. Returns 0 or an errno. */
int zc_peer_start(const struct zc_wl_params *p, struct zc_wl_run *r);

/* Parent: read the peer's report and reap it with its resource usage.
 * Returns 0, or -1 with err. */
int zc_peer_collect(struct zc_wl_run *r, struct zc_sink_report *rep, char *err, size_t err_len);

#endif
