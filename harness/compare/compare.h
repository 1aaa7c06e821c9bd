/* zcbench compare: result files side by side, cell by cell and metric by
 * metric, with a Mann-Whitney U test over the per-run samples. The
 * comparison is built as a JSON document (the `--format json` output,
 * described in results/SCHEMA.md) and the text and markdown reports are
 * drawn from it. */
#ifndef ZC_COMPARE_H
#define ZC_COMPARE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define ZC_COMPARE_SCHEMA    "zcbench-compare/1"
#define ZC_COMPARE_MAX_FILES 32
#define ZC_COMPARE_MIN_RUNS  2 /* per side, or the cell is not compared */
#define ZC_COMPARE_WARN_RUNS 5 /* fewer measured runs than this: a warning */

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

/* ---- the comparison (compare.c) ---- */

struct zc_cmp_opts {
	double threshold; /* relative: 0.05 for 5% */
	double alpha;
	bool timing;	     /* compare timing metrics even under emulation */
	bool metrics_chosen; /* --metric was given */
	struct zc_metric metrics[64];
	size_t nmetrics;
};

/* Build the comparison of files[0] (the base) with each other file. New
 * reference; never NULL. Cells or metrics that cannot be compared are
 * recorded as such, never an error. */
json_t *zc_compare(const struct zc_cmp_file *files, size_t nfiles, const struct zc_cmp_opts *o);

/* ---- reports (compare_format.c) ---- */

void zc_compare_print_text(FILE *out, const json_t *cmp);
void zc_compare_print_markdown(FILE *out, const json_t *cmp);

/* ---- the host (compare_host.c) ---- */

/* Whether this process runs on an emulated CPU (qemu TCG): 1 or 0. The
 * environment variable ZCBENCH_EMULATED, when set, decides (1/yes/true or
 * 0/no/false); otherwise the CPU is asked: a hypervisor whose CPUID
 * signature is QEMU's TCG ("TCGTCGTCGTCG"), or a CPU that calls itself
 * "QEMU Virtual CPU"/"QEMU TCG CPU" with no KVM, Xen, Hyper-V or VMware
 * signature, is emulated. For host.emulated in result files. */
int zc_host_emulated(void);

#endif
