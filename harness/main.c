/* zcbench: the command line. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../workloads/source_file.h"
#include "cell.h"
#include "commands.h"
#include "host.h"
#include "matrix.h"
#include "options.h"
#include "result_json.h"

#define EXIT_USAGE	  2
#define DEFAULT_CACHE_DIR "/var/tmp/zcbench"

/* Set by SIGINT/SIGTERM; the run loop stops at its next checkpoint. */
static volatile sig_atomic_t interrupted;
/* The cells of this invocation, so a second interrupt can remove their files. */
static struct zc_cell *live_cells;
static size_t live_ncells;
/* The whole command line, recorded in result files. */
static int prog_argc;
static char **prog_argv;

static void on_signal(int sig)
{
	(void)sig;
	if (interrupted) {
		/* Second interrupt: leave now, but leave nothing behind. */
		zc_json_tmp_cleanup();
		for (size_t i = 0; i < live_ncells; i++)
			if (live_cells[i].dest_path[0])
				unlink(live_cells[i].dest_path);
		_exit(130);
	}
	interrupted = 1;
}

static _Noreturn void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static _Noreturn void usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("zcbench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(EXIT_USAGE);
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

static uint64_t size_arg(const char *opt, const char *v)
{
	uint64_t n;
	const char *why;
	if (zc_parse_size(v, &n, &why) != 0)
		usage_error("%s '%s' %s", opt, v, why);
	return n;
}

static uint64_t count_arg(const char *opt, const char *v, uint64_t min, uint64_t max)
{
	uint64_t n;
	const char *why;
	if (zc_parse_count(v, min, max, &n, &why) != 0)
		usage_error("%s '%s' %s (valid: %" PRIu64 " to %" PRIu64 ")", opt, v, why, min, max);
	return n;
}

static int choice_arg(const char *opt, const char *v, const char *const *choices, size_t n)
{
	char valid[256] = "";
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v, choices[i]) == 0)
			return (int)i;
		snprintf(valid + strlen(valid), sizeof valid - strlen(valid), "%s%s", i ? ", " : "", choices[i]);
	}
	usage_error("%s '%s' is not a valid choice (valid: %s)", opt, v, valid);
}

/* ---- list ---- */

static void endpoints(unsigned bits, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {{ZC_EP_FILE, "file"}, {ZC_EP_TCP, "tcp"}, {ZC_EP_UNIX, "unix"}, {ZC_EP_PIPE, "pipe"}};
	buf[0] = 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (bits & names[i].bit)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", buf[0] ? "," : "", names[i].name);
}

static int cmd_list(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		puts("usage: zcbench list\n\nPrints every strategy (with the workloads it supports and whether it "
		     "sees\n"
		     "the data) and every workload.");
		return 0;
	}
	if (argc > 1)
		usage_error("list takes no arguments (got '%s')", argv[1]);
	puts("Strategies:");
	printf("  %-10s %-6s %-24s %s\n", "name", "data", "workloads", "description");
	for (size_t i = 0; i < zc_strategy_count; i++) {
		const struct zc_strategy *s = zc_strategies[i];
		char wl[256] = "";
		for (size_t k = 0; k < zc_workload_count; k++)
			if (!zc_cell_unsupported(s, zc_workloads[k]))
				snprintf(wl + strlen(wl), sizeof wl - strlen(wl), "%s%s", wl[0] ? "," : "",
					 zc_workloads[k]->name);
		printf("  %-10s %-6s %-24s %s\n", s->name, s->sees_data ? "sees" : "blind", wl, s->description);
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

/* ---- shared run options ---- */

struct run_opts {
	const char *strategy, *workload, *out, *cache_dir;
	uint64_t size, chunk, transfers, pipe_size, reps, warmup, timeout_s;
	enum zc_alloc alloc;
	bool dest_fresh, no_probes, no_pin;
	enum zc_drain drain;
	enum zc_verify verify;
};

static void env_init(struct zc_env *env, const struct run_opts *o)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	env->cache_dir = o->cache_dir;
	env->probes = zc_probes_open(!o->no_probes);
	/* Subject and peer on different CPUs when there are two or more. */
	env->subject_cpu = (o->no_pin || cpus < 2) ? -1 : 0;
	env->peer_cpu = (o->no_pin || cpus < 2) ? -1 : 1;
	env->interrupted = &interrupted;
	env->run_timeout_ms = (unsigned long)o->timeout_s * 1000ul;
}

/* Fill a cell for strategy s on workload w. Returns 0, or -1 with the cell
 * marked failed (its source could not be made). */
static void cell_init(struct zc_cell *c, const struct run_opts *o, const struct zc_strategy *s,
		      const struct zc_workload *w, size_t index)
{
	memset(c, 0, sizeof *c);
	c->p = (struct zc_cell_params){
		.strategy = s,
		.workload = w,
		.size = o->size,
		.transfers = o->transfers,
		.chunk = o->chunk,
		.pipe_size = o->pipe_size,
		.alloc = o->alloc,
		.dest_fresh = o->dest_fresh,
		.drain = o->drain,
	};
	c->chunk = o->chunk ? o->chunk : s->default_chunk;
	char err[512];
	if (zc_source_file_ensure(o->cache_dir, o->size / o->transfers, c->source_path, sizeof c->source_path, err,
				  sizeof err) != 0) {
		c->status = ZC_FAILED;
		snprintf(c->reason, sizeof c->reason, "source: %s", err);
	}
	if (w->sink == ZC_EP_FILE)
		snprintf(c->dest_path, sizeof c->dest_path, "%s/dest-%d-%zu", o->cache_dir, (int)getpid(), index);
}

static void iso_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Run the cells, print the table, write the JSON. Returns the exit status. */
static int execute(const struct run_opts *o, struct zc_cell *cells, size_t ncells, const char *out_path,
		   FILE *table_out)
{
	char started[32];
	iso_now(started, sizeof started);
	struct zc_env env;
	env_init(&env, o);
	live_cells = cells;
	live_ncells = ncells;
	struct zc_plan plan = {.reps = (unsigned)o->reps, .warmup = (unsigned)o->warmup, .verify = o->verify};
	int mrc = zc_matrix_run(&env, cells, ncells, &plan);

	json_t *doc = zc_result_doc(prog_argc, prog_argv, started, env.probes);
	json_object_set_new(doc, "interrupted", json_boolean(mrc != 0));
	json_t *results = json_object_get(doc, "results");
	int failed = 0;
	for (size_t i = 0; i < ncells; i++) {
		json_array_append_new(results, zc_cell_json(&cells[i]));
		failed |= cells[i].status == ZC_FAILED;
		zc_cell_cleanup(&cells[i]);
	}
	zc_print_table(table_out, cells, ncells);
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
	if (mrc != 0)
		fprintf(stderr, "zcbench: interrupted; results so far are marked \"interrupted\": true\n");
	return rc;
}

static const char *const alloc_names[] = {"malloc", "fresh"};
static const char *const dest_names[] = {"overwrite", "fresh"};
static const char *const verify_names[] = {"first", "all"};

enum {
	OPT_STRATEGY = 256,
	OPT_WORKLOAD,
	OPT_SIZE,
	OPT_CHUNK,
	OPT_REPS,
	OPT_WARMUP,
	OPT_OUT,
	OPT_TRANSFERS,
	OPT_ALLOC,
	OPT_PIPE_SIZE,
	OPT_DEST,
	OPT_DRAIN,
	OPT_CACHE_DIR,
	OPT_VERIFY,
	OPT_NO_PROBES,
	OPT_NO_PIN,
	OPT_TIMEOUT,
	OPT_PROFILE,
	OPT_OUT_DIR,
	OPT_HELP,
};

/* Options both run and all take. Returns 1 when opt was one of them. */
static int common_option(int opt, const char *arg, struct run_opts *o)
{
	switch (opt) {
	case OPT_CACHE_DIR:
		o->cache_dir = arg;
		return 1;
	case OPT_NO_PROBES:
		o->no_probes = true;
		return 1;
	case OPT_NO_PIN:
		o->no_pin = true;
		return 1;
	case OPT_TIMEOUT:
		o->timeout_s = count_arg("--timeout", arg, 1, 86400);
		return 1;
	}
	return 0;
}

static void defaults(struct run_opts *o)
{
	*o = (struct run_opts){
		.cache_dir = getenv("ZCBENCH_CACHE_DIR") ? getenv("ZCBENCH_CACHE_DIR") : DEFAULT_CACHE_DIR,
		.size = 256ull << 20,
		.transfers = 1,
		.pipe_size = 1 << 20,
		.reps = 5,
		.warmup = 1,
		.timeout_s = 300,
	};
}

static void check_cache_dir(const char *dir)
{
	int e = zc_mkdir_p(dir);
	if (e)
		usage_error("--cache-dir '%s' cannot be created: %s", dir, strerror(e));
	if (access(dir, W_OK) != 0)
		usage_error("--cache-dir '%s' is not writable: %s", dir, strerror(errno));
}

/* ---- run ---- */

static const char run_help[] = "usage: zcbench run --strategy S --workload W [options]\n"
			       "\n"
			       "Runs one cell (a strategy on a workload), prints a summary and optionally\n"
			       "writes JSON. Sizes take K, M, G or T suffixes meaning KiB, MiB, GiB, TiB.\n"
			       "\n"
			       "  --strategy S       copy strategy (see zcbench list)\n"
			       "  --workload W       workload (see zcbench list)\n"
			       "  --size N           total bytes per run, over all transfers (default 256M)\n"
			       "  --chunk N          bytes asked for per call (default: the strategy's own,\n"
			       "                     32K for readwrite and pooled, 1M for sendfile and splice)\n"
			       "  --reps N           measured repetitions (default 5)\n"
			       "  --warmup N         unmeasured warm-up runs before them (default 1)\n"
			       "  --transfers N      split the size over N sequential transfers of one file of\n"
			       "                     size/N bytes, so per-transfer allocation shows (default 1)\n"
			       "  --alloc A          readwrite's buffer per transfer: malloc (default) or fresh\n"
			       "                     (mmap/munmap, a churning allocator)\n"
			       "  --pipe-size N      splice's pipe size via F_SETPIPE_SZ (default 1M)\n"
			       "  --dest D           file sinks: overwrite an existing cached file (default)\n"
			       "                     or fresh (a new file each run: first-touch cost)\n"
			       "  --drain D          how a TCP peer discards data it does not verify: trunc\n"
			       "                     (recv MSG_TRUNC, default), read or splice\n"
			       "  --verify V         check every byte on the first run (default) or all runs\n"
			       "  --out FILE         write JSON results to FILE ('-' for standard output)\n"
			       "  --cache-dir DIR    where pattern files live (default $ZCBENCH_CACHE_DIR or\n"
			       "                     " DEFAULT_CACHE_DIR ")\n"
			       "  --timeout SEC      kill a run that takes longer (default 300)\n"
			       "  --no-probes        do not load probes\n"
			       "  --no-pin           do not pin subject and peer to separate CPUs\n"
			       "  --help             this text\n";

static const struct option run_longopts[] = {{"strategy", required_argument, 0, OPT_STRATEGY},
					     {"workload", required_argument, 0, OPT_WORKLOAD},
					     {"size", required_argument, 0, OPT_SIZE},
					     {"chunk", required_argument, 0, OPT_CHUNK},
					     {"reps", required_argument, 0, OPT_REPS},
					     {"warmup", required_argument, 0, OPT_WARMUP},
					     {"out", required_argument, 0, OPT_OUT},
					     {"transfers", required_argument, 0, OPT_TRANSFERS},
					     {"alloc", required_argument, 0, OPT_ALLOC},
					     {"pipe-size", required_argument, 0, OPT_PIPE_SIZE},
					     {"dest", required_argument, 0, OPT_DEST},
					     {"drain", required_argument, 0, OPT_DRAIN},
					     {"verify", required_argument, 0, OPT_VERIFY},
					     {"cache-dir", required_argument, 0, OPT_CACHE_DIR},
					     {"timeout", required_argument, 0, OPT_TIMEOUT},
					     {"no-probes", no_argument, 0, OPT_NO_PROBES},
					     {"no-pin", no_argument, 0, OPT_NO_PIN},
					     {"help", no_argument, 0, OPT_HELP},
					     {0, 0, 0, 0}};

/* getopt_long prints its own message for unknown options; make it ours. */
static _Noreturn void bad_option(const char *cmd, char **argv)
{
	usage_error("unknown or incomplete option '%s' for %s (see zcbench %s --help)", argv[optind - 1], cmd, cmd);
}

static int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	defaults(&o);
	bool chunk_set = false;
	opterr = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, "", run_longopts, NULL)) != -1) {
		if (common_option(opt, optarg, &o))
			continue;
		switch (opt) {
		case OPT_STRATEGY:
			o.strategy = optarg;
			break;
		case OPT_WORKLOAD:
			o.workload = optarg;
			break;
		case OPT_SIZE:
			o.size = size_arg("--size", optarg);
			break;
		case OPT_CHUNK:
			o.chunk = size_arg("--chunk", optarg);
			if (o.chunk == 0 || o.chunk > (1ull << 30))
				usage_error("--chunk '%s' must be between 1 byte and 1G", optarg);
			chunk_set = true;
			break;
		case OPT_REPS:
			o.reps = count_arg("--reps", optarg, 1, 10000);
			break;
		case OPT_WARMUP:
			o.warmup = count_arg("--warmup", optarg, 0, 10000);
			break;
		case OPT_OUT:
			o.out = optarg;
			break;
		case OPT_TRANSFERS:
			o.transfers = count_arg("--transfers", optarg, 1, 1000000);
			break;
		case OPT_ALLOC:
			o.alloc = (enum zc_alloc)choice_arg("--alloc", optarg, alloc_names, 2);
			break;
		case OPT_PIPE_SIZE:
			o.pipe_size = size_arg("--pipe-size", optarg);
			if (o.pipe_size == 0 || o.pipe_size > (1ull << 30))
				usage_error("--pipe-size '%s' must be between 1 byte and 1G", optarg);
			break;
		case OPT_DEST:
			o.dest_fresh = choice_arg("--dest", optarg, dest_names, 2) == 1;
			break;
		case OPT_DRAIN:
			o.drain = (enum zc_drain)choice_arg("--drain", optarg, zc_drain_names, 3);
			break;
		case OPT_VERIFY:
			o.verify = (enum zc_verify)choice_arg("--verify", optarg, verify_names, 2);
			break;
		case OPT_HELP:
			fputs(run_help, stdout);
			return 0;
		default:
			bad_option("run", argv);
		}
	}
	(void)chunk_set;
	if (optind < argc)
		usage_error("run: unexpected argument '%s' (see zcbench run --help)", argv[optind]);
	char names[512];
	if (!o.strategy) {
		names_of_strategies(names, sizeof names);
		usage_error("run needs --strategy (valid: %s)", names);
	}
	if (!o.workload) {
		names_of_workloads(names, sizeof names);
		usage_error("run needs --workload (valid: %s)", names);
	}
	const struct zc_strategy *s = zc_strategy_find(o.strategy);
	if (!s) {
		names_of_strategies(names, sizeof names);
		usage_error("unknown strategy '%s' (valid: %s)", o.strategy, names);
	}
	const struct zc_workload *w = zc_workload_find(o.workload);
	if (!w) {
		names_of_workloads(names, sizeof names);
		usage_error("unknown workload '%s' (valid: %s)", o.workload, names);
	}
	const char *why = zc_cell_unsupported(s, w);
	if (why) {
		char ok[512] = "";
		for (size_t i = 0; i < zc_workload_count; i++)
			if (!zc_cell_unsupported(s, zc_workloads[i]))
				snprintf(ok + strlen(ok), sizeof ok - strlen(ok), "%s%s", ok[0] ? ", " : "",
					 zc_workloads[i]->name);
		usage_error("strategy '%s' does not support workload '%s': %s (it supports: %s)", s->name, w->name, why,
			    ok);
	}
	if (o.size % o.transfers != 0)
		usage_error("--size %" PRIu64 " is not a multiple of --transfers %" PRIu64, o.size, o.transfers);
	char err[512];
	if (o.out && zc_check_writable(o.out, err, sizeof err) != 0)
		usage_error("--out: %s", err);
	check_cache_dir(o.cache_dir);

	struct zc_cell cell;
	cell_init(&cell, &o, s, w, 0);
	FILE *table = o.out && strcmp(o.out, "-") == 0 ? stderr : stdout;
	return execute(&o, &cell, 1, o.out, table);
}

/* ---- all ---- */

static const char all_help[] = "usage: zcbench all [--profile quick|full] [--out-dir DIR] [options]\n"
			       "\n"
			       "Runs every strategy on every workload it supports, repetitions interleaved\n"
			       "across cells, and writes one JSON file named with the date and the kernel\n"
			       "release into DIR.\n"
			       "\n"
			       "  --profile P        quick (default): 256M per run, 5 repetitions, 1 warm-up;\n"
			       "                     full: 1G per run, 10 repetitions, 1 warm-up\n"
			       "  --size N           bytes per run, overriding the profile\n"
			       "  --reps N           measured repetitions, overriding the profile\n"
			       "  --warmup N         warm-up runs, overriding the profile\n"
			       "  --out-dir DIR      where the result file goes (default results)\n"
			       "  --cache-dir DIR    where pattern files live (default $ZCBENCH_CACHE_DIR or\n"
			       "                     " DEFAULT_CACHE_DIR ")\n"
			       "  --timeout SEC      kill a run that takes longer (default 300)\n"
			       "  --no-probes        do not load probes\n"
			       "  --no-pin           do not pin subject and peer to separate CPUs\n"
			       "  --help             this text\n";

static int cmd_all(int argc, char **argv)
{
	static const char *const profiles[] = {"quick", "full"};
	static const struct option longopts[] = {{"profile", required_argument, 0, OPT_PROFILE},
						 {"out-dir", required_argument, 0, OPT_OUT_DIR},
						 {"cache-dir", required_argument, 0, OPT_CACHE_DIR},
						 {"timeout", required_argument, 0, OPT_TIMEOUT},
						 {"no-probes", no_argument, 0, OPT_NO_PROBES},
						 {"no-pin", no_argument, 0, OPT_NO_PIN},
						 {"size", required_argument, 0, OPT_SIZE},
						 {"reps", required_argument, 0, OPT_REPS},
						 {"warmup", required_argument, 0, OPT_WARMUP},
						 {"help", no_argument, 0, OPT_HELP},
						 {0, 0, 0, 0}};
	struct run_opts o;
	defaults(&o);
	int profile = 0;
	const char *size_opt = NULL, *reps_opt = NULL, *warmup_opt = NULL;
	const char *out_dir = "results";
	opterr = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (common_option(opt, optarg, &o))
			continue;
		switch (opt) {
		case OPT_PROFILE:
			profile = choice_arg("--profile", optarg, profiles, 2);
			break;
		case OPT_OUT_DIR:
			out_dir = optarg;
			break;
		case OPT_SIZE:
			size_opt = optarg;
			break;
		case OPT_REPS:
			reps_opt = optarg;
			break;
		case OPT_WARMUP:
			warmup_opt = optarg;
			break;
		case OPT_HELP:
			fputs(all_help, stdout);
			return 0;
		default:
			bad_option("all", argv);
		}
	}
	if (optind < argc)
		usage_error("all: unexpected argument '%s' (see zcbench all --help)", argv[optind]);
	/* The profile sets the defaults; explicit options override them. */
	o.size = profile == 0 ? 256ull << 20 : 1ull << 30;
	o.reps = profile == 0 ? 5 : 10;
	o.warmup = 1;
	if (size_opt)
		o.size = size_arg("--size", size_opt);
	if (reps_opt)
		o.reps = count_arg("--reps", reps_opt, 1, 10000);
	if (warmup_opt)
		o.warmup = count_arg("--warmup", warmup_opt, 0, 10000);
	int e = zc_mkdir_p(out_dir);
	if (e)
		usage_error("--out-dir '%s' cannot be created: %s", out_dir, strerror(e));
	char rel[128], stamp[32], path[4096], err[512];
	zc_kernel_release(rel, sizeof rel);
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	snprintf(path, sizeof path, "%s/zcbench-%s-%s.json", out_dir, stamp, rel);
	if (zc_check_writable(path, err, sizeof err) != 0)
		usage_error("--out-dir: %s", err);
	check_cache_dir(o.cache_dir);

	struct zc_cell *cells = calloc(zc_strategy_count * zc_workload_count, sizeof *cells);
	if (!cells) {
		fprintf(stderr, "zcbench: out of memory\n");
		return 1;
	}
	size_t n = 0;
	for (size_t wi = 0; wi < zc_workload_count; wi++)
		for (size_t si = 0; si < zc_strategy_count; si++)
			if (!zc_cell_unsupported(zc_strategies[si], zc_workloads[wi])) {
				cell_init(&cells[n], &o, zc_strategies[si], zc_workloads[wi], n);
				n++;
			}
	fprintf(stderr, "zcbench: %zu cells, profile %s, %s per run, %" PRIu64 " repetitions + %" PRIu64 " warm-up\n",
		n, profiles[profile], profile == 0 ? "64 MiB" : "1 GiB", o.reps, o.warmup);
	int rc = execute(&o, cells, n, path, stdout);
	free(cells);
	return rc;
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
				"\n"
				"zcbench COMMAND --help explains a command's options and defaults.\n";

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A peer that dies must turn into EPIPE in the subject, not a silent kill. */
	signal(SIGPIPE, SIG_IGN);

	prog_argc = argc;
	prog_argv = argv;
	if (argc < 2) {
		fputs(main_help, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(main_help, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("zcbench %s\n", ZC_VERSION);
		return 0;
	}
	if (strcmp(cmd, "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(cmd, "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(cmd, "all") == 0)
		return cmd_all(argc - 1, argv + 1);
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} more[] = {{"report", zc_cmd_report},
		    {"compare", zc_cmd_compare},
		    {"calibrate", zc_cmd_calibrate},
		    {"hyperfine", zc_cmd_hyperfine}};
	for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
		if (strcmp(cmd, more[i].name) == 0)
			return more[i].fn(argc - 1, argv + 1);
	usage_error("unknown command '%s' (valid: list, run, all, report, compare, calibrate, hyperfine; see zcbench "
		    "--help)",
		    cmd);
}
