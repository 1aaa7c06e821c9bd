#include "util.h"
#include "safe_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "signals.h"

extern char **environ;

void zc_sb_init(struct zc_sbuf *b)
{
	memset(b, 0, sizeof *b);
}

void zc_sb_free(struct zc_sbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof *b);
}

static bool sb_reserve(struct zc_sbuf *b, size_t more)
{
	if (b->oom)
		return false;
	if (b->len + more + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	char *s = realloc(b->s, cap);
	if (!s) {
		b->oom = true;
		return false;
	}
	b->s = s;
	b->cap = cap;
	return true;
}

static void sb_putn(struct zc_sbuf *b, const char *s, size_t n)
{
	if (!sb_reserve(b, n))
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

void zc_sb_putn(struct zc_sbuf *b, const char *s, size_t n)
{
	sb_putn(b, s, n);
}

void zc_sb_puts(struct zc_sbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

void zc_sb_printf(struct zc_sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !sb_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void zc_sb_html(struct zc_sbuf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			zc_sb_puts(b, "&amp;");
			break;
		case '<':
			zc_sb_puts(b, "&lt;");
			break;
		case '>':
			zc_sb_puts(b, "&gt;");
			break;
		case '"':
			zc_sb_puts(b, "&quot;");
			break;
		case '\'':
			zc_sb_puts(b, "&#39;");
			break;
		default:
			sb_putn(b, s, 1);
		}
	}
}

void zc_sb_md(struct zc_sbuf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			zc_sb_puts(b, "\\|");
		else if (*s == '\n' || *s == '\r')
			zc_sb_puts(b, " ");
		else if (*s == '<')
			zc_sb_puts(b, "&lt;");
		else
			sb_putn(b, s, 1);
	}
}

void zc_sb_shell_quote(struct zc_sbuf *b, const char *s)
{
	zc_sb_puts(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			zc_sb_puts(b, "'\\''");
		else
			sb_putn(b, s, 1);
	}
	zc_sb_puts(b, "'");
}

void zc_sb_shell_join(struct zc_sbuf *b, char *const argv[])
{
	for (size_t i = 0; argv[i]; i++) {
		if (i)
			zc_sb_puts(b, " ");
		zc_sb_shell_quote(b, argv[i]);
	}
}

int zc_write_file(const char *path, const char *data, size_t len, char *err, size_t err_len)
{
	return zc_out_write(path, data, len, err, err_len);
}

int zc_mkdirs_mode(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return ENAMETOOLONG;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, mode) != 0 && errno != EEXIST)
			return errno;
		*p = '/';
	}
	if (mkdir(buf, mode) != 0 && errno != EEXIST)
		return errno;
	struct stat st;
	if (stat(buf, &st) != 0)
		return errno;
	return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
}

int zc_mkdirs(const char *path)
{
	return zc_mkdirs_mode(path, 0755);
}

bool zc_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool zc_find_program(const char *name, char *buf, size_t len)
{
	if (strchr(name, '/')) {
		snprintf(buf, len, "%s", name);
		return access(buf, X_OK) == 0 && zc_is_file(buf);
	}
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		if (n > 0 && snprintf(buf, len, "%.*s/%s", (int)n, path, name) < (int)len && access(buf, X_OK) == 0 &&
		    zc_is_file(buf))
			return true;
		path += n;
		if (*path == ':')
			path++;
	}
	return false;
}

int zc_self_exe(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	if (n < 0 || (size_t)n >= len - 1)
		return -1;
	buf[n] = 0;
	return 0;
}

void zc_first_line(const char *text, char *buf, size_t len)
{
	while (*text == '\n')
		text++;
	size_t n = strcspn(text, "\n");
	snprintf(buf, len, "%.*s", (int)n, text);
}

/* environ with extra's entries added, replacing variables of the same name. */
static char **build_env(char *const *extra)
{
	size_t n = 0, m = 0;
	while (environ && environ[n])
		n++;
	while (extra && extra[m])
		m++;
	char **env = calloc(n + m + 1, sizeof *env);
	if (!env)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool replaced = false;
		for (size_t j = 0; j < m && !replaced; j++) {
			size_t nl = strcspn(extra[j], "=");
			replaced = strncmp(environ[i], extra[j], nl + 1) == 0;
		}
		if (!replaced)
			env[k++] = environ[i];
	}
	for (size_t j = 0; j < m; j++)
		env[k++] = extra[j];
	env[k] = NULL;
	return env;
}

/* Child side after fork: only async-signal-safe calls until exec. */
static _Noreturn void child_exec(const char *path, char *const argv[], char **env, const struct zc_spawn *how,
				 int out_w, int err_w, int report_w)
{
	int e;
	int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0)
		goto fail;
	if (dup2(null_fd, 0) < 0)
		goto fail;
	int want_out = out_w >= 0 ? out_w : how->stdout_fd >= 0 ? how->stdout_fd : null_fd;
	if (dup2(want_out, 1) < 0)
		goto fail;
	if (err_w >= 0) {
		if (dup2(err_w, 2) < 0)
			goto fail;
	} else if (how->stderr_to_null) {
		if (dup2(null_fd, 2) < 0)
			goto fail;
	}
	if (how->cwd && chdir(how->cwd) != 0)
		goto fail;
	/* A group of its own: a terminal's ^C reaches this process alone, which
	 * passes it on once (zc_signals_forward), and an interrupted child's own
	 * children can be found and waited for as one group. */
	if (setpgid(0, 0) != 0)
		goto fail;
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	execve(path, argv, env);
fail:
	e = errno;
	while (write(report_w, &e, sizeof e) < 0 && errno == EINTR)
		;
	_exit(127);
}

/* Read what the child writes on the captured descriptors until both close. */
static void drain_pipes(int out_r, struct zc_sbuf *out, int err_r, struct zc_sbuf *err)
{
	struct pollfd p[2] = {{.fd = out_r, .events = POLLIN}, {.fd = err_r, .events = POLLIN}};
	struct zc_sbuf *dst[2] = {out, err};
	int open_fds = (out_r >= 0) + (err_r >= 0);
	while (open_fds > 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char tmp[4096];
			ssize_t got = read(p[i].fd, tmp, sizeof tmp);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
				open_fds--;
				continue;
			}
			/* Keep at most 1 MiB of a child's chatter. */
			if (dst[i]->len < (1u << 20))
				sb_putn(dst[i], tmp, (size_t)got);
		}
	}
}

int zc_spawn_wait(const char *path, char *const argv[], const struct zc_spawn *how, int *status, char *err,
		  size_t err_len)
{
	int out_p[2] = {-1, -1}, err_p[2] = {-1, -1}, rep_p[2] = {-1, -1};
	char **env = build_env(how->extra_env);
	if (!env) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	int rc = -1;
	if (zc_interrupted()) {
		snprintf(err, err_len, "interrupted before %s could start", path);
		goto out;
	}
	/* Orphans of the child (hyperfine's benchmarked command when hyperfine
	 * is killed) come to this process, so they can be waited for. Best
	 * effort: without it (before Linux 3.4) init reaps them and the wait
	 * for the group below ends at its bound. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0 && errno != EINVAL) {
		snprintf(err, err_len, "prctl(PR_SET_CHILD_SUBREAPER): %s", strerror(errno));
		goto out;
	}
	if (pipe2(rep_p, O_CLOEXEC) != 0 || (how->out && pipe2(out_p, O_CLOEXEC) != 0) ||
	    (how->err && pipe2(err_p, O_CLOEXEC) != 0)) {
		snprintf(err, err_len, "pipe: %s", strerror(errno));
		goto out;
	}
	/* SIGINT and SIGTERM wait until the child has its group and this
	 * process knows it: one arriving in between is then passed on, not
	 * taken by the child's copy of the handler before exec. */
	sigset_t stop_sigs, old_mask;
	sigemptyset(&stop_sigs);
	sigaddset(&stop_sigs, SIGINT);
	sigaddset(&stop_sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop_sigs, &old_mask);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, err_len, "fork: %s", strerror(errno));
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		goto out;
	}
	if (pid == 0) {
		struct sigaction dfl = {.sa_handler = SIG_DFL};
		sigemptyset(&dfl.sa_mask);
		sigaction(SIGINT, &dfl, NULL);
		sigaction(SIGTERM, &dfl, NULL);
		child_exec(path, argv, env, how, out_p[1], err_p[1], rep_p[1]);
	}
	/* Both sides set the group, so it exists before either goes on; the
	 * child may have exec'd already (EACCES), then it did it itself. */
	setpgid(pid, pid);
	zc_signals_forward(pid);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	close(rep_p[1]);
	rep_p[1] = -1;
	if (out_p[1] >= 0) {
		close(out_p[1]);
		out_p[1] = -1;
	}
	if (err_p[1] >= 0) {
		close(err_p[1]);
		err_p[1] = -1;
	}
	drain_pipes(out_p[0], how->out, err_p[0], how->err);
	out_p[0] = err_p[0] = -1; /* closed by drain_pipes */
	int child_errno = 0;
	ssize_t got;
	while ((got = read(rep_p[0], &child_errno, sizeof child_errno)) < 0 && errno == EINTR)
		;
	int st = 0;
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			snprintf(err, err_len, "waitpid: %s", strerror(errno));
			zc_signals_forward(0);
			goto out;
		}
	}
	/* Whatever the child left in its group (an interrupted hyperfine's
	 * command, still stopping) goes before this returns. */
	zc_signals_drain_group(pid, 10000);
	zc_signals_forward(0);
	if (got == (ssize_t)sizeof child_errno) {
		snprintf(err, err_len, "cannot run %s: %s", path, strerror(child_errno));
		goto out;
	}
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	rc = 0;
out:
	for (int i = 0; i < 2; i++) {
		if (out_p[i] >= 0)
			close(out_p[i]);
		if (err_p[i] >= 0)
			close(err_p[i]);
		if (rep_p[i] >= 0)
			close(rep_p[i]);
	}
	free(env);
	return rc;
}
