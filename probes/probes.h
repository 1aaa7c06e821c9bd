/* Probes: counters read around each measured window. The parent opens and
 * attaches them once per invocation; the subject marks its window with
 * syscall-free calls, so the harness's own work never lands in a count. */
#ifndef ZC_PROBES_H
#define ZC_PROBES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct zc_probes;

/* Parent, once: load and attach what is available (nothing when !enabled).
 * Never returns NULL; what could not be had is recorded in the status. */
struct zc_probes *zc_probes_open(bool enabled);
void zc_probes_close(struct zc_probes *pr);

/* The top-level "probes" object: each probe's status and reason. New ref. */
json_t *zc_probes_status_json(const struct zc_probes *pr);

/* Parent, once the subject is ready and before it is told to start. */
int zc_probes_arm(struct zc_probes *pr, pid_t subject);

/* Subject, after fork and before it reports ready (may open descriptors). */
void zc_probes_subject_init(struct zc_probes *pr);
/* Subject, before its window: its stream threads (index = stream) and its
 * own helper threads, so counts are split by thread class (any other thread
 * of the process is an io_uring worker). n <= 64, nh <= 4. */
void zc_probes_register_threads(struct zc_probes *pr, const pid_t *streams, unsigned n, const pid_t *harness,
				unsigned nh);
/* Per stream, its switch-outs in the window so far (readable without a
 * syscall), or NULL without eBPF. */
const volatile uint64_t *zc_probes_stream_switches(struct zc_probes *pr);
/* Subject, right before the clock starts and right after it stops. */
void zc_probes_window_begin(struct zc_probes *pr);
void zc_probes_window_end(struct zc_probes *pr);
/* Any thread of the subject: close the eBPF window only (one store, no
 * syscall); window_end later closes the rest. */
void zc_probes_ebpf_window_close(struct zc_probes *pr);

/* Parent, after the subject reported its window: the run's "counters"
 * object (new ref), or NULL when no probe was on. */
json_t *zc_probes_collect(struct zc_probes *pr, pid_t subject);

/* Add the per-GiB figures derived from the runs' counters to a cell's
 * summary. runs: the cell's "runs" array (warm-up runs carry "warmup": true
 * and are left out). */
void zc_probes_summarize(const json_t *runs, json_t *summary);

/* For `zcbench doctor`: load every probe once and print to out what works
 * and, for what does not, why (no eBPF support built in, not root, no BTF,
 * a missing tracepoint, no PMU, perf_event_paranoid) and what to do. */
void zc_probes_doctor(FILE *out);

#endif
