/* Kernel-side work of the subject in its window (kwork.bpf.c): allocations,
 * faults, softirqs, packets and skb copies, as event counts. Internal to the
 * probes library: probes.c opens it when its own eBPF programs loaded. */
#ifndef ZC_KWORK_H
#define ZC_KWORK_H

#include <sys/types.h>

#include <jansson.h>

struct zc_kwork;

/* Loads and attaches what this kernel has; NULL when nothing could be (the
 * reason is then in err). */
struct zc_kwork *zc_kwork_open(char *err, size_t len);
void zc_kwork_close(struct zc_kwork *k);
void zc_kwork_arm(struct zc_kwork *k, pid_t subject);
void zc_kwork_begin(struct zc_kwork *k);
void zc_kwork_end(struct zc_kwork *k);
/* {event: count, ...} for the attached events (new ref), or null. */
json_t *zc_kwork_collect(struct zc_kwork *k, pid_t subject);
/* {"attached": [tracepoints], "missing": {tracepoint: reason}} (new ref). */
json_t *zc_kwork_status_json(const struct zc_kwork *k);

#endif
