/* zcbench compare writes its report a cell at a time (zc_compare_stream):
 * the JSON it prints is byte for byte json_dumpf of the whole document
 * zc_compare builds (JSON_INDENT(2), JSON_REAL_PRECISION(15)), and the text
 * and markdown are those of that document, on every crafted pair and matrix
 * of tests/data/compare and on a generated comparison of 3,000 cells. And
 * its memory is the result files' and little more: comparing 20,000 cells
 * peaks below 1.5 times what reading the two files alone takes (the whole
 * document made it 2 times and more). Not under AddressSanitizer, whose
 * quarantine keeps what is freed. */
#include <fcntl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "harness/compare/compare.h"

static const char *bin;

/* What zc_compare's document prints as, in format. */
static char *expected(char *const *paths, size_t n, const char *format)
{
	struct zc_cmp_file files[ZC_COMPARE_MAX_FILES];
	for (size_t f = 0; f < n; f++) {
		char err[1024];
		if (zc_cmp_load(paths[f], &files[f], err, sizeof err) != 0) {
			fprintf(stderr, "%s\n", err);
			check_failures++;
			return strdup("");
		}
	}
	zc_cmp_labels_unique(files, n);
	struct zc_cmp_opts o;
	zc_cmp_opts_defaults(&o);
	json_t *cmp = zc_compare(files, n, &o);
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (strcmp(format, "json") == 0) {
		json_dumpf(cmp, m, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		fputc('\n', m);
	} else {
		zc_compare_print(m, cmp, strcmp(format, "text") == 0 ? ZC_CMP_TEXT : ZC_CMP_MARKDOWN);
	}
	fclose(m);
	json_decref(cmp);
	for (size_t f = 0; f < n; f++)
		json_decref(files[f].doc);
	return text;
}

/* bin compare PATHS... --format FORMAT: its exit status, its whole
 * standard output into *out (run_cmd keeps only 64 KiB). */
static int compare_out(char *const *paths, size_t n, const char *format, char **out)
{
	char *argv[40] = {(char *)bin, "compare"};
	size_t a = 2;
	for (size_t f = 0; f < n; f++)
		argv[a++] = paths[f];
	argv[a++] = "--format";
	argv[a++] = (char *)format;
	argv[a] = NULL;
	FILE *tmp = tmpfile();
	CHECK(tmp != NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (!tmp || null < 0 || dup2(fileno(tmp), 1) < 0 || dup2(null, 2) < 0)
			_exit(99);
		execv(bin, argv);
		_exit(98);
	}
	int st = 0;
	CHECK(waitpid(pid, &st, 0) == pid);
	size_t len = tmp ? (size_t)ftell(tmp) : 0;
	*out = calloc(1, len + 1);
	CHECK(*out != NULL);
	if (tmp) {
		rewind(tmp);
		CHECK(fread(*out, 1, len, tmp) == len);
		fclose(tmp);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void same_output(char *const *paths, size_t n)
{
	static const char *const formats[] = {"json", "text", "markdown"};
	for (size_t k = 0; k < 3; k++) {
		char *got = NULL;
		int status = compare_out(paths, n, formats[k], &got);
		char *want = expected(paths, n, formats[k]);
		if (status != 0 || strcmp(got, want) != 0) {
			size_t i = 0;
			while (got[i] && got[i] == want[i])
				i++;
			fprintf(stderr,
				"compare %s ... %s --format %s: exit %d, output differs at byte %zu:\n%.200s\n--- "
				"wanted:\n%.200s\n",
				paths[0], paths[n - 1], formats[k], status, i, got + (i > 40 ? i - 40 : 0),
				want + (i > 40 ? i - 40 : 0));
			check_failures++;
		}
		free(got);
		free(want);
	}
}

/* A result file of n cells, 3 runs each (as tests/data/compare/make_many.py
 * writes them); cell 7 of the new file twice as slow, the order reversed. */
static void write_many(const char *path, size_t n, bool slow)
{
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fprintf(f, "{\"schema\": \"zcbench/1\", \"host\": {\"kernel_release\": \"%s\"}, \"results\": [",
		slow ? "b" : "a");
	static const char *const strategies[] = {"readwrite", "sendfile", "splice"};
	for (size_t k = 0; k < n; k++) {
		size_t i = slow ? n - 1 - k : k;
		long ns = slow && i == 7 ? 200000 : 100000;
		fprintf(f,
			"%s{\"strategy\": \"%s\", \"workload\": \"file-file\", \"params\": {\"size_bytes\": 1048576, "
			"\"chunk_bytes\": %zu}, \"runs\": [",
			k ? ", " : "", strategies[i % 3], 4096 * (1 + i / 3));
		for (int run = 0; run < 3; run++)
			fprintf(f,
				"%s{\"index\": %d, \"bytes\": 1048576, \"elapsed_ns\": %ld, \"user_ns\": 0, "
				"\"sys_ns\": "
				"1000}",
				run ? ", " : "", run, ns + 100 * run + (long)(i % 5) * 7 * (slow ? run : 1));
		fputs("]}", f);
	}
	fputs("]}\n", f);
	CHECK(fclose(f) == 0);
}

#if !defined(__SANITIZE_ADDRESS__)
/* Peak resident KiB of a child that reads the files a and b, or of bin compare a b. */
static long peak_kib(const char *a, const char *b, bool just_read)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (just_read) {
			json_error_t e;
			json_t *da = json_load_file(a, 0, &e), *db = json_load_file(b, 0, &e);
			_exit(da && db ? 0 : 1);
		}
		int null = open("/dev/null", O_WRONLY);
		if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
			_exit(99);
		execl(bin, bin, "compare", a, b, "--metric", "throughput", (char *)NULL);
		_exit(98);
	}
	int st = 0;
	struct rusage ru;
	if (wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "%s: exit status %d\n", just_read ? "reading" : "compare", st);
		check_failures++;
		return 0;
	}
	return ru.ru_maxrss;
}
#endif

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	bin = argv[1];
	const char *data = argv[2];
	static const char *const sets[][4] = {
		{"base.json", "new.json"},	     {"base_cal.json", "drift.json"},
		{"tiny_base.json", "tiny_new.json"}, {"uring_base.json", "uring_new.json"},
		{"base.json", "nocounters.json"},    {"multi_base.json", "multi_new.json", "third.json"},
		{"base.json", "schema2.json"},	     {"base.json", "emulated.json"},
		{"hog.json", "hog_nocal.json"},	     {"base.json", "ansi.json"},
	};
	for (size_t s = 0; s < sizeof sets / sizeof sets[0]; s++) {
		char paths[4][512], *p[4];
		size_t n = 0;
		for (; n < 4 && sets[s][n]; n++) {
			snprintf(paths[n], sizeof paths[n], "%s/%s", data, sets[s][n]);
			p[n] = paths[n];
		}
		same_output(p, n);
	}
	char dir[] = "/tmp/zc-compare-stream-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char a[600], b[600];
	snprintf(a, sizeof a, "%s/a.json", dir);
	snprintf(b, sizeof b, "%s/b.json", dir);
	write_many(a, 3000, false);
	write_many(b, 3000, true);
	char *p[] = {a, b};
	same_output(p, 2);
#if defined(__SANITIZE_ADDRESS__)
	fprintf(stderr, "note: AddressSanitizer: the memory bound is not checked\n");
#else
	write_many(a, 20000, false);
	write_many(b, 20000, true);
	long files = peak_kib(a, b, true), cmp = peak_kib(a, b, false);
	fprintf(stderr, "20,000 cells: reading the files %ld KiB, compare %ld KiB\n", files, cmp);
	CHECK(files > 0 && cmp < files * 3 / 2);
#endif
	unlink(a);
	unlink(b);
	rmdir(dir);
	CHECK_DONE();
}
