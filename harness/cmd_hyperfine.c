/* zcbench hyperfine [run options]: each cell measured twice, in-process (a
 * `zcbench run` with the given options, its copy windows timed from inside)
 * and as a whole process (`zcbench run ... --reps 1 --warmup 0` timed by
 * hyperfine from outside: start-up, set-up, one verified copy, exit). Both
 * land in one result file: the in-process cell as `run` writes it, plus a
 * `hyperfine` object. Run options other than this command's own are passed
 * to `zcbench run` unchanged, so it checks them. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cell.h"
#include "commands.h"
#include "host.h"
#include "hyperfine_import.h"
#include "options.h"
#include "util.h"
#include "result_json.h"
#include "signals.h"

static const char hyperfine_help[] =
	"usage: zcbench hyperfine [--strategy S] [--workload W] [run options]\n"
	"                         [--hyperfine-runs N] [--hyperfine-warmup N] [--out FILE]\n"
	"\n"
	"Times each cell (every supported strategy x workload, or those chosen) two\n"
	"ways and writes both into one result file:\n"
	"  in-process     zcbench run with the run options, its copy windows timed\n"
	"                 from inside (--reps and --warmup apply here);\n"
	"  whole process  the same zcbench run with --reps 1 --warmup 0 timed by\n"
	"                 hyperfine (--shell=none, every argument quoted): start-up,\n"
	"                 set-up, one verified copy and exit.\n"
	"zcbench report FILE shows the two side by side.\n"
	"\n"
	"  --strategy S[,S..]    strategies (default: all; see zcbench list)\n"
	"  --workload W[,W..]    workloads (default: all)\n"
	"  --hyperfine-runs N    timed runs per cell under hyperfine (default 5;\n"
	"                        1 to 10000)\n"
	"  --hyperfine-warmup N  untimed runs before them (default 1; 0 to 10000)\n"
	"  --out FILE            the result file (default\n"
	"                        results/zcbench-hyperfine-<UTC time>-<kernel release>.json)\n"
	"  -h, --help            this text\n"
	"  --version             the version\n"
	"Any other option is a run option (zcbench run --help), passed on as given.\n"
	"\n"
	"Needs hyperfine (Debian package hyperfine). Exit status: 0 done, 1 a cell\n"
	"failed or hyperfine is missing, 2 bad input, 130 interrupted: SIGINT or\n"
	"SIGTERM is passed on to the zcbench run or hyperfine under way, which stop;\n"
	"the file then holds the cells finished before, marked \"interrupted\": true.\n";

#define MAX_ARGS 256

struct hf_opts {
	const char *strategy, *workload, *out, *reps, *warmup;
	unsigned long hf_runs, hf_warmup;
	const char *pass[MAX_ARGS]; /* run options passed on unchanged */
	size_t npass;
};

static int usage(const char *fmt, const char *a, const char *b)
{
	fputs("zcbench: ", stderr);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return 2;
}

/* Our own options are taken out; everything else is passed to `zcbench run`.
 * Returns 0, 1 for --help, 3 for --version, or 2 (message printed). */
static int parse(int argc, char **argv, struct hf_opts *o)
{
	memset(o, 0, sizeof *o);
	o->hf_runs = 5;
	o->hf_warmup = 1;
	static const char *const own[] = {"--strategy",	      "--workload",	   "--out", "--reps", "--warmup",
					  "--hyperfine-runs", "--hyperfine-warmup"};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return 1;
		if (strcmp(a, "--version") == 0)
			return 3;
		size_t k = 0, nown = sizeof own / sizeof own[0];
		const char *value = NULL;
		for (; k < nown; k++) {
			size_t n = strlen(own[k]);
			if (strcmp(a, own[k]) == 0) {
				if (i + 1 >= argc)
					return usage("option '%s' needs a value (see zcbench hyperfine --help)%s", a,
						     "");
				value = argv[++i];
				break;
			}
			if (strncmp(a, own[k], n) == 0 && a[n] == '=') {
				value = a + n + 1;
				break;
			}
		}
		if (k == nown) {
			if (o->npass + 1 >= MAX_ARGS)
				return usage("too many run options%s%s", "", "");
			if (a[0] != '-' && (i == 1 || argv[i - 1][0] != '-'))
				return usage("hyperfine: unexpected argument '%s' (see zcbench hyperfine --help)%s", a,
					     "");
			o->pass[o->npass++] = a;
			continue;
		}
		uint64_t n;
		const char *why;
		switch (k) {
		case 0:
			o->strategy = value;
			break;
		case 1:
			o->workload = value;
			break;
		case 2:
			o->out = value;
			break;
		case 3:
			o->reps = value;
			break;
		case 4:
			o->warmup = value;
			break;
		case 5:
		case 6:
			if (zc_parse_count(value, k == 5 ? 1 : 0, 10000, &n, &why) != 0) {
				fprintf(stderr, "zcbench: %s '%s' %s (valid: %d to 10000)\n", own[k], value, why,
					k == 5 ? 1 : 0);
				return 2;
			}
			if (k == 5)
				o->hf_runs = (unsigned long)n;
			else
				o->hf_warmup = (unsigned long)n;
			break;
		}
	}
	return 0;
}

static bool interrupted_status(int status)
{
	return status == 130 || status == 128 + SIGINT || status == 128 + SIGTERM;
}

/* This invocation's temp files, for the second SIGINT/SIGTERM, which exits
 * at once (zc_signals_on_exit): the process has one such set at a time. */
static char tmp_dir[64], tmp_inproc[128], tmp_hfjson[128];

static void remove_temp_files(void)
{
	if (tmp_dir[0]) {
		unlink(tmp_inproc);
		unlink(tmp_hfjson);
		rmdir(tmp_dir);
	}
}

struct job {
	char self[4096], hyperfine[4096], tmp[64];
	const struct hf_opts *o;
	json_t *doc, *results;
	int failed;
	int out_fd; /* where the children's output goes: 1, or 2 when the JSON goes to standard output */
};

/* zcbench run ... for one cell: in-process (with --out) or whole-process. */
static size_t run_argv(const struct job *j, const char *s, const char *w, bool whole, const char *out, char **argv)
{
	size_t n = 0;
	argv[n++] = (char *)j->self;
	argv[n++] = "run";
	argv[n++] = "--strategy";
	argv[n++] = (char *)s;
	argv[n++] = "--workload";
	argv[n++] = (char *)w;
	for (size_t i = 0; i < j->o->npass; i++)
		argv[n++] = (char *)j->o->pass[i];
	if (whole) {
		argv[n++] = "--reps";
		argv[n++] = "1";
		argv[n++] = "--warmup";
		argv[n++] = "0";
	} else {
		if (j->o->reps) {
			argv[n++] = "--reps";
			argv[n++] = (char *)j->o->reps;
		}
		if (j->o->warmup) {
			argv[n++] = "--warmup";
			argv[n++] = (char *)j->o->warmup;
		}
		argv[n++] = "--out";
		argv[n++] = (char *)out;
	}
	argv[n] = NULL;
	return n;
}

/* One cell, its files named. Same return convention. */
static int one_cell_files(struct job *j, const struct zc_strategy *s, const struct zc_workload *w, char *inproc,
			  char *hfjson)
{
	char err[1024];
	char *argv[MAX_ARGS + 16];
	if (zc_interrupted())
		return 130;
	run_argv(j, s->name, w->name, false, inproc, argv);
	fflush(stdout);
	struct zc_spawn how = {.stdout_fd = j->out_fd};
	int status;
	if (zc_spawn_wait(j->self, argv, &how, &status, err, sizeof err) != 0) {
		if (zc_interrupted())
			return 130;
		fprintf(stderr, "zcbench: %s\n", err);
		j->failed = 1;
		return 0;
	}
	if (status == 2)
		return 2; /* zcbench run has said what was wrong with the options */
	if (interrupted_status(status) || zc_interrupted()) {
		/* The run stopped early: its file is marked interrupted. Its
		 * document frames the result file when no cell finished. */
		if (!j->doc) {
			json_error_t je;
			j->doc = json_load_file(inproc, 0, &je);
		}
		return 130;
	}
	json_error_t je;
	json_t *doc = json_load_file(inproc, 0, &je);
	json_t *cell = json_array_get(json_object_get(doc, "results"), 0);
	if (!json_is_object(cell)) {
		fprintf(stderr, "zcbench: %s on %s: the in-process run wrote no result (exit status %d)\n", s->name,
			w->name, status);
		json_decref(doc);
		j->failed = 1;
		return 0;
	}
	json_incref(cell);
	if (!j->doc) {
		/* The document around the cells: the first in-process file's. */
		j->doc = doc;
		json_incref(doc);
	}
	json_decref(doc);
	const char *st = json_string_value(json_object_get(cell, "status"));

	char *wargv[MAX_ARGS + 16];
	run_argv(j, s->name, w->name, true, NULL, wargv);
	struct zc_sbuf cmd;
	zc_sb_init(&cmd);
	zc_sb_shell_join(&cmd, wargv);
	if (cmd.oom) {
		fprintf(stderr, "zcbench: out of memory\n");
		json_decref(cell);
		return 1;
	}
	json_t *hf = NULL;
	if (zc_interrupted()) {
		json_decref(cell);
		zc_sb_free(&cmd);
		return 130;
	}
	if (!st || strcmp(st, "ok") != 0) {
		hf = zc_hyperfine_not_timed("skipped", "the in-process run did not succeed", cmd.s, wargv);
		j->failed |= st && strcmp(st, "failed") == 0;
	} else {
		char runs[24], warm[24], name[256];
		snprintf(runs, sizeof runs, "%lu", j->o->hf_runs);
		snprintf(warm, sizeof warm, "%lu", j->o->hf_warmup);
		snprintf(name, sizeof name, "%s on %s", s->name, w->name);
		char *hargv[] = {
			j->hyperfine, "--shell=none",  "--style", "basic",	    "--warmup", warm,  "--runs",
			runs,	      "--export-json", hfjson,	  "--command-name", name,	cmd.s, NULL};
		struct zc_sbuf herr;
		zc_sb_init(&herr);
		struct zc_spawn hhow = {.stdout_fd = j->out_fd, .err = &herr};
		fflush(stdout);
		int hst;
		int src = zc_spawn_wait(j->hyperfine, hargv, &hhow, &hst, err, sizeof err);
		if (src != 0 && zc_interrupted()) {
			zc_sb_free(&herr);
			zc_sb_free(&cmd);
			json_decref(cell);
			return 130;
		}
		if (src != 0) {
			hf = zc_hyperfine_not_timed("failed", err, cmd.s, wargv);
			j->failed = 1;
		} else {
			if (herr.len)
				fputs(herr.s, stderr);
			if (interrupted_status(hst) || zc_interrupted()) {
				zc_sb_free(&herr);
				zc_sb_free(&cmd);
				json_decref(cell);
				return 130;
			}
			if (hst != 0) {
				char line[512];
				zc_first_line(herr.s ? herr.s : "", line, sizeof line);
				snprintf(err, sizeof err, "hyperfine exited with status %d: %s", hst,
					 line[0] ? line : "no message");
				hf = zc_hyperfine_not_timed("failed", err, cmd.s, wargv);
				j->failed = 1;
			} else {
				const json_t *size = json_object_get(json_object_get(cell, "params"), "size_bytes");
				hf = zc_hyperfine_import_file(hfjson,
							      json_is_number(size) ? json_number_value(size) : 0, cmd.s,
							      wargv, err, sizeof err);
				if (!hf) {
					hf = zc_hyperfine_not_timed("failed", err, cmd.s, wargv);
					j->failed = 1;
				}
			}
		}
		zc_sb_free(&herr);
	}
	json_object_set_new(cell, "hyperfine", hf);
	json_array_append_new(j->results, cell);
	zc_sb_free(&cmd);
	return 0;
}

/* One cell. Returns 0 to go on, 2 for bad input, 130 when interrupted. */
static int one_cell(struct job *j, size_t idx, const struct zc_strategy *s, const struct zc_workload *w)
{
	char *inproc = tmp_inproc, *hfjson = tmp_hfjson;
	snprintf(inproc, sizeof tmp_inproc, "%s/cell-%zu.json", j->tmp, idx);
	snprintf(hfjson, sizeof tmp_hfjson, "%s/hyperfine-%zu.json", j->tmp, idx);
	int rc = one_cell_files(j, s, w, inproc, hfjson);
	unlink(inproc);
	unlink(hfjson);
	return rc;
}

static void print_table(FILE *f, const json_t *results)
{
	fprintf(f, "\n%-16s %-10s %12s %14s %12s  %s\n", "strategy", "workload", "in-process", "whole process",
		"median", "");
	fprintf(f, "%-16s %-10s %12s %14s %12s\n", "", "", "GB/s", "GB/s", "ms");
	for (size_t i = 0; i < json_array_size(results); i++) {
		const json_t *c = json_array_get(results, i);
		const json_t *hf = json_object_get(c, "hyperfine");
		const char *s = json_string_value(json_object_get(c, "strategy"));
		const char *w = json_string_value(json_object_get(c, "workload"));
		const json_t *in =
			json_object_get(json_object_get(json_object_get(c, "summary"), "throughput_bps"), "median");
		const json_t *whole = json_object_get(json_object_get(hf, "throughput_bps"), "median");
		const json_t *med = json_object_get(hf, "median_ns");
		fprintf(f, "%-16s %-10s ", s ? s : "?", w ? w : "?");
		if (json_is_number(in))
			fprintf(f, "%12.2f ", json_number_value(in) / 1e9);
		else
			fprintf(f, "%12s ", "-");
		if (json_is_number(whole) && json_is_integer(med))
			fprintf(f, "%14.2f %12.1f\n", json_number_value(whole) / 1e9,
				(double)json_integer_value(med) / 1e6);
		else {
			const char *why = json_string_value(json_object_get(hf, "reason"));
			fprintf(f, "%14s %12s  %s\n", "-", "-", why ? why : "");
		}
	}
}

static const char *strategy_name(size_t i)
{
	return zc_strategies[i]->name;
}

static const char *workload_name(size_t i)
{
	return zc_workloads[i]->name;
}

static void list_names(char *buf, size_t len, size_t n, const char *(*name)(size_t))
{
	buf[0] = 0;
	for (size_t i = 0; i < n; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "", name(i));
}

/* want[i] for each name in list ("a,b", "all" or NULL for all). Returns 0,
 * -1 with the first unknown name in bad, or -2 with what is wrong with the
 * list (an empty item) in bad. */
static int choose(const char *list, bool *want, size_t n, const char *(*name)(size_t), char *bad, size_t bad_len)
{
	bool all = !list || strcmp(list, "all") == 0;
	for (size_t i = 0; i < n; i++)
		want[i] = all;
	if (all)
		return 0;
	char *items[64], *storage;
	const char *why;
	long nitems = zc_parse_list(list, items, 64, &storage, &why);
	if (nitems < 0) {
		snprintf(bad, bad_len, "%s", why);
		return -2;
	}
	int rc = 0;
	for (long k = 0; k < nitems && rc == 0; k++) {
		size_t i = 0;
		while (i < n && strcmp(name(i), items[k]) != 0)
			i++;
		if (i == n) {
			snprintf(bad, bad_len, "%s", items[k]);
			rc = -1;
		} else {
			want[i] = true;
		}
	}
	free(storage);
	return rc;
}

int zc_cmd_hyperfine(int argc, char **argv)
{
	struct hf_opts o;
	int prc = parse(argc, argv, &o);
	if (prc == 1) {
		fputs(hyperfine_help, stdout);
		return 0;
	}
	if (prc == 3) {
		zc_print_version();
		return 0;
	}
	if (prc != 0)
		return prc;
	/* Which cells: comma-separated lists, or all. */
	bool want_s[zc_strategy_count + 1], want_w[zc_workload_count + 1];
	char bad[128];
	static const char *const list_opts[] = {"--strategy", "--workload"};
	for (int k = 0; k < 2; k++) {
		const char *list = k ? o.workload : o.strategy;
		size_t n = k ? zc_workload_count : zc_strategy_count;
		const char *(*name)(size_t) = k ? workload_name : strategy_name;
		int crc = choose(list, k ? want_w : want_s, n, name, bad, sizeof bad);
		if (crc == -2) {
			fprintf(stderr, "zcbench: %s '%s' %s\n", list_opts[k], list, bad);
			return 2;
		}
		if (crc != 0) {
			char names[1024];
			list_names(names, sizeof names, n, name);
			return usage(k ? "unknown workload '%s' (valid: all, %s)"
				       : "unknown strategy '%s' (valid: all, %s)",
				     bad, names);
		}
	}
	size_t ncells = 0;
	for (size_t wi = 0; wi < zc_workload_count; wi++)
		for (size_t si = 0; si < zc_strategy_count; si++)
			ncells += want_w[wi] && want_s[si] && !zc_cell_unsupported(zc_strategies[si], zc_workloads[wi]);
	if (ncells == 0)
		return usage("no chosen strategy supports a chosen workload (%s; see zcbench list)%s",
			     o.strategy ? o.strategy : "all", "");

	/* The output path first: bad input is exit 2 before anything else. */
	char out[4096], err[1024], started[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (o.out) {
		snprintf(out, sizeof out, "%s", o.out);
	} else {
		char rel[128], stamp[32];
		zc_kernel_release(rel, sizeof rel);
		strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
		int e = zc_mkdirs("results");
		if (e) {
			fprintf(stderr, "zcbench: cannot create results: %s\n", strerror(e));
			return 2;
		}
		snprintf(out, sizeof out, "results/zcbench-hyperfine-%s-%s.json", stamp, rel);
	}
	if (strcmp(out, "-") != 0 && zc_check_writable(out, err, sizeof err) != 0) {
		fprintf(stderr, "zcbench: --out: %s\n", err);
		return 2;
	}
	struct job j;
	memset(&j, 0, sizeof j);
	j.o = &o;
	if (!zc_find_program("hyperfine", j.hyperfine, sizeof j.hyperfine)) {
		fputs("zcbench: hyperfine not found in PATH: install the Debian package hyperfine (apt-get install "
		      "hyperfine)\n",
		      stderr);
		return 1;
	}
	if (zc_self_exe(j.self, sizeof j.self) != 0) {
		fprintf(stderr, "zcbench: cannot find this program's own path (/proc/self/exe): %s\n", strerror(errno));
		return 1;
	}
	j.out_fd = strcmp(out, "-") == 0 ? 2 : 1;
	const char *tmpdir = getenv("TMPDIR");
	snprintf(j.tmp, sizeof j.tmp, "%s/zcbench-hf-XXXXXX", tmpdir && strlen(tmpdir) < 40 ? tmpdir : "/tmp");
	if (!mkdtemp(j.tmp)) {
		fprintf(stderr, "zcbench: cannot create a temporary directory %s: %s\n", j.tmp, strerror(errno));
		return 1;
	}
	snprintf(tmp_dir, sizeof tmp_dir, "%s", j.tmp);
	zc_signals_on_exit(remove_temp_files);
	/* Asked first: once interrupted, nothing is started any more. */
	struct zc_sbuf ver;
	zc_sb_init(&ver);
	char *vargv[] = {j.hyperfine, "--version", NULL};
	struct zc_spawn vhow = {.out = &ver, .stderr_to_null = true};
	int vst;
	char version[64] = "";
	if (zc_spawn_wait(j.hyperfine, vargv, &vhow, &vst, err, sizeof err) == 0 && vst == 0 && ver.s) {
		char line[128];
		zc_first_line(ver.s, line, sizeof line);
		const char *sp = strrchr(line, ' ');
		snprintf(version, sizeof version, "%s", sp ? sp + 1 : line);
	}
	zc_sb_free(&ver);
	j.results = json_array();
	int rc = 0;
	size_t idx = 0;
	for (size_t wi = 0; wi < zc_workload_count && rc == 0; wi++) {
		const struct zc_workload *w = zc_workloads[wi];
		if (!want_w[wi])
			continue;
		for (size_t si = 0; si < zc_strategy_count && rc == 0; si++) {
			const struct zc_strategy *s = zc_strategies[si];
			if (!want_s[si] || zc_cell_unsupported(s, w))
				continue;
			rc = zc_interrupted() ? 130 : one_cell(&j, idx++, s, w);
		}
	}
	if (rc == 0 && zc_interrupted())
		rc = 130; /* after the last cell: the file still says so */
	rmdir(j.tmp);	  /* empty unless a cell left a file behind */
	tmp_dir[0] = 0;
	if (rc == 2 || rc == 1) {
		json_decref(j.results);
		json_decref(j.doc);
		return rc;
	}
	if (!j.doc && rc == 130) {
		/* Interrupted before any run could write its file: the document
		 * around no cells, no probe having run. */
		struct zc_probes *none = zc_probes_open(false);
		j.doc = zc_result_doc(argc, argv, started, none);
		zc_probes_close(none);
	}
	if (!j.doc) {
		fputs("zcbench: no cell was measured\n", stderr);
		json_decref(j.results);
		return 1;
	}
	/* The result file: the in-process document with these cells, this
	 * command line and what hyperfine did. */
	json_t *cmd = json_array();
	json_array_append_new(cmd, json_string(j.self));
	for (int i = 0; i < argc; i++)
		json_array_append_new(cmd, json_string(argv[i]));
	json_object_set_new(j.doc, "command", cmd);
	json_object_set_new(j.doc, "started_at", json_string(started));
	json_object_set_new(j.doc, "interrupted", json_boolean(rc == 130));
	json_object_set_new(
		j.doc, "hyperfine",
		json_pack("{s:s,s:I,s:I,s:s,s:s}", "version", version, "runs", (json_int_t)o.hf_runs, "warmup",
			  (json_int_t)o.hf_warmup, "shell", "none", "whole_process",
			  "zcbench run with the cell's options and --reps 1 --warmup 0: start-up, set-up, one "
			  "verified copy and exit"));
	json_object_set_new(j.doc, "results", j.results);
	print_table(strcmp(out, "-") == 0 ? stderr : stdout, j.results);
	if (zc_write_json_atomic(j.doc, out, err, sizeof err) != 0) {
		fprintf(stderr, "zcbench: %s\n", err);
		json_decref(j.doc);
		return 1;
	}
	if (strcmp(out, "-") != 0)
		fprintf(stderr, "zcbench: results written to %s (zcbench report %s draws them)\n", out, out);
	json_decref(j.doc);
	if (rc == 130) {
		fputs("zcbench: interrupted; results so far are marked \"interrupted\": true\n", stderr);
		return 130;
	}
	return j.failed ? 1 : 0;
}
