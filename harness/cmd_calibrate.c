/* zcbench calibrate: measure the machine's ceilings and print them, or write
 * them as JSON (the object `zcbench all` stores as host.calibration). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "calibrate.h"
#include "commands.h"
#include "options.h"
#include "signals.h"
#include "result_json.h"

static const char calibrate_help[] = "usage: zcbench calibrate [--out FILE]\n"
				     "\n"
				     "Measures the machine's ceilings in about a second: single-core memcpy\n"
				     "bandwidth (64 MiB pre-faulted buffers), the round trip of a trivial syscall\n"
				     "(getppid), and pipe throughput with plain write/read (1 MiB chunks through a\n"
				     "1 MiB pipe between two processes, placed by the scheduler). Each figure is\n"
				     "the median of its timed trials, taken after an untimed one. Prints a table.\n"
				     "zcbench all stores the same figures in its result file (host.calibration);\n"
				     "the report relates every cell to them.\n"
				     "\n"
				     "  --out FILE    also write the calibration object as JSON to FILE ('-' for\n"
				     "                standard output, the table then goes to standard error); the\n"
				     "                keys are those of host.calibration in results/SCHEMA.md\n"
				     "  -h, --help    this text\n"
				     "  --version     the version\n"
				     "\n"
				     "SIGINT or SIGTERM stops it after the trial under way: the figures not measured\n"
				     "are null, the object says \"interrupted\": true and the exit status is 130.\n";

int zc_cmd_calibrate(int argc, char **argv)
{
	static const struct option longopts[] = {{"out", required_argument, 0, 'o'},
						 {"help", no_argument, 0, 'h'},
						 {"version", no_argument, 0, 'V'},
						 {0, 0, 0, 0}};
	const char *out = NULL;
	zc_options_exact("calibrate", argc, argv, longopts);
	opterr = 0;
	optind = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			out = optarg;
			break;
		case 'h':
			fputs(calibrate_help, stdout);
			return 0;
		case 'V':
			zc_print_version();
			return 0;
		default:
			fprintf(stderr,
				"zcbench: unknown or incomplete option '%s' for calibrate (see zcbench calibrate "
				"--help)\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "zcbench: calibrate: unexpected argument '%s' (see zcbench calibrate --help)\n",
			argv[optind]);
		return 2;
	}
	char err[512];
	if (out && zc_check_writable(out, err, sizeof err) != 0) {
		fprintf(stderr, "zcbench: --out: %s\n", err);
		return 2;
	}
	fputs("zcbench: calibrating (memcpy, syscall, pipe)\n", stderr);
	json_t *cal = zc_calibrate_measure();
	if (!cal) {
		fputs("zcbench: out of memory\n", stderr);
		return 1;
	}
	/* A signal after the last trial still makes an interrupted run. */
	bool interrupted = zc_interrupted();
	json_object_set_new(cal, "interrupted", json_boolean(interrupted));
	zc_calibrate_print(out && strcmp(out, "-") == 0 ? stderr : stdout, cal);
	int rc = 0;
	if (out) {
		if (zc_write_json_atomic(cal, out, err, sizeof err) != 0) {
			fprintf(stderr, "zcbench: %s\n", err);
			rc = 1;
		} else if (strcmp(out, "-") != 0) {
			fprintf(stderr, "zcbench: calibration written to %s\n", out);
		}
	}
	json_decref(cal);
	if (interrupted) {
		fputs("zcbench: interrupted; the figures not measured are null and the object says \"interrupted\": "
		      "true\n",
		      stderr);
		return 130;
	}
	return rc;
}
