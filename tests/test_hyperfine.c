/* zcbench hyperfine: quoting that no value can escape, the import of
 * hyperfine's JSON (exact nanoseconds), and a real run whose --cache-dir
 * holds a space and a quote and must reach zcbench run intact.
 * Usage: test_hyperfine ZCBENCH. The real run is skipped (77) without
 * hyperfine; the other checks always run. */
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "harness/hyperfine_import.h"
#include "harness/util.h"
#include "run_cmd.h"

static const char *bin;
static struct cmd_result res;

static void unit_quote(void)
{
	struct zc_sbuf b;
	zc_sb_init(&b);
	zc_sb_shell_quote(&b, "it's a \"test\" $HOME `x` \\n");
	CHECK(strcmp(b.s, "'it'\\''s a \"test\" $HOME `x` \\n'") == 0);
	zc_sb_free(&b);
	zc_sb_init(&b);
	zc_sb_shell_quote(&b, "");
	CHECK(strcmp(b.s, "''") == 0);
	zc_sb_free(&b);
	zc_sb_init(&b);
	char *argv[] = {"/bin/zc bench", "--x", "a'b'", "'", NULL};
	zc_sb_shell_join(&b, argv);
	CHECK(strcmp(b.s, "'/bin/zc bench' '--x' 'a'\\''b'\\''' ''\\'''") == 0);
	zc_sb_free(&b);
}

/* The words /bin/sh makes of a joined command line: each quoted word comes
 * back exactly. */
static void unit_quote_through_shell(void)
{
	char *words[] = {"/bin/printf", "[%s]\\n", "a b", "it's", "\"q\"", "$HOME", "", "x\ny", ";rm -rf /", NULL};
	struct zc_sbuf b;
	zc_sb_init(&b);
	zc_sb_shell_join(&b, words);
	char *sh[] = {"/bin/sh", "-c", b.s, NULL};
	CHECK(run_cmd(sh, &res) == 0 && res.status == 0);
	CHECK(strcmp(res.out, "[a b]\n[it's]\n[\"q\"]\n[$HOME]\n[]\n[x\ny]\n[;rm -rf /]\n") == 0);
	zc_sb_free(&b);
}

static void unit_import(void)
{
	const char *text = "{\"command\": \"x\", \"mean\": 0.0011084970000000002, \"stddev\": null, "
			   "\"median\": 0.001, \"user\": 0.001047, \"system\": 0.0, \"min\": 0.0005, \"max\": 0.002, "
			   "\"times\": [0.002, 0.001, 0.0005], \"exit_codes\": [0, 0, 0]}";
	json_t *entry = json_loads(text, 0, NULL);
	CHECK(entry != NULL);
	char *argv[] = {"zcbench", "run", NULL};
	char err[256];
	json_t *c = zc_hyperfine_cell(entry, 1048576, "'zcbench' 'run'", argv, err, sizeof err);
	CHECK(c != NULL);
	if (c) {
		CHECK(strcmp(json_string_value(json_object_get(c, "status")), "ok") == 0);
		CHECK(json_integer_value(json_object_get(c, "runs")) == 3);
		CHECK(json_integer_value(json_object_get(c, "mean_ns")) == 1108497);
		CHECK(json_is_null(json_object_get(c, "stddev_ns")));
		CHECK(json_integer_value(json_object_get(c, "median_ns")) == 1000000);
		CHECK(json_integer_value(json_object_get(c, "min_ns")) == 500000);
		CHECK(json_integer_value(json_object_get(c, "max_ns")) == 2000000);
		CHECK(json_integer_value(json_object_get(c, "user_mean_ns")) == 1047000);
		CHECK(json_integer_value(json_object_get(c, "system_mean_ns")) == 0);
		json_t *t = json_object_get(c, "times_ns");
		CHECK(json_array_size(t) == 3 && json_integer_value(json_array_get(t, 0)) == 2000000 &&
		      json_integer_value(json_array_get(t, 2)) == 500000);
		json_t *tp = json_object_get(c, "throughput_bps");
		CHECK_NEAR(json_real_value(json_object_get(tp, "median")), 1048576e3, 1e-3);
		CHECK_NEAR(json_real_value(json_object_get(tp, "min")), 524288e3, 1e-3);
		CHECK_NEAR(json_real_value(json_object_get(tp, "max")), 2097152e3, 1e-3);
		json_t *av = json_object_get(c, "argv");
		CHECK(json_array_size(av) == 2 && strcmp(json_string_value(json_array_get(av, 1)), "run") == 0);
		CHECK(strcmp(json_string_value(json_object_get(c, "command")), "'zcbench' 'run'") == 0);
	}
	json_decref(c);
	json_object_del(entry, "median");
	c = zc_hyperfine_cell(entry, 1, "x", argv, err, sizeof err);
	CHECK(c == NULL && strstr(err, "\"median\""));
	json_object_set_new(entry, "median", json_string("fast"));
	c = zc_hyperfine_cell(entry, 1, "x", argv, err, sizeof err);
	CHECK(c == NULL);
	json_decref(entry);
}

static bool dir_has_entries(const char *dir)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n > 0;
}

static void expect_status(char **argv, int want, const char *text)
{
	CHECK(run_cmd(argv, &res) == 0);
	if (res.status != want || (text && !strstr(res.err, text)) || (want == 2 && count_lines(res.err) != 1)) {
		fprintf(stderr, "%s %s: status %d (wanted %d), stderr:\n%s\n", argv[1], argv[2] ? argv[2] : "",
			res.status, want, res.err);
		check_failures++;
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_hyperfine ZCBENCH\n");
		return 2;
	}
	bin = argv[1];
	unit_quote();
	unit_quote_through_shell();
	unit_import();

	char tmp[] = "/tmp/zc-hf-XXXXXX";
	CHECK(mkdtemp(tmp) != NULL);
	char out[256], cache[256], weird[300];
	snprintf(out, sizeof out, "%s/hf.json", tmp);
	snprintf(cache, sizeof cache, "%s/dir with space and 'quote'", tmp);

	/* Bad input, before anything runs. */
	char *bad1[] = {(char *)bin, "hyperfine", "--hyperfine-runs", "0", "--out", out, NULL};
	expect_status(bad1, 2, "--hyperfine-runs '0'");
	char *bad2[] = {(char *)bin, "hyperfine", "--strategy", "nope", "--out", out, NULL};
	expect_status(bad2, 2, "unknown strategy 'nope'");
	char *bad3[] = {(char *)bin, "hyperfine", "--out", NULL};
	expect_status(bad3, 2, "needs a value");

	/* No hyperfine in PATH: a clear error naming the Debian package. */
	const char *path = getenv("PATH");
	char saved[4096];
	snprintf(saved, sizeof saved, "%s", path ? path : "/usr/bin:/bin");
	setenv("PATH", "/nonexistent", 1);
	char *nohf[] = {(char *)bin, "hyperfine", "--strategy", "readwrite", "--workload",
			"file-file", "--out",	  out,		NULL};
	expect_status(nohf, 1, "Debian package hyperfine");
	setenv("PATH", saved, 1);
	CHECK(access(out, F_OK) != 0);

	char hf[4096];
	if (!zc_find_program("hyperfine", hf, sizeof hf)) {
		fprintf(stderr, "hyperfine is not installed (Debian package hyperfine): skipping the real run\n");
		return check_failures ? 1 : 77;
	}
	/* A run option zcbench run rejects: its one line, exit 2. */
	snprintf(weird, sizeof weird, "--cache-dir=%s", cache);
	char *bad4[] = {(char *)bin, "hyperfine", "--strategy", "readwrite", "--workload", "file-file",
			"--size",    "banana",	  weird,	"--out",     out,	   NULL};
	expect_status(bad4, 2, "--size 'banana'");
	CHECK(access(out, F_OK) != 0);

	/* The real thing: the cache dir must reach zcbench run as one word. */
	char *run[] = {(char *)bin,   "hyperfine",
		       "--strategy",  "readwrite",
		       "--workload",  "file-file",
		       "--size",      "64K",
		       "--reps",      "1",
		       "--warmup",    "0",
		       "--no-probes", "--cache-dir",
		       cache,	      "--hyperfine-runs",
		       "2",	      "--hyperfine-warmup",
		       "0",	      "--out",
		       out,	      NULL};
	CHECK(run_cmd(run, &res) == 0);
	if (res.status != 0)
		fprintf(stderr, "zcbench hyperfine exited %d:\n%s\n", res.status, res.err);
	CHECK(res.status == 0);
	CHECK(dir_has_entries(cache)); /* the pattern file went where the quoted path says */
	json_t *doc = json_load_file(out, 0, NULL);
	CHECK(doc != NULL);
	if (doc) {
		CHECK(strcmp(json_string_value(json_object_get(doc, "schema")), "zcbench/1") == 0);
		json_t *top = json_object_get(doc, "hyperfine");
		CHECK(json_integer_value(json_object_get(top, "runs")) == 2);
		CHECK(json_integer_value(json_object_get(top, "warmup")) == 0);
		CHECK(strcmp(json_string_value(json_object_get(top, "shell")), "none") == 0);
		json_t *results = json_object_get(doc, "results");
		CHECK(json_array_size(results) == 1);
		json_t *cell = json_array_get(results, 0);
		CHECK(strcmp(json_string_value(json_object_get(cell, "strategy")), "readwrite") == 0);
		CHECK(strcmp(json_string_value(json_object_get(cell, "status")), "ok") == 0);
		json_t *h = json_object_get(cell, "hyperfine");
		CHECK(strcmp(json_string_value(json_object_get(h, "status")), "ok") == 0);
		CHECK(json_integer_value(json_object_get(h, "runs")) == 2);
		json_t *times = json_object_get(h, "times_ns");
		CHECK(json_array_size(times) == 2);
		for (size_t i = 0; i < json_array_size(times); i++)
			CHECK(json_is_integer(json_array_get(times, i)) &&
			      json_integer_value(json_array_get(times, i)) > 0);
		CHECK(json_is_integer(json_object_get(h, "median_ns")));
		CHECK(json_is_integer(json_object_get(h, "mean_ns")));
		CHECK(json_is_integer(json_object_get(h, "min_ns")));
		CHECK(json_is_integer(json_object_get(h, "max_ns")));
		CHECK(json_is_integer(json_object_get(h, "stddev_ns")));
		CHECK(json_is_real(json_object_get(json_object_get(h, "throughput_bps"), "median")));
		/* The quoted command and the words it stands for. */
		json_t *av = json_object_get(h, "argv");
		bool found = false;
		for (size_t i = 0; i + 1 < json_array_size(av); i++)
			found |= strcmp(json_string_value(json_array_get(av, i)), "--cache-dir") == 0 &&
				 strcmp(json_string_value(json_array_get(av, i + 1)), cache) == 0;
		CHECK(found);
		const char *cmd = json_string_value(json_object_get(h, "command"));
		CHECK(cmd && strstr(cmd, "'--cache-dir' '") && strstr(cmd, "dir with space and '\\''quote'\\'''"));
		CHECK(cmd && strstr(cmd, "'--reps' '1' '--warmup' '0'"));
		/* The in-process side: the cell as zcbench run wrote it. */
		CHECK(json_is_object(json_object_get(cell, "summary")));
		json_decref(doc);
	}
	if (!check_failures) {
		char *rm[] = {"/bin/rm", "-rf", tmp, NULL};
		run_cmd(rm, &res);
	}
	CHECK_DONE();
}
