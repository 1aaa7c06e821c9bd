/* The report's model of its input files, which every part reads: the
 * files, their cells and verdicts (report_load.c, report_verdicts.c,
 * report_shutdown_load.c), JSON and number helpers (report_json.c), and the
 * list of figures the figure parts fill. Nothing here draws or writes
 * anything, so the parts above it depend on it and never the other way. */
#ifndef ZC_REPORT_MODEL_H
#define ZC_REPORT_MODEL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "../util.h"

#define GIB_BYTES	    1073741824.0
#define ZC_REPORT_MAX_FILES 32 /* result files one report takes */

/* A figure that may be missing: a null, an absent key and a wrong type all
 * leave ok false. */
struct zc_val {
	bool ok;
	double v;
};

/* The shutdown benchmark's settings of one invocation. The result file keeps
 * them only in its command line, so they are read from there
 * (report_shutdown.c); defaults as `zcbench run` has them. */
struct zc_rshutdown_opts {
	bool on;			     /* --shutdown-after was given */
	bool deadlines;			     /* false: --no-deadlines, the blind variant */
	double after_ns;		     /* --shutdown-after */
	double checkpoint_ns;		     /* --checkpoint (default 100 ms) */
	double kill_after_ns;		     /* --kill-after (default 2 s) */
	struct zc_val stall_bytes;	     /* --stall-peer, per stream; not ok when not given */
	bool checkpoint_set, kill_after_set; /* given on the command line rather than defaulted */
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
	bool any_hyperfine;	/* some cell has hyperfine figures */
	bool has_verdicts;	/* the file has a top-level "verdicts" array (zcbench writes it since issue 11) */
	const json_t *warnings; /* its top-level "warnings" array, or NULL */
	struct zc_rshutdown_opts shutdown;
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
	/* the shutdown benchmark: summary.shutdown, and the drained bytes from
	 * the runs (the summary has no median of them) */
	bool sd;
	struct zc_val sd_runs, sd_killed, sd_before;		  /* signalled, killed, finished before it */
	struct zc_val sd_stop, sd_stop_max, sd_exit, sd_exit_max; /* ns: median, max */
	struct zc_val sd_inflight, sd_inflight_max;		  /* bytes */
	struct zc_val sd_drained, sd_drained_max;		  /* bytes, over the runs not killed */
	struct zc_val sd_stranded, sd_stranded_max;		  /* bytes */
	bool all_killed;	  /* every measured run was killed: no throughput, by design */
	long verdict;		  /* index into the report's verdicts, or -1 */
	const char *bytes_reason; /* why the bytes crossing are null (from the runs), or NULL */
};

/* One entry of a file's "verdicts" array (the contract in results/SCHEMA.md):
 * a strategy's throughput against the baseline's, paired by round. */
struct zc_rverdict {
	size_t file, workload;
	long cell; /* the cell it belongs to, or -1 */
	const char *strategy, *baseline, *method;
	const json_t *params;
	int sees; /* 1, 0, or -1 when not stated */
	struct zc_val ratio, lo, hi, level, chunk, size, rounds, rank;
	int decided; /* 1, 0, -1 when not stated */
	int faster;  /* 1, 0, -1 when null (undecided) */
};

/* A figure drawn by gnuplot, or one left out: then only its title and a line
 * saying why appear in the page, never an empty frame. */
enum zc_fig_kind { ZC_FIG_DATA, ZC_FIG_LEFT_OUT };

struct zc_figure {
	char stem[192];	 /* output name without extension */
	char script[32]; /* plots/ script that draws it */
	size_t workload; /* index, or (size_t)-1 for none */
	enum zc_fig_kind kind;
	char title[256];    /* drawn on the figure */
	char note[512];	    /* a line drawn under it ("" for none) */
	char caption[1024]; /* shown beneath it in the HTML */
	char extra[64];	    /* a further script argument ("" for none) */
	char data[192];	    /* the data file's name without .dat when figures share one; "" for stem */
	bool shutdown;	    /* shown in the workload's shutdown part */
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
	struct zc_rverdict *verdicts; /* every file's, in file order */
	size_t nverdicts;
	json_t *compare;	/* with several files: compare's comparison (report_compare.c), owned; else NULL */
	char compare_note[256]; /* why there is none although there are several files */
};

/* report_load.c: read and check files. Returns ZC_REPORT_OK or
 * ZC_REPORT_BAD_INPUT / ZC_REPORT_FAILED with err set. */
int zc_report_load(struct zc_report *r, const char *const *files, size_t nfiles, char *err, size_t err_len);
void zc_report_free(struct zc_report *r);

/* report_json.c: the value of a number at a dotted path below obj ("summary.throughput_bps.median"). */
struct zc_val zc_jnum(const json_t *obj, const char *path);
/* The string at a dotted path, or NULL. */
const char *zc_jstr(const json_t *obj, const char *path);

/* report_shutdown_load.c: the shutdown benchmark's settings from a command
 * line, and a cell's figures. */
void zc_shutdown_opts_parse(const json_t *command, struct zc_rshutdown_opts *o);
void zc_shutdown_extract(struct zc_rcell *c);
bool zc_shutdown_in_workload(const struct zc_report *r, size_t w);
bool zc_shutdown_any(const struct zc_report *r);

/* report_verdicts.c: read the files' "verdicts" arrays into r->verdicts and
 * tie each to its cell (after the cells are loaded). Returns 0, or -1 when
 * out of memory. */
int zc_verdicts_load(struct zc_report *r);
/* Whether some file of the report has verdicts for workload w. */
bool zc_verdicts_in_workload(const struct zc_report *r, size_t w);

/* Formatting shared by HTML and Markdown (report_json.c). */
/* s with every control character (newline, escape, ...) made a space: for
 * text that goes into one line of a data file or a gnuplot argument. */
void zc_text_clean(const char *s, char *buf, size_t len);
void zc_fmt_si(double v, char *buf, size_t len);	  /* 65600 -> "65.6k" */
void zc_fmt_bytes_short(double v, char *buf, size_t len); /* 32768 -> "32K" */
/* How a page writes a figure's table cell: open, the figure, close; none is
 * the whole cell of a figure not measured; also_open and also_close go
 * around a second figure (a maximum) after the first. */
struct zc_cell_style {
	const char *open, *close, *none, *also_open, *also_close;
};
extern const struct zc_cell_style zc_cell_html, zc_cell_md;
/* A cell of v.v * scale printed with fmt (one double conversion). */
void zc_sb_cell(struct zc_sbuf *b, const struct zc_cell_style *s, struct zc_val v, const char *fmt, double scale)
	__attribute__((format(printf, 4, 0)));
/* A cell of v with an SI prefix (zc_fmt_si). */
void zc_sb_cell_si(struct zc_sbuf *b, const struct zc_cell_style *s, struct zc_val v);
/* A cell of med, and max after it when measured, each written by fmt. */
void zc_sb_cell_pair(struct zc_sbuf *b, const struct zc_cell_style *s, struct zc_val med, struct zc_val max,
		     void (*fmt)(double v, char *buf, size_t len));
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
