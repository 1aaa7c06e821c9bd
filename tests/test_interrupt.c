/* An interrupted `zcbench all` writes valid JSON marked interrupted, naming
 * the cells it measured (the others "not run", never "ok"), and leaves no
 * child process and no temp file. */
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "run_cmd.h"

extern char **environ;

/* Processes whose command line mentions tag (our unique cache dir). */
static int count_procs_with(const char *tag)
{
	DIR *d = opendir("/proc");
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		char buf[4096];
		proc_cmdline(atoi(e->d_name), buf, sizeof buf);
		n += strstr(buf, tag) != NULL;
	}
	if (d)
		closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	char dir[] = "/tmp/zc-intr-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char cache[300], out_dir[300], cache_opt[320], out_opt[320];
	snprintf(cache, sizeof cache, "%s/cache", dir);
	snprintf(out_dir, sizeof out_dir, "%s/out", dir);
	snprintf(cache_opt, sizeof cache_opt, "--cache-dir=%s", cache);
	snprintf(out_opt, sizeof out_opt, "--out-dir=%s", out_dir);

	for (int sig_count = 1; sig_count <= 2; sig_count++) {
		char *args[] = {argv[1], "all", "--size=64M", "--reps=1000", cache_opt, out_opt, NULL};
		int errp[2];
		CHECK(pipe(errp) == 0);
		pid_t pid;
		posix_spawn_file_actions_t fa;
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
		posix_spawn_file_actions_addclose(&fa, errp[0]);
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		CHECK(posix_spawn(&pid, argv[1], &fa, NULL, args, environ) == 0);
		posix_spawn_file_actions_destroy(&fa);
		close(errp[1]);
		/* Interrupt once progress shows the third cell started: two cells
		 * have measured a run by then. */
		FILE *progress = fdopen(errp[0], "r");
		char line[512];
		int seen = 0;
		while (!seen && fgets(line, sizeof line, progress))
			seen = strncmp(line, "[cell 3/", 8) == 0;
		CHECK(seen);
		for (int i = 0; i < sig_count; i++) {
			kill(pid, SIGINT);
			struct timespec gap = {0, 1000 * 1000};
			nanosleep(&gap, NULL);
		}
		int status = wait_exit(pid, 20000);
		fclose(progress);
		CHECK(status == 130);
		struct timespec settle = {0, 200 * 1000 * 1000};
		nanosleep(&settle, NULL);
		CHECK(count_procs_with(cache) == 0);
		CHECK(count_dir_entries(cache, "dest-") == 0);
		CHECK(count_dir_entries(cache, "owner-") == 0); /* the lock, also after a second signal */
		CHECK(count_dir_entries(out_dir, ".zcbench-") == 0);
		if (sig_count == 2)
			continue; /* exits at once: no file is owed, and none may be partial */
		DIR *d = opendir(out_dir);
		int files = 0;
		for (struct dirent *e; d && (e = readdir(d));) {
			if (strncmp(e->d_name, "zcbench-", 8) != 0)
				continue;
			files++;
			char path[700];
			snprintf(path, sizeof path, "%s/%s", out_dir, e->d_name);
			json_error_t err;
			json_t *doc = json_load_file(path, 0, &err);
			CHECK(doc != NULL);
			CHECK(json_is_true(json_object_get(doc, "interrupted")));
			/* At least one cell has runs to show; none is "ok" without a
			 * measured run: cells interrupted before one are "not run". */
			json_t *results = json_object_get(doc, "results");
			size_t with_runs = 0, not_run = 0;
			for (size_t i = 0; i < json_array_size(results); i++) {
				json_t *cell = json_array_get(results, i), *runs = json_object_get(cell, "runs");
				with_runs += json_array_size(runs) > 0;
				size_t measured = 0;
				for (size_t k = 0; k < json_array_size(runs); k++)
					measured += !json_is_true(json_object_get(json_array_get(runs, k), "warmup"));
				const char *st = json_string_value(json_object_get(cell, "status"));
				CHECK(st && (strcmp(st, "ok") != 0 || measured > 0));
				not_run += st && strcmp(st, "not run") == 0;
			}
			CHECK(with_runs > 0);
			CHECK(not_run > 0); /* the last cells never got to their first measured run */
			json_decref(doc);
			unlink(path);
		}
		if (d)
			closedir(d);
		CHECK(files == 1);
	}
	char rm[400];
	snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
	CHECK(system(rm) == 0);
	CHECK_DONE();
}
