/* The report's model of its input files, shared by its parts: loading
 * (report_load.c), figures and their data (report_figures.c), rendering
 * (report_render.c), HTML (report_html.c) and Markdown (report_md.c). */
#ifndef ZC_REPORT_INTERNAL_H
#define ZC_REPORT_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "report_util.h"

#define GIB_BYTES 1073741824.0

/* A figure that may be missing: a null, an absent key and a wrong type all
 * leave ok false. */
struct zc_val {
	bool ok;
	double v;
};

struct zc_rfile {
	const char *path; /* as given */
	const char *base; /* its last component */
	json_t *doc;	  /* owned */
	char label[128];  /* kernel release; with " #n" when files share one */
	const char *kernel;
	const json_t *host, *probes, *calibration, *hyperfine;
	struct zc_val memcpy_bps, syscall_ns, pipe_bps;
	bool interrupted;
	bool any_hyperfine; /* some cell has hyperfine figures */
};

struct zc_rcell {
	size_t file, workload; /* indices into the report's files and workloads */
	const json_t *j;
	const char *strategy, *workload_name, *status, *reason, *path;
	int sees_data;	  /* 1, 0, or -1 when the file does not say */
	char label[160];  /* strategy plus the params that tell it from its neighbours */
	char series[160]; /* the same without the chunk size: a sweep's line */
	struct zc_val chunk;
	bool ok; /* status "ok" and a summary with a throughput median */
	struct zc_val runs, outliers, size;
	struct zc_val tput, tput_lo, tput_hi, ci_level;
	struct zc_val cpu_user, cpu_sys, task_clock; /* ns per GiB */
	struct zc_val syscalls;			     /* per GiB */
	struct zc_val csw_vol, csw_invol;	     /* per GiB */
	bool csw_from_probe;			     /* eBPF sched_switch rather than getrusage */
	struct zc_val to_user, from_user, in_kernel; /* bytes per GiB */
	const json_t *perf;			     /* summary.perf_per_gib when an object */
	struct zc_val victim_ratio, victim_ns, victim_base;
	/* whole-process timing under hyperfine */
	bool hf;
	const char *hf_reason;
	struct zc_val hf_runs, hf_mean, hf_stddev, hf_median, hf_min, hf_max; /* ns */
};

enum zc_fig_kind { ZC_FIG_DATA, ZC_FIG_NOTE };

struct zc_figure {
	char stem[192];	 /* output name without extension */
	char script[32]; /* plots/ script that draws it */
	size_t workload; /* index, or (size_t)-1 for none */
	enum zc_fig_kind kind;
	char title[256];    /* drawn on the figure */
	char note[512];	    /* a line drawn under it ("" for none) */
	char caption[1024]; /* shown beneath it in the HTML */
	char extra[64];	    /* a further script argument ("" for none) */
	int width, height;
};

struct zc_report {
	struct zc_rfile *files;
	size_t nfiles;
	struct zc_rcell *cells;
	size_t ncells;
	const char **workloads; /* names in the order first seen */
	size_t nworkloads;
	char **perf_names; /* perf counters with a value in some cell, first-seen order */
	size_t nperf;
	struct zc_figure *figs;
	size_t nfigs, capfigs;
};

/* report_load.c: read and check files. Returns ZC_REPORT_OK or
 * ZC_REPORT_BAD_INPUT / ZC_REPORT_FAILED with err set. */
int zc_report_load(struct zc_report *r, const char *const *files, size_t nfiles, char *err, size_t err_len);
void zc_report_free(struct zc_report *r);

/* The value of a number at a dotted path below obj ("summary.throughput_bps.median"). */
struct zc_val zc_jnum(const json_t *obj, const char *path);
/* The string at a dotted path, or NULL. */
const char *zc_jstr(const json_t *obj, const char *path);

/* report_figures.c: decide the figures and write their data files into
 * out_dir/data. Returns 0 or -1 with err set. */
int zc_report_figures(struct zc_report *r, const char *out_dir, char *err, size_t err_len);

/* report_render.c: copy the scripts used to out_dir/plots, write
 * data/render.sh and run gnuplot for every figure (PNG and SVG). */
int zc_report_render(const struct zc_report *r, const char *out_dir, const char *plots_dir, const char *gnuplot,
		     char *err, size_t err_len);

/* report_html.c and report_md.c. */
int zc_report_html(const struct zc_report *r, const char *out_dir, char *err, size_t err_len);
int zc_report_md(const struct zc_report *r, const char *out_dir, char *err, size_t err_len);

/* Formatting shared by HTML and Markdown (report_load.c). */
void zc_fmt_si(double v, char *buf, size_t len);	  /* 65600 -> "65.6k" */
void zc_fmt_bytes_short(double v, char *buf, size_t len); /* 32768 -> "32K" */
/* Per-cell derived figures: fraction of the memcpy ceiling, and the share of
 * CPU time that syscalls_per_gib x the calibrated round trip explains. */
struct zc_val zc_cell_memcpy_fraction(const struct zc_report *r, const struct zc_rcell *c);
struct zc_val zc_cell_syscall_share(const struct zc_report *r, const struct zc_rcell *c);
/* CPU ns per GiB the share is taken of: perf task_clock when measured, else user + sys. */
struct zc_val zc_cell_cpu_ns(const struct zc_rcell *c, bool *from_task_clock);
/* Whole-process throughput from the hyperfine median (bytes/s). */
struct zc_val zc_cell_hf_bps(const struct zc_rcell *c);
/* What the probes object says about a probe, for notes: "ok", or the reason. */
void zc_probe_note(const struct zc_rfile *f, char *buf, size_t len);
/* The hardware perf counters of a file that have no value, and why. */
void zc_perf_missing_note(const struct zc_report *r, char *buf, size_t len);

#endif
