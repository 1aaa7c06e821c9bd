/* Internals shared by probes.c (eBPF, JSON, summary) and perf.c (perf_event
 * counters). Not part of the interface. */
#ifndef ZC_PROBES_INTERNAL_H
#define ZC_PROBES_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <jansson.h>

#define ZC_NPERF 10

/* One perf_event counter zcbench knows. */
struct zc_perf_def {
	const char *name; /* JSON key */
	uint32_t type;	  /* PERF_TYPE_* */
	uint64_t config;
	bool hardware; /* needs a PMU */
};
extern const struct zc_perf_def zc_perf_defs[ZC_NPERF];

/* What the subject reports, written into a MAP_SHARED page the parent mapped
 * before forking. */
struct zc_perf_slot {
	int32_t open_err; /* errno of perf_event_open on the main thread, 0: opened */
	uint32_t user_only;
	uint64_t value;	     /* sum over threads of raw * enabled / running */
	uint64_t raw;	     /* sum over threads of the raw counts */
	uint64_t enabled_ns; /* sums over threads */
	uint64_t running_ns;
	int32_t read_err;     /* errno of a failed read(), 0: all read */
	uint32_t ran;	      /* threads whose counter ran at all */
	uint32_t multiplexed; /* threads whose counter ran less than it was enabled */
	uint32_t nthreads;    /* threads counted */
};

struct zc_perf_page {
	int32_t pid;	   /* the subject that wrote it */
	uint32_t reported; /* set last, after the slots */
	struct zc_perf_slot slot[ZC_NPERF];
};

struct zc_perf {
	bool on;		   /* probes enabled and the page mapped */
	struct zc_perf_page *page; /* MAP_SHARED, shared with every subject */
	int paranoid;		   /* /proc/sys/kernel/perf_event_paranoid, or INT_MIN */
	/* The parent's trial open at start-up (status before any run). */
	int probe_err[ZC_NPERF];
	bool probe_user_only[ZC_NPERF];
	/* Subject side (its private copy of the struct): one descriptor per
	 * counter and per thread the subject had at subject_init (inherit
	 * covers the threads it creates later), fd[t * ZC_NPERF + i]. */
	pid_t self;
	int *fd;
	int ntasks;
	int open_err[ZC_NPERF];
	bool user_only[ZC_NPERF];
	int nopen;
};

void zc_perf_init(struct zc_perf *p, bool enabled);
void zc_perf_fini(struct zc_perf *p);
void zc_perf_arm(struct zc_perf *p);
void zc_perf_subject_init(struct zc_perf *p);
void zc_perf_begin(struct zc_perf *p);
void zc_perf_end(struct zc_perf *p);
/* The "perf" object of a run's counters (new ref). */
json_t *zc_perf_collect(const struct zc_perf *p, pid_t subject);
/* The "perf" object of the top-level status (new ref). */
json_t *zc_perf_status_json(const struct zc_perf *p, bool enabled);
void zc_perf_doctor(const struct zc_perf *p, FILE *out);

/* The value of a small integer sysctl file, or INT_MIN. */
int zc_read_int_file(const char *path);

#endif
