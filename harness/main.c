/* zcbench: the command line. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cell.h"
#include "cells.h"
#include "cache_dir.h"
#include "calibrate.h"
#include "cells_prepare.h"
#include "commands.h"
#include "report/report.h"
#include "util.h"
#include "host.h"
#include "matrix.h"
#include "noise.h"
#include "options.h"
#include "result_json.h"
#include "safe_file.h"
#include "signals.h"
#include "table.h"
#include "verdicts.h"
#include "../workloads/remote.h"

/* The chunk every strategy of `all` runs at: of 16K, 64K, 128K, 256K and 1M,
 * 1M came closest to each cell's own best chunk (geometric mean 0.84 of it,
 * best for 26 of 71 cells; ci/bench-chunk.sh, README "Profiles"). */
#define ZC_PROFILE_CHUNK "1M"

/* The cells of this invocation, so a second interrupt can remove their files. */
static struct zc_cell *live_cells;
static size_t live_ncells;
/* The whole command line, recorded in result files. */
static int prog_argc;
static char **prog_argv;

/* The lock files this invocation holds (cache and destination directories),
 * for the second interrupt: "" when none. */
static char held_locks[2][4200];

/* Run by the second SIGINT/SIGTERM before it exits (zc_signals_on_exit):
 * unlink only, async-signal-safe. */
static void remove_files_on_exit(void)
{
	zc_json_tmp_cleanup();
	for (size_t i = 0; i < live_ncells; i++)
		zc_cell_cleanup(&live_cells[i]);
	for (int i = 0; i < 2; i++)
		if (held_locks[i][0])
			unlink(held_locks[i]);
}

static void names_of_strategies(char *buf, size_t len)
{
	buf[0] = 0;
	for (size_t i = 0; i < zc_strategy_count; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "", zc_strategies[i]->name);
}

static void names_of_workloads(char *buf, size_t len)
{
	buf[0] = 0;
	for (size_t i = 0; i < zc_workload_count; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "", zc_workloads[i]->name);
}

/* ---- list ---- */

static void endpoints(unsigned bits, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {{ZC_EP_FILE, "file"}, {ZC_EP_TCP, "tcp"}, {ZC_EP_UNIX, "unix"},
		     {ZC_EP_PIPE, "pipe"}, {ZC_EP_MEM, "mem"}, {ZC_EP_UDP, "udp"}};
	buf[0] = 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (bits & names[i].bit)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", buf[0] ? "," : "", names[i].name);
}

/* The options of a command that takes none but -h, --help and --version.
 * Returns 1 when one of those was printed. */
static int no_options(const char *cmd, int argc, char **argv, const char *help)
{
	static const struct option longopts[] = {
		{"help", no_argument, 0, 'h'}, {"version", no_argument, 0, 'V'}, {0, 0, 0, 0}};
	zc_options_exact(cmd, argc, argv, longopts);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(help, stdout);
			return 1;
		}
		if (strcmp(argv[i], "--version") == 0) {
			zc_print_version();
			return 1;
		}
	}
	if (argc > 1)
		zc_usage_error("%s takes no arguments (got '%s')", cmd, argv[1]);
	return 0;
}

static const char list_help[] = "usage: zcbench list\n\nPrints every strategy (with the workloads it supports "
				"and whether it sees\nthe data) and every workload.\n\n"
				"  -h, --help    this text\n"
				"  --version     the version\n";

static int cmd_list(int argc, char **argv)
{
	if (no_options("list", argc, argv, list_help))
		return 0;
	puts("Strategies:");
	printf("  %-16s %-6s %s\n", "name", "data", "description, then the workloads it supports");
	for (size_t i = 0; i < zc_strategy_count; i++) {
		const struct zc_strategy *s = zc_strategies[i];
		char wl[256] = "";
		for (size_t k = 0; k < zc_workload_count; k++)
			if (!zc_cell_unsupported(s, zc_workloads[k]))
				snprintf(wl + strlen(wl), sizeof wl - strlen(wl), "%s%s", wl[0] ? ", " : "",
					 zc_workloads[k]->name);
		printf("  %-16s %-6s %s\n  %-16s %-6s workloads: %s\n", s->name, s->sees_data ? "sees" : "blind",
		       s->description, "", "", wl);
	}
	puts("\nWorkloads:");
	printf("  %-10s %-6s %-6s %s\n", "name", "source", "sink", "description");
	for (size_t i = 0; i < zc_workload_count; i++) {
		const struct zc_workload *w = zc_workloads[i];
		char src[32], dst[32];
		endpoints(w->source, src, sizeof src);
		endpoints(w->sink, dst, sizeof dst);
		printf("  %-10s %-6s %-6s %s\n", w->name, src, dst, w->description);
	}
	puts("\n\"sees\": the payload passes through user memory, so it can be inspected;\n"
	     "\"blind\": the kernel moves it and the program never sees it.");
	return 0;
}

/* ---- running cells ---- */

struct run_opts {
	struct zc_cell_opts cells;
	const char *out;
	uint64_t warmup, timeout_s;
	struct zc_plan plan; /* repetitions, --time, --baseline (verdicts.c, matrix.c) */
	bool no_probes, no_pin;
	enum zc_verify verify;
	const char *peer, *token; /* --peer HOST:PORT, --token T */
	struct zc_remote *remote; /* the session with that peer, once open */
};

static void env_init(struct zc_env *env, const struct run_opts *o)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	env->cache_dir = o->cells.cache_dir;
	env->probes = zc_probes_open(!o->no_probes);
	/* Subject and peer on different CPUs when there are two or more. */
	env->subject_cpu = (o->no_pin || cpus < 2) ? -1 : 0;
	env->peer_cpu = (o->no_pin || cpus < 2) ? -1 : 1;
	env->interrupted = zc_interrupt_flag();
	env->run_timeout_ms = (unsigned long)o->timeout_s * 1000ul;
	env->remote = o->remote;
	char err[256];
	if (zc_faults_from_env(&env->faults, err, sizeof err) != 0)
		zc_usage_error("%s", err);
}

static void iso_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static uint64_t mono_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Below this many planned bytes an invocation skips the machine and
 * ceiling checks (see execute). */
#define ZC_NOISE_CHECK_MIN_BYTES (1ull << 30)
#define NOISE_SKIPPED_REASON	 "not checked: the invocation plans less than 1 GiB"

/* Bytes the plan moves at least: every cell's size over its warm-up and
 * minimum measured rounds. */
static uint64_t planned_bytes(const struct run_opts *o, const struct zc_cell *cells, size_t ncells)
{
	uint64_t rounds = o->warmup + (o->plan.min_runs ? o->plan.min_runs : 1);
	uint64_t sum = 0;
	for (size_t i = 0; i < ncells; i++)
		sum += cells[i].p.size * rounds;
	return sum;
}

static double memcpy_ceiling(json_t **part)
{
	*part = zc_calibrate_memcpy();
	json_t *b = json_object_get(*part, "bps");
	return json_is_number(b) ? json_number_value(b) : -1;
}

/* Run the cells, print the verdicts and the table, write the JSON. Returns
 * the exit status. */
static int execute(const struct run_opts *o, struct zc_cell *cells, size_t ncells, const char *out_path,
		   FILE *table_out, json_t *calibration)
{
	char started[32];
	iso_now(started, sizeof started);
	uint64_t t0 = mono_now_ns();
	/* The machine's state and its memcpy ceiling before the cells, the
	 * ceiling again after: warnings when either says timings are suspect. */
	struct zc_machine_state ms;
	json_t *warnings = json_array(), *mc_start = NULL, *mc_end = NULL;
	/* The checks cost about half a second (a 200 ms load sample, two
	 * 64 MiB memcpy ceilings): worth it for an invocation that moves a
	 * GiB or more, noise in a small one (a test's thousand invocations). */
	bool check = planned_bytes(o, cells, ncells) >= ZC_NOISE_CHECK_MIN_BYTES;
	double bps_start = -1;
	if (check) {
		zc_machine_sample(&ms, 10, 20);
		zc_machine_warnings(&ms, warnings);
		bps_start = memcpy_ceiling(&mc_start);
	} else {
		mc_start = json_pack("{s:n,s:s}", "bps", "reason", NOISE_SKIPPED_REASON);
	}
	struct zc_env env;
	env_init(&env, o);
	/* --netns, --sink blackhole: the namespaces and devices, once for the
	 * invocation; gone with its last socket, or with the process. */
	struct zc_netns net;
	char nerr[512];
	if (zc_netns_setup(&net, o->cells.net_path, o->cells.mtu, nerr, sizeof nerr) != 0)
		zc_usage_error("--%s: %s", o->cells.net_path == ZC_NET_VETH ? "netns" : "sink blackhole", nerr);
	env.net = &net;
	live_cells = cells;
	live_ncells = ncells;
	struct zc_plan plan = o->plan;
	plan.warmup = (unsigned)o->warmup;
	plan.verify = o->verify;
	struct zc_plan_result pr;
	int mrc = zc_matrix_run(&env, cells, ncells, &plan, &pr);
	if (zc_interrupted())
		mrc = -1; /* also when no cell ran: stopped while generating a pattern */
	double bps_end = mrc == 0 && check ? memcpy_ceiling(&mc_end) : -1;
	if (mrc != 0)
		mc_end = json_null();
	else if (!check)
		mc_end = json_pack("{s:n,s:s}", "bps", "reason", NOISE_SKIPPED_REASON);
	zc_ceiling_warning(bps_start, bps_end, warnings);
	struct zc_verdicts vs;
	zc_verdicts_compute(cells, ncells, plan.baseline, &vs);

	json_t *doc = zc_result_doc(prog_argc, prog_argv, started, env.probes);
	if (calibration)
		json_object_set_new(json_object_get(doc, "host"), "calibration", calibration);
	json_object_set_new(doc, "interrupted", json_boolean(mrc != 0));
	if (o->remote) {
		/* Both hosts: the subject's ("host"), the peer's as it said. */
		zc_remote_describe(o->remote, doc);
	}
	json_object_set_new(doc, "plan",
			    json_pack("{s:i,s:i,s:i,s:o,s:o,s:s,s:i,s:s}", "warmup", plan.warmup, "min_runs",
				      plan.min_runs, "max_runs", plan.max_runs, "max_time_ns",
				      plan.max_time_ns ? json_integer((json_int_t)plan.max_time_ns) : json_null(),
				      "time_ns", plan.time_ns ? json_integer((json_int_t)plan.time_ns) : json_null(),
				      "baseline", plan.baseline ? plan.baseline : ZC_VERDICT_DEFAULT_BASELINE, "rounds",
				      pr.rounds, "stopped_because", pr.stopped_because));
	json_object_set_new(
		doc, "noise",
		json_pack("{s:o,s:o,s:o}", "machine_at_start",
			  check ? zc_machine_state_json(&ms) : json_pack("{s:s}", "reason", NOISE_SKIPPED_REASON),
			  "memcpy_at_start", mc_start, "memcpy_at_end", mc_end));
	if (zc_faults_any(&env.faults)) /* never in a real measurement: the fault tests' hook */
		json_object_set_new(doc, "test_faults", json_string(getenv(ZC_FAULTS_ENV)));
	json_t *results = json_object_get(doc, "results");
	json_t **cw = calloc(ncells ? ncells : 1, sizeof *cw);
	if (!cw)
		zc_usage_error("out of memory");
	int failed = 0;
	for (size_t i = 0; i < ncells; i++) {
		json_t *cj = zc_cell_json(&cells[i]);
		cw[i] = zc_cell_warnings(&cells[i]);
		json_object_set(cj, "warnings", cw[i]);
		json_array_append_new(results, cj);
		failed |= cells[i].status == ZC_FAILED;
		zc_cell_cleanup(&cells[i]);
	}
	json_object_set_new(doc, "verdicts", zc_verdicts_json(cells, &vs));
	json_t *price = o->cells.price_of_control ? zc_price_json(cells, ncells) : NULL;
	if (price)
		json_object_set_new(doc, "price_of_control", price);
	json_object_set(doc, "warnings", warnings);
	/* The answer first, then the table; one flush, so no message on
	 * stderr lands inside a row when both go to one place. */
	fflush(stderr);
	/* The price table is that run's answer: its five rows differ in
	 * what is done to the data, so each would be a group of one. */
	if (price)
		zc_price_print(table_out, price);
	else
		zc_verdicts_print(table_out, cells, &vs);
	zc_best_chunks_print(table_out, cells, ncells, plan.baseline);
	zc_print_summary(table_out, cells, ncells, &vs, cw, warnings, mono_now_ns() - t0);
	zc_print_shutdown_table(table_out, cells, ncells);
	fflush(table_out);
	for (size_t i = 0; i < ncells; i++)
		json_decref(cw[i]);
	free(cw);
	json_decref(warnings);
	zc_verdicts_free(&vs);
	int rc = mrc != 0 ? 130 : failed ? 1 : 0;
	if (out_path) {
		char err[512];
		if (zc_write_json_atomic(doc, out_path, err, sizeof err) != 0) {
			fprintf(stderr, "zcbench: %s\n", err);
			rc = 1;
		} else if (strcmp(out_path, "-") != 0) {
			fprintf(stderr, "zcbench: results written to %s\n", out_path);
		}
	}
	json_decref(doc);
	live_ncells = 0;
	for (size_t i = 0; i < ncells; i++)
		zc_cell_free(&cells[i]);
	zc_probes_close(env.probes);
	zc_netns_teardown(&net);
	if (mrc != 0)
		fprintf(stderr, "zcbench: interrupted; results so far are marked \"interrupted\": true\n");
	return rc;
}

static const char *const alloc_names[] = {"malloc", "fresh"};
static const char *const dest_names[] = {"overwrite", "fresh"};
static const char *const verify_names[] = {"first", "all"};
static const char *const inspect_names[] = {"none", "checksum", "redact", "encrypt"};
static const char *const cache_names[] = {"hot", "cold"};
static const char *const madvise_names[] = {"normal", "sequential"};

enum {
	OPT_STRATEGY = 256,
	OPT_WORKLOAD,
	OPT_SIZE,
	OPT_CHUNK,
	OPT_STREAMS,
	OPT_REPS,
	OPT_WARMUP,
	OPT_OUT,
	OPT_TRANSFERS,
	OPT_ALLOC,
	OPT_PIPE_SIZE,
	OPT_QD,
	OPT_IOVECS,
	OPT_POPULATE,
	OPT_MADVISE,
	OPT_INSPECT,
	OPT_CACHE,
	OPT_DEST,
	OPT_DEST_DIR,
	OPT_DRAIN,
	OPT_SEND_MODE,
	OPT_KTLS,
	OPT_PRICE,
	OPT_CACHE_DIR,
	OPT_VERIFY,
	OPT_NO_PROBES,
	OPT_NO_PIN,
	OPT_TIMEOUT,
	OPT_PROFILE,
	OPT_OUT_DIR,
	OPT_CHECKPOINT,
	OPT_NO_DEADLINES,
	OPT_SHUTDOWN_AFTER,
	OPT_KILL_AFTER,
	OPT_STALL_PEER,
	OPT_VICTIM,
	OPT_VICTIM_EVERY,
	OPT_HELP,
	OPT_VERSION,
	OPT_TIME,
	OPT_MIN_RUNS,
	OPT_MAX_RUNS,
	OPT_MAX_TIME,
	OPT_BASELINE,
	OPT_PEER,
	OPT_TOKEN,
	OPT_NETNS,
	OPT_MTU,
	OPT_SINK,
	OPT_UDP_RCVBUF,
	OPT_UDP_GRO,
};

/* Repetitions, --time and --baseline; checked together by check_plan. */
static void plan_option(int opt, const char *arg, struct zc_plan *p)
{
	switch (opt) {
	case OPT_TIME:
		p->time_ns = zc_duration_arg("--time", arg);
		if (p->time_ns < 1000000 || p->time_ns > 3600000000000ull)
			zc_usage_error("--time '%s' must be between 1ms and 3600s", arg);
		break;
	case OPT_MIN_RUNS:
		p->min_runs = (unsigned)zc_count_arg("--min-runs", arg, 1, 10000);
		break;
	case OPT_MAX_RUNS:
		p->max_runs = (unsigned)zc_count_arg("--max-runs", arg, 1, 10000);
		break;
	case OPT_MAX_TIME:
		p->max_time_ns = zc_duration_arg("--max-time", arg);
		if (p->max_time_ns == 0)
			zc_usage_error("--max-time '%s' must be more than 0", arg);
		break;
	case OPT_BASELINE:
		if (!zc_strategy_find(arg)) {
			char names[1024];
			names_of_strategies(names, sizeof names);
			zc_usage_error("--baseline '%s' is not a strategy (valid: %s)", arg, names);
		}
		p->baseline = arg;
		break;
	}
}

/* After parsing: the adaptive bounds agree, and --time has a warm-up round
 * to size its runs from. */
static void check_plan(struct run_opts *o, unsigned default_max)
{
	if (o->plan.max_runs == 0)
		o->plan.max_runs = default_max > o->plan.min_runs ? default_max : o->plan.min_runs;
	if (o->plan.max_runs < o->plan.min_runs)
		zc_usage_error("--max-runs %u is below --min-runs %u", o->plan.max_runs, o->plan.min_runs);
	if (o->plan.time_ns && o->warmup == 0)
		zc_usage_error("--time needs --warmup 1 or more: the warm-up round sizes the runs");
}

/* Options both run and all take (all takes the matrix ones too). Returns 1
 * when opt was one of them. */
static int common_option(int opt, const char *arg, struct run_opts *o)
{
	struct zc_cell_opts *c = &o->cells;
	switch (opt) {
	case OPT_STRATEGY:
		c->strategies = arg;
		return 1;
	case OPT_WORKLOAD:
		c->workloads = arg;
		return 1;
	case OPT_SIZE:
		c->sizes = arg;
		return 1;
	case OPT_CHUNK:
		c->chunks = arg;
		return 1;
	case OPT_STREAMS:
		c->streams = arg;
		return 1;
	case OPT_REPS:
		o->plan.min_runs = o->plan.max_runs = (unsigned)zc_count_arg("--reps", arg, 1, 10000);
		return 1;
	case OPT_WARMUP:
		o->warmup = zc_count_arg("--warmup", arg, 0, 10000);
		return 1;
	case OPT_TRANSFERS:
		c->transfers = zc_count_arg("--transfers", arg, 1, 100000);
		c->transfers_set = true;
		return 1;
	case OPT_ALLOC:
		c->alloc = (enum zc_alloc)zc_choice_arg("--alloc", arg, alloc_names, 2);
		return 1;
	case OPT_PIPE_SIZE:
		c->pipe_size = zc_size_arg("--pipe-size", arg);
		if (c->pipe_size < 4096 || c->pipe_size > (1ull << 30))
			zc_usage_error("--pipe-size '%s' must be between 4K and 1G", arg);
		return 1;
	case OPT_QD:
		c->qd = (unsigned)zc_count_arg("--qd", arg, 1, 4096);
		return 1;
	case OPT_IOVECS:
		c->iovecs = (unsigned)zc_count_arg("--iovecs", arg, 1, 64);
		return 1;
	case OPT_POPULATE:
		c->populate = true;
		return 1;
	case OPT_MADVISE:
		c->madv_sequential = zc_choice_arg("--madvise", arg, madvise_names, 2) == 1;
		return 1;
	case OPT_INSPECT:
		c->inspect = (enum zc_inspect)zc_choice_arg("--inspect", arg, inspect_names, 4);
		return 1;
	case OPT_CACHE:
		c->cache_cold = zc_choice_arg("--cache", arg, cache_names, 2) == 1;
		return 1;
	case OPT_DEST:
		c->dest_fresh = zc_choice_arg("--dest", arg, dest_names, 2) == 1;
		return 1;
	case OPT_DEST_DIR:
		c->dest_dir = arg;
		return 1;
	case OPT_DRAIN:
		c->drain = (enum zc_drain)zc_choice_arg("--drain", arg, zc_drain_names, 4);
		return 1;
	case OPT_KTLS:
		c->ktls = true;
		return 1;
	case OPT_PRICE:
		c->price_of_control = true;
		return 1;
	case OPT_SEND_MODE:
		c->send_mode = (enum zc_send_mode)zc_choice_arg("--send-mode", arg, zc_send_mode_names, 4);
		return 1;
	case OPT_VERIFY:
		o->verify = (enum zc_verify)zc_choice_arg("--verify", arg, verify_names, 2);
		return 1;
	case OPT_CACHE_DIR:
		c->cache_dir = arg;
		return 1;
	case OPT_NO_PROBES:
		o->no_probes = true;
		return 1;
	case OPT_NO_PIN:
		o->no_pin = true;
		return 1;
	case OPT_TIMEOUT:
		o->timeout_s = zc_count_arg("--timeout", arg, 1, 86400);
		return 1;
	case OPT_CHECKPOINT:
		c->checkpoint_ns = zc_duration_arg("--checkpoint", arg);
		if (c->checkpoint_ns < 1000000 || c->checkpoint_ns > 60000000000ull)
			zc_usage_error("--checkpoint '%s' must be between 1ms and 60s", arg);
		return 1;
	case OPT_NO_DEADLINES:
		c->no_deadlines = true;
		return 1;
	case OPT_SHUTDOWN_AFTER:
		c->shutdown_after_ns = zc_duration_arg("--shutdown-after", arg);
		if (c->shutdown_after_ns == 0)
			zc_usage_error("--shutdown-after '%s' must be more than 0", arg);
		return 1;
	case OPT_KILL_AFTER:
		c->kill_after_ns = zc_duration_arg("--kill-after", arg);
		if (c->kill_after_ns == 0)
			zc_usage_error("--kill-after '%s' must be more than 0", arg);
		return 1;
	case OPT_STALL_PEER:
		c->stall_after = zc_size_arg("--stall-peer", arg);
		return 1;
	case OPT_TIME:
	case OPT_MIN_RUNS:
	case OPT_MAX_RUNS:
	case OPT_MAX_TIME:
	case OPT_BASELINE:
		plan_option(opt, arg, &o->plan);
		return 1;
	case OPT_VICTIM:
		c->victim_bytes = zc_size_arg("--victim", arg);
		if (c->victim_bytes < 64 || c->victim_bytes > (1ull << 30))
			zc_usage_error("--victim '%s' must be between 64 bytes and 1G", arg);
		return 1;
	case OPT_PEER:
		o->peer = arg;
		c->remote = true;
		return 1;
	case OPT_TOKEN:
		o->token = arg;
		return 1;
	case OPT_VICTIM_EVERY:
		c->victim_every = zc_size_arg("--victim-every", arg);
		if (c->victim_every < 1)
			zc_usage_error("--victim-every '%s' must be more than 0", arg);
		return 1;
	case OPT_NETNS:
		if (c->net_path == ZC_NET_BLACKHOLE)
			zc_usage_error("--netns and --sink blackhole exclude each other");
		c->net_path = ZC_NET_VETH;
		return 1;
	case OPT_MTU:
		/* From one datagram of ZC_UDP_DATAGRAM bytes unfragmented up to
		 * veth's largest. */
		c->mtu = (unsigned)zc_count_arg("--mtu", arg, 1500, 65535);
		return 1;
	case OPT_SINK: {
		static const char *const sinks[] = {"peer", "blackhole"};
		if (zc_choice_arg("--sink", arg, sinks, 2) == 1) {
			if (c->net_path == ZC_NET_VETH)
				zc_usage_error("--netns and --sink blackhole exclude each other");
			c->net_path = ZC_NET_BLACKHOLE;
		}
		return 1;
	}
	case OPT_UDP_GRO: {
		static const char *const onoff[] = {"on", "off"};
		c->udp_no_gro = zc_choice_arg("--udp-gro", arg, onoff, 2) == 1;
		return 1;
	}
	case OPT_UDP_RCVBUF:
		c->udp_rcvbuf = zc_size_arg("--udp-rcvbuf", arg);
		if (c->udp_rcvbuf > (1ull << 30))
			zc_usage_error("--udp-rcvbuf '%s' must be at most 1G", arg);
		return 1;
	}
	return 0;
}

/* After parsing: --mtu belongs to --netns. */
static void check_net(struct run_opts *o)
{
	struct zc_cell_opts *c = &o->cells;
	if (c->mtu && c->net_path != ZC_NET_VETH)
		zc_usage_error("--mtu needs --netns (it sets the veth pair's MTU)");
	if (o->peer && c->net_path != ZC_NET_LOOPBACK)
		zc_usage_error("--peer and --%s exclude each other (a remote peer is on its own host)",
			       c->net_path == ZC_NET_VETH ? "netns" : "sink blackhole");
	if (!c->mtu)
		c->mtu = 1500;
}

static void defaults(struct run_opts *o)
{
	*o = (struct run_opts){
		.cells =
			{
				.strategies = NULL,
				.workloads = NULL,
				.sizes = "256M",
				.streams = "1",
				.transfers = 1,
				.pipe_size = 1 << 20,
				.qd = 4,
				.iovecs = 8,
				.checkpoint_ns = 100000000,
				.kill_after_ns = 2000000000,
				.stall_after = UINT64_MAX,
				.udp_rcvbuf = 32ull << 20,
				.cache_dir = getenv("ZCBENCH_CACHE_DIR"), /* NULL: zc_cache_dir_default */
			},
		.plan = {.min_runs = 5, .max_runs = 0 /* check_plan: the command's default, at least min */},
		.warmup = 1,
		.timeout_s = 60, /* the slowest honest run here takes seconds; a stalled one should not cost minutes */
	};
}

static void check_dir(const char *opt, const char *dir)
{
	if (!dir[0])
		zc_usage_error("%s: the directory name is empty", opt);
	int e = zc_mkdirs(dir);
	if (e)
		zc_usage_error("%s '%s' cannot be created: %s", opt, dir, strerror(e));
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		zc_usage_error("%s '%s' is not a directory", opt, dir);
	if (access(dir, W_OK) != 0)
		zc_usage_error("%s '%s' is not writable: %s", opt, dir, strerror(errno));
}

/* --peer: check the options that cannot cross hosts, then open the session
 * (a wrong token or an unreachable peer: one line, exit 2). */
static void open_peer(struct run_opts *o)
{
	if (!o->peer) {
		if (o->token)
			zc_usage_error("--token needs --peer HOST:PORT");
		return;
	}
	if (o->cells.stall_after != UINT64_MAX)
		zc_usage_error("--stall-peer works with a local peer only (not with --peer)");
	struct zc_faults f;
	char err[600];
	if (zc_faults_from_env(&f, err, sizeof err) == 0 && (f.peer_reset || f.peer_stop || f.sockbuf))
		zc_usage_error("%s: the peer hooks work with a local peer only (not with --peer)", ZC_FAULTS_ENV);
	bool refused;
	o->remote = zc_remote_open(o->peer, o->token, zc_interrupt_flag(), &refused, err, sizeof err);
	if (!o->remote)
		zc_usage_error("%s", err);
}

/* What run and all hold while they run: the cache and destination
 * directories, locked (zc_dir_claim). */
struct held_dirs {
	char cache[4096];
	int cache_lock, dest_lock;
};

/* The cache directory (the default one when none was given), checked to be
 * private; the destination directory checked. Before the cells are built,
 * which name files in them. Dies with exit 2 on bad input. */
static void check_file_dirs(struct run_opts *o, struct held_dirs *h)
{
	char err[4400];
	if (o->cells.cache_dir)
		snprintf(h->cache, sizeof h->cache, "%s", o->cells.cache_dir);
	else
		zc_cache_dir_default(h->cache, sizeof h->cache);
	o->cells.cache_dir = h->cache;
	h->cache_lock = h->dest_lock = -1;
	if (zc_cache_dir_check(h->cache, err, sizeof err) != 0)
		zc_usage_error("%s", err);
	if (o->cells.dest_dir)
		check_dir("--dest-dir", o->cells.dest_dir);
}

/* Before any measurement and before anything is written to the cache: the
 * sizes against the maximum and the free space (exit 2), then the locks and
 * the sweep of dead processes' files, then the pattern files. Returns -1
 * when an interrupt stopped the generation. */
static int prepare_files(const struct run_opts *o, struct zc_cell *cells, size_t n, struct held_dirs *h)
{
	char err[4400];
	if (zc_cells_check_space(cells, n, h->cache, o->cells.dest_dir, err, sizeof err) != 0)
		zc_usage_error("%s", err);
	h->cache_lock = zc_dir_claim(h->cache, err, sizeof err);
	if (h->cache_lock < 0)
		zc_usage_error("%s", err);
	zc_dir_lock_path(h->cache, held_locks[0], sizeof held_locks[0]);
	struct stat a, b;
	bool same = o->cells.dest_dir && stat(h->cache, &a) == 0 && stat(o->cells.dest_dir, &b) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	if (o->cells.dest_dir && !same) { /* a second lock of our own would wait for itself */
		h->dest_lock = zc_dir_claim(o->cells.dest_dir, err, sizeof err);
		if (h->dest_lock < 0)
			zc_usage_error("%s", err);
		zc_dir_lock_path(o->cells.dest_dir, held_locks[1], sizeof held_locks[1]);
	}
	return zc_cells_prepare_sources(cells, n, h->cache, zc_interrupt_flag());
}

static void release_dirs(const struct run_opts *o, struct held_dirs *h)
{
	held_locks[0][0] = held_locks[1][0] = 0;
	zc_dir_release(h->cache, h->cache_lock);
	if (o->cells.dest_dir && h->dest_lock >= 0)
		zc_dir_release(o->cells.dest_dir, h->dest_lock);
}

#define MATRIX_HELP                                                                                                    \
	"  --strategy S[,S..] copy strategies, or all (see zcbench list)\n"                                            \
	"  --workload W[,W..] workloads, or all (see zcbench list)\n"                                                  \
	"  --size N[,N..]     total bytes per run, over all streams and transfers\n"                                   \
	"                     (at least 1)\n"                                                                          \
	"  --chunk N[,N..]    bytes asked for per call (run's default: the strategy's own,\n"                          \
	"                     32K for readwrite, pooled, readv_writev; 128K for io_uring\n"                            \
	"                     and msg_zerocopy; 1M for the rest; all: the profile's;\n"                                \
	"                     1 to 1G)\n"                                                                              \
	"  --streams N[,N..]  concurrent streams, each on its own thread (default 1;\n"                                \
	"                     1 to 64)\n"                                                                              \
	"  --transfers N      sequential transfers per stream, each of one file of\n"                                  \
	"                     size/(streams*N) bytes (default 1; 1 to 100000)\n"                                       \
	"  --alloc A          readwrite's buffer per transfer: malloc (default) or fresh\n"                            \
	"                     (mmap/munmap, a churning allocator)\n"                                                   \
	"  --pipe-size N      pipe size for splice, vmsplice, tee (default 1M; 4K to 1G)\n"                            \
	"  --qd N             io_uring queue depth (default 4; 1 to 4096)\n"                                           \
	"  --iovecs N         readv_writev buffers per call (default 8; 1 to 64)\n"                                    \
	"  --populate         mmap with MAP_POPULATE\n"                                                                \
	"  --madvise M        mmap advice: normal (default) or sequential\n"                                           \
	"  --inspect I        none (default), checksum (CRC32C), redact (digits to X) or\n"                            \
	"                     encrypt (TLS 1.3 records, AES-128-GCM, fixed test key; the\n"                            \
	"                     peer decrypts); blind strategies are skipped: they cannot\n"                             \
	"                     inspect\n"                                                                               \
	"  --ktls             kernel TLS (TLS_TX, same key and records) on TCP sinks;\n"                               \
	"                     skipped where the kernel has no \"tls\" module\n"                                        \
	"  --price-of-control the five cells of the trade per workload: sendfile blind,\n"                             \
	"                     with --ktls, readwrite encrypting, checksumming, redacting\n"                            \
	"                     (replaces --strategy, --inspect, --ktls); a table at the end\n"                          \
	"  --cache C          file sources: hot (default) or cold (evicted before each run)\n"                         \
	"  --dest D           file sinks: overwrite an existing cached file (default)\n"                               \
	"                     or fresh (a new file each run: first-touch cost)\n"                                      \
	"  --dest-dir DIR     file sinks: where destinations go (default: the cache dir)\n"                            \
	"  --drain D          how a peer discards data it does not verify: auto (default:\n"                           \
	"                     trunc for TCP, splice otherwise), trunc (recv MSG_TRUNC),\n"                             \
	"                     read or splice\n"                                                                        \
	"  --send-mode M      how the peer sends TCP sources: auto (send for tcp-file and\n"                           \
	"                     tcp-mem, sendfile for tcp-proxy), send, sendfile, zerocopy\n"                            \
	"  --verify V         check every byte on each cell's first run (default) or all\n"                            \
	"  --cache-dir DIR    where pattern files live, private to you (default\n"                                     \
	"                     $ZCBENCH_CACHE_DIR, else $XDG_CACHE_HOME/zcbench or\n"                                   \
	"                     ~/.cache/zcbench; /var/cache/zcbench for root)\n"                                        \
	"  --timeout SEC      kill a run that takes longer (default 60; 1 to 86400)\n"                                 \
	"  --checkpoint DUR   loops regain control at least this often: socket deadlines,\n"                           \
	"                     poll timeouts, and after a stop request blocked calls are\n"                             \
	"                     interrupted (default 100ms; 1ms to 60s; units ns, us,\n"                                 \
	"                     ms, s; fractions such as 0.5s are taken)\n"                                              \
	"  --no-deadlines     the blind variant: no socket deadlines, no interruption\n"                               \
	"  --shutdown-after DUR  the shutdown benchmark: SIGTERM to the subject this\n"                                \
	"                     long after its window opens (stream sinks, tcp-file);\n"                                 \
	"                     every such run is verified byte by byte (more than 0)\n"                                 \
	"  --kill-after DUR   SIGKILL a subject still running this long after SIGTERM\n"                               \
	"                     (default 2s; more than 0)\n"                                                             \
	"  --stall-peer N     the drain peer stops reading after N bytes per stream and\n"                             \
	"                     resumes only once the subject is gone (0 or more)\n"                                     \
	"  --victim N         cache-pollution probe: walk an N-byte working set after\n"                               \
	"                     every --victim-every bytes, then again at once (baseline);\n"                            \
	"                     inside the window: throughput includes it (64 bytes to 1G)\n"                            \
	"  --victim-every N   bytes delivered between walks (default: the chunk)\n"                                    \
	"  --max-time DUR     no measured round starts that would end past DUR after\n"                                \
	"                     the first round began (once --min-runs are done)\n"                                      \
	"  --time DUR         size runs to last about DUR (as iperf3 -t; 1ms to 3600s):\n"                             \
	"                     the warm-up picks whole passes over the source, the same\n"                              \
	"                     for every strategy of a workload; every pass is verified\n"                              \
	"  --baseline S       the strategy ratios are against (default readwrite where it\n"                           \
	"                     runs, else the first strategy that sees the data)\n"                                     \
	"  --netns            socket workloads cross a veth pair between two network\n"                                \
	"                     namespaces zcbench creates (subject 10.77.0.1, peer\n"                                   \
	"                     10.77.0.2) and removes; needs root\n"                                                    \
	"  --mtu N            the veth pair's MTU (default 1500; 1500 to 65535)\n"                                     \
	"  --sink S           UDP workloads: peer (default) or blackhole (an ifb device in\n"                          \
	"                     a namespace of zcbench's that drops every datagram: where\n"                             \
	"                     zero-copy sends complete uncopied); needs root\n"                                        \
	"  --udp-rcvbuf N     UDP sinks' receive buffer (default 32M; 0: the kernel's)\n"                              \
	"  --udp-gro G        UDP sinks: the receiver's UDP_GRO, on (default) or off\n"                                \
	"  --no-probes        do not load probes\n"                                                                    \
	"  --no-pin           do not pin subject and peer to separate CPUs\n"                                          \
	"  --peer HOST:PORT   TCP workloads only, their far ends served by `zcbench peer`\n"                           \
	"                     on that host (see zcbench peer --help)\n"                                                \
	"  --token T          the token that peer printed or was given\n"                                              \
	"  -h, --help         this text\n"                                                                             \
	"  --version          the version\n"

/* The options of the run matrix, shared by run and all. */
static const struct option matrix_longopts[] = {
	{"strategy", required_argument, 0, OPT_STRATEGY},
	{"workload", required_argument, 0, OPT_WORKLOAD},
	{"size", required_argument, 0, OPT_SIZE},
	{"chunk", required_argument, 0, OPT_CHUNK},
	{"streams", required_argument, 0, OPT_STREAMS},
	{"reps", required_argument, 0, OPT_REPS},
	{"warmup", required_argument, 0, OPT_WARMUP},
	{"transfers", required_argument, 0, OPT_TRANSFERS},
	{"alloc", required_argument, 0, OPT_ALLOC},
	{"pipe-size", required_argument, 0, OPT_PIPE_SIZE},
	{"qd", required_argument, 0, OPT_QD},
	{"iovecs", required_argument, 0, OPT_IOVECS},
	{"populate", no_argument, 0, OPT_POPULATE},
	{"madvise", required_argument, 0, OPT_MADVISE},
	{"inspect", required_argument, 0, OPT_INSPECT},
	{"cache", required_argument, 0, OPT_CACHE},
	{"dest", required_argument, 0, OPT_DEST},
	{"dest-dir", required_argument, 0, OPT_DEST_DIR},
	{"drain", required_argument, 0, OPT_DRAIN},
	{"send-mode", required_argument, 0, OPT_SEND_MODE},
	{"ktls", no_argument, 0, OPT_KTLS},
	{"price-of-control", no_argument, 0, OPT_PRICE},
	{"verify", required_argument, 0, OPT_VERIFY},
	{"cache-dir", required_argument, 0, OPT_CACHE_DIR},
	{"timeout", required_argument, 0, OPT_TIMEOUT},
	{"no-probes", no_argument, 0, OPT_NO_PROBES},
	{"no-pin", no_argument, 0, OPT_NO_PIN},
	{"checkpoint", required_argument, 0, OPT_CHECKPOINT},
	{"no-deadlines", no_argument, 0, OPT_NO_DEADLINES},
	{"shutdown-after", required_argument, 0, OPT_SHUTDOWN_AFTER},
	{"kill-after", required_argument, 0, OPT_KILL_AFTER},
	{"stall-peer", required_argument, 0, OPT_STALL_PEER},
	{"victim", required_argument, 0, OPT_VICTIM},
	{"victim-every", required_argument, 0, OPT_VICTIM_EVERY},
	{"help", no_argument, 0, OPT_HELP},
	{"version", no_argument, 0, OPT_VERSION},
	{"time", required_argument, 0, OPT_TIME},
	{"min-runs", required_argument, 0, OPT_MIN_RUNS},
	{"max-runs", required_argument, 0, OPT_MAX_RUNS},
	{"max-time", required_argument, 0, OPT_MAX_TIME},
	{"baseline", required_argument, 0, OPT_BASELINE},
	{"peer", required_argument, 0, OPT_PEER},
	{"token", required_argument, 0, OPT_TOKEN},
	{"netns", no_argument, 0, OPT_NETNS},
	{"mtu", required_argument, 0, OPT_MTU},
	{"sink", required_argument, 0, OPT_SINK},
	{"udp-rcvbuf", required_argument, 0, OPT_UDP_RCVBUF},
	{"udp-gro", required_argument, 0, OPT_UDP_GRO},
};
#define MATRIX_NOPTS (sizeof matrix_longopts / sizeof matrix_longopts[0])

/* matrix_longopts followed by a command's own options and the terminator. */
static void longopts_with(struct option *out, const struct option *own, size_t nown)
{
	memcpy(out, matrix_longopts, sizeof matrix_longopts);
	memcpy(out + MATRIX_NOPTS, own, nown * sizeof *own);
	memset(out + MATRIX_NOPTS + nown, 0, sizeof *out);
}

/* getopt_long prints its own message for unknown options; make it ours
 * (zc_options_exact has caught every other case before). */
static _Noreturn void bad_option(const char *cmd, char **argv)
{
	zc_usage_error("unknown or incomplete option '%s' for %s (see zcbench %s --help)", argv[optind - 1], cmd, cmd);
}

/* -h/--help and --version: returns 1 when opt was one of them (printed). */
static int help_or_version(int opt, const char *help)
{
	if (opt == OPT_HELP || opt == 'h') {
		/* One buffer for the whole text (run's and all's pass 4 KiB), so a
		 * write that fails does so at the final flush, with its errno. */
		static char buf[16384];
		setvbuf(stdout, buf, _IOFBF, sizeof buf);
		fputs(help, stdout);
		return 1;
	}
	if (opt == OPT_VERSION) {
		zc_print_version();
		return 1;
	}
	return 0;
}

/* ---- run ---- */

static const char run_help[] =
	"usage: zcbench run --strategy S --workload W [options]\n"
	"\n"
	"Runs one cell, or a sweep when a matrix option lists several values,\n"
	"prints a summary and optionally writes JSON. Sizes take K, M, G or T\n"
	"suffixes meaning KiB, MiB, GiB, TiB.\n"
	"\n"
	"  --size N[,N..]     (default 256M)\n"
	"  --reps N           exactly N measured rounds (--min-runs N --max-runs N;\n"
	"                     1 to 10000)\n"
	"  --min-runs N       measured rounds at least (default 5; 1 to 10000)\n"
	"  --max-runs N       rounds at most: between them, rounds go on until every\n"
	"                     verdict is decided (default: --min-runs, no adaptation)\n"
	"  --warmup N         unmeasured warm-up rounds before them (default 1; 0 to 10000)\n"
	"  --out FILE         write JSON results to FILE ('-' for standard output)\n" MATRIX_HELP;

static int cmd_run(int argc, char **argv)
{
	static const struct option own[] = {{"out", required_argument, 0, OPT_OUT}};
	struct option longopts[MATRIX_NOPTS + 2];
	longopts_with(longopts, own, 1);
	zc_options_exact("run", argc, argv, longopts);
	struct run_opts o;
	defaults(&o);
	opterr = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (help_or_version(opt, run_help))
			return 0;
		if (common_option(opt, optarg, &o))
			continue;
		if (opt == OPT_OUT) {
			o.out = optarg;
		} else {
			bad_option("run", argv);
		}
	}
	if (optind < argc)
		zc_usage_error("run: unexpected argument '%s' (see zcbench run --help)", argv[optind]);
	check_plan(&o, 0);
	check_net(&o);
	char names[1024];
	if (o.cells.price_of_control && o.cells.strategies)
		zc_usage_error("--price-of-control picks its own strategies: drop --strategy");
	/* The five rows differ in the strategy and what it does to the data,
	 * never in the chunk: sendfile's default (1M) against readwrite's
	 * (32K) would price the chunk too. */
	if (o.cells.price_of_control && !o.cells.chunks)
		o.cells.chunks = ZC_PROFILE_CHUNK;
	if (!o.cells.strategies && !o.cells.price_of_control) {
		names_of_strategies(names, sizeof names);
		zc_usage_error("run needs --strategy (valid: %s)", names);
	}
	if (!o.cells.workloads) {
		names_of_workloads(names, sizeof names);
		zc_usage_error("run needs --workload (valid: %s)", names);
	}
	char err[4400];
	if (o.out && zc_check_writable(o.out, err, sizeof err) != 0)
		zc_usage_error("--out: %s", err);
	struct held_dirs held;
	check_file_dirs(&o, &held);
	struct zc_cell *cells;
	size_t n = zc_cells_build(&o.cells, &cells);
	open_peer(&o);
	prepare_files(&o, cells, n, &held);
	FILE *table = o.out && strcmp(o.out, "-") == 0 ? stderr : stdout;
	int rc = execute(&o, cells, n, o.out, table, NULL);
	release_dirs(&o, &held);
	zc_remote_close(o.remote);
	free(cells);
	return rc;
}

/* ---- all ---- */

static const char all_help[] =
	"usage: zcbench all [--profile quick|full] [--out-dir DIR] [options]\n"
	"\n"
	"Runs every strategy on every workload it supports, repetitions interleaved\n"
	"across cells, and writes one JSON file named with the date and the kernel\n"
	"release into DIR.\n"
	"\n"
	"  --reps N           exactly N measured rounds (1 to 10000; default: the profile's\n"
	"                     --min-runs and --max-runs)\n"
	"  --min-runs N, --max-runs N  the profile's bounds on rounds, as for run\n"
	"  --warmup N         unmeasured warm-up rounds before them (0 to 10000; default 1)\n"
	"  --profile P        quick (default): 256M per run, every strategy at chunk 1M,\n"
	"                     1 warm-up, 6 to 15 rounds until every verdict is decided,\n"
	"                     --max-time 140s (meant to keep all under 3 minutes), no\n"
	"                     UDP workloads; full: 512M per run, 10 to 20 rounds,\n"
	"                     --max-time 5400s, the UDP workloads, and sweeps of\n"
	"                     --chunk 4K,128K,1M and --streams 1,4\n"
	"  --out-dir DIR      where the result file goes (default results)\n"
	"Matrix options override the profile (default --strategy all --workload all):\n" MATRIX_HELP;

static int cmd_all(int argc, char **argv)
{
	static const char *const profiles[] = {"quick", "full"};
	static const struct option own[] = {{"profile", required_argument, 0, OPT_PROFILE},
					    {"out-dir", required_argument, 0, OPT_OUT_DIR}};
	struct option longopts[MATRIX_NOPTS + 3];
	longopts_with(longopts, own, 2);
	/* The profile sets the defaults; explicit options override them, so
	 * look for --profile first. */
	zc_options_exact("all", argc, argv, longopts);
	int profile = 0;
	opterr = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (help_or_version(opt, all_help))
			return 0;
		if (opt == OPT_PROFILE)
			profile = zc_choice_arg("--profile", optarg, profiles, 2);
	}
	struct run_opts o;
	defaults(&o);
	o.cells.strategies = "all";
	o.cells.workloads = "all";
	o.cells.sizes = profile == 0 ? "256M" : "512M";
	/* One chunk for every strategy of a workload (equal footing; the
	 * choice: ci/bench-chunk.sh); the full profile also sweeps it. */
	o.cells.chunks = profile == 0 ? ZC_PROFILE_CHUNK : "4K,128K," ZC_PROFILE_CHUNK;
	/* 6 rounds: the fewest whose sign-exact interval reaches 95%. */
	o.plan.min_runs = profile == 0 ? 6 : 10;
	o.plan.max_time_ns = (profile == 0 ? 140ull : 5400ull) * 1000000000ull;
	if (profile == 1)
		o.cells.streams = "1,4";
	const char *out_dir = "results";
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (common_option(opt, optarg, &o))
			continue;
		if (opt == OPT_PROFILE) {
			continue;
		} else if (opt == OPT_OUT_DIR) {
			out_dir = optarg;
		} else {
			bad_option("all", argv);
		}
	}
	if (optind < argc)
		zc_usage_error("all: unexpected argument '%s' (see zcbench all --help)", argv[optind]);
	check_plan(&o, profile == 0 ? 15 : 20);
	check_net(&o);
	/* The quick profile leaves out the UDP workloads (seconds per run,
	 * one datagram per sendto): full has them, or --workload names them. */
	o.cells.quick = profile == 0;
	check_dir("--out-dir", out_dir);
	char rel[128], stamp[32], path[4096], err[4400], report_dir[4200];
	zc_kernel_release(rel, sizeof rel);
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	snprintf(path, sizeof path, "%s/zcbench-%s-%s.json", out_dir, stamp, rel);
	if (zc_check_writable(path, err, sizeof err) != 0)
		zc_usage_error("--out-dir: %s", err);
	zc_report_dir_for(path, report_dir, sizeof report_dir);
	if (zc_out_dir_check(report_dir, err, sizeof err) != 0)
		zc_usage_error("--out-dir: the report: %s", err);
	struct held_dirs held;
	check_file_dirs(&o, &held);
	struct zc_cell *cells;
	size_t n = zc_cells_build(&o.cells, &cells);
	open_peer(&o);
	int prc = prepare_files(&o, cells, n, &held);
	fprintf(stderr,
		"zcbench: %zu cells, profile %s, %" PRIu64 " warm-up + %u to %u rounds (until decided; at most %" PRIu64
		" s)\n",
		n, profiles[profile], o.warmup, o.plan.min_runs, o.plan.max_runs,
		(uint64_t)(o.plan.max_time_ns / 1000000000ull));
	/* The machine's ceilings, once, before the cells: the report sets each
	 * strategy against them. */
	json_t *cal = NULL;
	if (prc == 0) {
		fprintf(stderr, "zcbench: calibrating (memcpy, syscall, pipe)\n");
		cal = zc_calibrate_measure();
	}
	int rc = execute(&o, cells, n, path, stdout, cal);
	release_dirs(&o, &held);
	zc_remote_close(o.remote);
	if (rc == 0 || rc == 1) {
		const char *files[] = {path};
		int grc = zc_report_generate(files, 1, report_dir, err, sizeof err);
		if (zc_interrupted()) {
			/* The cells are all in the file; only the report was cut short. */
			fprintf(stderr, "zcbench: interrupted while drawing the report in %s\n", report_dir);
			rc = 130;
		} else if (grc == 0) {
			fprintf(stderr, "zcbench: report written to %s/index.html\n", report_dir);
		} else {
			fprintf(stderr, "zcbench: no report: %s\n", err);
		}
	}
	free(cells);
	return rc;
}

/* ---- doctor ---- */

static const char doctor_help[] =
	"usage: zcbench doctor\n\nLoads every probe once and prints what works on this machine and, for\n"
	"what does not, why (no eBPF support built in, not root, no BTF, a missing\n"
	"tracepoint, no PMU, perf_event_paranoid) and what to do; then whether the\n"
	"machine is quiet enough to time (load average, other runnable tasks, steal).\n\n"
	"  -h, --help    this text\n"
	"  --version     the version\n";

static int cmd_doctor(int argc, char **argv)
{
	if (no_options("doctor", argc, argv, doctor_help))
		return 0;
	zc_probes_doctor(stdout);
	/* Whether timings taken now can be trusted. */
	struct zc_machine_state ms;
	zc_machine_sample(&ms, 10, 20);
	fputc('\n', stdout);
	zc_machine_print(stdout, &ms);
	return 0;
}

/* ---- main ---- */

static const char main_help[] = "usage: zcbench COMMAND [options]\n"
				"\n"
				"Measures how Linux moves bytes: each copy strategy against each workload.\n"
				"\n"
				"Commands:\n"
				"  list      strategies and workloads, what each supports\n"
				"  run       one strategy on one workload\n"
				"  all       every supported strategy x workload cell\n"
				"  report    plotted report (HTML, PNG, SVG) from result files\n"
				"  compare   compare result files; a regression gate for CI\n"
				"  calibrate the machine's ceilings: memcpy, syscall, pipe\n"
				"  hyperfine time each cell as a whole process under hyperfine\n"
				"  doctor    which probes work on this machine, and why not\n"
				"  peer      serve the far side of TCP workloads for run/all --peer\n"
				"  help CMD  a command's options and defaults (also zcbench CMD --help)\n"
				"\n"
				"Options are long names given in full (--out-dir, never --out for it); -h,\n"
				"--help and --version work with every command.\n"
				"\n"
				"Exit status: 0 done; 1 a cell failed, or output could not be written; 2 bad\n"
				"input (one line on stderr says what); 130 interrupted (SIGINT or SIGTERM:\n"
				"the result file so far is written, marked \"interrupted\": true).\n";

/* stops: the command measures or draws, so SIGINT and SIGTERM ask it to stop
 * at its next checkpoint (zc_signals_install); the others die by them. */
static const struct {
	const char *name;
	int (*fn)(int, char **);
	bool stops;
} commands[] = {{"list", cmd_list, false},
		{"run", cmd_run, true},
		{"all", cmd_all, true},
		{"report", zc_cmd_report, true},
		{"compare", zc_cmd_compare, false},
		{"calibrate", zc_cmd_calibrate, true},
		{"hyperfine", zc_cmd_hyperfine, true},
		{"doctor", cmd_doctor, false},
		{"peer", zc_cmd_peer, true}};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static int (*command_named(const char *name, bool *stops))(int, char **)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(name, commands[i].name) == 0) {
			*stops = commands[i].stops;
			return commands[i].fn;
		}
	return NULL;
}

static _Noreturn void unknown_command(const char *cmd)
{
	char names[256] = "";
	for (size_t i = 0; i < NCOMMANDS; i++)
		snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "", commands[i].name);
	zc_usage_error("unknown command '%s' (valid: %s; see zcbench --help)", cmd, names);
}

/* Output that could not be written (a full disk, a closed pipe) is a
 * failure, exit 1, whatever the command printed, unless it already ended
 * for bad input (2) or an interruption (130). */
static int finish(int rc)
{
	errno = 0;
	bool failed = fflush(stdout) != 0 || ferror(stdout);
	int e = errno;
	if (fclose(stdout) != 0 && !failed) {
		failed = true;
		e = errno;
	}
	if (failed) {
		fprintf(stderr, "zcbench: cannot write to standard output: %s\n", e ? strerror(e) : "write error");
		if (rc == 0)
			rc = 1;
	}
	return rc;
}

int main(int argc, char **argv)
{
	/* A peer that dies must turn into EPIPE in the subject, not a silent kill. */
	signal(SIGPIPE, SIG_IGN);
	/* Many transfers and streams open many descriptors before the window:
	 * take the hard limit rather than fail at the soft one. */
	struct rlimit nofile;
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0) {
		/* Root may go up to fs.nr_open; anyone up to the hard limit. Best
		 * effort: a failure shows as EMFILE, with its reason, later. */
		struct rlimit more = {.rlim_cur = 1 << 20, .rlim_max = 1 << 20};
		if (nofile.rlim_max >= more.rlim_max || setrlimit(RLIMIT_NOFILE, &more) != 0) {
			nofile.rlim_cur = nofile.rlim_max;
			setrlimit(RLIMIT_NOFILE, &nofile);
		}
	}

	prog_argc = argc;
	prog_argv = argv;
	if (argc < 2) {
		fputs(main_help, stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || (strcmp(cmd, "help") == 0 && argc == 2)) {
		fputs(main_help, stdout);
		return finish(0);
	}
	if (strcmp(cmd, "--version") == 0) {
		zc_print_version();
		return finish(0);
	}
	if (strcmp(cmd, "help") == 0) {
		if (argc > 3)
			zc_usage_error("help takes one command name (got '%s' after '%s')", argv[3], argv[2]);
		if (strcmp(argv[2], "help") == 0) {
			fputs(main_help, stdout);
			return finish(0);
		}
		bool stops;
		int (*fn)(int, char **) = command_named(argv[2], &stops);
		if (!fn)
			unknown_command(argv[2]);
		char *help_argv[] = {argv[2], "--help", NULL};
		return finish(fn(2, help_argv));
	}
	bool stops;
	int (*fn)(int, char **) = command_named(cmd, &stops);
	if (!fn)
		unknown_command(cmd);
	if (stops) {
		zc_signals_install();
		zc_signals_on_exit(remove_files_on_exit);
	}
	return finish(fn(argc - 1, argv + 1));
}
