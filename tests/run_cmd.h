/* Run a command and capture its exit status, stdout and stderr: what the
 * CLI tests assert on. */
#ifndef ZC_RUN_CMD_H
#define ZC_RUN_CMD_H

#include <stddef.h>

struct cmd_result {
	int status; /* exit status, or 128+signal */
	char out[65536];
	char err[65536];
};

/* argv is NULL-terminated; argv[0] is the path. Returns 0 when it ran. */
int run_cmd(char *const argv[], struct cmd_result *r);

/* Run `bin ARGS... --out OUT CACHE_OPT` (ARGS NULL-ended) and return the
 * parsed result file (NULL, with stderr shown, when there is none); *status
 * gets the exit status, -1 when it did not run. OUT is removed first. */
struct json_t;
struct json_t *zc_run_json(const char *bin, const char *out, const char *cache_opt, int *status, ...);

/* Wait for pid up to timeout_ms: its exit status (128+signal when killed),
 * or -1 when it had to be killed at the timeout. */
#include <sys/types.h>
int wait_exit(pid_t pid, int timeout_ms);

/* The pid of a child that has exited and been reaped: a pid no process
 * holds (until the kernel hands it out again). */
pid_t dead_pid(void);

/* How many entries of dir (never "." or "..") have names starting with
 * prefix ("" for all). */
size_t count_dir_entries(const char *dir, const char *prefix);

/* Process pid's command line, its words joined by spaces, into buf ("" when
 * it is gone). Returns buf. */
char *proc_cmdline(int pid, char *buf, size_t len);

/* How many lines text has (a last line without '\n' counts). */
size_t count_lines(const char *text);

#endif
