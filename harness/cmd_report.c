/* zcbench report RESULT.json... [--out DIR] [--plots DIR] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "options.h"
#include "signals.h"
#include "report/report.h"
#include "safe_file.h"

static const char report_help[] = "usage: zcbench report RESULT.json... [--out DIR] [--plots DIR]\n"
				  "\n"
				  "Turns result files into a report: index.html (the machines and probes, a\n"
				  "summary table per workload, every figure, skipped and failed cells with their\n"
				  "reasons), summary.md (the tables for CI summaries and pull requests), one PNG\n"
				  "and one SVG per figure, data/ (the figures' data, extracted from the JSON,\n"
				  "and render.sh, which redraws them) and plots/ (the gnuplot scripts used).\n"
				  "Several files (from different kernels, say) share the figures, grouped by\n"
				  "file and labelled by kernel release.\n"
				  "\n"
				  "  --out DIR      where the report goes (default, for one file results/X.json:\n"
				  "                 results/X-report; required for several files)\n"
				  "  --plots DIR    the gnuplot scripts (default: $ZCBENCH_PLOTS_DIR, else the\n"
				  "                 source tree's plots/)\n"
				  "  -h, --help     this text\n"
				  "  --version      the version\n"
				  "\n"
				  "Needs gnuplot (Debian package gnuplot-nox). Exit status: 0 done, 1 could\n"
				  "not render or write (gnuplot missing, say), 2 bad input (a file missing,\n"
				  "not JSON, or not a zcbench result file), 130 interrupted (SIGINT or\n"
				  "SIGTERM: gnuplot is stopped, the report is left incomplete).\n";

int zc_cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {{"out", required_argument, 0, 'o'},
						 {"plots", required_argument, 0, 'p'},
						 {"help", no_argument, 0, 'h'},
						 {"version", no_argument, 0, 'V'},
						 {0, 0, 0, 0}};
	const char *out = NULL, *plots = NULL;
	zc_options_exact("report", argc, argv, longopts);
	opterr = 0;
	optind = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			out = optarg;
			break;
		case 'p':
			plots = optarg;
			break;
		case 'h':
			fputs(report_help, stdout);
			return 0;
		case 'V':
			zc_print_version();
			return 0;
		default:
			fprintf(stderr,
				"zcbench: unknown or incomplete option '%s' for report (see zcbench report --help)\n",
				argv[optind - 1]);
			return 2;
		}
	}
	size_t nfiles = (size_t)(argc - optind);
	if (nfiles == 0) {
		fputs("zcbench: report needs one or more result files (see zcbench report --help)\n", stderr);
		return 2;
	}
	if (nfiles > 1 && !out) {
		fputs("zcbench: report of several files needs --out DIR\n", stderr);
		return 2;
	}
	char dir[4096], err[1024];
	if (!out) {
		zc_report_dir_for(argv[optind], dir, sizeof dir);
		out = dir;
	}
	if (zc_out_dir_check(out, err, sizeof err) != 0) {
		fprintf(stderr, "zcbench: --out: %s\n", err);
		return 2;
	}
	struct zc_report_opts o = {
		.files = (const char *const *)argv + optind, .nfiles = nfiles, .out_dir = out, .plots_dir = plots};
	int rc = zc_report_run(&o, err, sizeof err);
	if (zc_interrupted()) {
		/* gnuplot had the signal passed on and stopped; no more is drawn. */
		fprintf(stderr, "zcbench: interrupted; the report in %s may be incomplete\n", out);
		return 130;
	}
	if (rc != ZC_REPORT_OK) {
		fprintf(stderr, "zcbench: %s\n", err);
		return rc == ZC_REPORT_BAD_INPUT ? 2 : 1;
	}
	printf("%s/index.html\n", out);
	fprintf(stderr, "zcbench: report written to %s (index.html, summary.md)\n", out);
	return 0;
}
