/* Helpers the report, calibrate and hyperfine commands share: a growable
 * string, files, running a program without a shell, shell quoting. */
#ifndef ZC_REPORT_UTIL_H
#define ZC_REPORT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A growable NUL-terminated string. On allocation failure `oom` is set and
 * further appends are ignored, so callers check once at the end. */
struct zc_sbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

void zc_sb_init(struct zc_sbuf *b);
void zc_sb_free(struct zc_sbuf *b);
void zc_sb_puts(struct zc_sbuf *b, const char *s);
void zc_sb_putn(struct zc_sbuf *b, const char *s, size_t n);
void zc_sb_printf(struct zc_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s with &, <, >, " and ' escaped for HTML text and attributes. */
void zc_sb_html(struct zc_sbuf *b, const char *s);
/* Appends s escaped for a Markdown table cell (| and newlines). */
void zc_sb_md(struct zc_sbuf *b, const char *s);

/* zc_out_write (safe_file.h): atomically, and only over a regular file.
 * Returns 0, or -1 with err set. */
int zc_write_file(const char *path, const char *data, size_t len, char *err, size_t err_len);

/* mkdir -p (mode 0755, or mode for every directory it creates; an
 * existing non-directory is ENOTDIR). Returns 0 or an errno value. */
int zc_mkdirs(const char *path);
int zc_mkdirs_mode(const char *path, mode_t mode);

/* Whether path names an existing regular file. */
bool zc_is_file(const char *path);

/* Search PATH for an executable called name (name itself when it holds a
 * '/'). Writes the full path to buf and returns true when found. */
bool zc_find_program(const char *name, char *buf, size_t len);

/* Quote s for a POSIX shell (and for hyperfine's own word splitting): the
 * whole value in single quotes, each embedded ' written as '\''. Appends to b. */
void zc_sb_shell_quote(struct zc_sbuf *b, const char *s);

/* argv (NULL-terminated) as one command line, every word quoted. */
void zc_sb_shell_join(struct zc_sbuf *b, char *const argv[]);

/* How a child runs. */
struct zc_spawn {
	const char *cwd;	/* chdir there first; NULL: stay */
	char *const *extra_env; /* NAME=value entries added to (or replacing in) the environment; NULL: none */
	int stdout_fd;		/* -1: /dev/null; otherwise dup'ed to the child's stdout */
	struct zc_sbuf *out;	/* when set, the child's stdout is captured here instead */
	struct zc_sbuf *err;	/* when set, the child's stderr is captured here; otherwise inherited */
	bool stderr_to_null;	/* discard stderr (when err is NULL) */
};

/* fork and exec path (an absolute or relative file name, no PATH search)
 * with argv, no shell. Waits for it. *status: its exit status, or 128 +
 * signal. Returns 0 when it ran, or -1 with err set (it could not start). */
int zc_spawn_wait(const char *path, char *const argv[], const struct zc_spawn *how, int *status, char *err,
		  size_t err_len);

/* The running binary's own path (/proc/self/exe). Returns 0 or -1. */
int zc_self_exe(char *buf, size_t len);

/* The first line of text (without its newline), at most len-1 bytes, into buf. */
void zc_first_line(const char *text, char *buf, size_t len);

#endif
