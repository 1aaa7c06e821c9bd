/* One signal discipline: SIGINT and SIGTERM, sent to run, all, hyperfine,
 * calibrate and report, each stop the command at its next checkpoint with
 * exit status 130 and a valid result file marked "interrupted": true, in
 * which no cell is "ok" without a measured run (cells that never ran are
 * "not run" or absent); no child process and no temp file outlives it. The
 * signal is sent once the command is known to be busy (a progress line, or
 * its child seen in /proc); nothing here is timed, every wait is generous.
 * Usage: test_signals ZCBENCH PLOTS_DIR SAMPLE_RESULT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "run_cmd.h"

extern char **environ;

#define WAIT_MS 180000 /* the most any step may take on a loaded machine */

static const char *bin;
static char tag[64]; /* this test's directory: in every argv, cwd and path it makes */

struct child {
	pid_t pid;
	int err_fd;
	char err[1 << 16];
	size_t len;
};

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

static void start(struct child *c, char *const *args)
{
	char *argv[48] = {(char *)bin};
	size_t n = 1;
	for (; args[n - 1] && n < 47; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	int e[2];
	CHECK(pipe2(e, O_CLOEXEC) == 0);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, e[1], 2);
	c->len = 0;
	c->err[0] = 0;
	CHECK(posix_spawn(&c->pid, bin, &fa, NULL, argv, environ) == 0);
	posix_spawn_file_actions_destroy(&fa);
	close(e[1]);
	c->err_fd = e[0];
	fcntl(c->err_fd, F_SETFL, O_NONBLOCK);
}

/* Take what the child wrote to stderr so far (waiting up to ms for more). */
static void drain(struct child *c, int ms)
{
	struct pollfd p = {.fd = c->err_fd, .events = POLLIN};
	if (c->err_fd < 0) {
		sleep_ms(ms);
		return;
	}
	if (poll(&p, 1, ms) <= 0)
		return;
	for (;;) {
		char buf[4096];
		ssize_t got = read(c->err_fd, buf, sizeof buf);
		if (got <= 0) {
			if (got == 0 || errno != EAGAIN) {
				close(c->err_fd);
				c->err_fd = -1;
			}
			return;
		}
		size_t take = (size_t)got < sizeof c->err - 1 - c->len ? (size_t)got : sizeof c->err - 1 - c->len;
		memcpy(c->err + c->len, buf, take);
		c->len += take;
		c->err[c->len] = 0;
	}
}

/* Whether a line of the child's stderr starts with prefix, within WAIT_MS. */
static bool wait_line(struct child *c, const char *prefix)
{
	for (int waited = 0; waited < WAIT_MS; waited += 50) {
		for (const char *l = c->err; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l))
			if (strncmp(l, prefix, strlen(prefix)) == 0)
				return true;
		if (c->err_fd < 0)
			return false;
		drain(c, 50);
	}
	fprintf(stderr, "no line '%s' in:\n%s\n", prefix, c->err);
	return false;
}

/* Whether process pid's command line holds text. */
static bool cmdline_has(pid_t pid, const char *text)
{
	char buf[8192];
	return strstr(proc_cmdline((int)pid, buf, sizeof buf), text) != NULL;
}

/* The pid of the nth (from 1) distinct child of parent named comm whose
 * command line holds text, waiting up to WAIT_MS for it; 0 when none came. */
static pid_t wait_child_named(struct child *c, const char *comm, const char *text, int nth)
{
	pid_t seen[64];
	int nseen = 0;
	for (int waited = 0; waited < WAIT_MS; waited += 10) {
		DIR *d = opendir("/proc");
		for (struct dirent *e; d && (e = readdir(d));) {
			if (e->d_name[0] < '0' || e->d_name[0] > '9')
				continue;
			char path[300], buf[512];
			snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
			FILE *f = fopen(path, "r");
			if (!f)
				continue;
			size_t len = fread(buf, 1, sizeof buf - 1, f);
			fclose(f);
			buf[len] = 0;
			/* pid (comm) state ppid ... */
			char *open = strchr(buf, '('), *close_ = strrchr(buf, ')');
			if (!open || !close_)
				continue;
			int ppid = 0;
			char state;
			if (sscanf(close_ + 1, " %c %d", &state, &ppid) != 2 || ppid != c->pid)
				continue;
			*close_ = 0;
			if (strcmp(open + 1, comm) != 0)
				continue;
			pid_t pid = (pid_t)atoi(e->d_name);
			if (!cmdline_has(pid, text))
				continue;
			bool known = false;
			for (int i = 0; i < nseen; i++)
				known |= seen[i] == pid;
			if (!known && nseen < 64)
				seen[nseen++] = pid;
			if (!known && nseen == nth) {
				closedir(d);
				return pid;
			}
		}
		if (d)
			closedir(d);
		drain(c, 0);
		sleep_ms(10);
	}
	fprintf(stderr, "no child %d named %s of %d\n", nth, comm, (int)c->pid);
	return 0;
}

/* The exit status (128 + signal when killed), or -1 after WAIT_MS. */
static int finish(struct child *c)
{
	for (int waited = 0; waited < WAIT_MS; waited += 20) {
		int st;
		pid_t r = waitpid(c->pid, &st, WNOHANG);
		if (r == c->pid) {
			drain(c, 0);
			if (c->err_fd >= 0)
				close(c->err_fd);
			c->err_fd = -1;
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
		drain(c, 20);
	}
	kill(c->pid, SIGKILL);
	waitpid(c->pid, NULL, 0);
	return -1;
}

/* Processes whose command line or working directory names this test's
 * directory: whatever zcbench started and left behind. */
static int leftover_processes(void)
{
	int n = 0;
	for (int tries = 0; tries < 100; tries++) {
		n = 0;
		DIR *d = opendir("/proc");
		for (struct dirent *e; d && (e = readdir(d));) {
			if (e->d_name[0] < '0' || e->d_name[0] > '9' || atoi(e->d_name) == getpid())
				continue;
			char path[300], buf[4096];
			proc_cmdline(atoi(e->d_name), buf, sizeof buf);
			bool mine = strstr(buf, tag) != NULL;
			snprintf(path, sizeof path, "/proc/%s/cwd", e->d_name);
			ssize_t l = readlink(path, buf, sizeof buf - 1);
			if (l > 0) {
				buf[l] = 0;
				mine |= strstr(buf, tag) != NULL;
			}
			n += mine;
		}
		if (d)
			closedir(d);
		if (n == 0)
			break;
		sleep_ms(20); /* a zombie being reaped by init */
	}
	return n;
}

/* Files under dir (recursively) whose name holds one of the temp markers. */
static int temp_files(const char *dir)
{
	int n = 0;
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char path[1200];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			n += strncmp(e->d_name, "zcbench-hf-", 11) == 0; /* hyperfine's temp dir */
			n += temp_files(path);
			continue;
		}
		bool tmp = strncmp(e->d_name, ".zcbench-", 9) == 0 || strstr(e->d_name, ".tmp-") != NULL ||
			   strncmp(e->d_name, "tmp-", 4) == 0 || strncmp(e->d_name, "owner-", 6) == 0 ||
			   strncmp(e->d_name, "dest-", 5) == 0 || strncmp(e->d_name, "cell-", 5) == 0 ||
			   strncmp(e->d_name, "hyperfine-", 10) == 0;
		if (tmp)
			fprintf(stderr, "left behind: %s\n", path);
		n += tmp;
	}
	if (d)
		closedir(d);
	return n;
}

/* Whether v is the string want. */
static bool str_is(const json_t *v, const char *want)
{
	const char *s = json_string_value(v);
	return s && strcmp(s, want) == 0;
}

/* Measured runs of a cell: not warm-ups, with a window. */
static size_t measured(const json_t *cell)
{
	size_t n = 0;
	const json_t *runs = json_object_get(cell, "runs");
	for (size_t i = 0; i < json_array_size(runs); i++) {
		const json_t *r = json_array_get(runs, i);
		n += !json_is_true(json_object_get(r, "warmup")) && json_is_integer(json_object_get(r, "elapsed_ns"));
	}
	return n;
}

/* A valid result file marked interrupted, no cell "ok" without a measured
 * run. Returns it (or NULL), with the counts of "ok" and "not run" cells. */
static json_t *interrupted_file(const char *path, size_t *ok, size_t *not_run)
{
	json_error_t e;
	json_t *doc = json_load_file(path, 0, &e);
	if (!doc) {
		fprintf(stderr, "%s: not JSON: %s\n", path, e.text);
		check_failures++;
		return NULL;
	}
	CHECK(str_is(json_object_get(doc, "schema"), "zcbench/1"));
	CHECK(json_is_true(json_object_get(doc, "interrupted")));
	*ok = *not_run = 0;
	const json_t *results = json_object_get(doc, "results");
	CHECK(json_is_array(results));
	for (size_t i = 0; i < json_array_size(results); i++) {
		const json_t *cell = json_array_get(results, i);
		const char *st = json_string_value(json_object_get(cell, "status"));
		CHECK(st != NULL);
		if (st && strcmp(st, "ok") == 0) {
			(*ok)++;
			if (measured(cell) == 0) {
				fprintf(stderr, "%s: cell %zu is ok without a measured run\n", path, i);
				check_failures++;
			}
			CHECK(json_is_object(json_object_get(cell, "summary")));
		}
		if (st && strcmp(st, "not run") == 0) {
			(*not_run)++;
			CHECK(measured(cell) == 0);
			const char *why = json_string_value(json_object_get(cell, "reason"));
			CHECK(why && (strcmp(why, "interrupted before its first measured run") == 0 ||
				      strcmp(why, "interrupted before its pattern file was ready") == 0));
		}
	}
	return doc;
}

static void expect_130(struct child *c, const char *what, int sig)
{
	int st = finish(c);
	if (st != 130) {
		fprintf(stderr, "%s, %s: exit status %d (wanted 130), stderr:\n%s\n", what, strsignal(sig), st, c->err);
		check_failures++;
	}
	CHECK(leftover_processes() == 0);
	CHECK(temp_files(tag) == 0);
}

/* run: once a cell stalls (the peer stops reading), then with measured runs. */
static void signal_run(int sig, const char *cache)
{
	char out[300];
	snprintf(out, sizeof out, "%s/run.json", tag);
	struct child c;
	/* The peer stops after 64 KiB: the first run of the first cell waits
	 * there until the signal. Neither cell may say "ok". */
	start(&c, (char *const[]){"run", "--strategy", "readwrite,splice", "--workload", "file-tcp", "--size", "4M",
				  "--stall-peer", "64K", "--warmup", "0", "--no-probes", (char *)cache, "--out", out,
				  NULL});
	CHECK(wait_line(&c, "[cell 1/2, round 1/"));
	kill(c.pid, sig);
	expect_130(&c, "run, stalled", sig);
	size_t ok, not_run;
	json_t *doc = interrupted_file(out, &ok, &not_run);
	CHECK(ok == 0 && not_run == 2);
	json_decref(doc);
	unlink(out);

	/* Many repetitions, stopped after some: the cell keeps what it measured. */
	start(&c, (char *const[]){"run", "--strategy", "readwrite", "--workload", "file-file", "--size", "4M", "--reps",
				  "10000", "--warmup", "0", "--no-probes", (char *)cache, "--out", out, NULL});
	CHECK(wait_line(&c, "[cell 1/1, round 3/"));
	kill(c.pid, sig);
	expect_130(&c, "run, repetitions", sig);
	doc = interrupted_file(out, &ok, &not_run);
	CHECK(ok == 1 && not_run == 0);
	json_decref(doc);
	unlink(out);
}

/* all, during the calibration before the cells: every cell "not run". */
static void signal_all_calibrating(int sig, const char *cache)
{
	char out_dir[300], opt[320];
	snprintf(out_dir, sizeof out_dir, "%s/all", tag);
	snprintf(opt, sizeof opt, "--out-dir=%s", out_dir);
	struct child c;
	start(&c, (char *const[]){"all", "--strategy", "readwrite,splice", "--workload", "file-file", "--size", "1M",
				  "--no-probes", (char *)cache, opt, NULL});
	CHECK(wait_line(&c, "zcbench: calibrating"));
	kill(c.pid, sig);
	expect_130(&c, "all, calibrating", sig);
	DIR *d = opendir(out_dir);
	int files = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		if (strncmp(e->d_name, "zcbench-", 8) != 0)
			continue;
		files++;
		char path[700];
		snprintf(path, sizeof path, "%s/%s", out_dir, e->d_name);
		size_t ok, not_run;
		json_t *doc = interrupted_file(path, &ok, &not_run);
		CHECK(ok == 0 && not_run == 2);
		json_t *cal = json_object_get(json_object_get(doc, "host"), "calibration");
		CHECK(json_is_true(json_object_get(cal, "interrupted")));
		json_decref(doc);
		unlink(path);
	}
	if (d)
		closedir(d);
	CHECK(files == 1);
}

/* hyperfine: stopped in the in-process run (the peer stalls) and during
 * hyperfine's timing of the second cell; the first cell stays, whole. */
static void signal_hyperfine(int sig, const char *cache)
{
	char out[300];
	snprintf(out, sizeof out, "%s/hf.json", tag);
	struct child c;
	start(&c, (char *const[]){"hyperfine", "--strategy", "readwrite", "--workload", "file-tcp", "--size", "4M",
				  "--stall-peer", "64K", "--reps", "1", "--warmup", "0", "--no-probes", (char *)cache,
				  "--out", out, NULL});
	CHECK(wait_line(&c, "[cell 1/1, round 1/"));
	kill(c.pid, sig);
	expect_130(&c, "hyperfine, in-process", sig);
	size_t ok, not_run;
	json_t *doc = interrupted_file(out, &ok, &not_run);
	CHECK(json_array_size(json_object_get(doc, "results")) == 0);
	json_decref(doc);
	unlink(out);

	start(&c, (char *const[]){"hyperfine",
				  "--strategy",
				  "readwrite,pooled,splice",
				  "--workload",
				  "file-file",
				  "--size",
				  "1M",
				  "--reps",
				  "1",
				  "--warmup",
				  "0",
				  "--no-probes",
				  (char *)cache,
				  "--hyperfine-runs",
				  "30",
				  "--hyperfine-warmup",
				  "0",
				  "--out",
				  out,
				  NULL});
	/* The second cell's timing (hyperfine --version ran before any). */
	pid_t hf = wait_child_named(&c, "hyperfine", "--export-json", 2);
	CHECK(hf > 0);
	kill(c.pid, sig);
	expect_130(&c, "hyperfine, timing", sig);
	doc = interrupted_file(out, &ok, &not_run);
	const json_t *results = json_object_get(doc, "results");
	CHECK(json_array_size(results) == 1);
	const json_t *cell = json_array_get(results, 0);
	CHECK(str_is(json_object_get(cell, "strategy"), "readwrite"));
	CHECK(str_is(json_object_get(json_object_get(cell, "hyperfine"), "status"), "ok"));
	json_decref(doc);
	unlink(out);
}

/* hyperfine, two signals: it leaves at once, its child group and temp
 * files with it. */
static void signal_hyperfine_twice(const char *cache)
{
	char out[300];
	snprintf(out, sizeof out, "%s/hf2.json", tag);
	struct child c;
	start(&c, (char *const[]){"hyperfine",	 "--strategy",
				  "readwrite",	 "--workload",
				  "file-file",	 "--size",
				  "1M",		 "--reps",
				  "1",		 "--warmup",
				  "0",		 "--no-probes",
				  (char *)cache, "--hyperfine-runs",
				  "10000",	 "--hyperfine-warmup",
				  "0",		 "--out",
				  out,		 NULL});
	CHECK(wait_child_named(&c, "hyperfine", "--export-json", 1) > 0);
	kill(c.pid, SIGTERM);
	kill(c.pid, SIGINT);
	expect_130(&c, "hyperfine, twice", SIGTERM);
	/* No file is owed, and none may be partial. */
	if (access(out, F_OK) == 0) {
		size_t ok, not_run;
		json_decref(interrupted_file(out, &ok, &not_run));
		unlink(out);
	}
}

/* calibrate: the parts not measured are null with reason "interrupted". */
static void signal_calibrate(int sig)
{
	char out[300];
	snprintf(out, sizeof out, "%s/cal.json", tag);
	struct child c;
	start(&c, (char *const[]){"calibrate", "--out", out, NULL});
	CHECK(wait_line(&c, "zcbench: calibrating"));
	kill(c.pid, sig);
	expect_130(&c, "calibrate", sig);
	json_t *cal = json_load_file(out, 0, NULL);
	CHECK(cal != NULL);
	CHECK(json_is_true(json_object_get(cal, "interrupted")));
	static const char *const parts[][2] = {{"memcpy", "bps"}, {"syscall", "ns_per_call"}, {"pipe", "bps"}};
	int stopped = 0;
	for (int i = 0; i < 3; i++) {
		const json_t *p = json_object_get(cal, parts[i][0]);
		const json_t *v = json_object_get(p, parts[i][1]);
		if (json_is_null(v)) {
			stopped++;
			CHECK(str_is(json_object_get(p, "reason"), "interrupted"));
		} else {
			CHECK(json_is_number(v));
		}
	}
	CHECK(stopped >= 1);
	json_decref(cal);
	unlink(out);
}

/* report: gnuplot, seen running, is stopped with it. */
static void signal_report(int sig, const char *plots, const char *sample)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s/report", tag);
	struct child c;
	start(&c, (char *const[]){"report", (char *)sample, "--out", dir, "--plots", (char *)plots, NULL});
	CHECK(wait_child_named(&c, "gnuplot", "", 1) > 0);
	kill(c.pid, sig);
	expect_130(&c, "report", sig);
	CHECK(strstr(c.err, "zcbench: interrupted; the report in ") != NULL);
	char rm[400];
	snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
	CHECK(system(rm) == 0);
}

static bool have(const char *prog)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: test_signals ZCBENCH PLOTS_DIR SAMPLE_RESULT\n");
		return 2;
	}
	bin = argv[1];
	snprintf(tag, sizeof tag, "/tmp/zc-signals-XXXXXX");
	CHECK(mkdtemp(tag) != NULL);
	char cache[300], tmpdir[300];
	snprintf(cache, sizeof cache, "--cache-dir=%s/cache", tag);
	/* hyperfine's temp directory goes here too, where it can be checked. */
	snprintf(tmpdir, sizeof tmpdir, "%s/tmp", tag);
	CHECK(mkdir(tmpdir, 0700) == 0);
	setenv("TMPDIR", tmpdir, 1);

	static const int sigs[] = {SIGINT, SIGTERM};
	for (int i = 0; i < 2; i++) {
		signal_run(sigs[i], cache);
		signal_all_calibrating(sigs[i], cache);
		signal_calibrate(sigs[i]);
		if (have("hyperfine"))
			signal_hyperfine(sigs[i], cache);
		if (have("gnuplot"))
			signal_report(sigs[i], argv[2], argv[3]);
	}
	if (have("hyperfine"))
		signal_hyperfine_twice(cache);
	else
		fprintf(stderr, "hyperfine is not installed: its signals are not tested\n");
	if (!have("gnuplot"))
		fprintf(stderr, "gnuplot is not installed: report's signals are not tested\n");

	if (!check_failures) {
		char rm[400];
		snprintf(rm, sizeof rm, "rm -rf '%s'", tag);
		CHECK(system(rm) == 0);
	}
	CHECK_DONE();
}
