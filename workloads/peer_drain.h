/* The drain peer: the process on the far end of a stream sink. It must cost
 * less than the subject so it is never the bottleneck; when asked it checks
 * every byte against the pattern instead. */
#ifndef ZC_PEER_DRAIN_H
#define ZC_PEER_DRAIN_H

#include "workload.h"

/* Consume fd until end of stream; fill rep (received, mismatch_at, err). */
void zc_peer_drain(int fd, const struct zc_sink_cfg *c, struct zc_sink_report *rep);

/* Fork a peer that pins itself, calls accept_fd ? accept() : uses fd as is,
 * drains, and writes its report to a pipe. Parent gets pid and report fd. */
int zc_peer_fork(int fd, int is_listener, const struct zc_sink_cfg *c, pid_t *pid, int *report_fd);

/* Parent: read the peer's report, reap it with its resource usage. */
int zc_peer_collect(pid_t pid, int report_fd, struct zc_sink_report *rep, char *err, size_t err_len);

#endif
