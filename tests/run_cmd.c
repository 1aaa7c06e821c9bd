#include "run_cmd.h"

#include <dirent.h>

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int run_cmd(char *const argv[], struct cmd_result *r)
{
	int o[2], e[2];
	memset(r, 0, sizeof *r);
	if (pipe2(o, O_CLOEXEC) != 0 || pipe2(e, O_CLOEXEC) != 0)
		return -1;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, o[1], 1);
	posix_spawn_file_actions_adddup2(&fa, e[1], 2);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	pid_t pid;
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(o[1]);
	close(e[1]);
	if (rc != 0) {
		close(o[0]);
		close(e[0]);
		return -1;
	}
	size_t no = 0, ne = 0;
	struct pollfd p[2] = {{.fd = o[0], .events = POLLIN}, {.fd = e[0], .events = POLLIN}};
	int open_fds = 2;
	while (open_fds > 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP)))
				continue;
			char *buf = i == 0 ? r->out : r->err;
			size_t *n = i == 0 ? &no : &ne;
			char tmp[4096];
			ssize_t got = read(p[i].fd, tmp, sizeof tmp);
			if (got <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
				open_fds--;
				continue;
			}
			size_t room = sizeof r->out - 1 - *n;
			size_t take = (size_t)got < room ? (size_t)got : room;
			memcpy(buf + *n, tmp, take);
			*n += take;
		}
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}

char *proc_cmdline(int pid, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
	FILE *f = fopen(path, "r");
	size_t n = 0;
	if (f) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	for (size_t i = 0; i < n; i++)
		buf[i] = buf[i] ? buf[i] : ' ';
	buf[n] = 0;
	return buf;
}

size_t count_lines(const char *text)
{
	size_t n = 0;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	if (*text && text[strlen(text) - 1] != '\n')
		n++;
	return n;
}

json_t *zc_run_json(const char *bin, const char *out, const char *cache_opt, int *status, ...)
{
	char *argv[64] = {(char *)bin};
	size_t n = 1;
	va_list ap;
	va_start(ap, status);
	for (char *a; n < 60 && (a = va_arg(ap, char *));)
		argv[n++] = a;
	va_end(ap);
	argv[n++] = "--out";
	argv[n++] = (char *)out;
	argv[n++] = (char *)cache_opt;
	argv[n] = NULL;
	static struct cmd_result r;
	unlink(out);
	*status = -1;
	if (run_cmd(argv, &r) != 0)
		return NULL;
	*status = r.status;
	json_error_t e;
	json_t *doc = json_load_file(out, 0, &e);
	if (!doc)
		fprintf(stderr, "%s %s: no JSON (%s); stderr: %s\n", argv[1], argv[2], e.text, r.err);
	return doc;
}

size_t count_dir_entries(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		     strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	if (d)
		closedir(d);
	return n;
}

int wait_exit(pid_t pid, int timeout_ms)
{
	for (int waited = 0; waited < timeout_ms; waited += 10) {
		int st;
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

pid_t dead_pid(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}
