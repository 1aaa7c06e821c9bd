/* Without privileges everything still runs: eBPF is "unavailable" with a
 * reason, zc_probes_open warns once on stderr, the run's eBPF counters are
 * null (never 0) and perf is still reported. As root the test drops to
 * nobody (65534) in a child first. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../probes/probes.h"
#include "check.h"

static json_t *run_subject(struct zc_probes *pr)
{
	int up[2], down[2];
	if (pipe(up) || pipe(down))
		return NULL;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return NULL;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		zc_probes_subject_init(pr);
		char g;
		if (write(up[1], "r", 1) != 1 || read(down[0], &g, 1) != 1)
			_exit(1);
		zc_probes_window_begin(pr);
		for (int i = 0; i < 100; i++)
			if (write(null, "x", 1) != 1)
				_exit(2);
		zc_probes_window_end(pr);
		_exit(write(up[1], "d", 1) == 1 ? 0 : 1);
	}
	json_t *c = NULL;
	char r;
	if (read(up[0], &r, 1) == 1) {
		zc_probes_arm(pr, pid);
		if (write(down[1], "g", 1) == 1 && read(up[0], &r, 1) == 1)
			c = zc_probes_collect(pr, pid);
	}
	int st;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(up[0]);
	close(up[1]);
	close(down[0]);
	close(down[1]);
	return c;
}

static int scenario(int log_fd)
{
	/* zc_probes_open's stderr goes to log_fd. */
	int saved = dup(2);
	dup2(log_fd, 2);
	struct zc_probes *pr = zc_probes_open(true);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);

	char log[4096] = "";
	ssize_t n = pread(log_fd, log, sizeof log - 1, 0);
	log[n > 0 ? n : 0] = 0;
	int lines = 0;
	for (char *p = log; *p; p++)
		lines += *p == '\n';
	fprintf(stderr, "zc_probes_open said: %s", log);
	CHECK_EQ_U64(lines, 1);
	CHECK(strstr(log, "eBPF") != NULL);

	json_t *st = zc_probes_status_json(pr);
	const json_t *ebpf = json_object_get(st, "ebpf");
	const char *status = json_string_value(json_object_get(ebpf, "status"));
	const char *reason = json_string_value(json_object_get(ebpf, "reason"));
	CHECK(status && strcmp(status, "unavailable") == 0);
	CHECK(reason && (strstr(reason, "not root") || strcmp(reason, "built without eBPF support") == 0));
	CHECK(json_is_null(json_object_get(ebpf, "attach")));
	CHECK_EQ_U64(json_object_size(json_object_get(st, "perf")), 10);
	json_decref(st);

	json_t *c = run_subject(pr);
	CHECK(c != NULL);
	if (c) {
		static const char *const keys[] = {"syscalls",	 "syscalls_total", "context_switches",
						   "off_cpu_ns", "bytes",	   "latency"};
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			CHECK(json_object_get(c, keys[k]) != NULL);
			CHECK(json_is_null(json_object_get(c, keys[k])));
		}
		const json_t *perf = json_object_get(c, "perf");
		CHECK_EQ_U64(json_object_size(perf), 10);
		const char *name;
		const json_t *v;
		json_object_foreach((json_t *)perf, name, v)
		{
			const char *s = json_string_value(json_object_get(v, "status"));
			const char *why = json_string_value(json_object_get(v, "reason"));
			CHECK(s != NULL);
			if (s && strcmp(s, "ok") == 0) {
				CHECK(json_is_integer(json_object_get(v, "value")));
			} else {
				CHECK(json_is_null(json_object_get(v, "value")));
				CHECK(why && why[0]);
			}
		}
		/* The software task clock counts user time at any paranoia below 3. */
		const json_t *tc = json_object_get(perf, "task_clock");
		fprintf(stderr, "task_clock unprivileged: %s (%s)\n", json_string_value(json_object_get(tc, "status")),
			json_string_value(json_object_get(tc, "reason"))
				? json_string_value(json_object_get(tc, "reason"))
				: "-");
		json_decref(c);
	}
	zc_probes_close(pr);
	return check_failures ? 1 : 0;
}

int main(void)
{
	char path[] = "/tmp/zc-test-probes-unpriv-XXXXXX";
	int log_fd = mkstemp(path);
	if (log_fd < 0) {
		perror("mkstemp");
		return 1;
	}
	unlink(path);
	if (geteuid() != 0)
		return scenario(log_fd);

	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0) {
			perror("dropping privileges");
			_exit(77);
		}
		_exit(scenario(log_fd));
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
