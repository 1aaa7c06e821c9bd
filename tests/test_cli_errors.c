/* Bad input: exactly one line on stderr naming the problem (and the valid
 * choices), exit status 2, and no result file left behind. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "run_cmd.h"
#include "strategies/strategy.h"
#include "workloads/workload.h"
#include "harness/cell.h"

static const char *bin;
static char out_path[256];

static void expect_usage_error(const char *want_err, char *const *args)
{
	char *argv[32] = {(char *)bin};
	size_t n = 1;
	for (; args[n - 1]; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	static struct cmd_result r;
	CHECK(run_cmd(argv, &r) == 0);
	if (r.status != 2 || count_lines(r.err) != 1 || strncmp(r.err, want_err, strlen(want_err)) != 0 ||
	    r.err[strlen(want_err)] != '\n') {
		fprintf(stderr, "for %s %s ...: status %d, stderr:\n%s--- wanted:\n%s\n", argv[1],
			argv[2] ? argv[2] : "", r.status, r.err, want_err);
		check_failures++;
	}
	CHECK(access(out_path, F_OK) != 0);
}

#define EXPECT(want, ...) expect_usage_error(want, (char *const[]){__VA_ARGS__, NULL})

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_cli_errors ZCBENCH\n");
		return 2;
	}
	bin = argv[1];
	char dir[] = "/tmp/zc-cli-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	snprintf(out_path, sizeof out_path, "%s/out.json", dir);
	char cache[300];
	snprintf(cache, sizeof cache, "--cache-dir=%s/cache", dir);

	char strategies[512] = "", workloads[512] = "";
	for (size_t i = 0; i < zc_strategy_count; i++)
		snprintf(strategies + strlen(strategies), sizeof strategies - strlen(strategies), "%s%s", i ? ", " : "",
			 zc_strategies[i]->name);
	for (size_t i = 0; i < zc_workload_count; i++)
		snprintf(workloads + strlen(workloads), sizeof workloads - strlen(workloads), "%s%s", i ? ", " : "",
			 zc_workloads[i]->name);
	char want[1024];

	snprintf(want, sizeof want, "zcbench: unknown strategy 'nope' (valid: %s, all)", strategies);
	EXPECT(want, "run", "--strategy", "nope", "--workload", "file-tcp", "--out", out_path, cache);
	snprintf(want, sizeof want, "zcbench: unknown workload 'nope' (valid: %s, all)", workloads);
	EXPECT(want, "run", "--strategy", "readwrite", "--workload", "nope", "--out", out_path, cache);
	snprintf(want, sizeof want, "zcbench: run needs --strategy (valid: %s)", strategies);
	EXPECT(want, "run", "--workload", "file-tcp");
	EXPECT("zcbench: --size '12Q' has an unknown suffix (use K, M, G or T for KiB, MiB, GiB, TiB)", "run",
	       "--strategy", "readwrite", "--workload", "file-tcp", "--size", "12Q", "--out", out_path, cache);
	EXPECT("zcbench: --size '-1' must not be negative", "run", "--strategy", "readwrite", "--workload", "file-tcp",
	       "--size", "-1", "--out", out_path, cache);
	EXPECT("zcbench: --size '99999999999999999999' is too large", "run", "--strategy", "readwrite", "--workload",
	       "file-tcp", "--size", "99999999999999999999", "--out", out_path, cache);
	EXPECT("zcbench: --size '16777216T' is too large", "run", "--strategy", "readwrite", "--workload", "file-tcp",
	       "--size", "16777216T", "--out", out_path, cache);
	EXPECT("zcbench: --chunk '0' must be between 1 and 1073741824 bytes", "run", "--strategy", "readwrite",
	       "--workload", "file-tcp", "--chunk", "0");
	EXPECT("zcbench: --victim-every '0' must be more than 0", "run", "--strategy", "readwrite", "--workload",
	       "file-tcp", "--victim", "256K", "--victim-every", "0");
	EXPECT("zcbench: --reps '0' is too small (valid: 1 to 10000)", "run", "--strategy", "readwrite", "--workload",
	       "file-tcp", "--reps", "0");
	EXPECT("zcbench: --alloc 'slab' is not a valid choice (valid: malloc, fresh)", "run", "--strategy", "readwrite",
	       "--workload", "file-tcp", "--alloc", "slab");
	EXPECT("zcbench: --size 1000 is not a multiple of --streams 1 x --transfers 3", "run", "--strategy",
	       "readwrite", "--workload", "file-tcp", "--size", "1000", "--transfers", "3", "--out", out_path, cache);
	EXPECT("zcbench: --out: cannot write /nonexistent-zc/out.json: No such file or directory", "run", "--strategy",
	       "readwrite", "--workload", "file-tcp", "--out", "/nonexistent-zc/out.json", cache);
	EXPECT("zcbench: unknown option '--bogus' for run (see zcbench run --help)", "run", "--bogus");
	EXPECT("zcbench: option '--size' needs a value (see zcbench run --help)", "run", "--size");
	EXPECT("zcbench: unknown command 'frobnicate' (valid: list, run, all, report, compare, calibrate, hyperfine, "
	       "doctor, peer; "
	       "see zcbench --help)",
	       "frobnicate");
	EXPECT("zcbench: --profile 'slow' is not a valid choice (valid: quick, full)", "all", "--profile", "slow");
	EXPECT("zcbench: list takes no arguments (got 'x')", "list", "x");

	/* A strategy asked for a workload it does not support: sendfile reads
	 * only from files, so a pipe source is refused with the reason. */
	static const struct zc_workload pipe_src = {
		.name = "pipe-x", .source = ZC_EP_PIPE, .sink = ZC_EP_TCP, .nsinks = 1};
	const char *why = zc_cell_unsupported(zc_strategy_find("sendfile"), &pipe_src);
	CHECK(why && strcmp(why, "its source kind is not supported by this strategy") == 0);
	CHECK(zc_cell_unsupported(zc_strategy_find("readwrite"), &pipe_src) == NULL);
	/* On the command line: sendfile cannot read a pipe or a socket. */
	EXPECT("zcbench: strategy 'sendfile' does not support workload 'tcp-proxy': its source kind is not supported "
	       "by this strategy (it supports: file-tcp, file-file, file-unix, file-pipe)",
	       "run", "--strategy", "sendfile", "--workload", "tcp-proxy", "--out", out_path, cache);
	EXPECT("zcbench: --drain trunc does not work for workload 'file-pipe': recv(MSG_TRUNC) discards only on TCP "
	       "sockets",
	       "run", "--strategy", "splice", "--workload", "file-pipe", "--drain", "trunc", "--out", out_path, cache);
	EXPECT("zcbench: --transfers 2 does not work for workload 'tcp-proxy': a stream source ends once (valid for "
	       "file and memory sources)",
	       "run", "--strategy", "splice", "--workload", "tcp-proxy", "--transfers", "2", "--out", out_path, cache);
	EXPECT("zcbench: --streams '65' is too large (valid: 1 to 64)", "run", "--strategy", "splice", "--workload",
	       "file-tcp", "--streams", "65", "--out", out_path, cache);
	EXPECT("zcbench: --chunk '4K,' has an empty item", "run", "--strategy", "splice", "--workload", "file-tcp",
	       "--chunk", "4K,", "--out", out_path, cache);
	EXPECT("zcbench: --inspect 'md5' is not a valid choice (valid: none, checksum, redact, encrypt)", "run", "--strategy",
	       "splice", "--workload", "file-tcp", "--inspect", "md5");

	/* Help exits 0 and names every option with its default. */
	static struct cmd_result r;
	CHECK(run_cmd((char *const[]){(char *)bin, "run", "--help", NULL}, &r) == 0);
	CHECK(r.status == 0 && strstr(r.out, "--size N") && strstr(r.out, "(default 256M)"));
	CHECK(run_cmd((char *const[]){(char *)bin, "--help", NULL}, &r) == 0);
	CHECK(r.status == 0 && strstr(r.out, "Commands:"));

	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	CHECK_DONE();
}
