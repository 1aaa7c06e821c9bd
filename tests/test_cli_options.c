/* The command line's rules, for every command: option names exact (never a
 * prefix of another), -h, --help and --version everywhere, `zcbench help CMD`,
 * each numeric option's bounds in --help, empty list items refused, and an
 * output that cannot be written is exit 1 with the errno text, never 0 or 2.
 * Usage: test_cli_options ZCBENCH COMPARE_DATA_DIR */
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "run_cmd.h"

extern char **environ;

static const char *bin;
static struct cmd_result r;

static const char *const commands[] = {"list",	    "run",	 "all",	   "report", "compare",
				       "calibrate", "hyperfine", "doctor", "peer"};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* argv: bin, then args (NULL-ended). */
static void argv_of(char *const *args, char **argv)
{
	argv[0] = (char *)bin;
	size_t n = 1;
	for (; args[n - 1] && n < 31; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
}

/* bin with args; the result in r. */
static void run(char *const *args)
{
	char *argv[32];
	argv_of(args, argv);
	CHECK(run_cmd(argv, &r) == 0);
}

#define RUN(...) run((char *const[]){__VA_ARGS__, NULL})

/* Exit 2 and exactly one line on stderr that starts with want. */
static void expect_bad(const char *want, char *const *args)
{
	run(args);
	if (r.status != 2 || count_lines(r.err) != 1 || strncmp(r.err, want, strlen(want)) != 0) {
		fprintf(stderr, "for %s %s: status %d, stderr:\n%s--- wanted a line starting:\n%s\n", args[0],
			args[1] ? args[1] : "", r.status, r.err, want);
		check_failures++;
	}
}

#define BAD(want, ...) expect_bad(want, (char *const[]){__VA_ARGS__, NULL})

/* bin with args and standard output on /dev/full: the exit status, stderr in
 * r.err. */
static int run_to_full(char *const *args)
{
	char *argv[32];
	argv_of(args, argv);
	int e[2];
	CHECK(pipe(e) == 0);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/full", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, e[1], 2);
	posix_spawn_file_actions_addclose(&fa, e[0]);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	pid_t pid;
	int rc = posix_spawn(&pid, bin, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(e[1]);
	CHECK(rc == 0);
	size_t got = 0;
	ssize_t k;
	while ((k = read(e[0], r.err + got, sizeof r.err - 1 - got)) > 0)
		got += (size_t)k;
	r.err[got] = 0;
	close(e[0]);
	int st;
	if (rc != 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

#define TO_FULL(...) run_to_full((char *const[]){__VA_ARGS__, NULL})

static void expect_full(int status, const char *what)
{
	const char *want = "zcbench: cannot write to standard output: No space left on device\n";
	if (status != 1 || !strstr(r.err, want)) {
		fprintf(stderr, "%s >/dev/full: status %d (wanted 1), stderr:\n%s\n", what, status, r.err);
		check_failures++;
	}
}

static void help_and_version(void)
{
	char help[65536];
	for (size_t i = 0; i < NCOMMANDS; i++) {
		char *cmd = (char *)commands[i];
		char usage[64];
		snprintf(usage, sizeof usage, "usage: zcbench %s", cmd);
		RUN(cmd, "--help");
		CHECK(r.status == 0 && strncmp(r.out, usage, strlen(usage)) == 0 && r.err[0] == 0);
		snprintf(help, sizeof help, "%s", r.out);
		RUN(cmd, "-h");
		CHECK(r.status == 0 && strcmp(r.out, help) == 0);
		/* Anywhere among other options, too. */
		if (strcmp(cmd, "run") == 0 || strcmp(cmd, "report") == 0 || strcmp(cmd, "calibrate") == 0 ||
		    strcmp(cmd, "hyperfine") == 0) {
			RUN(cmd, "--out", "x.json", "-h");
			CHECK(r.status == 0 && strcmp(r.out, help) == 0);
		}
		RUN("help", cmd);
		if (r.status != 0 || strcmp(r.out, help) != 0) {
			fprintf(stderr, "zcbench help %s: status %d, not the same text as %s --help\n", cmd, r.status,
				cmd);
			check_failures++;
		}
		RUN(cmd, "--version");
		if (r.status != 0 || strcmp(r.out, "zcbench 0.1.0\n") != 0) {
			fprintf(stderr, "zcbench %s --version: status %d, stdout:\n%s\n", cmd, r.status, r.out);
			check_failures++;
		}
		/* Every command's help says how to ask for it. */
		CHECK(strstr(help, "-h, --help") != NULL);
		CHECK(strstr(help, "--version") != NULL);
	}
	RUN("help");
	CHECK(r.status == 0 && strstr(r.out, "Commands:") && strstr(r.out, "help CMD"));
	snprintf(help, sizeof help, "%s", r.out);
	RUN("--help");
	CHECK(r.status == 0 && strcmp(r.out, help) == 0);
	/* The general help states the exit statuses. */
	CHECK(strstr(help, "Exit status: 0 done; 1 a cell failed, or output could not be written; 2 bad") != NULL);
	CHECK(strstr(help, "130 interrupted") != NULL);
	RUN("--version");
	CHECK(r.status == 0 && strcmp(r.out, "zcbench 0.1.0\n") == 0);
	BAD("zcbench: unknown command 'nope' (valid: list, run, all, report, compare, calibrate, hyperfine, doctor, "
	    "peer; "
	    "see zcbench --help)",
	    "help", "nope");
	BAD("zcbench: help takes one command name (got 'all' after 'run')", "help", "run", "all");
}

/* Each numeric option's bounds are in --help. */
static void bounds_in_help(void)
{
	static const struct {
		const char *cmd, *text;
	} want[] = {
		{"run", "--reps N           exactly N measured rounds (--min-runs N --max-runs N;\n"
			"                     1 to 10000)"},
		{"run", "--min-runs N       measured rounds at least (default 5; 1 to 10000)"},
		{"run", "(default 1; 0 to 10000)"},
		{"run", "(at least 1)"},
		{"run", "all: the profile's;\n                     1 to 1G)"},
		{"run", "1 to 64)"},
		{"run", "(default 1; 1 to 100000)"},
		{"run", "(default 1M; 4K to 1G)"},
		{"run", "(default 4; 1 to 4096)"},
		{"run", "(default 8; 1 to 64)"},
		{"run", "(default 60; 1 to 86400)"},
		{"run", "1ms to 60s"},
		{"run", "(64 bytes to 1G)"},
		{"run", "(default 2s; more than 0)"},
		{"all", "--reps N           exactly N measured rounds (1 to 10000"},
		{"all", "(default 4; 1 to 4096)"},
		{"hyperfine", "1 to 10000)"},
		{"hyperfine", "(default 1; 0 to 10000)"},
		{"compare", "(default 10%;\n                        0 to 1000)"},
		{"compare", "0 < A < 1"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		RUN((char *)want[i].cmd, "--help");
		if (!strstr(r.out, want[i].text)) {
			fprintf(stderr, "zcbench %s --help lacks '%s'\n", want[i].cmd, want[i].text);
			check_failures++;
		}
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_cli_options ZCBENCH COMPARE_DATA_DIR\n");
		return 2;
	}
	bin = argv[1];
	char dir[] = "/tmp/zc-cliopt-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char out[300], outdir[300], cache[320], base[600], new[600];
	snprintf(out, sizeof out, "%s/x.json", dir);
	snprintf(outdir, sizeof outdir, "--out-dir=%s/d", dir);
	snprintf(cache, sizeof cache, "--cache-dir=%s/cache", dir);
	snprintf(base, sizeof base, "%s/base.json", argv[2]);
	snprintf(new, sizeof new, "%s/new.json", argv[2]);

	/* Exact names: a prefix of a longer option is not that option. */
	BAD("zcbench: unknown option '--out' for all (did you mean --out-dir? see zcbench all --help)", "all", "--out",
	    out, cache);
	struct stat st;
	CHECK(stat(out, &st) != 0); /* no directory x.json/ either */
	BAD("zcbench: unknown option '--timeo' for run (did you mean --timeout or --time? see zcbench run --help)",
	    "run", "--strategy", "readwrite", "--workload", "file-file", "--timeo", "10", cache);
	BAD("zcbench: unknown option '--str' for run (did you mean --strategy or --streams? see zcbench run --help)",
	    "run", "--str", "readwrite");
	BAD("zcbench: unknown option '--sizes' for run (did you mean --size? see zcbench run --help)", "run",
	    "--sizes=1M");
	BAD("zcbench: unknown option '--fail' for compare (did you mean --fail-on-regression? see zcbench compare "
	    "--help)",
	    "compare", base, new, "--fail");
	BAD("zcbench: unknown option '--o' for report (did you mean --out? see zcbench report --help)", "report", "--o",
	    dir, base);
	BAD("zcbench: unknown option '--ou' for calibrate (did you mean --out? see zcbench calibrate --help)",
	    "calibrate", "--ou", out);
	BAD("zcbench: unknown option '-x' for run (long options only, and -h; see zcbench run --help)", "run", "-x");
	BAD("zcbench: option '--populate' takes no value (got '--populate=yes'; see zcbench run --help)", "run",
	    "--populate=yes");
	BAD("zcbench: option '--metric' needs a value (see zcbench compare --help)", "compare", base, new, "--metric");
	BAD("zcbench: unknown option '--verbose' for list (see zcbench list --help)", "list", "--verbose");
	BAD("zcbench: doctor takes no arguments (got 'x')", "doctor", "x");
	/* The remote peer's options, checked before anything listens or connects. */
	BAD("zcbench: peer needs --listen ADDR:PORT", "peer");
	BAD("zcbench: --listen: '127.0.0.1' is not HOST:PORT", "peer", "--listen", "127.0.0.1");
	BAD("zcbench: --token must be 1 to 128 characters", "peer", "--listen", "127.0.0.1:0", "--token", "");
	BAD("zcbench: --token needs --peer HOST:PORT", "run", "--strategy", "readwrite", "--workload", "file-tcp",
	    "--token", "x", cache);
	BAD("zcbench: --stall-peer works with a local peer only", "run", "--strategy", "readwrite", "--workload",
	    "file-tcp", "--peer", "127.0.0.1:9", "--stall-peer", "1M", cache);
	BAD("zcbench: --peer: workload 'file-file' has no TCP stream", "run", "--strategy", "readwrite", "--workload",
	    "file-file", "--peer", "127.0.0.1:9", cache);
	BAD("zcbench: cannot reach the peer at 127.0.0.1:9: Connection refused", "run", "--strategy", "readwrite",
	    "--workload", "file-tcp", "--peer", "127.0.0.1:9", cache);
	/* The exact name after a value that looks like an option is a value. */
	BAD("zcbench: --size '--help' must start with a digit", "run", "--strategy", "readwrite", "--workload",
	    "file-file", "--size", "--help", cache);
	CHECK(stat(out, &st) != 0);

	/* Values. */
	BAD("zcbench: --size '0' must be at least 1 byte", "run", "--strategy", "readwrite", "--workload", "file-file",
	    "--size", "0", cache);
	BAD("zcbench: --size '0' must be at least 1 byte", "all", "--size", "1M,0", cache, outdir);
	BAD("zcbench: --checkpoint '0.5ms' must be between 1ms and 60s", "run", "--strategy", "readwrite", "--workload",
	    "file-file", "--checkpoint", "0.5ms", cache);
	BAD("zcbench: --checkpoint '0.5ns' is not a whole number of nanoseconds", "run", "--checkpoint", "0.5ns");
	BAD("zcbench: --checkpoint '1.ms' needs digits after the decimal point", "run", "--checkpoint", "1.ms");
	BAD("zcbench: --checkpoint '100' needs a unit (ns, us, ms or s, e.g. 250ms or 0.5s)", "run", "--checkpoint",
	    "100");
	BAD("zcbench: --kill-after '2sec' has an unknown unit (use ns, us, ms or s, e.g. 250ms or 0.5s)", "run",
	    "--kill-after", "2sec");
	/* Empty list items, in every list. */
	BAD("zcbench: --metric 'throughput,' has an empty item (valid: ", "compare", base, new, "--metric",
	    "throughput,");
	BAD("zcbench: --metric ',throughput' has an empty item (valid: ", "compare", base, new, "--metric",
	    ",throughput");
	BAD("zcbench: --strategy 'readwrite,' has an empty item", "run", "--strategy", "readwrite,", "--workload",
	    "file-file", cache);
	BAD("zcbench: --workload 'file-file,,file-tcp' has an empty item", "run", "--strategy", "readwrite",
	    "--workload", "file-file,,file-tcp", cache);
	BAD("zcbench: --size '1M,' has an empty item", "run", "--strategy", "readwrite", "--workload", "file-file",
	    "--size", "1M,", cache);
	BAD("zcbench: --streams ',1' has an empty item", "run", "--strategy", "readwrite", "--workload", "file-file",
	    "--streams", ",1", cache);
	BAD("zcbench: --strategy 'readwrite,' has an empty item", "hyperfine", "--strategy", "readwrite,");
	BAD("zcbench: --workload ',file-file' has an empty item", "hyperfine", "--workload", ",file-file");

	help_and_version();
	bounds_in_help();

	/* An output that cannot be written: exit 1 with the errno text. */
	expect_full(TO_FULL("list"), "list");
	expect_full(TO_FULL("run", "--help"), "run --help");
	expect_full(TO_FULL("help", "compare"), "help compare");
	expect_full(TO_FULL("--version"), "--version");
	expect_full(TO_FULL("compare", base, new), "compare");
	expect_full(TO_FULL("compare", base, new, "--format", "json"), "compare --format json");
	expect_full(TO_FULL("compare", base, new, "--fail-on-regression"), "compare --fail-on-regression");
	/* JSON to a full standard output: said once, exit 1. */
	expect_full(TO_FULL("run", "--strategy", "readwrite", "--workload", "file-file", "--size", "64K", "--reps", "1",
			    "--warmup", "0", "--no-probes", cache, "--out", "-"),
		    "run --out -");
	const char *first = strstr(r.err, "cannot write to standard output");
	CHECK(first && !strstr(first + 1, "cannot write to standard output"));
	/* The same commands to a writable output: 0. */
	RUN("list");
	CHECK(r.status == 0 && strstr(r.out, "Strategies:"));
	RUN("compare", base, new);
	CHECK(r.status == 0 && r.out[0]);

	char rm[400];
	snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
	CHECK(system(rm) == 0);
	CHECK_DONE();
}
