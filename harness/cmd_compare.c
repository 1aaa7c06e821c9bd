/* zcbench compare: the command line. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "options.h"
#include "compare/compare.h"

#define EXIT_USAGE 2

static const char compare_help[] = "usage: zcbench compare BASE.json NEW.json [MORE.json ...] [options]\n"
				   "\n"
				   "Matches the cells of result files by strategy, workload and params and, for\n"
				   "each cell and metric, prints the base and new medians, the relative change\n"
				   "and a verdict. Timings are judged after the machine's drift between the files\n"
				   "is removed: each run is divided by the baseline strategy's run of the same\n"
				   "round in the same file. The baseline's own cells, and cells whose partner\n"
				   "moved or is missing, are judged raw. Every test of a column (Welch's t-test\n"
				   "over the measured runs, on logarithms for timings) is adjusted with\n"
				   "Benjamini-Hochberg; a regression is worse by more than the minimum effect\n"
				   "with an adjusted p <= alpha. A count\n"
				   "that does not depend on timing and is the same in every run on both sides is\n"
				   "judged exactly, when it moved by at least --min-count-diff per run. With more\n"
				   "than two files: a matrix, one column per file labelled by kernel release,\n"
				   "each relative to the first.\n"
				   "\n"
				   "  --metric LIST         comma-separated metrics (default: throughput,\n"
				   "                        cpu_ns_per_gib, syscalls_per_gib,\n"
				   "                        context_switches_per_gib, bytes_to_user_per_gib,\n"
				   "                        bytes_from_user_per_gib, bytes_in_kernel_per_gib);\n"
				   "                        also user_ns_per_gib, sys_ns_per_gib,\n"
				   "                        off_cpu_ns_per_gib, perf.NAME (a perf counter per\n"
				   "                        GiB), all\n"
				   "  --threshold PCT       minimum effect size, in percent (default 10%;\n"
				   "                        0 to 1000)\n"
				   "  --alpha A             significance level on adjusted p-values, 0 < A < 1\n"
				   "                        (default 0.05)\n"
				   "  --drift REF           what timings are taken relative to: baseline\n"
				   "                        (default), memcpy (host.calibration) or none\n"
				   "  --baseline S          the strategy --drift baseline divides by (default\n"
				   "                        readwrite)\n"
				   "  --min-count-diff N    smallest change of a count per run that counts,\n"
				   "                        in events (pages of 4096 for byte counts), 0 to\n"
				   "                        1e12 (default 16)\n"
				   "  --max-drift X         machine speed ratio between files beyond which\n"
				   "                        timings are not comparable: the baseline strategy's\n"
				   "                        median and memcpy must both pass it (either alone\n"
				   "                        where one is missing), 1 to 1000 (default 1.5)\n"
				   "  --format F            text (default), markdown or json\n"
				   "  --timing              compare timing metrics even when a file ran under\n"
				   "                        emulation (host.emulated); left out by default\n"
				   "  --fail-on-regression  exit 1 when any regression is found\n"
				   "  -h, --help            this text\n"
				   "  --version             the version\n"
				   "\n"
				   "Exit status: 0, or 1 with --fail-on-regression and a regression, or when the\n"
				   "comparison cannot be written to standard output; 2 for bad input (options,\n"
				   "unreadable, malformed or non-regular files).\n";

#define ZC_COMPARE_FREE_MAX_CELLS 10000

/* Whether this build runs under AddressSanitizer (GCC and clang). */
static bool sanitized(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	return true;
#endif
#endif
	return false;
}

/* The comparison's head: its warnings on stderr (escaped), then the
 * report's start. */
static void print_head(void *arg, json_t *doc)
{
	const json_t *warnings = json_object_get(doc, "warnings");
	for (size_t i = 0; i < json_array_size(warnings); i++) {
		fputs("zcbench compare: warning: ", stderr);
		zc_compare_put_safe(stderr, json_string_value(json_array_get(warnings, i)));
		fputc('\n', stderr);
	}
	zc_compare_printer_head(arg, doc);
}

static void print_cell(void *arg, json_t *cell)
{
	zc_compare_printer_cell(arg, cell);
}

static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("zcbench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return EXIT_USAGE;
}

static int parse_number(const char *s, bool percent_ok, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno != 0 || !isfinite(v))
		return -1;
	if (percent_ok && *end == '%')
		end++;
	if (*end)
		return -1;
	*out = v;
	return 0;
}

/* Append the metrics of a comma-separated list. Returns 0, or 2 after the
 * message. */
static int add_metrics(struct zc_cmp_opts *o, const char *list)
{
	/* The shared list parser: an empty item ("throughput,") is bad input
	 * here as in every other list. */
	char *items[64], *storage;
	const char *why;
	long nitems = zc_parse_list(list, items, 64, &storage, &why);
	if (nitems < 0)
		return usage("--metric '%s' %s (valid: %s)", list, why, zc_metric_valid_names());
	int rc = 0;
	for (long t = 0; t < nitems && rc == 0; t++) {
		const char *tok = items[t];
		struct zc_metric all[16];
		size_t nall = 1;
		if (strcmp(tok, "all") == 0) {
			nall = zc_metric_all(all);
		} else if (zc_metric_parse(tok, &all[0]) != 0) {
			rc = usage("--metric '%s' is not a metric (valid: %s)", tok, zc_metric_valid_names());
			break;
		}
		for (size_t i = 0; i < nall && rc == 0; i++) {
			bool dup = false;
			for (size_t k = 0; k < o->nmetrics; k++)
				dup |= strcmp(o->metrics[k].name, all[i].name) == 0;
			if (dup)
				continue;
			if (o->nmetrics == sizeof o->metrics / sizeof o->metrics[0])
				rc = usage("--metric: too many metrics (at most %zu)",
					   sizeof o->metrics / sizeof o->metrics[0]);
			else
				o->metrics[o->nmetrics++] = all[i];
		}
	}
	free(storage);
	return rc;
}

enum {
	OPT_METRIC = 256,
	OPT_THRESHOLD,
	OPT_ALPHA,
	OPT_FORMAT,
	OPT_TIMING,
	OPT_FAIL,
	OPT_HELP,
	OPT_DRIFT,
	OPT_BASELINE,
	OPT_MIN_COUNT_DIFF,
	OPT_MAX_DRIFT,
	OPT_VERSION,
};

int zc_cmd_compare(int argc, char **argv)
{
	static const struct option longopts[] = {{"metric", required_argument, 0, OPT_METRIC},
						 {"threshold", required_argument, 0, OPT_THRESHOLD},
						 {"alpha", required_argument, 0, OPT_ALPHA},
						 {"format", required_argument, 0, OPT_FORMAT},
						 {"timing", no_argument, 0, OPT_TIMING},
						 {"fail-on-regression", no_argument, 0, OPT_FAIL},
						 {"help", no_argument, 0, OPT_HELP},
						 {"version", no_argument, 0, OPT_VERSION},
						 {"drift", required_argument, 0, OPT_DRIFT},
						 {"baseline", required_argument, 0, OPT_BASELINE},
						 {"min-count-diff", required_argument, 0, OPT_MIN_COUNT_DIFF},
						 {"max-drift", required_argument, 0, OPT_MAX_DRIFT},
						 {0, 0, 0, 0}};
	static const char *const formats[] = {"text", "markdown", "json"};
	struct zc_cmp_opts *o = calloc(1, sizeof *o);
	if (!o) {
		fputs("zcbench: out of memory\n", stderr);
		return 1;
	}
	zc_cmp_opts_defaults(o);
	o->nmetrics = 0; /* the defaults again below unless --metric */
	int format = 0, rc;
	bool fail_on_regression = false;
	zc_options_exact("compare", argc, argv, longopts);
	opterr = 0;
	optind = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		double v;
		switch (opt) {
		case OPT_METRIC:
			if ((rc = add_metrics(o, optarg)) != 0)
				goto out;
			o->metrics_chosen = true;
			break;
		case OPT_THRESHOLD:
			if (parse_number(optarg, true, &v) != 0 || v < 0 || v > 1000) {
				rc = usage("--threshold '%s' is not a percentage (valid: a number from 0 to 1000, "
					   "optionally with %%, e.g. 5%%)",
					   optarg);
				goto out;
			}
			o->threshold = v / 100;
			break;
		case OPT_ALPHA:
			if (parse_number(optarg, false, &v) != 0 || !(v > 0 && v < 1)) {
				rc = usage("--alpha '%s' is not a significance level (valid: a number between 0 and "
					   "1, e.g. 0.05)",
					   optarg);
				goto out;
			}
			o->alpha = v;
			break;
		case OPT_FORMAT: {
			int found = -1;
			for (int i = 0; i < 3; i++)
				if (strcmp(optarg, formats[i]) == 0)
					found = i;
			if (found < 0) {
				rc = usage("--format '%s' is not a valid choice (valid: text, markdown, json)", optarg);
				goto out;
			}
			format = found;
			break;
		}
		case OPT_DRIFT:
			if (strcmp(optarg, "baseline") == 0)
				o->drift = ZC_DRIFT_BASELINE;
			else if (strcmp(optarg, "memcpy") == 0)
				o->drift = ZC_DRIFT_MEMCPY;
			else if (strcmp(optarg, "none") == 0)
				o->drift = ZC_DRIFT_NONE;
			else {
				rc = usage("--drift '%s' is not a valid choice (valid: baseline, memcpy, none)",
					   optarg);
				goto out;
			}
			break;
		case OPT_BASELINE:
			if (!*optarg || strlen(optarg) >= sizeof o->baseline) {
				rc = usage("--baseline '%s' is not a strategy name (valid: a name from zcbench list, "
					   "e.g. readwrite)",
					   optarg);
				goto out;
			}
			snprintf(o->baseline, sizeof o->baseline, "%s", optarg);
			break;
		case OPT_MIN_COUNT_DIFF:
			if (parse_number(optarg, false, &v) != 0 || v < 0 || v > 1e12) {
				rc = usage("--min-count-diff '%s' is not a count (valid: a number from 0 to 1e12, e.g. "
					   "16)",
					   optarg);
				goto out;
			}
			o->min_count_diff = v;
			break;
		case OPT_MAX_DRIFT:
			if (parse_number(optarg, false, &v) != 0 || v < 1 || v > 1000) {
				rc = usage(
					"--max-drift '%s' is not a speed ratio (valid: a number from 1 to 1000, e.g. "
					"1.5)",
					optarg);
				goto out;
			}
			o->max_drift = v;
			break;
		case OPT_TIMING:
			o->timing = true;
			break;
		case OPT_FAIL:
			fail_on_regression = true;
			break;
		case OPT_HELP:
		case 'h':
			fputs(compare_help, stdout);
			rc = 0;
			goto out;
		case OPT_VERSION:
			zc_print_version();
			rc = 0;
			goto out;
		default:
			rc = usage("unknown or incomplete option '%s' for compare (see zcbench compare --help)",
				   argv[optind - 1]);
			goto out;
		}
	}
	size_t nfiles = (size_t)(argc - optind);
	if (nfiles < 2) {
		rc = usage("compare needs at least two result files, BASE.json and NEW.json (got %zu; see zcbench "
			   "compare --help)",
			   nfiles);
		goto out;
	}
	if (nfiles > ZC_COMPARE_MAX_FILES) {
		rc = usage("compare takes at most %d result files (got %zu)", ZC_COMPARE_MAX_FILES, nfiles);
		goto out;
	}
	if (!o->metrics_chosen)
		o->nmetrics = zc_metric_defaults(o->metrics);

	struct zc_cmp_file files[ZC_COMPARE_MAX_FILES];
	size_t loaded = 0;
	rc = 0;
	for (size_t f = 0; f < nfiles; f++) {
		char err[1024];
		if (zc_cmp_load(argv[optind + (int)f], &files[f], err, sizeof err) != 0) {
			/* The path and the parser's text are the user's: escaped. */
			fputs("zcbench: ", stderr);
			zc_compare_put_safe(stderr, err);
			fputc('\n', stderr);
			rc = EXIT_USAGE;
			break;
		}
		loaded++;
	}
	if (rc == 0) {
		zc_cmp_labels_unique(files, nfiles);
		/* Written as it is made: a cell's entry is printed and dropped,
		 * so 100,000 cells never make one document in memory. */
		struct zc_cmp_printer *printer = zc_compare_printer_new(stdout, (enum zc_cmp_format)format);
		struct zc_cmp_sink sink = {print_head, print_cell, printer};
		json_t *cmp = zc_compare_stream(files, nfiles, o, &sink);
		zc_compare_printer_end(printer, cmp);
		/* A comparison that cannot be written is an output failure (exit
		 * 1), found and told where every command's output is: main. */
		if (fail_on_regression && json_array_size(json_object_get(cmp, "regressions")))
			rc = 1;
		/* Freeing the result files' millions of small objects takes about
		 * as long as reading them, and the process ends right after:
		 * large comparisons are left to the exit (main still checks the
		 * output), except under AddressSanitizer, whose leak check must
		 * stay meaningful. */
		size_t cells = (size_t)json_integer_value(json_object_get(json_object_get(cmp, "summary"), "cells"));
		json_decref(cmp);
		if (cells >= ZC_COMPARE_FREE_MAX_CELLS && !sanitized())
			goto out;
	}
	for (size_t f = 0; f < loaded; f++)
		json_decref(files[f].doc);
out:
	free(o);
	return rc;
}
