/* zcbench compare: result files side by side, cell by cell and metric by
 * metric. Timings are judged after removing the machine's drift between the
 * files (against the baseline strategy's same-round figure, or the memcpy
 * calibration), with Welch's t-test over the per-run samples, the
 * Benjamini-Hochberg correction over every test of a column and a minimum
 * effect size; counts that do not depend on timing by an exact rule with a
 * minimum absolute difference. The comparison is built as a JSON document
 * (the `--format json` output, described in results/SCHEMA.md) and the text
 * and markdown reports are drawn from it. */
#ifndef ZC_COMPARE_H
#define ZC_COMPARE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define ZC_COMPARE_SCHEMA    "zcbench-compare/2"
#define ZC_COMPARE_MAX_FILES 32
#define ZC_COMPARE_MIN_RUNS  2 /* per side, or the cell is not compared */
#define ZC_COMPARE_WARN_RUNS 5 /* fewer measured runs than this: a warning */
#define ZC_COMPARE_TEST_RUNS 3 /* per side for a t-test: two runs give no usable variance */

/* ---- metrics (compare_metrics.c) ---- */

enum zc_metric_kind {
	ZC_METRIC_TIMING, /* clocks: meaningless under emulation */
	ZC_METRIC_COUNT,  /* events per GiB: meaningful anywhere */
};

enum zc_metric_source {
	ZC_SRC_THROUGHPUT,
	ZC_SRC_CPU,
	ZC_SRC_USER,
	ZC_SRC_SYS,
	ZC_SRC_SYSCALLS,
	ZC_SRC_CSW,
	ZC_SRC_OFF_CPU,
	ZC_SRC_TO_USER,
	ZC_SRC_FROM_USER,
	ZC_SRC_IN_KERNEL,
	ZC_SRC_PINNED,
	ZC_SRC_MAPPED,
	ZC_SRC_PERF,
};

struct zc_metric {
	char name[64]; /* "throughput", "syscalls_per_gib", "perf.instructions" */
	enum zc_metric_source src;
	enum zc_metric_kind kind;
	bool higher_is_better;
	bool probe; /* from the runs' probe `counters` */
	char perf_name[48];
};

/* Parse one metric name. Returns 0, or -1 when it is not one. */
int zc_metric_parse(const char *name, struct zc_metric *m);
/* The names --metric accepts, comma-separated, for messages. */
const char *zc_metric_valid_names(void);
/* The default set into out (room for at least 16). Returns how many. */
size_t zc_metric_defaults(struct zc_metric *out);
/* Every built-in metric (not perf.*) into out (room for 16). */
size_t zc_metric_all(struct zc_metric *out);

/* The per-run samples of m over a cell's measured (non-warm-up) runs into
 * out (room for json_array_size(runs)). Returns how many, or -1 when some
 * measured run lacks the figure (null or absent: not measured). */
long zc_metric_samples(const json_t *cell, const struct zc_metric *m, double *out);
/* The same, with each sample's run `index` (its round) into index when not
 * NULL (-1 for a run without one). */
long zc_metric_samples_indexed(const json_t *cell, const struct zc_metric *m, double *out, long *index);

/* Whether m's count in this cell depends on timing (how many calls a wait,
 * a retry or a partial transfer took), so that equal counts in every run of
 * one file say nothing about the next: context switches and perf counters
 * always; syscalls when the runs made a call of the list in
 * zc_timing_syscalls or the subject reads from a pipe or socket. why gets a
 * short reason. Timing metrics: false. */
bool zc_metric_timing_dependent(const struct zc_metric *m, const json_t *cell, char *why, size_t why_len);
/* The syscalls whose count depends on timing, comma-separated, for help. */
const char *zc_timing_syscalls(void);
/* Whether m counts bytes (its minimum difference is in pages of 4096). */
bool zc_metric_is_bytes(const struct zc_metric *m);

/* ---- one result file (compare.c) ---- */

struct zc_cmp_file {
	const char *path;
	json_t *doc;
	const char *schema;
	char label[128]; /* the kernel release, made unique */
	bool emulated;
	char emulated_why[96];
};

/* Load and check path. Returns 0, or -1 with a one-line reason in err. */
int zc_cmp_load(const char *path, struct zc_cmp_file *f, char *err, size_t err_len);
/* Make the files' labels unique, as column titles: "6.1.0-56-amd64 (2)". */
void zc_cmp_labels_unique(struct zc_cmp_file *files, size_t nfiles);

/* ---- the comparison (compare.c) ---- */

/* What timings are judged relative to (--drift). */
enum zc_drift_ref {
	ZC_DRIFT_BASELINE, /* the baseline strategy's figure of the same round, memcpy where that fails */
	ZC_DRIFT_MEMCPY,   /* host.calibration.memcpy.bps of each file */
	ZC_DRIFT_NONE,	   /* raw figures */
};

struct zc_cmp_opts {
	double threshold;    /* minimum effect size, relative: 0.10 for 10% */
	double alpha;	     /* on Benjamini-Hochberg adjusted p-values */
	bool timing;	     /* compare timing metrics even under emulation */
	bool metrics_chosen; /* --metric was given */
	struct zc_metric metrics[64];
	size_t nmetrics;
	enum zc_drift_ref drift;
	char baseline[64];     /* the baseline strategy for --drift baseline */
	double min_count_diff; /* a count must move by this many events (pages for bytes) per run */
	double max_drift;      /* machine speed ratio beyond which timing is not comparable */
};

#define ZC_COMPARE_THRESHOLD	  0.10
#define ZC_COMPARE_ALPHA	  0.05
#define ZC_COMPARE_MIN_COUNT_DIFF 16
#define ZC_COMPARE_MAX_DRIFT	  1.5
#define ZC_COMPARE_BASELINE	  "readwrite"

/* The defaults above into o (metrics: the default set). Options left zero
 * get these defaults for baseline and max_drift; min_count_diff 0 means no
 * minimum. */
void zc_cmp_opts_defaults(struct zc_cmp_opts *o);

/* Build the comparison of files[0] (the base) with each other file. New
 * reference; never NULL. Cells or metrics that cannot be compared are
 * recorded as such, never an error. */
json_t *zc_compare(const struct zc_cmp_file *files, size_t nfiles, const struct zc_cmp_opts *o);

/* Receives the comparison as zc_compare_stream makes it: head once, when
 * every key the document has before "cells" is final, then each cell's
 * entry in order (both borrowed: take a reference to keep one). */
struct zc_cmp_sink {
	void (*head)(void *arg, json_t *doc);
	void (*cell)(void *arg, json_t *cell);
	void *arg;
};

/* zc_compare, the cells given to sink one at a time instead of kept: a
 * comparison of 100,000 cells holds one cell's entry at a time. The
 * returned document has every key but "cells" (unless sink's head adds it,
 * as zc_compare's does). */
json_t *zc_compare_stream(const struct zc_cmp_file *files, size_t nfiles, const struct zc_cmp_opts *o,
			  const struct zc_cmp_sink *sink);

/* ---- reports (compare_format.c) ---- */

enum zc_cmp_format { ZC_CMP_TEXT, ZC_CMP_MARKDOWN, ZC_CMP_JSON };

/* The text, markdown or JSON (byte for byte json_dumpf's JSON_INDENT(2),
 * JSON_REAL_PRECISION(15), and a newline) report of a comparison, written
 * as it is made: head with the document's head, each cell as it comes, end
 * with the finished document (which frees the printer). The text tables
 * are aligned over every row, so their strings are kept until end. */
struct zc_cmp_printer;
struct zc_cmp_printer *zc_compare_printer_new(FILE *out, enum zc_cmp_format format);
void zc_compare_printer_head(struct zc_cmp_printer *p, const json_t *head);
void zc_compare_printer_cell(struct zc_cmp_printer *p, const json_t *cell);
void zc_compare_printer_end(struct zc_cmp_printer *p, const json_t *cmp);
/* The same over a whole document (zc_compare's). */
void zc_compare_print(FILE *out, const json_t *cmp, enum zc_cmp_format format);
void zc_compare_print_text(FILE *out, const json_t *cmp);
void zc_compare_print_markdown(FILE *out, const json_t *cmp);
/* A byte count as "32K", "1M", "256M" (exact multiples only, else the
 * integer); "-" for a value that is not an integer. */
void zc_compare_bytes_text(const json_t *v, char *buf, size_t len);
/* s with control characters (C0, DEL, C1: ANSI escapes, newlines) written
 * as \xNN or \u00NN, for a terminal. */
void zc_compare_put_safe(FILE *out, const char *s);

/* ---- the host (compare_host.c) ---- */

/* Whether this process runs on an emulated CPU (qemu TCG): 1 or 0. The
 * environment variable ZCBENCH_EMULATED, when set, decides (1/yes/true or
 * 0/no/false); otherwise the CPU is asked: a hypervisor whose CPUID
 * signature is QEMU's TCG ("TCGTCGTCGTCG"), or a CPU that calls itself
 * "QEMU Virtual CPU"/"QEMU TCG CPU" with no KVM, Xen, Hyper-V or VMware
 * signature, is emulated. For host.emulated in result files. */
int zc_host_emulated(void);

#endif
